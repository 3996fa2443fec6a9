/**
 * The store's schema, as numbered migrations. A migration is never edited once released: a
 * change is a new, higher-numbered migration. `sql(schema)` returns the statements with the
 * (validated) schema name spliced in, so one database can hold several stores.
 *
 * Records are stored as canonical JSON in `text` columns rather than `jsonb`: `jsonb`
 * re-orders keys and re-formats numbers, and the exact bytes are what state hashes are
 * computed over. (`body::jsonb` still works for ad-hoc queries.)
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  sql(schema: string): string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "command and event log",
    sql: (s) => `
      CREATE TABLE ${s}.commands (
        command_id   text PRIMARY KEY,
        first_seq    bigint NOT NULL CHECK (first_seq >= 1),
        event_count  integer NOT NULL CHECK (event_count >= 0),
        command      text NOT NULL,
        result       text NOT NULL,
        committed_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE ${s}.events (
        seq        bigint PRIMARY KEY CHECK (seq >= 1),
        command_id text NOT NULL REFERENCES ${s}.commands (command_id),
        body       text NOT NULL
      );
      CREATE INDEX events_command_id ON ${s}.events (command_id);`,
  },
  {
    version: 2,
    name: "snapshots",
    sql: (s) => `
      CREATE TABLE ${s}.snapshots (
        seq        bigint PRIMARY KEY CHECK (seq >= 0),
        state      text NOT NULL,
        state_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );`,
  },
];
