import type { PolicyBase, VolCandidate } from "./candidate.ts";
import { candidatePath } from "./candidate-path.ts";
import { fitStatic, type StaticFit } from "./fit-static.ts";
import { type ParetoPoint, paretoFrontier } from "./pareto-frontier.ts";
import { passes, scoreWindow, type WindowScore } from "./window-score.ts";

/*
 * Fitting on one training window: every candidate's requirement over the window (fast path,
 * folded from `burnIn` bars earlier so APC state has settled), its scorecard, and the choice:
 * among candidates that pass Kupiec and CC at `alpha`, breach at most the target rate in sample
 * and meet the procyclicality limit (see `passes`), the lowest mean IM. If none passes, the candidate whose breach rate is nearest the target from below
 * (then the lowest requirement) is taken and flagged.
 */

export interface FitContext {
  readonly sigmaByLambda: ReadonlyMap<number, Float64Array>;
  readonly worstLoss: Float64Array;
  readonly timestampsMs: Float64Array;
  readonly intervalMs: number;
  readonly base: PolicyBase;
  readonly confidence: number;
  readonly alpha: number;
  readonly maxDailyRise: number | undefined;
  readonly burnInPeriods: number;
}

export interface CandidateResult {
  readonly candidate: VolCandidate;
  readonly score: WindowScore;
  readonly passes: boolean;
}

export interface WindowFit {
  readonly best: CandidateResult | undefined;
  readonly staticFit: StaticFit;
  readonly frontier: readonly ParetoPoint[];
  readonly evaluated: number;
}

/** Chooses the best candidate and the fair static level on bars [from, to). */
export function fitWindow(
  candidates: readonly VolCandidate[],
  ctx: FitContext,
  from: number,
  to: number,
  policyName: string,
): WindowFit {
  const n = ctx.worstLoss.length;
  const im = new Float64Array(n);
  const mm = new Float64Array(n);
  const barHours = ctx.intervalMs / 3_600_000;
  const start = Math.max(0, from - ctx.burnInPeriods);
  const results: CandidateResult[] = [];
  const scoreCtx = {
    worstLoss: ctx.worstLoss,
    timestampsMs: ctx.timestampsMs,
    intervalMs: ctx.intervalMs,
    confidence: ctx.confidence,
    from,
    to,
  };
  for (const c of candidates) {
    const sigma = ctx.sigmaByLambda.get(c.lambda);
    if (sigma === undefined) continue;
    candidatePath(sigma, ctx.timestampsMs, c, ctx.base, barHours, start, to, im, mm);
    const score = scoreWindow(im, mm, scoreCtx);
    if (score === null) continue;
    results.push({ candidate: c, score, passes: passes(score, ctx.alpha, ctx.maxDailyRise, ctx.confidence) });
  }
  const passing = results.filter((r) => r.passes);
  const target = 1 - ctx.confidence;
  let best: CandidateResult | undefined;
  if (passing.length > 0)
    best = passing.reduce((a, b) => (b.score.meanRequirement < a.score.meanRequirement ? b : a));
  else if (results.length > 0) {
    const covered = results.filter((r) => r.score.mmBreachRate <= target);
    const pool = covered.length > 0 ? covered : results;
    best = pool.reduce((a, b) =>
      covered.length > 0
        ? b.score.meanRequirement < a.score.meanRequirement
          ? b
          : a
        : b.score.mmBreachRate < a.score.mmBreachRate
          ? b
          : a,
    );
  }
  const staticFit = fitStatic(ctx.worstLoss, from, to, ctx.confidence, ctx.alpha);
  const points: ParetoPoint[] = results.map((r) => ({
    policy: policyName,
    label: `λ=${r.candidate.lambda} H=${r.candidate.horizonHours}h floor=${r.candidate.floorFraction} ${r.candidate.apcLabel}`,
    meanRequirement: r.score.meanRequirement,
    mmBreachRate: r.score.mmBreachRate,
    maxDailyRise: r.score.maxDailyRise,
    passes: r.passes,
  }));
  for (const t of staticFit.tried) {
    points.push({
      policy: "static",
      label: `MM=${t.maintenanceFraction.toFixed(4)}`,
      meanRequirement: t.maintenanceFraction / ctx.base.staticMaintenanceRatio,
      mmBreachRate: t.breachRate,
      maxDailyRise: 0,
      passes: t.passes,
    });
  }
  return { best, staticFit, frontier: paretoFrontier(points), evaluated: results.length };
}
