import { invalidInput } from "../core/errors.ts";

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Validates the PostgreSQL schema that holds a store's tables. It is spliced into SQL text
 * (identifiers cannot be bound as parameters), so only lower-case letters, digits and
 * underscores are allowed, at most 63 characters (PostgreSQL's identifier limit).
 */
export function validateSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw invalidInput("schema", "must match [a-z_][a-z0-9_]* and be at most 63 characters");
  }
  return schema;
}
