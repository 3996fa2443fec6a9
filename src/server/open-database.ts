import { openPgliteBackend } from "../store/pglite-backend.ts";
import { openPostgresBackend } from "../store/postgres-backend.ts";
import { runMigrations } from "../store/run-migrations.ts";
import type { SqlBackend } from "../store/sql-backend.ts";
import { SERVICE_MIGRATIONS, SERVICE_SCHEMA } from "./service-migrations.ts";

export interface DatabaseOptions {
  /** PostgreSQL connection string; wins over `dataDir`. */
  readonly databaseUrl?: string;
  /** PGlite data directory; in memory when neither option is given (tests). */
  readonly dataDir?: string;
}

/**
 * Opens the one database the service uses (PostgreSQL when a URL is given, else embedded
 * PGlite) and brings the service tables up to date. The store's own migrations run when the
 * store is opened over the same backend.
 */
export async function openDatabase(options: DatabaseOptions): Promise<SqlBackend> {
  const backend =
    options.databaseUrl !== undefined && options.databaseUrl !== ""
      ? await openPostgresBackend(options.databaseUrl, { maxConnections: 8 })
      : await openPgliteBackend(options.dataDir);
  try {
    await runMigrations(backend, SERVICE_SCHEMA, SERVICE_MIGRATIONS);
  } catch (error) {
    await backend.close();
    throw error;
  }
  return backend;
}
