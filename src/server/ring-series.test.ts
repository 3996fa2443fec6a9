import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createRingSeries } from "./ring-series.ts";

describe("ring series", () => {
  it("keeps the last `capacity` points, oldest first, NaN as null", () => {
    const s = createRingSeries(["t", "v"], 3);
    expect(s.last("t")).toBeUndefined();
    for (let i = 1; i <= 5; i += 1) s.push({ t: i, v: i === 4 ? Number.NaN : i * 10 });
    expect(s.size()).toBe(3);
    expect(s.columns()).toEqual({ t: [3, 4, 5], v: [30, null, 50] });
    expect(s.last("t")).toBe(5);
    s.replaceLast({ t: 6, v: 60 });
    expect(s.columns()).toEqual({ t: [3, 4, 6], v: [30, null, 60] });
  });

  it("equals the tail of everything pushed (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true }), { maxLength: 60 }),
        fc.integer({ min: 1, max: 20 }),
        (xs, cap) => {
          const s = createRingSeries(["x"], cap);
          for (const x of xs) s.push({ x });
          expect(s.columns().x).toEqual(xs.slice(Math.max(0, xs.length - cap)));
        },
      ),
    );
  });

  it("refuses an unbounded capacity", () => {
    expect(() => createRingSeries(["x"], 0)).toThrow();
    expect(() => createRingSeries(["x"], 1e9)).toThrow();
  });
});
