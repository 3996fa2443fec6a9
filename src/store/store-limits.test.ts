import { describe, expect, it } from "vitest";
import { DEFAULT_STORE_LIMITS, resolveStoreLimits } from "./store-limits.ts";

describe("resolveStoreLimits", () => {
  it("merges overrides into the defaults", () => {
    expect(resolveStoreLimits()).toEqual(DEFAULT_STORE_LIMITS);
    expect(resolveStoreLimits({ maxBatchCommands: 1, maxBatchWaitMs: 0 }).maxBatchCommands).toBe(1);
  });

  it.each([
    [{ maxBatchCommands: 0 }, /limits.maxBatchCommands: must be an integer in \[1, 10000\], got 0/],
    [{ maxQueueLength: 1.5 }, /limits.maxQueueLength/],
    [{ maxBatchWaitMs: -1 }, /limits.maxBatchWaitMs/],
    [{ maxRecordBytes: Number.NaN }, /limits.maxRecordBytes/],
    [{ maxSnapshotsKept: 1e9 }, /limits.maxSnapshotsKept/],
    [{ maxRecordBytes: 2_000_000, maxBatchBytes: 1_000_000 }, /must not exceed limits.maxBatchBytes/],
  ])("refuses %o", (overrides, reason) => {
    expect(() => resolveStoreLimits(overrides)).toThrow(reason);
  });
});
