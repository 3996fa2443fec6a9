import { runService } from "../run-service.ts";

/*
 * A service process for the crash-safety test: `serve-child.ts <dataDir>`, admin key from
 * MARGINAL_ADMIN_KEY, a random port on 127.0.0.1, a snapshot every 100 events so that recovery
 * exercises snapshot + tail. Prints its start-up lines (the URL first) on stdout.
 */
const dataDir = process.argv[2];
if (dataDir === undefined) throw new Error("usage: serve-child.ts <dataDir>");
await runService({
  host: "127.0.0.1",
  port: 0,
  dataDir,
  ...(process.env.MARGINAL_ADMIN_KEY ? { adminKey: process.env.MARGINAL_ADMIN_KEY } : {}),
  demo: false,
  demoAccounts: 0,
  demoSeed: 1,
  demoHoursPerSecond: 1,
  logLevel: "warn",
  snapshotEveryEvents: 100,
  print: (line) => process.stdout.write(`${line}\n`),
});
