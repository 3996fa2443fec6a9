/*
 * Tick-to-liquidation through the ENGINE (issue #8): the bench venue restored into an engine on
 * the columnar risk path (bench/engine-venue.ts), then oracle reports, one per tick, each moving
 * one random underlying (90% of ticks ±0.5%, 10% −5…−10%, as the kernel-level measurement in
 * bench/run.ts). Latency of one tick = `engine.submit(oracle_report)` from entry to return: the
 * report validated and applied, the mark moved, the columnar book and tick tables brought in
 * step, the holders of the underlying swept, and every `liquidation_started` event emitted and
 * applied. Runs in one thread, as the engine does (it is deterministic and single-writer).
 *
 * `node --import tsx bench/engine-tick.ts [--accounts N] [--ticks K] [--seed S] [--json]` runs it
 * alone; `npm run bench` runs it after the kernel-level figures.
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { seededUniform } from "../src/core/hotpath/random-hotpath-venue.ts";
import { checkConservation } from "../src/engine/check-conservation.ts";
import { createEngine } from "../src/engine/create-engine.ts";
import { columnarRiskStats } from "../src/engine/hotpath/columnar-risk.ts";
import {
  ENGINE_BENCH_T0_MS,
  ENGINE_UNDERLYINGS,
  engineUnderlyingName,
  generateEngineBenchVenue,
} from "./engine-venue.ts";

export interface EngineTickOptions {
  accounts: number;
  ticks: number;
  seed: number;
  /** Engine time between ticks, ms (the whole venue's tick rate is 1000 / this per second). */
  tickSpacingMs: number;
  /** The engine's valuation step (option time decay), ms; undefined: the exact clock. */
  valuationIntervalMs: number | undefined;
  /** Threads of the engine's re-margin pass (`remarginThreads`; 1: the engine's thread only). */
  threads?: number;
  progress?: (message: string) => void;
  /** Write a V8 CPU profile of the tick loop only to this path. */
  profile?: string;
}

function startProfile(): Session {
  const session = new Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.start");
  return session;
}

function stopProfile(session: Session, path: string): void {
  session.post("Profiler.stop", (error, result) => {
    if (error === null) writeFileSync(path, JSON.stringify(result.profile));
    session.disconnect();
  });
}

export interface EngineTickResult {
  accounts: number;
  positions: number;
  markets: number;
  generate_ms: number;
  restore_ms: number;
  conservation_ok: boolean;
  /** The first sweep after the restore builds the columnar mirror of every sub-account. */
  first_sweep_ms: number;
  /** Liquidations started by the warm-up (two rounds of one report per underlying), before the measured ticks. */
  warmup_liquidations: number;
  /** JS heap in use right after the full collection that precedes the second warm-up round, MB. */
  heap_used_mb: number;
  ticks: number;
  tick_spacing_ms: number;
  valuation_interval_ms: number | null;
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
  mean_ms: number;
  /** Ticks that crossed a valuation step (every option re-timed) and their latencies. */
  valuation_step_ticks: number;
  valuation_step_max_ms: number | null;
  /** Ticks that started at least one liquidation: count, p50 and max latency. */
  liquidating_ticks: number;
  liquidating_p50_ms: number | null;
  liquidating_max_ms: number | null;
  liquidations_started: number;
  max_liquidations_in_one_tick: number;
  /** Columnar screen counters over the ticks. */
  holders_skipped: number;
  holders_reviewed: number;
  requirements_from_kernel: number;
  reference_sweeps: number;
  /** The five slowest ticks: latency, liquidations started, whether they crossed a valuation step. */
  slowest_ticks: { ms: number; liquidations: number; valuationStep: boolean; underlying: string }[];
  threads: number;
  state_hash: string;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/** Forces a full collection (the bench measures an engine from a settled heap, not the generator's garbage). */
function collectGarbage(): void {
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}

/** Generates the venue and restores it into an engine; the generated snapshot is not kept. */
function restoreVenue(o: EngineTickOptions, say: (message: string) => void) {
  let t = performance.now();
  const venue = generateEngineBenchVenue(o.accounts, o.seed, o.valuationIntervalMs);
  const generateMs = performance.now() - t;
  say(
    `engine venue: ${o.accounts} traders, ${venue.positions} positions, ${venue.markets} markets (${generateMs.toFixed(0)} ms)`,
  );
  t = performance.now();
  const engine = createEngine({
    snapshot: venue.snapshot,
    keepLog: false,
    riskPath: "columnar",
    remarginThreads: o.threads ?? 1,
  });
  const restoreMs = performance.now() - t;
  const prices = Array.from({ length: ENGINE_UNDERLYINGS }, (_, u) => {
    const s = venue.snapshot.underlyings[u]!;
    return Number(s.markTicks) / 10_000;
  });
  return { engine, prices, positions: venue.positions, markets: venue.markets, generateMs, restoreMs };
}

export function measureEngineTicks(o: EngineTickOptions): EngineTickResult {
  const say = o.progress ?? (() => {});
  const threads = o.threads ?? 1;
  const venue = restoreVenue(o, say);
  const { engine, prices, generateMs, restoreMs } = venue;
  const conservationOk = checkConservation(engine.state()).ok;
  say(`restored in ${restoreMs.toFixed(0)} ms; conservation ${conservationOk ? "ok" : "BROKEN"}`);
  const rand = seededUniform(o.seed ^ 0x27d4eb2d);
  let id = 0;
  let atMs = ENGINE_BENCH_T0_MS;
  const report = (u: number, price: number) => {
    atMs += o.tickSpacingMs;
    const started = performance.now();
    const result = engine.submit({
      id: `o${id++}`,
      atMs,
      type: "oracle_report",
      underlying: engineUnderlyingName(u),
      source: "feed",
      price: price.toFixed(4),
      confidence: (price * 0.001).toFixed(4),
      publishedAtMs: atMs,
    });
    const ms = performance.now() - started;
    if (result.status !== "accepted") throw new Error(`oracle report rejected: ${JSON.stringify(result)}`);
    let liquidations = 0;
    for (const e of result.events) if (e.type === "liquidation_started") liquidations++;
    return { ms, liquidations };
  };
  // The first sweep builds the mirror (every row written from the exact state, a full re-margin).
  prices[0] = prices[0]! * 1.0001;
  const first = report(0, prices[0]!);
  say(`first sweep (mirror build): ${first.ms.toFixed(0)} ms`);
  // Warm-up: one report per underlying, so the sub-accounts generated below their MM are found
  // (and their liquidations started) before the measured ticks, which then see only new breaches.
  let warmupLiquidations = first.liquidations;
  for (let u = 1; u < ENGINE_UNDERLYINGS; u++) {
    prices[u] = prices[u]! * 1.0001;
    warmupLiquidations += report(u, prices[u]!).liquidations;
  }
  say(`warm-up: ${warmupLiquidations} sub-accounts generated below MM went into liquidation`);
  const heapBeforeGcMb = process.memoryUsage().heapUsed / 2 ** 20;
  collectGarbage();
  const heapMb = process.memoryUsage().heapUsed / 2 ** 20;
  // A second warm-up round after the collection, so that the measured ticks start warm.
  for (let u = 0; u < ENGINE_UNDERLYINGS; u++) {
    prices[u] = prices[u]! * 1.0001;
    warmupLiquidations += report(u, prices[u]!).liquidations;
  }
  say(
    `heap before the ticks: ${heapBeforeGcMb.toFixed(0)} MB, after a full collection ${heapMb.toFixed(0)} MB`,
  );
  const before = { ...columnarRiskStats(engine.state())! };
  const profiler = o.profile === undefined ? null : startProfile();
  const latencies: number[] = [];
  const detail: { ms: number; liquidations: number; valuationStep: boolean; underlying: string }[] = [];
  const liquidating: number[] = [];
  const stepLatencies: number[] = [];
  let liquidations = 0;
  let maxLiquidations = 0;
  for (let k = 0; k < o.ticks; k++) {
    const u = Math.floor(rand() * ENGINE_UNDERLYINGS);
    const move = rand() < 0.1 ? -(0.05 + 0.05 * rand()) : (rand() - 0.5) * 0.01;
    prices[u] = prices[u]! * (1 + move);
    const step = o.valuationIntervalMs ?? 1;
    const crossesStep = Math.floor(atMs / step) !== Math.floor((atMs + o.tickSpacingMs) / step);
    const r = report(u, prices[u]!);
    latencies.push(r.ms);
    detail.push({
      ms: r.ms,
      liquidations: r.liquidations,
      valuationStep: crossesStep,
      underlying: engineUnderlyingName(u),
    });
    if (crossesStep) stepLatencies.push(r.ms);
    if (r.liquidations > 0) liquidating.push(r.ms);
    liquidations += r.liquidations;
    maxLiquidations = Math.max(maxLiquidations, r.liquidations);
  }
  if (profiler !== null) stopProfile(profiler, o.profile!);
  const after = columnarRiskStats(engine.state())!;
  const hash = engine.stateHash();
  engine.close();
  const sorted = [...latencies].sort((a, b) => a - b);
  const liqSorted = [...liquidating].sort((a, b) => a - b);
  return {
    accounts: o.accounts,
    positions: venue.positions,
    markets: venue.markets,
    generate_ms: generateMs,
    restore_ms: restoreMs,
    conservation_ok: conservationOk && checkConservation(engine.state()).ok,
    first_sweep_ms: first.ms,
    warmup_liquidations: warmupLiquidations,
    heap_used_mb: heapMb,
    ticks: o.ticks,
    tick_spacing_ms: o.tickSpacingMs,
    valuation_interval_ms: o.valuationIntervalMs ?? null,
    p50_ms: percentile(sorted, 0.5),
    p99_ms: percentile(sorted, 0.99),
    max_ms: sorted[sorted.length - 1] ?? Number.NaN,
    mean_ms: latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length),
    valuation_step_ticks: stepLatencies.length,
    valuation_step_max_ms: stepLatencies.length === 0 ? null : Math.max(...stepLatencies),
    liquidating_ticks: liquidating.length,
    liquidating_p50_ms: liqSorted.length === 0 ? null : percentile(liqSorted, 0.5),
    liquidating_max_ms: liqSorted.length === 0 ? null : liqSorted[liqSorted.length - 1]!,
    liquidations_started: liquidations,
    max_liquidations_in_one_tick: maxLiquidations,
    holders_skipped: after.skipped - before.skipped,
    holders_reviewed: after.reviewed - before.reviewed,
    requirements_from_kernel: after.kernelRequirements - before.kernelRequirements,
    reference_sweeps: after.referenceSweeps - before.referenceSweeps,
    slowest_ticks: detail.sort((a, b) => b.ms - a.ms).slice(0, 5),
    threads,
    state_hash: hash,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      accounts: { type: "string", default: "1000000" },
      ticks: { type: "string", default: "200" },
      seed: { type: "string", default: "20261125" },
      spacing: { type: "string", default: "10" },
      valuation: { type: "string", default: "1000" },
      threads: { type: "string", default: "1" },
      json: { type: "boolean", default: false },
      profile: { type: "string" },
    },
  });
  const valuation = Number(values.valuation);
  const result = measureEngineTicks({
    accounts: Number(values.accounts),
    ticks: Number(values.ticks),
    seed: Number(values.seed),
    tickSpacingMs: Number(values.spacing),
    valuationIntervalMs: valuation > 0 ? valuation : undefined,
    threads: Number(values.threads),
    progress: (m) => process.stderr.write(`${m}\n`),
    ...(values.profile === undefined ? {} : { profile: values.profile }),
  });
  process.stdout.write(`${JSON.stringify(result, null, values.json ? 0 : 2)}\n`);
}
