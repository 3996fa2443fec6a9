import { execFileSync, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const run = (...args: string[]) =>
  spawnSync(process.execPath, ["bin/marginal.js", "replay", ...args], { cwd: repoRoot, encoding: "utf8" });

describe("marginal replay", () => {
  it("rebuilds the example log: summary, conservation and a hash equal to the embedding example's", () => {
    const result = run("examples/engine/events.jsonl", "--json");
    expect(result.status, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.conservationOk).toBe(true);
    expect(summary.accounts).toBe(3);
    // The example: alice bought 1 BTC-PERP; a keeper took 0.489 of it in the auction (open interest stays 1).
    expect(summary.markets[0]).toEqual({ marketId: "BTC-PERP", openInterestContracts: "1", settled: false });
    // Golden: the canonical serialisation and the hash must not drift between machines or runs.
    // Regenerate with `node --import tsx examples/engine/embed.ts --write` after a deliberate change.
    expect(summary.stateHash).toBe("be5f1893038b8dccd60df6155d45ad2017d264f1358acbe25725be395ca31f0c");
    // The embedding example prints the live engine's hash for the same run.
    const live = execFileSync(process.execPath, ["--import", "tsx", "examples/engine/embed.ts"], {
      cwd: repoRoot,
      encoding: "utf8",
    });
    expect(live).toContain(`state hash: ${summary.stateHash}`);
    // Same log, same hash on a second run.
    expect(JSON.parse(run("examples/engine/events.jsonl", "--json").stdout).stateHash).toBe(
      summary.stateHash,
    );
  });

  it("fails with a located error on a missing file", () => {
    const result = run("examples/engine/nope.jsonl");
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("events: cannot read");
  });
});
