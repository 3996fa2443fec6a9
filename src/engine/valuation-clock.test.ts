import { describe, expect, it } from "vitest";
import { black76Price } from "../core/pricing/black76.ts";
import { createEngine } from "./create-engine.ts";
import { DEMO_EXPIRY_MS, demoConfig, demoRiskParams } from "./demo-config.ts";
import { rerunOnRiskPaths } from "./hotpath/rerun-on-risk-paths.ts";

/*
 * The valuation clock (`valuationIntervalMs`): option marks and the policy's as-of time use the
 * engine clock rounded down to the step, so time decay lands once per step. Checked against
 * Black-76 computed here at the expected valuation time, and on both risk paths.
 */

const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);
const STEP = 60_000;
const YEAR_MS = 365.25 * 86_400_000;
const OPTION = "BTC-C-60000-MAR26";

function commands(step: number | undefined): unknown[] {
  const config = {
    ...demoConfig(),
    riskPolicy: { mode: "cross", params: demoRiskParams() },
    ...(step === undefined ? {} : { valuationIntervalMs: step }),
  };
  const out: unknown[] = [{ id: "cfg", atMs: T0, type: "configure", config }];
  let n = 0;
  const report = (atMs: number, price: string) => {
    for (const source of ["alpha", "beta", "gamma"])
      out.push({
        id: `o${n++}`,
        atMs,
        type: "oracle_report",
        underlying: "BTC",
        source,
        price,
        confidence: "1.00",
        publishedAtMs: atMs,
      });
  };
  report(T0 + 5_000, "60000.00");
  for (const [id, amount] of [
    ["mm/0", "100000000"],
    ["t/0", "50000"],
  ] as const)
    out.push({
      id: `d-${id}`,
      atMs: T0 + 6_000,
      type: "deposit",
      accountId: id.split("/")[0],
      subaccountId: id,
      asset: "USDC",
      amount,
    });
  out.push({
    id: "fill",
    atMs: T0 + 7_000,
    type: "fill",
    marketId: OPTION,
    takerSide: "sell",
    takerSubaccountId: "t/0",
    makerSubaccountId: "mm/0",
    size: "3.00",
    price: "5000.00",
    makerFee: "0",
    takerFee: "0",
  });
  // Within the first minute, then past it, then a price move two minutes later.
  report(T0 + 50_000, "60000.00");
  report(T0 + 65_000, "60000.00");
  report(T0 + 185_000, "57000.00");
  return out;
}

function optionMarkAt(atMs: number, step: number | undefined) {
  const engine = createEngine();
  const all = commands(step);
  for (const c of all) {
    if ((c as { atMs: number }).atMs > atMs) break;
    engine.submit(c);
  }
  const t = engine.subaccount("t/0")!;
  const p = t.positions.find((x) => x.marketId === OPTION)!;
  return { risk: t.risk, lots: p.lots, state: engine.state() };
}

describe("valuation clock", () => {
  it("values options at the clock rounded down to the step, and at the exact clock without one", () => {
    const expected = (valuedAt: number, spot: number) =>
      black76Price("call", spot, 60_000, (DEMO_EXPIRY_MS - valuedAt) / YEAR_MS, 0.6, 0);
    // Equity of the short option account = deposit − fill premium paid back … the option's value
    // moves equity one for one, so equity differences isolate the mark.
    const a = optionMarkAt(T0 + 50_000, STEP);
    const b = optionMarkAt(T0 + 65_000, STEP);
    const exactA = optionMarkAt(T0 + 50_000, undefined);
    const exactB = optionMarkAt(T0 + 65_000, undefined);
    // 3 contracts short: equity = const − 3 × mark.
    const decayStepped = (a.risk.equityUsd - b.risk.equityUsd) / -3;
    const decayExact = (exactA.risk.equityUsd - exactB.risk.equityUsd) / -3;
    // Stepped: valued at T0 (both 7 s and 50 s fall in the first minute), then at T0 + 60 s.
    expect(decayStepped).toBeCloseTo(expected(T0, 60_000) - expected(T0 + STEP, 60_000), 9);
    // Exact: valued at 50 s and at 65 s.
    expect(decayExact).toBeCloseTo(expected(T0 + 50_000, 60_000) - expected(T0 + 65_000, 60_000), 9);
    expect(decayStepped).not.toBeCloseTo(decayExact, 9);
    // Within one step nothing decays: the 7 s fill and the 50 s report value the option alike.
    const fillTime = optionMarkAt(T0 + 7_000, STEP);
    expect(a.risk.equityUsd).toBe(fillTime.risk.equityUsd);
    expect(a.risk.maintenanceMarginUsd).toBe(fillTime.risk.maintenanceMarginUsd);
  });

  it("gives the same event log and hash on both risk paths", () => {
    const [reference, columnar] = rerunOnRiskPaths(commands(STEP));
    expect(columnar!.logJson).toBe(reference!.logJson);
    expect(columnar!.hash).toBe(reference!.hash);
    expect(reference!.logJson).toContain("trade_settled");
  });

  it("rejects a step outside 1 ms … 1 h, naming the field", () => {
    for (const step of [0, -5, 1.5, 3_600_001]) {
      const engine = createEngine();
      let message = "";
      try {
        const r = engine.submit({
          id: "cfg",
          atMs: T0,
          type: "configure",
          config: { ...demoConfig(), valuationIntervalMs: step },
        });
        message = r.status === "rejected" ? JSON.stringify(r) : `accepted ${step}`;
      } catch (error) {
        message = String(error);
      }
      expect(message).toMatch(/valuationIntervalMs/);
      expect(engine.state().config).toBeNull();
    }
  });
});
