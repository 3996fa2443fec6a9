import { assertInvariant } from "../core/errors.ts";

/*
 * The one reviewed place where a float risk figure or a ratio of integers becomes a ledger
 * amount. Every conversion says its rounding direction in its name; callers pick the direction
 * that goes against the account and in favour of solvency.
 */

/** ⌊a / b⌋ for bigints of any sign (b ≠ 0); BigInt division truncates toward zero. */
export function divFloor(a: bigint, b: bigint): bigint {
  assertInvariant(b !== 0n, "divFloor: division by zero");
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** ⌈a / b⌉ for bigints of any sign (b ≠ 0). */
export function divCeil(a: bigint, b: bigint): bigint {
  return -divFloor(-a, b);
}

// Floats carry 53 bits; beyond 2^53 units the float itself is not exact, so refuse loudly.
const FLOAT_EXACT_MAX = 2 ** 53;

function scaled(valueUnits: number, decimals: number): number {
  // The messages are built only on failure (this runs for every amount a liquidation settles).
  if (!Number.isFinite(valueUnits))
    assertInvariant(false, `ledger conversion of a non-finite value ${valueUnits}`);
  const units = valueUnits * 10 ** decimals;
  if (!(Math.abs(units) < FLOAT_EXACT_MAX))
    assertInvariant(false, `ledger conversion overflow: ${valueUnits}`);
  return units;
}

/**
 * A float amount in asset units (e.g. USD) → smallest units (micro-USD at 6 decimals), rounded
 * down (toward −∞): use it for what an account receives.
 */
export function toLedgerAmountFloor(valueUnits: number, decimals: number): bigint {
  return BigInt(Math.floor(scaled(valueUnits, decimals)));
}

/**
 * A float amount in asset units → smallest units, rounded up (toward +∞): use it for what an
 * account pays or owes.
 */
export function toLedgerAmountCeil(valueUnits: number, decimals: number): bigint {
  return BigInt(Math.ceil(scaled(valueUnits, decimals)));
}

/** Smallest units → float asset units (for risk math only, never for settlement). */
export function ledgerToFloat(amount: bigint, decimals: number): number {
  return Number(amount) / 10 ** decimals;
}

/** Exact ratio num/den (both bigints) as a float, for risk math. */
export function ratioToFloat(num: bigint, den: bigint): number {
  return Number(num) / Number(den);
}

/** The smaller of two ledger amounts (Math.min does not take bigints). */
export function minUnits(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
