import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { acquireDataDirLock } from "./data-dir-lock.ts";

describe("acquireDataDirLock", () => {
  const dir = mkdtempSync(join(tmpdir(), "marginal-lock-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("refuses a second holder while the first runs, and frees on release", () => {
    const dataDir = join(dir, "a");
    const lock = acquireDataDirLock(dataDir);
    expect(readFileSync(lock.path, "utf8")).toBe(`${process.pid}\n`);
    expect(() => acquireDataDirLock(dataDir)).toThrow(
      `dataDir: data directory is in use by process ${process.pid}`,
    );
    lock.release();
    lock.release();
    expect(existsSync(lock.path)).toBe(false);
    acquireDataDirLock(dataDir).release();
  });

  it("takes over a lock left by a process that is gone", () => {
    const dataDir = join(dir, "b");
    // A pid that ran and exited: what a SIGKILLed store leaves behind.
    const gone = spawnSync(process.execPath, ["-e", "0"]).pid;
    writeFileSync(`${dataDir}.lock`, `${gone}\n`);
    const lock = acquireDataDirLock(dataDir);
    expect(readFileSync(lock.path, "utf8")).toBe(`${process.pid}\n`);
    lock.release();
  });
});
