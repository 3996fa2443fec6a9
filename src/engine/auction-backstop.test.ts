import { afterEach, describe, expect, it } from "vitest";
import { backstopDueAtMs } from "./auction-backstop.ts";
import { checkConservation } from "./check-conservation.ts";
import { demoConfig } from "./demo-config.ts";
import { BACKSTOP_SUBACCOUNT_ID } from "./engine-state.ts";
import { rerunOnRiskPaths } from "./hotpath/rerun-on-risk-paths.ts";
import { replayEvents } from "./replay.ts";
import { ScenarioDriver, typesOf } from "./scenario-driver.ts";
import { restore, snapshot } from "./snapshot.ts";
import { stateHash } from "./state-hash.ts";

// Every scenario of this file, rerun on both risk paths: the columnar one must give the same
// event log and state hash as the reference one (and its audit must never find a wrong skip).
afterEach(() => {
  for (const driver of ScenarioDriver.drainCreated()) {
    const [reference, columnar] = rerunOnRiskPaths(driver.commands);
    expect(columnar!.logJson, "columnar path event log").toBe(reference!.logJson);
    expect(columnar!.hash, "columnar path state hash").toBe(reference!.hash);
  }
});

/*
 * The auction backstop as event scripts. Demo auction: 0.5 % + 0.1 %/s, capped at 3 %, so the
 * cap is reached 25 s after the liquidation starts; with a 10 s backstop delay the insurance fund
 * steps in 35 s after it started.
 */

function crashedLong(insuranceUsd: string) {
  const cfg = { ...demoConfig(), liquidation: { ...demoConfig().liquidation, backstopDelayMs: 10_000 } };
  const d = new ScenarioDriver(Date.UTC(2026, 0, 5), cfg);
  d.price(60_000);
  if (insuranceUsd !== "0") d.accept({ type: "fund_insurance", asset: "USDC", amount: insuranceUsd });
  d.deposit("alice/0", "10000");
  d.deposit("mm/0", "1000000");
  expect(d.trade("BTC-PERP", "alice/0", "mm/0", "1", "60000").status).toBe("accepted");
  d.wait(120_000); // outside the breaker window: multiplier 1
  // 52 500: equity 10 000 − 7 500 = 2 500 < MM 52 500 × 5 % = 2 625.
  const started = d.price(52_500).find((e) => e.type === "liquidation_started");
  expect(started).toMatchObject({ equityUsd: 2_500, maintenanceMarginUsd: 2_625 });
  return { d, startedAtMs: d.nowMs };
}

describe("auction backstop", () => {
  it("is due when the discount has reached its cap plus the delay", () => {
    const { d, startedAtMs } = crashedLong("50000");
    expect(backstopDueAtMs(d.engine.state(), startedAtMs)).toBe(startedAtMs + 25_000 + 10_000);
  });

  it("lets the insurance fund take the position at the capped-discount price when nobody else does", () => {
    const { d, startedAtMs } = crashedLong("50000");
    d.nowMs = startedAtMs + 34_999;
    expect(typesOf(d.price(52_500))).not.toContain("backstop_triggered");
    d.nowMs = startedAtMs + 35_000;
    const events = d.price(52_500).filter((e) => e.type !== "oracle_accepted");
    expect(typesOf(events)).toEqual([
      "backstop_triggered",
      "subaccount_opened",
      "backstop_funded",
      "trade_settled",
      "liquidation_penalty_paid",
      "liquidation_ended",
    ]);
    // Sold at 52 500 × (1 − 3 %) = 50 925 to the fund's sub-account; the plan closes 0.542 BTC
    // (enough for health 1.25, as with any liquidator).
    expect(events[3]).toMatchObject({
      kind: "liquidation",
      buyerSubaccountId: BACKSTOP_SUBACCOUNT_ID,
      sellerSubaccountId: "alice/0",
      lots: "542",
      priceTicks: "5092500",
      discountFraction: 0.03,
    });
    // The fund meets IM like any liquidator: IM 0.542 × 52 500 × 10 % = 2 845.5 less the
    // discount it earned 0.542 × 1 575 = 853.65 → 1 991.85 USDC (+1 micro-unit of headroom).
    expect(events[2]).toMatchObject({ amountUnits: "1991850001" });
    // Penalty 0.5 % × 28 455 = 142.275 USDC to the fund.
    expect(events[4]).toMatchObject({ amountUnits: "142275000" });
    expect(events[5]).toMatchObject({ reason: "healthy" });
    const fund = d.engine.state().venue.insurance.get("USDC");
    expect(fund).toBe(50_000_000_000n - 1_991_850_001n + 142_275_000n);
    expect(d.engine.subaccount("alice/0")!.risk.health).toBeGreaterThanOrEqual(1.25);
    expect(checkConservation(d.engine.state()).ok).toBe(true);
    // The fund's sub-account is reserved: nobody withdraws its margin or opens one like it.
    expect(
      d.send({ type: "withdraw", subaccountId: BACKSTOP_SUBACCOUNT_ID, asset: "USDC", amount: "1" }),
    ).toMatchObject({ reason: "reserved_account" });
    expect(
      d.send({
        type: "deposit",
        accountId: "venue:insurance",
        subaccountId: "venue:insurance/x",
        asset: "USDC",
        amount: "1",
      }),
    ).toMatchObject({ reason: "reserved_account" });
    // Replay and snapshot + tail give the same hash.
    expect(stateHash(replayEvents(d.engine.log()))).toBe(d.engine.stateHash());
    const snap = JSON.parse(JSON.stringify(snapshot(d.engine.state())));
    expect(stateHash(restore(snap))).toBe(d.engine.stateHash());
  });

  it("a liquidator in the same command goes first", () => {
    const { d, startedAtMs } = crashedLong("50000");
    d.deposit("liq/0", "1000000");
    d.nowMs = startedAtMs + 30_000;
    expect(typesOf(d.price(52_500))).not.toContain("backstop_triggered");
    d.nowMs = startedAtMs + 36_000; // due, and the 30 s reports are still fresh
    const take = d.accept({
      type: "liquidate",
      liquidatorSubaccountId: "liq/0",
      subaccountId: "alice/0",
      marketId: "BTC-PERP",
      size: "1",
    });
    expect(typesOf(take)).not.toContain("backstop_triggered");
    expect(take.find((e) => e.type === "trade_settled")).toMatchObject({ buyerSubaccountId: "liq/0" });
  });

  it("auto-deleverages at the same price when the fund cannot margin the takeover", () => {
    const { d, startedAtMs } = crashedLong("0");
    d.nowMs = startedAtMs + 35_000;
    const all = d.price(52_500);
    const events = all
      .slice(all.findIndex((e) => e.type === "backstop_triggered"))
      .filter((e) => e.type !== "oracle_accepted");
    expect(typesOf(events)).toEqual([
      "backstop_triggered",
      "subaccount_opened",
      "trade_settled",
      "liquidation_ended",
    ]);
    // The only opposite position is mm's short: it buys 0.542 at 50 925, explicitly.
    expect(events[2]).toMatchObject({
      kind: "adl",
      buyerSubaccountId: "mm/0",
      sellerSubaccountId: "alice/0",
      lots: "542",
      priceTicks: "5092500",
    });
    expect(d.engine.subaccount("mm/0")!.positions).toEqual([
      { marketId: "BTC-PERP", lots: -458n, basisRaw: -27_480_000_00n },
    ]);
    expect(checkConservation(d.engine.state()).ok).toBe(true);
  });
});
