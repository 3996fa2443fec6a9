import { describe, expect, it } from "vitest";
import { jsonCodec } from "./json-codec.ts";

describe("jsonCodec", () => {
  it("encodes canonically and decodes with bigints revived", () => {
    const codec = jsonCodec<{ amountMicroUsd: bigint; account: string }>({ bigintKeys: ["amountMicroUsd"] });
    const text = codec.encode({ account: "a", amountMicroUsd: 10n ** 20n });
    expect(text).toBe('{"account":"a","amountMicroUsd":"100000000000000000000"}');
    expect(codec.decode(text)).toEqual({ account: "a", amountMicroUsd: 10n ** 20n });
  });

  it("runs the caller's parse on decode", () => {
    const codec = jsonCodec<number>({
      parse: (json) => {
        if (typeof json !== "number") throw new Error("not a number");
        return json;
      },
    });
    expect(codec.decode("3")).toBe(3);
    expect(() => codec.decode('"3"')).toThrow(/not a number/);
  });
});
