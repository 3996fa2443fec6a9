import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { generateSyntheticMarket } from "../../sim/synth/generate-synthetic-market.ts";
import { writeSyntheticMarketCsv } from "../../sim/synth/write-synthetic-market.ts";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "marginal-stress-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[]): string {
  return execFileSync("node", ["bin/marginal.js", ...args], { cwd: ROOT, encoding: "utf8" });
}

describe("marginal stress (child process)", () => {
  it("--json is deterministic by seed and conserves money", async () => {
    const market = generateSyntheticMarket({
      seed: 4,
      periods: 1300,
      intervalMs: 3_600_000,
      assets: ["BTC"],
      startMs: Date.UTC(2024, 0, 1),
    });
    const [file] = await writeSyntheticMarketCsv(market, join(dir, "hourly.csv"));
    const args = [
      "stress",
      "--input",
      file!,
      "--population",
      "200",
      "--seed",
      "3",
      "--policies",
      "static,vol,vol-apc",
      "--episode",
      "2024-02-15..2024-02-20",
      "--json",
    ];
    const a = JSON.parse(cli(args));
    const b = JSON.parse(cli(args));
    expect(a).toEqual(b);
    expect(a.policies.map((p: { name: string }) => p.name)).toEqual(["static", "vol", "vol-apc"]);
    for (const p of a.policies) {
      expect(p.conservation.exact).toBe(true);
      for (const key of [
        "liquidations",
        "badDebtUsd",
        "insuranceFundDrawdownUsd",
        "accountsWipedOut",
        "amplification",
      ])
        expect(p).toHaveProperty(key);
    }
    expect(() => cli([...args.slice(0, -3), "--episode", "2019-01-01..2019-01-02", "--json"])).toThrow(
      /episode/,
    );
  });
});
