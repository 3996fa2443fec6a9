import { invalidInput } from "../errors.ts";
import type { MarginMode } from "../margin/types.ts";
import type { HotpathUniverse } from "./hotpath-universe.ts";
import {
  float64Column,
  growColumn,
  int32Column,
  isSharedColumn,
  uint8Column,
  uint16Column,
} from "./typed-columns.ts";

/*
 * The columnar account book: struct-of-arrays over typed arrays, one row per sub-account (dense
 * index in order of opening, as the engine numbers them) and one row per net position.
 *
 * Sub-account a owns the position rows [posStart[a], posStart[a] + posCount[a]) inside a slot of
 * posCapacity[a] rows, kept sorted by instrument index (= market id order, which is the order
 * the reference margin code sums in). A slot that overflows moves to the end of the position
 * columns with twice the room; the hole it leaves is reclaimed by `compactBook`. Collateral is a
 * dense nSub × nAssets matrix in asset units (float, for the risk math: the exact ledger stays
 * with the engine). The columns may live in SharedArrayBuffers so worker threads read them
 * without a copy. `structureVersion` changes whenever a position row appears or disappears, so an
 * instrument → holders index knows when it is stale.
 */

export const MODE_ISOLATED = 0;
export const MODE_CROSS = 1;
export const MODE_PORTFOLIO = 2;

const MODE_CODE: Readonly<Record<MarginMode, number>> = {
  isolated: MODE_ISOLATED,
  cross: MODE_CROSS,
  portfolio: MODE_PORTFOLIO,
};
export const MODE_NAMES: readonly MarginMode[] = ["isolated", "cross", "portfolio"];

/** Slot size given to a sub-account when it first opens a position. */
const INITIAL_SLOT_POSITIONS = 4;

export interface ColumnarBook {
  readonly assetCount: number;
  readonly shared: boolean;
  subaccountCount: number;
  positionRowsUsed: number;
  structureVersion: number;
  ids: string[];
  posStart: Int32Array;
  posCount: Int32Array;
  posCapacity: Int32Array;
  mode: Uint8Array;
  /** 0 = no parameter set, k = universe.paramSetIds[k − 1]. */
  paramSet: Uint16Array;
  imMultiplier: Float64Array;
  /**
   * 1 when imMultiplier[a] > 1: a pass reads the 8-byte multiplier only for the rows that have
   * one, and the flags of 64 rows share a cache line (kept in step wherever the multiplier is set).
   */
  imMultiplied: Uint8Array;
  /** nSub × nAssets, asset units (≥ 0). */
  collateral: Float64Array;
  posInstrument: Int32Array;
  /** Net contracts, + long, − short (never 0: a flat position's row is removed). */
  posSize: Float64Array;
  /** Average entry price, USD per unit. */
  posEntryUsd: Float64Array;
}

export interface BookCapacity {
  readonly subaccounts: number;
  readonly positions: number;
}

/** An empty book with room for the given numbers of sub-accounts and position rows. */
export function createColumnarBook(
  universe: HotpathUniverse,
  capacity: BookCapacity,
  shared = false,
): ColumnarBook {
  const s = Math.max(1, capacity.subaccounts);
  const p = Math.max(1, capacity.positions);
  return {
    assetCount: universe.assetCount,
    shared,
    subaccountCount: 0,
    positionRowsUsed: 0,
    structureVersion: 0,
    ids: [],
    posStart: int32Column(s, shared),
    posCount: int32Column(s, shared),
    posCapacity: int32Column(s, shared),
    mode: uint8Column(s, shared),
    paramSet: uint16Column(s, shared),
    imMultiplier: float64Column(s, shared),
    imMultiplied: uint8Column(s, shared),
    collateral: float64Column(s * universe.assetCount, shared),
    posInstrument: int32Column(p, shared),
    posSize: float64Column(p, shared),
    posEntryUsd: float64Column(p, shared),
  };
}

function ensureSubaccountRoom(book: ColumnarBook): void {
  const cap = book.posStart.length;
  if (book.subaccountCount < cap) return;
  const next = cap * 2;
  book.posStart = growColumn(book.posStart, next);
  book.posCount = growColumn(book.posCount, next);
  book.posCapacity = growColumn(book.posCapacity, next);
  book.mode = growColumn(book.mode, next);
  book.paramSet = growColumn(book.paramSet, next);
  book.imMultiplier = growColumn(book.imMultiplier, next);
  book.imMultiplied = growColumn(book.imMultiplied, next);
  book.collateral = growColumn(book.collateral, next * book.assetCount);
}

function ensurePositionRoom(book: ColumnarBook, rows: number): void {
  const cap = book.posInstrument.length;
  if (book.positionRowsUsed + rows <= cap) return;
  const next = Math.max(cap * 2, book.positionRowsUsed + rows);
  book.posInstrument = growColumn(book.posInstrument, next);
  book.posSize = growColumn(book.posSize, next);
  book.posEntryUsd = growColumn(book.posEntryUsd, next);
}

export interface SubaccountOptions {
  readonly imMultiplier?: number;
  readonly paramSetId?: string;
}

/** Opens a sub-account and returns its dense index (ids are the caller's; not checked for reuse). */
export function openBookSubaccount(
  universe: HotpathUniverse,
  book: ColumnarBook,
  id: string,
  mode: MarginMode,
  options: SubaccountOptions = {},
): number {
  const code = MODE_CODE[mode];
  if (code === undefined) throw invalidInput("mode", "must be 'isolated', 'cross' or 'portfolio'");
  const m = options.imMultiplier ?? 1;
  if (!(Number.isFinite(m) && m >= 1 && m <= 100))
    throw invalidInput("settings.imMultiplier", "must be a number in [1, 100]");
  let ps = 0;
  if (options.paramSetId !== undefined) {
    ps = universe.paramSetIds.indexOf(options.paramSetId) + 1;
    if (ps === 0) throw invalidInput("settings.paramSetId", `unknown parameter set '${options.paramSetId}'`);
  }
  ensureSubaccountRoom(book);
  const a = book.subaccountCount++;
  book.ids[a] = id;
  book.mode[a] = code;
  book.paramSet[a] = ps;
  book.imMultiplier[a] = m;
  book.imMultiplied[a] = m > 1 ? 1 : 0;
  book.posStart[a] = 0;
  book.posCount[a] = 0;
  book.posCapacity[a] = 0;
  return a;
}

/** Moves sub-account a's rows to a fresh slot of `capacity` rows at the end of the columns. */
function relocate(book: ColumnarBook, a: number, capacity: number): void {
  ensurePositionRoom(book, capacity);
  const from = book.posStart[a]!;
  const n = book.posCount[a]!;
  const to = book.positionRowsUsed;
  book.posInstrument.copyWithin(to, from, from + n);
  book.posSize.copyWithin(to, from, from + n);
  book.posEntryUsd.copyWithin(to, from, from + n);
  book.posStart[a] = to;
  book.posCapacity[a] = capacity;
  book.positionRowsUsed += capacity;
}

export type FillOutcome =
  | { readonly ok: true; readonly sizeAfter: number; readonly entryUsdAfter: number }
  | { readonly ok: false; readonly reason: "isolated_single_market" | "too_many_positions" };

/**
 * Applies a fill of `sizeDelta` contracts at `priceUsd` (USD per unit) to sub-account a's
 * position in `instrument`. The entry price averages on an increase, stays on a reduction and
 * restarts at the fill price on a flip; realised PnL is the engine's ledger business, not the
 * book's. A sub-account that may not take the position gets a returned rejection.
 */
export function applyFillToBook(
  universe: HotpathUniverse,
  book: ColumnarBook,
  a: number,
  instrument: number,
  sizeDelta: number,
  priceUsd: number,
): FillOutcome {
  if (!(a >= 0 && a < book.subaccountCount)) throw invalidInput("subaccount", "is not an open sub-account");
  if (!(instrument >= 0 && instrument < universe.instrumentCount))
    throw invalidInput("instrument", "is not an instrument index of the universe");
  if (!(Number.isFinite(sizeDelta) && sizeDelta !== 0))
    throw invalidInput("sizeDelta", "must be finite and ≠ 0");
  if (!(Number.isFinite(priceUsd) && priceUsd > 0))
    throw invalidInput("priceUsd", "must be a finite price > 0");
  const start = book.posStart[a]!;
  const n = book.posCount[a]!;
  let j = 0;
  while (j < n && book.posInstrument[start + j]! < instrument) j++;
  const row = start + j;
  if (j < n && book.posInstrument[row] === instrument) {
    const size = book.posSize[row]!;
    const entry = book.posEntryUsd[row]!;
    const next = size + sizeDelta;
    if (next === 0) {
      removeRow(book, a, j);
      return { ok: true, sizeAfter: 0, entryUsdAfter: 0 };
    }
    let nextEntry = entry;
    if (Math.sign(size) === Math.sign(sizeDelta)) nextEntry = (size * entry + sizeDelta * priceUsd) / next;
    else if (Math.sign(next) !== Math.sign(size)) nextEntry = priceUsd;
    book.posSize[row] = next;
    book.posEntryUsd[row] = nextEntry;
    return { ok: true, sizeAfter: next, entryUsdAfter: nextEntry };
  }
  if (book.mode[a] === MODE_ISOLATED && n > 0) return { ok: false, reason: "isolated_single_market" };
  if (n >= universe.maxPositionsPerSubaccount) return { ok: false, reason: "too_many_positions" };
  if (n === book.posCapacity[a]) relocate(book, a, Math.max(INITIAL_SLOT_POSITIONS, 2 * n));
  const s = book.posStart[a]!;
  book.posInstrument.copyWithin(s + j + 1, s + j, s + n);
  book.posSize.copyWithin(s + j + 1, s + j, s + n);
  book.posEntryUsd.copyWithin(s + j + 1, s + j, s + n);
  book.posInstrument[s + j] = instrument;
  book.posSize[s + j] = sizeDelta;
  book.posEntryUsd[s + j] = priceUsd;
  book.posCount[a] = n + 1;
  book.structureVersion++;
  return { ok: true, sizeAfter: sizeDelta, entryUsdAfter: priceUsd };
}

function removeRow(book: ColumnarBook, a: number, j: number): void {
  const s = book.posStart[a]!;
  const n = book.posCount[a]!;
  book.posInstrument.copyWithin(s + j, s + j + 1, s + n);
  book.posSize.copyWithin(s + j, s + j + 1, s + n);
  book.posEntryUsd.copyWithin(s + j, s + j + 1, s + n);
  book.posCount[a] = n - 1;
  book.structureVersion++;
}

export type DepositOutcome =
  | { readonly ok: true; readonly amountAfter: number }
  | { readonly ok: false; readonly reason: "insufficient_collateral" };

/** Adds `delta` (asset units; negative withdraws) to sub-account a's collateral in asset k. */
export function depositToBook(book: ColumnarBook, a: number, asset: number, delta: number): DepositOutcome {
  if (!(a >= 0 && a < book.subaccountCount)) throw invalidInput("subaccount", "is not an open sub-account");
  if (!(asset >= 0 && asset < book.assetCount)) throw invalidInput("asset", "is not an asset index");
  if (!Number.isFinite(delta)) throw invalidInput("delta", "must be a finite amount");
  const cell = a * book.assetCount + asset;
  const next = book.collateral[cell]! + delta;
  if (next < 0) return { ok: false, reason: "insufficient_collateral" };
  book.collateral[cell] = next;
  return { ok: true, amountAfter: next };
}

/** Sets a sub-account's margin mode (the caller checks that an isolated one holds one market). */
export function setBookMode(book: ColumnarBook, a: number, mode: MarginMode): void {
  const code = MODE_CODE[mode];
  if (code === undefined) throw invalidInput("mode", "must be 'isolated', 'cross' or 'portfolio'");
  if (code === MODE_ISOLATED && book.posCount[a]! > 1)
    throw invalidInput("mode", "an isolated sub-account holds one market");
  book.mode[a] = code;
}

/**
 * Rewrites the position columns without holes; each non-empty slot keeps `spareRows` free rows
 * so the next new position does not relocate it at once.
 */
export function compactBook(book: ColumnarBook, spareRows = 1): void {
  let total = 0;
  for (let a = 0; a < book.subaccountCount; a++) total += book.posCount[a]!;
  const cap = Math.max(1, total + book.subaccountCount * spareRows);
  const ins = int32Column(cap, isSharedColumn(book.posInstrument));
  const size = float64Column(cap, book.shared);
  const entry = float64Column(cap, book.shared);
  let o = 0;
  for (let a = 0; a < book.subaccountCount; a++) {
    const s = book.posStart[a]!;
    const n = book.posCount[a]!;
    ins.set(book.posInstrument.subarray(s, s + n), o);
    size.set(book.posSize.subarray(s, s + n), o);
    entry.set(book.posEntryUsd.subarray(s, s + n), o);
    book.posStart[a] = o;
    book.posCapacity[a] = n === 0 ? 0 : n + spareRows;
    o += n === 0 ? 0 : n + spareRows;
  }
  book.posInstrument = ins;
  book.posSize = size;
  book.posEntryUsd = entry;
  book.positionRowsUsed = o;
  book.structureVersion++;
}

/** Total open positions in the book. */
export function bookPositionCount(book: ColumnarBook): number {
  let total = 0;
  for (let a = 0; a < book.subaccountCount; a++) total += book.posCount[a]!;
  return total;
}

/**
 * Rewrites sub-account a's whole row from an exact source of truth (the engine's state): mode,
 * parameter set (0 = none), IM multiplier, collateral in asset units (≥ 0, one per asset) and
 * the positions as parallel lists sorted by ascending instrument index (contracts ≠ 0, entry in
 * USD per unit). A mirror that follows its owner by rewriting the rows an event touched stays
 * exact without replaying the owner's business rules (entry averaging, flips) a second time.
 */
export function writeBookRow(
  book: ColumnarBook,
  a: number,
  row: {
    readonly mode: MarginMode;
    readonly paramSet: number;
    readonly imMultiplier: number;
    readonly collateral: ArrayLike<number>;
    readonly instruments: ArrayLike<number>;
    readonly sizes: ArrayLike<number>;
    readonly entriesUsd: ArrayLike<number>;
    /** Positions to take from the lists (default: their length), so scratch arrays can be reused. */
    readonly count?: number;
  },
): void {
  if (!(a >= 0 && a < book.subaccountCount)) throw invalidInput("subaccount", "is not an open sub-account");
  const code = MODE_CODE[row.mode];
  if (code === undefined) throw invalidInput("mode", "must be 'isolated', 'cross' or 'portfolio'");
  // Validate everything before the first write: a rejected row leaves the book as it was.
  for (let k = 0; k < book.assetCount; k++) {
    const amount = row.collateral[k] ?? 0;
    if (!(Number.isFinite(amount) && amount >= 0))
      throw invalidInput(`collateral[${k}]`, "must be finite and ≥ 0");
  }
  const n = row.count ?? row.instruments.length;
  if (!(Number.isInteger(n) && n >= 0 && n <= row.instruments.length))
    throw invalidInput("count", "must be an integer within the lists' length");
  for (let j = 0; j < n; j++) {
    if (j > 0 && !(row.instruments[j]! > row.instruments[j - 1]!))
      throw invalidInput("instruments", "must be strictly ascending");
    if (!(Number.isFinite(row.sizes[j]) && row.sizes[j] !== 0))
      throw invalidInput("sizes", "must be finite and ≠ 0");
  }
  book.mode[a] = code;
  book.paramSet[a] = row.paramSet;
  book.imMultiplier[a] = row.imMultiplier;
  book.imMultiplied[a] = row.imMultiplier > 1 ? 1 : 0;
  for (let k = 0; k < book.assetCount; k++) book.collateral[a * book.assetCount + k] = row.collateral[k] ?? 0;
  const start = book.posStart[a]!;
  const before = book.posCount[a]!;
  let sameInstruments = n === before;
  for (let j = 0; j < n && sameInstruments; j++)
    sameInstruments = book.posInstrument[start + j] === row.instruments[j];
  if (n > book.posCapacity[a]!) relocate(book, a, Math.max(INITIAL_SLOT_POSITIONS, 2 * n));
  const s = book.posStart[a]!;
  for (let j = 0; j < n; j++) {
    book.posInstrument[s + j] = row.instruments[j]!;
    book.posSize[s + j] = row.sizes[j]!;
    book.posEntryUsd[s + j] = row.entriesUsd[j]!;
  }
  book.posCount[a] = n;
  if (!sameInstruments) book.structureVersion++;
}
