import { invalidInput } from "../core/errors.ts";
import type { Engine } from "../engine/create-engine.ts";

/*
 * The accounts table of the venue as one read model: a row per sub-account with its engine
 * margin figures, computed once per engine sequence number (every request between two events
 * reads the same cached rows), sorted lazily once per sort key and order, and paged with
 * keyset cursors so that a page boundary stays put when rows are added or move between
 * requests. The health bands are counted from the same rows.
 */

export interface SubaccountSummaryRow {
  readonly accountId: string;
  readonly subaccountId: string;
  readonly mode: string;
  readonly equityUsd: number;
  readonly initialMarginUsd: number;
  readonly maintenanceMarginUsd: number;
  readonly freeCollateralUsd: number;
  readonly notionalUsd: number;
  /** equity / MM, dimensionless; null without requirement. */
  readonly health: number | null;
  /** MM / equity, dimensionless (liquidatable at ≥ 1); null without requirement or equity ≤ 0 with none. */
  readonly marginRatio: number | null;
  readonly positionsCount: number;
  readonly inLiquidation: boolean;
}

export const SUMMARY_SORT_KEYS = [
  "health",
  "marginRatio",
  "equityUsd",
  "initialMarginUsd",
  "maintenanceMarginUsd",
  "freeCollateralUsd",
  "notionalUsd",
  "positionsCount",
  "subaccountId",
  "accountId",
] as const;
export type SummarySortKey = (typeof SUMMARY_SORT_KEYS)[number];
export type SortOrder = "asc" | "desc";

/** Largest page a caller may ask for, rows. */
export const SUMMARY_PAGE_ROWS_MAX = 500;
/** Longest search text, characters. */
export const SUMMARY_QUERY_CHARS_MAX = 64;

/** Lower bounds of the health bands (equity / MM): [<1, 1–1.2, 1.2–1.5, 1.5–2, 2–5, ≥5]. */
export const HEALTH_BAND_EDGES = [1, 1.2, 1.5, 2, 5] as const;
export const HEALTH_BAND_LABELS = ["< 1", "1–1.2", "1.2–1.5", "1.5–2", "2–5", "≥ 5"] as const;

export interface HealthHistogram {
  /** Counts per band of HEALTH_BAND_LABELS (sub-accounts not in liquidation, with a requirement). */
  readonly bands: { label: string; fromHealth: number | null; toHealth: number | null; count: number }[];
  readonly inLiquidation: number;
  /** Sub-accounts without any requirement (no positions). */
  readonly noRequirement: number;
  readonly total: number;
}

type Rank = number | string;

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

/**
 * Sort rank of a row under `key`. Health: in liquidation first, then by health, no requirement
 * last, so "riskiest first" is ascending; margin ratio mirrors it (riskiest = highest).
 */
function rankOf(row: SubaccountSummaryRow, key: SummarySortKey): Rank {
  switch (key) {
    case "health":
      if (row.inLiquidation) return Number.NEGATIVE_INFINITY;
      return row.health ?? Number.POSITIVE_INFINITY;
    case "marginRatio":
      if (row.inLiquidation) return Number.POSITIVE_INFINITY;
      return row.marginRatio ?? Number.NEGATIVE_INFINITY;
    case "subaccountId":
      return row.subaccountId;
    case "accountId":
      return row.accountId;
    default:
      return row[key];
  }
}

function compareRank(a: Rank, b: Rank): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

/** Position of (rank, id) in the order: ties broken by sub-account id, always ascending. */
function compareKey(ra: Rank, ida: string, rb: Rank, idb: string, sign: number): number {
  return sign * compareRank(ra, rb) || compareRank(ida, idb);
}

interface Cursor {
  readonly sort: SummarySortKey;
  readonly order: SortOrder;
  readonly rank: Rank;
  readonly subaccountId: string;
}

/** Numbers that JSON cannot carry travel as tags inside the cursor. */
function encodeRank(rank: Rank): Rank {
  if (typeof rank === "string") return `s:${rank}`;
  if (rank === Number.POSITIVE_INFINITY) return "inf";
  if (rank === Number.NEGATIVE_INFINITY) return "-inf";
  return rank;
}

function decodeRank(value: unknown): Rank | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (value === "inf") return Number.POSITIVE_INFINITY;
  if (value === "-inf") return Number.NEGATIVE_INFINITY;
  if (typeof value === "string" && value.startsWith("s:")) return value.slice(2);
  return undefined;
}

/** The opaque cursor after `row` (base64url of JSON). */
export function encodeSummaryCursor(
  row: SubaccountSummaryRow,
  sort: SummarySortKey,
  order: SortOrder,
): string {
  const payload = [sort, order, encodeRank(rankOf(row, sort)), row.subaccountId];
  return Buffer.from(JSON.stringify(payload), "utf8").toString("base64url");
}

/** Parses a cursor made for `sort`/`order`; throws invalidInput("query.after", …) otherwise. */
export function decodeSummaryCursor(text: string, sort: SummarySortKey, order: SortOrder): Cursor {
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    throw invalidInput("query.after", "not a cursor returned by this endpoint");
  }
  if (!Array.isArray(payload) || payload.length !== 4)
    throw invalidInput("query.after", "not a cursor returned by this endpoint");
  const [s, o, r, id] = payload as unknown[];
  const rank = decodeRank(r);
  if (rank === undefined || typeof id !== "string")
    throw invalidInput("query.after", "not a cursor returned by this endpoint");
  if (s !== sort || o !== order)
    throw invalidInput("query.after", `the cursor belongs to sort=${String(s)}&order=${String(o)}`);
  return { sort, order, rank, subaccountId: id };
}

export interface SummaryQuery {
  readonly sort: SummarySortKey;
  readonly order: SortOrder;
  /** Rows per page, 1..SUMMARY_PAGE_ROWS_MAX. */
  readonly limit: number;
  readonly after?: string;
  /** Case-insensitive substring of the account or sub-account id. */
  readonly q?: string;
  /** Only rows of these accounts (a trader's own), or all when undefined. */
  readonly accountIds?: ReadonlySet<string>;
}

export interface SummaryPage {
  readonly items: SubaccountSummaryRow[];
  readonly next: string | null;
  /** Rows matching the filter (all pages). */
  readonly total: number;
  /** Engine sequence number the rows were computed at. */
  readonly asOfSeq: number;
  readonly asOfMs: number;
}

export interface SubaccountSummaryCache {
  /** The rows at the engine's current sequence number (recomputed only when it moved). */
  rows(): readonly SubaccountSummaryRow[];
  /** One page of rows under `query`. */
  page(query: SummaryQuery): SummaryPage;
  /** Counts per health band of the rows visible under `accountIds`. */
  histogram(accountIds?: ReadonlySet<string>): HealthHistogram & { asOfSeq: number; asOfMs: number };
  /** How many times the rows were recomputed (tests, metrics). */
  recomputations(): number;
}

function rowsOf(engine: Engine): SubaccountSummaryRow[] {
  const state = engine.state();
  if (state.config === null) return [];
  const rows: SubaccountSummaryRow[] = [];
  for (const s of state.subaccounts) {
    const view = engine.subaccount(s.id);
    if (view === undefined) continue;
    const r = view.risk;
    const ratio = r.maintenanceMarginUsd === 0 ? Number.NaN : r.maintenanceMarginUsd / r.equityUsd;
    rows.push({
      accountId: view.accountId,
      subaccountId: view.id,
      mode: view.mode,
      equityUsd: r.equityUsd,
      initialMarginUsd: r.initialMarginUsd,
      maintenanceMarginUsd: r.maintenanceMarginUsd,
      freeCollateralUsd: r.equityUsd - r.initialMarginUsd,
      notionalUsd: r.notionalUsd,
      health: finiteOrNull(r.health),
      // Equity at or below zero under a requirement is past liquidation: report it as unbounded.
      marginRatio: r.maintenanceMarginUsd === 0 ? null : r.equityUsd <= 0 ? null : finiteOrNull(ratio),
      positionsCount: view.positions.length,
      inLiquidation: view.inLiquidation,
    });
  }
  return rows;
}

/** The band index of a row: 0..5 for the numeric bands, -1 in liquidation, -2 no requirement. */
function bandOf(row: SubaccountSummaryRow): number {
  if (row.inLiquidation) return -1;
  if (row.health === null) return -2;
  let i = 0;
  while (i < HEALTH_BAND_EDGES.length && row.health >= HEALTH_BAND_EDGES[i]!) i += 1;
  return i;
}

/** Counts rows per health band. */
export function healthHistogramOf(rows: readonly SubaccountSummaryRow[]): HealthHistogram {
  const counts = new Array<number>(HEALTH_BAND_LABELS.length).fill(0);
  let inLiquidation = 0;
  let noRequirement = 0;
  for (const row of rows) {
    const b = bandOf(row);
    if (b === -1) inLiquidation += 1;
    else if (b === -2) noRequirement += 1;
    else counts[b] = (counts[b] ?? 0) + 1;
  }
  return {
    bands: HEALTH_BAND_LABELS.map((label, i) => ({
      label,
      fromHealth: i === 0 ? null : HEALTH_BAND_EDGES[i - 1]!,
      toHealth: i === HEALTH_BAND_EDGES.length ? null : HEALTH_BAND_EDGES[i]!,
      count: counts[i]!,
    })),
    inLiquidation,
    noRequirement,
    total: rows.length,
  };
}

/** First index in `sorted` strictly after the cursor (binary search: the rows are in cursor order). */
function indexAfter(sorted: readonly SubaccountSummaryRow[], cursor: Cursor, sign: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const row = sorted[mid]!;
    if (compareKey(rankOf(row, cursor.sort), row.subaccountId, cursor.rank, cursor.subaccountId, sign) <= 0)
      lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Creates the cache over `engine` (reads only its public API). */
export function createSubaccountSummaryCache(engine: Engine): SubaccountSummaryCache {
  let seq = -1;
  let rows: SubaccountSummaryRow[] = [];
  let sorted = new Map<string, SubaccountSummaryRow[]>();
  let histogramAll: HealthHistogram | undefined;
  let count = 0;

  const current = (): SubaccountSummaryRow[] => {
    const now = engine.state().seq;
    if (now !== seq) {
      rows = rowsOf(engine);
      sorted = new Map();
      histogramAll = undefined;
      seq = now;
      count += 1;
    }
    return rows;
  };

  const sortedBy = (sort: SummarySortKey, order: SortOrder): SubaccountSummaryRow[] => {
    const all = current();
    const id = `${sort}:${order}`;
    let s = sorted.get(id);
    if (s === undefined) {
      const sign = order === "desc" ? -1 : 1;
      const keyed = all.map((row) => ({ row, rank: rankOf(row, sort) }));
      keyed.sort((a, b) => compareKey(a.rank, a.row.subaccountId, b.rank, b.row.subaccountId, sign));
      s = keyed.map((k) => k.row);
      sorted.set(id, s);
    }
    return s;
  };

  const matches = (row: SubaccountSummaryRow, query: SummaryQuery, needle: string): boolean =>
    (query.accountIds === undefined || query.accountIds.has(row.accountId)) &&
    (needle === "" ||
      row.subaccountId.toLowerCase().includes(needle) ||
      row.accountId.toLowerCase().includes(needle));

  return {
    rows: current,
    recomputations: () => count,
    page(query) {
      const list = sortedBy(query.sort, query.order);
      const sign = query.order === "desc" ? -1 : 1;
      const start =
        query.after === undefined
          ? 0
          : indexAfter(list, decodeSummaryCursor(query.after, query.sort, query.order), sign);
      const needle = (query.q ?? "").trim().toLowerCase();
      const unfiltered = query.accountIds === undefined && needle === "";
      const items: SubaccountSummaryRow[] = [];
      let more = false;
      let total = unfiltered ? list.length : 0;
      for (let i = unfiltered ? start : 0; i < list.length; i += 1) {
        const row = list[i]!;
        if (!unfiltered) {
          if (!matches(row, query, needle)) continue;
          total += 1;
          if (i < start) continue;
        }
        if (items.length < query.limit) items.push(row);
        else {
          more = true;
          if (unfiltered) break;
        }
      }
      const last = items.at(-1);
      return {
        items,
        next: more && last !== undefined ? encodeSummaryCursor(last, query.sort, query.order) : null,
        total,
        asOfSeq: seq,
        asOfMs: engine.state().clockMs,
      };
    },
    histogram(accountIds) {
      const all = current();
      const asOf = { asOfSeq: seq, asOfMs: engine.state().clockMs };
      if (accountIds !== undefined)
        return { ...healthHistogramOf(all.filter((r) => accountIds.has(r.accountId))), ...asOf };
      histogramAll ??= healthHistogramOf(all);
      return { ...histogramAll, ...asOf };
    },
  };
}
