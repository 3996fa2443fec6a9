import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { z } from "zod";
import { MarginalError } from "../../core/errors.ts";
import { black76Greeks } from "../../core/pricing/black76-greeks.ts";
import { black76ImpliedVol } from "../../core/pricing/black76-implied-vol.ts";
import { bsmGreeks } from "../../core/pricing/bsm-greeks.ts";
import { bsmImpliedVol } from "../../core/pricing/bsm-implied-vol.ts";
import { GREEK_NAMES, type OptionGreeks } from "../../core/pricing/option-greeks.ts";
import { action, type Cell, printJson, printTable } from "../output.ts";

/*
 * `marginal greeks` and `marginal implied-vol`: batch pricing of JSON arrays of options, for
 * people (a table) and other tools (--json). One bad item fails one cell, not the run, as in
 * Strata: it gets {"error": "items[3].vol: must be ≥ 0"} in its place and the others are still
 * computed. The exit code is 0 when at least one item succeeded (or the array is empty) and 1
 * when every item failed or the file itself is unusable (not JSON, not an array, too long).
 */

/** Largest number of items in one input file. */
export const MAX_INPUT_ITEMS = 100_000;

const requiredNumber = (bounds: (n: z.ZodNumber) => z.ZodNumber) =>
  bounds(
    z.number({
      error: (issue) => (issue.input === undefined ? "is required" : "must be a finite number"),
    }),
  );

const baseItem = {
  kind: z.enum(["call", "put"], {
    error: (issue) => (issue.input === undefined ? "is required" : 'must be "call" or "put"'),
  }),
  model: z.enum(["black76", "bsm"], {
    error: (issue) => (issue.input === undefined ? "is required" : 'must be "black76" or "bsm"'),
  }),
  underlying: requiredNumber((n) => n.gt(0, { error: "must be > 0" })),
  strike: requiredNumber((n) => n.gt(0, { error: "must be > 0" })),
  expiry: requiredNumber((n) => n.min(0, { error: "must be ≥ 0 (years)" })),
  rate: requiredNumber((n) => n),
  dividendYield: z.number({ error: "must be a finite number" }).optional(),
};

const notAnObject = { error: "must be an object" };
const greeksItemSchema = z.object(
  { ...baseItem, vol: requiredNumber((n) => n.min(0, { error: "must be ≥ 0" })) },
  notAnObject,
);
const impliedVolItemSchema = z.object(
  { ...baseItem, price: requiredNumber((n) => n.min(0, { error: "must be ≥ 0" })) },
  notAnObject,
);

type GreeksItem = z.infer<typeof greeksItemSchema>;
type ImpliedVolItem = z.infer<typeof impliedVolItemSchema>;

/** One output cell: the result, or the reason this item failed. */
type ItemResult<T> = T | { readonly error: string };

// The pricing functions name their arguments; the file format names them differently.
const FIELD_NAMES: Readonly<Record<string, string>> = {
  forward: "underlying",
  spot: "underlying",
  expiryYears: "expiry",
};

function itemError(index: number, error: unknown): { error: string } {
  if (error instanceof MarginalError && error.code === "invalid_input" && error.field !== undefined) {
    const field = FIELD_NAMES[error.field] ?? error.field;
    const reason = error.message.slice(error.field.length + 2);
    return { error: `items[${index}].${field}: ${reason}` };
  }
  if (error instanceof MarginalError) return { error: `items[${index}]: ${error.message}` };
  throw error;
}

function zodError(index: number, error: z.ZodError): { error: string } {
  const issue = error.issues[0];
  const path = issue?.path.map(String).join(".") ?? "";
  return { error: `items[${index}]${path === "" ? "" : `.${path}`}: ${issue?.message ?? "invalid"}` };
}

function dividendYieldOf(item: GreeksItem | ImpliedVolItem): number {
  if (item.model === "black76" && item.dividendYield !== undefined && item.dividendYield !== 0) {
    throw new MarginalError("invalid_input", "applies to model bsm only", { field: "dividendYield" });
  }
  return item.dividendYield ?? 0;
}

function priceGreeks(item: GreeksItem): OptionGreeks {
  const q = dividendYieldOf(item);
  return item.model === "black76"
    ? black76Greeks(item.kind, item.underlying, item.strike, item.expiry, item.vol, item.rate)
    : bsmGreeks(item.kind, item.underlying, item.strike, item.expiry, item.vol, item.rate, q);
}

function impliedVol(item: ImpliedVolItem): { vol: number } {
  const q = dividendYieldOf(item);
  const vol =
    item.model === "black76"
      ? black76ImpliedVol(item.kind, item.underlying, item.strike, item.expiry, item.price, item.rate)
      : bsmImpliedVol(item.kind, item.underlying, item.strike, item.expiry, item.price, item.rate, q);
  return { vol };
}

/** Reads FILE as a JSON array of at most MAX_INPUT_ITEMS items; anything else is a whole-run error. */
async function readItems(file: string): Promise<unknown[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (cause) {
    throw new MarginalError("invalid_input", `cannot read ${file}`, { field: "input", cause });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new MarginalError("invalid_input", `${file} is not valid JSON`, { field: "input", cause });
  }
  if (!Array.isArray(parsed))
    throw new MarginalError("invalid_input", `${file} must hold a JSON array of options`, { field: "input" });
  if (parsed.length > MAX_INPUT_ITEMS) {
    throw new MarginalError("invalid_input", `at most ${MAX_INPUT_ITEMS} items per file`, { field: "input" });
  }
  return parsed;
}

/** Computes each item independently; a failure becomes that item's `{error}` cell. */
function mapItems<I, O>(items: unknown[], schema: z.ZodType<I>, compute: (item: I) => O): ItemResult<O>[] {
  return items.map((raw, index) => {
    const parsed = schema.safeParse(raw);
    if (!parsed.success) return zodError(index, parsed.error);
    try {
      return compute(parsed.data);
    } catch (error) {
      return itemError(index, error);
    }
  });
}

/** Exit code 1 (with a note on stderr) when there were items and every one failed. */
function setExitCode(results: readonly ItemResult<unknown>[]): void {
  const failed = results.filter((r) => typeof r === "object" && r !== null && "error" in r).length;
  if (results.length > 0 && failed === results.length) {
    process.stderr.write(`error: all ${failed} items failed\n`);
    process.exitCode = 1;
  }
}

function describeItem(raw: unknown): Cell[] {
  const r = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
  const cell = (v: unknown): Cell => (typeof v === "number" || typeof v === "string" ? v : "");
  return [cell(r.kind), cell(r.model), cell(r.underlying), cell(r.strike), cell(r.expiry)];
}

interface CommandOptions {
  readonly input: string;
  readonly json?: boolean;
}

/** Registers `marginal greeks --input FILE.json [--json]` and `marginal implied-vol --input FILE.json [--json]`. */
export function registerGreeksCommands(program: Command): void {
  program
    .command("greeks")
    .description(
      "Prices and Greeks (Black-76 or Black-Scholes-Merton) of a JSON array of European options; " +
        "vega per 1.00 vol, theta per year, rho per 1.00 rate",
    )
    .requiredOption(
      "--input <file>",
      'JSON array of {"kind","model","underlying","strike","expiry" (years),"vol","rate","dividendYield"? (bsm)}',
    )
    .option("--json", "print the results as a JSON array on stdout, in input order")
    .action(
      action(async (options: CommandOptions) => {
        const items = await readItems(options.input);
        const results = mapItems(items, greeksItemSchema, priceGreeks);
        if (options.json === true) printJson(results);
        else {
          printTable(
            ["#", "kind", "model", "underlying", "strike", "expiry", "vol", ...GREEK_NAMES, "error"],
            results.map((result, i) => {
              const raw = items[i] as Record<string, unknown> | undefined;
              const vol = typeof raw?.vol === "number" ? raw.vol : "";
              const values =
                "error" in result ? GREEK_NAMES.map(() => "") : GREEK_NAMES.map((g) => result[g]);
              return [i, ...describeItem(raw), vol, ...values, "error" in result ? result.error : ""];
            }),
          );
        }
        setExitCode(results);
      }),
    );

  program
    .command("implied-vol")
    .description("Implied volatility (per year) of a JSON array of European option prices")
    .requiredOption(
      "--input <file>",
      'JSON array of {"kind","model","underlying","strike","expiry" (years),"price","rate","dividendYield"? (bsm)}',
    )
    .option("--json", "print the results as a JSON array of {vol} or {error} on stdout, in input order")
    .action(
      action(async (options: CommandOptions) => {
        const items = await readItems(options.input);
        const results = mapItems(items, impliedVolItemSchema, impliedVol);
        if (options.json === true) printJson(results);
        else {
          printTable(
            ["#", "kind", "model", "underlying", "strike", "expiry", "price", "vol", "error"],
            results.map((result, i) => {
              const raw = items[i] as Record<string, unknown> | undefined;
              const price = typeof raw?.price === "number" ? raw.price : "";
              return [
                i,
                ...describeItem(raw),
                price,
                "error" in result ? "" : result.vol,
                "error" in result ? result.error : "",
              ];
            }),
          );
        }
        setExitCode(results);
      }),
    );
}
