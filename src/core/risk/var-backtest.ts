import { normalPdf, normalQuantile } from "../dist/normal.ts";
import { invalidInput } from "../errors.ts";
import { checkLambda } from "../vol/ewma-variance.ts";
import { fitGarch } from "../vol/fit-garch.ts";
import { type GarchParams, garchVarianceSeries, meanSquare } from "../vol/garch-variance-series.ts";
import { acerbiSzekelyZ2Test, type Z2Result } from "./acerbi-szekely-z2.ts";
import { type ChristoffersenTest, christoffersen } from "./christoffersen.ts";
import { historicalVarEs } from "./historical-var.ts";
import { kupiecPof, type LikelihoodRatioTest } from "./kupiec-pof.ts";
import { type TrafficLightZone, trafficLight } from "./traffic-light.ts";
import { checkConfidence } from "./var-es.ts";

export type BacktestModel = "ewma" | "garch" | "historical" | "fhs";

export interface VarBacktestSpec {
  readonly model: BacktestModel;
  readonly confidence: number;
  /** EWMA decay, used by "ewma" and "fhs". */
  readonly lambda: number;
  /** Estimation window in periods (the first `windowPeriods` returns are never tested). */
  readonly windowPeriods: number;
  /** Monte-Carlo paths for the ES backtest p-value, and its seed. */
  readonly esSimulations: number;
  readonly seed: number;
}

export interface VarBacktestResult {
  /** Number of tested periods: returns.length − windowPeriods. */
  readonly n: number;
  readonly exceptions: number;
  /** n · (1 − confidence). */
  readonly expectedExceptions: number;
  readonly kupiec: LikelihoodRatioTest;
  readonly christoffersen: ChristoffersenTest;
  readonly trafficLight: TrafficLightZone;
  readonly esBacktest: Z2Result & { readonly method: "acerbi-szekely-z2" };
  /** The GARCH parameters fitted on the first window (model "garch" only). */
  readonly garchParams: GarchParams | undefined;
  /** Per tested period (index 0 = return number `windowPeriods`): VaR, ES (positive losses), hit. */
  readonly valueAtRisk: Float64Array;
  readonly expectedShortfall: Float64Array;
  readonly hits: Uint8Array;
}

/** Limits that keep a backtest meaningful and bounded. */
export const MIN_WINDOW_PERIODS = 20;
export const MAX_RETURNS = 10_000_000;

interface Forecasts {
  readonly valueAtRisk: Float64Array;
  readonly expectedShortfall: Float64Array;
  /** Quantile function of the model's predictive loss distribution at tested period t. */
  readonly lossQuantile: (t: number, u: number) => number;
  readonly garchParams: GarchParams | undefined;
}

/**
 * σ path of a GARCH-type filter over ALL returns, started at σ² = the mean of squared returns of
 * the first window. The recursion runs through the window, so the first tested σ (index W) has
 * absorbed the window's returns, and σₜ uses returns before t only.
 */
function filteredVols(returns: Float64Array, params: GarchParams, windowPeriods: number): Float64Array {
  const variances = garchVarianceSeries(returns, params, meanSquare(returns, 0, windowPeriods));
  return variances.map(Math.sqrt);
}

function parametricNormal(
  vols: Float64Array,
  W: number,
  n: number,
  confidence: number,
  garch?: GarchParams,
): Forecasts {
  const z = normalQuantile(confidence);
  const esFactor = normalPdf(z) / (1 - confidence);
  const valueAtRisk = new Float64Array(n);
  const expectedShortfall = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    valueAtRisk[t] = z * vols[W + t]!;
    expectedShortfall[t] = esFactor * vols[W + t]!;
  }
  return {
    valueAtRisk,
    expectedShortfall,
    lossQuantile: (t, u) => vols[W + t]! * normalQuantile(u),
    garchParams: garch,
  };
}

/** Rolling historical VaR/ES of standardised (or raw, when vols is undefined) window losses. */
function rollingHistorical(
  returns: Float64Array,
  vols: Float64Array | undefined,
  W: number,
  n: number,
  confidence: number,
): Forecasts {
  const windowLosses = new Float64Array(W);
  const scratch = new Float64Array(W);
  const valueAtRisk = new Float64Array(n);
  const expectedShortfall = new Float64Array(n);
  const unitLoss = (s: number): number => (vols === undefined ? -returns[s]! : -returns[s]! / vols[s]!);
  for (let t = 0; t < n; t++) {
    for (let i = 0; i < W; i++) windowLosses[i] = unitLoss(t + i);
    const v = historicalVarEs(windowLosses, confidence, scratch);
    const scale = vols === undefined ? 1 : vols[W + t]!;
    valueAtRisk[t] = scale * v.valueAtRisk;
    expectedShortfall[t] = scale * v.expectedShortfall;
  }
  return {
    valueAtRisk,
    expectedShortfall,
    // The model's predictive distribution is the (rescaled) empirical one of its window.
    lossQuantile: (t, u) => (vols === undefined ? 1 : vols[W + t]!) * unitLoss(t + Math.floor(u * W)),
    garchParams: undefined,
  };
}

function forecasts(returns: Float64Array, spec: VarBacktestSpec, n: number): Forecasts {
  const W = spec.windowPeriods;
  const ewma = { omega: 0, alpha: 1 - spec.lambda, beta: spec.lambda };
  switch (spec.model) {
    case "ewma":
      return parametricNormal(filteredVols(returns, ewma, W), W, n, spec.confidence);
    case "garch": {
      // Fitted once on the first window (no refit), then filtered forward with fixed parameters.
      const { params } = fitGarch(returns.subarray(0, W), "normal");
      return parametricNormal(filteredVols(returns, params, W), W, n, spec.confidence, params);
    }
    case "historical":
      return rollingHistorical(returns, undefined, W, n, spec.confidence);
    case "fhs":
      return rollingHistorical(returns, filteredVols(returns, ewma, W), W, n, spec.confidence);
  }
}

/**
 * One-period-ahead VaR backtest on per-period log returns (oldest first). For each period t ≥ W
 * (W = windowPeriods) VaRₜ and ESₜ are built from returns before t only; an exception is a loss
 * −rₜ > VaRₜ. ewma: σ²₀ = mean of r² over the first W returns, σ²ₜ₊₁ = λσ²ₜ + (1−λ)rₜ², VaR = z·σₜ.
 * garch: normal GARCH(1,1) fitted on the first W returns, filtered the same way.
 * historical: VaR/ES of the previous W losses (historical-var.ts quantile definition).
 * fhs: the same on EWMA-standardised losses −r/σ, rescaled by σₜ.
 * ES backtest: Acerbi–Székely Z2 with a seeded Monte-Carlo p-value under each model.
 */
export function runVarBacktest(returns: Float64Array, spec: VarBacktestSpec): VarBacktestResult {
  checkConfidence(spec.confidence);
  checkLambda(spec.lambda);
  const W = spec.windowPeriods;
  if (!Number.isInteger(W) || W < MIN_WINDOW_PERIODS) {
    throw invalidInput("windowPeriods", `must be an integer ≥ ${MIN_WINDOW_PERIODS}`);
  }
  if (returns.length > MAX_RETURNS) throw invalidInput("returns", `at most ${MAX_RETURNS} returns`);
  if (returns.length <= W + 1) {
    throw invalidInput(
      "returns",
      `need more than windowPeriods + 1 = ${W + 1} returns, got ${returns.length}`,
    );
  }
  for (let t = 0; t < returns.length; t++) {
    if (!Number.isFinite(returns[t]!)) throw invalidInput(`returns[${t}]`, "must be a finite number");
  }
  const n = returns.length - W;
  const f = forecasts(returns, spec, n);
  const losses = new Float64Array(n);
  const hits = new Uint8Array(n);
  let exceptions = 0;
  for (let t = 0; t < n; t++) {
    losses[t] = -returns[W + t]!;
    if (losses[t]! > f.valueAtRisk[t]!) {
      hits[t] = 1;
      exceptions++;
    }
  }
  const es = acerbiSzekelyZ2Test(
    losses,
    f.valueAtRisk,
    f.expectedShortfall,
    spec.confidence,
    f.lossQuantile,
    {
      simulations: spec.esSimulations,
      seed: spec.seed,
    },
  );
  return {
    n,
    exceptions,
    expectedExceptions: n * (1 - spec.confidence),
    kupiec: kupiecPof(n, exceptions, spec.confidence),
    christoffersen: christoffersen(hits, spec.confidence),
    trafficLight: trafficLight(n, exceptions, spec.confidence),
    esBacktest: { method: "acerbi-szekely-z2", ...es },
    garchParams: f.garchParams,
    valueAtRisk: f.valueAtRisk,
    expectedShortfall: f.expectedShortfall,
    hits,
  };
}
