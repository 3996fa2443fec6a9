import type { PriceSeries } from "../../core/data/price-series.ts";
import { invalidInput } from "../../core/errors.ts";
import { requirementPath } from "../backtest/requirement-path.ts";
import type { ResolvedPolicy } from "../backtest/resolve-policies.ts";
import { barWindow } from "../backtest/run-backtest.ts";
import { cascadePath } from "./cascade-path.ts";
import type { DepthCurve } from "./depth-curve.ts";
import type { Episode } from "./episodes.ts";
import { generatePopulation, MAX_ACCOUNTS } from "./population.ts";
import { type CascadeParams, type CascadeResult, DEFAULT_CASCADE_PARAMS, runCascade } from "./run-cascade.ts";

/*
 * The stress test of several policies on one episode: the same seeded population and the same
 * real price path for each; the policy's requirement path (product code, warmed up on the
 * `lookbackPeriods` bars before the episode) sets entry leverage and the MM that triggers
 * liquidation. Defaults relative to the population's total notional: insurance fund 0.5 %,
 * liquidator capacity 10 % per hour.
 */

export interface StressOptions {
  readonly episode: Episode;
  readonly accounts: number;
  readonly seed: number;
  readonly depth: DepthCurve;
  readonly depthScale?: number;
  readonly latencySteps?: number;
  readonly capacityFractionPerHour?: number;
  readonly fundFraction?: number;
  readonly resilienceHalfLifeMinutes?: number;
  readonly lookbackPeriods?: number;
  readonly medianNotionalUsd?: number;
}

export interface PolicyCascade extends Omit<CascadeResult, "markUsd" | "balancesMicro"> {
  readonly name: string;
  /** MM fraction in force at the start and its maximum during the episode. */
  readonly startMaintenanceFraction: number;
  readonly maxMaintenanceFraction: number;
  readonly startInitialFraction: number;
}

export interface StressResult {
  readonly episode: { readonly name: string; readonly from: string; readonly to: string };
  readonly source: string;
  readonly accounts: number;
  readonly seed: number;
  readonly params: Omit<CascadeParams, "depth"> & { readonly depth: DepthCurve };
  readonly policies: readonly PolicyCascade[];
  /** For the report. */
  readonly timestampsMs: Float64Array;
  readonly exoPriceUsd: Float64Array;
  readonly markUsd: readonly { readonly name: string; readonly markUsd: Float64Array }[];
}

/** Runs every policy through the episode; USD amounts, fractions of notional. */
export function runStress(
  series: PriceSeries,
  policies: readonly ResolvedPolicy[],
  o: StressOptions,
): StressResult {
  if (!(Number.isInteger(o.accounts) && o.accounts >= 1 && o.accounts <= MAX_ACCOUNTS))
    throw invalidInput("population", `must be an integer in [1, ${MAX_ACCOUNTS}]`);
  const [from, to] = barWindow(series.timestampsMs, o.episode.fromMs, o.episode.toMs);
  if (to - from < 2) {
    const cover = `${new Date(series.timestampsMs[0] as number).toISOString()} … ${new Date(series.timestampsMs[series.close.length - 1] as number).toISOString()}`;
    throw invalidInput("episode", `'${o.episode.name}' is not covered by ${series.source} (${cover})`);
  }
  const lookback = o.lookbackPeriods ?? 1000;
  const start = Math.max(0, from - lookback - 40);
  const slice: PriceSeries = {
    ...series,
    timestampsMs: series.timestampsMs.subarray(start, to),
    close: series.close.subarray(start, to),
    open: series.open?.subarray(start, to),
    high: series.high?.subarray(start, to),
    low: series.low?.subarray(start, to),
    volume: undefined,
    gaps: series.gaps
      .filter((g) => g.afterIndex >= start && g.afterIndex + 1 < to)
      .map((g) => ({ ...g, afterIndex: g.afterIndex - start })),
  };
  if (from - start < 31)
    throw invalidInput("episode", "needs at least 31 bars of history before it for the policies to warm up");
  const path = cascadePath(slice, from - start, to - start);
  const pop = generatePopulation({
    seed: o.seed,
    accounts: o.accounts,
    ...(o.medianNotionalUsd === undefined ? {} : { medianNotionalUsd: o.medianNotionalUsd }),
  });
  let totalNotional = 0;
  for (const x of pop.notionalUsd) totalNotional += x;
  const params: CascadeParams = {
    ...DEFAULT_CASCADE_PARAMS,
    depth: o.depth,
    depthScale: o.depthScale ?? 1,
    latencySteps: o.latencySteps ?? DEFAULT_CASCADE_PARAMS.latencySteps,
    resilienceHalfLifeMinutes:
      o.resilienceHalfLifeMinutes ?? DEFAULT_CASCADE_PARAMS.resilienceHalfLifeMinutes,
    capacityUsdPerHour: (o.capacityFractionPerHour ?? 0.1) * totalNotional,
    insuranceFundUsd: (o.fundFraction ?? 0.005) * totalNotional,
  };
  const results: PolicyCascade[] = [];
  const marks: { name: string; markUsd: Float64Array }[] = [];
  for (const policy of policies) {
    const req = requirementPath(slice, policy.market, { lookbackPeriods: lookback, warmupPeriods: 30 });
    const r = runCascade(pop, path, req.initialFraction, req.maintenanceFraction, params);
    const { markUsd, balancesMicro: _b, ...rest } = r;
    let maxMm = 0;
    for (const b of path.requirementBar) maxMm = Math.max(maxMm, req.maintenanceFraction[b] as number);
    const b0 = path.requirementBar[0] as number;
    results.push({
      name: policy.name,
      ...rest,
      startInitialFraction: req.initialFraction[b0] as number,
      startMaintenanceFraction: req.maintenanceFraction[b0] as number,
      maxMaintenanceFraction: maxMm,
    });
    marks.push({ name: policy.name, markUsd });
  }
  return {
    episode: {
      name: o.episode.name,
      from: new Date(series.timestampsMs[from] as number).toISOString(),
      to: new Date(series.timestampsMs[to - 1] as number).toISOString(),
    },
    source: series.source,
    accounts: o.accounts,
    seed: o.seed,
    params,
    policies: results,
    timestampsMs: path.timestampsMs,
    exoPriceUsd: path.priceUsd,
    markUsd: marks,
  };
}
