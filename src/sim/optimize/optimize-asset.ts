import type { PriceSeries } from "../../core/data/price-series.ts";
import { invalidInput } from "../../core/errors.ts";
import type { MarketParams, RiskParams } from "../../core/margin/risk-params.ts";
import { barLogReturns } from "../backtest/bar-log-returns.ts";
import { horizonLosses } from "../backtest/horizon-losses.ts";
import { type PolicyMetrics, policyMetrics } from "../backtest/policy-metrics.ts";
import { requirementPath } from "../backtest/requirement-path.ts";
import { barWindow, horizonPeriodsOf, type PolicyPath } from "../backtest/run-backtest.ts";
import { buildRiskParams } from "./build-risk-params.ts";
import { candidateMarket, type PolicyBase, staticMarket, type VolCandidate } from "./candidate.ts";
import { candidateGrid } from "./candidate-grid.ts";
import { candidateMultiplier, resolveStressedFraction } from "./candidate-path.ts";
import { type FitContext, fitWindow, type WindowFit } from "./fit-window.ts";
import type { ParetoPoint } from "./pareto-frontier.ts";
import { volPath } from "./vol-path.ts";

/*
 * Walk-forward optimisation of one asset. Rolling folds: fit on `trainDays` of history, then
 * apply the chosen parameters, unchanged, to the following `testDays`; roll forward by
 * `testDays`. The training window's last scored bar is `horizon` bars before the test window,
 * so no training loss overlaps a test bar. The out-of-sample figures are the test windows
 * stitched together, each computed by the product's policy code (requirementPath) with that
 * fold's parameters, and scored by the backtest's own policyMetrics. An explicit `split`
 * replaces the folds by one train and one test window. The parameters offered for use are fitted
 * on the most recent `trainDays` (or on the split's train window).
 */

const DAY = 86_400_000;

export interface OptimizeOptions {
  readonly policy: "vol" | "vol-apc" | "static";
  readonly targetConfidence: number;
  /** Significance of the coverage tests (default 0.05). */
  readonly alpha?: number;
  readonly maxDailyRise?: number;
  readonly horizonMs: number;
  readonly base: PolicyBase;
  readonly lookbackPeriods?: number;
  readonly warmupPeriods?: number;
  readonly trainDays?: number;
  readonly testDays?: number;
  readonly split?: {
    readonly trainFromMs: number;
    readonly trainToMs: number;
    readonly testFromMs: number;
    readonly testToMs: number;
  };
  readonly lambdas?: readonly number[];
  readonly floors?: readonly number[];
  readonly multiplierSteps?: number;
  readonly onProgress?: (label: string, done: number, total: number) => void;
}

export interface ChosenParams {
  readonly lambda: number;
  readonly horizonHours: number;
  readonly floorFraction: number;
  readonly apc: string;
  /** IM per unit of one-bar σ. */
  readonly multiplier: number;
  readonly passedOnTrain: boolean;
  readonly trainMeanRequirement: number;
  readonly trainBreachRate: number;
}

export interface Fold {
  readonly trainFrom: string;
  readonly trainTo: string;
  readonly testFrom: string;
  readonly testTo: string;
  readonly chosen: ChosenParams | null;
  readonly staticMaintenanceFraction: number;
  readonly staticPassedOnTrain: boolean;
}

export interface OptimizeAssetResult {
  readonly asset: string;
  readonly policy: string;
  readonly targetConfidence: number;
  readonly maxDailyRise: number | null;
  readonly mode: "walk-forward" | "split";
  readonly candidates: number;
  readonly folds: readonly Fold[];
  /** Out-of-sample scorecards in the backtest's shape: the optimised policy and the fair static one. */
  readonly policies: readonly PolicyMetrics[];
  readonly chosen: ChosenParams | null;
  readonly staticChosen: {
    readonly maintenanceFraction: number;
    readonly initialFraction: number;
    readonly passedOnTrain: boolean;
  };
  readonly riskParams: RiskParams;
  readonly pareto: readonly ParetoPoint[];
  /** For the report. */
  readonly timestampsMs: Float64Array;
  readonly close: Float64Array;
  readonly worstLoss: Float64Array;
  readonly barReturns: Float64Array;
  readonly paths: readonly PolicyPath[];
}

const iso = (ms: number) => new Date(ms).toISOString();

function sliceSeries(s: PriceSeries, to: number): PriceSeries {
  return {
    ...s,
    timestampsMs: s.timestampsMs.subarray(0, to),
    close: s.close.subarray(0, to),
    gaps: s.gaps.filter((g) => g.afterIndex + 1 < to),
  };
}

function chosenOf(fit: WindowFit, base: PolicyBase, barHours: number): ChosenParams | null {
  const b = fit.best;
  if (b === undefined) return null;
  return {
    lambda: b.candidate.lambda,
    horizonHours: b.candidate.horizonHours,
    floorFraction: b.candidate.floorFraction,
    apc: b.candidate.apcLabel,
    multiplier: candidateMultiplier(b.candidate, base, barHours),
    passedOnTrain: b.passes,
    trainMeanRequirement: b.score.meanRequirement,
    trainBreachRate: b.score.mmBreachRate,
  };
}

/** Optimises one asset's policy; fractions of notional throughout. */
export function optimizeAsset(
  series: PriceSeries,
  asset: string,
  underlying: string,
  o: OptimizeOptions,
): OptimizeAssetResult {
  const h = horizonPeriodsOf(o.horizonMs, series.intervalMs);
  const lookback = o.lookbackPeriods ?? 1000;
  const warmup = o.warmupPeriods ?? 30;
  const alpha = o.alpha ?? 0.05;
  const barHours = series.intervalMs / 3_600_000;
  const n = series.close.length;
  const { worstLoss, simpleReturn } = horizonLosses(series, h);
  const barReturns = barLogReturns(series);
  const grid =
    o.policy === "static"
      ? []
      : candidateGrid({
          policy: o.policy,
          horizonHours: o.horizonMs / 3_600_000,
          ...(o.maxDailyRise === undefined ? {} : { maxDailyRise: o.maxDailyRise }),
          ...(o.lambdas === undefined ? {} : { lambdas: o.lambdas }),
          ...(o.floors === undefined ? {} : { floors: o.floors }),
          ...(o.multiplierSteps === undefined ? {} : { multiplierSteps: o.multiplierSteps }),
        });
  const sigmaByLambda = new Map<number, Float64Array>();
  const lambdas = [...new Set(grid.map((c) => c.lambda))];
  lambdas.forEach((lambda, i) => {
    o.onProgress?.(`${asset} σ paths`, i, lambdas.length);
    sigmaByLambda.set(lambda, volPath(series, { model: "ewma", lambda }, lookback, warmup));
  });
  const ctx: FitContext = {
    sigmaByLambda,
    worstLoss,
    timestampsMs: series.timestampsMs,
    intervalMs: series.intervalMs,
    base: o.base,
    confidence: o.targetConfidence,
    alpha,
    maxDailyRise: o.maxDailyRise,
    burnInPeriods: 60,
  };
  // The first bar a requirement exists: `warmup` returns in.
  let firstBar = Math.min(n, warmup + 1);
  while (firstBar < n && !Number.isFinite(worstLoss[firstBar])) firstBar++;
  const t0 = series.timestampsMs[firstBar] as number;
  const tEnd = series.timestampsMs[n - 1] as number;
  const windows: { trainFrom: number; trainToMs: number; testFromMs: number; testToMs: number }[] = [];
  if (o.split !== undefined) {
    windows.push({
      trainFrom: o.split.trainFromMs,
      trainToMs: o.split.trainToMs,
      testFromMs: o.split.testFromMs,
      testToMs: o.split.testToMs,
    });
  } else {
    const train = (o.trainDays ?? 1095) * DAY;
    const test = (o.testDays ?? 365) * DAY;
    for (let s = t0; s + train < tEnd; s += test) {
      windows.push({
        trainFrom: s,
        trainToMs: s + train - 1,
        testFromMs: s + train,
        testToMs: Math.min(tEnd, s + train + test - 1),
      });
    }
    if (windows.length === 0)
      throw invalidInput("input", `history too short for a ${o.trainDays ?? 1095}-day training window`);
  }
  const oosIm = new Float64Array(n).fill(Number.NaN);
  const oosMm = new Float64Array(n).fill(Number.NaN);
  const stIm = new Float64Array(n).fill(Number.NaN);
  const stMm = new Float64Array(n).fill(Number.NaN);
  const folds: Fold[] = [];
  let oosFrom = n;
  let oosTo = 0;
  windows.forEach((w, k) => {
    o.onProgress?.(`${asset} folds`, k, windows.length);
    const [trFrom, trToRaw] = barWindow(series.timestampsMs, w.trainFrom, w.trainToMs);
    const [teFrom, teTo] = barWindow(series.timestampsMs, w.testFromMs, w.testToMs);
    const trTo = Math.min(trToRaw, teFrom - h + 1);
    if (trTo - trFrom < 30) throw invalidInput("train", "the training window holds fewer than 30 bars");
    if (teTo - teFrom < 2) throw invalidInput("test", "the test window holds fewer than 2 bars");
    const fit = fitWindow(grid, ctx, trFrom, trTo, o.policy);
    const sliced = sliceSeries(series, teTo);
    const opts = { lookbackPeriods: lookback, warmupPeriods: warmup };
    if (fit.best !== undefined) {
      const c = resolveStressedFraction(
        fit.best.candidate,
        sigmaByLambda.get(fit.best.candidate.lambda) as Float64Array,
        o.base,
        barHours,
        trFrom,
        trTo,
      );
      const path = requirementPath(sliced, candidateMarket(c, o.base, underlying), opts);
      oosIm.set(path.initialFraction.subarray(teFrom, teTo), teFrom);
      oosMm.set(path.maintenanceFraction.subarray(teFrom, teTo), teFrom);
    }
    const sp = requirementPath(
      sliced,
      staticMarket(fit.staticFit.maintenanceFraction, o.base, underlying),
      opts,
    );
    stIm.set(sp.initialFraction.subarray(teFrom, teTo), teFrom);
    stMm.set(sp.maintenanceFraction.subarray(teFrom, teTo), teFrom);
    oosFrom = Math.min(oosFrom, teFrom);
    oosTo = Math.max(oosTo, teTo);
    folds.push({
      trainFrom: iso(series.timestampsMs[trFrom] as number),
      trainTo: iso(series.timestampsMs[trTo - 1] as number),
      testFrom: iso(series.timestampsMs[teFrom] as number),
      testTo: iso(series.timestampsMs[teTo - 1] as number),
      chosen: chosenOf(fit, o.base, barHours),
      staticMaintenanceFraction: fit.staticFit.maintenanceFraction,
      staticPassedOnTrain: fit.staticFit.passes,
    });
  });
  // The parameters offered for use: fitted on the most recent training window.
  let finalFrom: number;
  let finalTo: number;
  if (o.split !== undefined)
    [finalFrom, finalTo] = barWindow(series.timestampsMs, o.split.trainFromMs, o.split.trainToMs);
  else {
    finalTo = n - h;
    [finalFrom] = barWindow(series.timestampsMs, tEnd - (o.trainDays ?? 1095) * DAY);
    finalFrom = Math.max(finalFrom, firstBar);
  }
  const finalFit = fitWindow(grid, ctx, finalFrom, finalTo, o.policy);
  const markets: Record<string, MarketParams> = {
    static: staticMarket(finalFit.staticFit.maintenanceFraction, o.base, underlying),
  };
  let finalCandidate: VolCandidate | undefined;
  if (finalFit.best !== undefined) {
    finalCandidate = resolveStressedFraction(
      finalFit.best.candidate,
      sigmaByLambda.get(finalFit.best.candidate.lambda) as Float64Array,
      o.base,
      barHours,
      finalFrom,
      finalTo,
    );
    markets[o.policy] = candidateMarket(finalCandidate, o.base, underlying);
  }
  const score = (name: string, im: Float64Array, mm: Float64Array) =>
    policyMetrics({
      name,
      initialFraction: im,
      maintenanceFraction: mm,
      worstLoss,
      simpleReturn,
      barReturns,
      timestampsMs: series.timestampsMs,
      intervalMs: series.intervalMs,
      confidence: o.targetConfidence,
      from: oosFrom,
      to: oosTo,
    });
  const policies: PolicyMetrics[] = [];
  const paths: PolicyPath[] = [];
  if (o.policy !== "static") {
    policies.push(score(o.policy, oosIm, oosMm));
    paths.push({ name: o.policy, initialFraction: oosIm, maintenanceFraction: oosMm });
  }
  policies.push(score("static", stIm, stMm));
  paths.push({ name: "static", initialFraction: stIm, maintenanceFraction: stMm });
  const staticPolicy = markets.static?.policy;
  return {
    asset,
    policy: o.policy,
    targetConfidence: o.targetConfidence,
    maxDailyRise: o.maxDailyRise ?? null,
    mode: o.split === undefined ? "walk-forward" : "split",
    candidates: grid.length,
    folds,
    policies,
    chosen: chosenOf(finalFit, o.base, barHours),
    staticChosen: {
      maintenanceFraction: finalFit.staticFit.maintenanceFraction,
      initialFraction: staticPolicy?.type === "static" ? staticPolicy.initialFraction : Number.NaN,
      passedOnTrain: finalFit.staticFit.passes,
    },
    riskParams: buildRiskParams(underlying, markets),
    pareto: finalFit.frontier.slice(0, 200),
    timestampsMs: series.timestampsMs,
    close: series.close,
    worstLoss,
    barReturns,
    paths,
  };
}
