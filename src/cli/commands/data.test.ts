import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const DATA_DIR = fileURLToPath(new URL("../../../../shared/data/", import.meta.url));
const FIXTURES = fileURLToPath(new URL("../../../test/fixtures/data/", import.meta.url));
const hasData = existsSync(DATA_DIR);
if (!hasData) console.warn(`\n*** SKIPPING real-data 'data inspect' CLI test: ${DATA_DIR} is absent ***\n`);

function cli(args: string[]) {
  return spawnSync("node", ["bin/marginal.js", ...args], { cwd: ROOT, encoding: "utf8" });
}

describe("marginal data inspect", () => {
  it.skipIf(!hasData)("--json summarises real BTC daily data (figures checked with python3)", () => {
    const run = cli(["data", "inspect", `${DATA_DIR}daily/BTCUSDT.csv`, "--json"]);
    expect(run.status).toBe(0);
    const s = JSON.parse(run.stdout);
    expect(s).toMatchObject({
      rows: 2923,
      firstTimestamp: "2018-01-01T00:00:00Z",
      lastTimestamp: "2026-01-01T00:00:00Z",
      intervalMs: 86_400_000,
      frequency: "1d",
      gaps: 0,
      missingPeriods: 0,
      worstReturn: { timestamp: "2020-03-12T00:00:00Z" },
      maxDrawdown: { peakTimestamp: "2018-01-06T00:00:00Z", troughTimestamp: "2018-12-15T00:00:00Z" },
      warnings: 0,
    });
    // Independent python3 (scripts/fixtures/data-real-files.py): stdev of 2922 log returns × √365 =
    // 0.6657381159076317; worst 7934.52 → 4800 on 2020-03-12 = −0.3950484717412017;
    // drawdown 17069.79 (2018-01-06) → 3211.72 (2018-12-15) = 0.8118477145881702.
    expect(s.annualizedVolatility).toBeCloseTo(0.6657381159076317, 12);
    expect(s.worstReturn.value).toBeCloseTo(-0.3950484717412017, 12);
    expect(s.maxDrawdown.value).toBeCloseTo(0.8118477145881702, 12);
  });

  it.skipIf(!hasData)("prints a readable table with the gap of the hourly 2022–2025 file", () => {
    const run = cli(["data", "inspect", `${DATA_DIR}hourly/BTCUSDT_2022_2025.csv`]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/rows\s+│ 34348/);
    expect(run.stdout).toMatch(/1h \(3600000 ms\)/);
    expect(run.stdout).toContain("2023-03-24T12:00:00Z → 2023-03-24T14:00:00Z (1 missing)");
    // python3: 0.5168962761320415 → 51.69 %.
    expect(run.stdout).toMatch(/annualised volatility\s+│ 51\.69 %/);
  });

  it("fails on a bad file with the line and field on stderr and exit code 1", () => {
    const run = cli(["data", "inspect", `${FIXTURES}high-below-close.csv`, "--json"]);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(
      /error \(invalid_data\): .*high-below-close\.csv line 4, field high: high 109 < close 110/,
    );
  });

  it("--skip-bad-rows turns bad rows into counted warnings", () => {
    const run = cli(["data", "inspect", `${FIXTURES}several-bad-rows.csv`, "--json", "--skip-bad-rows"]);
    expect(run.status).toBe(0);
    const s = JSON.parse(run.stdout);
    expect(s.warnings).toBe(3);
    expect(s.rows).toBe(4);
    expect(s.warningMessages).toHaveLength(3);
  });
});
