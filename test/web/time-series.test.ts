import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createTimeSeries, mergeHistory } from "../../web/src/lib/time-series.ts";

describe("time series ring buffer", () => {
  it("keeps the newest points oldest-first once full, gaps as null", () => {
    const s = createTimeSeries(3, ["a", "b"]);
    s.push(1, [10, 100]);
    s.push(2, [11, null]);
    s.push(3, [12, Number.NaN]);
    s.push(4, [13, 103]);
    expect(s.size()).toBe(3);
    expect(s.aligned()).toEqual([
      [2, 3, 4],
      [11, 12, 13],
      [null, null, 103],
    ]);
    expect(s.last(0)).toBe(13);
    expect(s.last(1)).toBe(103);
  });

  it("is empty before the first point and refuses a useless capacity", () => {
    const s = createTimeSeries(2, ["a"]);
    expect(s.last(0)).toBeNull();
    expect(s.aligned()).toEqual([[], []]);
    expect(() => createTimeSeries(1, ["a"])).toThrow(/capacity/);
  });

  it("equals the last `capacity` points of a plain array (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 20 }),
        fc.array(fc.double({ noNaN: true, min: -1e9, max: 1e9 }), { maxLength: 100 }),
        (capacity, values) => {
          const s = createTimeSeries(capacity, ["v"]);
          for (const [i, v] of values.entries()) s.push(i, [v]);
          const kept = values.slice(-capacity);
          const start = values.length - kept.length;
          expect(s.aligned()).toEqual([kept.map((_, i) => start + i), kept]);
        },
      ),
    );
  });

  it("merges a server history: appends newer points, replaces the newest, skips older ones", () => {
    const s = createTimeSeries(4, ["v"]);
    expect(s.lastTime()).toBeNull();
    expect(mergeHistory(s, [1, 2, 3], (i) => [[10, 20, 30][i]!])).toBe(3);
    // The server updated its newest point (t = 3) and added one; t = 2 is already held.
    expect(mergeHistory(s, [2, 3, 4], (i) => [[99, 31, 40][i]!])).toBe(2);
    expect(s.aligned()).toEqual([
      [1, 2, 3, 4],
      [10, 20, 31, 40],
    ]);
    expect(s.lastTime()).toBe(4);
    s.clear();
    expect(s.size()).toBe(0);
  });
});
