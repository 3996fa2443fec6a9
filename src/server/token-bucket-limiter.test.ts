import { describe, expect, it } from "vitest";
import { createTokenBucketLimiter } from "./token-bucket-limiter.ts";

describe("createTokenBucketLimiter", () => {
  it("allows a burst, then refills at the rate", () => {
    const limiter = createTokenBucketLimiter({ ratePerSecond: 10, burst: 3 });
    expect([0, 0, 0].map(() => limiter.take("k", 1000))).toEqual([0, 0, 0]);
    // Empty bucket: one token takes 1/10 s = 100 ms to come back.
    expect(limiter.take("k", 1000)).toBe(100);
    // 50 ms later half a token has refilled: 50 ms still to wait.
    expect(limiter.take("k", 1050)).toBe(50);
    expect(limiter.take("k", 1100)).toBe(0);
    // Another key has its own bucket.
    expect(limiter.take("other", 1100)).toBe(0);
  });

  it("never holds more than the burst", () => {
    const limiter = createTokenBucketLimiter({ ratePerSecond: 1, burst: 2 });
    limiter.take("k", 0);
    // An hour idle refills to 2 tokens, not 3600.
    expect([
      limiter.take("k", 3_600_000),
      limiter.take("k", 3_600_000),
      limiter.take("k", 3_600_000),
    ]).toEqual([0, 0, 1000]);
  });
});
