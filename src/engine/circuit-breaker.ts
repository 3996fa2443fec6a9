import type { UnderlyingConfig } from "./engine-config.ts";

/*
 * The circuit breaker as a pure decision over the recent marks of one underlying. A move beyond
 * `tightenMoveFraction` within the window raises the margin multiplier by one step, no faster
 * than `maxRisePerHour`; a move beyond `haltMoveFraction` also puts the markets in reduce-only
 * for `coolingMs`. The engine turns the decision into events.
 */

export interface BreakerDecision {
  /** Largest |new/old − 1| against any mark inside the window. */
  moveFraction: number;
  /** Recent / earlier realised volatility in the window (0 when not enough marks). */
  volRatio: number;
  reason: "move" | "volatility_regime" | null;
  /** The new margin multiplier, or null when unchanged. */
  multiplier: number | null;
  /** The end of a new reduce-only cooling period, or null when none starts. */
  coolingUntilMs: number | null;
}

export function evaluateCircuitBreaker(
  rules: UnderlyingConfig["circuitBreaker"],
  history: readonly { atMs: number; markTicks: bigint }[],
  newMarkTicks: bigint,
  atMs: number,
  current: { multiplier: number; multiplierChangedAtMs: number; coolingUntilMs: number },
): BreakerDecision {
  let moveFraction = 0;
  const mark = Number(newMarkTicks);
  for (const h of history) {
    if (h.atMs < atMs - rules.windowMs || h.markTicks <= 0n) continue;
    moveFraction = Math.max(moveFraction, Math.abs(mark / Number(h.markTicks) - 1));
  }
  const volRatio = volatilityRatio(rules, history, newMarkTicks, atMs);
  const volJump = rules.volRegimeJumpRatio !== undefined && volRatio > rules.volRegimeJumpRatio;
  const moved = moveFraction > rules.tightenMoveFraction;
  let multiplier: number | null = null;
  if (moved || volJump) {
    const hours = (atMs - current.multiplierChangedAtMs) / 3_600_000;
    const allowed = current.multiplier + rules.maxRisePerHour * hours;
    const target = Math.min(rules.maxMultiplier, current.multiplier + rules.tightenStep, allowed);
    if (target > current.multiplier) multiplier = target;
  }
  const coolingUntilMs =
    moveFraction > rules.haltMoveFraction && current.coolingUntilMs <= atMs ? atMs + rules.coolingMs : null;
  const reason = multiplier === null ? null : moved ? "move" : "volatility_regime";
  return { moveFraction, volRatio, reason, multiplier, coolingUntilMs };
}

/**
 * Realised volatility of the last `volRegimeRecentReturns` log returns over that of the earlier
 * ones in the window, each return scaled by 1/√Δt so irregular report times compare fairly.
 * 0 unless the earlier part has at least as many returns as the recent part.
 */
export function volatilityRatio(
  rules: UnderlyingConfig["circuitBreaker"],
  history: readonly { atMs: number; markTicks: bigint }[],
  newMarkTicks: bigint,
  atMs: number,
): number {
  const recentCount = rules.volRegimeRecentReturns ?? 5;
  const points = history.filter((h) => h.atMs >= atMs - rules.windowMs && h.markTicks > 0n);
  points.push({ atMs, markTicks: newMarkTicks });
  const returns: number[] = [];
  for (let i = 1; i < points.length; i += 1) {
    const dtMs = points[i]!.atMs - points[i - 1]!.atMs;
    if (dtMs <= 0) continue;
    returns.push(Math.log(Number(points[i]!.markTicks) / Number(points[i - 1]!.markTicks)) / Math.sqrt(dtMs));
  }
  if (returns.length < 2 * recentCount) return 0;
  const rms = (xs: number[]) => Math.sqrt(xs.reduce((t, x) => t + x * x, 0) / xs.length);
  const earlier = rms(returns.slice(0, returns.length - recentCount));
  const recent = rms(returns.slice(returns.length - recentCount));
  return earlier > 0 ? recent / earlier : recent > 0 ? Number.POSITIVE_INFINITY : 0;
}
