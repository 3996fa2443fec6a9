import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { defaultAssetParams } from "../sim/synth/synthetic-market-params.ts";
import { createService, type Service } from "./create-service.ts";
import { type DemoFeed, exampleMarketQuotes, seedDemoVenue, startDemoFeed } from "./demo-venue.ts";

/*
 * The main job: open the database, recover, optionally seed and drive the demo venue, listen,
 * and shut down gracefully on SIGTERM/SIGINT (stop the feed, finish in-flight commits, close
 * the database). Used by `marginal serve` and by the tests that run a real server process.
 */

export interface RunOptions {
  readonly host: string;
  readonly port: number;
  /** PGlite data directory (ignored when databaseUrl is set). */
  readonly dataDir: string;
  readonly databaseUrl?: string;
  readonly adminKey?: string;
  readonly demo: boolean;
  readonly demoAccounts: number;
  readonly demoSeed: number;
  readonly demoHoursPerSecond: number;
  readonly logLevel: string;
  /** Where the start-up lines (URL, admin key) go. */
  readonly print: (line: string) => void;
  /** Requests per second per API key (burst: twice that); default 2000. */
  readonly rateLimitPerSecond?: number;
  /** Threads of the engine's re-margin pass per sweep (default 1). */
  readonly remarginThreads?: number;
  /** Snapshot after this many events (default: the command host's). */
  readonly snapshotEveryEvents?: number;
  /** Install SIGTERM/SIGINT handlers (default true). */
  readonly handleSignals?: boolean;
}

export interface RunningService {
  readonly service: Service;
  readonly url: string;
  stop(): Promise<void>;
}

/** Starts the service and returns once it listens. */
export async function runService(options: RunOptions): Promise<RunningService> {
  const usePostgres = options.databaseUrl !== undefined && options.databaseUrl !== "";
  const dataDir = resolve(options.dataDir);
  if (!usePostgres) mkdirSync(dataDir, { recursive: true });
  const service = await createService({
    ...(usePostgres ? { databaseUrl: options.databaseUrl! } : { dataDir }),
    ...(options.adminKey === undefined ? {} : { adminKey: options.adminKey }),
    logger: { level: options.logLevel },
    rateLimit: {
      ratePerSecond: options.rateLimitPerSecond ?? 2000,
      burst: 2 * (options.rateLimitPerSecond ?? 2000),
    },
    ...(options.snapshotEveryEvents === undefined
      ? {}
      : { snapshotEveryEvents: options.snapshotEveryEvents }),
    ...(options.remarginThreads === undefined ? {} : { remarginThreads: options.remarginThreads }),
    title: options.demo ? "Marginal — demo venue" : "Marginal venue",
    marketData: {
      volAnnual: Object.fromEntries(
        ["BTC", "ETH", "SOL"].map((u) => [u, defaultAssetParams(u).annualVolatility]),
      ),
      quotes: exampleMarketQuotes(),
    },
    onFatal: () => {
      // Memory is ahead of the log: stop at once; the next start recovers from the log.
      process.exit(70);
    },
  });
  let feed: DemoFeed | undefined;
  const demo = {
    accounts: options.demoAccounts,
    seed: options.demoSeed,
    hoursPerSecond: options.demoHoursPerSecond,
  };
  if (options.demo) {
    const seeded = await seedDemoVenue(service, demo);
    service.ctx.log.info(
      { seeded, accounts: options.demoAccounts },
      seeded ? "demo venue seeded" : "demo venue resumed",
    );
  }
  const address = await service.app.listen({ host: options.host, port: options.port });
  const url = address.replace("://[::1]", "://localhost");
  if (options.demo) feed = startDemoFeed(service, demo);
  options.print(`Marginal ${options.demo ? "demo venue" : "venue"} listening on ${url}`);
  options.print(
    `  dashboard ${url}/ (sign in with the admin key below)   status page ${url}/status   API docs ${url}/docs   metrics ${url}/metrics   stream ${url.replace(/^http/, "ws")}/v1/stream`,
  );
  options.print(
    `  database: ${usePostgres ? "PostgreSQL (DATABASE_URL)" : `PGlite in ${dataDir}`}; recovered ${service.recovery.replayedEvents} events after snapshot seq ${service.recovery.snapshotSeq}`,
  );
  if (service.generatedAdminKey !== undefined) {
    options.print(`  admin API key (shown once, keep it): ${service.generatedAdminKey}`);
  } else if (options.adminKey === undefined) {
    options.print("  admin API key: shown at first start (or set MARGINAL_ADMIN_KEY)");
  }

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      await feed?.stop();
      await service.close();
    })();
    return stopping;
  };
  if (options.handleSignals !== false) {
    const onSignal = (signal: string) => {
      service.ctx.log.info({ signal }, "shutting down: finishing in-flight commits");
      stop().then(
        () => process.exit(0),
        (error: unknown) => {
          service.ctx.log.error({ err: error }, "shutdown failed");
          process.exit(1);
        },
      );
    };
    process.once("SIGTERM", onSignal);
    process.once("SIGINT", onSignal);
  }
  return { service, url, stop };
}
