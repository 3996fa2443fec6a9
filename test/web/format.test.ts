import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  formatDecimalString,
  formatHealth,
  formatPercent,
  formatPriceAxis,
  formatPriceUsd,
  formatTimeUtc,
  formatUnits,
  formatUsd,
  MISSING,
} from "../../web/src/lib/format.ts";

describe("formatters", () => {
  it("formats USD amounts with cents and grouping, missing values as a dash", () => {
    expect(formatUsd(1234.5)).toBe("$1,234.50");
    expect(formatUsd(-1048.714)).toBe("-$1,048.71");
    expect(formatUsd(null)).toBe(MISSING);
    expect(formatUsd(Number.NaN)).toBe(MISSING);
    expect(formatUsd(Number.POSITIVE_INFINITY)).toBe(MISSING);
  });

  it("formats fractions as percentages and health as a multiple", () => {
    expect(formatPercent(0.05)).toBe("5.00%");
    expect(formatPercent(0.0625 * 1.26, 2)).toBe("7.88%"); // 0.07875 → 7.88 (round half up of 7.875)
    expect(formatHealth(1.386)).toBe("1.39×");
    // null is the API's "no requirement": never liquidatable.
    expect(formatHealth(null)).toBe("∞");
    expect(formatHealth(12345)).toBe(">999×");
    expect(formatHealth(undefined)).toBe(MISSING);
  });

  it("groups exact decimal strings without going through a float", () => {
    expect(formatDecimalString("61075.0099")).toBe("61,075.0099");
    expect(formatDecimalString("-3.109")).toBe("-3.109");
    expect(formatDecimalString("123456789012345678901234.000000000000000001")).toBe(
      "123,456,789,012,345,678,901,234.000000000000000001",
    );
    expect(formatDecimalString("1e5")).toBe(MISSING);
  });

  it("turns smallest units into a decimal string exactly", () => {
    expect(formatUnits("397807124", 6)).toBe("397.807124");
    expect(formatUnits("5", 6)).toBe("0.000005");
    expect(formatUnits("-1500000", 6)).toBe("-1.500000");
    expect(formatUnits("0", 6)).toBe("0.000000");
    expect(formatUnits("42", 0)).toBe("42");
    expect(formatUnits("1.5", 6)).toBe(MISSING);
  });

  it("round-trips any integer amount through formatUnits (property)", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
        fc.integer({ min: 0, max: 18 }),
        (units, decimals) => {
          const text = formatUnits(units.toString(), decimals);
          expect(BigInt(text.replace(".", ""))).toBe(units);
          expect(text.includes(".") ? text.split(".")[1]!.length : 0).toBe(decimals);
        },
      ),
    );
  });

  it("chooses price precision by magnitude and keeps axis labels short", () => {
    expect(formatPriceUsd(61075.00991)).toBe("61,075.01");
    expect(formatPriceUsd(3.06443)).toBe("3.0644");
    expect(formatPriceUsd(0.00123456)).toBe("0.001235");
    expect(formatPriceAxis(62500)).toBe("62.5k");
    expect(formatPriceAxis(3165.12)).toBe("3,165.1");
    expect(formatPriceAxis(169.28)).toBe("169.3");
    expect(formatPriceAxis(7.51869)).toBe("7.519");
  });

  it("formats times in UTC", () => {
    // 2026-11-25T18:08:57.123Z
    expect(formatTimeUtc(Date.UTC(2026, 10, 25, 18, 8, 57, 123))).toBe("18:08:57");
  });
});
