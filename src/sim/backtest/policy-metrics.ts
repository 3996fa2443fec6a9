import { MarginalError } from "../../core/errors.ts";
import { christoffersen } from "../../core/risk/christoffersen.ts";
import { kupiecPof } from "../../core/risk/kupiec-pof.ts";
import { maxRelativeRise, peakToTrough } from "./procyclicality.ts";
import { detectVolShifts, medianResponse, responseTimes } from "./response-time.ts";

/*
 * The scorecard of one policy over one window of a history. A bar is scored when the policy has
 * a requirement there and the horizon loss after it is observable. A breach of MM is a bar whose
 * worst-of-long-and-short horizon loss exceeds the MM fraction (a two-sided test: the MM must
 * cover the move in either direction with the stated confidence); IM likewise. Coverage tests
 * (Kupiec POF, Christoffersen conditional coverage) run on the MM breaches against `confidence`.
 * Capital efficiency is the IM (what a trader must post to open), as mean and median fractions
 * of notional; the MM equivalents are reported too. Procyclicality and response time are read
 * off the IM path (MM is a fixed share of it for every policy of the document schema).
 */

export interface PolicyMetrics {
  readonly name: string;
  /** Scored bars. */
  readonly periods: number;
  readonly confidence: number;
  readonly mmBreaches: number;
  readonly mmBreachRate: number;
  readonly imBreaches: number;
  readonly imBreachRate: number;
  /** MM breaches by a long (price fell) and by a short (price rose). */
  readonly longBreaches: number;
  readonly shortBreaches: number;
  /** Mean and median IM fraction of notional (capital efficiency). */
  readonly meanRequirement: number;
  readonly medianRequirement: number;
  readonly meanMaintenance: number;
  readonly medianMaintenance: number;
  /** 1 / meanRequirement: the average leverage the IM allows. */
  readonly leverage: number;
  readonly kupiec: { readonly lr: number; readonly pValue: number };
  readonly christoffersen: {
    readonly lrCC: number;
    readonly pCC: number;
    readonly lrInd: number;
    readonly pInd: number;
  };
  /** Largest relative rise of IM over 1 day and over 5 days (0.5 = +50 %). */
  readonly maxDailyRise: number;
  readonly max5DayRise: number;
  /** max IM / min IM over the window. */
  readonly peakToTrough: number;
  /** Median bars to reach 90 % of the volatility-implied new level after an up-shift; null = does not respond. */
  readonly responsePeriods: number | null;
  readonly responseEvents: number;
  readonly responseReached: number;
  /** Largest loss beyond MM, fraction of notional (0 when never breached). */
  readonly worstShortfall: number;
}

export interface PolicyMetricsInput {
  readonly name: string;
  readonly initialFraction: Float64Array;
  readonly maintenanceFraction: Float64Array;
  readonly worstLoss: Float64Array;
  readonly simpleReturn: Float64Array;
  /** Log return ending at each bar (NaN at bar 0 and after a gap), for the regime-shift detector. */
  readonly barReturns: Float64Array;
  readonly timestampsMs: Float64Array;
  readonly intervalMs: number;
  readonly confidence: number;
  /** Window of bars [from, to) to score. */
  readonly from: number;
  readonly to: number;
  /** Regime-shift detector window W (bars) and ratio; defaults 20 and 2. */
  readonly shiftWindowPeriods?: number;
  readonly shiftRatio?: number;
}

const DAY_MS = 86_400_000;

function median(values: Float64Array): number {
  const s = Float64Array.from(values).sort();
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Scores one policy's requirement path over bars [from, to). Fractions of notional, rates in [0, 1]. */
export function policyMetrics(input: PolicyMetricsInput): PolicyMetrics {
  const { initialFraction: im, maintenanceFraction: mm, worstLoss, from, to } = input;
  const scored: number[] = [];
  for (let i = from; i < to; i++) {
    if (Number.isFinite(im[i]) && Number.isFinite(mm[i]) && Number.isFinite(worstLoss[i])) scored.push(i);
  }
  const n = scored.length;
  if (n < 2) {
    throw new MarginalError(
      "invalid_data",
      `policy '${input.name}': only ${n} scored bar(s); the history is shorter than warm-up + horizon`,
    );
  }
  const hits = new Uint8Array(n);
  const ims = new Float64Array(n);
  const mms = new Float64Array(n);
  let mmBreaches = 0;
  let imBreaches = 0;
  let longBreaches = 0;
  let worstShortfall = 0;
  let imSum = 0;
  let mmSum = 0;
  scored.forEach((i, k) => {
    const loss = worstLoss[i] as number;
    const m = mm[i] as number;
    ims[k] = im[i] as number;
    mms[k] = m;
    imSum += im[i] as number;
    mmSum += m;
    if (loss > m) {
      hits[k] = 1;
      mmBreaches++;
      if ((input.simpleReturn[i] as number) < 0) longBreaches++;
      worstShortfall = Math.max(worstShortfall, loss - m);
    }
    if (loss > (im[i] as number)) imBreaches++;
  });
  const kupiec = kupiecPof(n, mmBreaches, input.confidence);
  const cc = christoffersen(hits, input.confidence);
  const first = scored[0] as number;
  const last = (scored[n - 1] as number) + 1;
  const w = input.shiftWindowPeriods ?? 20;
  const shifts = detectVolShifts(input.barReturns, w, input.shiftRatio ?? 2, first, last);
  const times = responseTimes(im, shifts, 3 * w);
  const meanRequirement = imSum / n;
  return {
    name: input.name,
    periods: n,
    confidence: input.confidence,
    mmBreaches,
    mmBreachRate: mmBreaches / n,
    imBreaches,
    imBreachRate: imBreaches / n,
    longBreaches,
    shortBreaches: mmBreaches - longBreaches,
    meanRequirement,
    medianRequirement: median(ims),
    meanMaintenance: mmSum / n,
    medianMaintenance: median(mms),
    leverage: 1 / meanRequirement,
    kupiec: { lr: kupiec.lr, pValue: kupiec.pValue },
    christoffersen: { lrCC: cc.lrCC, pCC: cc.pCC, lrInd: cc.lrInd, pInd: cc.pInd },
    maxDailyRise: maxRelativeRise(im, input.timestampsMs, input.intervalMs, DAY_MS, first, last),
    max5DayRise: maxRelativeRise(im, input.timestampsMs, input.intervalMs, 5 * DAY_MS, first, last),
    peakToTrough: peakToTrough(im, first, last),
    responsePeriods: medianResponse(times),
    responseEvents: times.length,
    responseReached: times.filter((t) => t !== null).length,
    worstShortfall,
  };
}
