import { describe, expect, it } from "vitest";
import { toSafeInteger } from "./to-safe-integer.ts";

describe("toSafeInteger", () => {
  it("accepts the forms the drivers return", () => {
    expect(toSafeInteger(42, "c")).toBe(42);
    expect(toSafeInteger(42n, "c")).toBe(42);
    expect(toSafeInteger("9007199254740991", "c")).toBe(2 ** 53 - 1);
  });
  it.each([["9007199254740993"], [2n ** 60n], ["1.5"], [null], ["x"]])("fails loudly on %s", (value) => {
    expect(() => toSafeInteger(value, "events.seq")).toThrow(/column events.seq: expected a safe integer/);
  });
});
