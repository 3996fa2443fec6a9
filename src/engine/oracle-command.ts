import { syncStatus } from "./advance-time.ts";
import { stepApc } from "./apc-step.ts";
import { evaluateCircuitBreaker } from "./circuit-breaker.ts";
import { type CommandContext, isRejection, parseAmount, reject } from "./command-context.ts";
import type { Command } from "./commands.ts";
import { configOf } from "./engine-state.ts";
import type { Planned } from "./ledger-commands.ts";
import { sweepUnderlying } from "./liquidation-sweep.ts";
import { checkOracleReport, computeMarkTicks } from "./mark-price.ts";

/*
 * One price report from one oracle source. A rejected report (stale, out of order, too far from
 * the others, too wide a confidence band) changes nothing. An accepted one may move the mark;
 * a valid new mark runs the circuit breaker and then the liquidation sweep of the underlying's
 * holders, in that order, so a tightening applies to the same tick's liquidation check.
 */

type OracleReport = Extract<Command, { type: "oracle_report" }>;

export function planOracleReport(ctx: CommandContext, c: OracleReport): Planned {
  const cfg = configOf(ctx.state);
  const rules = cfg.underlyings.get(c.underlying);
  const u = ctx.state.underlyings.get(c.underlying);
  if (rules === undefined || u === undefined)
    return reject("unknown_underlying", `unknown underlying ${c.underlying}`);
  if (!rules.oracle.sources.includes(c.source)) return reject("unknown_source", `unknown source ${c.source}`);
  const priceTicks = parseAmount(c.price, rules.priceDecimals, "price");
  if (isRejection(priceTicks)) return priceTicks;
  const confidenceTicks = parseAmount(c.confidence, rules.priceDecimals, "confidence");
  if (isRejection(confidenceTicks)) return confidenceTicks;
  const report = { source: c.source, priceTicks, confidenceTicks, publishedAtMs: c.publishedAtMs };
  const problem = checkOracleReport(u.sources, rules.oracle, report, c.atMs);
  if (problem !== null) return reject(problem, `report from ${c.source} rejected: ${problem}`);
  return () => {
    ctx.emit({
      type: "oracle_accepted",
      underlying: u.id,
      source: c.source,
      priceTicks: priceTicks.toString(),
      publishedAtMs: c.publishedAtMs,
    });
    const mark = computeMarkTicks(u.sources, rules.oracle, ctx.atMs);
    if (mark === null) {
      if (u.markValid) ctx.emit({ type: "mark_changed", underlying: u.id, markTicks: null, valid: false });
      syncStatus(ctx, u);
      return;
    }
    const decision = evaluateCircuitBreaker(rules.circuitBreaker, u.history, mark, ctx.atMs, {
      multiplier: u.marginMultiplier,
      multiplierChangedAtMs: u.multiplierChangedAtMs,
      coolingUntilMs: u.coolingUntilMs,
    });
    if (mark !== u.markTicks || !u.markValid) {
      ctx.emit({ type: "mark_changed", underlying: u.id, markTicks: mark.toString(), valid: true });
      stepApc(ctx, u.id);
    }
    if (decision.multiplier !== null) {
      ctx.emit({
        type: "margin_multiplier_changed",
        underlying: u.id,
        multiplier: decision.multiplier,
        reason:
          decision.reason === "move"
            ? `move ${(decision.moveFraction * 100).toFixed(2)}% within ${rules.circuitBreaker.windowMs} ms`
            : `volatility regime: recent/earlier realised vol ${decision.volRatio.toFixed(2)}`,
      });
    }
    if (decision.coolingUntilMs !== null) {
      ctx.emit({
        type: "market_status_changed",
        underlying: u.id,
        status: "reduce_only",
        reason: "circuit_breaker",
        coolingUntilMs: decision.coolingUntilMs,
      });
    }
    syncStatus(ctx, u);
    sweepUnderlying(ctx, u.id);
  };
}
