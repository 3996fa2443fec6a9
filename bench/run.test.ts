import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/*
 * Smoke test of `npm run bench`: a 2,000-account run in a child process prints one JSON object
 * with every key the issue asks for, and its internal consistency checks hold (the worker pool
 * is bit-identical, the naive baseline and the NumPy peer, when present, agree on the totals).
 */
const root = fileURLToPath(new URL("..", import.meta.url));

describe("bench/run.ts", () => {
  it("prints the JSON keys for a small venue", () => {
    // As `npm run bench` does: bundle (scripts/build.mjs bench), then run the bundle in plain Node.
    const build = spawnSync(process.execPath, ["scripts/build.mjs", "bench"], {
      cwd: root,
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(build.status, build.stderr).toBe(0);
    const run = spawnSync(
      process.execPath,
      [
        "bench/.build/run.mjs",
        "--json",
        "--accounts",
        "2000",
        "--repeats",
        "1",
        "--ticks",
        "5",
        "--options",
        "2000",
        "--engine-ticks",
        "10",
      ],
      { cwd: root, encoding: "utf8", timeout: 120_000 },
    );
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as Record<string, unknown>;
    for (const key of [
      "full_ms",
      "incremental_ms",
      "naive_ms",
      "stream_ms",
      "numpy_ms",
      "options_ms",
      "options_numpy_ms",
      "tick_to_liquidation_p50_ms",
      "tick_to_liquidation_p99_ms",
      "bytes_per_position",
      "accounts",
      "positions",
    ])
      expect(result).toHaveProperty(key);
    expect(result.accounts).toBe(2000);
    expect((result.machine as Record<string, unknown>).build).toBe("bundle");
    expect(result.parallel_bit_identical).toBe(true);
    // The headline tick-to-liquidation is measured through the engine on the same venue shape.
    const engine = result.engine_tick as Record<string, unknown>;
    expect(engine.accounts).toBe(2000);
    expect(engine.conservation_ok).toBe(true);
    expect(result.tick_to_liquidation_p99_ms).toBe(engine.p99_ms);
    expect(typeof result.stream_parallel_ms).toBe("number");
    const checks = result.checks as Record<string, number | null>;
    expect(checks.naive_im_rel_diff).toBeLessThan(1e-12);
    if (result.numpy_ms === null) console.warn(`numpy peer skipped: ${String(result.numpy_reason)}`);
    else expect(checks.numpy_im_rel_diff).toBeLessThan(1e-9);
  });
});
