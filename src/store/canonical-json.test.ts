import * as fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MarginalError } from "../core/errors.ts";
import { bigintReviver, canonicalJson, parseCanonicalJson } from "./canonical-json.ts";

describe("canonicalJson", () => {
  it("sorts keys, drops undefined properties and writes bigints as decimal strings", () => {
    const value = { b: 1, a: { d: [1, "x", null, true], c: -12345678901234567890n }, z: undefined };
    // Keys a < b at the top, c < d inside; the bigint exceeds 2^64 and survives digit for digit.
    expect(canonicalJson(value)).toBe('{"a":{"c":"-12345678901234567890","d":[1,"x",null,true]},"b":1}');
    expect(canonicalJson({ é: 1, Z: 2, a: 3 })).toBe('{"Z":2,"a":3,"é":1}'); // UTF-16 order: Z(0x5a) < a(0x61) < é(0xe9)
    expect(canonicalJson(-0)).toBe("0");
    expect(canonicalJson("\u0000\n")).toBe('"\\u0000\\n"'); // control characters escaped: no NUL reaches the database
  });

  it("is independent of key insertion order", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.oneof(fc.integer(), fc.string(), fc.bigInt())), (dict) => {
        const reversed = Object.fromEntries(Object.entries(dict).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(dict));
      }),
    );
  });

  it("round-trips through parseCanonicalJson with the bigint keys named", () => {
    const record = fc.record({
      id: fc.string(),
      amountMicroUsd: fc.bigInt({ min: -(2n ** 127n), max: 2n ** 127n }),
      fills: fc.array(
        fc.record({ sizeMicro: fc.bigInt(), price: fc.double({ noNaN: true, noDefaultInfinity: true }) }),
      ),
    });
    fc.assert(
      fc.property(record, (r) => {
        const back = parseCanonicalJson(canonicalJson(r), ["amountMicroUsd", "sizeMicro"]);
        // -0 comes back as 0 (JSON has one zero), which toEqual treats as different from -0.
        const expected = { ...r, fills: r.fills.map((f) => ({ ...f, price: f.price === 0 ? 0 : f.price })) };
        expect(back).toEqual(expected);
      }),
    );
  });

  it.each([
    [{ a: Number.NaN }, "$.a", /NaN is not a finite number/],
    [{ a: [1, Number.POSITIVE_INFINITY] }, "$.a[1]", /Infinity/],
    [[undefined], "$[0]", /undefined inside an array/],
    [{ when: new Date(0) }, "$.when", /plain objects/],
    [{ f: () => 1 }, "$.f", /function/],
    [{ m: new Map() }, "$.m", /plain objects/],
  ])("rejects %o at %s", (value, field, reason) => {
    try {
      canonicalJson(value);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(MarginalError);
      expect((error as MarginalError).field).toBe(field);
      expect((error as MarginalError).message).toMatch(reason);
    }
  });

  it("rejects nesting deeper than 64 levels (and so cycles)", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 70; i++) deep = [deep];
    expect(() => canonicalJson(deep)).toThrow(/nesting deeper than 64/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/nesting deeper/);
  });
});

describe("bigintReviver", () => {
  it("revives only the named keys, at any depth and inside arrays", () => {
    const text =
      '{"amountMicroUsd":"9007199254740993","memo":"12","legs":[{"amountMicroUsd":"-5"}],"amounts":["1","2"]}';
    expect(JSON.parse(text, bigintReviver(["amountMicroUsd", "amounts"]))).toEqual({
      amountMicroUsd: 9007199254740993n, // 2^53 + 1: a float would have read 9007199254740992
      memo: "12",
      legs: [{ amountMicroUsd: -5n }],
      amounts: [1n, 2n],
    });
  });

  it.each([
    ['{"x":1.5}', /expected an integer as a decimal string, got 1.5/],
    ['{"x":1}', /got 1$/],
    ['{"x":"1e6"}', /got "1e6"/],
    ['{"x":"007"}', /got "007"/],
    ['{"x":" 1"}', /got " 1"/],
    ['{"x":["1", 2]}', /x\[1\]/],
  ])("rejects %s under a bigint key", (text, reason) => {
    expect(() => JSON.parse(text, bigintReviver(["x"]))).toThrow(reason);
  });
});
