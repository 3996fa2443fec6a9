import { describe, expect, it } from "vitest";
import { seededUniform } from "../src/core/hotpath/random-hotpath-venue.ts";
import { canonicalJson } from "../src/engine/canonical-json.ts";
import { checkConservation } from "../src/engine/check-conservation.ts";
import { createEngine, type RiskPath } from "../src/engine/create-engine.ts";
import { columnarRiskStats } from "../src/engine/hotpath/columnar-risk.ts";
import { measureEngineTicks } from "./engine-tick.ts";
import {
  ENGINE_BENCH_T0_MS,
  ENGINE_UNDERLYINGS,
  engineUnderlyingName,
  generateEngineBenchVenue,
} from "./engine-venue.ts";

/*
 * The engine bench venue (restored from a snapshot) run tick by tick on both risk paths: the
 * columnar path, auditing every holder it skips and every requirement it serves from the kernel
 * against the reference, must give the reference path's event log and state hash exactly. This is
 * the bench's own correctness check, on the venue the figures come from (options, portfolio mode,
 * the valuation clock, accumulating liquidations), scaled down.
 */

function run(riskPath: RiskPath, accounts: number, ticks: number, threads = 1) {
  const venue = generateEngineBenchVenue(accounts, 7, 1000);
  const engine = createEngine({
    snapshot: venue.snapshot,
    riskPath,
    auditRiskPath: riskPath === "columnar",
    // With threads, every re-margin list goes through the synchronous worker pool.
    ...(threads > 1 ? { remarginThreads: threads, remarginPoolMinList: 1 } : {}),
  });
  expect(checkConservation(engine.state()).ok).toBe(true);
  const rand = seededUniform(99);
  const prices = venue.snapshot.underlyings.map((u) => Number(u.markTicks) / 10_000);
  let atMs = ENGINE_BENCH_T0_MS;
  let liquidations = 0;
  const views: unknown[] = [];
  for (let k = 0; k < ticks; k++) {
    // The first pass visits every underlying; then random ones, with crashes.
    const u = k < ENGINE_UNDERLYINGS ? k : Math.floor(rand() * ENGINE_UNDERLYINGS);
    const move = k >= ENGINE_UNDERLYINGS && rand() < 0.2 ? -(0.05 + 0.1 * rand()) : (rand() - 0.5) * 0.01;
    prices[u] = prices[u]! * (1 + move);
    atMs += 150;
    const r = engine.submit({
      id: `o${k}`,
      atMs,
      type: "oracle_report",
      underlying: engineUnderlyingName(u),
      source: "feed",
      price: prices[u]!.toFixed(4),
      confidence: (prices[u]! * 0.001).toFixed(4),
      publishedAtMs: atMs,
    });
    expect(r.status).toBe("accepted");
    // A live view between ticks (the requirements path outside a sweep): recorded per path and
    // compared below; on the columnar path it is served from the kernel (and audited).
    const probe = venue.snapshot.subaccounts[Math.floor(rand() * accounts)]!.id;
    views.push(engine.subaccount(probe)!.risk);
    if (r.status === "accepted")
      liquidations += r.events.filter((e) => e.type === "liquidation_started").length;
  }
  expect(checkConservation(engine.state()).ok).toBe(true);
  engine.close();
  return {
    log: canonicalJson(engine.log()),
    hash: engine.stateHash(),
    liquidations,
    views,
    stats: columnarRiskStats(engine.state()),
  };
}

describe("engine bench venue", () => {
  it("gives the same event log and hash on both risk paths, with every skip and served requirement audited", () => {
    const reference = run("reference", 1_500, 120);
    const columnar = run("columnar", 1_500, 120);
    expect(reference.liquidations).toBeGreaterThan(20);
    expect(columnar.hash).toBe(reference.hash);
    expect(columnar.log).toBe(reference.log);
    expect(columnar.views).toEqual(reference.views);
    expect(columnar.stats!.skipped).toBeGreaterThan(10 * columnar.stats!.reviewed);
    expect(columnar.stats!.kernelRequirements).toBeGreaterThan(0);
    // Reviews took their whole risk from the columns, each audited bit for bit.
    expect(columnar.stats!.kernelRisks).toBeGreaterThan(0);
    // Valuation steps re-timed options whose holders were then refreshed on demand.
    expect(columnar.stats!.staleRefreshed).toBeGreaterThan(0);
    expect(columnar.stats!.referenceSweeps).toBe(0);
  }, 120_000);

  it("gives the same log and hash with the re-margin pass shared with a worker thread (synchronous pool)", () => {
    const reference = run("reference", 800, 80);
    const pooled = run("columnar", 800, 80, 2);
    expect(pooled.hash).toBe(reference.hash);
    expect(pooled.log).toBe(reference.log);
    expect(pooled.views).toEqual(reference.views);
    expect(pooled.stats!.skipped).toBeGreaterThan(0);
  }, 120_000);

  it("measures tick-to-liquidation through the engine (smoke run of the bench code)", () => {
    const r = measureEngineTicks({
      accounts: 2_000,
      ticks: 30,
      seed: 3,
      tickSpacingMs: 10,
      valuationIntervalMs: 1000,
    });
    expect(r.conservation_ok).toBe(true);
    expect(r.positions).toBeGreaterThan(7_000);
    expect(r.p99_ms).toBeGreaterThanOrEqual(r.p50_ms);
    expect(r.reference_sweeps).toBe(0);
    expect(r.holders_skipped).toBeGreaterThan(0);
  }, 120_000);
});
