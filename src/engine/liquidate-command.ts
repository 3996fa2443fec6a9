import { marksValidForAt } from "./advance-time.ts";
import { type CommandContext, findSubaccount, isRejection, parseAmount, reject } from "./command-context.ts";
import type { Command } from "./commands.ts";
import { configOf, type EngineState, type ResolvedMarket } from "./engine-state.ts";
import { opensSecondIsolatedMarket, sideMeetsInitialMargin } from "./fill-command.ts";
import { minUnits, toLedgerAmountFloor } from "./ledger-amount.ts";
import type { Planned } from "./ledger-commands.ts";
import { planLiquidation } from "./liquidation-plan.ts";
import { reviewSubaccount } from "./liquidation-sweep.ts";
import { computeRisk, marketMarkUsd, positionNotionalUsd } from "./subaccount-risk.ts";

/*
 * A liquidator takes over (part of) a position of an account in liquidation, through a Dutch
 * auction: the price starts at the mark less a start discount and improves for the liquidator
 * as time passes since the liquidation started, up to a cap. The discount is never so deep that
 * the liquidated account's equity would go below zero (beyond that the insurance fund, not the
 * account, pays). The liquidated account also pays an insurance fee on the closed notional, out
 * of what equity it has left. The liquidator must meet IM after the takeover.
 */

type Liquidate = Extract<Command, { type: "liquidate" }>;

/** The auction discount, a fraction of the mark, `elapsedMs` after the liquidation started. */
export function auctionDiscountFraction(state: EngineState, elapsedMs: number): number {
  const rules = configOf(state).cfg.liquidation;
  const grown =
    rules.auctionStartDiscountFraction + (rules.auctionDiscountPerSecondFraction * elapsedMs) / 1000;
  return Math.min(grown, rules.auctionMaxDiscountFraction);
}

/**
 * The price, discount and insurance fee of a takeover of `takeLots` of a position of `targetLots`
 * after `elapsedMs` of auction, for an account with `equityUsd`. The fee is in the smallest units
 * of the market's settlement asset (the coin of an inverse perp).
 */
export function takeoverTerms(
  state: EngineState,
  market: ResolvedMarket,
  targetLots: bigint,
  takeLots: bigint,
  elapsedMs: number,
  equityUsd: number,
) {
  const rules = configOf(state).cfg.liquidation;
  const mark = marketMarkUsd(state, market) ?? 0;
  const closedNotionalUsd = positionNotionalUsd(state, market.cfg.id, takeLots);
  const linearBound = closedNotionalUsd > 0 ? Math.max(equityUsd, 0) / closedNotionalUsd : 0;
  // Inverse: selling at m(1 − d) costs the long C/m·d/(1 − d) coins per contract, i.e. d/(1 − d)
  // of the notional in USD, so the discount that spends the whole equity is bound/(1 + bound).
  const bound = market.inverse ? linearBound / (1 + linearBound) : linearBound;
  const discount = Math.max(0, Math.min(auctionDiscountFraction(state, elapsedMs), bound));
  // The liquidated long sells below the mark, a short buys above it; ticks rounded against it.
  const priceUsd = targetLots > 0n ? mark * (1 - discount) : mark * (1 + discount);
  const priceTicks =
    targetLots > 0n
      ? BigInt(Math.floor(priceUsd * market.ticksPerUnit))
      : BigInt(Math.ceil(priceUsd * market.ticksPerUnit));
  const leftUsd = Math.max(equityUsd - discount * closedNotionalUsd, 0);
  const feeUsd = Math.min(closedNotionalUsd * rules.insuranceFeeFraction, leftUsd);
  const feeUnits = market.inverse
    ? mark > 0
      ? toLedgerAmountFloor(feeUsd / mark, market.settlementDecimals)
      : 0n
    : toLedgerAmountFloor(feeUsd, configOf(state).quoteDecimals);
  return { discount, priceTicks, feeUnits };
}

export function planLiquidate(ctx: CommandContext, c: Liquidate): Planned {
  const state = ctx.state;
  const target = findSubaccount(state, c.subaccountId);
  const liquidator = findSubaccount(state, c.liquidatorSubaccountId);
  if (target === undefined) return reject("unknown_subaccount", `unknown sub-account ${c.subaccountId}`);
  if (liquidator === undefined)
    return reject("unknown_subaccount", `unknown liquidator ${c.liquidatorSubaccountId}`);
  if (liquidator === target) return reject("self_trade", "an account cannot liquidate itself");
  if (target.liquidation === null)
    return reject("not_in_liquidation", `${target.id} is not being liquidated`);
  if (liquidator.liquidation !== null)
    return reject("in_liquidation", "the liquidator is itself being liquidated");
  const market = configOf(state).markets.get(c.marketId);
  if (market === undefined) return reject("unknown_market", `unknown market ${c.marketId}`);
  if (!marksValidForAt(state, target, c.atMs))
    return reject("price_unavailable", "no valid mark: nobody is liquidated on it");
  const offered = parseAmount(c.size, market.cfg.sizeDecimals, "size");
  if (isRejection(offered)) return offered;
  if (offered <= 0n) return reject("invalid_input", "size: must be positive");
  const elapsedMs = c.atMs - target.liquidation.startedAtMs;
  const plan = planLiquidation(state, target, auctionDiscountFraction(state, elapsedMs));
  const step = plan[0];
  if (step === undefined) return reject("nothing_to_liquidate", `${target.id} needs no further closing`);
  if (step.marketId !== c.marketId)
    return reject("not_next_in_liquidation_order", `the next position to close is ${step.marketId}`);
  const targetLots = target.positions.get(c.marketId)!.lots;
  const takeLots = minUnits(offered, step.lots);
  const risk = computeRisk(state, target);
  const terms = takeoverTerms(state, market, targetLots, takeLots, elapsedMs, risk.equityUsd);
  // A bankrupt account liquidates on insurance money: charging it the insurance fee would only
  // move the fund's own money in a circle, so the fee is waived.
  if (target.liquidation.insuranceDrawnUnits > 0n) terms.feeUnits = 0n;
  if (opensSecondIsolatedMarket(liquidator, market.cfg.id))
    return reject("isolated_single_market", `${liquidator.id} is isolated and holds another market`);
  const liquidatorDelta = targetLots > 0n ? takeLots : -takeLots;
  if (!sideMeetsInitialMargin(state, liquidator, market, liquidatorDelta, terms.priceTicks, 0n)) {
    return reject("liquidator_insufficient_margin", `${liquidator.id} would not meet IM after the takeover`);
  }
  return () => {
    ctx.emit({
      type: "trade_settled",
      kind: "liquidation",
      marketId: market.cfg.id,
      buyerSubaccountId: targetLots > 0n ? liquidator.id : target.id,
      sellerSubaccountId: targetLots > 0n ? target.id : liquidator.id,
      lots: takeLots.toString(),
      priceTicks: terms.priceTicks.toString(),
      buyerFeeUnits: "0",
      sellerFeeUnits: "0",
      discountFraction: terms.discount,
    });
    if (terms.feeUnits > 0n) {
      ctx.emit({
        type: "liquidation_penalty_paid",
        subaccountId: target.id,
        amountUnits: terms.feeUnits.toString(),
        ...(market.inverse ? { asset: market.settlementAsset } : {}),
      });
    }
    reviewSubaccount(ctx, target);
  };
}
