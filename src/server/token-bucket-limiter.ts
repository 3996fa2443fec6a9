/*
 * Per-key rate limits: a token bucket per API key, in memory (one service process). A bucket
 * holds at most `burst` tokens and refills at `ratePerSecond`; a request takes one token or is
 * refused with the time until the next one. Buckets are kept for at most `keysMax` keys; the
 * oldest is forgotten first (a forgotten key starts again with a full bucket, which is harmless).
 */

export interface TokenBucketOptions {
  readonly ratePerSecond: number;
  readonly burst: number;
  readonly keysMax?: number;
}

export interface TokenBucketLimiter {
  /** Takes a token for `key` at `nowMs`; returns 0 when allowed, else ms until one is available. */
  take(key: string, nowMs: number): number;
}

/** Creates a limiter; `ratePerSecond` and `burst` must be positive. */
export function createTokenBucketLimiter(options: TokenBucketOptions): TokenBucketLimiter {
  const keysMax = options.keysMax ?? 100_000;
  const buckets = new Map<string, { tokens: number; atMs: number }>();
  return {
    take(key, nowMs) {
      let b = buckets.get(key);
      if (b === undefined) {
        if (buckets.size >= keysMax) buckets.delete(buckets.keys().next().value as string);
        b = { tokens: options.burst, atMs: nowMs };
        buckets.set(key, b);
      }
      b.tokens = Math.min(options.burst, b.tokens + ((nowMs - b.atMs) / 1000) * options.ratePerSecond);
      b.atMs = nowMs;
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return Math.ceil(((1 - b.tokens) / options.ratePerSecond) * 1000);
    },
  };
}
