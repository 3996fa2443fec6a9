import { MarginalError } from "../core/errors.ts";
import { MIGRATIONS, type Migration } from "./migrations.ts";
import { validateSchemaName } from "./schema-name.ts";
import type { SqlBackend, SqlExecutor } from "./sql-backend.ts";
import { toSafeInteger } from "./to-safe-integer.ts";

export interface MigrationReport {
  /** Versions applied by this call, ascending. */
  readonly applied: readonly number[];
  /** The schema version after this call. */
  readonly version: number;
}

/**
 * Brings `schema` up to the newest migration. Each migration runs in its own transaction
 * together with its row in `schema_migrations`, so a crash leaves it either fully applied or
 * not at all. A transaction-scoped advisory lock serialises concurrent openers (two
 * processes starting against one PostgreSQL), and each one re-reads the applied versions
 * under that lock, so running it again is a no-op. A database newer than this build is
 * refused rather than written to.
 */
export async function runMigrations(
  backend: SqlBackend,
  schema: string,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<MigrationReport> {
  const s = validateSchemaName(schema);
  await backend.transaction(async (tx) => {
    await lock(tx, s);
    await tx.exec(`CREATE SCHEMA IF NOT EXISTS ${s};
      CREATE TABLE IF NOT EXISTS ${s}.schema_migrations (
        version    integer PRIMARY KEY,
        name       text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      );`);
  });
  const newest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  const applied: number[] = [];
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    const ran = await backend.transaction(async (tx) => {
      await lock(tx, s);
      const done = await appliedVersions(tx, s);
      const top = done.reduce((max, v) => Math.max(max, v), 0);
      if (top > newest) {
        throw new MarginalError("unsupported", `database schema version ${top} is newer than this build`, {
          details: { schema: s, databaseVersion: top, newestKnown: newest },
        });
      }
      if (done.includes(migration.version)) return false;
      await tx.exec(migration.sql(s));
      await tx.query(`INSERT INTO ${s}.schema_migrations (version, name) VALUES ($1, $2)`, [
        migration.version,
        migration.name,
      ]);
      return true;
    });
    if (ran) applied.push(migration.version);
  }
  const version = (await appliedVersions(backend, s)).reduce((max, v) => Math.max(max, v), 0);
  return { applied, version };
}

async function lock(tx: SqlExecutor, schema: string): Promise<void> {
  await tx.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`marginal.store.${schema}`]);
}

async function appliedVersions(tx: SqlExecutor, schema: string): Promise<number[]> {
  const rows = await tx.query(`SELECT version FROM ${schema}.schema_migrations`);
  return rows.map((row) => toSafeInteger(row.version, "schema_migrations.version"));
}
