import { formatTimestampIso } from "./parse-timestamp.ts";
import type { PriceSeries } from "./price-series.ts";

/** Decimals for writing a series: fixed, so that output bytes are deterministic. */
export interface CsvDecimals {
  readonly priceDecimals: number;
  readonly volumeDecimals: number;
}

/** The canonical header for the columns `series` has (`timestamp,open,high,low,close,volume`). */
export function priceCsvHeader(series: PriceSeries): string {
  const cells = ["timestamp"];
  if (series.open !== undefined) cells.push("open");
  if (series.high !== undefined) cells.push("high");
  if (series.low !== undefined) cells.push("low");
  cells.push("close");
  if (series.volume !== undefined) cells.push("volume");
  return cells.join(",");
}

/**
 * Row `index` of `series` as one canonical CSV line (no newline): ISO-8601 UTC timestamp, prices
 * and volume with fixed decimals (`toFixed`, which is exact and locale-free).
 */
export function formatPriceCsvRow(series: PriceSeries, index: number, decimals: CsvDecimals): string {
  const p = decimals.priceDecimals;
  let line = formatTimestampIso(series.timestampsMs[index] as number);
  if (series.open !== undefined) line += `,${(series.open[index] as number).toFixed(p)}`;
  if (series.high !== undefined) line += `,${(series.high[index] as number).toFixed(p)}`;
  if (series.low !== undefined) line += `,${(series.low[index] as number).toFixed(p)}`;
  line += `,${(series.close[index] as number).toFixed(p)}`;
  if (series.volume !== undefined)
    line += `,${(series.volume[index] as number).toFixed(decimals.volumeDecimals)}`;
  return line;
}
