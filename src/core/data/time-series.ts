import { MarginalError } from "../errors.ts";
import { normalizeHeaderCell } from "./csv-columns.ts";
import { detectIntervalMs } from "./detect-interval.ts";
import { findGaps } from "./find-gaps.ts";
import { GrowableColumn } from "./growable-column.ts";
import { parseTimestampMs } from "./parse-timestamp.ts";
import type { PriceGap } from "./price-series.ts";
import { MAX_WARNING_MESSAGES } from "./price-series-builder.ts";
import { detectTradingCalendar } from "./trading-calendar.ts";

/**
 * A time series of arbitrary numeric columns that are not prices: funding rates (negative
 * allowed), implied-vol indices, order-book summaries. Values may have any sign; an empty cell
 * is a missing value (NaN), e.g. VIX9D before it was published. Timestamps epoch ms UTC,
 * strictly increasing.
 */
export interface TimeSeries {
  readonly source: string;
  readonly timestampsMs: Float64Array;
  /** Column name (lower-cased header) → values, one per row; NaN where the cell was empty. */
  readonly columns: Readonly<Record<string, Float64Array>>;
  readonly intervalMs: number;
  readonly gaps: readonly PriceGap[];
  readonly warnings: readonly string[];
  readonly warningCount: number;
}

/** Builds a `TimeSeries` from CSV rows; pure, fed by a streaming reader. */
export class TimeSeriesBuilder {
  private readonly timestamps = new GrowableColumn();
  private readonly values: GrowableColumn[];
  private readonly names: string[];
  private readonly indices: number[];
  private readonly warnings: string[] = [];
  private warningCount = 0;
  private lastTimestampMs = Number.NEGATIVE_INFINITY;

  /**
   * `header` is the raw header row, `timestampIndex` its timestamp column, `wanted` the column
   * names to keep (lower-case; all other columns when undefined).
   */
  constructor(
    private readonly source: string,
    header: readonly string[],
    private readonly timestampIndex: number,
    wanted: readonly string[] | undefined,
    private readonly skipBadRows = false,
  ) {
    const normalized = header.map(normalizeHeaderCell);
    const names = wanted ?? normalized.filter((_, i) => i !== timestampIndex);
    this.names = [];
    this.indices = [];
    for (const name of names) {
      const index = normalized.indexOf(name.toLowerCase());
      if (index < 0) {
        throw new MarginalError(
          "invalid_data",
          `${source}: no column '${name}' (header is '${header.join(",")}')`,
          { field: name },
        );
      }
      this.names.push(name.toLowerCase());
      this.indices.push(index);
    }
    if (this.names.length === 0)
      throw new MarginalError("invalid_data", `${source}: no value column`, { field: "columns" });
    this.values = this.names.map(() => new GrowableColumn());
  }

  /** Adds one row; `lineNumber` is 1-based in the file. */
  addRow(cells: readonly string[], lineNumber: number): void {
    const raw = cells[this.timestampIndex] ?? "";
    const timestampMs = parseTimestampMs(raw);
    if (timestampMs === undefined) {
      this.bad(lineNumber, "timestamp", `'${raw}' is not a timestamp`);
      return;
    }
    const row: number[] = [];
    for (let k = 0; k < this.indices.length; k++) {
      const text = (cells[this.indices[k] as number] ?? "").trim();
      const value = text === "" ? Number.NaN : Number(text);
      if (text !== "" && !Number.isFinite(value)) {
        this.bad(lineNumber, this.names[k] as string, `'${text}' is not a number`);
        return;
      }
      row.push(value);
    }
    if (timestampMs <= this.lastTimestampMs) {
      const how = timestampMs === this.lastTimestampMs ? "duplicated" : "goes backwards";
      this.bad(lineNumber, "timestamp", `timestamp ${how} (${raw.trim()})`);
      return;
    }
    this.lastTimestampMs = timestampMs;
    this.timestamps.push(timestampMs);
    for (let k = 0; k < row.length; k++) this.values[k]?.push(row[k] as number);
  }

  /** Trims the columns and detects interval and gaps; throws on an empty series. */
  finish(): TimeSeries {
    if (this.timestamps.length === 0)
      throw new MarginalError("invalid_data", `${this.source}: no data rows`, { field: "file" });
    const timestampsMs = this.timestamps.toArray();
    const intervalMs = detectIntervalMs(timestampsMs);
    const columns: Record<string, Float64Array> = {};
    this.names.forEach((name, k) => {
      columns[name] = (this.values[k] as GrowableColumn).toArray();
    });
    return {
      source: this.source,
      timestampsMs,
      columns,
      intervalMs,
      gaps: findGaps(timestampsMs, intervalMs, detectTradingCalendar(timestampsMs, intervalMs)),
      warnings: this.warnings,
      warningCount: this.warningCount,
    };
  }

  private bad(lineNumber: number, field: string, reason: string): void {
    if (!this.skipBadRows) {
      throw new MarginalError(
        "invalid_data",
        `${this.source} line ${lineNumber}, field ${field}: ${reason}`,
        {
          details: { file: this.source, line: lineNumber, field },
        },
      );
    }
    this.warningCount++;
    if (this.warnings.length < MAX_WARNING_MESSAGES)
      this.warnings.push(`line ${lineNumber}, field ${field}: ${reason}; row skipped`);
  }
}
