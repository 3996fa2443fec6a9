import pg from "pg";
import type { SqlBackend, SqlExecutor, SqlRow } from "./sql-backend.ts";

export interface PostgresBackendOptions {
  /** Connections in the pool; the store writes through one at a time, readers use the rest. */
  readonly maxConnections?: number;
  /** Called when an idle pooled connection fails (server restart); the pool replaces it. */
  readonly onIdleError?: (error: Error) => void;
}

function executor(client: pg.Pool | pg.PoolClient): SqlExecutor {
  return {
    query: async (sql, params) =>
      (await client.query<SqlRow>(sql, params === undefined ? [] : [...params])).rows,
    exec: async (sql) => {
      await client.query(sql);
    },
  };
}

/**
 * PostgreSQL through a `pg` connection pool as a store backend. A commit is acknowledged by
 * the server only after its WAL is flushed (with the default `synchronous_commit = on`), which
 * is what makes an acknowledged append durable. Integers come back as strings from `pg`; the
 * store normalises them.
 */
export async function openPostgresBackend(
  databaseUrl: string,
  options: PostgresBackendOptions = {},
): Promise<SqlBackend> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: options.maxConnections ?? 4 });
  // Without a listener an idle client's error (server restarted) would crash the process.
  pool.on("error", (error) => options.onIdleError?.(error));
  // Fail at open, not at the first append, when the server is unreachable.
  await pool.query("SELECT 1");
  return {
    kind: "postgres",
    ...executor(pool),
    transaction: async (fn) => {
      const client = await pool.connect();
      // A checked-out client whose connection drops between two queries emits 'error'; with
      // no listener that would crash the process. The next query fails anyway, so the error
      // reaches the caller through the rejected transaction.
      const ignore = () => {};
      client.on("error", ignore);
      try {
        await client.query("BEGIN");
        const result = await fn(executor(client));
        await client.query("COMMIT");
        client.release();
        return result;
      } catch (error) {
        await rollbackAndRelease(client, error);
        throw error;
      } finally {
        client.removeListener("error", ignore);
      }
    },
    close: () => pool.end(),
  };
}

async function rollbackAndRelease(client: pg.PoolClient, error: unknown): Promise<void> {
  try {
    await client.query("ROLLBACK");
    client.release();
  } catch {
    // The connection is broken; destroy it rather than return it to the pool.
    client.release(error instanceof Error ? error : new Error(String(error)));
  }
}
