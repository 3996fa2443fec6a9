import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "marginal-backtest-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[]): string {
  return execFileSync("node", ["bin/marginal.js", ...args], { cwd: ROOT, encoding: "utf8" });
}

/** Daily closes: 60 calm days of ±1% then alternating ±20% moves, so a 15% static MM is breached. */
function writePrices(path: string): void {
  const lines = ["timestamp,close"];
  let p = 100;
  for (let i = 0; i < 80; i++) {
    lines.push(
      `${new Date(Date.UTC(2024, 0, 1) + i * 86_400_000).toISOString().replace(".000Z", "Z")},${p.toFixed(6)}`,
    );
    p *= i < 60 ? (i % 2 === 0 ? 1.01 : 0.99) : i % 2 === 0 ? 1.2 : 0.8;
  }
  writeFileSync(path, `${lines.join("\n")}\n`);
}

describe("marginal backtest (child process)", () => {
  const a = join(dir, "AAAUSDT.csv");
  const b = join(dir, "BBBUSDT.csv");
  writePrices(a);
  writePrices(b);
  const params = join(ROOT, "examples/sim/backtest-risk-params.json");

  it("--json prints the contract for one input, with policies at the top level", () => {
    const out = JSON.parse(
      cli(["backtest", "--input", a, "--params", params, "--policies", "static,vol,vol-apc", "--json"]),
    );
    expect(out.policies.map((p: { name: string }) => p.name)).toEqual(["static", "vol", "vol-apc"]);
    const st = out.policies[0];
    for (const key of [
      "name",
      "periods",
      "mmBreaches",
      "mmBreachRate",
      "imBreaches",
      "meanRequirement",
      "medianRequirement",
      "kupiec",
      "christoffersen",
      "maxDailyRise",
      "max5DayRise",
      "peakToTrough",
      "responsePeriods",
      "worstShortfall",
    ]) {
      expect(st).toHaveProperty(key);
    }
    expect(Object.keys(st.kupiec).sort()).toEqual(["lr", "pValue"]);
    expect(st.christoffersen).toHaveProperty("lrCC");
    expect(st.christoffersen).toHaveProperty("pCC");
    // 80 bars, 30 returns of warm-up (bar 30 is the first scored), the last bar has no horizon: 49 scored.
    expect(st.periods).toBe(49);
    // Static MM 15%: the 19 moves of ±20% (bars 60..78) breach, the ±1% ones do not.
    expect(st.mmBreaches).toBe(19);
    expect(st.meanRequirement).toBeCloseTo(0.2, 12);
  });

  it("writes one block per asset into a file with --json FILE, and an HTML report", () => {
    const json = join(dir, "out.json");
    const html = join(dir, "out.html");
    cli(["backtest", "--input", `${a},${b}`, "--params", params, "--json", json, "--report", html]);
    const out = JSON.parse(readFileSync(json, "utf8"));
    expect(out.assets.map((x: { asset: string }) => x.asset)).toEqual(["AAAUSDT", "BBBUSDT"]);
    expect(out.policies).toBeUndefined();
    const page = readFileSync(html, "utf8");
    expect(page).toContain("uPlot");
    expect(page).not.toMatch(/<script[^>]+src=/);
    expect(page).toContain("Static vs dynamic");
  });

  it("names the bad field on bad input", () => {
    expect(() => cli(["backtest", "--input", a, "--params", params, "--horizon", "1 day", "--json"])).toThrow(
      /horizon/,
    );
    expect(() => cli(["backtest", "--input", a, "--params", params, "--policies", "nope", "--json"])).toThrow(
      /policies/,
    );
  });
});
