/*
 * A throwaway PostgreSQL cluster for tests: `initdb` and `pg_ctl` in a temporary directory, on a
 * free port on 127.0.0.1, with its unix socket in that directory; stopped and removed by
 * `stop()`. `initdb` refuses to run as root, so under root (CI, containers) the binaries run as
 * the `postgres` system user via `runuser`, on a directory chowned to it. With
 * `TEST_DATABASE_URL` set, that server is used instead and only the databases created here are
 * dropped. Without either, `startTestPostgres` returns undefined and the caller skips loudly.
 */
import { execFile, execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";

const run = promisify(execFile);

export interface TestPostgres {
  /** `throwaway`: a cluster started here; `env`: the server in TEST_DATABASE_URL. */
  readonly source: "throwaway" | "env";
  /** Creates a fresh, empty database and returns its connection string. */
  createDatabase(): Promise<string>;
  /**
   * Throwaway clusters only: stops the server the way a crash would (`pg_ctl stop -m
   * immediate`: no shutdown checkpoint, WAL recovery at the next start), then starts it again.
   * Undefined for `env`.
   */
  readonly crashAndRestart: (() => Promise<void>) | undefined;
  /** Drops what was created; stops and deletes a throwaway cluster. */
  stop(): Promise<void>;
}

/** Why PostgreSQL tests cannot run here, or undefined when they can. */
export function postgresUnavailableReason(): string | undefined {
  if (process.env.TEST_DATABASE_URL) return undefined;
  if (findPostgresBin() === undefined) {
    return "no PostgreSQL binaries (initdb, pg_ctl) under /usr/lib/postgresql/*/bin and TEST_DATABASE_URL unset";
  }
  if (process.getuid?.() === 0 && !existsSync("/usr/sbin/runuser") && !existsSync("/sbin/runuser")) {
    return "running as root and runuser is missing (initdb refuses root)";
  }
  return undefined;
}

/** The newest installed PostgreSQL bin directory holding initdb and pg_ctl. */
export function findPostgresBin(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const bin = join(root, v, "bin");
    if (existsSync(join(bin, "initdb")) && existsSync(join(bin, "pg_ctl"))) return bin;
  }
  return undefined;
}

/** Starts a throwaway cluster (or attaches to TEST_DATABASE_URL); undefined when impossible. */
export async function startTestPostgres(): Promise<TestPostgres | undefined> {
  if (postgresUnavailableReason() !== undefined) return undefined;
  const envUrl = process.env.TEST_DATABASE_URL;
  if (envUrl) return attach(envUrl, "env", async () => {}, undefined);
  const bin = findPostgresBin();
  if (bin === undefined) return undefined;
  return startCluster(bin);
}

async function startCluster(bin: string): Promise<TestPostgres> {
  const dir = mkdtempSync(join(tmpdir(), "marginal-pg-"));
  const dataDir = join(dir, "data");
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    chownSync(dir, uid, gid);
  }
  const exec = (tool: string, args: string[]) =>
    asRoot ? run("runuser", ["-u", "postgres", "--", join(bin, tool), ...args]) : run(join(bin, tool), args);
  const port = await freePort();
  await exec("initdb", [
    "-D",
    dataDir,
    "-U",
    "postgres",
    "-A",
    "trust",
    "-E",
    "UTF8",
    "--locale=C",
    "--no-sync",
  ]);
  const serverOptions = [
    "-c listen_addresses=127.0.0.1",
    `-p ${port}`,
    `-k ${dir}`,
    "-c fsync=on",
    "-c synchronous_commit=on",
    "-c max_connections=60",
    "-c shared_buffers=32MB",
  ].join(" ");
  const start = () =>
    exec("pg_ctl", [
      "-D",
      dataDir,
      "-l",
      join(dir, "server.log"),
      "-w",
      "-t",
      "60",
      "-o",
      serverOptions,
      "start",
    ]);
  const stopWith = (mode: "fast" | "immediate") => exec("pg_ctl", ["-D", dataDir, "-w", "-m", mode, "stop"]);
  await start();
  // If the test process dies without stop(), do not leave a server running.
  const onExit = () => {
    try {
      const args = ["-D", dataDir, "-m", "immediate", "stop"];
      if (asRoot)
        execFileSync("runuser", ["-u", "postgres", "--", join(bin, "pg_ctl"), ...args], { stdio: "ignore" });
      else execFileSync(join(bin, "pg_ctl"), args, { stdio: "ignore" });
    } catch {
      // Already stopped.
    }
  };
  process.once("exit", onExit);
  const cleanup = async () => {
    process.removeListener("exit", onExit);
    try {
      await stopWith("fast");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const crashAndRestart = async () => {
    await stopWith("immediate");
    await start();
  };
  return attach(`postgresql://postgres@127.0.0.1:${port}/postgres`, "throwaway", cleanup, crashAndRestart);
}

function attach(
  adminUrl: string,
  source: "throwaway" | "env",
  cleanup: () => Promise<void>,
  crashAndRestart: (() => Promise<void>) | undefined,
): TestPostgres {
  const created: string[] = [];
  let counter = 0;
  const admin = async <T>(fn: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  };
  return {
    source,
    crashAndRestart,
    async createDatabase() {
      counter += 1;
      const name = `marginal_test_${process.pid}_${counter}_${Math.floor(Math.random() * 1e9)}`;
      await admin((c) => c.query(`CREATE DATABASE ${name}`));
      created.push(name);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      return url.toString();
    },
    async stop() {
      if (source === "env") {
        await admin(async (c) => {
          for (const name of created) await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        });
      }
      await cleanup();
    },
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
