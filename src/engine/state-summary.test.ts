import { afterEach, describe, expect, it } from "vitest";
import { demoConfig, demoRiskParams } from "./demo-config.ts";
import { rerunOnRiskPaths } from "./hotpath/rerun-on-risk-paths.ts";
import { ScenarioDriver } from "./scenario-driver.ts";
import { summarizeState } from "./state-summary.ts";

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
 * The summary's newer parts on a small venue: sub-accounts per mode, a market's APC state and
 * which side of its target it is held on, and no backstop before any auction has timed out.
 * (The backstop part is exercised on the example log in src/cli/commands/replay.test.ts.)
 */

const DAY_MS = 86_400_000;

function apcVenue() {
  const params = demoRiskParams() as { markets: Record<string, Record<string, unknown>> };
  params.markets["BTC-PERP"]!.apc = {
    tool: { type: "none" },
    maxDailyRise: 0.5,
    maxDailyFall: 0.1,
    speedLimitBelowRaw: true,
  };
  const d = new ScenarioDriver(Date.UTC(2026, 0, 5), {
    ...demoConfig(),
    riskPolicy: { mode: "cross", params },
  });
  d.price(60_000);
  return d;
}

const perpOf = (d: ScenarioDriver) =>
  summarizeState(d.engine.state()).markets.find((m) => m.marketId === "BTC-PERP")!;

describe("summarizeState", () => {
  it("counts sub-accounts per mode, every mode listed", () => {
    const d = apcVenue();
    d.deposit("alice/0", "1000");
    d.accept({
      type: "deposit",
      accountId: "bob",
      subaccountId: "bob/iso",
      asset: "USDC",
      amount: "1000",
      marginMode: "isolated",
    });
    d.deposit("bob/1", "1000");
    const summary = summarizeState(d.engine.state());
    expect(summary.subaccountsByMode).toEqual({ isolated: 1, cross: 2, portfolio: 0 });
    expect(summary.backstop).toBeNull();
  });

  it("shows the APC fraction, its raw target and whether the speed limit or the release binds", () => {
    const d = apcVenue();
    // The first step is the raw 10 %.
    expect(perpOf(d).apc).toMatchObject({ fraction: 0.1, rawFraction: 0.1, binding: "at_target" });
    expect(perpOf(d)).toMatchObject({
      kind: "perp",
      inverse: false,
      settlementAsset: "USDC",
      status: "active",
    });
    // Raised to 30 %: a day later the requirement is 0.1 × 1.5 = 15 %, held below the target.
    d.accept({
      type: "update_risk_params",
      marketId: "BTC-PERP",
      initialMarginFraction: 0.3,
      maintenanceMarginFraction: 0.15,
    });
    d.wait(DAY_MS);
    d.price(60_000);
    expect(perpOf(d)).toMatchObject({ initialMarginFraction: 0.3, maintenanceMarginFraction: 0.15 });
    expect(perpOf(d).apc).toMatchObject({ rawFraction: 0.3, binding: "speed_limit" });
    expect(perpOf(d).apc!.fraction).toBeCloseTo(0.15, 12);
    // Back to 10 %: the requirement is released 10 % a day, so it stays above the target.
    d.accept({
      type: "update_risk_params",
      marketId: "BTC-PERP",
      initialMarginFraction: 0.1,
      maintenanceMarginFraction: 0.05,
    });
    d.wait(DAY_MS);
    d.price(60_000);
    expect(perpOf(d).apc).toMatchObject({ rawFraction: 0.1, binding: "release" });
    expect(perpOf(d).apc!.fraction).toBeCloseTo(0.135, 12);
    // A market without an APC section has none.
    const future = summarizeState(d.engine.state()).markets.find((m) => m.marketId === "BTC-FUT-MAR26")!;
    expect(future.apc).toBeNull();
  });
});
