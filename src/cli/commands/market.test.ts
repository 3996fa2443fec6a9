import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "marginal-market-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[]) {
  return spawnSync("node", ["bin/marginal.js", ...args], { cwd: ROOT, encoding: "utf8" });
}

describe("marginal market synth", () => {
  it("writes one CSV per asset, reports them as JSON, and the same seed repeats the bytes", () => {
    const args = [
      "market",
      "synth",
      "--seed",
      "7",
      "--periods",
      "400",
      "--interval",
      "1h",
      "--assets",
      "BTC,ETH",
      "--start",
      "2025-01-01T00:00:00Z",
    ];
    const first = cli([...args, "--out", join(dir, "a"), "--json"]);
    expect(first.status).toBe(0);
    const out = JSON.parse(first.stdout);
    expect(out.files.map((f: { symbol: string; rows: number }) => [f.symbol, f.rows])).toEqual([
      ["BTC", 400],
      ["ETH", 400],
    ]);
    expect(out.files[0].firstTimestamp).toBe("2025-01-01T00:00:00Z");
    expect(out.files[0].lastTimestamp).toBe("2025-01-17T15:00:00Z"); // 399 hours later
    expect(Array.isArray(out.crashStarts)).toBe(true);
    const second = cli([...args, "--out", join(dir, "b", "m.csv")]);
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/BTC.*m-BTC\.csv/);
    expect(readFileSync(join(dir, "a", "ETH.csv")).equals(readFileSync(join(dir, "b", "m-ETH.csv")))).toBe(
      true,
    );
    const inspect = cli(["data", "inspect", join(dir, "a", "BTC.csv"), "--json"]);
    expect(JSON.parse(inspect.stdout)).toMatchObject({ rows: 400, frequency: "1h", gaps: 0, warnings: 0 });
  });

  it("rejects bad options on stderr with exit code 1", () => {
    const run = cli(["market", "synth", "--periods", "ten", "--out", join(dir, "c")]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/periods: 'ten' is not an integer/);
    const corr = cli([
      "market",
      "synth",
      "--assets",
      "BTC,ETH,SOL",
      "--correlation",
      "0.9,0.9,-0.9",
      "--out",
      join(dir, "d"),
    ]);
    expect(corr.status).toBe(1);
    expect(corr.stderr).toMatch(/not positive definite/);
  });
});
