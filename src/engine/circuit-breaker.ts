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
  let multiplier: number | null = null;
  if (moveFraction > rules.tightenMoveFraction) {
    const hours = (atMs - current.multiplierChangedAtMs) / 3_600_000;
    const allowed = current.multiplier + rules.maxRisePerHour * hours;
    const target = Math.min(rules.maxMultiplier, current.multiplier + rules.tightenStep, allowed);
    if (target > current.multiplier) multiplier = target;
  }
  const coolingUntilMs =
    moveFraction > rules.haltMoveFraction && current.coolingUntilMs <= atMs ? atMs + rules.coolingMs : null;
  return { moveFraction, multiplier, coolingUntilMs };
}
