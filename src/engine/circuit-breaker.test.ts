import { describe, expect, it } from "vitest";
import { evaluateCircuitBreaker } from "./circuit-breaker.ts";

const rules = {
  windowMs: 60_000,
  tightenMoveFraction: 0.05,
  haltMoveFraction: 0.15,
  coolingMs: 300_000,
  tightenStep: 0.25,
  maxMultiplier: 3,
  maxRisePerHour: 2,
  relaxAfterMs: 3_600_000,
};
const calm = { multiplier: 1, multiplierChangedAtMs: 0, coolingUntilMs: 0 };
const t = 10_000_000;

describe("circuit breaker", () => {
  it("does nothing on a small move", () => {
    const d = evaluateCircuitBreaker(rules, [{ atMs: t - 1000, markTicks: 100_000n }], 97_000n, t, calm);
    expect(d).toEqual({
      moveFraction: expect.closeTo(0.03, 12),
      volRatio: 0,
      reason: null,
      multiplier: null,
      coolingUntilMs: null,
    });
  });

  it("tightens one step past 5 % and goes reduce-only past 15 %", () => {
    const history = [{ atMs: t - 30_000, markTicks: 100_000n }];
    expect(evaluateCircuitBreaker(rules, history, 93_000n, t, calm)).toMatchObject({
      multiplier: 1.25,
      coolingUntilMs: null,
    });
    expect(evaluateCircuitBreaker(rules, history, 84_000n, t, calm)).toMatchObject({
      multiplier: 1.25,
      coolingUntilMs: t + 300_000,
    });
  });

  it("respects the speed limit: 2 per hour allows +0.1 after 3 minutes", () => {
    const current = { multiplier: 1.25, multiplierChangedAtMs: t - 180_000, coolingUntilMs: 0 };
    const d = evaluateCircuitBreaker(rules, [{ atMs: t - 1000, markTicks: 100_000n }], 90_000n, t, current);
    expect(d.multiplier).toBeCloseTo(1.35, 12);
  });

  it("ignores marks outside the window", () => {
    const d = evaluateCircuitBreaker(rules, [{ atMs: t - 61_000, markTicks: 100_000n }], 70_000n, t, calm);
    expect(d.moveFraction).toBe(0);
  });
});

describe("volatility-regime trigger", () => {
  const volRules = { ...rules, volRegimeJumpRatio: 3, volRegimeRecentReturns: 3 };
  // Marks every second alternating ±0.1 %, then ±1 % (10× the volatility) for the last 3 returns.
  const path = (tail: number) => {
    const marks: { atMs: number; markTicks: bigint }[] = [];
    let m = 100_000;
    for (let i = 0; i < 10; i += 1) {
      const step = i >= 10 - tail ? 0.01 : 0.001;
      m = Math.round(m * (i % 2 === 0 ? 1 + step : 1 - step));
      marks.push({ atMs: t - (10 - i) * 1000, markTicks: BigInt(m) });
    }
    return marks;
  };

  it("tightens when recent volatility jumps, without a large net move", () => {
    const history = path(2);
    const last = history.at(-1)!.markTicks;
    const d = evaluateCircuitBreaker(volRules, history, (last * 101n) / 100n, t, calm);
    expect(d.moveFraction).toBeLessThan(0.05);
    expect(d.volRatio).toBeGreaterThan(3);
    expect(d).toMatchObject({ reason: "volatility_regime", multiplier: 1.25 });
  });

  it("stays calm in a steady regime", () => {
    const history = path(0);
    const last = history.at(-1)!.markTicks;
    const d = evaluateCircuitBreaker(volRules, history, (last * 1001n) / 1000n, t, calm);
    expect(d.volRatio).toBeLessThan(1.5);
    expect(d.multiplier).toBe(null);
  });
});
