import type { CommandContext } from "./command-context.ts";
import {
  BACKSTOP_ACCOUNT_ID,
  BACKSTOP_SUBACCOUNT_ID,
  configOf,
  type EngineState,
  type SubaccountState,
} from "./engine-state.ts";
import { sideMeetsInitialMargin } from "./fill-command.ts";
import { toLedgerAmountCeil } from "./ledger-amount.ts";
import { POSITIONS_PER_SUBACCOUNT_MAX } from "./limits.ts";
import { takeoverTerms } from "./liquidate-command.ts";
import { planLiquidation } from "./liquidation-plan.ts";
import { deleverageAt, reviewSubaccount } from "./liquidation-sweep.ts";
import { tradeMarketPosition } from "./position-math.ts";
import { computeRisk, marksValidFor } from "./subaccount-risk.ts";

/*
 * The auction backstop. A Dutch auction that no liquidator takes would otherwise only move when
 * prices do. Once its discount has reached the cap and `liquidation.backstopDelayMs` more has
 * passed (time from commands, never the wall clock), the insurance fund steps in as the
 * liquidator of last resort: its own sub-account (`venue:insurance/backstop`) takes the planned
 * positions at the auction's capped-discount price, which the auction already bounds so that it
 * never leaves the liquidated account below zero equity (so it is the bankruptcy price exactly
 * when the account's equity cannot pay the full discount). The fund earns the discount like any
 * liquidator: it is paid for carrying a position nobody wanted at the auction's deepest price.
 * Like any liquidator it must meet IM after the takeover: it moves that margin from the fund's
 * quote into its sub-account (`backstop_funded`). If the fund cannot, the position is
 * auto-deleveraged against the ranked opposite positions at the same price, so the loss is
 * explicit. Events: backstop_triggered, backstop_funded, trade_settled {kind: "liquidation"} or
 * {kind: "adl"}, liquidation_penalty_paid, liquidation_ended. It runs after each command's own
 * events, so a liquidator's takeover in the same command goes first.
 */

/** When the backstop of a liquidation started at `startedAtMs` is due (ms), or null without one. */
export function backstopDueAtMs(state: EngineState, startedAtMs: number): number | null {
  const rules = configOf(state).cfg.liquidation;
  if (rules.backstopDelayMs === undefined) return null;
  const gap = rules.auctionMaxDiscountFraction - rules.auctionStartDiscountFraction;
  let toCapMs = 0;
  if (gap > 0) {
    if (rules.auctionDiscountPerSecondFraction <= 0) return null; // the cap is never reached
    toCapMs = Math.ceil((gap / rules.auctionDiscountPerSecondFraction) * 1000);
  }
  return startedAtMs + toCapMs + rules.backstopDelayMs;
}

function backstopSubaccount(ctx: CommandContext): SubaccountState {
  const state = ctx.state;
  if (!state.subaccountIndex.has(BACKSTOP_SUBACCOUNT_ID)) {
    ctx.emit({
      type: "subaccount_opened",
      subaccountId: BACKSTOP_SUBACCOUNT_ID,
      accountId: BACKSTOP_ACCOUNT_ID,
      // It may hold every market at once.
      ...(configOf(state).defaultMode === "cross" ? {} : { marginMode: "cross" as const }),
    });
  }
  return state.subaccounts[state.subaccountIndex.get(BACKSTOP_SUBACCOUNT_ID)!]!;
}

/** Quote units the backstop needs to meet IM after taking `deltaLots` at `priceTicks` (0 if none). */
function marginShortfallUnits(
  state: EngineState,
  backstop: SubaccountState,
  marketId: string,
  deltaLots: bigint,
  priceTicks: bigint,
): bigint {
  const cfg = configOf(state);
  const market = cfg.markets.get(marketId)!;
  if (sideMeetsInitialMargin(state, backstop, market, deltaLots, priceTicks, 0n)) return 0n;
  const current = backstop.positions.get(marketId) ?? { lots: 0n, basisRaw: 0n };
  const after = tradeMarketPosition(market, current, deltaLots, priceTicks);
  const positions = new Map(backstop.positions);
  if (after.lots === 0n) positions.delete(marketId);
  else positions.set(marketId, { lots: after.lots, basisRaw: after.basisRaw });
  const balances = new Map(backstop.balances);
  balances.set(market.settlementAsset, (balances.get(market.settlementAsset) ?? 0n) + after.realisedUnits);
  const risk = computeRisk(state, { balances, positions, mode: backstop.mode, settings: backstop.settings });
  // One micro-unit more than the float gap, so the float IM test passes after the transfer.
  return toLedgerAmountCeil(Math.max(risk.initialMarginUsd - risk.equityUsd, 0), cfg.quoteDecimals) + 1n;
}

/** The fund takes over (or deleverages) the planned positions of one timed-out auction. */
function backstopOne(ctx: CommandContext, s: SubaccountState): void {
  const state = ctx.state;
  const cfg = configOf(state);
  ctx.emit({
    type: "backstop_triggered",
    subaccountId: s.id,
    elapsedMs: ctx.atMs - s.liquidation!.startedAtMs,
  });
  for (let round = 0; round <= POSITIONS_PER_SUBACCOUNT_MAX; round += 1) {
    if (s.liquidation === null || s.positions.size === 0) return;
    const risk = computeRisk(state, s);
    if (risk.equityUsd < 0 && s.liquidation.insuranceDrawnUnits === 0n) {
      // Bankrupt: the usual machinery lends the deficit or deleverages first; if it could do
      // neither (no counterparties), the auction stays open.
      const before = state.seq;
      reviewSubaccount(ctx, s);
      if (state.seq === before) return;
      continue;
    }
    const step = planLiquidation(state, s, cfg.cfg.liquidation.auctionMaxDiscountFraction)[0];
    if (step === undefined) {
      reviewSubaccount(ctx, s);
      return;
    }
    const market = cfg.markets.get(step.marketId)!;
    const targetLots = s.positions.get(step.marketId)!.lots;
    const terms = takeoverTerms(
      state,
      market,
      targetLots,
      step.lots,
      Number.POSITIVE_INFINITY,
      risk.equityUsd,
    );
    if (s.liquidation.insuranceDrawnUnits > 0n) terms.feeUnits = 0n;
    const backstop = backstopSubaccount(ctx);
    const delta = targetLots > 0n ? step.lots : -step.lots;
    const shortfall = marginShortfallUnits(state, backstop, step.marketId, delta, terms.priceTicks);
    const fund = state.venue.insurance.get(cfg.cfg.quoteAsset) ?? 0n;
    if (fund >= shortfall) {
      if (shortfall > 0n)
        ctx.emit({ type: "backstop_funded", subaccountId: backstop.id, amountUnits: shortfall.toString() });
      ctx.emit({
        type: "trade_settled",
        kind: "liquidation",
        marketId: market.cfg.id,
        buyerSubaccountId: targetLots > 0n ? backstop.id : s.id,
        sellerSubaccountId: targetLots > 0n ? s.id : backstop.id,
        lots: step.lots.toString(),
        priceTicks: terms.priceTicks.toString(),
        buyerFeeUnits: "0",
        sellerFeeUnits: "0",
        discountFraction: terms.discount,
      });
      if (terms.feeUnits > 0n)
        ctx.emit({
          type: "liquidation_penalty_paid",
          subaccountId: s.id,
          amountUnits: terms.feeUnits.toString(),
          ...(market.inverse ? { asset: market.settlementAsset } : {}),
        });
    } else {
      const { closedLots, touched } = deleverageAt(ctx, s, step.marketId, step.lots, terms.priceTicks);
      for (const index of [...new Set(touched)].sort((a, b) => a - b))
        reviewSubaccount(ctx, state.subaccounts[index]!);
      if (closedLots === 0n) return; // nobody to deleverage against: the auction stays open
    }
    reviewSubaccount(ctx, s);
  }
}

/** Runs the backstop of every liquidation whose auction has timed out, in index order. */
export function runBackstops(ctx: CommandContext): void {
  const state = ctx.state;
  if (state.config === null || state.config.cfg.liquidation.backstopDelayMs === undefined) return;
  for (const index of [...state.liquidating].sort((a, b) => a - b)) {
    const s = state.subaccounts[index]!;
    if (s.liquidation === null || s.id === BACKSTOP_SUBACCOUNT_ID) continue;
    const due = backstopDueAtMs(state, s.liquidation.startedAtMs);
    if (due === null || ctx.atMs < due || !marksValidFor(state, s)) continue;
    backstopOne(ctx, s);
  }
}
