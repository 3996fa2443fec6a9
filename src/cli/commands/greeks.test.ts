import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "marginal-greeks-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[], input: unknown): { status: number | null; stdout: string; stderr: string } {
  const file = join(dir, `input-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, typeof input === "string" ? input : JSON.stringify(input));
  const result = spawnSync(process.execPath, ["bin/marginal.js", ...args, "--input", file], {
    cwd: repoRoot,
    encoding: "utf8",
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const atm = { kind: "call", model: "black76", underlying: 100, strike: 100, expiry: 1, rate: 0 };

describe("marginal greeks (child process)", () => {
  it("prints one result per item in order, with per-item errors, exit 0", () => {
    const { status, stdout } = run(
      ["greeks", "--json"],
      [
        { ...atm, vol: 0.2 },
        { ...atm, vol: -0.1 },
        {
          kind: "put",
          model: "bsm",
          underlying: 100,
          strike: 90,
          expiry: 0.5,
          vol: 0.3,
          rate: 0.05,
          dividendYield: 0.02,
        },
        { ...atm, kind: "straddle", vol: 0.2 },
        { kind: "call", model: "bsm", underlying: 100, expiry: 1, vol: 0.2, rate: 0 },
      ],
    );
    expect(status).toBe(0);
    const out = JSON.parse(stdout) as Record<string, number | string>[];
    expect(out).toHaveLength(5);
    // ATM, r = 0, σ = 0.2, T = 1: price = 100·(2Φ(0.1) − 1) = 7.9655674554…, delta = Φ(0.1),
    // vega = 100·φ(0.1) = 39.695254747…, theta = −vega·σ/(2T) = −3.9695…, rho = −T·V.
    expect(out[0]?.price).toBeCloseTo(7.965567455405804, 12);
    expect(out[0]?.delta).toBeCloseTo(0.539827837277029, 14);
    expect(out[0]?.vega).toBeCloseTo(39.69525474770118, 11);
    expect(out[0]?.theta).toBeCloseTo(-3.969525474770118, 12);
    expect(out[0]?.rho).toBeCloseTo(-7.965567455405804, 12);
    expect(Object.keys(out[0] ?? {})).toEqual([
      "price",
      "delta",
      "gamma",
      "vega",
      "theta",
      "rho",
      "vanna",
      "volga",
    ]);
    expect(out[1]).toEqual({ error: "items[1].vol: must be ≥ 0" });
    expect(out[2]?.price).toBeGreaterThan(0);
    expect(out[3]).toEqual({ error: 'items[3].kind: must be "call" or "put"' });
    expect(out[4]).toEqual({ error: "items[4].strike: is required" });
  });

  it("exits 1 on a file that is not a JSON array, and when every item failed", () => {
    const notJson = run(["greeks", "--json"], "not json");
    expect(notJson.status).toBe(1);
    expect(notJson.stderr).toMatch(/not valid JSON/);
    expect(run(["greeks"], { a: 1 }).status).toBe(1);
    const allBad = run(["greeks", "--json"], [{ ...atm, vol: -1 }]);
    expect(allBad.status).toBe(1);
    expect(JSON.parse(allBad.stdout)).toEqual([{ error: "items[0].vol: must be ≥ 0" }]);
  });
});

describe("marginal implied-vol (child process)", () => {
  it("returns {vol} per item and states the bounds of an arbitrage-violating price", () => {
    const { status, stdout } = run(
      ["implied-vol", "--json"],
      [
        { ...atm, price: 7.965567455405804 },
        { ...atm, strike: 90, price: 9.5 },
        { ...atm, strike: 400, expiry: 0.1, price: 1e-40 },
      ],
    );
    expect(status).toBe(0);
    const out = JSON.parse(stdout) as { vol?: number; error?: string }[];
    expect(out[0]?.vol).toBeCloseTo(0.2, 13);
    expect(out[1]).toEqual({ error: "items[1].price: must be within the no-arbitrage bounds [10, 100)" });
    expect(out[2]?.vol).toBeGreaterThan(0.3);
  });

  it("prints a readable table without --json", () => {
    const { status, stdout } = run(["implied-vol"], [{ ...atm, price: 7.965567455405804 }]);
    expect(status).toBe(0);
    expect(stdout).toMatch(/│ vol/);
    expect(stdout).toMatch(/0\.2 /);
  });
});
