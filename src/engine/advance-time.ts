import type { CommandContext } from "./command-context.ts";
import { configOf, type EngineState, type MarketStatus, type UnderlyingState } from "./engine-state.ts";
import { computeMarkTicks } from "./mark-price.ts";

/*
 * Time-driven transitions, run at the start of every accepted command with its `atMs`: a mark
 * whose sources went stale loses validity; a market without a valid mark is reduce-only, and
 * halted once that has lasted `haltAfterMs`; a circuit-breaker cooling period ends; a calm
 * market's margin multiplier relaxes. Each transition is an event with its reason.
 */

/** The status an underlying's markets should have at `atMs`, with the reason. */
export function statusAt(
  u: UnderlyingState,
  haltAfterMs: number,
  atMs: number,
): { status: MarketStatus; reason: string; coolingUntilMs: number } {
  if (!u.markValid) {
    const halted = u.markTicks === null || atMs - u.lastValidAtMs >= haltAfterMs;
    return halted
      ? {
          status: "halted",
          reason: u.markTicks === null ? "no_price_yet" : "no_valid_price_timeout",
          coolingUntilMs: 0,
        }
      : { status: "reduce_only", reason: "no_valid_price", coolingUntilMs: 0 };
  }
  if (u.coolingUntilMs > atMs)
    return { status: "reduce_only", reason: "circuit_breaker", coolingUntilMs: u.coolingUntilMs };
  return { status: "active", reason: "valid_price", coolingUntilMs: 0 };
}

/** Emits the status event of one underlying if its stored status is out of date. */
export function syncStatus(ctx: CommandContext, u: UnderlyingState): void {
  const rules = configOf(ctx.state).underlyings.get(u.id)!;
  const next = statusAt(u, rules.oracle.haltAfterMs, ctx.atMs);
  if (next.status !== u.status || next.reason !== u.statusReason) {
    ctx.emit({ type: "market_status_changed", underlying: u.id, ...next });
  }
}

/** Runs every time-driven transition for the command's time. */
export function advanceTime(ctx: CommandContext): void {
  const cfg = configOf(ctx.state);
  for (const u of ctx.state.underlyings.values()) {
    const rules = cfg.underlyings.get(u.id)!;
    if (u.markValid && computeMarkTicks(u.sources, rules.oracle, ctx.atMs) === null) {
      ctx.emit({ type: "mark_changed", underlying: u.id, markTicks: null, valid: false });
    }
    if (u.marginMultiplier > 1 && ctx.atMs - u.multiplierChangedAtMs >= rules.circuitBreaker.relaxAfterMs) {
      ctx.emit({ type: "margin_multiplier_changed", underlying: u.id, multiplier: 1, reason: "calm_relax" });
    }
    syncStatus(ctx, u);
  }
}

/** Whether an underlying's mark is still valid at `atMs` (its sources may have gone stale since). */
export function markValidAt(state: EngineState, underlyingId: string, atMs: number): boolean {
  const u = state.underlyings.get(underlyingId);
  if (u === undefined || !u.markValid) return false;
  return computeMarkTicks(u.sources, configOf(state).underlyings.get(underlyingId)!.oracle, atMs) !== null;
}

/** The status an underlying's markets will have at `atMs`, for validating a command before time advances. */
export function effectiveStatus(state: EngineState, underlyingId: string, atMs: number): MarketStatus {
  const u = state.underlyings.get(underlyingId)!;
  const rules = configOf(state).underlyings.get(underlyingId)!;
  return statusAt({ ...u, markValid: markValidAt(state, underlyingId, atMs) }, rules.oracle.haltAfterMs, atMs)
    .status;
}

/** Whether every market the sub-account holds has a valid mark at `atMs`. */
export function marksValidForAt(
  state: EngineState,
  s: { positions: ReadonlyMap<string, unknown> },
  atMs: number,
): boolean {
  const cfg = configOf(state);
  for (const marketId of s.positions.keys()) {
    if (!markValidAt(state, cfg.markets.get(marketId)!.cfg.underlying, atMs)) return false;
  }
  return true;
}
