import { christoffersen } from "../../core/risk/christoffersen.ts";
import { kupiecPof } from "../../core/risk/kupiec-pof.ts";

/*
 * The static policy's fair calibration: the lowest fixed MM fraction whose breaches over the
 * training window pass Kupiec and Christoffersen CC at `alpha` with a breach rate not above the
 * target (the same acceptance rule as the volatility candidates, see window-score.ts `passes`). Candidate levels are the
 * observed losses themselves (sorted, largest first): at the j-th largest loss as MM, exactly
 * the j larger losses breach (ties aside), so scanning j upward lowers the requirement one
 * breach at a time; the answer is the last level that still passes.
 */

export interface StaticFit {
  /** Chosen MM fraction of notional. */
  readonly maintenanceFraction: number;
  readonly breaches: number;
  readonly periods: number;
  readonly passes: boolean;
  /** Every level tried (MM fraction, breach rate), for the Pareto frontier. */
  readonly tried: readonly {
    readonly maintenanceFraction: number;
    readonly breachRate: number;
    readonly passes: boolean;
  }[];
}

/** Fits the static MM fraction on losses (fractions of notional, NaN = not scored) over [from, to). */
export function fitStatic(
  worstLoss: Float64Array,
  from: number,
  to: number,
  confidence: number,
  alpha: number,
): StaticFit {
  const losses: number[] = [];
  for (let i = from; i < to; i++) if (Number.isFinite(worstLoss[i])) losses.push(worstLoss[i] as number);
  const n = losses.length;
  const sorted = [...losses].sort((a, b) => b - a);
  const hits = new Uint8Array(n);
  const maxBreaches = Math.min(n - 1, Math.ceil(4 * n * (1 - confidence)) + 10);
  let best: StaticFit | undefined;
  const tried: { maintenanceFraction: number; breachRate: number; passes: boolean }[] = [];
  for (let j = 0; j <= maxBreaches; j++) {
    // Round the level up a hair so the j-th largest loss itself does not count as a breach.
    const level = (sorted[j] as number) * (1 + 1e-12) + 1e-15;
    let x = 0;
    for (let k = 0; k < n; k++) {
      const h = (losses[k] as number) > level ? 1 : 0;
      hits[k] = h;
      x += h;
    }
    const ok =
      x / n <= 1 - confidence + 1e-12 &&
      kupiecPof(n, x, confidence).pValue >= alpha &&
      christoffersen(hits, confidence).pCC >= alpha;
    tried.push({ maintenanceFraction: level, breachRate: x / n, passes: ok });
    if (ok) best = { maintenanceFraction: level, breaches: x, periods: n, passes: true, tried };
  }
  if (best !== undefined) return { ...best, tried };
  // Nothing passes (e.g. clustered breaches): cover every loss in the window.
  const level = (sorted[0] ?? 0.5) * (1 + 1e-12) + 1e-15;
  return { maintenanceFraction: level, breaches: 0, periods: n, passes: false, tried };
}
