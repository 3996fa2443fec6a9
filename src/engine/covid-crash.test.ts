import { existsSync, readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { afterEach, describe, expect, it } from "vitest";
import { demoConfig } from "./demo-config.ts";
import { rerunOnRiskPaths } from "./hotpath/rerun-on-risk-paths.ts";
import { planLiquidation } from "./liquidation-plan.ts";
import { replayEvents } from "./replay.ts";
import { ScenarioDriver } from "./scenario-driver.ts";
import { stateHash } from "./state-hash.ts";

// Every scenario of this file, rerun on both risk paths: the columnar one must give the same
// event log and state hash as the reference one (and its audit must never find a wrong skip).
afterEach(() => {
  for (const driver of ScenarioDriver.drainCreated()) {
    const [reference, columnar] = rerunOnRiskPaths(driver.commands);
    expect(columnar!.logJson, "columnar path event log").toBe(reference!.logJson);
    expect(columnar!.hash, "columnar path state hash").toBe(reference!.hash);
    // The crash must have run on the columnar screen, not fallen back to the reference.
    expect(columnar!.screenedSweeps).toBeGreaterThan(0);
    expect(columnar!.skipped).toBeGreaterThan(0);
    console.info(
      `COVID crash, columnar path: ${columnar!.screenedSweeps} screened sweeps, ${columnar!.skipped} holders skipped`,
    );
  }
});

/*
 * The engine through a real crash: Binance BTCUSDT hourly bars of the COVID crash (2020-03-11
 * → 03-14, close 7.9k → 4.8k, low 3.78k), read by path from ../shared/data. Each bar is fed as
 * open → low/high → close (the extreme in the bar's direction first), three sources per tick,
 * with liquidators taking over whatever is in liquidation after every tick. Real outcomes to
 * check: every long levered 3× or more is liquidated (a −52 % low), no short is (the price only
 * fell below their entry), money is conserved throughout, and the log replays to the same hash.
 */

const DATA = new URL("../../../shared/data/hourly/BTCUSDT_2017_2021.csv", import.meta.url);
const present = existsSync(DATA);
if (!present) console.warn(`WARNING: ${DATA.pathname} is absent — the COVID-crash engine test is skipped`);

interface Bar {
  timestamp: string;
  open: string;
  high: string;
  low: string;
  close: string;
}

function crashBars(): Bar[] {
  const rows = parse(readFileSync(DATA, "utf8"), { columns: true }) as Bar[];
  return rows.filter((r) => r.timestamp >= "2020-03-11T00:00:00Z" && r.timestamp < "2020-03-15T00:00:00Z");
}

describe.skipIf(!present)("engine through the March 2020 crash (real hourly BTC)", () => {
  it("liquidates the levered longs, spares the shorts, conserves money and replays", () => {
    const base = demoConfig();
    // Hourly bars: sources stay fresh for the whole bar; the breaker window is one hour.
    const config = {
      ...base,
      underlyings: base.underlyings.map((u) => ({
        ...u,
        oracle: { ...u.oracle, maxAgeMs: 3_600_000, haltAfterMs: 7_200_000 },
        circuitBreaker: { ...u.circuitBreaker, windowMs: 3_600_000, coolingMs: 1_200_000 },
      })),
    };
    const bars = crashBars();
    expect(bars.length).toBe(96);
    const d = new ScenarioDriver(Date.parse(bars[0]!.timestamp), config);
    const first = Number(bars[0]!.open);
    d.price(first);
    d.accept({ type: "fund_insurance", asset: "USDC", amount: "200000" });
    d.deposit("liq/0", "100000000");
    const leverages = [1.5, 2, 3, 4, 6, 8];
    for (const [i, leverage] of leverages.entries()) {
      // Each long and short holds 1 BTC with equity = notional / leverage.
      const collateral = (first / leverage).toFixed(2);
      d.deposit(`long${i}/0`, collateral);
      d.deposit(`short${i}/0`, collateral);
      const fill = d.trade("BTC-PERP", `long${i}/0`, `short${i}/0`, "1", first.toFixed(2));
      expect(fill.status, `leverage ${leverage}`).toBe("accepted");
    }
    const everLiquidated = new Set<string>();
    d.engine.subscribe((e) => {
      if (e.type === "liquidation_started") everLiquidated.add(e.subaccountId);
    });
    for (const bar of bars) {
      const t0 = Date.parse(bar.timestamp);
      const down = Number(bar.close) < Number(bar.open);
      const path = [bar.open, down ? bar.high : bar.low, down ? bar.low : bar.high, bar.close].map(Number);
      path.forEach((price, k) => {
        d.nowMs = Math.max(d.nowMs + 1_000, t0 + k * 900_000);
        d.price(price);
        for (const s of d.engine.state().subaccounts) {
          const step = s.liquidation === null ? undefined : planLiquidation(d.engine.state(), s)[0];
          if (step === undefined) continue;
          d.wait(10_000);
          d.send({
            type: "liquidate",
            liquidatorSubaccountId: "liq/0",
            subaccountId: s.id,
            marketId: step.marketId,
            size: "1",
          });
        }
      });
    }
    console.info(
      `liquidated: ${[...everLiquidated].sort().join(", ")}; final multiplier ${d.engine.state().underlyings.get("BTC")!.marginMultiplier}`,
    );
    // The −52 % low (7 895 → 3 782) wipes out a 2× long (equity 50 % of notional); a 1.5× long
    // keeps 66.7 % − 52 % ≈ 14.6 % of the entry notional ≈ 1 150 USD, above MM even at the
    // breaker's 3× multiplier (3 × 5 % × 3 782 ≈ 570): it alone survives.
    expect(everLiquidated.has("long0/0")).toBe(false);
    for (const i of [1, 2, 3, 4, 5])
      expect(everLiquidated.has(`long${i}/0`), `long ${leverages[i]}×`).toBe(true);
    for (const i of leverages.keys())
      expect(everLiquidated.has(`short${i}/0`), `short ${leverages[i]}×`).toBe(false);
    const finalMark = Number(d.engine.state().underlyings.get("BTC")!.markTicks) / 100;
    expect(finalMark).toBeGreaterThan(4_000);
    expect(finalMark).toBeLessThan(6_500);
    expect(stateHash(replayEvents(d.engine.log()))).toBe(d.engine.stateHash());
  });
});
