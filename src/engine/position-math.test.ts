import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { tradeInversePosition, tradePosition } from "./position-math.ts";

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

describe("tradeInversePosition (100 USD contracts, prices in 0.1 USD ticks, BTC in satoshis)", () => {
  // coin units of `lots` at `ticks` = lots × 10^11 / ticks: 100 USD × 10^8 sat × 10 ticks/USD.
  const NUM = 10n ** 11n;
  const DEN = 1n;

  it("realises size·C·(1/entry − 1/exit) in coin, rounded against each side", () => {
    // Long 60 contracts (6 000 USD) at 60 000: basis 60 × 100 / 60 000 = 0.1 BTC.
    const long = tradeInversePosition({ lots: 0n, basisRaw: 0n }, 60n, 600_000n, NUM, DEN);
    expect(long).toEqual({ lots: 60n, basisRaw: 10_000_000n, realisedRaw: 0n });
    // Closed at 66 000: 0.1 − 6 000/66 000 = 0.00909090909… BTC → 909 090 sat (floored).
    expect(tradeInversePosition(long, -60n, 660_000n, NUM, DEN)).toEqual({
      lots: 0n,
      basisRaw: 0n,
      realisedRaw: 909_090n,
    });
    // The short side of the same trade loses 909 090.9… → −909 091 sat (rounded up as a loss).
    const short = tradeInversePosition({ lots: 0n, basisRaw: 0n }, -60n, 600_000n, NUM, DEN);
    expect(tradeInversePosition(short, 60n, 660_000n, NUM, DEN).realisedRaw).toBe(-909_091n);
  });

  it("keeps the remainder of the basis on a partial close, so the lifetime total is exact", () => {
    // 7 contracts at 60 000: 0.011666…6 BTC → basis 1 166 666 (floored).
    const a = tradeInversePosition({ lots: 0n, basisRaw: 0n }, 7n, 600_000n, NUM, DEN);
    expect(a.basisRaw).toBe(1_166_666n);
    // Close 3 at the same price: ⌊1 166 666 × 3/7⌋ = 499 999 − 500 000 = −1 (against the account).
    const b = tradeInversePosition(a, -3n, 600_000n, NUM, DEN);
    expect(b).toEqual({ lots: 4n, basisRaw: 666_667n, realisedRaw: -1n });
    // Close 4: 666 667 − ⌈666 666.67⌉ = 0; lifetime −1 sat, never a gain at an unchanged price.
    expect(tradeInversePosition(b, -4n, 600_000n, NUM, DEN)).toEqual({
      lots: 0n,
      basisRaw: 0n,
      realisedRaw: 0n,
    });
  });

  it("flips: closes the old side in full and opens the rest at the trade price", () => {
    const long = tradeInversePosition({ lots: 0n, basisRaw: 0n }, 60n, 600_000n, NUM, DEN);
    // Sell 100 at 50 000: the 60 long realise 0.1 − 0.12 = −0.02 BTC; 40 short open at −0.08 BTC.
    expect(tradeInversePosition(long, -100n, 500_000n, NUM, DEN)).toEqual({
      lots: -40n,
      basisRaw: -8_000_000n,
      realisedRaw: -2_000_000n,
    });
  });

  it("never pays out more than the exact rational PnL over any path, and loses at most 2 units per trade", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -500, max: 500 }), fc.integer({ min: 10_000, max: 2_000_000 })), {
          minLength: 1,
          maxLength: 20,
        }),
        fc.integer({ min: 10_000, max: 2_000_000 }),
        (trades, closeTicks) => {
          let pos = { lots: 0n, basisRaw: 0n };
          let realised = 0n;
          // Exact PnL of a path that ends flat: Σ delta·C/price over its trades, as a rational.
          let exactNum = 0n;
          let exactDen = 1n;
          const add = (delta: bigint, ticks: bigint) => {
            exactNum = exactNum * ticks + delta * NUM * exactDen;
            exactDen *= ticks;
          };
          let count = 0;
          for (const [d, p] of trades) {
            if (d === 0) continue;
            const next = tradeInversePosition(pos, BigInt(d), BigInt(p), NUM, DEN);
            realised += next.realisedRaw;
            add(BigInt(d), BigInt(p));
            pos = { lots: next.lots, basisRaw: next.basisRaw };
            count += 1;
          }
          if (pos.lots !== 0n) {
            const last = tradeInversePosition(pos, -pos.lots, BigInt(closeTicks), NUM, DEN);
            realised += last.realisedRaw;
            add(-pos.lots, BigInt(closeTicks));
            count += 1;
          }
          // realised ≤ exact and realised ≥ exact − 2·count (in units), compared exactly.
          expect(realised * exactDen <= exactNum).toBe(true);
          expect((realised + 2n * BigInt(count)) * exactDen >= exactNum).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
