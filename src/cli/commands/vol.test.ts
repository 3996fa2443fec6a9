import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { afterAll, describe, expect, it } from "vitest";
import { normalQuantile } from "../../core/dist/normal.ts";
import { fitVolModel } from "../../core/vol/fit-vol-model.ts";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "marginal-vol-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

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

describe("marginal vol fit (child process)", () => {
  const file = join(dir, "prices.csv");
  const returns = writeSyntheticPrices(file, 600, 77);

  it("--json prints the contract's fields, equal to the library's fit", () => {
    const out = JSON.parse(cli(["vol", "fit", "--model", "garch-t", "--input", file, "--json"]));
    expect(Object.keys(out).sort()).toEqual(
      [
        "model",
        "n",
        "omega",
        "alpha",
        "beta",
        "nu",
        "logLikelihood",
        "persistence",
        "annualizedLongRunVol",
        "nextPeriodVol",
      ].sort(),
    );
    expect(out.n).toBe(599);
    // Prices were written with 6 decimals, so the file's returns differ from the generator's by < 1e-9.
    const expected = fitVolModel(returns, "garch-t", 0.94, 365);
    expect(out.logLikelihood).toBeCloseTo(expected.logLikelihood, 3);
    expect(out.alpha).toBeCloseTo(expected.alpha, 3);
    expect(out.persistence).toBeLessThan(1);
  });

  it("ewma with --lambda reports λ, α = 1−λ and persistence 1; bad input exits 1 naming the option", () => {
    const out = JSON.parse(
      cli(["vol", "fit", "--model", "ewma", "--lambda", "0.97", "--input", file, "--json"]),
    );
    expect(out).toMatchObject({ model: "ewma", lambda: 0.97, beta: 0.97, omega: 0, persistence: 1 });
    expect(out.alpha).toBeCloseTo(0.03, 15);
    expect(() => cli(["vol", "fit", "--model", "ewma", "--lambda", "1.5", "--input", file])).toThrow(
      /lambda/,
    );
  });
});
