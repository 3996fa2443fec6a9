import { afterEach, describe, expect, it } from "vitest";
import { demoConfigFull } from "./demo-config.ts";
import { rerunOnRiskPaths } from "./hotpath/rerun-on-risk-paths.ts";
import { auditCommand, runSimulation } from "./random-simulation.ts";
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
 * The seeded simulation with its auditor. The default run keeps a few seeds small enough for
 * the suite; MARGINAL_SIM_SCALE=10 (and MARGINAL_SIM_SEEDS=…) runs a larger one. A failure
 * message starts with "[seed N]": rerun with MARGINAL_SIM_SEEDS=N to reproduce it.
 */

const scale = Number(process.env.MARGINAL_SIM_SCALE ?? "1");
const seeds = (process.env.MARGINAL_SIM_SEEDS ?? "3,4,5").split(",").map(Number);

describe("seeded random simulation", () => {
  for (const seed of seeds) {
    it(`seed ${seed}: conservation, balances, IM ≥ MM ≥ 0 after every event; replay reproduces the hash`, () => {
      const report = runSimulation({
        seed,
        accounts: 2000 * scale,
        steps: 120 * scale,
        actionsPerStep: 20,
        audit: true,
        insuranceUsd: seed % 2 === 0 ? 0 : 20_000,
      });
      // The run must actually exercise the machinery it claims to test: fills on both perps,
      // liquidations (inverse ones too), timed-out auctions, BTC and USDC collateral, both modes.
      expect(report.eventCounts.trade_settled ?? 0, `[seed ${seed}]`).toBeGreaterThan(300);
      expect(report.eventCounts.liquidation_started ?? 0, `[seed ${seed}]`).toBeGreaterThan(0);
      expect(report.eventCounts.backstop_triggered ?? 0, `[seed ${seed}]`).toBeGreaterThan(0);
      const inverseClosures = report.log.filter(
        (e) => e.type === "trade_settled" && e.marketId === "BTC-INV-PERP" && e.kind !== "fill",
      );
      expect(inverseClosures.length, `[seed ${seed}] inverse liquidations`).toBeGreaterThan(0);
      const state = report.engine.state();
      expect(state.subaccounts.some((s) => s.mode === "isolated" && s.positions.size === 1)).toBe(true);
      expect(state.subaccounts.some((s) => (s.balances.get("BTC") ?? 0n) > 0n && s.positions.size > 0)).toBe(
        true,
      );
      console.info(
        `[seed ${seed}] ${report.events} events, ${report.commands} commands (${report.rejected} rejected), ` +
          `${Math.round(report.eventsPerSecond)} events/s with the per-event auditor`,
      );

      // Full replay from the JSONL text gives the same hash as the live engine.
      const parsed = parseEventLog(formatEventLog(report.log));
      expect(stateHash(replayEvents(parsed)), `[seed ${seed}] full replay`).toBe(report.finalHash);

      // Snapshot at the midpoint (through JSON) + the tail = the full log.
      const head = parsed.filter((e) => e.seq <= report.midpointSnapshotSeq);
      const tail = parsed.filter((e) => e.seq > report.midpointSnapshotSeq);
      const snap = JSON.parse(JSON.stringify(snapshot(replayEvents(head))));
      expect(stateHash(replayEvents(tail, restore(snap))), `[seed ${seed}] snapshot + tail`).toBe(
        report.finalHash,
      );
    });
  }

  it("holds the same invariants with the core margin policy wired in (cross and portfolio)", () => {
    for (const policy of ["cross", "portfolio"] as const) {
      const report = runSimulation({
        seed: 11,
        accounts: 300,
        steps: 60,
        actionsPerStep: 15,
        audit: true,
        insuranceUsd: 5_000,
        policy,
      });
      expect(report.eventCounts.trade_settled ?? 0, `[seed 11 ${policy}]`).toBeGreaterThan(100);
      expect(stateHash(replayEvents(report.log)), `[seed 11 ${policy}]`).toBe(report.finalHash);
    }
  });

  it("holds the original invariants on the USDC-only venue (no inverse perp, no modes, no backstop)", () => {
    const report = runSimulation({
      seed: 1,
      accounts: 1000,
      steps: 80,
      actionsPerStep: 20,
      audit: true,
      insuranceUsd: 20_000,
      full: false,
    });
    expect(report.eventCounts.liquidation_started ?? 0, "[seed 1 USDC-only]").toBeGreaterThan(0);
    expect(report.eventCounts.backstop_triggered ?? 0).toBe(0);
    expect(stateHash(replayEvents(report.log)), "[seed 1 USDC-only]").toBe(report.finalHash);
  });

  it("the auditor allows a negative USDC balance backed by BTC collateral, and fails without it", () => {
    const d = new ScenarioDriver(Date.UTC(2026, 0, 5), demoConfigFull());
    d.price(60_000);
    d.deposit("alice/0", "1", "BTC");
    d.deposit("bob/0", "1000000");
    expect(d.trade("BTC-PERP", "alice/0", "bob/0", "1", "60000").status).toBe("accepted");
    d.wait(120_000);
    d.price(57_000);
    // alice closes at a 3 000 USDC loss: USDC −3 000, but 1 BTC × 57 000 × 0.9 = 51 300 backs it.
    const close = d.trade("BTC-PERP", "bob/0", "alice/0", "1", "57000");
    expect(close.status).toBe("accepted");
    const events = close.status === "accepted" ? close.events : [];
    expect(d.engine.subaccount("alice/0")!.balances.USDC).toBe(-3_000_000_000n);
    expect(() => auditCommand(d.engine.state(), 0, events)).not.toThrow();
    // Take the BTC away behind the engine's back: the same balance is now a broken invariant.
    d.engine.state().subaccounts[0]!.balances.set("BTC", 1n);
    expect(() => auditCommand(d.engine.state(), 42, events)).toThrow(/\[seed 42\] negative USDC balance/);
  });

  it("is deterministic: the same seed gives the same hash, another seed a different one", () => {
    const options = { accounts: 200, steps: 40, actionsPerStep: 10, audit: false, insuranceUsd: 1_000 };
    const a = runSimulation({ seed: 7, ...options });
    const b = runSimulation({ seed: 7, ...options });
    const c = runSimulation({ seed: 8, ...options });
    expect(a.finalHash).toBe(b.finalHash);
    expect(a.events).toBe(b.events);
    expect(c.finalHash).not.toBe(a.finalHash);
  });
});
