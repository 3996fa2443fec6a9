import { MarginalError } from "../errors.ts";

/** Where each known column sits in a CSV row (0-based), or undefined when the file lacks it. */
export interface PriceColumns {
  readonly timestamp: number;
  readonly open: number | undefined;
  readonly high: number | undefined;
  readonly low: number | undefined;
  readonly close: number;
  readonly volume: number | undefined;
}

// Vendor spellings, in order of preference. `Adj Close` is deliberately absent: we use the
// traded Close, so an adjusted column is ignored (SPY in ../shared/data is already adjusted).
const TIMESTAMP_NAMES = ["timestamp", "open_time", "opentime", "open time", "date", "datetime", "time", "ts"];
const CLOSE_NAMES = ["close", "price"];

/** Lower-cases and trims a header cell, dropping a UTF-8 byte-order mark and surrounding quotes. */
export function normalizeHeaderCell(cell: string): string {
  return cell
    .replace(/^\uFEFF/, "")
    .trim()
    .replace(/^"(.*)"$/, "$1")
    .trim()
    .toLowerCase();
}

/** Index of the first name in `names` present in the normalised header, else undefined. */
export function findColumn(header: readonly string[], names: readonly string[]): number | undefined {
  for (const name of names) {
    const index = header.indexOf(name);
    if (index >= 0) return index;
  }
  return undefined;
}

/**
 * Resolves the price columns of a header row (cells as read, any case). Needs a timestamp
 * column (`timestamp`, `open_time`, `date`, `datetime`, `time`) and a `close` (or `price`)
 * column; open/high/low/volume are optional; other columns are ignored.
 */
export function resolvePriceColumns(headerCells: readonly string[], source: string): PriceColumns {
  const header = headerCells.map(normalizeHeaderCell);
  const timestamp = findColumn(header, TIMESTAMP_NAMES);
  const close = findColumn(header, CLOSE_NAMES);
  if (timestamp === undefined) {
    throw new MarginalError(
      "invalid_data",
      `${source}: no timestamp column (expected one of ${TIMESTAMP_NAMES.join(", ")}); header is '${headerCells.join(",")}'`,
      { field: "timestamp" },
    );
  }
  if (close === undefined) {
    throw new MarginalError(
      "invalid_data",
      `${source}: no price column (expected 'close'); header is '${headerCells.join(",")}'`,
      { field: "close" },
    );
  }
  return {
    timestamp,
    open: findColumn(header, ["open"]),
    high: findColumn(header, ["high"]),
    low: findColumn(header, ["low"]),
    close,
    volume: findColumn(header, ["volume"]),
  };
}

/** Resolves the timestamp column of any time-series header (see `resolvePriceColumns`). */
export function resolveTimestampColumn(headerCells: readonly string[], source: string): number {
  const index = findColumn(headerCells.map(normalizeHeaderCell), TIMESTAMP_NAMES);
  if (index === undefined) {
    throw new MarginalError(
      "invalid_data",
      `${source}: no timestamp column (expected one of ${TIMESTAMP_NAMES.join(", ")})`,
      { field: "timestamp" },
    );
  }
  return index;
}
