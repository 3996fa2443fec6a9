import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatDecimal, parseDecimal } from "./decimal.ts";

describe("parseDecimal / formatDecimal", () => {
  it("parses exactly at the scale", () => {
    expect(parseDecimal("123.45", 6, "x")).toBe(123_450_000n);
    expect(parseDecimal("0.000001", 6, "x")).toBe(1n);
    expect(parseDecimal("-2.5", 1, "x")).toBe(-25n);
    // 2^53 + 1 survives (it would not through a float).
    expect(parseDecimal("9007199254740993", 0, "x")).toBe(9007199254740993n);
  });

  it("refuses over-precise or malformed input, naming the field", () => {
    expect(() => parseDecimal("1.0000001", 6, "amount")).toThrow(
      /amount: '1.0000001' has more than 6 decimal places/,
    );
    expect(() => parseDecimal("1e6", 6, "amount")).toThrow(/amount/);
    expect(() => parseDecimal("", 6, "amount")).toThrow(/amount/);
  });

  it("property: format then parse is the identity", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
        fc.integer({ min: 0, max: 18 }),
        (v, d) => {
          expect(parseDecimal(formatDecimal(v, d), d, "v")).toBe(v);
        },
      ),
    );
  });
});
