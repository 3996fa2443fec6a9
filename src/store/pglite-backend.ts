import { PGlite } from "@electric-sql/pglite";
import { acquireDataDirLock } from "./data-dir-lock.ts";
import type { SqlBackend, SqlExecutor, SqlRow } from "./sql-backend.ts";

interface PGliteLike {
  query<R>(sql: string, params?: unknown[]): Promise<{ rows: R[] }>;
  exec(sql: string): Promise<unknown>;
}

function executor(db: PGliteLike): SqlExecutor {
  return {
    query: async (sql, params) => (await db.query<SqlRow>(sql, params === undefined ? [] : [...params])).rows,
    exec: async (sql) => {
      await db.exec(sql);
    },
  };
}

/**
 * Embedded PostgreSQL (PGlite, WASM) as a store backend. `dataDir` is a directory on disk;
 * without it the database lives in memory (tests). PGlite runs one session, so queries are
 * serialised; the store's group commit is what keeps throughput up.
 *
 * Durability: PGlite writes its WAL through the Node file system before a commit returns, so
 * an acknowledged commit survives a crash of this process (SIGKILL), and the next open runs
 * PostgreSQL's own crash recovery from the WAL. PGlite starts PostgreSQL with fsync off and its
 * WASM file system does not fsync, so a power loss or kernel crash can lose recent commits: use
 * PostgreSQL (`DATABASE_URL`) where that matters. A data directory is locked for one process
 * (see `acquireDataDirLock`): PGlite itself would let two processes corrupt it.
 */
export async function openPgliteBackend(dataDir?: string): Promise<SqlBackend> {
  const lock = dataDir === undefined ? undefined : acquireDataDirLock(dataDir);
  try {
    const db = dataDir === undefined ? new PGlite() : new PGlite(dataDir);
    await db.waitReady;
    return {
      kind: "pglite",
      ...executor(db),
      transaction: (fn) => db.transaction((tx) => fn(executor(tx))),
      close: async () => {
        try {
          await db.close();
        } finally {
          lock?.release();
        }
      },
    };
  } catch (error) {
    lock?.release();
    throw error;
  }
}
