import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { divCeil, divFloor, toLedgerAmountCeil, toLedgerAmountFloor } from "./ledger-amount.ts";

describe("ledger rounding", () => {
  it("floors and ceils bigint quotients of any sign", () => {
    expect([divFloor(7n, 2n), divFloor(-7n, 2n), divFloor(7n, -2n), divFloor(-7n, -2n)]).toEqual([
      3n,
      -4n,
      -4n,
      3n,
    ]);
    expect([divCeil(7n, 2n), divCeil(-7n, 2n), divCeil(6n, 2n)]).toEqual([4n, -3n, 3n]);
  });

  it("converts float USD to micro-USD in the named direction", () => {
    // 0.0111111 USD = 11 111.1 µUSD → floor 11 111, ceil 11 112; negatives round away/toward −∞.
    expect(toLedgerAmountFloor(0.0111111, 6)).toBe(11_111n);
    expect(toLedgerAmountCeil(0.0111111, 6)).toBe(11_112n);
    expect(toLedgerAmountFloor(-1.5e-6, 6)).toBe(-2n);
    expect(() => toLedgerAmountFloor(Number.NaN, 6)).toThrow(/non-finite/);
    expect(() => toLedgerAmountCeil(1e12, 6)).toThrow(/overflow/);
  });

  it("property: floor ≤ a/b ≤ ceil, and they differ by one exactly when b does not divide a", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
        fc.bigInt({ min: 1n, max: 10n ** 9n }),
        (a, b) => {
          const f = divFloor(a, b);
          const c = divCeil(a, b);
          expect(f * b <= a && a <= c * b).toBe(true);
          expect(c - f).toBe(a % b === 0n ? 0n : 1n);
        },
      ),
    );
  });
});
