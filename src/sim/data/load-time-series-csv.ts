import { resolveTimestampColumn } from "../../core/data/csv-columns.ts";
import { type TimeSeries, TimeSeriesBuilder } from "../../core/data/time-series.ts";
import { readCsvLines } from "./read-csv-lines.ts";

export interface LoadTimeSeriesCsvOptions {
  /** Columns to keep (header names, any case); default every column but the timestamp. */
  readonly columns?: readonly string[];
  readonly skipBadRows?: boolean;
}

/**
 * Loads a CSV of non-price values (funding rates, implied-vol indices, order-book summaries)
 * by streaming it. Unlike `loadPriceCsv`, values may be negative or zero (a negative funding
 * rate is normal) and an empty cell is a missing value (NaN), not an error. Timestamps must be
 * strictly increasing; they become epoch ms UTC.
 */
export async function loadTimeSeriesCsv(
  path: string,
  options: LoadTimeSeriesCsvOptions = {},
): Promise<TimeSeries> {
  let builder: TimeSeriesBuilder | undefined;
  await readCsvLines(
    path,
    (header) => {
      builder = new TimeSeriesBuilder(
        path,
        header,
        resolveTimestampColumn(header, path),
        options.columns,
        options.skipBadRows === true,
      );
    },
    (cells, lineNumber) => builder?.addRow(cells, lineNumber),
  );
  return (builder as TimeSeriesBuilder).finish();
}
