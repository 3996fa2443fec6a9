import { afterEach, describe, expect, it } from "vitest";
import { demoConfig, demoRiskParams } from "./demo-config.ts";
import type { EngineEvent } from "./events.ts";
import { rerunOnRiskPaths } from "./hotpath/rerun-on-risk-paths.ts";
import { formatEventLog, parseEventLog, replayEvents } from "./replay.ts";
import { ScenarioDriver } from "./scenario-driver.ts";
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
 * Anti-procyclicality folded in the running engine. BTC-PERP's policy document gets an APC
 * section: requirements may rise by at most 50 % a day and fall by at most 10 % a day, and the
 * speed limit may hold them below the raw figure. A parameter change then reaches the margin
 * only at that speed; the state is in events, snapshots and the hash.
 */

const DAY_MS = 86_400_000;

function venue() {
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
  return d;
}

const apcOf = (events: readonly EngineEvent[]) =>
  events.filter((e) => e.type === "apc_updated") as (EngineEvent & {
    fraction: number;
    rawFraction: number;
  })[];

describe("APC in the engine", () => {
  it("applies the speed limit to a raised parameter and hysteresis to a lowered one", () => {
    const d = venue();
    const first = apcOf(d.price(60_000));
    // Only the market with an APC section is folded; the first step is the raw 10 %.
    expect(first).toEqual([
      expect.objectContaining({ marketId: "BTC-PERP", fraction: 0.1, rawFraction: 0.1 }),
    ]);
    d.deposit("alice/0", "30000");
    d.deposit("bob/0", "1000000");
    expect(d.trade("BTC-PERP", "alice/0", "bob/0", "1", "60000").status).toBe("accepted");
    d.wait(1000);
    const raised = d.accept({
      type: "update_risk_params",
      marketId: "BTC-PERP",
      initialMarginFraction: 0.3,
      maintenanceMarginFraction: 0.15,
    });
    // One second later at most 0.1 × 1.5^(1 s / 1 day): the raw 30 % is held back.
    const f1 = 0.1 * 1.5 ** (1000 / DAY_MS);
    expect(apcOf(raised)[0]).toMatchObject({ rawFraction: 0.3 });
    expect(apcOf(raised)[0]!.fraction).toBeCloseTo(f1, 15);
    expect(d.engine.subaccount("alice/0")!.risk.initialMarginUsd).toBeCloseTo(60_000 * f1, 6);
    // A day later (fresh reports, same price): 0.1 × 1.5^(1 + 1 s/day) ≈ 15 %; MM keeps the
    // policy's MM/IM ratio 0.15/0.3 = 0.5.
    d.wait(DAY_MS);
    const f2 = f1 * 1.5;
    expect(apcOf(d.price(60_000))[0]!.fraction).toBeCloseTo(f2, 15);
    let risk = d.engine.subaccount("alice/0")!.risk;
    expect(risk.initialMarginUsd).toBeCloseTo(60_000 * f2, 6);
    expect(risk.maintenanceMarginUsd).toBeCloseTo(60_000 * f2 * 0.5, 6);
    // Back to 10 %: hysteresis keeps f2 now and lets it fall 10 % a day.
    d.accept({
      type: "update_risk_params",
      marketId: "BTC-PERP",
      initialMarginFraction: 0.1,
      maintenanceMarginFraction: 0.05,
    });
    expect(d.engine.subaccount("alice/0")!.risk.initialMarginUsd).toBeCloseTo(60_000 * f2, 6);
    d.wait(DAY_MS);
    expect(apcOf(d.price(60_000))[0]!.fraction).toBeCloseTo(f2 * 0.9, 15);
    risk = d.engine.subaccount("alice/0")!.risk;
    expect(risk.initialMarginUsd).toBeCloseTo(60_000 * f2 * 0.9, 6);
    // The folded state is part of the snapshot and the hash, and replays identically.
    const snap = snapshot(d.engine.state());
    expect(snap.markets.find((m) => m.id === "BTC-PERP")!.apc!.fraction).toBeCloseTo(f2 * 0.9, 15);
    expect(snap.markets.find((m) => m.id === "BTC-FUT-MAR26")!.apc).toBeUndefined();
    expect(stateHash(restore(JSON.parse(JSON.stringify(snap))))).toBe(d.engine.stateHash());
    const jsonl = formatEventLog(d.engine.log());
    expect(stateHash(replayEvents(parseEventLog(jsonl)))).toBe(d.engine.stateHash());
  });

  it("without an APC section the engine folds nothing and takes parameter changes at once", () => {
    const d = new ScenarioDriver(Date.UTC(2026, 0, 5), {
      ...demoConfig(),
      riskPolicy: { mode: "cross", params: demoRiskParams() },
    });
    expect(apcOf(d.price(60_000))).toEqual([]);
    d.deposit("alice/0", "30000");
    d.deposit("bob/0", "1000000");
    expect(d.trade("BTC-PERP", "alice/0", "bob/0", "1", "60000").status).toBe("accepted");
    d.accept({
      type: "update_risk_params",
      marketId: "BTC-PERP",
      initialMarginFraction: 0.3,
      maintenanceMarginFraction: 0.15,
    });
    // The parameter change now reaches the core policy (it used to change only the fallback).
    expect(d.engine.subaccount("alice/0")!.risk.initialMarginUsd).toBeCloseTo(18_000, 6);
  });
});
