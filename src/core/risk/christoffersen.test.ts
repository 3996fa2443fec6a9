import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { christoffersen, transitionCounts } from "./christoffersen.ts";

interface Reference {
  name: string;
  confidence: number;
  hits: number[];
  christoffersen: {
    n00: number;
    n01: number;
    n10: number;
    n11: number;
    lrInd: number;
    pInd: number;
    lrCC: number;
    pCC: number;
  };
}
const reference = JSON.parse(
  readFileSync(fileURLToPath(new URL("../../../test/fixtures/risk/reference.json", import.meta.url)), "utf8"),
) as { sequences: Reference[] };

describe("christoffersen", () => {
  it("matches a hand computation on six periods", () => {
    // hits 0 1 1 0 0 0: transitions 01, 11, 10, 00, 00 → n00 = 2, n01 = 1, n10 = 1, n11 = 1.
    // π₀₁ = 1/3, π₁₁ = 1/2, π = 2/5.
    // ln L(π) = 3 ln(3/5) + 2 ln(2/5) = −1.532476871 − 1.832581464 = −3.365058335
    // ln L(π₀₁,π₁₁) = 2 ln(2/3) + ln(1/3) + 2 ln(1/2) = −0.810930216 − 1.098612289 − 1.386294361
    //               = −3.295836866
    // LR_ind = −2(−3.365058335 + 3.295836866) = 0.138442938
    const test = christoffersen(Uint8Array.of(0, 1, 1, 0, 0, 0), 0.9);
    expect(test.counts).toEqual({ n00: 2, n01: 1, n10: 1, n11: 1 });
    expect(test.lrInd).toBeCloseTo(0.138442938, 8);
  });

  it("degenerate counts: no exceptions, or one in the last period only, give LR_ind = 0", () => {
    expect(christoffersen(new Uint8Array(250), 0.99).lrInd).toBe(0);
    const last = new Uint8Array(100);
    last[99] = 1;
    const test = christoffersen(last, 0.99);
    expect(test.counts).toEqual({ n00: 98, n01: 1, n10: 0, n11: 0 });
    expect(test.lrInd).toBeCloseTo(0, 12);
    expect(test.pInd).toBeCloseTo(1, 12);
  });

  it("flags clustered exceptions", () => {
    const hits = new Uint8Array(500);
    for (const i of [100, 101, 102, 250, 251, 400]) hits[i] = 1;
    expect(christoffersen(hits, 0.99).pInd).toBeLessThan(0.01);
  });

  it("matches R on the reference sequences", () => {
    for (const s of reference.sequences) {
      const test = christoffersen(Uint8Array.from(s.hits), s.confidence);
      const r = s.christoffersen;
      expect(transitionCounts(Uint8Array.from(s.hits))).toEqual({
        n00: r.n00,
        n01: r.n01,
        n10: r.n10,
        n11: r.n11,
      });
      expect(test.lrInd, s.name).toBeCloseTo(r.lrInd, 10);
      expect(test.pInd, s.name).toBeCloseTo(r.pInd, 12);
      expect(test.lrCC, s.name).toBeCloseTo(r.lrCC, 10);
      expect(test.pCC, s.name).toBeCloseTo(r.pCC, 12);
    }
  });

  it("rejects a sequence shorter than two periods", () => {
    expect(() => christoffersen(Uint8Array.of(1), 0.99)).toThrow(/hits/);
  });
});
