import { afterEach, describe, expect, it } from "vitest";
import { demoConfig, demoRiskParams, demoRiskParamsFull } from "./demo-config.ts";
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
 * Margin modes and settings per sub-account, as event scripts. Hand-derived figures use the demo
 * venue: perps and futures at IM 10 % / MM 5 % of notional, BTC at 60 000 unless stated.
 */

const T0 = Date.UTC(2026, 0, 5);

function open(d: ScenarioDriver, subaccountId: string, amount: string, marginMode?: string) {
  return d.accept({
    type: "deposit",
    accountId: subaccountId.split("/")[0],
    subaccountId,
    asset: "USDC",
    amount,
    ...(marginMode === undefined ? {} : { marginMode }),
  });
}

describe("isolated sub-accounts", () => {
  it("hold one market: a fill opening a second one is rejected with a reason code", () => {
    const d = new ScenarioDriver();
    d.price(60_000);
    const opened = open(d, "alice/1", "5000", "isolated");
    expect(opened[0]).toMatchObject({ type: "subaccount_opened", marginMode: "isolated" });
    open(d, "mm/0", "1000000");
    expect(d.trade("BTC-PERP", "alice/1", "mm/0", "0.1", "60000").status).toBe("accepted");
    // Adding to the same market is fine; a second market is not, whichever side alice is on.
    expect(d.trade("BTC-PERP", "alice/1", "mm/0", "0.1", "60000").status).toBe("accepted");
    expect(d.trade("BTC-FUT-MAR26", "alice/1", "mm/0", "0.1", "60000")).toMatchObject({
      status: "rejected",
      reason: "isolated_single_market",
    });
    expect(d.trade("BTC-FUT-MAR26", "mm/0", "alice/1", "0.1", "60000")).toMatchObject({
      status: "rejected",
      reason: "isolated_single_market",
    });
    // Once flat, it may trade another market.
    expect(d.trade("BTC-PERP", "mm/0", "alice/1", "0.2", "60000").status).toBe("accepted");
    expect(d.trade("BTC-FUT-MAR26", "alice/1", "mm/0", "0.1", "60000").status).toBe("accepted");
  });

  it("never leak risk: an isolated loss liquidates only that sub-account", () => {
    const d = new ScenarioDriver();
    d.price(60_000);
    open(d, "alice/0", "10000");
    open(d, "alice/1", "1000", "isolated");
    open(d, "mm/0", "1000000");
    // 0.1 BTC at 60 000: IM 600 ≤ 1 000.
    expect(d.trade("BTC-PERP", "alice/1", "mm/0", "0.1", "60000").status).toBe("accepted");
    d.wait(1000);
    const crash = d.price(51_000);
    // alice/1: equity 1 000 − 0.1 × 9 000 = 100 < MM 0.1 × 51 000 × 5 % × 1.25 = 318.75.
    const started = crash.filter((e) => e.type === "liquidation_started");
    expect(started).toEqual([expect.objectContaining({ subaccountId: "alice/1", equityUsd: 100 })]);
    const alice0 = d.engine.subaccount("alice/0")!;
    expect(alice0.inLiquidation).toBe(false);
    expect(alice0.balances).toEqual({ USDC: 10_000_000_000n });
    expect(alice0.risk.equityUsd).toBe(10_000);
  });
});

describe("changing the margin mode", () => {
  it("needs the core policy for portfolio mode", () => {
    const d = new ScenarioDriver();
    open(d, "alice/0", "1000");
    expect(d.send({ type: "set_margin_mode", subaccountId: "alice/0", mode: "portfolio" })).toMatchObject({
      status: "rejected",
      reason: "mode_unsupported",
    });
    expect(
      d.send({
        type: "deposit",
        accountId: "bob",
        subaccountId: "bob/0",
        asset: "USDC",
        amount: "1",
        marginMode: "portfolio",
      }),
    ).toMatchObject({ status: "rejected", reason: "mode_unsupported" });
  });

  it("with positions, only when IM is met under the new mode; flat, always", () => {
    const config = { ...demoConfig(), riskPolicy: { mode: "cross" as const, params: demoRiskParams() } };
    const d = new ScenarioDriver(T0, config);
    d.price(60_000);
    open(d, "alice/0", "10000", "portfolio");
    open(d, "bob/0", "1000000");
    for (let i = 0; i < 2; i += 1) {
      expect(d.trade("BTC-PERP", "alice/0", "bob/0", "0.5", "60000").status).toBe("accepted");
      expect(d.trade("BTC-FUT-MAR26", "bob/0", "alice/0", "0.5", "60000").status).toBe("accepted");
    }
    // Long 1 perp, short 1 future: cross would need 2 × 6 000 = 12 000 > equity 10 000.
    expect(d.send({ type: "set_margin_mode", subaccountId: "alice/0", mode: "cross" })).toMatchObject({
      status: "rejected",
      reason: "insufficient_margin",
    });
    expect(d.send({ type: "set_margin_mode", subaccountId: "alice/0", mode: "isolated" })).toMatchObject({
      status: "rejected",
      reason: "isolated_single_market",
    });
    // A deposit of 2 000 more makes cross affordable (equity 12 000 = IM 12 000).
    open(d, "alice/0", "2000");
    const changed = d.accept({ type: "set_margin_mode", subaccountId: "alice/0", mode: "cross" });
    expect(changed).toEqual([expect.objectContaining({ type: "margin_mode_changed", mode: "cross" })]);
    expect(d.engine.subaccount("alice/0")!.risk.initialMarginUsd).toBeCloseTo(12_000, 6);
    // Flat: any supported mode.
    open(d, "carol/0", "10");
    expect(d.accept({ type: "set_margin_mode", subaccountId: "carol/0", mode: "isolated" })).toHaveLength(1);
  });
});

describe("per-account settings", () => {
  it("a trader's IM multiplier raises IM only (static venue)", () => {
    const d = new ScenarioDriver();
    d.price(60_000);
    open(d, "alice/0", "5000");
    open(d, "bob/0", "1000000");
    expect(d.trade("BTC-PERP", "alice/0", "bob/0", "0.5", "60000").status).toBe("accepted");
    const events = d.accept({ type: "set_im_multiplier", subaccountId: "alice/0", imMultiplier: 1.5 });
    expect(events).toEqual([
      expect.objectContaining({ type: "subaccount_settings_changed", imMultiplier: 1.5, paramSetId: null }),
    ]);
    // 0.5 × 60 000 = 30 000 notional: IM 3 000 × 1.5 = 4 500, MM 1 500 unchanged.
    const risk = d.engine.subaccount("alice/0")!.risk;
    expect(risk.initialMarginUsd).toBeCloseTo(4_500, 9);
    expect(risk.maintenanceMarginUsd).toBeCloseTo(1_500, 9);
    // Another 0.2 BTC would need 42 000 × 10 % × 1.5 = 6 300 > 5 000 (without it: 4 200, allowed).
    expect(d.trade("BTC-PERP", "alice/0", "bob/0", "0.2", "60000")).toMatchObject({
      reason: "taker_insufficient_margin",
    });
    // A multiplier below 1 would loosen margin: malformed, refused at the boundary naming the field.
    expect(() => d.send({ type: "set_im_multiplier", subaccountId: "alice/0", imMultiplier: 0.5 })).toThrow(
      /command\.imMultiplier/,
    );
  });

  it("a venue-assigned parameter set applies the set's policy through the core", () => {
    const config = { ...demoConfig(), riskPolicy: { mode: "cross" as const, params: demoRiskParamsFull() } };
    const d = new ScenarioDriver(T0, config);
    d.price(60_000);
    open(d, "alice/0", "5000");
    open(d, "bob/0", "1000000");
    expect(d.trade("BTC-PERP", "alice/0", "bob/0", "0.5", "60000").status).toBe("accepted");
    expect(d.send({ type: "assign_param_set", subaccountId: "alice/0", paramSetId: "nope" })).toMatchObject({
      reason: "unknown_param_set",
    });
    d.accept({ type: "assign_param_set", subaccountId: "alice/0", paramSetId: "conservative" });
    // "conservative": IM 20 %, MM 10 % of 30 000.
    const risk = d.engine.subaccount("alice/0")!.risk;
    expect(risk.initialMarginUsd).toBeCloseTo(6_000, 6);
    expect(risk.maintenanceMarginUsd).toBeCloseTo(3_000, 6);
    // Adding risk now needs the stricter IM: rejected; reducing is always allowed.
    expect(d.trade("BTC-PERP", "alice/0", "bob/0", "0.01", "60000")).toMatchObject({
      reason: "taker_insufficient_margin",
    });
    expect(d.trade("BTC-PERP", "bob/0", "alice/0", "0.1", "60000").status).toBe("accepted");
    // The IM multiplier stacks on the set through the core's im-multiplier component: 0.4 BTC →
    // 24 000 × 20 % × 1.25 = 6 000.
    d.accept({ type: "set_im_multiplier", subaccountId: "alice/0", imMultiplier: 1.25 });
    expect(d.engine.subaccount("alice/0")!.risk.initialMarginUsd).toBeCloseTo(6_000, 6);
    // Settings survive snapshot/restore and replay, and enter the hash.
    const state = d.engine.state();
    const viaSnapshot = restore(JSON.parse(JSON.stringify(snapshot(state))));
    expect(viaSnapshot.subaccounts[0]!.settings).toEqual({ imMultiplier: 1.25, paramSetId: "conservative" });
    expect(stateHash(viaSnapshot)).toBe(d.engine.stateHash());
    expect(stateHash(replayEvents(d.engine.log()))).toBe(d.engine.stateHash());
    expect(typesOf(d.engine.log())).toContain("subaccount_settings_changed");
  });

  it("cannot assign a parameter set on a venue without a policy document", () => {
    const d = new ScenarioDriver();
    open(d, "alice/0", "10");
    expect(
      d.send({ type: "assign_param_set", subaccountId: "alice/0", paramSetId: "conservative" }),
    ).toMatchObject({ status: "rejected", reason: "unknown_param_set" });
  });
});
