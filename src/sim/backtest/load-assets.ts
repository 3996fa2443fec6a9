import { basename, extname } from "node:path";
import type { PriceSeries } from "../../core/data/price-series.ts";
import { invalidInput } from "../../core/errors.ts";
import { loadPriceCsv } from "../data/load-price-csv.ts";

/** One input history and the names it is reported under. */
export interface LoadedAsset {
  /** File name without extension, e.g. `BTCUSDT`. */
  readonly asset: string;
  /** Base asset guessed from the name (`BTCUSDT_2017_2021` → `BTC`), to pick a document's market. */
  readonly underlyingHint: string;
  readonly series: PriceSeries;
}

/** The base asset of a file name: text before the first `_`, without a USD/USDT/USDC/BUSD quote. */
export function underlyingFromName(asset: string): string {
  const head = asset.split(/[_\-.]/)[0] ?? asset;
  return head.toUpperCase().replace(/(USDT|USDC|BUSD|USD)$/, "") || head.toUpperCase();
}

/** Loads a comma-separated list of price CSV paths (`--input a.csv,b.csv`). */
export async function loadAssets(inputList: string, field = "input"): Promise<LoadedAsset[]> {
  const paths = inputList
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "");
  if (paths.length === 0) throw invalidInput(field, "name at least one price CSV");
  if (paths.length > 32) throw invalidInput(field, "at most 32 files");
  const out: LoadedAsset[] = [];
  for (const path of paths) {
    const asset = basename(path, extname(path));
    const series = await loadPriceCsv(path);
    if (series.close.length < 3) throw invalidInput(field, `${path}: needs at least 3 rows`);
    out.push({ asset, underlyingHint: underlyingFromName(asset), series });
  }
  return out;
}
