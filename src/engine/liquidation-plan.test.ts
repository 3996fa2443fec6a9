import { afterEach, describe, expect, it } from "vitest";
import { rerunOnRiskPaths } from "./hotpath/rerun-on-risk-paths.ts";
import { planLiquidation } from "./liquidation-plan.ts";
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

describe("planLiquidation", () => {
  it("closes the position with the most MM per unit of closing cost first, only as far as needed", () => {
    const d = new ScenarioDriver(Date.UTC(2026, 2, 20));
    d.price(60_000);
    d.deposit("alice/0", "16000");
    d.deposit("bob/0", "1000000");
    // A short call (MM 7.5 % of the underlying notional, but cheap to buy back: its premium)
    // and a long perp (MM 5 % of notional, closing costs discount + fee on the full notional).
    expect(d.trade("BTC-C-60000-MAR26", "bob/0", "alice/0", "1", "2000").status).toBe("accepted");
    expect(d.trade("BTC-PERP", "alice/0", "bob/0", "1", "60000").status).toBe("accepted");
    d.wait(1000);
    d.price(49_000);
    const state = d.engine.state();
    const alice = state.subaccounts[state.subaccountIndex.get("alice/0")!]!;
    expect(alice.liquidation).not.toBeNull();
    const plan = planLiquidation(state, alice);
    // At 49 000 the call is far out of the money (premium ~ tens of USD) but still carries
    // 7.5 % × 49 000 of MM: its MM per unit of closing cost dwarfs the perp's (5 % × 49 000 per
    // 3.5 % × 49 000). So the option comes first, the perp only partly (if at all).
    expect(plan[0]?.marketId).toBe("BTC-C-60000-MAR26");
    const perp = plan.find((p) => p.marketId === "BTC-PERP");
    if (perp !== undefined) expect(perp.lots).toBeLessThan(1000n);
  });
});
