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
