import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { kupiecPof } from "./kupiec-pof.ts";

const reference = JSON.parse(
  readFileSync(fileURLToPath(new URL("../../../test/fixtures/risk/reference.json", import.meta.url)), "utf8"),
) as {
  sequences: { name: string; confidence: number; hits: number[]; kupiec: { lr: number; pValue: number } }[];
};

describe("kupiecPof", () => {
  it("matches a hand computation: 5 exceptions in 250 at 99%", () => {
    // LR = −2[245 ln 0.99 + 5 ln 0.01 − 245 ln 0.98 − 5 ln 0.02]
    //    = −2[245 ln(0.99/0.98) + 5 ln 0.5] = −2[245·0.0101523715 − 3.4657359028]
    //    = −2[2.4873310087 − 3.4657359028] = 1.9568097882; p = P(χ²₁ > 1.9568) ≈ 0.16188
    const test = kupiecPof(250, 5, 0.99);
    expect(test.lr).toBeCloseTo(1.9568097882, 9);
    expect(test.pValue).toBeCloseTo(0.16188, 4);
  });

  it("handles zero and all exceptions (0·ln 0 = 0)", () => {
    // x = 0: LR = −2·250·ln 0.99 = 500·0.010050336 = 5.025167926
    expect(kupiecPof(250, 0, 0.99).lr).toBeCloseTo(5.025167926, 8);
    // x = n = 3: LR = −2·3·ln 0.01 = 27.631021116
    expect(kupiecPof(3, 3, 0.99).lr).toBeCloseTo(27.631021116, 8);
  });

  it("is zero with a p-value of one when exceptions equal expectations", () => {
    const test = kupiecPof(1000, 10, 0.99);
    expect(test.lr).toBeCloseTo(0, 12);
    expect(test.pValue).toBeCloseTo(1, 9);
  });

  it("matches R on the reference sequences", () => {
    for (const s of reference.sequences) {
      const x = s.hits.reduce((a, b) => a + b, 0);
      const test = kupiecPof(s.hits.length, x, s.confidence);
      expect(test.lr, s.name).toBeCloseTo(s.kupiec.lr, 10);
      expect(test.pValue, s.name).toBeCloseTo(s.kupiec.pValue, 12);
    }
  });

  it("rejects impossible counts, naming the field", () => {
    expect(() => kupiecPof(10, 11, 0.99)).toThrow(/exceptions/);
    expect(() => kupiecPof(0, 0, 0.99)).toThrow(/observations/);
    expect(() => kupiecPof(10, 1, 1)).toThrow(/confidence/);
  });
});
