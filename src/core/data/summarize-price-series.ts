import { formatIntervalLabel } from "./detect-interval.ts";
import { closeLogReturnsWithTimes } from "./log-returns.ts";
import { maxDrawdown } from "./max-drawdown.ts";
import { formatTimestampIso } from "./parse-timestamp.ts";
import type { PriceSeries } from "./price-series.ts";
import { sampleStdDev } from "./sample-moments.ts";
import { detectTradingCalendar, periodsPerYear, type TradingCalendar } from "./trading-calendar.ts";

/** How many of the largest gaps a summary lists. */
export const LARGEST_GAPS_LISTED = 5;

export interface GapSummary {
  readonly from: string;
  readonly to: string;
  readonly missingPeriods: number;
}

/** What `marginal data inspect` reports; timestamps as ISO-8601 UTC strings. */
export interface PriceSeriesSummary {
  readonly source: string;
  readonly rows: number;
  readonly firstTimestamp: string;
  readonly lastTimestamp: string;
  readonly intervalMs: number;
  readonly frequency: string;
  readonly calendar: TradingCalendar;
  readonly periodsPerYear: number;
  readonly gaps: number;
  readonly missingPeriods: number;
  readonly largestGaps: readonly GapSummary[];
  /** Returns used (close-to-close, excluding those spanning a gap). */
  readonly returns: number;
  /** Sample stdev of log returns × √periodsPerYear, as a fraction (0.67 = 67 %). */
  readonly annualizedVolatility: number | null;
  /** Worst single-period simple return close/prevClose − 1 (gap-spanning ones excluded). */
  readonly worstReturn: { readonly value: number; readonly timestamp: string } | null;
  /** Peak-to-trough fall of closes as a fraction of the peak. */
  readonly maxDrawdown: {
    readonly value: number;
    readonly peakTimestamp: string;
    readonly troughTimestamp: string;
  };
  readonly warnings: number;
}

/** Summarises a loaded series: size, range, frequency, gaps, volatility, worst return, drawdown. */
export function summarizePriceSeries(
  series: PriceSeries & { readonly warningCount?: number },
): PriceSeriesSummary {
  const t = series.timestampsMs;
  const iso = (i: number) => formatTimestampIso(t[i] as number);
  const timed = closeLogReturnsWithTimes(series);
  let worst: PriceSeriesSummary["worstReturn"] = null;
  let worstLog = Number.POSITIVE_INFINITY;
  for (let k = 0; k < timed.returns.length; k++) {
    const r = timed.returns[k] as number;
    if (r < worstLog) {
      worstLog = r;
      worst = { value: Math.expm1(r), timestamp: formatTimestampIso(timed.timestampsMs[k] as number) };
    }
  }
  const ppy = periodsPerYear(series);
  const stdev = sampleStdDev(timed.returns);
  const dd = maxDrawdown(series.close);
  const largest = [...series.gaps]
    .sort((a, b) => b.missingPeriods - a.missingPeriods || a.fromMs - b.fromMs)
    .slice(0, LARGEST_GAPS_LISTED);
  return {
    source: series.source,
    rows: t.length,
    firstTimestamp: iso(0),
    lastTimestamp: iso(t.length - 1),
    intervalMs: series.intervalMs,
    frequency: series.intervalMs > 0 ? formatIntervalLabel(series.intervalMs) : "n/a",
    calendar: detectTradingCalendar(t, series.intervalMs),
    periodsPerYear: ppy,
    gaps: series.gaps.length,
    missingPeriods: series.gaps.reduce((sum, g) => sum + g.missingPeriods, 0),
    largestGaps: largest.map((g) => ({
      from: formatTimestampIso(g.fromMs),
      to: formatTimestampIso(g.toMs),
      missingPeriods: g.missingPeriods,
    })),
    returns: timed.returns.length,
    annualizedVolatility: Number.isFinite(stdev) && Number.isFinite(ppy) ? stdev * Math.sqrt(ppy) : null,
    worstReturn: worst,
    maxDrawdown: { value: dd.value, peakTimestamp: iso(dd.peakIndex), troughTimestamp: iso(dd.troughIndex) },
    warnings: series.warningCount ?? series.warnings.length,
  };
}
