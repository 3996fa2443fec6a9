import { mkdir } from "node:fs/promises";
import { basename, dirname, extname, join } from "node:path";
import { writePriceCsv } from "../data/write-price-csv.ts";
import type { SyntheticMarket } from "./generate-synthetic-market.ts";

/**
 * Where each asset's CSV goes. A path ending in `.csv` is a file: the one asset is written
 * there, or with several assets `<stem>-<SYMBOL>.csv` beside it. Any other path is a folder
 * (created if needed) holding `<SYMBOL>.csv` per asset.
 */
export function syntheticMarketPaths(symbols: readonly string[], outPath: string): string[] {
  if (extname(outPath).toLowerCase() === ".csv") {
    if (symbols.length === 1) return [outPath];
    const stem = basename(outPath, extname(outPath));
    return symbols.map((s) => join(dirname(outPath), `${stem}-${s}.csv`));
  }
  return symbols.map((s) => join(outPath, `${s}.csv`));
}

/** Writes every asset of `market` as canonical CSV (see `syntheticMarketPaths`); returns the paths. */
export async function writeSyntheticMarketCsv(market: SyntheticMarket, outPath: string): Promise<string[]> {
  const paths = syntheticMarketPaths(market.symbols, outPath);
  for (let i = 0; i < paths.length; i++) {
    const path = paths[i] as string;
    await mkdir(dirname(path), { recursive: true });
    await writePriceCsv(market.series[i] as (typeof market.series)[number], path, {
      priceDecimals: market.priceDecimals[i] as number,
      volumeDecimals: market.volumeDecimals,
    });
  }
  return paths;
}
