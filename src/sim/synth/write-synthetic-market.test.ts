import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadPriceCsv } from "../data/load-price-csv.ts";
import { generateSyntheticMarket } from "./generate-synthetic-market.ts";
import { syntheticMarketPaths, writeSyntheticMarketCsv } from "./write-synthetic-market.ts";

describe("writeSyntheticMarketCsv", () => {
  const dir = mkdtempSync(join(tmpdir(), "marginal-synth-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const options = { periods: 2000, intervalMs: 60_000, assets: ["BTC", "ETH"] };

  it("gives byte-identical files for the same seed and different bytes for another", async () => {
    const [a, b, c] = await Promise.all(
      [
        ["a", 5],
        ["b", 5],
        ["c", 6],
      ].map(([name, seed]) =>
        writeSyntheticMarketCsv(
          generateSyntheticMarket({ ...options, seed: seed as number }),
          join(dir, name as string),
        ),
      ),
    );
    for (let i = 0; i < 2; i++) {
      const bytesA = readFileSync(a?.[i] as string);
      expect(bytesA.equals(readFileSync(b?.[i] as string))).toBe(true);
      expect(bytesA.equals(readFileSync(c?.[i] as string))).toBe(false);
    }
    expect(readFileSync(a?.[0] as string, "utf8").split("\n")[1]).toMatch(
      /^2024-01-01T00:00:00Z,60000\.00,\d+\.\d{2},\d+\.\d{2},\d+\.\d{2},\d+\.\d{4}$/,
    );
  });

  it("writes files the loader reads back exactly, without a single bad row", async () => {
    const market = generateSyntheticMarket({ ...options, seed: 8 });
    const [btc] = await writeSyntheticMarketCsv(market, join(dir, "round"));
    const back = await loadPriceCsv(btc as string);
    expect(back.warningCount).toBe(0);
    expect(back.intervalMs).toBe(60_000);
    expect(Array.from(back.close)).toEqual(Array.from(market.series[0]?.close ?? []));
    expect(Array.from(back.low ?? [])).toEqual(Array.from(market.series[0]?.low ?? []));
  });

  it("names files for a folder, a single .csv, and several assets with a .csv path", () => {
    expect(syntheticMarketPaths(["BTC", "ETH"], "out")).toEqual([
      join("out", "BTC.csv"),
      join("out", "ETH.csv"),
    ]);
    expect(syntheticMarketPaths(["BTC"], "x/btc.csv")).toEqual(["x/btc.csv"]);
    expect(syntheticMarketPaths(["BTC", "ETH"], "x/m.csv")).toEqual([
      join("x", "m-BTC.csv"),
      join("x", "m-ETH.csv"),
    ]);
  });
});
