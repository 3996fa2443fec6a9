import Table from "cli-table3";
import { MarginalError } from "../core/errors.ts";

/** Writes a value as pretty JSON on stdout. Bigints are written as decimal strings. */
export function printJson(value: unknown): void {
  process.stdout.write(
    `${JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2)}\n`,
  );
}

export type Cell = string | number | bigint | boolean | null | undefined;

/** Formats a number for people: fixed decimals for moderate magnitudes, exponent otherwise. */
export function formatNumber(value: number, digits = 6): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e12)) return value.toExponential(digits - 1);
  return Number(value.toPrecision(digits)).toString();
}

function formatCell(value: Cell): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return formatNumber(value);
  return String(value);
}

/** Prints rows as a readable table on stdout. */
export function printTable(head: readonly string[], rows: readonly (readonly Cell[])[]): void {
  const table = new Table({ head: [...head], style: { head: [], border: [] } });
  for (const row of rows) table.push(row.map(formatCell));
  process.stdout.write(`${table.toString()}\n`);
}

/** Prints a key/value object as a two-column table. */
export function printKeyValues(entries: Readonly<Record<string, Cell>>): void {
  printTable(
    ["field", "value"],
    Object.entries(entries).map(([k, v]) => [k, v]),
  );
}

/**
 * Wraps a command action: errors go to stderr with a non-zero exit code (1 for bad input or
 * data, 3 for anything unexpected), never a stack trace for an expected failure.
 */
export function action<A extends unknown[]>(
  fn: (...args: A) => Promise<void> | void,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (error) {
      if (error instanceof MarginalError) {
        process.stderr.write(`error (${error.code}): ${error.message}\n`);
        process.exitCode = 1;
      } else {
        process.stderr.write(
          `unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
        );
        process.exitCode = 3;
      }
    }
  };
}
