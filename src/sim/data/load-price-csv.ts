import { type PriceColumns, resolvePriceColumns } from "../../core/data/csv-columns.ts";
import type { PriceSeries } from "../../core/data/price-series.ts";
import { PriceSeriesBuilder } from "../../core/data/price-series-builder.ts";
import { readCsvLines } from "./read-csv-lines.ts";

export interface LoadPriceCsvOptions {
  /** Skip bad rows, counting each as a warning, instead of failing on the first one. */
  readonly skipBadRows?: boolean;
}

/**
 * Loads an OHLCV (or close-only) price history from a CSV file, streaming it line by line into
 * doubling Float64Arrays (the text is never held whole). Prices in the file's quote currency,
 * timestamps to epoch ms UTC. Accepts the canonical `timestamp,open,high,low,close,volume`,
 * `timestamp,close`, and vendor variants (see `resolvePriceColumns`, `parseTimestampMs`).
 * Bad rows throw `MarginalError("invalid_data")` naming file, line and field, unless
 * `skipBadRows`. Gaps are detected and listed in `gaps`, never filled. The returned series also
 * carries `warningCount` (all warnings, while `warnings` keeps the first 1000 messages).
 */
export async function loadPriceCsv(
  path: string,
  options: LoadPriceCsvOptions = {},
): Promise<PriceSeries & { readonly warningCount: number }> {
  let builder: PriceSeriesBuilder | undefined;
  await readCsvLines(
    path,
    (header) => {
      const columns: PriceColumns = resolvePriceColumns(header, path);
      builder = new PriceSeriesBuilder(path, columns, options);
    },
    (cells, lineNumber) => builder?.addRow(cells, lineNumber),
  );
  // readCsvLines throws on a file without a header, so the builder exists here.
  return (builder as PriceSeriesBuilder).finish();
}
