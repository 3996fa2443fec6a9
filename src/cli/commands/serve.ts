import type { Command } from "commander";
import { invalidInput } from "../../core/errors.ts";
import { runService } from "../../server/run-service.ts";
import { action } from "../output.ts";

/*
 * `marginal serve [--demo]`: the HTTP + WebSocket service. Environment: PORT (default 8080),
 * DATABASE_URL (PostgreSQL instead of the embedded PGlite data directory), MARGINAL_ADMIN_KEY
 * (the admin key to install; otherwise one is generated at first start and printed once),
 * LOG_LEVEL (pino level, default info).
 */

function integer(field: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max)
    throw invalidInput(field, `must be an integer in [${min}, ${max}]`);
  return n;
}

/** Registers `serve`. */
export function registerServeCommand(program: Command): void {
  program
    .command("serve")
    .description(
      "Run the HTTP + WebSocket service (with --demo: the example venue with a live synthetic market)",
    )
    .option("--demo", "seed the example venue and drive it with a synthetic market and demo traders")
    .option("--port <n>", "TCP port (default PORT or 8080)")
    .option("--host <address>", "address to listen on", "127.0.0.1")
    .option("--data-dir <dir>", "PGlite data directory (ignored with DATABASE_URL)", "./.marginal")
    .option("--accounts <n>", "demo traders", "500")
    .option("--seed <n>", "demo random seed", "42")
    .option("--hours-per-second <x>", "demo speed: synthetic hours per real second", "1")
    .option("--rate-limit <n>", "requests per second per API key", "2000")
    .option(
      "--remargin-threads <n>",
      "threads of the engine's re-margin pass per price sweep (worker threads; results identical)",
      "1",
    )
    .action(
      action(
        async (opts: {
          demo?: boolean;
          port?: string;
          host: string;
          dataDir: string;
          accounts: string;
          seed: string;
          hoursPerSecond: string;
          rateLimit: string;
          remarginThreads: string;
        }) => {
          const port = integer("--port", opts.port ?? process.env.PORT ?? "8080", 0, 65535);
          const speed = Number(opts.hoursPerSecond);
          if (!(Number.isFinite(speed) && speed > 0 && speed <= 100))
            throw invalidInput("--hours-per-second", "must be in (0, 100]");
          await runService({
            host: opts.host,
            port,
            dataDir: opts.dataDir,
            ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {}),
            ...(process.env.MARGINAL_ADMIN_KEY ? { adminKey: process.env.MARGINAL_ADMIN_KEY } : {}),
            demo: opts.demo === true,
            demoAccounts: integer("--accounts", opts.accounts, 2, 20_000),
            demoSeed: integer("--seed", opts.seed, 0, 2 ** 31 - 1),
            demoHoursPerSecond: speed,
            rateLimitPerSecond: integer("--rate-limit", opts.rateLimit, 1, 1_000_000),
            remarginThreads: integer("--remargin-threads", opts.remarginThreads, 1, 64),
            logLevel: process.env.LOG_LEVEL ?? "info",
            print: (line) => process.stdout.write(`${line}\n`),
          });
        },
      ),
    );
}
