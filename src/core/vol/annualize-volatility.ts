import { invalidInput } from "../errors.ts";

/** Calendar of the market whose bars are being annualised. */
export type TradingCalendar = "crypto" | "weekday";

const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 24 * MS_PER_HOUR;

/**
 * Periods per year for bars `intervalMs` long. Crypto trades 365 days × 24 h, so an hourly bar
 * gives 8760 periods and a daily bar 365. A weekday market (equities) trades 252 days a year;
 * its intraday bars are counted over a 6.5-hour session, and bars of a day or longer by trading
 * days (a weekly bar: 252/5).
 */
export function periodsPerYearFor(intervalMs: number, calendar: TradingCalendar): number {
  if (!(intervalMs > 0) || !Number.isFinite(intervalMs)) {
    throw invalidInput("intervalMs", "must be a positive finite number of milliseconds");
  }
  if (calendar === "crypto") return (365 * MS_PER_DAY) / intervalMs;
  if (intervalMs < MS_PER_DAY) return (252 * 6.5 * MS_PER_HOUR) / intervalMs;
  // A weekday calendar counts trading days: 7 calendar days hold 5 of them.
  const tradingDays =
    intervalMs >= 7 * MS_PER_DAY ? (intervalMs / (7 * MS_PER_DAY)) * 5 : intervalMs / MS_PER_DAY;
  return 252 / tradingDays;
}

/** Annualised volatility (fraction per √year) from a per-period σ: σ·√(periods per year). */
export function annualizeVolatility(perPeriodVol: number, periodsPerYear: number): number {
  if (!(periodsPerYear > 0)) throw invalidInput("periodsPerYear", "must be positive");
  return perPeriodVol * Math.sqrt(periodsPerYear);
}
