import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/*
 * Runs `marginal serve --demo` as a child process on a free port (port 0) in a fresh data
 * directory, and reads the URL and the generated admin key from the lines it prints.
 */

export const REPO_ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));

export interface DemoServer {
  readonly url: string;
  readonly adminKey: string;
  /** Everything the process printed so far (for failure messages). */
  output(): string;
  /** SIGTERM (SIGKILL after 10 s); resolves with the exit code (null when killed). */
  stop(): Promise<number | null>;
}

/** Starts the demo service; resolves once it printed its URL and admin key (at most `timeoutMs`). */
export async function startDemoServer(options: {
  accounts: number;
  hoursPerSecond: number;
  timeoutMs: number;
  /** The script to run (default bin/marginal.js), and more `serve` options. */
  entry?: string;
  extraArgs?: readonly string[];
  /** Working directory (default the repository). */
  cwd?: string;
}): Promise<DemoServer> {
  const dataDir = mkdtempSync(join(tmpdir(), "marginal-e2e-"));
  const child: ChildProcess = spawn(
    process.execPath,
    [
      options.entry ?? join(REPO_ROOT, "bin/marginal.js"),
      "serve",
      "--demo",
      "--port",
      "0",
      "--data-dir",
      dataDir,
      "--accounts",
      String(options.accounts),
      "--hours-per-second",
      String(options.hoursPerSecond),
      ...(options.extraArgs ?? []),
    ],
    {
      cwd: options.cwd ?? REPO_ROOT,
      env: { ...process.env, LOG_LEVEL: "warn", MARGINAL_ADMIN_KEY: "" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let text = "";
  child.stdout?.on("data", (d: Buffer) => {
    text += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    text += d.toString();
  });
  const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(dataDir, { recursive: true, force: true });
    return child.exitCode;
  };
  const started = Date.now();
  for (;;) {
    const url = /listening on (http:\/\/\S+)/.exec(text)?.[1];
    const adminKey = /admin API key \(shown once, keep it\): (\S+)/.exec(text)?.[1];
    if (url !== undefined && adminKey !== undefined) return { url, adminKey, output: () => text, stop };
    if (child.exitCode !== null || Date.now() - started > options.timeoutMs) {
      await stop();
      throw new Error(`marginal serve --demo did not start (exit ${child.exitCode}):\n${text}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** GET or POST JSON on the running service with a key; throws with the answer on a non-2xx. */
export async function apiCall<T>(
  server: DemoServer,
  key: string,
  method: "GET" | "POST",
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}
