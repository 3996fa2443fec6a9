import { describe, expect, it } from "vitest";
import { GrowableColumn } from "./growable-column.ts";

describe("GrowableColumn", () => {
  it("grows past its capacity and trims to the filled length", () => {
    const column = new GrowableColumn(2);
    for (let i = 0; i < 1000; i++) column.push(i * 0.5);
    expect(column.length).toBe(1000);
    const out = column.toArray();
    expect(out).toBeInstanceOf(Float64Array);
    expect(out.length).toBe(1000);
    expect(out.buffer.byteLength).toBe(8000);
    expect(out[999]).toBe(499.5);
  });
});
