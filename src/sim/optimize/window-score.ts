import { christoffersen } from "../../core/risk/christoffersen.ts";
import { kupiecPof } from "../../core/risk/kupiec-pof.ts";
import { maxRelativeRise } from "../backtest/procyclicality.ts";

/*
 * The lean scorecard the optimizer ranks candidates by on a training window: coverage of MM
 * (Kupiec, Christoffersen CC), mean IM and the largest 1-day rise. The same definitions as the
 * backtest's policyMetrics, without the costlier statistics (medians, response time).
 */

export interface WindowScore {
  readonly periods: number;
  readonly mmBreaches: number;
  readonly mmBreachRate: number;
  /** Mean IM fraction of notional. */
  readonly meanRequirement: number;
  readonly maxDailyRise: number;
  readonly kupiecP: number;
  readonly ccP: number;
}

export interface ScoreContext {
  readonly worstLoss: Float64Array;
  readonly timestampsMs: Float64Array;
  readonly intervalMs: number;
  readonly confidence: number;
  readonly from: number;
  readonly to: number;
}

/** Scores an IM/MM path (fractions of notional) over bars [from, to); null when fewer than 2 bars score. */
export function scoreWindow(im: Float64Array, mm: Float64Array, ctx: ScoreContext): WindowScore | null {
  let n = 0;
  let breaches = 0;
  let sum = 0;
  const hits = new Uint8Array(ctx.to - ctx.from);
  for (let i = ctx.from; i < ctx.to; i++) {
    const loss = ctx.worstLoss[i] as number;
    const m = mm[i] as number;
    if (!(Number.isFinite(loss) && Number.isFinite(m))) continue;
    if (loss > m) {
      hits[n] = 1;
      breaches++;
    }
    sum += im[i] as number;
    n++;
  }
  if (n < 2) return null;
  return {
    periods: n,
    mmBreaches: breaches,
    mmBreachRate: breaches / n,
    meanRequirement: sum / n,
    maxDailyRise: maxRelativeRise(im, ctx.timestampsMs, ctx.intervalMs, 86_400_000, ctx.from, ctx.to),
    kupiecP: kupiecPof(n, breaches, ctx.confidence).pValue,
    ccP: christoffersen(hits.subarray(0, n), ctx.confidence).pCC,
  };
}

/**
 * Whether a score is acceptable on a training window: Kupiec and CC pass at `alpha`, the
 * in-sample breach rate is not above the target 1 − confidence, and the procyclicality limit
 * holds. The breach-rate condition matters: "the lowest requirement that passes Kupiec" sits at
 * the upper edge of the acceptance region (e.g. 13 breaches in 730 days at 99%), and a choice
 * made at that edge fails out of sample (measured on synthetic GARCH markets, see the test).
 */
export function passes(
  s: WindowScore,
  alpha: number,
  maxDailyRise: number | undefined,
  confidence: number,
): boolean {
  return (
    s.kupiecP >= alpha &&
    s.ccP >= alpha &&
    s.mmBreachRate <= 1 - confidence + 1e-12 &&
    (maxDailyRise === undefined || s.maxDailyRise <= maxDailyRise + 1e-12)
  );
}
