import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical-json.ts";

/** The same value with every object's keys in reverse order (arrays keep their order). */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .reverse()
      .map((k) => [k, reverseKeys((value as Record<string, unknown>)[k])]),
  );
}

describe("canonicalJson (engine)", () => {
  it("sorts keys at every depth, keeps array order, writes bigints as decimal strings", () => {
    const value = { b: [3, { z: 1n, a: -20n }], a: { y: "x", c: null, d: true }, skipped: undefined };
    expect(canonicalJson(value)).toBe('{"a":{"c":null,"d":true,"y":"x"},"b":[3,{"a":"-20","z":"1"}]}');
  });

  it("orders keys by UTF-16 code unit, as Array.prototype.sort does (upper case before lower case)", () => {
    expect(canonicalJson({ b: 1, B: 2, a: 3, "": 4 })).toBe('{"":4,"B":2,"a":3,"b":1}');
  });

  it("agrees with JSON.parse and ignores key order (property)", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(canonicalJson(reverseKeys(value))).toBe(text);
        // -0 is written as 0, like JSON.stringify does.
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 200 },
    );
  });

  it("fails loudly on what JSON cannot hold faithfully, naming the path", () => {
    expect(() => canonicalJson({ a: [1, Number.NaN] })).toThrow("$.a[1]: NaN is not a finite number");
    expect(() => canonicalJson({ a: Number.POSITIVE_INFINITY })).toThrow("not a finite number");
    expect(() => canonicalJson([undefined])).toThrow("$[0]: undefined inside an array");
    expect(() => canonicalJson({ m: new Map() })).toThrow("$.m: not a plain object");
    expect(() => canonicalJson({ f: () => 1 })).toThrow("$.f: a function has no JSON form");
  });
});
