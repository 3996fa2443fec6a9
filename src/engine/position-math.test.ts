import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { tradePosition } from "./position-math.ts";

describe("tradePosition", () => {
  it("opens, increases and closes a long with exact average-entry PnL", () => {
    // Buy 2 @ 100, buy 1 @ 130 → basis 330, avg 110. Sell 3 @ 120 → realised 3·120 − 330 = 30.
    const a = tradePosition({ lots: 0n, basisRaw: 0n }, 2n, 100n);
    const b = tradePosition(a, 1n, 130n);
    expect(b).toEqual({ lots: 3n, basisRaw: 330n, realisedRaw: 0n });
    expect(tradePosition(b, -3n, 120n)).toEqual({ lots: 0n, basisRaw: 0n, realisedRaw: 30n });
  });

  it("rounds a partial close against the account and keeps the remainder in the basis", () => {
    // Long 3 with basis 100 (avg 33.33…). Sell 1 @ 40: portion ⌈100/3⌉ = 34 → realised 6, basis 66.
    expect(tradePosition({ lots: 3n, basisRaw: 100n }, -1n, 40n)).toEqual({
      lots: 2n,
      basisRaw: 66n,
      realisedRaw: 6n,
    });
    // Short 3 with basis −100. Buy 1 @ 30: portion ⌈−100/3⌉ = −33 → realised −30 + 33 = 3 (not 3.33).
    expect(tradePosition({ lots: -3n, basisRaw: -100n }, 1n, 30n)).toEqual({
      lots: -2n,
      basisRaw: -67n,
      realisedRaw: 3n,
    });
  });

  it("flips: closes the old side, opens the rest at the trade price", () => {
    // Long 2 @ 100 (basis 200), sell 5 @ 90: realised 2·90 − 200 = −20, then short 3 @ 90.
    expect(tradePosition({ lots: 2n, basisRaw: 200n }, -5n, 90n)).toEqual({
      lots: -3n,
      basisRaw: -270n,
      realisedRaw: -20n,
    });
  });

  it("property: a round trip realises exactly Σ sells − Σ buys (no money created)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.bigInt({ min: -50n, max: 50n }), fc.bigInt({ min: 1n, max: 10_000n })), {
          maxLength: 30,
        }),
        fc.bigInt({ min: 1n, max: 10_000n }),
        (trades, closePrice) => {
          let pos = { lots: 0n, basisRaw: 0n };
          let realised = 0n;
          let cash = 0n;
          for (const [d, p] of trades) {
            if (d === 0n) continue;
            const next = tradePosition(pos, d, p);
            realised += next.realisedRaw;
            cash -= d * p;
            pos = { lots: next.lots, basisRaw: next.basisRaw };
          }
          const last = tradePosition(pos, -pos.lots, closePrice);
          cash += pos.lots * closePrice;
          expect(last.lots).toBe(0n);
          expect(last.basisRaw).toBe(0n);
          expect(realised + last.realisedRaw).toBe(cash);
        },
      ),
    );
  });
});
