import type { PriceGap } from "./price-series.ts";
import { type TradingCalendar, utcWeekday } from "./trading-calendar.ts";

const DAY_MS = 86_400_000;

/**
 * Spacings larger than the interval, as gaps. On a continuous calendar a gap misses
 * (spacing / interval − 1) periods, rounded to the nearest whole period. On a weekday calendar
 * (daily bars) only missing weekdays count, so a weekend is no gap but an exchange holiday is
 * one (we have no holiday calendar; a holiday shows up as one missing period).
 * Timestamps in epoch ms, interval in ms.
 */
export function findGaps(
  timestampsMs: Float64Array,
  intervalMs: number,
  calendar: TradingCalendar = "continuous",
): PriceGap[] {
  const gaps: PriceGap[] = [];
  if (intervalMs <= 0) return gaps;
  for (let i = 1; i < timestampsMs.length; i++) {
    const fromMs = timestampsMs[i - 1] as number;
    const toMs = timestampsMs[i] as number;
    if (toMs - fromMs <= intervalMs) continue;
    const missingPeriods =
      calendar === "weekdays"
        ? weekdaysStrictlyBetween(fromMs, toMs)
        : Math.round((toMs - fromMs) / intervalMs) - 1;
    if (missingPeriods > 0) gaps.push({ afterIndex: i - 1, fromMs, toMs, missingPeriods });
  }
  return gaps;
}

function weekdaysStrictlyBetween(fromMs: number, toMs: number): number {
  let count = 0;
  // Gaps are short (a long weekend, a holiday), so walking the days is cheap.
  for (let t = fromMs + DAY_MS; t < toMs; t += DAY_MS) {
    const day = utcWeekday(t);
    if (day !== 0 && day !== 6) count++;
  }
  return count;
}
