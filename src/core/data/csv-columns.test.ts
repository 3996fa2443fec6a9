import { describe, expect, it } from "vitest";
import { MarginalError } from "../errors.ts";
import { resolvePriceColumns, resolveTimestampColumn } from "./csv-columns.ts";

describe("resolvePriceColumns", () => {
  it("reads the canonical header", () => {
    expect(resolvePriceColumns("timestamp,open,high,low,close,volume".split(","), "f")).toEqual({
      timestamp: 0,
      open: 1,
      high: 2,
      low: 3,
      close: 4,
      volume: 5,
    });
  });
  it("reads Yahoo's header and ignores Adj Close", () => {
    expect(resolvePriceColumns("Date,Open,High,Low,Close,Adj Close,Volume".split(","), "f")).toEqual({
      timestamp: 0,
      open: 1,
      high: 2,
      low: 3,
      close: 4,
      volume: 6,
    });
  });
  it("reads Binance klines (open_time, extra columns ignored) and close-only files", () => {
    const kline =
      "open_time,open,high,low,close,volume,close_time,quote_asset_volume,trades,taker_buy_base,taker_buy_quote,ignore";
    expect(resolvePriceColumns(kline.split(","), "f").timestamp).toBe(0);
    expect(resolvePriceColumns(["\uFEFFtime", '"Close"'], "f")).toEqual({
      timestamp: 0,
      open: undefined,
      high: undefined,
      low: undefined,
      close: 1,
      volume: undefined,
    });
  });
  it("prefers `timestamp` over a later `time` column", () => {
    expect(resolvePriceColumns(["time", "timestamp", "close"], "f").timestamp).toBe(1);
  });
  it("names the missing column", () => {
    expect(() => resolvePriceColumns(["timestamp", "funding_rate"], "x.csv")).toThrow(
      /x\.csv: no price column/,
    );
    try {
      resolvePriceColumns(["when", "close"], "x.csv");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(MarginalError);
      expect((error as MarginalError).field).toBe("timestamp");
    }
    expect(() => resolveTimestampColumn(["a", "b"], "y.csv")).toThrow(/y\.csv: no timestamp column/);
  });
});
