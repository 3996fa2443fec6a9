import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatTimestampIso, parseTimestampMs } from "./parse-timestamp.ts";

// 2020-03-12T00:00:00Z = 18333 days after 1970-01-01 → 18333 × 86 400 000 ms.
const MARCH_12_2020_MS = 18_333 * 86_400_000;

describe("parseTimestampMs", () => {
  it("reads every vendor spelling of the same instant", () => {
    for (const text of [
      "2020-03-12T00:00:00Z",
      "2020-03-12T00:00:00.000Z",
      "2020-03-12 00:00:00+00:00",
      "2020-03-12T02:00:00+02:00",
      "2020-03-11T19:00:00-0500",
      "2020-03-12",
      "2020-03-12T00:00",
      "1583971200",
      "1583971200000",
      "1583971200000000",
      " 2020-03-12T00:00:00Z ",
    ]) {
      expect(parseTimestampMs(text), text).toBe(MARCH_12_2020_MS);
    }
  });

  it("keeps milliseconds", () => {
    expect(parseTimestampMs("2020-03-12T00:00:00.250Z")).toBe(MARCH_12_2020_MS + 250);
  });

  it("rejects text that is not a timestamp or not a calendar date", () => {
    for (const text of [
      "",
      "yesterday",
      "2020-02-30",
      "2020-13-01",
      "2020-03-12T25:00:00Z",
      "12/03/2020",
      "-5",
    ]) {
      expect(parseTimestampMs(text), text).toBeUndefined();
    }
  });

  it("round-trips with formatTimestampIso for whole seconds", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_000_000_000 }), (seconds) => {
        const ms = seconds * 1000;
        expect(parseTimestampMs(formatTimestampIso(ms))).toBe(ms);
      }),
    );
  });

  it("formats without milliseconds when there are none", () => {
    expect(formatTimestampIso(MARCH_12_2020_MS)).toBe("2020-03-12T00:00:00Z");
    expect(formatTimestampIso(MARCH_12_2020_MS + 5)).toBe("2020-03-12T00:00:00.005Z");
  });
});

describe("parseTimestampMs fast path", () => {
  it("agrees with Date.parse on canonical timestamps, leap days included", () => {
    fc.assert(
      fc.property(fc.integer({ min: -2_000_000_000, max: 7_000_000_000 }), (seconds) => {
        const iso = new Date(seconds * 1000).toISOString().replace(".000Z", "Z");
        if (iso.length !== 20) return; // years outside 0000–9999 are not canonical
        expect(parseTimestampMs(iso)).toBe(Date.parse(iso));
      }),
    );
    expect(parseTimestampMs("2024-02-29T00:00:00Z")).toBe(Date.UTC(2024, 1, 29));
    expect(parseTimestampMs("2023-02-29T00:00:00Z")).toBeUndefined();
    expect(parseTimestampMs("2100-02-29T00:00:00Z")).toBeUndefined();
    expect(parseTimestampMs("2024-01-01T00:00:0xZ")).toBeUndefined();
  });
});
