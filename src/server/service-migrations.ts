import type { Migration } from "../store/migrations.ts";

/*
 * The service's own tables, beside the store's log in the same database: API keys (hashed) and
 * the governance record of risk-parameter documents. They are numbered migrations run on start
 * by the store's migration runner, in their own schema so the two version sequences never mix.
 */

/** Schema of the service tables. */
export const SERVICE_SCHEMA = "marginal_service";

export const SERVICE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "api keys",
    sql: (s) => `
      CREATE TABLE ${s}.api_keys (
        key_id      text PRIMARY KEY,
        role        text NOT NULL,
        account_ids text NOT NULL,
        label       text NOT NULL,
        salt        text NOT NULL,
        hash        text NOT NULL,
        created_by  text NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        revoked_at  timestamptz
      );`,
  },
  {
    version: 2,
    name: "risk parameter governance",
    sql: (s) => `
      CREATE TABLE ${s}.risk_params (
        version_id  serial PRIMARY KEY,
        status      text NOT NULL CHECK (status IN ('proposed', 'applied', 'superseded')),
        document    text NOT NULL,
        diff        text NOT NULL,
        proposed_by text NOT NULL,
        proposed_at timestamptz NOT NULL DEFAULT now(),
        applied_by  text,
        applied_at  timestamptz,
        note        text NOT NULL DEFAULT ''
      );`,
  },
];
