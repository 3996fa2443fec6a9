import { readCsvLines } from "../data/read-csv-lines.ts";
import type { DepthCurve } from "./depth-curve.ts";

/*
 * Depth calibrated from ../shared/data/orderbook (Binance BTCUSDT, top 100 levels per side,
 * one day, ~6 s snapshots): the median over snapshots of min(bid, ask) top-100 notional
 * (volume × best price), about USD 0.7 M. The file gives summed volumes but not how far the
 * 100 levels reach; on a 0.01-tick book that is densely quoted, we ASSUME they span 0.05 % of
 * the price (≈ USD 30 at 65 k). Without the file the same figures are used as defaults.
 */

export const DEFAULT_DEPTH: DepthCurve = { bandFraction: 0.0005, bandNotionalUsd: 700_000 };

/** The depth curve from an order-book summary CSV (columns best_bid, best_ask, bid_volume_top100, ask_volume_top100). */
export async function calibrateDepth(
  path: string,
  bandFraction = DEFAULT_DEPTH.bandFraction,
): Promise<DepthCurve> {
  const values: number[] = [];
  let cols: { bid: number; ask: number; bv: number; av: number } | undefined;
  await readCsvLines(
    path,
    (header) => {
      const at = (name: string) => header.findIndex((h) => h.trim().toLowerCase() === name);
      cols = {
        bid: at("best_bid"),
        ask: at("best_ask"),
        bv: at("bid_volume_top100"),
        av: at("ask_volume_top100"),
      };
    },
    (cells) => {
      if (cols === undefined) return;
      const bid = Number(cells[cols.bid]) * Number(cells[cols.bv]);
      const ask = Number(cells[cols.ask]) * Number(cells[cols.av]);
      const v = Math.min(bid, ask);
      if (Number.isFinite(v) && v > 0) values.push(v);
    },
  );
  if (values.length === 0) return DEFAULT_DEPTH;
  values.sort((a, b) => a - b);
  return { bandFraction, bandNotionalUsd: values[values.length >> 1] as number };
}
