import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { MarginalError } from "../core/errors.ts";

export interface DataDirLock {
  /** The lock file's path. */
  readonly path: string;
  /** Removes the lock file (idempotent). */
  release(): void;
}

/**
 * An exclusive lock on a PGlite data directory, as a file `<dataDir>.lock` holding the owner's
 * pid. PGlite runs PostgreSQL in single-user mode and does not honour `postmaster.pid`, so two
 * processes opening one directory would both write to it and corrupt it; this lock refuses the
 * second. A lock left behind by a killed process (SIGKILL leaves it) is taken over when its pid
 * no longer runs. The file is created with O_EXCL, so two starters cannot both win.
 */
export function acquireDataDirLock(dataDir: string): DataDirLock {
  const path = `${dataDir}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, "wx");
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      let held = true;
      return {
        path,
        release: () => {
          if (!held) return;
          held = false;
          unlinkSync(path);
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number.parseInt(readFileSync(path, "utf8"), 10);
      if (Number.isSafeInteger(owner) && owner > 0 && isRunning(owner)) {
        throw new MarginalError("conflict", `data directory is in use by process ${owner}`, {
          field: "dataDir",
          details: { dataDir, lockFile: path, pid: owner },
        });
      }
      unlinkSync(path); // stale: its owner is gone
    }
  }
  throw new MarginalError("conflict", "could not take the data directory lock", { field: "dataDir" });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0: existence check only
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
