import { MarginalError } from "../errors.ts";
import type { PriceColumns } from "./csv-columns.ts";
import { detectIntervalMs } from "./detect-interval.ts";
import { findGaps } from "./find-gaps.ts";
import { GrowableColumn } from "./growable-column.ts";
import { parseTimestampMs } from "./parse-timestamp.ts";
import type { PriceSeries } from "./price-series.ts";
import { detectTradingCalendar } from "./trading-calendar.ts";

export interface PriceSeriesBuilderOptions {
  /** Turn bad rows into counted warnings instead of throwing. */
  readonly skipBadRows?: boolean;
}

/** At most this many warning messages are kept; `warningCount` still counts them all. */
export const MAX_WARNING_MESSAGES = 1000;

// Vendors round adjusted prices independently per column (SPY: high 49.63974380493163 vs close
// 49.63974380493164), so OHLC consistency is checked with a relative tolerance of 1e-9,
// far below any tick size.
const OHLC_RELATIVE_TOLERANCE = 1e-9;

interface BadCell {
  readonly field: string;
  readonly reason: string;
}

/**
 * Turns CSV rows (already split into cells) into a validated columnar `PriceSeries`. Pure: the
 * caller streams the file and passes each row with its 1-based line number. Rows are checked in
 * a fixed order: timestamp parses, prices parse and are > 0, volume parses and is ≥ 0,
 * high ≥ low, high ≥ open/close, low ≤ open/close, timestamp strictly after the previous row.
 * Yahoo's `null` rows (every price cell "null") are skipped with a warning, never an error.
 */
export class PriceSeriesBuilder {
  private readonly timestamps = new GrowableColumn();
  private readonly open: GrowableColumn | undefined;
  private readonly high: GrowableColumn | undefined;
  private readonly low: GrowableColumn | undefined;
  private readonly close = new GrowableColumn();
  private readonly volume: GrowableColumn | undefined;
  private readonly warnings: string[] = [];
  private warningCount = 0;
  private lastTimestampMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly source: string,
    private readonly columns: PriceColumns,
    private readonly options: PriceSeriesBuilderOptions = {},
  ) {
    this.open = columns.open === undefined ? undefined : new GrowableColumn();
    this.high = columns.high === undefined ? undefined : new GrowableColumn();
    this.low = columns.low === undefined ? undefined : new GrowableColumn();
    this.volume = columns.volume === undefined ? undefined : new GrowableColumn();
  }

  /** Adds one data row; `lineNumber` is 1-based in the file (the header is line 1). */
  addRow(cells: readonly string[], lineNumber: number): void {
    const c = this.columns;
    if (isNullRow(cells, c)) {
      this.warn(lineNumber, "close", "'null' row skipped (vendor placeholder for a missing bar)");
      return;
    }
    const timestampMs = parseTimestampMs(cells[c.timestamp] ?? "");
    if (timestampMs === undefined) {
      this.bad(lineNumber, {
        field: "timestamp",
        reason: `'${cells[c.timestamp] ?? ""}' is not a timestamp`,
      });
      return;
    }
    const open = readPrice(cells, c.open, "open");
    const high = readPrice(cells, c.high, "high");
    const low = readPrice(cells, c.low, "low");
    const close = readPrice(cells, c.close, "close");
    const volume = readVolume(cells, c.volume);
    // Checked one by one (no array per row: this runs ten million times on a big file).
    const badCell =
      typeof open === "object"
        ? open
        : typeof high === "object"
          ? high
          : typeof low === "object"
            ? low
            : typeof close === "object"
              ? close
              : typeof volume === "object"
                ? volume
                : undefined;
    if (badCell !== undefined) {
      this.bad(lineNumber, badCell);
      return;
    }
    const problem = ohlcProblem(open as number, high as number, low as number, close as number);
    if (problem !== undefined) {
      this.bad(lineNumber, problem);
      return;
    }
    if (timestampMs <= this.lastTimestampMs) {
      const how = timestampMs === this.lastTimestampMs ? "duplicated" : "goes backwards";
      this.bad(lineNumber, {
        field: "timestamp",
        reason: `timestamp ${how} (${cells[c.timestamp]?.trim()})`,
      });
      return;
    }
    this.lastTimestampMs = timestampMs;
    this.timestamps.push(timestampMs);
    this.open?.push(open as number);
    this.high?.push(high as number);
    this.low?.push(low as number);
    this.close.push(close as number);
    this.volume?.push(volume as number);
  }

  /** Rows accepted so far. */
  get rowCount(): number {
    return this.close.length;
  }

  /** Trims the columns and detects interval, calendar and gaps. Throws on an empty series. */
  finish(): PriceSeries & { readonly warningCount: number } {
    if (this.close.length === 0) {
      throw new MarginalError("invalid_data", `${this.source}: no data rows`, { field: "close" });
    }
    const timestampsMs = this.timestamps.toArray();
    const intervalMs = detectIntervalMs(timestampsMs);
    const calendar = detectTradingCalendar(timestampsMs, intervalMs);
    return {
      source: this.source,
      timestampsMs,
      open: this.open?.toArray(),
      high: this.high?.toArray(),
      low: this.low?.toArray(),
      close: this.close.toArray(),
      volume: this.volume?.toArray(),
      intervalMs,
      gaps: findGaps(timestampsMs, intervalMs, calendar),
      warnings: this.warnings,
      warningCount: this.warningCount,
    };
  }

  private bad(lineNumber: number, cell: BadCell): void {
    if (this.options.skipBadRows !== true) {
      throw new MarginalError(
        "invalid_data",
        `${this.source} line ${lineNumber}, field ${cell.field}: ${cell.reason}`,
        {
          details: { file: this.source, line: lineNumber, field: cell.field },
        },
      );
    }
    this.warn(lineNumber, cell.field, `${cell.reason}; row skipped`);
  }

  private warn(lineNumber: number, field: string, reason: string): void {
    this.warningCount++;
    if (this.warnings.length < MAX_WARNING_MESSAGES)
      this.warnings.push(`line ${lineNumber}, field ${field}: ${reason}`);
  }
}

function isNullRow(cells: readonly string[], c: PriceColumns): boolean {
  const cell = cells[c.close]?.trim().toLowerCase();
  return cell === "null";
}

function readPrice(
  cells: readonly string[],
  index: number | undefined,
  field: string,
): number | undefined | BadCell {
  if (index === undefined) return undefined;
  const text = (cells[index] ?? "").trim();
  const value = text === "" ? Number.NaN : Number(text);
  if (!Number.isFinite(value)) return { field, reason: `'${text}' is not a number` };
  if (value <= 0) return { field, reason: `price must be > 0, got ${text}` };
  return value;
}

function readVolume(cells: readonly string[], index: number | undefined): number | undefined | BadCell {
  if (index === undefined) return undefined;
  const text = (cells[index] ?? "").trim();
  // An empty volume cell is a missing value (NaN in the column), not a bad row: vendors leave
  // volume blank on some bars, and no price figure depends on it. Text that is not a number is
  // still an error.
  if (text === "") return Number.NaN;
  const value = Number(text);
  if (!Number.isFinite(value)) return { field: "volume", reason: `'${text}' is not a number` };
  if (value < 0) return { field: "volume", reason: `volume must be ≥ 0, got ${text}` };
  return value;
}

function ohlcProblem(
  open: number | undefined,
  high: number | undefined,
  low: number | undefined,
  close: number,
): BadCell | undefined {
  const tol = (x: number) => x * OHLC_RELATIVE_TOLERANCE;
  if (high !== undefined && low !== undefined && high < low - tol(low)) {
    return { field: "high", reason: `high ${high} < low ${low}` };
  }
  for (const [name, value] of [
    ["open", open],
    ["close", close],
  ] as const) {
    if (value === undefined) continue;
    if (high !== undefined && high < value - tol(value))
      return { field: "high", reason: `high ${high} < ${name} ${value}` };
    if (low !== undefined && low > value + tol(value))
      return { field: "low", reason: `low ${low} > ${name} ${value}` };
  }
  return undefined;
}
