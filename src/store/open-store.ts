import { invalidInput } from "../core/errors.ts";
import { createEventStore, type EventStore, type EventStoreOptions } from "./event-store.ts";
import { openPgliteBackend } from "./pglite-backend.ts";
import { openPostgresBackend } from "./postgres-backend.ts";
import { runMigrations } from "./run-migrations.ts";
import type { SqlBackend } from "./sql-backend.ts";

export interface OpenStoreOptions<TCommand, TEvent, TSnapshot, TResult>
  extends Omit<EventStoreOptions<TCommand, TEvent, TSnapshot, TResult>, "onClose"> {
  /** PGlite data directory (embedded database, the default backend). */
  readonly dataDir?: string;
  /** PostgreSQL connection string; when set, the store uses PostgreSQL through `pg`. */
  readonly databaseUrl?: string;
  /** An already open backend to use (shared, not closed by the store). */
  readonly backend?: SqlBackend;
}

/**
 * Opens the event store: PostgreSQL when `databaseUrl` is given, otherwise PGlite in
 * `dataDir` (in memory when neither is given, for tests), or a caller's open `backend`.
 * Runs the schema migrations before returning. Closing the store closes a backend it opened.
 */
export async function openStore<TCommand, TEvent, TSnapshot, TResult = unknown>(
  options: OpenStoreOptions<TCommand, TEvent, TSnapshot, TResult> = {},
): Promise<EventStore<TCommand, TEvent, TSnapshot, TResult>> {
  const sources = [options.dataDir, options.databaseUrl, options.backend].filter((v) => v !== undefined);
  if (sources.length > 1) {
    throw invalidInput("databaseUrl", "give at most one of dataDir, databaseUrl and backend");
  }
  if (options.databaseUrl === "") throw invalidInput("databaseUrl", "is empty");
  const owned = options.backend === undefined;
  const backend =
    options.backend ??
    (options.databaseUrl !== undefined
      ? await openPostgresBackend(options.databaseUrl)
      : await openPgliteBackend(options.dataDir));
  try {
    await runMigrations(backend, options.schema ?? "marginal");
  } catch (error) {
    if (owned) await backend.close();
    throw error;
  }
  return createEventStore(backend, {
    ...options,
    ...(owned ? { onClose: () => backend.close() } : {}),
  });
}
