/*
 * The backends the shared store suites run against: PGlite in memory (always) and PostgreSQL
 * (a throwaway cluster from test/support/postgres.ts, or TEST_DATABASE_URL) when available.
 * Each test takes a fresh schema, so one database per file serves all of its tests.
 */
import {
  postgresUnavailableReason,
  startTestPostgres,
  type TestPostgres,
} from "../../../test/support/postgres.ts";
import { openPgliteBackend } from "../pglite-backend.ts";
import { openPostgresBackend } from "../postgres-backend.ts";
import type { SqlBackend, SqlBackendKind } from "../sql-backend.ts";

export interface StoreTarget {
  readonly kind: SqlBackendKind;
  /** A connection to this file's database (for PGlite the shared instance; close is a no-op). */
  connect(): Promise<SqlBackend>;
  /** The PostgreSQL server, for crash tests (undefined for PGlite). */
  readonly server: TestPostgres | undefined;
  readonly databaseUrl: string | undefined;
  dispose(): Promise<void>;
}

export const TARGET_KINDS: readonly SqlBackendKind[] = ["pglite", "postgres"];

/** Why `kind` cannot run here (undefined: it can). Printed loudly by the suites. */
export function targetUnavailableReason(kind: SqlBackendKind): string | undefined {
  return kind === "postgres" ? postgresUnavailableReason() : undefined;
}

let schemaCounter = 0;
/** A schema name unique within this process. */
export function freshSchema(): string {
  schemaCounter += 1;
  return `t${process.pid}_${schemaCounter}`;
}

export async function openTarget(kind: SqlBackendKind): Promise<StoreTarget> {
  if (kind === "pglite") {
    const shared = await openPgliteBackend();
    return {
      kind,
      server: undefined,
      databaseUrl: undefined,
      connect: async () => ({ ...shared, close: async () => {} }),
      dispose: () => shared.close(),
    };
  }
  const server = await startTestPostgres();
  if (server === undefined) throw new Error("PostgreSQL is not available");
  const databaseUrl = await server.createDatabase();
  return {
    kind,
    server,
    databaseUrl,
    connect: () => openPostgresBackend(databaseUrl),
    dispose: () => server.stop(),
  };
}
