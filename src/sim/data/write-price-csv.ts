import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { type CsvDecimals, formatPriceCsvRow, priceCsvHeader } from "../../core/data/format-price-csv.ts";
import type { PriceSeries } from "../../core/data/price-series.ts";

const ROWS_PER_CHUNK = 10_000;

/**
 * Writes `series` as canonical CSV (`timestamp,open,high,low,close,volume`, "\n" line ends,
 * fixed decimals) to `path`, streaming in chunks with back-pressure so a long series never
 * exists as one string. The same series and decimals always give the same bytes.
 */
export async function writePriceCsv(series: PriceSeries, path: string, decimals: CsvDecimals): Promise<void> {
  const out = createWriteStream(path, { encoding: "utf8" });
  const failed = new Promise<never>((_, reject) => out.once("error", reject));
  const write = async (text: string) => {
    if (!out.write(text)) await Promise.race([once(out, "drain"), failed]);
  };
  await write(`${priceCsvHeader(series)}\n`);
  const rows = series.close.length;
  for (let start = 0; start < rows; start += ROWS_PER_CHUNK) {
    const end = Math.min(rows, start + ROWS_PER_CHUNK);
    let chunk = "";
    for (let i = start; i < end; i++) chunk += `${formatPriceCsvRow(series, i, decimals)}\n`;
    await write(chunk);
  }
  out.end();
  await Promise.race([once(out, "finish"), failed]);
}
