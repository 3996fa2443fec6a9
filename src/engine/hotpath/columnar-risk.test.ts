import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../canonical-json.ts";
import { createEngine } from "../create-engine.ts";
import { runSimulation, type SimulationOptions } from "../random-simulation.ts";
import { replayEvents } from "../replay.ts";
import { restore, snapshot } from "../snapshot.ts";
import { stateHash } from "../state-hash.ts";
import { columnarRiskStats } from "./columnar-risk.ts";

/*
 * Equivalence of the two risk paths: the same seeded simulation on the reference path and on the
 * columnar path (with the audit that recomputes every skipped holder with the object code) must
 * give the identical event log and state hash, and the columnar screen must actually have skipped
 * holders (a screen that never skips would pass trivially). Failures print the seed.
 */

function bothPaths(options: Omit<SimulationOptions, "riskPath" | "auditRiskPath">) {
  const reference = runSimulation({ ...options, riskPath: "reference" });
  const columnar = runSimulation({ ...options, riskPath: "columnar", auditRiskPath: true });
  return { reference, columnar, stats: columnarRiskStats(columnar.engine.state())! };
}

function expectSame(label: string, r: ReturnType<typeof bothPaths>): void {
  expect(r.columnar.log.length, label).toBe(r.reference.log.length);
  expect(canonicalJson(r.columnar.log), label).toBe(canonicalJson(r.reference.log));
  expect(r.columnar.finalHash, label).toBe(r.reference.finalHash);
}

describe("columnar risk path", () => {
  it("gives the reference's event log and hash on the full venue without a policy (static fractions)", () => {
    for (const seed of [3, 4]) {
      const r = bothPaths({
        seed,
        accounts: 400,
        steps: 60,
        actionsPerStep: 15,
        audit: false,
        insuranceUsd: seed % 2 === 0 ? 0 : 20_000,
      });
      const label = `[seed ${seed}]`;
      expectSame(label, r);
      expect(r.reference.eventCounts.liquidation_started ?? 0, label).toBeGreaterThan(0);
      expect(r.stats.screenedSweeps, label).toBeGreaterThan(0);
      expect(r.stats.skipped, label).toBeGreaterThan(r.stats.reviewed - r.stats.ineligible);
      console.info(
        `${label} static: ${r.stats.screenedSweeps} screened / ${r.stats.referenceSweeps} reference sweeps, ` +
          `${r.stats.skipped} skipped, ${r.stats.reviewed} reviewed (${r.stats.ineligible} not covered), ${r.stats.idle} idle; audit max |Δequity| ` +
          `${r.stats.maxEquityDiffUsd.toExponential(2)} USD, |ΔMM| ${r.stats.maxMaintenanceDiffUsd.toExponential(2)} USD`,
      );
    }
  });

  it("gives the reference's event log and hash with the core policy (cross and portfolio)", () => {
    for (const policy of ["cross", "portfolio"] as const) {
      const r = bothPaths({
        seed: 11,
        accounts: 300,
        steps: 60,
        actionsPerStep: 15,
        audit: false,
        insuranceUsd: 5_000,
        policy,
      });
      const label = `[seed 11 ${policy}]`;
      expectSame(label, r);
      expect(r.stats.screenedSweeps, label).toBeGreaterThan(0);
      expect(r.stats.skipped, label).toBeGreaterThan(0);
      // Reviews of live sub-accounts took their requirements from the kernel (each one audited
      // bit for bit against computeSubaccountMargin).
      expect(r.stats.kernelRequirements, label).toBeGreaterThan(0);
      // …and whole risks (equity, notional, requirements) from the mirror's columns, whose
      // equality with the reference shows in the liquidation events' equity figures.
      expect(r.stats.kernelRisks, label).toBeGreaterThan(0);
      console.info(
        `${label}: ${r.stats.skipped} skipped, ${r.stats.reviewed} reviewed, ${r.stats.kernelRequirements} requirements from the kernel; audit max |Δequity| ` +
          `${r.stats.maxEquityDiffUsd.toExponential(2)} USD, |ΔMM| ${r.stats.maxMaintenanceDiffUsd.toExponential(2)} USD`,
      );
    }
  });

  it("gives the reference's log on the USDC-only venue", () => {
    const r = bothPaths({
      seed: 1,
      accounts: 300,
      steps: 60,
      actionsPerStep: 15,
      audit: false,
      insuranceUsd: 20_000,
      full: false,
    });
    expectSame("[seed 1 USDC-only]", r);
    expect(r.stats.skipped).toBeGreaterThan(0);
  });

  it("property: any seed, any policy, gives the same log and hash on both paths", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.constantFrom("engine", "cross", "portfolio") as fc.Arbitrary<"engine" | "cross" | "portfolio">,
        (seed, policy) => {
          const r = bothPaths({
            seed,
            accounts: 60,
            steps: 25,
            actionsPerStep: 8,
            audit: false,
            insuranceUsd: 2_000,
            policy,
          });
          expectSame(`[seed ${seed} ${policy}]`, r);
        },
      ),
      { numRuns: 6, seed: 20261125 },
    );
  });

  it("rebuilds the mirror after a restore and replay (derived state, not in the hash)", () => {
    const run = runSimulation({
      seed: 5,
      accounts: 200,
      steps: 40,
      actionsPerStep: 10,
      audit: false,
      insuranceUsd: 0,
    });
    const mid = run.midpointSnapshotSeq;
    const head = run.log.filter((e) => e.seq <= mid);
    const tail = run.log.filter((e) => e.seq > mid);
    const snap = snapshot(replayEvents(head));
    const restored = createEngine({ snapshot: snap, events: tail, riskPath: "columnar" });
    expect(restored.stateHash()).toBe(run.finalHash);
    expect(stateHash(restore(snap))).toBe(stateHash(replayEvents(head)));
  });
});
