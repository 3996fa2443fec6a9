import type { ColumnarBook } from "./columnar-book.ts";
import type { HotpathUniverse } from "./hotpath-universe.ts";
import type { TickTables } from "./tick-tables.ts";

/*
 * Instrument → holders and collateral asset → holders, in CSR form (counting sort over the
 * position rows, O(positions)). The incremental re-margin uses it to find the sub-accounts whose
 * inputs changed. A caller that knows which rows changed structure (a new position, a deposit
 * into a new asset) adds them in O(their positions) with `addRowToHolderIndex`; otherwise the
 * index is rebuilt when the book's structure version moved. Fills that only resize existing
 * positions do not stale it, and neither do deposits into an asset already held.
 */

export interface HolderIndex {
  /** The book structure the index covers (with the holders added since the build). */
  structureVersion: number;
  /** Holders of instrument i: holders[instrumentStart[i] .. instrumentStart[i+1]), ascending. */
  readonly instrumentStart: Int32Array;
  readonly holders: Int32Array;
  /** Holders of asset k (amount ≠ 0 when built): assetHolders[assetStart[k] .. assetStart[k+1]). */
  readonly assetStart: Int32Array;
  readonly assetHolders: Int32Array;
  /**
   * Holders added since the build (a new position, a deposit into a new asset), per instrument
   * and per asset, unordered. A holder that has since closed its position stays listed (in the
   * CSR part or here): it is re-margined needlessly on that instrument's ticks, never missed.
   */
  readonly addedInstrument: Map<number, number[]>;
  readonly addedAsset: Map<number, number[]>;
  /** How many holders were added since the build. */
  added: number;
}

function listed(start: Int32Array, list: Int32Array, key: number, a: number): boolean {
  let lo = start[key]!;
  let hi = start[key + 1]! - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = list[mid]!;
    if (v === a) return true;
    if (v < a) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

function addTo(map: Map<number, number[]>, key: number, a: number): boolean {
  const list = map.get(key);
  if (list === undefined) {
    map.set(key, [a]);
    return true;
  }
  if (list.includes(a)) return false;
  list.push(a);
  return true;
}

/**
 * Adds sub-account a's current instruments and collateral assets to the index where it is not
 * listed yet (O(positions of a × log holders)); call it for every row whose structure changed,
 * then set `structureVersion` to the book's. Returns how many holders were added.
 */
export function addRowToHolderIndex(index: HolderIndex, book: ColumnarBook, a: number): number {
  let added = 0;
  const s = book.posStart[a]!;
  for (let r = s; r < s + book.posCount[a]!; r++) {
    const i = book.posInstrument[r]!;
    if (!listed(index.instrumentStart, index.holders, i, a) && addTo(index.addedInstrument, i, a)) added++;
  }
  const nA = book.assetCount;
  for (let k = 0; k < nA; k++) {
    if (book.collateral[a * nA + k] === 0) continue;
    if (!listed(index.assetStart, index.assetHolders, k, a) && addTo(index.addedAsset, k, a)) added++;
  }
  index.added += added;
  return added;
}

/** Builds the holder index of the book (ascending sub-account order within each instrument). */
export function buildHolderIndex(universe: HotpathUniverse, book: ColumnarBook): HolderIndex {
  const nI = universe.instrumentCount;
  const nA = book.assetCount;
  const instrumentStart = new Int32Array(nI + 1);
  const assetStart = new Int32Array(nA + 1);
  for (let a = 0; a < book.subaccountCount; a++) {
    const s = book.posStart[a]!;
    for (let r = s; r < s + book.posCount[a]!; r++) instrumentStart[book.posInstrument[r]! + 1]!++;
    for (let k = 0; k < nA; k++) if (book.collateral[a * nA + k] !== 0) assetStart[k + 1]!++;
  }
  for (let i = 0; i < nI; i++) instrumentStart[i + 1]! += instrumentStart[i]!;
  for (let k = 0; k < nA; k++) assetStart[k + 1]! += assetStart[k]!;
  const holders = new Int32Array(instrumentStart[nI]!);
  const assetHolders = new Int32Array(assetStart[nA]!);
  const fillI = instrumentStart.slice(0, nI);
  const fillA = assetStart.slice(0, nA);
  for (let a = 0; a < book.subaccountCount; a++) {
    const s = book.posStart[a]!;
    for (let r = s; r < s + book.posCount[a]!; r++) holders[fillI[book.posInstrument[r]!]!++] = a;
    for (let k = 0; k < nA; k++) if (book.collateral[a * nA + k] !== 0) assetHolders[fillA[k]!++] = a;
  }
  return {
    structureVersion: book.structureVersion,
    instrumentStart,
    holders,
    assetStart,
    assetHolders,
    addedInstrument: new Map(),
    addedAsset: new Map(),
    added: 0,
  };
}

/**
 * Collects, in ascending order, the sub-accounts holding an instrument or a collateral asset that
 * the tick tables flag as changed, into `out` (length ≥ sub-account count); returns how many.
 * `marks` is a caller-owned zeroed scratch column of one byte per sub-account, left zeroed.
 * Deposits into an asset a sub-account did not hold when the index was built are not seen:
 * rebuild the index (or re-margin that sub-account directly) after such a deposit.
 */
export function collectAffectedSubaccounts(
  index: HolderIndex,
  tables: TickTables,
  marks: Uint8Array,
  out: Int32Array,
): number {
  let lo = marks.length;
  let hi = -1;
  const { instrumentStart, holders, assetStart, assetHolders } = index;
  const nI = instrumentStart.length - 1;
  // One changed instrument, no changed asset, nothing added since the build: its holder list is
  // already the answer (ascending, distinct), so copy it instead of marking and scanning.
  let single = -1;
  let changedCount = 0;
  for (let i = 0; i < nI && changedCount < 2; i++) {
    if (tables.changedInstrument[i] === 1) {
      single = i;
      changedCount++;
    }
  }
  if (changedCount === 1 && index.added === 0 && !tables.changedAsset.includes(1)) {
    const start = instrumentStart[single]!;
    const end = instrumentStart[single + 1]!;
    out.set(holders.subarray(start, end));
    return end - start;
  }
  for (let i = 0; i < nI; i++) {
    if (tables.changedInstrument[i] !== 1) continue;
    const end = instrumentStart[i + 1]!;
    for (let x = instrumentStart[i]!; x < end; x++) {
      const a = holders[x]!;
      marks[a] = 1;
      if (a < lo) lo = a;
      if (a > hi) hi = a;
    }
  }
  const nA = assetStart.length - 1;
  for (let k = 0; k < nA; k++) {
    if (tables.changedAsset[k] !== 1) continue;
    const end = assetStart[k + 1]!;
    for (let x = assetStart[k]!; x < end; x++) {
      const a = assetHolders[x]!;
      marks[a] = 1;
      if (a < lo) lo = a;
      if (a > hi) hi = a;
    }
  }
  if (index.added > 0) {
    for (const [i, list] of index.addedInstrument) {
      if (tables.changedInstrument[i] !== 1) continue;
      for (const a of list) {
        marks[a] = 1;
        if (a < lo) lo = a;
        if (a > hi) hi = a;
      }
    }
    for (const [k, list] of index.addedAsset) {
      if (tables.changedAsset[k] !== 1) continue;
      for (const a of list) {
        marks[a] = 1;
        if (a < lo) lo = a;
        if (a > hi) hi = a;
      }
    }
  }
  // Scan the marked range four bytes at a time where the buffer allows it: most words are zero.
  let count = 0;
  let a = lo;
  while (a <= hi && (marks.byteOffset + a) % 4 !== 0) {
    if (marks[a] === 1) {
      marks[a] = 0;
      out[count++] = a;
    }
    a++;
  }
  const wordCount = Math.max(0, Math.floor((hi + 1 - a) / 4));
  if (wordCount > 0) {
    const words = new Uint32Array(marks.buffer, marks.byteOffset + a, wordCount);
    for (let w = 0; w < wordCount; w++) {
      if (words[w] === 0) continue;
      const base = a + 4 * w;
      for (let b = base; b < base + 4; b++) {
        if (marks[b] === 1) {
          marks[b] = 0;
          out[count++] = b;
        }
      }
    }
    a += 4 * wordCount;
  }
  for (; a <= hi; a++) {
    if (marks[a] === 1) {
      marks[a] = 0;
      out[count++] = a;
    }
  }
  return count;
}

/** Clears the change flags of the tick tables (after the changes were re-margined). */
export function clearTickChanges(tables: TickTables): void {
  tables.changedInstrument.fill(0);
  tables.changedAsset.fill(0);
}

/**
 * Splits the holders of the instruments the tick tables flag as changed: holders of a changed
 * instrument (or tied asset) on an underlying flagged in `moved` are collected into `out` like
 * `collectAffectedSubaccounts` (ascending; returns how many), and holders of changed instruments
 * on other underlyings are only flagged in `stale` (1 = its results lag the tables). The caller
 * re-margins the collected rows now and the stale ones when they are next needed: after a move of
 * the valuation clock, every option changes, but only the holders of the underlying that ticked
 * need their results at once.
 */
export function collectMovedAndStale(
  index: HolderIndex,
  tables: TickTables,
  instrumentUnderlying: Int32Array,
  assetUnderlying: Int32Array,
  moved: Uint8Array,
  marks: Uint8Array,
  out: Int32Array,
  stale: Uint8Array,
): number {
  const { instrumentStart, holders, assetStart, assetHolders } = index;
  const nI = instrumentStart.length - 1;
  const nA = assetStart.length - 1;
  const deferredInstrument = new Uint8Array(nI);
  const deferredAsset = new Uint8Array(nA);
  let deferred = 0;
  for (let i = 0; i < nI; i++) {
    if (tables.changedInstrument[i] !== 1 || moved[instrumentUnderlying[i]!] === 1) continue;
    tables.changedInstrument[i] = 0;
    deferredInstrument[i] = 1;
    deferred++;
  }
  for (let k = 0; k < nA; k++) {
    const u = assetUnderlying[k]!;
    if (tables.changedAsset[k] !== 1 || (u >= 0 && moved[u] === 1)) continue;
    tables.changedAsset[k] = 0;
    deferredAsset[k] = 1;
    deferred++;
  }
  if (deferred > 0) {
    for (let i = 0; i < nI; i++) {
      if (deferredInstrument[i] !== 1) continue;
      const end = instrumentStart[i + 1]!;
      for (let x = instrumentStart[i]!; x < end; x++) stale[holders[x]!] = 1;
      for (const a of index.addedInstrument.get(i) ?? []) stale[a] = 1;
    }
    for (let k = 0; k < nA; k++) {
      if (deferredAsset[k] !== 1) continue;
      const end = assetStart[k + 1]!;
      for (let x = assetStart[k]!; x < end; x++) stale[assetHolders[x]!] = 1;
      for (const a of index.addedAsset.get(k) ?? []) stale[a] = 1;
    }
  }
  // The caller re-margins out[0..n) and clears their `stale` flags (after bringing current any
  // lagging underlying they hold: the kernel reads every instrument of a row).
  return collectAffectedSubaccounts(index, tables, marks, out);
}
