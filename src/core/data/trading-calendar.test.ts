import { describe, expect, it } from "vitest";
import { detectTradingCalendar, periodsPerYear, utcWeekday } from "./trading-calendar.ts";

const DAY = 86_400_000;
// 2024-01-01 was a Monday: 19723 days after 1970-01-01.
const MONDAY = 19_723 * DAY;

describe("trading calendar", () => {
  it("knows the weekday of a UTC timestamp", () => {
    expect(utcWeekday(0)).toBe(4); // 1970-01-01, a Thursday
    expect(utcWeekday(MONDAY)).toBe(1);
    expect(utcWeekday(MONDAY + 5 * DAY)).toBe(6);
  });

  it("detects weekday-only daily bars and annualises them with 252 days", () => {
    const days: number[] = [];
    for (let d = 0; d < 28; d++) if (d % 7 < 5) days.push(MONDAY + d * DAY);
    const t = Float64Array.from(days);
    expect(detectTradingCalendar(t, DAY)).toBe("weekdays");
    expect(periodsPerYear({ timestampsMs: t, intervalMs: DAY })).toBe(252);
  });

  it("treats 24/7 series as continuous: 365 per year daily, 8760 hourly, 1095 every 8 h", () => {
    const daily = Float64Array.from({ length: 30 }, (_, i) => MONDAY + i * DAY);
    expect(detectTradingCalendar(daily, DAY)).toBe("continuous");
    expect(periodsPerYear({ timestampsMs: daily, intervalMs: DAY })).toBe(365);
    expect(periodsPerYear({ timestampsMs: daily, intervalMs: 3_600_000 })).toBe(8760);
    expect(periodsPerYear({ timestampsMs: daily, intervalMs: 8 * 3_600_000 })).toBe(1095);
  });

  it("needs ten rows before calling a daily series weekday-only", () => {
    const t = Float64Array.from([0, 1, 2, 3].map((d) => MONDAY + d * DAY));
    expect(detectTradingCalendar(t, DAY)).toBe("continuous");
  });
});
