import { assertInvariant } from "../core/errors.ts";
import type { Position } from "./engine-state.ts";
import { divCeil, divFloor } from "./ledger-amount.ts";

export interface PositionAfterTrade {
  lots: bigint;
  basisRaw: bigint;
  /** Realised PnL in (lot × tick) units, exact; rounded against the account where it splits. */
  realisedRaw: bigint;
}

/**
 * Applies a trade of `deltaLots` (signed: + buys) at `priceTicks` to a position with average-entry
 * bookkeeping. Opening or increasing adds to the basis; reducing realises PnL against the
 * pro-rata basis (rounded up, i.e. against the account; the remainder stays in the basis so the
 * lifetime total is exact); a flip closes the old side and opens the rest at the trade price.
 */
export function tradePosition(position: Position, deltaLots: bigint, priceTicks: bigint): PositionAfterTrade {
  const { lots, basisRaw } = position;
  assertInvariant(priceTicks >= 0n, "trade price must not be negative");
  if (lots === 0n || lots > 0n === deltaLots > 0n) {
    return { lots: lots + deltaLots, basisRaw: basisRaw + deltaLots * priceTicks, realisedRaw: 0n };
  }
  const absLots = lots < 0n ? -lots : lots;
  const absDelta = deltaLots < 0n ? -deltaLots : deltaLots;
  const closed = absDelta < absLots ? absDelta : absLots;
  const portion = divCeil(basisRaw * closed, absLots);
  const sign = lots > 0n ? 1n : -1n;
  const realisedRaw = sign * closed * priceTicks - portion;
  const remainingDelta = deltaLots + sign * closed;
  if (remainingDelta === 0n) {
    return { lots: lots - sign * closed, basisRaw: basisRaw - portion, realisedRaw };
  }
  // A flip: the old side is fully closed (its basis fully released), the rest opens fresh.
  return { lots: remainingDelta, basisRaw: remainingDelta * priceTicks, realisedRaw };
}

/** Realised PnL (lot × tick units) → quote smallest units, rounded down (against the account). */
export function realisedToUnitsFloor(realisedRaw: bigint, num: bigint, den: bigint): bigint {
  return divFloor(realisedRaw * num, den);
}

/**
 * The inverse-perp twin of `tradePosition`: contracts are worth a fixed USD amount, so a trade of
 * `deltaLots` at `priceTicks` is worth deltaLots × invNum / (priceTicks × invDen) smallest units
 * of the settlement coin (see ResolvedMarket). The basis is Σ of those coin values; closing
 * realises (pro-rata basis − coin value at the exit) directly in coin units:
 * a long's PnL = size·C·(1/entry − 1/exit). Every rounding goes against the account: a basis
 * entry and the pro-rata share are rounded down, the exit value against the closing side.
 * `realisedRaw` is already in coin smallest units.
 */
export function tradeInversePosition(
  position: Position,
  deltaLots: bigint,
  priceTicks: bigint,
  invNum: bigint,
  invDen: bigint,
): PositionAfterTrade {
  const { lots, basisRaw } = position;
  assertInvariant(priceTicks > 0n, "inverse trade price must be positive");
  const value = (l: bigint) => divFloor(l * invNum, priceTicks * invDen);
  if (lots === 0n || lots > 0n === deltaLots > 0n) {
    return { lots: lots + deltaLots, basisRaw: basisRaw + value(deltaLots), realisedRaw: 0n };
  }
  const absLots = lots < 0n ? -lots : lots;
  const absDelta = deltaLots < 0n ? -deltaLots : deltaLots;
  const closed = absDelta < absLots ? absDelta : absLots;
  const portion = divFloor(basisRaw * closed, absLots);
  const sign = lots > 0n ? 1n : -1n;
  // PnL = portion − sign·closed·C/exit; the exit term is floored after negation (against the account).
  const realisedRaw = portion + value(-sign * closed);
  const remainingDelta = deltaLots + sign * closed;
  if (remainingDelta === 0n) {
    return { lots: lots - sign * closed, basisRaw: basisRaw - portion, realisedRaw };
  }
  return { lots: remainingDelta, basisRaw: value(remainingDelta), realisedRaw };
}

/** Applies a trade to a position with the bookkeeping of its market (linear or inverse). */
export function tradeMarketPosition(
  market: { inverse: boolean; invNum: bigint; invDen: bigint; rawToQuoteNum: bigint; rawToQuoteDen: bigint },
  position: Position,
  deltaLots: bigint,
  priceTicks: bigint,
): { lots: bigint; basisRaw: bigint; realisedUnits: bigint } {
  if (market.inverse) {
    const after = tradeInversePosition(position, deltaLots, priceTicks, market.invNum, market.invDen);
    return { lots: after.lots, basisRaw: after.basisRaw, realisedUnits: after.realisedRaw };
  }
  const after = tradePosition(position, deltaLots, priceTicks);
  return {
    lots: after.lots,
    basisRaw: after.basisRaw,
    realisedUnits: realisedToUnitsFloor(after.realisedRaw, market.rawToQuoteNum, market.rawToQuoteDen),
  };
}
