import { invalidInput } from "../core/errors.ts";

/**
 * Canonical JSON for the event log: object keys sorted by UTF-16 code unit (the order of
 * `Array.prototype.sort`), no whitespace, bigints written as decimal strings. The same value
 * always gives the same bytes, so a state hash over it is stable across processes and
 * backends, and the log never carries an amount as a JSON float.
 *
 * Rejected, loudly and with the JSONPath of the offending value: NaN and ±Infinity (JSON
 * cannot hold them and `JSON.stringify` would silently write `null`), `undefined` inside
 * arrays (the same silent `null`), functions, symbols, and anything that is not a plain object
 * or array (Date, Map, class instances), because their JSON form loses information. An object
 * property whose value is `undefined` is omitted, as an absent optional field.
 */
const MAX_DEPTH = 64;

/** Serialises `value` to canonical JSON text (units: whatever the value carries; bigints as decimal strings). */
export function canonicalJson(value: unknown): string {
  return write(value, "$", 0);
}

function write(value: unknown, path: string, depth: number): string {
  if (depth > MAX_DEPTH) throw invalidInput(path, `nesting deeper than ${MAX_DEPTH} levels`);
  switch (typeof value) {
    case "string":
    case "boolean":
      return JSON.stringify(value);
    case "bigint":
      return `"${value.toString()}"`;
    case "number":
      if (!Number.isFinite(value)) throw invalidInput(path, `${value} is not a finite number`);
      return JSON.stringify(value);
    case "object":
      if (value === null) return "null";
      if (Array.isArray(value)) return writeArray(value, path, depth);
      return writeObject(value, path, depth);
    default:
      throw invalidInput(path, `a ${typeof value} cannot be stored as JSON`);
  }
}

function writeArray(items: readonly unknown[], path: string, depth: number): string {
  const parts: string[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item === undefined) throw invalidInput(`${path}[${i}]`, "undefined inside an array");
    parts.push(write(item, `${path}[${i}]`, depth + 1));
  }
  return `[${parts.join(",")}]`;
}

function writeObject(value: object, path: string, depth: number): string {
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    throw invalidInput(path, "only plain objects and arrays can be stored as JSON");
  }
  const record = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const item = record[key];
    if (item === undefined) continue;
    parts.push(`${JSON.stringify(key)}:${write(item, `${path}.${key}`, depth + 1)}`);
  }
  return `{${parts.join(",")}}`;
}

const INTEGER_TEXT = /^-?(0|[1-9][0-9]*)$/;

/**
 * A `JSON.parse` reviver that turns the values of the named keys back into bigints. Those
 * values must be decimal integer strings (as `canonicalJson` writes them); a number or any
 * other string under such a key is rejected, because an amount that arrives as a float or
 * as "1e6" has already lost its exactness. Keys match by property name at any depth; array
 * elements are matched by their parent's key, so `{ amounts: ["1", "2"] }` revives both.
 */
export function bigintReviver(bigintKeys: Iterable<string>): (key: string, value: unknown) => unknown {
  const keys = new Set(bigintKeys);
  function revive(key: string, value: unknown): unknown {
    if (!keys.has(key)) return value;
    if (Array.isArray(value)) return value.map((item, i) => reviveOne(`${key}[${i}]`, item));
    return reviveOne(key, value);
  }
  return revive;
}

function reviveOne(field: string, value: unknown): unknown {
  if (typeof value === "bigint" || value === null) return value;
  if (typeof value !== "string" || !INTEGER_TEXT.test(value)) {
    throw invalidInput(field, `expected an integer as a decimal string, got ${JSON.stringify(value)}`);
  }
  return BigInt(value);
}

/** Parses JSON text written by `canonicalJson`, reviving the named keys as bigints. */
export function parseCanonicalJson(text: string, bigintKeys: Iterable<string> = []): unknown {
  return JSON.parse(text, bigintReviver(bigintKeys));
}
