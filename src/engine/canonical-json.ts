import { assertInvariant, MarginalError } from "../core/errors.ts";

/*
 * The engine's canonical JSON, the text the state hash is taken over. Object keys are sorted
 * (by UTF-16 code unit, the order of `Array.prototype.sort`), there is no whitespace, and bigints
 * are written as decimal strings, so the text is a function of the value's content only: the
 * venue config that travels inside the `configured` event hashes the same whether a log kept its
 * key order or a store re-sorted it. Array order is content and is kept.
 *
 * It follows the same rules as the store's `canonicalJson` (src/store/canonical-json.ts), which
 * the engine cannot import (layering); the engine only serialises its own snapshots, so anything
 * that cannot be written faithfully is a broken invariant, not bad input.
 */

const DEPTH_MAX = 64;

/** Canonical JSON text of a JSON-like value (bigints as decimal strings; no units of its own). */
export function canonicalJson(value: unknown): string {
  return write(value, "$", 0);
}

function write(value: unknown, path: string, depth: number): string {
  assertInvariant(depth <= DEPTH_MAX, `${path}: nested deeper than ${DEPTH_MAX} levels`);
  switch (typeof value) {
    case "string":
    case "boolean":
      return JSON.stringify(value);
    case "bigint":
      return `"${value.toString()}"`;
    case "number":
      // JSON.stringify would write NaN and ±Infinity as null, silently.
      assertInvariant(Number.isFinite(value), `${path}: ${value} is not a finite number`);
      return JSON.stringify(value);
    case "object": {
      if (value === null) return "null";
      if (Array.isArray(value)) {
        const items = value.map((item: unknown, i) => {
          assertInvariant(item !== undefined, `${path}[${i}]: undefined inside an array`);
          return write(item, `${path}[${i}]`, depth + 1);
        });
        return `[${items.join(",")}]`;
      }
      const proto: unknown = Object.getPrototypeOf(value);
      assertInvariant(proto === Object.prototype || proto === null, `${path}: not a plain object`);
      const record = value as Record<string, unknown>;
      const parts: string[] = [];
      for (const key of Object.keys(record).sort()) {
        const item = record[key];
        // An absent optional field and one set to undefined are the same content.
        if (item === undefined) continue;
        parts.push(`${JSON.stringify(key)}:${write(item, `${path}.${key}`, depth + 1)}`);
      }
      return `{${parts.join(",")}}`;
    }
    default:
      throw new MarginalError("invariant_violated", `${path}: a ${typeof value} has no JSON form`);
  }
}
