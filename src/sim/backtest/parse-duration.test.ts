import { describe, expect, it } from "vitest";
import { parseDurationMs } from "./parse-duration.ts";

describe("parseDurationMs", () => {
  it("converts units to milliseconds", () => {
    expect(parseDurationMs("1d")).toBe(86_400_000);
    expect(parseDurationMs("24h")).toBe(86_400_000);
    expect(parseDurationMs("30m")).toBe(1_800_000);
    expect(parseDurationMs("2w")).toBe(14 * 86_400_000);
  });
  it("rejects text that is not a duration, naming the field", () => {
    expect(() => parseDurationMs("1 day", "horizon")).toThrow(/horizon/);
    expect(() => parseDurationMs("0h")).toThrow(/positive/);
  });
});
