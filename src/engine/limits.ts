/*
 * Every collection the engine keeps has a limit, so that one misbehaving client cannot grow the
 * state without bound. A command that would exceed a limit is rejected with `limit_exceeded`.
 */

/** Sub-accounts one account may open. */
export const SUBACCOUNTS_PER_ACCOUNT_MAX = 64;
/** Sub-accounts in the whole engine (dense integer indices, mirrored later by a columnar book). */
export const SUBACCOUNTS_MAX = 2_000_000;
/** Open positions one sub-account may hold. */
export const POSITIONS_PER_SUBACCOUNT_MAX = 32;
/** Collateral assets one sub-account may hold. */
export const COLLATERAL_ASSETS_PER_SUBACCOUNT_MAX = 8;
/** Markets in one configuration. */
export const MARKETS_MAX = 4096;
/** Underlyings (price feeds) in one configuration. */
export const UNDERLYINGS_MAX = 64;
/** Collateral assets in one configuration. */
export const ASSETS_MAX = 16;
/** Oracle sources per underlying. */
export const SOURCES_PER_UNDERLYING_MAX = 16;
/** Accepted command ids remembered for idempotency (FIFO window, part of the state). */
export const DEDUP_WINDOW_COMMANDS = 100_000;
/** Mark prices kept per underlying for the circuit breaker's window. */
export const MARK_HISTORY_MAX = 512;
/** Event listeners on one engine instance. */
export const SUBSCRIBERS_MAX = 64;
/** Largest amount, in an asset's smallest unit, that one command may move (2^96 ≈ 7.9e28). */
export const AMOUNT_UNITS_MAX = 1n << 96n;
/** Largest position, in lots. */
export const LOTS_MAX = 1n << 64n;
/** Counterparties one auto-deleveraging step may touch. */
export const ADL_COUNTERPARTIES_MAX = 10_000;
/** Longest command id, in characters. */
export const COMMAND_ID_LENGTH_MAX = 128;
/** Longest account, sub-account, market, asset or source id, in characters. */
export const NAME_LENGTH_MAX = 64;
