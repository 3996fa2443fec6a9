import { invalidInput } from "../errors.ts";
import { type GarchParams, garchVarianceSeries, meanSquare } from "./garch-variance-series.ts";
import { gaussianLogLikelihood, studentTLogLikelihood } from "./log-likelihood.ts";
import { nelderMead } from "./nelder-mead.ts";

export type GarchInnovations = "normal" | "student-t";

export interface GarchFit {
  readonly params: GarchParams;
  /** Degrees of freedom of the unit-variance Student-t innovations; undefined for normal. */
  readonly nu: number | undefined;
  readonly innovations: GarchInnovations;
  /** Maximised log-likelihood with σ²₁ = mean of squared returns (see log-likelihood.ts). */
  readonly logLikelihood: number;
  /** α + β. */
  readonly persistence: number;
  /** ω / (1 − α − β), squared per-period units. */
  readonly longRunVariance: number;
  /** σ² of the first return: the mean of squared returns. */
  readonly initialVariance: number;
  /** One-step-ahead conditional variance after the last return, squared per-period units. */
  readonly nextPeriodVariance: number;
  readonly evaluations: number;
}

/** Below this many returns a GARCH(1,1) likelihood is too flat to identify three parameters. */
export const GARCH_MIN_RETURNS = 30;
/** Persistence is kept strictly below one so that a long-run variance exists. */
const MAX_PERSISTENCE = 1 - 1e-8;
/** ν is kept in (2, NU_MAX]: above that the t is indistinguishable from the normal. */
const NU_MAX = 500;

const logistic = (x: number): number => 1 / (1 + Math.exp(-x));
const logit = (p: number): number => Math.log(p / (1 - p));

/**
 * The optimiser works on unconstrained θ = (ln ω, logit(α+β), logit(α/(α+β)) [, ln(ν−2)]), which
 * maps every real vector onto ω > 0, α, β ≥ 0, α + β < 1, ν > 2: no penalty terms, no infeasible
 * steps.
 */
function decode(theta: Float64Array): { params: GarchParams; nu: number } {
  const omega = Math.exp(theta[0]!);
  const persistence = Math.min(logistic(theta[1]!), MAX_PERSISTENCE);
  const share = logistic(theta[2]!);
  const nu = theta.length > 3 ? Math.min(2 + Math.exp(theta[3]!), NU_MAX) : Number.POSITIVE_INFINITY;
  return { params: { omega, alpha: persistence * share, beta: persistence * (1 - share) }, nu };
}

function encode(params: GarchParams, nu: number | undefined): Float64Array {
  const persistence = params.alpha + params.beta;
  const theta = [Math.log(params.omega), logit(persistence), logit(params.alpha / persistence)];
  if (nu !== undefined) theta.push(Math.log(nu - 2));
  return Float64Array.from(theta);
}

/**
 * Log-likelihood of zero-mean per-period returns under GARCH(1,1) with σ²₁ = mean of squared
 * returns (the one convention used by `vol fit` for both GARCH and EWMA). `nu` is required for
 * Student-t innovations. Useful on its own to evaluate someone else's parameters on our footing.
 */
export function garchLogLikelihood(
  returns: Float64Array,
  params: GarchParams,
  innovations: GarchInnovations,
  nu?: number,
  buffer?: Float64Array,
): number {
  const variances = garchVarianceSeries(returns, params, meanSquare(returns), buffer);
  if (innovations === "normal") return gaussianLogLikelihood(returns, variances);
  if (nu === undefined) throw invalidInput("nu", "Student-t innovations need degrees of freedom");
  return studentTLogLikelihood(returns, variances, nu);
}

/** Starting (α, β) pairs; ω comes from variance targeting so each start has the sample variance. */
const START_GRID: readonly (readonly [number, number])[] = [
  [0.05, 0.9],
  [0.1, 0.85],
  [0.1, 0.88],
  [0.05, 0.94],
  [0.15, 0.8],
  [0.2, 0.6],
  [0.03, 0.96],
];
const START_NUS = [4, 8];

/**
 * Fits a zero-mean GARCH(1,1) by maximum likelihood on per-period log returns (fractions).
 * Deterministic: a grid of variance-targeted starting points is scored, Nelder–Mead runs from the
 * three best, and the winner is polished by two restarts with shrinking simplexes.
 */
export function fitGarch(returns: Float64Array, innovations: GarchInnovations): GarchFit {
  if (returns.length < GARCH_MIN_RETURNS) {
    throw invalidInput("returns", `GARCH needs at least ${GARCH_MIN_RETURNS} returns, got ${returns.length}`);
  }
  for (let t = 0; t < returns.length; t++) {
    if (!Number.isFinite(returns[t]!)) throw invalidInput(`returns[${t}]`, "must be a finite number");
  }
  const sampleVariance = meanSquare(returns);
  if (!(sampleVariance > 0))
    throw invalidInput("returns", "all returns are zero; volatility is not identified");
  const buffer = new Float64Array(returns.length + 1);
  const objective = (theta: Float64Array): number => {
    const { params, nu } = decode(theta);
    return -garchLogLikelihood(returns, params, innovations, nu, buffer);
  };
  const starts: { theta: Float64Array; value: number }[] = [];
  for (const [alpha, beta] of START_GRID) {
    const params = { omega: sampleVariance * (1 - alpha - beta), alpha, beta };
    for (const nu of innovations === "normal" ? [undefined] : START_NUS) {
      const theta = encode(params, nu);
      starts.push({ theta, value: objective(theta) });
    }
  }
  starts.sort((a, b) => a.value - b.value);
  let evaluations = starts.length;
  let best = { x: starts[0]!.theta, value: starts[0]!.value };
  for (const start of starts.slice(0, 3)) {
    const result = nelderMead(objective, start.theta, { step: 0.5, maxEvaluations: 3000, tolerance: 1e-10 });
    evaluations += result.evaluations;
    if (result.value < best.value) best = result;
  }
  for (const step of [0.1, 0.02]) {
    const result = nelderMead(objective, best.x, { step, maxEvaluations: 2000, tolerance: 1e-12 });
    evaluations += result.evaluations;
    if (result.value <= best.value) best = result;
  }
  const { params, nu } = decode(best.x);
  const persistence = params.alpha + params.beta;
  const variances = garchVarianceSeries(returns, params, sampleVariance);
  return {
    params,
    nu: innovations === "normal" ? undefined : nu,
    innovations,
    logLikelihood: -best.value,
    persistence,
    longRunVariance: params.omega / (1 - persistence),
    initialVariance: sampleVariance,
    nextPeriodVariance: variances[returns.length]!,
    evaluations,
  };
}
