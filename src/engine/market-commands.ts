import { stepApc } from "./apc-step.ts";
import { type CommandContext, isRejection, parseAmount, reject } from "./command-context.ts";
import type { Command } from "./commands.ts";
import { configOf, holdersInOrder } from "./engine-state.ts";
import type { Planned } from "./ledger-commands.ts";
import { sweepUnderlying } from "./liquidation-sweep.ts";

/*
 * Market-wide commands: funding of perpetuals, risk-parameter changes, and expiry settlement of
 * options and dated futures.
 */

type Funding = Extract<Command, { type: "funding" }>;
type UpdateRiskParams = Extract<Command, { type: "update_risk_params" }>;
type SettleExpiry = Extract<Command, { type: "settle_expiry" }>;

/**
 * Funding: each position pays or receives |contracts| × contractSize × mark × |rate| USD (long
 * pays short when the rate is positive); an inverse perp's position pays |contracts| × C / mark
 * × |rate| in its coin (the rate applies to the USD notional, settled in coin). Payers are
 * rounded up, receivers down, in the settlement asset's smallest units; the residue (≥ 0) goes
 * to the venue's fee account so the payments net to exactly zero.
 */
export function planFunding(ctx: CommandContext, c: Funding): Planned {
  const state = ctx.state;
  const cfg = configOf(state);
  const market = cfg.markets.get(c.marketId);
  if (market === undefined) return reject("unknown_market", `unknown market ${c.marketId}`);
  if (market.cfg.kind !== "perp") return reject("invalid_input", "funding applies to perpetuals only");
  const u = state.underlyings.get(market.cfg.underlying)!;
  if (!u.markValid || u.markTicks === null) return reject("price_unavailable", "no valid mark for funding");
  // The underlying's mark in the market's own price ticks (an exact rescale).
  const shift = market.cfg.priceDecimals - market.underlying.priceDecimals;
  const markTicks = shift >= 0 ? u.markTicks * 10n ** BigInt(shift) : u.markTicks / 10n ** BigInt(-shift);
  // Exact integer arithmetic: rate as a ratio of integers at 1e-12 resolution.
  const rateNum = BigInt(Math.round(Math.abs(c.ratePerPeriod) * 1e12));
  const rateDen = 10n ** 12n;
  const payments: { subaccountId: string; amountUnits: string }[] = [];
  let net = 0n;
  for (const index of holdersInOrder(state, market.cfg.underlying)) {
    const s = state.subaccounts[index]!;
    const pos = s.positions.get(market.cfg.id);
    if (pos === undefined) continue;
    const pays = pos.lots > 0n === c.ratePerPeriod > 0;
    const absLots = pos.lots < 0n ? -pos.lots : pos.lots;
    // Linear: (lots × mark ticks) is a raw (lot × tick) amount; × rate → quote units via the
    // market scale. Inverse: lots × invNum / (mark ticks × invDen) coin units, × rate.
    const num = market.inverse
      ? absLots * market.invNum * rateNum
      : absLots * markTicks * market.rawToQuoteNum * rateNum;
    const den = market.inverse ? markTicks * market.invDen * rateDen : market.rawToQuoteDen * rateDen;
    if (den === 0n) continue;
    const units = pays ? -((num + den - 1n) / den) : num / den;
    if (units === 0n) continue;
    payments.push({ subaccountId: s.id, amountUnits: units.toString() });
    net += units;
  }
  if (c.ratePerPeriod === 0 || payments.length === 0) return reject("invalid_input", "no funding to pay");
  return () => {
    ctx.emit({
      type: "funding_paid",
      marketId: market.cfg.id,
      ratePerPeriod: c.ratePerPeriod,
      markTicks: markTicks.toString(),
      payments,
      residueUnits: (-net).toString(),
    });
    sweepUnderlying(ctx, market.cfg.underlying);
  };
}

export function planUpdateRiskParams(ctx: CommandContext, c: UpdateRiskParams): Planned {
  const market = configOf(ctx.state).markets.get(c.marketId);
  if (market === undefined) return reject("unknown_market", `unknown market ${c.marketId}`);
  if (c.maintenanceMarginFraction > c.initialMarginFraction)
    return reject("invalid_input", "maintenanceMarginFraction: above initialMarginFraction");
  return () => {
    ctx.emit({
      type: "risk_params_updated",
      marketId: c.marketId,
      initialMarginFraction: c.initialMarginFraction,
      maintenanceMarginFraction: c.maintenanceMarginFraction,
    });
    stepApc(ctx, market.cfg.underlying, market.cfg.id);
    sweepUnderlying(ctx, market.cfg.underlying);
  };
}

/**
 * Expiry settlement at a settlement price of the underlying (USD): a dated future settles at it,
 * an option at its intrinsic value max(±(S − K), 0), exactly in the market's ticks.
 */
export function planSettleExpiry(ctx: CommandContext, c: SettleExpiry): Planned {
  const market = configOf(ctx.state).markets.get(c.marketId);
  if (market === undefined) return reject("unknown_market", `unknown market ${c.marketId}`);
  if (market.cfg.expiryMs === undefined) return reject("invalid_input", "perpetuals do not expire");
  if (ctx.state.markets.get(c.marketId)!.settled)
    return reject("market_settled", `${c.marketId} is already settled`);
  if (c.atMs < market.cfg.expiryMs)
    return reject("market_not_expired", `${c.marketId} expires at ${market.cfg.expiryMs}`);
  const spot = parseAmount(c.settlementPrice, market.cfg.priceDecimals, "settlementPrice");
  if (isRejection(spot)) return spot;
  let ticks = spot;
  if (market.cfg.option !== undefined) {
    const strike = parseAmount(market.cfg.option.strike, market.cfg.priceDecimals, "option.strike");
    if (isRejection(strike)) return strike;
    const intrinsic = market.cfg.option.type === "call" ? spot - strike : strike - spot;
    ticks = intrinsic > 0n ? intrinsic : 0n;
  }
  return () => {
    ctx.emit({ type: "expiry_settled", marketId: c.marketId, settlementTicks: ticks.toString() });
    sweepUnderlying(ctx, market.cfg.underlying);
  };
}
