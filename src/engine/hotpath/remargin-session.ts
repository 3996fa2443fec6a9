import type { ColumnarBook } from "../../core/hotpath/columnar-book.ts";
import {
  addRowToHolderIndex,
  buildHolderIndex,
  clearTickChanges,
  collectAffectedSubaccounts,
  collectMovedAndStale,
  type HolderIndex,
} from "../../core/hotpath/holder-index.ts";
import type { HotpathUniverse } from "../../core/hotpath/hotpath-universe.ts";
import {
  copyMarginColumns,
  createMarginColumns,
  type MarginColumns,
  resultEquityUsd,
  resultMaintenanceMarginUsd,
} from "../../core/hotpath/margin-columns.ts";
import { createRemarginKernel, type RemarginKernel } from "../../core/hotpath/remargin-kernel.ts";
import {
  anyLagging,
  prepareTickTables,
  retimeAll,
  retimeUnderlying,
  type TickTables,
  updateTickTables,
} from "../../core/hotpath/tick-tables.ts";
import { int32Column } from "../../core/hotpath/typed-columns.ts";
import type { MarketState } from "../../core/margin/types.ts";
import type { RemarginPool } from "./remargin-pool.ts";
import { type SyncRemarginPool, verdictHook } from "./sync-remargin-pool.ts";
import type { VerdictColumns } from "./verdicts.ts";

/*
 * The hot path as the engine drives it: a book, the tick tables of the current market, the
 * latest results and the holder index, kept together. An oracle tick updates the tables of the
 * underlyings it moved, re-margins only the sub-accounts holding something that changed, and
 * returns the sub-accounts that have just become liquidatable, by the engine's rule (equity below
 * MM, or negative equity), in ascending index order. Deterministic: no clock, no randomness.
 */

export interface LiquidationSignal {
  readonly subaccountIndex: number;
  readonly subaccountId: string;
  readonly equityUsd: number;
  readonly maintenanceMarginUsd: number;
}

export interface RemarginSession {
  readonly universe: HotpathUniverse;
  readonly book: ColumnarBook;
  readonly tables: TickTables;
  readonly out: MarginColumns;
  market: MarketState;
  /** Sub-accounts re-margined by the last tick. */
  lastAffected: number;
  /** Times the holder index was built (once at the start, then only when it had to be rebuilt). */
  indexBuilds: number;
  /** Re-margins every sub-account (e.g. after loading the book); returns the liquidatable ones. */
  full(): LiquidationSignal[];
  /** Applies a market update that moved `underlyings` (0/1 per underlying index); returns new liquidations. */
  tick(market: MarketState, underlyings: Uint8Array): LiquidationSignal[];
  /** `tick` with the re-margin spread over a worker pool (the session must be shared); same results. */
  tickParallel(
    market: MarketState,
    underlyings: Uint8Array,
    pool: RemarginPool,
  ): Promise<LiquidationSignal[]>;
  /** Re-margins one sub-account now (after a fill or a deposit), returning a signal if it became liquidatable. */
  touch(a: number): LiquidationSignal | null;
  /** `touch` of every row in `rows` in one kernel pass (no signals). */
  touchRows(rows: readonly number[]): void;
  /**
   * The engine's tick: like `tick`, but only the holders of the underlyings in `underlyings` are
   * re-margined now; holders of instruments that changed only through the clock (the options of
   * other underlyings when the valuation time moved) are flagged in `stale` and re-margined when
   * next touched or ticked. No liquidation signals (the engine finds its own).
   */
  advance(market: MarketState, underlyings: Uint8Array, verdicts?: VerdictPass | null): void;
  /** Per sub-account: 1 while its results lag the tick tables (see `advance`). */
  readonly stale: Uint8Array;
  /** The sub-accounts the last `tick` re-margined: rows [0, lastAffected) of this column. */
  affectedRows(): Int32Array;
  /**
   * Tells the session that, since its last tick, the book's structure changed only in `rows`
   * (rewritten by the caller): their holdings are added to the holder index in O(their
   * positions) instead of a rebuild over every position at the next tick. Call it before `tick`.
   */
  noteChangedRows(rows: readonly number[]): void;
}

/**
 * Verdicts computed within `advance`'s re-margin pass, block by block, by the thread that has
 * just computed the rows: `prepare` runs once the tables are current (before the pass) and
 * brings in step what the verdicts read besides the kernel's results.
 */
export interface VerdictPass {
  readonly columns: VerdictColumns;
  prepare(): void;
}

/** Holders added incrementally before the index is rebuilt anyway (as a share of its size). */
const ADDED_HOLDERS_REBUILD_SHARE = 0.02;

function breached(out: MarginColumns, a: number): boolean {
  return out.liquidatable[a] === 1 || resultEquityUsd(out, a) < 0;
}

/** Opens a session over a book at a market state (`shared` columns for a worker pool). */
export function createRemarginSession(
  universe: HotpathUniverse,
  book: ColumnarBook,
  market: MarketState,
  shared = false,
  syncPool: SyncRemarginPool | null = null,
): RemarginSession {
  const kernel: RemarginKernel = createRemarginKernel(universe);
  const tables = prepareTickTables(universe, market, shared);
  clearTickChanges(tables);
  let out = createMarginColumns(book.subaccountCount, shared);
  let index: HolderIndex = buildHolderIndex(universe, book);
  let indexStale = false;
  let marks = new Uint8Array(book.subaccountCount);
  let affected = int32Column(book.subaccountCount, shared);
  // Breach state before the pass, so that only transitions are signalled.
  let wasBreached = new Uint8Array(book.subaccountCount);
  let stale = new Uint8Array(book.subaccountCount);

  function ensureRows(): void {
    const n = book.subaccountCount;
    if (out.rows >= n) return;
    const next = createMarginColumns(Math.max(n, out.rows * 2), shared);
    copyMarginColumns(out, next);
    out = next;
    session.out = next;
    const grown = new Uint8Array(next.rows);
    grown.set(wasBreached);
    wasBreached = grown;
    marks = new Uint8Array(next.rows);
    affected = int32Column(next.rows, shared);
    const grownStale = new Uint8Array(next.rows);
    grownStale.set(stale);
    stale = grownStale;
  }

  const one = new Int32Array(1);
  let touched = new Int32Array(64);

  /** Retimes the lagging underlyings of row a's positions (see `advance`), so a kernel pass may read them. */
  function ensureRowCurrent(a: number): void {
    const lagging = tables.lagging;
    const start = book.posStart[a]!;
    const end = start + book.posCount[a]!;
    for (let p = start; p < end; p++) {
      const i = book.posInstrument[p]!;
      const und = universe.instrumentUnderlying[i]!;
      if (lagging[und] === 1 && tables.timeDependent[i] === 1)
        retimeUnderlying(universe, tables, session.market, und);
    }
  }

  /** Whether every asset sub-account a holds lists it in the index (binary search per asset). */
  function assetsIndexed(a: number): boolean {
    const na = book.assetCount;
    for (let k = 0; k < na; k++) {
      if (book.collateral[a * na + k] === 0) continue;
      let lo = index.assetStart[k]!;
      let hi = index.assetStart[k + 1]! - 1;
      let found = false;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const v = index.assetHolders[mid]!;
        if (v === a) {
          found = true;
          break;
        }
        if (v < a) lo = mid + 1;
        else hi = mid - 1;
      }
      if (!found) return false;
    }
    return true;
  }

  function signal(a: number): LiquidationSignal | null {
    const now = breached(out, a);
    const before = wasBreached[a] === 1;
    wasBreached[a] = now ? 1 : 0;
    if (!now || before) return null;
    return {
      subaccountIndex: a,
      subaccountId: book.ids[a]!,
      equityUsd: resultEquityUsd(out, a),
      maintenanceMarginUsd: resultMaintenanceMarginUsd(out, a),
    };
  }

  /** Updates the tables and collects the sub-accounts to re-margin into `affected`; returns how many. */
  function prepareTick(next: MarketState, underlyings: Uint8Array): number {
    ensureRows();
    session.market = next;
    updateTickTables(universe, tables, next, underlyings);
    retimeAll(universe, tables, next);
    if (indexStale || index.structureVersion !== book.structureVersion) {
      index = buildHolderIndex(universe, book);
      indexStale = false;
      session.indexBuilds++;
    }
    const n = collectAffectedSubaccounts(index, tables, marks, affected);
    clearTickChanges(tables);
    session.lastAffected = n;
    return n;
  }

  /** The transitions among affected[0..n): the same rule as `signal`, with the columns in locals. */
  function signalsOf(n: number): LiquidationSignal[] {
    const signals: LiquidationSignal[] = [];
    const list = affected;
    const was = wasBreached;
    const liq = out.liquidatable;
    // The result records (margin-columns.ts: equity at a·4, MM at a·4 + 2), read in the loop.
    const res = out.results;
    for (let x = 0; x < n; x++) {
      const a = list[x]!;
      const now = liq[a] === 1 || res[a * 4]! < 0 ? 1 : 0;
      const before = was[a]!;
      was[a] = now;
      if (now === 1 && before === 0) {
        signals.push({
          subaccountIndex: a,
          subaccountId: book.ids[a]!,
          equityUsd: res[a * 4]!,
          maintenanceMarginUsd: res[a * 4 + 2]!,
        });
      }
    }
    return signals;
  }

  const session = {
    universe,
    book,
    tables,
    out,
    market,
    lastAffected: 0,
    indexBuilds: 1,
    get stale(): Uint8Array {
      return stale;
    },
    advance(next: MarketState, underlyings: Uint8Array, verdicts: VerdictPass | null = null): void {
      ensureRows();
      session.market = next;
      updateTickTables(universe, tables, next, underlyings, true);
      if (indexStale || index.structureVersion !== book.structureVersion) {
        index = buildHolderIndex(universe, book);
        indexStale = false;
        session.indexBuilds++;
      }
      const n = collectMovedAndStale(
        index,
        tables,
        universe.instrumentUnderlying,
        universe.assetUnderlying,
        underlyings,
        marks,
        affected,
        stale,
      );
      clearTickChanges(tables);
      // A row that holds a lagging underlying's instrument was flagged stale when it began to lag
      // (rows un-flagged since went through ensureRowCurrent), so only stale rows are checked.
      const lagging = anyLagging(tables);
      for (let x = 0; x < n; x++) {
        const a = affected[x]!;
        if (stale[a] === 1) {
          if (lagging) ensureRowCurrent(a);
          stale[a] = 0;
        }
      }
      session.lastAffected = n;
      verdicts?.prepare();
      if (syncPool !== null) syncPool.runList(book, tables, out, affected, n, verdicts?.columns ?? null);
      else
        kernel.runList(
          book,
          tables,
          out,
          affected,
          0,
          n,
          verdicts === null ? null : verdictHook(verdicts.columns, book, out),
        );
    },
    full(): LiquidationSignal[] {
      ensureRows();
      retimeAll(universe, tables, session.market);
      stale.fill(0);
      kernel.runRange(book, tables, out, 0, book.subaccountCount);
      const signals: LiquidationSignal[] = [];
      for (let a = 0; a < book.subaccountCount; a++) {
        const s = signal(a);
        if (s !== null) signals.push(s);
      }
      session.lastAffected = book.subaccountCount;
      return signals;
    },
    tick(next: MarketState, underlyings: Uint8Array): LiquidationSignal[] {
      const n = prepareTick(next, underlyings);
      kernel.runList(book, tables, out, affected, 0, n);
      for (let x = 0; x < n; x++) stale[affected[x]!] = 0;
      return signalsOf(n);
    },
    async tickParallel(next: MarketState, underlyings: Uint8Array, pool: RemarginPool) {
      const n = prepareTick(next, underlyings);
      await pool.runList(book, tables, out, affected, n);
      for (let x = 0; x < n; x++) stale[affected[x]!] = 0;
      return signalsOf(n);
    },
    affectedRows(): Int32Array {
      return affected;
    },
    noteChangedRows(rows: readonly number[]): void {
      if (indexStale || index.structureVersion === book.structureVersion) {
        // Nothing structural happened (or a rebuild is due anyway): holdings of new assets only.
        if (!indexStale)
          for (const a of rows)
            if (a < book.subaccountCount && !assetsIndexed(a)) addRowToHolderIndex(index, book, a);
        return;
      }
      for (const a of rows) if (a < book.subaccountCount) addRowToHolderIndex(index, book, a);
      index.structureVersion = book.structureVersion;
      if (index.added > Math.max(1024, ADDED_HOLDERS_REBUILD_SHARE * index.holders.length)) indexStale = true;
    },
    touchRows(rows: readonly number[]): void {
      if (rows.length === 0) return;
      ensureRows();
      if (touched.length < rows.length) touched = new Int32Array(Math.max(rows.length, 2 * touched.length));
      const lagging = anyLagging(tables);
      for (let x = 0; x < rows.length; x++) {
        const a = rows[x]!;
        if (lagging) ensureRowCurrent(a);
        if (!indexStale && index.structureVersion === book.structureVersion) indexStale = !assetsIndexed(a);
        touched[x] = a;
      }
      kernel.runList(book, tables, out, touched, 0, rows.length);
      for (let x = 0; x < rows.length; x++) {
        const a = rows[x]!;
        stale[a] = 0;
        signal(a);
      }
    },
    touch(a: number): LiquidationSignal | null {
      ensureRows();
      // A new position changes the book's structure version; a deposit into an asset the index
      // does not list this sub-account under is checked here. Either way the index is rebuilt
      // before the next tick (O(positions), once however many touches came in between); a fill
      // that only resizes a position or a deposit into a held asset costs nothing.
      if (!indexStale && index.structureVersion === book.structureVersion) indexStale = !assetsIndexed(a);
      if (anyLagging(tables)) ensureRowCurrent(a);
      one[0] = a;
      kernel.runList(book, tables, out, one, 0, 1);
      stale[a] = 0;
      return signal(a);
    },
  };
  return session;
}
