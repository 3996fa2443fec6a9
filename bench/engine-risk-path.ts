/*
 * `node --import tsx bench/engine-risk-path.ts [--json] [--accounts N] [--ticks K] [--sim-accounts M] [--seed S]`
 *
 * The engine on its two risk paths, measured in one process run with the same seeds:
 *  1. the seeded random simulation (src/engine/random-simulation.ts), events per second on the
 *     reference path and on the columnar path (final state hashes must agree);
 *  2. a large venue built through the engine's own commands (N traders: a deposit and a fill each
 *     against one market maker), then K oracle ticks on BTC: the latency of each `oracle_report`
 *     command that moved the mark, from submit to its events (mark, breaker, liquidations), on
 *     each path; the liquidations found must be the same.
 * Not a test: numbers only. Progress goes to stderr.
 */
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { seededUniform } from "../src/core/hotpath/random-hotpath-venue.ts";
import { createEngine, type Engine, type RiskPath } from "../src/engine/create-engine.ts";
import { demoConfig, demoRiskParams } from "../src/engine/demo-config.ts";
import { runSimulation } from "../src/engine/random-simulation.ts";

const { values } = parseArgs({
  options: {
    json: { type: "boolean", default: false },
    accounts: { type: "string", default: "100000" },
    ticks: { type: "string", default: "40" },
    "sim-accounts": { type: "string", default: "5000" },
    seed: { type: "string", default: "20261125" },
    policy: { type: "string", default: "cross" },
  },
});
const accounts = Number(values.accounts);
const ticks = Number(values.ticks);
const simAccounts = Number(values["sim-accounts"]);
const seed = Number(values.seed);
// "cross": the venue runs the core margin policy (the engine's usual production setup);
// "engine": the engine's own static fractions, without a policy document.
const venueConfig =
  values.policy === "engine"
    ? demoConfig()
    : { ...demoConfig(), riskPolicy: { mode: "cross", params: demoRiskParams() } };
const T0_MS = Date.UTC(2026, 0, 5);
const SOURCES = ["alpha", "beta", "gamma"];

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

function simulation(riskPath: RiskPath): { eventsPerSecond: number; events: number; hash: string } {
  const r = runSimulation({
    seed: 3,
    accounts: simAccounts,
    steps: 150,
    actionsPerStep: 20,
    audit: false,
    insuranceUsd: 20_000,
    riskPath,
    policy: values.policy === "engine" ? "engine" : "cross",
  });
  return { eventsPerSecond: r.eventsPerSecond, events: r.events, hash: r.finalHash };
}

/** Oracle reports from every source at `priceUsd`, time `atMs`; returns the latencies of mark-moving ones. */
function report(
  engine: Engine,
  n: { id: number },
  priceUsd: number,
  atMs: number,
  latencies: { ms: number; liquidations: number }[] | null,
) {
  let liquidations = 0;
  for (const source of SOURCES) {
    const started = performance.now();
    const result = engine.submit({
      id: `o${n.id++}`,
      atMs,
      type: "oracle_report",
      underlying: "BTC",
      source,
      price: priceUsd.toFixed(2),
      confidence: (priceUsd * 0.0005).toFixed(2),
      publishedAtMs: atMs,
    });
    const elapsed = performance.now() - started;
    if (result.status !== "accepted") continue;
    const started_ = result.events.filter((e) => e.type === "liquidation_started").length;
    liquidations += started_;
    if (latencies !== null && result.events.some((e) => e.type === "mark_changed"))
      latencies.push({ ms: elapsed, liquidations: started_ });
  }
  return liquidations;
}

function largeVenue(riskPath: RiskPath) {
  const rand = seededUniform(seed);
  const engine = createEngine({ riskPath, keepLog: false });
  const n = { id: 0 };
  const setupStarted = performance.now();
  let fills = 0;
  engine.submit({ id: "cfg", atMs: T0_MS, type: "configure", config: venueConfig });
  report(engine, n, 60_000, T0_MS, null);
  const at = T0_MS + 1;
  engine.submit({
    id: "mm",
    atMs: at,
    type: "deposit",
    accountId: "mm",
    subaccountId: "mm/0",
    asset: "USDC",
    amount: "100000000000",
  });
  for (let i = 0; i < accounts; i++) {
    const sub = `t${i}/0`;
    const sizeBtc = 0.1 + Math.floor(rand() * 20) / 10;
    // Collateral from 1.05× to 3× the 10% IM, so a few per cent sit near MM after small moves.
    const collateral = Math.ceil(sizeBtc * 60_000 * 0.1 * (1.05 + rand() * 1.95));
    engine.submit({
      id: `d${i}`,
      atMs: at,
      type: "deposit",
      accountId: `t${i}`,
      subaccountId: sub,
      asset: "USDC",
      amount: String(collateral),
    });
    const fill = engine.submit({
      id: `f${i}`,
      atMs: at,
      type: "fill",
      marketId: "BTC-PERP",
      takerSide: rand() < 0.7 ? "buy" : "sell",
      takerSubaccountId: sub,
      makerSubaccountId: "mm/0",
      size: sizeBtc.toFixed(3),
      price: "60000.00",
      makerFee: "0",
      takerFee: "0",
    });
    if (fill.status === "accepted") fills++;
  }
  const setupMs = performance.now() - setupStarted;
  // The first sweep after the setup builds the columnar mirror from the state: timed apart.
  const firstStarted = performance.now();
  report(engine, n, 60_000 * 1.0001, T0_MS + 1000, null);
  const firstSweepMs = performance.now() - firstStarted;
  const latencies: { ms: number; liquidations: number }[] = [];
  let price = 60_000 * 1.0001;
  let liquidations = 0;
  for (let k = 0; k < ticks; k++) {
    // Mostly small moves, every tenth a 2–5% drop (liquidates the thinly collateralised longs).
    const move = k % 10 === 9 ? -(0.02 + rand() * 0.03) : (rand() - 0.5) * 0.004;
    price *= 1 + move;
    liquidations += report(engine, n, price, T0_MS + 2000 + k * 1000, latencies);
  }
  // Ticks that liquidate nobody measure the screen; ticks that start liquidations add the
  // reference state machine's work per liquidated sub-account (the same on both paths).
  const quiet = latencies
    .filter((l) => l.liquidations === 0)
    .map((l) => l.ms)
    .sort((a, b) => a - b);
  const busy = latencies.filter((l) => l.liquidations > 0);
  const busyMs = busy.reduce((t, l) => t + l.ms, 0);
  const busyLiquidations = busy.reduce((t, l) => t + l.liquidations, 0);
  const all = latencies.map((l) => l.ms).sort((a, b) => a - b);
  return {
    quietTicks: quiet.length,
    quietP50Ms: percentile(quiet, 0.5),
    quietP99Ms: percentile(quiet, 0.99),
    liquidatingTicks: busy.length,
    msPerLiquidation: busyLiquidations > 0 ? busyMs / busyLiquidations : Number.NaN,
    setupMs,
    fills,
    firstSweepMs,
    liquidations,
    hash: engine.stateHash(),
    tickP50Ms: percentile(all, 0.5),
    tickP99Ms: percentile(all, 0.99),
    tickMaxMs: all[all.length - 1] ?? Number.NaN,
    markTicks: latencies.length,
  };
}

const progress = (label: string, value: unknown): void => {
  if (values.json === false) process.stderr.write(`${label}: ${JSON.stringify(value)}\n`);
};
const simReference = simulation("reference");
progress("simulation, reference", simReference);
const simColumnar = simulation("columnar");
progress("simulation, columnar", simColumnar);
const venueColumnar = largeVenue("columnar");
progress("large venue, columnar", venueColumnar);
const venueReference = largeVenue("reference");
progress("large venue, reference", venueReference);
const result = {
  sim_accounts: simAccounts,
  sim_events: simReference.events,
  sim_events_per_second_reference: Math.round(simReference.eventsPerSecond),
  sim_events_per_second_columnar: Math.round(simColumnar.eventsPerSecond),
  sim_same_hash: simReference.hash === simColumnar.hash,
  venue_accounts: accounts,
  venue_fills_accepted: venueColumnar.fills,
  venue_setup_ms_reference: Math.round(venueReference.setupMs),
  venue_setup_ms_columnar: Math.round(venueColumnar.setupMs),
  venue_first_sweep_ms_columnar: Math.round(venueColumnar.firstSweepMs),
  venue_first_sweep_ms_reference: Math.round(venueReference.firstSweepMs),
  venue_policy: values.policy,
  quiet_ticks: venueColumnar.quietTicks,
  quiet_tick_p50_ms_reference: venueReference.quietP50Ms,
  quiet_tick_p99_ms_reference: venueReference.quietP99Ms,
  quiet_tick_p50_ms_columnar: venueColumnar.quietP50Ms,
  quiet_tick_p99_ms_columnar: venueColumnar.quietP99Ms,
  liquidating_ticks: venueColumnar.liquidatingTicks,
  ms_per_liquidation_reference: venueReference.msPerLiquidation,
  ms_per_liquidation_columnar: venueColumnar.msPerLiquidation,
  tick_to_liquidation_p50_ms_reference: venueReference.tickP50Ms,
  tick_to_liquidation_p99_ms_reference: venueReference.tickP99Ms,
  tick_to_liquidation_p50_ms_columnar: venueColumnar.tickP50Ms,
  tick_to_liquidation_p99_ms_columnar: venueColumnar.tickP99Ms,
  tick_to_liquidation_max_ms_columnar: venueColumnar.tickMaxMs,
  mark_ticks: venueColumnar.markTicks,
  liquidations_reference: venueReference.liquidations,
  liquidations_columnar: venueColumnar.liquidations,
  venue_same_hash: venueReference.hash === venueColumnar.hash,
};
if (values.json === true) console.log(JSON.stringify(result));
else
  for (const [k, v] of Object.entries(result))
    console.log(`${k.padEnd(40)} ${typeof v === "number" ? v.toFixed(2) : v}`);
