import { marketRequirementFraction } from "../core/margin/market-requirement-fractions.ts";
import type { CommandContext } from "./command-context.ts";
import { configOf, type ResolvedConfig } from "./engine-state.ts";
import { policyMarketState } from "./policy-risk.ts";

/*
 * Anti-procyclicality in the running engine. The core's APC step (src/core/margin/apc.ts) is a
 * pure fold (previous state, raw fraction, time) → (fraction, state); the engine folds it per
 * market whose policy document has an `apc` section, on every new valid mark of its underlying
 * and on every parameter change of the market, and records each step as an `apc_updated` event.
 * Margin computations then read the folded state (MarketState.apcStates), so the speed limit
 * (how fast a requirement may rise per day) and hysteresis (how fast it may fall) hold between
 * steps too, and a replay reproduces the same requirement path.
 */

/** Market ids of each underlying in id order, per configuration (an oracle tick must not sort them all). */
const marketsByUnderlying = new WeakMap<ResolvedConfig, Map<string, string[]>>();

function sortedMarketsOf(cfg: ResolvedConfig, underlyingId: string): readonly string[] {
  let byUnderlying = marketsByUnderlying.get(cfg);
  if (byUnderlying === undefined) {
    byUnderlying = new Map();
    for (const id of [...cfg.markets.keys()].sort((a, b) => (a < b ? -1 : 1))) {
      const u = cfg.markets.get(id)!.cfg.underlying;
      const list = byUnderlying.get(u) ?? [];
      list.push(id);
      byUnderlying.set(u, list);
    }
    marketsByUnderlying.set(cfg, byUnderlying);
  }
  return byUnderlying.get(underlyingId) ?? [];
}

/** Folds one APC step for the markets of `underlyingId` (or only `marketId`) at the command's time. */
export function stepApc(ctx: CommandContext, underlyingId: string, marketId?: string): void {
  const state = ctx.state;
  const params = state.policyParams;
  if (params === null) return;
  const cfg = configOf(state);
  const u = state.underlyings.get(underlyingId);
  if (u === undefined || u.markTicks === null) return;
  let market: ReturnType<typeof policyMarketState> | null = null;
  for (const id of sortedMarketsOf(cfg, underlyingId)) {
    if (marketId !== undefined && id !== marketId) continue;
    const mp = params.markets[id];
    const runtime = state.markets.get(id)!;
    if (mp?.apc === undefined || runtime.settled) continue;
    market ??= policyMarketState(state, cfg, []);
    const step = marketRequirementFraction(mp, mp.policy, market, runtime.apc ?? undefined).apcState;
    if (step === undefined) continue;
    ctx.emit({
      type: "apc_updated",
      marketId: id,
      fraction: step.fraction,
      rawFraction: step.rawFraction,
      asOfMs: step.asOfMs,
    });
  }
}
