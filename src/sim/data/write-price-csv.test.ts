import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { PriceSeries } from "../../core/data/price-series.ts";
import { loadPriceCsv } from "./load-price-csv.ts";
import { writePriceCsv } from "./write-price-csv.ts";

describe("writePriceCsv", () => {
  const dir = mkdtempSync(join(tmpdir(), "marginal-write-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("writes canonical CSV that loads back to the same numbers", async () => {
    const n = 25_000; // more than one 10 000-row chunk
    const t = Float64Array.from({ length: n }, (_, i) => Date.UTC(2024, 0, 1) + i * 3_600_000);
    // Values exactly representable as 2-decimal strings, so the round trip must be exact.
    const close = Float64Array.from({ length: n }, (_, i) => Number((100 + Math.sin(i) * 10).toFixed(2)));
    const series: PriceSeries = {
      source: "mem",
      timestampsMs: t,
      open: close,
      high: close.map((c) => c + 1),
      low: close.map((c) => c - 1),
      close,
      volume: close.map(() => 2.5),
      intervalMs: 3_600_000,
      gaps: [],
      warnings: [],
    };
    const path = join(dir, "out.csv");
    await writePriceCsv(series, path, { priceDecimals: 2, volumeDecimals: 1 });
    const text = readFileSync(path, "utf8");
    expect(text.split("\n")[0]).toBe("timestamp,open,high,low,close,volume");
    expect(text.split("\n")[1]).toBe(`2024-01-01T00:00:00Z,100.00,101.00,99.00,100.00,2.5`);
    const back = await loadPriceCsv(path);
    expect(back.close.length).toBe(n);
    expect(Array.from(back.close)).toEqual(Array.from(close));
    expect(Array.from(back.timestampsMs)).toEqual(Array.from(t));
  });
});
