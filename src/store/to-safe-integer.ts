import { assertInvariant } from "../core/errors.ts";

/**
 * Normalises an integer column as the drivers return it (PGlite: number or bigint; `pg`: a
 * decimal string for int8) to a JavaScript number. Sequence numbers and counts stay far below
 * 2^53; a value beyond that is a broken invariant, not something to round.
 */
export function toSafeInteger(value: unknown, column: string): number {
  const n = typeof value === "string" || typeof value === "bigint" ? Number(value) : value;
  assertInvariant(
    typeof n === "number" && Number.isSafeInteger(n),
    `column ${column}: expected a safe integer, got ${String(value)}`,
  );
  return n;
}
