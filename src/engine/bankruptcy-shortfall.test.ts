import { afterEach, describe, expect, it } from "vitest";
import { bankruptcyShortfallUsd } from "./bankruptcy-shortfall.ts";
import { demoConfigFull } from "./demo-config.ts";
import type { EngineConfig } from "./engine-config.ts";
import type { Position } from "./engine-state.ts";
import { rerunOnRiskPaths } from "./hotpath/rerun-on-risk-paths.ts";
import { ScenarioDriver } from "./scenario-driver.ts";
import { computeRisk } from "./subaccount-risk.ts";

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
 * Hand-computed shortfalls at a BTC mark of 40 000 (BTC collateral haircut 10 %). BTC-PERP: lots
 * of 0.001 BTC, basis in lot × 0.01 USD ticks. BTC-INV-PERP: contracts of 100 USD, basis in sat.
 */

function stateAt40k(config: EngineConfig = demoConfigFull()) {
  const d = new ScenarioDriver(Date.UTC(2026, 0, 5), config);
  d.price(40_000);
  return d.engine.state();
}

const view = (balances: [string, bigint][], positions: [string, Position][]) => ({
  balances: new Map(balances),
  positions: new Map(positions),
});

// 21 contracts long with a 0.035 BTC basis (entry 60 000): coin PnL at 40 000 = 0.035 − 0.0525.
const inverseLong: [string, Position] = ["BTC-INV-PERP", { lots: 21n, basisRaw: 3_500_000n }];

describe("bankruptcyShortfallUsd", () => {
  it("equals the risk deficit for quote collateral and linear positions", () => {
    const state = stateAt40k();
    // 10 000 USDC, 1 BTC long from 60 000: 10 000 − 20 000 = −10 000.
    const v = view([["USDC", 10_000_000_000n]], [["BTC-PERP", { lots: 1000n, basisRaw: 6_000_000_000n }]]);
    expect(computeRisk(state, v).equityUsd).toBeCloseTo(-10_000, 9);
    expect(bankruptcyShortfallUsd(state, v)).toBeCloseTo(10_000, 9);
  });

  it("takes an inverse perp's coin losses out of the coin before the haircut", () => {
    const state = stateAt40k();
    // 0.00592364 + 0.035 − 0.0525 = −0.01157636 BTC, a debt at the mark: 463.0544 USD, where the
    // risk equity says 0.00592364 × 36 000 − 700 = −486.74896.
    const v = view([["BTC", 592_364n]], [inverseLong]);
    expect(computeRisk(state, v).equityUsd).toBeCloseTo(-486.74896, 9);
    expect(bankruptcyShortfallUsd(state, v)).toBeCloseTo(463.0544, 9);
  });

  it("values a coin gain at the haircut once it covers quote debt (one kink)", () => {
    const state = stateAt40k();
    // −500 USDC, 0.01 BTC: coin after closing at the mark 0.01 + 0.035 − 0.0525 = −0.0075 BTC
    // (−300 USD). The first 300 USD of gain clear the coin debt; the quote debt of 500 is then
    // covered by coin seized at 36 000: 500/0.9 more. T = 300 + 555.5̅ = 855.5̅.
    const v = view(
      [
        ["USDC", -500_000_000n],
        ["BTC", 1_000_000n],
      ],
      [inverseLong],
    );
    expect(bankruptcyShortfallUsd(state, v)).toBeCloseTo(300 + 500 / 0.9, 9);
  });

  it("spreads the gain pro rata to notional over linear and inverse positions", () => {
    const state = stateAt40k();
    // 1 000 USDC, 0.01 BTC, 0.1 BTC-PERP long from 60 000 (notional 4 000, PnL −2 000) and the
    // inverse long (notional 2 100). Quote net −1 000, coin net −0.0075 BTC. With the gain T split
    // 40/61 to quote and 21/61 to coin, the coin turns positive before the quote does, so
    // −1 000 + 40T/61 + 36 000 × (−0.0075 + 21T/(61 × 40 000)) = 0 → T = 1 270 × 61/58.9.
    const v = view(
      [
        ["USDC", 1_000_000_000n],
        ["BTC", 1_000_000n],
      ],
      [["BTC-PERP", { lots: 100n, basisRaw: 600_000_000n }], inverseLong],
    );
    expect(bankruptcyShortfallUsd(state, v)).toBeCloseTo((1_270 * 61) / 58.9, 9);
  });

  it("is 0 for an account that covers itself, NaN when only a 100 % haircut coin could cover it", () => {
    const state = stateAt40k();
    expect(bankruptcyShortfallUsd(state, view([["BTC", 10_000_000n]], [inverseLong]))).toBe(0);
    const cfg = demoConfigFull();
    const worthless = stateAt40k({
      ...cfg,
      assets: cfg.assets.map((a) => (a.id === "BTC" ? { ...a, haircut: 1 } : a)),
    });
    const v = view(
      [
        ["USDC", -500_000_000n],
        ["BTC", 1_000_000n],
      ],
      [inverseLong],
    );
    expect(bankruptcyShortfallUsd(worthless, v)).toBeNaN();
  });
});
