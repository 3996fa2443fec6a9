import type { PriceSeries } from "./price-series.ts";

/**
 * Which clock a series runs on. Crypto trades 24/7/365, so every interval counts. Daily bars
 * with no rows on Saturdays or Sundays (equities, e.g. SPY) run on a weekday calendar: weekends
 * are not gaps, and a year has 252 trading days.
 */
export type TradingCalendar = "continuous" | "weekdays";

const DAY_MS = 86_400_000;
const YEAR_MS = 365 * DAY_MS;
/** Trading days per year on a weekday calendar (the market convention). */
export const TRADING_DAYS_PER_YEAR = 252;

/** 0 = Sunday … 6 = Saturday for an epoch-milliseconds timestamp (UTC). */
export function utcWeekday(timestampMs: number): number {
  // 1970-01-01 was a Thursday (weekday 4).
  return (((Math.floor(timestampMs / DAY_MS) + 4) % 7) + 7) % 7;
}

/**
 * Detects the calendar from timestamps and the interval (ms). Only daily bars are checked: a
 * series of at least 10 daily rows with not a single Saturday or Sunday row is "weekdays"
 * (10 rows of a 24/7 series would contain a weekend day).
 */
export function detectTradingCalendar(timestampsMs: Float64Array, intervalMs: number): TradingCalendar {
  if (intervalMs !== DAY_MS || timestampsMs.length < 10) return "continuous";
  for (const t of timestampsMs) {
    const day = utcWeekday(t);
    if (day === 0 || day === 6) return "continuous";
  }
  return "weekdays";
}

/**
 * Periods per year for annualising per-period statistics of a series (variance × periods,
 * volatility × √periods): 252 on a weekday calendar, else 365·24·3600·1000 / intervalMs.
 */
export function periodsPerYear(series: Pick<PriceSeries, "timestampsMs" | "intervalMs">): number {
  if (detectTradingCalendar(series.timestampsMs, series.intervalMs) === "weekdays") {
    return TRADING_DAYS_PER_YEAR;
  }
  return periodsPerYearForInterval(series.intervalMs);
}

/** Periods per year of a continuous (24/7/365) market sampled every `intervalMs` milliseconds. */
export function periodsPerYearForInterval(intervalMs: number): number {
  return YEAR_MS / intervalMs;
}
