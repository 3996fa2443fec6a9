/*
 * `npm run bench [-- --json] [-- --accounts N] [--repeats R] [--threads T] [--ticks K] [--seed S]`
 *
 * Re-margins a seeded synthetic venue (bench/synthetic-venue.ts; 1,000,000 sub-accounts by
 * default) and reports, from one process run, medians of repeated runs of: the columnar full
 * pass (one thread and a worker pool), the incremental pass after one market moves, the naive
 * object version, the memory bound (a plain sum over the bytes the full pass reads), the NumPy
 * peer on the same bytes, Black-76 price + Greeks for 1,000,000 options against NumPy/SciPy,
 * oracle-tick-to-liquidation latency percentiles and resident bytes per position. Not a test.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { accountView } from "../src/core/hotpath/account-view.ts";
import {
  buildHolderIndex,
  clearTickChanges,
  collectAffectedSubaccounts,
} from "../src/core/hotpath/holder-index.ts";
import { createMarginColumns, type MarginColumns } from "../src/core/hotpath/margin-columns.ts";
import { seededUniform } from "../src/core/hotpath/random-hotpath-venue.ts";
import { createRemarginKernel } from "../src/core/hotpath/remargin-kernel.ts";
import { streamBookSum } from "../src/core/hotpath/stream-sum.ts";
import { prepareTickTables, updateTickTables } from "../src/core/hotpath/tick-tables.ts";
import { float64Column, int32Column, uint8Column } from "../src/core/hotpath/typed-columns.ts";
import { computeSubaccountMargin } from "../src/core/margin/compute-subaccount-margin.ts";
import {
  BATCH_CALL,
  BATCH_PUT,
  type Black76BatchInputs,
  black76Batch,
} from "../src/core/pricing/black76-batch.ts";
import { createRemarginPool } from "../src/engine/hotpath/remargin-pool.ts";
import { createRemarginSession } from "../src/engine/hotpath/remargin-session.ts";
import type { EngineTickOptions, EngineTickResult } from "./engine-tick.ts";
import { exportVenue } from "./export-venue.ts";
import { type NaiveResult, naiveAccounts, naiveMarkets, naiveRemargin } from "./naive-remargin.ts";
import {
  BENCH_RHO,
  generateBenchVenue,
  moveUnderlying,
  OPTION_UNDERLYINGS,
  UNDERLYINGS,
} from "./synthetic-venue.ts";

const PYTHON = "/usr/bin/python3";
/** This module's directory: bench/, or bench/.build/ when `npm run bench` runs the bundle. */
const HERE = dirname(fileURLToPath(import.meta.url));
/** Run as the esbuild bundle of `scripts/build.mjs bench` (plain Node), not under the tsx loader. */
const COMPILED = import.meta.url.endsWith(".mjs");
/** bench/, where the NumPy peer lives. */
const BENCH_DIR = COMPILED ? join(HERE, "..") : HERE;

const { values } = parseArgs({
  options: {
    json: { type: "boolean", default: false },
    accounts: { type: "string", default: "1000000" },
    repeats: { type: "string", default: "5" },
    threads: { type: "string", default: "2" },
    ticks: { type: "string", default: "200" },
    seed: { type: "string", default: "20261125" },
    options: { type: "string", default: "1000000" },
    "engine-ticks": { type: "string", default: "200" },
  },
});

function positiveInt(name: string, text: string, max: number): number {
  const n = Number(text);
  if (!(Number.isInteger(n) && n >= 1 && n <= max)) {
    process.stderr.write(`--${name}: must be an integer in [1, ${max}]\n`);
    process.exit(1);
  }
  return n;
}

const accounts = positiveInt("accounts", values.accounts ?? "", 5_000_000);
const repeats = positiveInt("repeats", values.repeats ?? "", 100);
const threads = positiveInt("threads", values.threads ?? "", 64);
const ticks = positiveInt("ticks", values.ticks ?? "", 100_000);
const seed = positiveInt("seed", values.seed ?? "", 2 ** 31 - 1);
const optionCount = positiveInt("options", values.options ?? "", 10_000_000);
const engineTicks = positiveInt("engine-ticks", values["engine-ticks"] ?? "", 100_000);

/** bench/engine-tick.ts in a child process (same Node flags), its progress relayed to stderr. */
function measureEngineTicksInChild(o: EngineTickOptions): EngineTickResult {
  const script = join(HERE, `engine-tick${COMPILED ? ".mjs" : ".ts"}`);
  const run = spawnSync(
    process.execPath,
    [
      ...process.execArgv,
      script,
      "--json",
      "--accounts",
      String(o.accounts),
      "--ticks",
      String(o.ticks),
      "--seed",
      String(o.seed),
      "--spacing",
      String(o.tickSpacingMs),
      "--valuation",
      String(o.valuationIntervalMs ?? 0),
      "--threads",
      String(o.threads ?? 1),
    ],
    { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 64 * 2 ** 20 },
  );
  if (run.status !== 0) throw new Error(`bench/engine-tick.ts failed (exit ${run.status ?? run.signal})`);
  return JSON.parse(run.stdout) as EngineTickResult;
}
const log = (s: string) => {
  if (!values.json) process.stderr.write(`${s}\n`);
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

/** Fastest run of each timed figure (the least disturbed by the other load on the machine). */
const minima: Record<string, number> = {};

function timeMs(fn: () => void, times: number, name?: string): number {
  const t: number[] = [];
  for (let r = 0; r < times; r++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  if (name !== undefined) minima[name] = Math.min(...t);
  return median(t);
}

async function timeMsAsync(fn: () => Promise<void>, times: number): Promise<number> {
  const t: number[] = [];
  for (let r = 0; r < times; r++) {
    const t0 = performance.now();
    await fn();
    t.push(performance.now() - t0);
  }
  return median(t);
}

function totals(out: MarginColumns, n: number) {
  let equity = 0;
  let im = 0;
  let mm = 0;
  let liq = 0;
  for (let a = 0; a < n; a++) {
    equity += out.results[a * 4]!;
    im += out.results[a * 4 + 1]!;
    mm += out.results[a * 4 + 2]!;
    liq += out.liquidatable[a]!;
  }
  return { equity_usd: equity, initial_margin_usd: im, maintenance_margin_usd: mm, liquidatable: liq };
}

function relDiff(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(1e-300, Math.abs(b));
}

/** The option batch: seeded forwards, strikes, expiries and vols (rate 0.03). */
function optionBatch(n: number): Black76BatchInputs {
  const rand = seededUniform(seed ^ 0x0b1ac76);
  const kind = uint8Column(n, true);
  const forward = float64Column(n, true);
  const strike = float64Column(n, true);
  const expiryYears = float64Column(n, true);
  const vol = float64Column(n, true);
  const rate = float64Column(n, true);
  for (let i = 0; i < n; i++) {
    kind[i] = rand() < 0.5 ? BATCH_CALL : BATCH_PUT;
    forward[i] = 100;
    strike[i] = 60 + 80 * rand();
    expiryYears[i] = 0.02 + 2 * rand();
    vol[i] = 0.2 + rand();
    rate[i] = 0.03;
  }
  return { kind, forward, strike, expiryYears, vol, rate };
}

async function main(): Promise<void> {
  const rss0 = process.memoryUsage().rss;
  log(`generating ${accounts} sub-accounts (seed ${seed})…`);
  const t0 = performance.now();
  const venue = generateBenchVenue(accounts, seed);
  const { universe, book, params } = venue;
  const generateMs = performance.now() - t0;
  const tPrep = performance.now();
  const tables = prepareTickTables(universe, venue.market, true);
  const prepMs = performance.now() - tPrep;
  clearTickChanges(tables);
  const out = createMarginColumns(accounts, true);
  const index = buildHolderIndex(universe, book);
  const kernel = createRemarginKernel(universe);
  kernel.runRange(book, tables, out, 0, accounts);
  const rss1 = process.memoryUsage().rss;
  const positions = venue.positions;
  const bookBytes =
    book.posStart.byteLength +
    book.posCount.byteLength +
    book.posCapacity.byteLength +
    book.mode.byteLength +
    book.paramSet.byteLength +
    book.imMultiplier.byteLength +
    book.imMultiplied.byteLength +
    book.collateral.byteLength +
    book.posInstrument.byteLength +
    book.posSize.byteLength +
    book.posEntryUsd.byteLength;
  const resultBytes = 4 * 8 * accounts + accounts;
  const indexBytes = index.holders.byteLength + index.assetHolders.byteLength;
  log(
    `  ${positions} positions, generated in ${generateMs.toFixed(0)} ms, tick tables in ${prepMs.toFixed(1)} ms`,
  );

  // full (one thread)
  const fullMs = timeMs(() => kernel.runRange(book, tables, out, 0, accounts), repeats, "full");
  const kernelTotals = totals(out, accounts);
  log(`full: ${fullMs.toFixed(2)} ms`);

  // full (worker pool)
  const pool = await createRemarginPool(universe, threads);
  const parallelOut = createMarginColumns(accounts, true);
  await pool.runFull(book, tables, parallelOut);
  const fullParallelMs = await timeMsAsync(() => pool.runFull(book, tables, parallelOut), repeats);
  let parallelIdentical = true;
  for (let a = 0; a < accounts; a++)
    if (
      !Object.is(parallelOut.results[a * 4 + 1], out.results[a * 4 + 1]) ||
      !Object.is(parallelOut.results[a * 4], out.results[a * 4])
    )
      parallelIdentical = false;
  log(`full (${threads} threads): ${fullParallelMs.toFixed(2)} ms, bit-identical: ${parallelIdentical}`);

  // Incremental passes are short: more repeats for a steadier median on a shared machine.
  const incrementalRepeats = 3 * repeats;
  // incremental: one perp market without options moves; only its holders are re-margined.
  const affected = int32Column(accounts, true);
  const marks = new Uint8Array(accounts);
  const moved = OPTION_UNDERLYINGS + 7;
  const only = new Uint8Array(universe.underlyingCount);
  only[moved] = 1;
  let incAffected = 0;
  let market = venue.market;
  const incTimes: number[] = [];
  for (let r = 0; r < incrementalRepeats; r++) {
    market = moveUnderlying(market, moved, r % 2 === 0 ? 1.01 : 1 / 1.01);
    const s = performance.now();
    updateTickTables(universe, tables, market, only);
    incAffected = collectAffectedSubaccounts(index, tables, marks, affected);
    clearTickChanges(tables);
    kernel.runList(book, tables, out, affected, 0, incAffected);
    incTimes.push(performance.now() - s);
  }
  const incrementalMs = median(incTimes);
  minima.incremental = Math.min(...incTimes);
  // Incremental on an option underlying (its 200 options revalued on every grid point).
  const onlyOpt = new Uint8Array(universe.underlyingCount);
  onlyOpt[0] = 1;
  const incOptTimes: number[] = [];
  let incOptAffected = 0;
  for (let r = 0; r < incrementalRepeats; r++) {
    market = moveUnderlying(market, 0, r % 2 === 0 ? 1.01 : 1 / 1.01);
    const s = performance.now();
    updateTickTables(universe, tables, market, onlyOpt);
    incOptAffected = collectAffectedSubaccounts(index, tables, marks, affected);
    clearTickChanges(tables);
    kernel.runList(book, tables, out, affected, 0, incOptAffected);
    incOptTimes.push(performance.now() - s);
  }
  const incrementalOptionMs = median(incOptTimes);
  log(
    `incremental: ${incrementalMs.toFixed(2)} ms (${incAffected} sub-accounts); on an option underlying ${incrementalOptionMs.toFixed(2)} ms (${incOptAffected})`,
  );
  // Back to the original market for the comparisons below.
  updateTickTables(universe, tables, venue.market);
  clearTickChanges(tables);
  kernel.runRange(book, tables, out, 0, accounts);

  // stream: the memory bound, a plain sum over every byte the full pass reads.
  const rows = book.positionRowsUsed;
  let sink = 0;
  const streamMs = timeMs(
    () => {
      sink += streamBookSum(book, 0, accounts, 0, rows);
    },
    repeats,
    "stream",
  );
  // The same bound on the worker pool, for the multi-threaded full pass.
  await pool.streamSum(book, rows);
  const streamParallelMs = await timeMsAsync(async () => {
    sink += await pool.streamSum(book, rows);
  }, repeats);
  log(`stream: ${streamMs.toFixed(2)} ms (1 thread), ${streamParallelMs.toFixed(2)} ms (${threads} threads)`);

  // naive: objects and a Map.
  const objects = naiveAccounts(universe, book);
  const marketMap = naiveMarkets(universe, tables);
  let naiveResults: NaiveResult[] = [];
  const naiveMs = timeMs(
    () => {
      naiveResults = objects.map((a) => naiveRemargin(a, marketMap, BENCH_RHO));
    },
    Math.min(repeats, 3),
    "naive",
  );
  const naiveTotals = naiveResults.reduce(
    (t, r) => ({
      equity_usd: t.equity_usd + r.equityUsd,
      initial_margin_usd: t.initial_margin_usd + r.initialMarginUsd,
      maintenance_margin_usd: t.maintenance_margin_usd + r.maintenanceMarginUsd,
      liquidatable: t.liquidatable + (r.liquidatable ? 1 : 0),
    }),
    { equity_usd: 0, initial_margin_usd: 0, maintenance_margin_usd: 0, liquidatable: 0 },
  );
  objects.length = 0;
  log(`naive: ${naiveMs.toFixed(2)} ms`);

  // reference: the object implementation of the margin policies on a sample (timed per account).
  const sample = Math.min(accounts, 20_000);
  const refStart = performance.now();
  for (let a = 0; a < sample; a++)
    computeSubaccountMargin(params, venue.market, accountView(universe, book, a), {
      liquidationPrices: false,
    });
  const referenceUsPerAccount = ((performance.now() - refStart) * 1000) / sample;
  log(`reference: ${referenceUsPerAccount.toFixed(1)} µs per sub-account (sample of ${sample})`);

  // options: price + Greeks for the batch.
  const batch = optionBatch(optionCount);
  const greekColumns = () => ({
    price: float64Column(optionCount, true),
    delta: float64Column(optionCount, true),
    gamma: float64Column(optionCount, true),
    vega: float64Column(optionCount, true),
    theta: float64Column(optionCount, true),
    rho: float64Column(optionCount, true),
    vanna: float64Column(optionCount, true),
    volga: float64Column(optionCount, true),
  });
  const greeks = greekColumns();
  black76Batch(batch, greeks);
  const optionsSingleMs = timeMs(() => black76Batch(batch, greeks), repeats);
  const greeksParallel = greekColumns();
  await pool.priceOptions(batch, greeksParallel);
  const optionsParallelMs = await timeMsAsync(() => pool.priceOptions(batch, greeksParallel), repeats);
  let optionsIdentical = true;
  for (let i = 0; i < optionCount; i++)
    if (
      !Object.is(greeks.price[i], greeksParallel.price[i]) ||
      !Object.is(greeks.vega[i], greeksParallel.vega[i])
    )
      optionsIdentical = false;
  const optionsMs = Math.min(optionsSingleMs, optionsParallelMs);
  let optionPriceSum = 0;
  for (let i = 0; i < optionCount; i++) optionPriceSum += greeks.price[i]!;
  log(
    `options: ${optionsSingleMs.toFixed(2)} ms (1 thread), ${optionsParallelMs.toFixed(2)} ms (${threads} threads)`,
  );

  // numpy: same bytes, memory-mapped.
  let numpy: Record<string, unknown> | null = null;
  let numpyReason: string | null = null;
  const probe = existsSync(PYTHON)
    ? spawnSync(PYTHON, ["-c", "import numpy, scipy"], { encoding: "utf8" })
    : null;
  if (probe === null) numpyReason = `${PYTHON} not found`;
  else if (probe.status !== 0)
    numpyReason = `numpy/scipy not importable by ${PYTHON}: ${probe.stderr.trim().split("\n").pop()}`;
  else {
    const dir = mkdtempSync(join(tmpdir(), "marginal-bench-"));
    try {
      const meta = exportVenue(dir, venue, tables, batch);
      log("numpy: running bench/numpy_remargin.py…");
      const script = join(BENCH_DIR, "numpy_remargin.py");
      const run = spawnSync(PYTHON, [script, meta, String(repeats)], {
        encoding: "utf8",
        maxBuffer: 1 << 24,
      });
      if (run.status === 0) numpy = JSON.parse(run.stdout) as Record<string, unknown>;
      else numpyReason = `numpy_remargin.py failed: ${run.stderr.trim().split("\n").pop()}`;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const numpyMs = numpy === null ? null : (numpy.numpy_ms as number);
  const optionsNumpyMs = numpy === null ? null : (numpy.options_numpy_ms as number);
  const numpyTotals = numpy === null ? null : (numpy.totals as Record<string, number>);
  log(`numpy: ${numpyMs === null ? `null (${numpyReason})` : `${numpyMs.toFixed(2)} ms`}`);

  // tick-to-liquidation: oracle report in → liquidation signals out, one underlying per tick;
  // once with the re-margin on this thread and once spread over the worker pool.
  async function measureTicks(parallel: boolean) {
    const session = createRemarginSession(universe, book, venue.market, parallel);
    session.full();
    const rand = seededUniform(seed ^ 0x71c4);
    const latencies: number[] = [];
    let liquidations = 0;
    let affectedSum = 0;
    let m = venue.market;
    const tickOnly = new Uint8Array(universe.underlyingCount);
    for (let t = 0; t < ticks; t++) {
      const u = Math.floor(rand() * UNDERLYINGS);
      // Mostly small moves, now and then a 5–10% drop: the ticks that liquidate.
      const move = rand() < 0.1 ? 1 - (0.05 + 0.05 * rand()) : 1 + (rand() - 0.5) * 0.01;
      const s = performance.now();
      m = moveUnderlying(m, u, move);
      tickOnly.fill(0);
      tickOnly[u] = 1;
      const signals = parallel ? await session.tickParallel(m, tickOnly, pool) : session.tick(m, tickOnly);
      latencies.push(performance.now() - s);
      liquidations += signals.length;
      affectedSum += session.lastAffected;
    }
    return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), liquidations, affectedSum };
  }
  const tickSingle = await measureTicks(false);
  const tickParallel = await measureTicks(true);
  const best = tickParallel.p99 <= tickSingle.p99 ? tickParallel : tickSingle;
  const p50 = best.p50;
  const p99 = best.p99;
  const liquidations = best.liquidations;
  const tickAffected = best.affectedSum;
  log(
    `tick-to-liquidation: 1 thread p50 ${tickSingle.p50.toFixed(2)} / p99 ${tickSingle.p99.toFixed(2)} ms; ${threads} threads p50 ${tickParallel.p50.toFixed(2)} / p99 ${tickParallel.p99.toFixed(2)} ms (${liquidations} liquidations over ${ticks} ticks)`,
  );
  await pool.close();

  // tick-to-liquidation through the engine: the same venue shape restored into an engine
  // (columnar risk path, 1 s valuation step, `--threads` re-margin threads), one oracle report
  // per tick, report in → the liquidation events out (bench/engine-tick.ts).
  // It runs in a process of its own, as an engine does: this process's heap holds the kernel
  // venue and the naive peer's million objects, which an engine's young-generation collections
  // would otherwise have to wade through.
  const engineTick = measureEngineTicksInChild({
    accounts,
    ticks: engineTicks,
    seed,
    tickSpacingMs: 10,
    valuationIntervalMs: 1000,
    threads,
  });
  log(
    `engine tick-to-liquidation: p50 ${engineTick.p50_ms.toFixed(2)} / p99 ${engineTick.p99_ms.toFixed(2)} ms (${engineTick.liquidations_started} liquidations over ${engineTick.ticks} ticks)`,
  );

  const result = {
    accounts,
    positions,
    seed,
    threads,
    repeats,
    instruments: universe.instrumentCount,
    full_ms: fullMs,
    full_parallel_ms: fullParallelMs,
    parallel_bit_identical: parallelIdentical,
    incremental_ms: incrementalMs,
    incremental_affected: incAffected,
    incremental_option_underlying_ms: incrementalOptionMs,
    incremental_option_underlying_affected: incOptAffected,
    naive_ms: naiveMs,
    reference_us_per_account: referenceUsPerAccount,
    reference_sample: sample,
    stream_ms: streamMs,
    stream_parallel_ms: streamParallelMs,
    numpy_ms: numpyMs,
    numpy_prep_ms: numpy === null ? null : (numpy.numpy_prep_ms as number),
    numpy_reason: numpyReason,
    tick_tables_ms: prepMs,
    options: optionCount,
    options_ms: optionsMs,
    options_numpy_ms: optionsNumpyMs,
    options_single_ms: optionsSingleMs,
    options_parallel_ms: optionsParallelMs,
    options_parallel_bit_identical: optionsIdentical,
    // Through the engine: oracle_report submitted → its liquidation_started events applied.
    tick_to_liquidation_p50_ms: engineTick.p50_ms,
    tick_to_liquidation_p99_ms: engineTick.p99_ms,
    tick_to_liquidation_ticks: engineTick.ticks,
    tick_to_liquidation_liquidations: engineTick.liquidations_started,
    engine_tick: engineTick,
    // The kernel alone (new market → remargin session → newly liquidatable list), for reference.
    tick_to_liquidation_kernel_p50_ms: p50,
    tick_to_liquidation_kernel_p99_ms: p99,
    tick_to_liquidation_kernel_path: best === tickParallel ? `${threads} threads` : "1 thread",
    tick_to_liquidation_kernel_single_p50_ms: tickSingle.p50,
    tick_to_liquidation_kernel_single_p99_ms: tickSingle.p99,
    tick_to_liquidation_kernel_parallel_p50_ms: tickParallel.p50,
    tick_to_liquidation_kernel_parallel_p99_ms: tickParallel.p99,
    tick_to_liquidation_kernel_ticks: ticks,
    tick_to_liquidation_kernel_liquidations: liquidations,
    tick_mean_affected: tickAffected / ticks,
    bytes_per_position: (rss1 - rss0) / positions,
    book_bytes_per_position: (bookBytes + resultBytes + indexBytes) / positions,
    minima_ms: { ...minima, numpy: numpy === null ? null : (numpy.numpy_min_ms as number) },
    ratios_of_minima: {
      naive_over_full: minima.naive! / minima.full!,
      numpy_over_full: numpy === null ? null : (numpy.numpy_min_ms as number) / minima.full!,
      full_over_stream: minima.full! / minima.stream!,
      incremental_over_full: minima.incremental! / minima.full!,
    },
    ratios: {
      naive_over_full: naiveMs / fullMs,
      numpy_over_full: numpyMs === null ? null : numpyMs / fullMs,
      full_over_stream: fullMs / streamMs,
      full_parallel_over_stream_parallel: fullParallelMs / streamParallelMs,
      incremental_over_full: incrementalMs / fullMs,
      options_numpy_over_options: optionsNumpyMs === null ? null : optionsNumpyMs / optionsMs,
    },
    checks: {
      kernel_totals: kernelTotals,
      naive_im_rel_diff: relDiff(naiveTotals.initial_margin_usd, kernelTotals.initial_margin_usd),
      naive_equity_rel_diff: relDiff(naiveTotals.equity_usd, kernelTotals.equity_usd),
      naive_liquidatable: naiveTotals.liquidatable,
      numpy_totals: numpyTotals,
      numpy_im_rel_diff:
        numpyTotals === null
          ? null
          : relDiff(numpyTotals.initial_margin_usd!, kernelTotals.initial_margin_usd),
      numpy_mm_rel_diff:
        numpyTotals === null
          ? null
          : relDiff(numpyTotals.maintenance_margin_usd!, kernelTotals.maintenance_margin_usd),
      numpy_equity_rel_diff:
        numpyTotals === null ? null : relDiff(numpyTotals.equity_usd!, kernelTotals.equity_usd),
      option_price_sum: optionPriceSum,
      option_price_rel_diff:
        numpyTotals?.option_price_sum === undefined || numpyTotals.option_price_sum === null
          ? null
          : relDiff(numpyTotals.option_price_sum, optionPriceSum),
    },
    machine: {
      node: process.version,
      cpus: (await import("node:os")).cpus().length,
      platform: process.platform,
      // "bundle": compiled by `scripts/build.mjs bench`, plain Node; "tsx": under the tsx loader.
      build: COMPILED ? "bundle" : "tsx",
    },
    sink: sink === 0 ? 0 : 1,
  };
  if (values.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const r = result.ratios;
  const f = (x: number | null, d = 2) => (x === null ? "null" : x.toFixed(d));
  const lines: [string, string, string][] = [
    ["full (1 thread)", `${f(fullMs)} ms`, ""],
    [`full (${threads} threads)`, `${f(fullParallelMs)} ms`, `bit-identical ${parallelIdentical}`],
    [
      "incremental",
      `${f(incrementalMs)} ms`,
      `${f(r.incremental_over_full, 3)} of full (target ≤ 0.2), ${incAffected} sub-accounts`,
    ],
    ["naive", `${f(naiveMs)} ms`, `${f(r.naive_over_full, 1)}× full (target ≥ 5×)`],
    ["stream", `${f(streamMs)} ms`, `full is ${f(r.full_over_stream, 1)}× the bound (target ≤ 3×)`],
    [
      `stream (${threads} threads)`,
      `${f(streamParallelMs)} ms`,
      `full on ${threads} threads is ${f(r.full_parallel_over_stream_parallel, 1)}× it`,
    ],
    [
      "numpy",
      `${f(numpyMs)} ms`,
      numpyMs === null ? String(numpyReason) : `${f(r.numpy_over_full, 1)}× full (target ≥ 5×)`,
    ],
    [
      "options",
      `${f(optionsMs)} ms`,
      `1 thread ${f(optionsSingleMs)}, ${threads} threads ${f(optionsParallelMs)}; numpy/scipy ${f(optionsNumpyMs)} ms, ratio ${f(r.options_numpy_over_options)} (target ≥ 1)`,
    ],
    [
      "tick→liquidation p50",
      `${f(engineTick.p50_ms)} ms`,
      `engine; ${engineTick.liquidations_started} liquidations over ${engineTick.ticks} ticks`,
    ],
    ["tick→liquidation p99", `${f(engineTick.p99_ms)} ms`, "engine; target < 50 ms"],
    ["kernel tick p50 / p99", `${f(p50)} ms`, `p99 ${f(p99)} ms (remargin session alone)`],
    [
      "bytes/position (RSS)",
      f(result.bytes_per_position, 0),
      `columns ${f(result.book_bytes_per_position, 0)} (target ≤ 200)`,
    ],
  ];
  process.stdout.write(
    `${accounts} sub-accounts, ${positions} positions, ${universe.instrumentCount} instruments\n`,
  );
  for (const [k, v, note] of lines) process.stdout.write(`${k.padEnd(24)}${v.padStart(14)}  ${note}\n`);
  process.stdout.write(`fastest-run ratios: ${JSON.stringify(result.ratios_of_minima)}\n`);
  process.stdout.write(`checks: ${JSON.stringify(result.checks)}\n`);
}

await main();
