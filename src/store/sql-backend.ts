/**
 * The little SQL surface the store needs, implemented by PGlite (embedded) and by PostgreSQL
 * through `pg`. Both speak the same SQL, so the schema, migrations and queries are shared.
 */
export type SqlRow = Record<string, unknown>;

export interface SqlExecutor {
  /** One parameterised statement ($1, $2, ...); returns its rows. */
  query(sql: string, params?: readonly unknown[]): Promise<SqlRow[]>;
  /** Several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export type SqlBackendKind = "pglite" | "postgres";

export interface SqlBackend extends SqlExecutor {
  readonly kind: SqlBackendKind;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Releases the database (closes PGlite, ends the pool). */
  close(): Promise<void>;
}
