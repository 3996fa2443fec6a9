import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/* The CLI through a child process, on the shipped examples. */
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** Runs the CLI in a child process; resolves with its exit status and output. */
function cli(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["bin/marginal.js", ...args], { cwd: ROOT });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString("utf8");
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString("utf8");
    });
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

// Each test spawns Node (about a second of tsx start-up); running them concurrently overlaps it.
describe.concurrent("marginal margin", () => {
  it("--json gives every sub-account of the modes example", async () => {
    const r = await cli("margin", "--input", "examples/portfolios/modes.json", "--json");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.version).toBe(1);
    const subs = out.accounts.flatMap((a: { subaccounts: { subaccountId: string }[] }) => a.subaccounts);
    expect(subs.map((s: { subaccountId: string }) => s.subaccountId)).toEqual([
      "isolated-btc",
      "cross-alts",
      "portfolio-eth",
      "portfolio-futures-calendar",
      "inverse-btc",
      "careful",
      "mm-main",
    ]);
    // isolated-btc: long 2 BTC-PERP at 100k, 5% → IM 10,000; 15,000 USDC + 2·(100k − 98k) = 19,000 equity.
    expect(subs[0].initialMarginUsd).toBeCloseTo(10_000, 8);
    expect(subs[0].equityUsd).toBeCloseTo(19_000, 8);
    // careful: the trader's ×2 → 10,000 on a 5,000 base.
    expect(subs[5].initialMarginUsd).toBeCloseTo(10_000, 8);
  });

  it("--explain prints the breakdown and the worst scenario", async () => {
    const r = await cli("margin", "--input", "examples/portfolios/done-portfolio.json", "--explain");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/scenario/);
    expect(r.stdout).toMatch(/worst scenario: BTC price -15%, vol 30%/);
  });

  it("what-if prices an order and says whether it is accepted", async () => {
    const order = JSON.stringify({ marketId: "BTC-PERP", side: "buy", size: 1, price: 100_000 });
    const r = await cli(
      "margin",
      "what-if",
      "--input",
      "examples/portfolios/modes.json",
      "--order",
      order,
      "--json",
    );
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout);
    // isolated-btc goes from 2 to 3 BTC: 5% of 300k = 15,000, plus the square-root liquidity
    // add-on on the 50k above the free 250k: 0.5·(0.5/√365)·√(50k/2B)·50k = 3.2714 → accepted.
    expect(out.after.initialMarginUsd).toBeCloseTo(
      15_000 + 0.5 * (0.5 / Math.sqrt(365)) * Math.sqrt(50_000 / 2e9) * 50_000,
      8,
    );
    expect(out).toMatchObject({ subaccount: "isolated-btc", accepted: true, reason: "meets_initial_margin" });
    const table = await cli(
      "margin",
      "what-if",
      "--input",
      "examples/portfolios/modes.json",
      "--order",
      JSON.stringify({ marketId: "BTC-PERP", side: "buy", size: 5, price: 100_000 }),
    );
    expect(table.stdout).toMatch(/REJECTED \(insufficient_margin\)/);
  });

  it("schema risk-params and params diff", async () => {
    const schema = JSON.parse((await cli("schema", "risk-params")).stdout);
    expect(schema.properties.markets).toBeDefined();
    const diffRun = await cli(
      "params",
      "diff",
      "examples/venue-risk-params.json",
      "examples/venue-risk-params-vol-scaled.json",
      "--json",
    );
    const diff = JSON.parse(diffRun.stdout);
    expect(diff.changes).toContainEqual({ kind: "changed", path: "version", before: 1, after: 2 });
  });

  it("a bad document fails with exit code 1 and the located reason", async () => {
    const dir = mkdtempSync(join(tmpdir(), "marginal-"));
    const file = join(dir, "bad.json");
    writeFileSync(
      file,
      JSON.stringify({
        riskParams: join(ROOT, "examples/venue-risk-params.json"),
        market: join(ROOT, "examples/market-state.json"),
        accounts: [
          {
            id: "a",
            subaccounts: [
              {
                id: "s",
                mode: "cross",
                positions: [{ marketId: "NOPE", size: 1, entryPrice: 1 }],
                collateral: [],
              },
            ],
          },
        ],
      }),
    );
    const r = await cli("margin", "--input", file);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("error (invalid_input): positions.0.marketId: unknown market 'NOPE'\n");
  });
});
