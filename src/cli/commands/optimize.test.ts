import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { parseRiskParams } from "../../core/margin/risk-params.ts";
import { generateSyntheticMarket } from "../../sim/synth/generate-synthetic-market.ts";
import { writeSyntheticMarketCsv } from "../../sim/synth/write-synthetic-market.ts";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "marginal-optimize-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[]): string {
  return execFileSync("node", ["bin/marginal.js", ...args], { cwd: ROOT, encoding: "utf8" });
}

describe("marginal optimize (child process)", () => {
  it("--train/--test reports the chosen parameters, a valid document and test-window metrics", async () => {
    const market = generateSyntheticMarket({
      seed: 9,
      periods: 1100,
      intervalMs: 86_400_000,
      assets: ["BTC"],
      startMs: Date.UTC(2020, 0, 1),
    });
    const [file] = await writeSyntheticMarketCsv(market, join(dir, "syn.csv"));
    const out = JSON.parse(
      cli([
        "optimize",
        "--input",
        file!,
        "--policy",
        "vol-apc",
        "--target-confidence",
        "0.99",
        "--max-daily-rise",
        "0.5",
        "--train",
        "2020-02-01..2021-12-31",
        "--test",
        "2022-01-01..2022-12-31",
        "--json",
      ]),
    );
    expect(out.mode).toBe("split");
    expect(out.folds).toHaveLength(1);
    expect(out.folds[0].testFrom.slice(0, 10)).toBe("2022-01-01");
    // Test-window metrics in the backtest's shape, for the optimised policy and the fair static one.
    expect(out.policies.map((p: { name: string }) => p.name)).toEqual(["vol-apc", "static"]);
    // 2022-01-01..2022-12-31 is 365 daily bars, each with its next-day move inside the data (which runs to 2023-01-04).
    expect(out.policies[0].periods).toBe(365);
    expect(out.policies[0]).toHaveProperty("kupiec.pValue");
    expect(out.chosen).toHaveProperty("lambda");
    // The chosen parameters are a valid risk-parameter document with both policies.
    const doc = parseRiskParams(out.riskParams);
    expect(Object.keys(doc.markets).sort()).toEqual(["static", "vol-apc"]);
    expect(out.pareto.length).toBeGreaterThan(0);
  });
});
