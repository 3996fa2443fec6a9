import { afterEach, describe, expect, it } from "vitest";
import { createEngine } from "./create-engine.ts";
import { demoConfig } from "./demo-config.ts";
import { parseEngineConfig } from "./engine-config.ts";
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

describe("createEngine", () => {
  it("rejects commands before configuration and time going backwards, changing nothing", () => {
    const engine = createEngine();
    const before = engine.stateHash();
    expect(engine.submit({ id: "x", atMs: 5, type: "tick" })).toMatchObject({
      status: "rejected",
      reason: "not_configured",
    });
    expect(engine.stateHash()).toBe(before);
    engine.submit({ id: "cfg", atMs: 10, type: "configure", config: demoConfig() });
    expect(engine.submit({ id: "y", atMs: 9, type: "tick" })).toMatchObject({
      reason: "time_went_backwards",
    });
  });

  it("throws a located error for a malformed command", () => {
    const engine = createEngine();
    expect(() =>
      engine.submit({
        id: "d",
        atMs: 1,
        type: "deposit",
        accountId: "a",
        subaccountId: "a/0",
        asset: "USDC",
        amount: -5,
      }),
    ).toThrow(/command\.amount/);
  });

  it("publishes events to subscribers until they unsubscribe", () => {
    const engine = createEngine();
    const seen: string[] = [];
    const off = engine.subscribe((e) => seen.push(e.type));
    engine.submit({ id: "cfg", atMs: 10, type: "configure", config: demoConfig() });
    off();
    engine.submit({ id: "ins", atMs: 11, type: "fund_insurance", asset: "USDC", amount: "1" });
    expect(seen).toEqual(["configured"]);
  });

  it("continues from a snapshot + tail with the same hash, and keeps command ids across it", () => {
    const d = new ScenarioDriver();
    d.price(60_000);
    d.deposit("alice/0", "10000");
    d.deposit("bob/0", "10000");
    d.trade("BTC-PERP", "alice/0", "bob/0", "0.5", "60000");
    const restored = createEngine({ snapshot: JSON.parse(JSON.stringify(d.engine.snapshot())) });
    expect(restored.stateHash()).toBe(d.engine.stateHash());
    expect(restored.submit({ id: "cmd-5", atMs: d.nowMs, type: "tick" }).status).toBe("duplicate");
    const next = {
      id: "later",
      atMs: d.nowMs + 1000,
      type: "funding",
      marketId: "BTC-PERP",
      ratePerPeriod: 0.0001,
    };
    d.engine.submit(next);
    restored.submit(next);
    expect(restored.stateHash()).toBe(d.engine.stateHash());
  });

  it("validates configuration at the boundary, naming the field", () => {
    const bad = { ...demoConfig(), quoteAsset: "EUR" };
    expect(() => parseEngineConfig(bad)).toThrow(/config\.quoteAsset/);
    const cfg = demoConfig();
    const badMarket = { ...cfg, markets: [{ ...cfg.markets[0]!, maintenanceMarginFraction: 0.2 }] };
    expect(() => parseEngineConfig(badMarket)).toThrow(/config\.markets\.0/);
  });

  it("refuses a bad re-margin thread count up front, naming the option", () => {
    for (const remarginThreads of [0, 1.5, 65, Number.NaN])
      expect(() => createEngine({ remarginThreads })).toThrow(
        /remarginThreads: must be an integer in \[1, 64\]/,
      );
    expect(() => createEngine({ remarginPoolMinList: -1 })).toThrow(/remarginPoolMinList/);
    expect(() => createEngine({ remarginThreads: 1 }).close()).not.toThrow();
  });
});
