import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { afterAll, describe, expect, it } from "vitest";
import { normalQuantile } from "../../core/dist/normal.ts";
import { runVarBacktest } from "../../core/risk/var-backtest.ts";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "marginal-var-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Same generator as vol.test.ts (test files are not imported from each other).
/** A daily 24/7 close series driven by seeded GARCH(1,1) returns; returns the file and the log returns. */
function writeSyntheticPrices(path: string, n: number, seed: number): Float64Array {
  const rng = xoroshiro128plus(seed);
  const returns = new Float64Array(n - 1);
  let variance = 4e-4;
  let price = 30_000;
  const lines = ["timestamp,close"];
  const start = Date.UTC(2020, 0, 1);
  lines.push(`${new Date(start).toISOString().replace(".000Z", "Z")},${price}`);
  for (let t = 0; t < n - 1; t++) {
    const r = Math.sqrt(variance) * normalQuantile(uniformFloat64(rng) * (1 - 2e-16) + 1e-16);
    variance = 2e-5 + 0.1 * r * r + 0.85 * variance;
    price *= Math.exp(r);
    const text = price.toFixed(6);
    returns[t] = r;
    lines.push(`${new Date(start + (t + 1) * 86_400_000).toISOString().replace(".000Z", "Z")},${text}`);
  }
  writeFileSync(path, `${lines.join("\n")}\n`);
  return returns;
}

function cli(args: string[]): string {
  return execFileSync("node", ["bin/marginal.js", ...args], { cwd: ROOT, encoding: "utf8" });
}

describe("marginal var backtest (child process)", () => {
  const file = join(dir, "prices.csv");
  const returns = writeSyntheticPrices(file, 700, 78);

  it("--json prints the contract's fields, equal to the library's backtest", () => {
    const args = [
      "var",
      "backtest",
      "--input",
      file,
      "--model",
      "ewma",
      "--confidence",
      "0.99",
      "--window",
      "250",
    ];
    const out = JSON.parse(cli([...args, "--json"]));
    expect(Object.keys(out).sort()).toEqual(
      [
        "n",
        "exceptions",
        "expectedExceptions",
        "kupiec",
        "christoffersen",
        "trafficLight",
        "esBacktest",
      ].sort(),
    );
    expect(Object.keys(out.christoffersen).sort()).toEqual(["lrCC", "lrInd", "pCC", "pInd"]);
    const expected = runVarBacktest(returns, {
      model: "ewma",
      confidence: 0.99,
      lambda: 0.94,
      windowPeriods: 250,
      esSimulations: 1000,
      seed: 1,
    });
    expect(out.n).toBe(449);
    expect(out.exceptions).toBe(expected.exceptions);
    expect(out.kupiec.lr).toBeCloseTo(expected.kupiec.lr, 9);
    expect(out.trafficLight).toBe(expected.trafficLight);
    expect(out.esBacktest.method).toBe("acerbi-szekely-z2");
    expect(() => cli([...args.slice(0, -2), "--window", "2.5"])).toThrow(/window/);
  });
});
