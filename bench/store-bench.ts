/*
 * Store throughput: appends per second with group commit versus one transaction per append,
 * on PGlite (a data directory on disk) and on PostgreSQL (DATABASE_URL, or a throwaway cluster
 * when the binaries are installed). Each run has `clients` concurrent callers, each appending
 * commands of 2 events (~150 bytes each) one after another, as a server's request handlers
 * would. Not a test: run with `node --import tsx bench/store-bench.ts [commands] [clients]`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { EventStore } from "../src/store/event-store.ts";
import { openStore } from "../src/store/open-store.ts";
import type { StoreLimits } from "../src/store/store-limits.ts";
import { startTestPostgres } from "../test/support/postgres.ts";

const commands = Number(process.argv[2] ?? "4000");
const clients = Number(process.argv[3] ?? "64");

interface Result {
  readonly backend: string;
  readonly mode: string;
  readonly appendsPerSecond: number;
  readonly eventsPerSecond: number;
  readonly transactions: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

async function load(store: EventStore<unknown, unknown, unknown>, label: string, n: number): Promise<Result> {
  const latenciesMs = new Float64Array(n);
  let next = 0;
  const started = performance.now();
  const client = async () => {
    for (let i = next++; i < n; i = next++) {
      const t0 = performance.now();
      await store.append({
        commandId: `${label}-${i}`,
        command: {
          type: "fill",
          account: `acct-${i % 500}`,
          market: "BTC-PERP",
          sizeMicro: 1_500_000n,
          priceMicroUsd: 64_250_120_000n,
        },
        events: [
          { type: "position_changed", account: `acct-${i % 500}`, market: "BTC-PERP", sizeMicro: 1_500_000n },
          {
            type: "fee_charged",
            account: `acct-${i % 500}`,
            feeMicroUsd: 48_187n,
            insuranceFundMicroUsd: 1_234_567_890n,
          },
        ],
        result: { accepted: true },
      });
      latenciesMs[i] = performance.now() - t0;
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  const seconds = (performance.now() - started) / 1000;
  const sorted = latenciesMs.slice().sort();
  return {
    backend: store.backend,
    mode: label,
    appendsPerSecond: Math.round(n / seconds),
    eventsPerSecond: Math.round((2 * n) / seconds),
    transactions: store.stats().transactions,
    p50Ms: Number((sorted[Math.floor(n * 0.5)] ?? 0).toFixed(2)),
    p99Ms: Number((sorted[Math.floor(n * 0.99)] ?? 0).toFixed(2)),
  };
}

async function runModes(
  open: (limits: Partial<StoreLimits>) => Promise<EventStore<unknown, unknown, unknown>>,
) {
  const results: Result[] = [];
  // One transaction per append gets fewer commands: it is the slow path being compared against.
  for (const [label, limits, n] of [
    ["group", {}, commands],
    ["single", { maxBatchCommands: 1, maxBatchWaitMs: 0 }, Math.max(200, Math.floor(commands / 4))],
  ] as const) {
    const store = await open(limits);
    results.push(await load(store, label, n));
    await store.close();
  }
  return results;
}

const results: Result[] = [];
const dir = mkdtempSync(join(tmpdir(), "marginal-bench-"));
try {
  let run = 0;
  results.push(...(await runModes((limits) => openStore({ dataDir: join(dir, `pglite-${run++}`), limits }))));
  const server = process.env.DATABASE_URL === undefined ? await startTestPostgres() : undefined;
  const databaseUrl = process.env.DATABASE_URL ?? (await server?.createDatabase());
  if (databaseUrl === undefined) {
    console.warn("PostgreSQL: not measured (no DATABASE_URL and no PostgreSQL binaries)");
  } else {
    results.push(
      ...(await runModes((limits) => openStore({ databaseUrl, schema: `bench_${run++}`, limits }))),
    );
  }
  await server?.stop();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.table(results);
