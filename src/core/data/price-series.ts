/**
 * A price history in columnar form, as loaded from CSV by `src/sim/data/load-price-csv.ts`.
 * Timestamps are the bar's open time in milliseconds since the Unix epoch (UTC), strictly
 * increasing. Prices are in the quote currency; `volume` is in the base asset. Columns a file
 * does not have are `undefined` (a close-only series has only `close`).
 */
export interface PriceSeries {
  /** Where the series came from (a file path or a generator description), for messages. */
  readonly source: string;
  readonly timestampsMs: Float64Array;
  readonly open: Float64Array | undefined;
  readonly high: Float64Array | undefined;
  readonly low: Float64Array | undefined;
  readonly close: Float64Array;
  readonly volume: Float64Array | undefined;
  /** The detected sampling interval in milliseconds (the most common spacing). */
  readonly intervalMs: number;
  /** Spacings larger than the interval: a gap between row `afterIndex` and the next. */
  readonly gaps: readonly PriceGap[];
  /** Rows skipped under `skipBadRows`, with why; empty otherwise. */
  readonly warnings: readonly string[];
}

export interface PriceGap {
  /** Index of the last row before the gap. */
  readonly afterIndex: number;
  readonly fromMs: number;
  readonly toMs: number;
  /** How many whole intervals are missing. */
  readonly missingPeriods: number;
}
