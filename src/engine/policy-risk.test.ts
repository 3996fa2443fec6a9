import { afterEach, describe, expect, it } from "vitest";
import { demoConfig, demoRiskParams } from "./demo-config.ts";
import { rerunOnRiskPaths } from "./hotpath/rerun-on-risk-paths.ts";
import { ScenarioDriver } from "./scenario-driver.ts";

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
 * The engine with the src/core/margin policy wired in. Two independent implementations of the
 * same static 10 % / 5 % policy must agree; portfolio mode must recognise a hedge.
 */

function book(mode?: "cross" | "portfolio") {
  const config =
    mode === undefined ? demoConfig() : { ...demoConfig(), riskPolicy: { mode, params: demoRiskParams() } };
  const d = new ScenarioDriver(Date.UTC(2026, 0, 5), config);
  d.price(60_000);
  d.deposit("alice/0", "20000");
  d.deposit("bob/0", "20000");
  return d;
}

describe("engine × core margin policy", () => {
  it("cross mode with the same static fractions gives the engine's own IM and MM", () => {
    const own = book();
    const core = book("cross");
    for (const d of [own, core]) {
      expect(d.trade("BTC-PERP", "alice/0", "bob/0", "1.5", "60000").status).toBe("accepted");
      d.wait(1000).price(58_000);
    }
    const a = own.engine.subaccount("alice/0")!.risk;
    const b = core.engine.subaccount("alice/0")!.risk;
    // 1.5 × 58 000 = 87 000 notional; the 3.3 % move is below the breaker: IM 8 700, MM 4 350.
    expect(a.initialMarginUsd).toBeCloseTo(8_700, 6);
    expect(b.initialMarginUsd).toBeCloseTo(8_700, 6);
    expect(b.maintenanceMarginUsd).toBeCloseTo(a.maintenanceMarginUsd, 6);
    expect(b.equityUsd).toBe(a.equityUsd);
  });

  it("portfolio mode nets a perp against a future of the same underlying", () => {
    const cross = book("cross");
    const portfolio = book("portfolio");
    for (const d of [cross, portfolio]) {
      expect(d.trade("BTC-PERP", "alice/0", "bob/0", "1", "60000").status).toBe("accepted");
      expect(d.trade("BTC-FUT-MAR26", "bob/0", "alice/0", "1", "60000").status).toBe("accepted");
    }
    const hedged = portfolio.engine.subaccount("alice/0")!.risk.initialMarginUsd;
    const gross = cross.engine.subaccount("alice/0")!.risk.initialMarginUsd;
    // Cross adds both legs: 2 × 6 000 = 12 000. Portfolio charges the calendar spread and
    // whatever the scenario grid finds, far less than the gross sum.
    expect(gross).toBeCloseTo(12_000, 6);
    expect(hedged).toBeGreaterThan(0);
    expect(hedged).toBeLessThan(gross / 2);
  });

  it("rejects a policy document that does not cover the engine's markets, naming the field", () => {
    const params = demoRiskParams() as { markets: Record<string, unknown> };
    delete params.markets["BTC-PERP"];
    const d = new ScenarioDriver();
    expect(
      () =>
        new ScenarioDriver(Date.UTC(2026, 0, 5), { ...demoConfig(), riskPolicy: { mode: "cross", params } }),
    ).toThrow(/riskPolicy\.params\.markets\.BTC-PERP/);
    expect(d.engine.state().config).not.toBeNull();
  });
});
