import { effectiveStatus } from "./advance-time.ts";
import {
  type CommandContext,
  findSubaccount,
  isRejection,
  parseAmount,
  type Rejection,
  reject,
} from "./command-context.ts";
import type { Command } from "./commands.ts";
import { configOf, type EngineState, type ResolvedMarket, type SubaccountState } from "./engine-state.ts";
import type { Planned } from "./ledger-commands.ts";
import { LOTS_MAX, POSITIONS_PER_SUBACCOUNT_MAX } from "./limits.ts";
import { reviewSubaccount } from "./liquidation-sweep.ts";
import { tradeMarketPosition } from "./position-math.ts";
import { computeRisk } from "./subaccount-risk.ts";

/*
 * A fill from the venue's matching engine. Both sides are checked before anything changes:
 * a side that opens or increases risk must meet IM after the fill (at the fill price, fees
 * paid); a side that only reduces is always allowed. If either side fails, the whole fill is
 * rejected and the counterparty is untouched: the venue is expected to pre-check with the same
 * rule, and a rejected fill tells it to cancel the match (the reason names the failing side).
 */

type Fill = Extract<Command, { type: "fill" }>;

/** Whether a signed trade of `deltaLots` leaves |position| no larger and on the same side. */
export function reducesOnly(currentLots: bigint, deltaLots: bigint): boolean {
  if (currentLots === 0n || currentLots > 0n === deltaLots > 0n) return false;
  const abs = currentLots < 0n ? -currentLots : currentLots;
  const absDelta = deltaLots < 0n ? -deltaLots : deltaLots;
  return absDelta <= abs;
}

/**
 * The risk a side would have after trading `deltaLots` at `priceTicks` and paying `feeUnits`;
 * null when the side only reduces (no IM check applies).
 */
export function sideMeetsInitialMargin(
  state: EngineState,
  s: SubaccountState,
  market: ResolvedMarket,
  deltaLots: bigint,
  priceTicks: bigint,
  feeUnits: bigint,
): boolean {
  const current = s.positions.get(market.cfg.id) ?? { lots: 0n, basisRaw: 0n };
  if (reducesOnly(current.lots, deltaLots)) return true;
  const after = tradeMarketPosition(market, current, deltaLots, priceTicks);
  const positions = new Map(s.positions);
  if (after.lots === 0n) positions.delete(market.cfg.id);
  else positions.set(market.cfg.id, { lots: after.lots, basisRaw: after.basisRaw });
  const asset = market.settlementAsset;
  const balances = new Map(s.balances);
  balances.set(asset, (balances.get(asset) ?? 0n) + after.realisedUnits - feeUnits);
  const risk = computeRisk(state, { balances, positions, mode: s.mode, settings: s.settings });
  return risk.equityUsd >= risk.initialMarginUsd;
}

/**
 * Whether trading `deltaLots` would give an isolated sub-account a second market: an isolated
 * sub-account margins one position with its own collateral, so it holds at most one.
 */
export function opensSecondIsolatedMarket(s: SubaccountState, marketId: string): boolean {
  return s.mode === "isolated" && !s.positions.has(marketId) && s.positions.size >= 1;
}

function marketOpen(state: EngineState, market: ResolvedMarket, atMs: number): Rejection | null {
  if (state.markets.get(market.cfg.id)!.settled)
    return reject("market_settled", `${market.cfg.id} is settled`);
  if (market.cfg.expiryMs !== undefined && atMs >= market.cfg.expiryMs)
    return reject("market_settled", `${market.cfg.id} has expired`);
  if (effectiveStatus(state, market.cfg.underlying, atMs) === "halted")
    return reject("market_halted", `${market.cfg.underlying} markets are halted`);
  return null;
}

function checkSide(
  state: EngineState,
  s: SubaccountState,
  market: ResolvedMarket,
  deltaLots: bigint,
  priceTicks: bigint,
  feeUnits: bigint,
  role: "maker" | "taker",
  atMs: number,
): Rejection | null {
  if (s.liquidation !== null) return reject("in_liquidation", `${role} ${s.id} is being liquidated`);
  const current = s.positions.get(market.cfg.id)?.lots ?? 0n;
  const status = effectiveStatus(state, market.cfg.underlying, atMs);
  if (status === "reduce_only" && !reducesOnly(current, deltaLots))
    return reject("market_reduce_only", `${market.cfg.id} is reduce-only; the ${role} would add risk`);
  if (opensSecondIsolatedMarket(s, market.cfg.id))
    return reject(
      "isolated_single_market",
      `${role} ${s.id} is isolated and already holds another market; use another sub-account`,
    );
  if (current === 0n && s.positions.size >= POSITIONS_PER_SUBACCOUNT_MAX)
    return reject("limit_exceeded", `${role} has the maximum number of positions`);
  const next = current + deltaLots;
  if (next > LOTS_MAX || -next > LOTS_MAX) return reject("limit_exceeded", "position too large");
  if (!sideMeetsInitialMargin(state, s, market, deltaLots, priceTicks, feeUnits))
    return reject(`${role}_insufficient_margin`, `${role} ${s.id} would not meet IM after the fill`);
  return null;
}

export function planFill(ctx: CommandContext, c: Fill): Planned {
  const state = ctx.state;
  const cfg = configOf(state);
  const market = cfg.markets.get(c.marketId);
  if (market === undefined) return reject("unknown_market", `unknown market ${c.marketId}`);
  const maker = findSubaccount(state, c.makerSubaccountId);
  const taker = findSubaccount(state, c.takerSubaccountId);
  if (maker === undefined) return reject("unknown_subaccount", `unknown maker ${c.makerSubaccountId}`);
  if (taker === undefined) return reject("unknown_subaccount", `unknown taker ${c.takerSubaccountId}`);
  if (maker === taker) return reject("self_trade", "maker and taker are the same sub-account");
  const closed = marketOpen(state, market, c.atMs);
  if (closed !== null) return closed;
  const lots = parseAmount(c.size, market.cfg.sizeDecimals, "size");
  if (isRejection(lots)) return lots;
  const price = parseAmount(c.price, market.cfg.priceDecimals, "price");
  if (isRejection(price)) return price;
  // Fees are in the settlement asset (the coin of an inverse perp), at its decimals.
  const makerFee = parseAmount(c.makerFee, market.settlementDecimals, "makerFee");
  if (isRejection(makerFee)) return makerFee;
  const takerFee = parseAmount(c.takerFee, market.settlementDecimals, "takerFee");
  if (isRejection(takerFee)) return takerFee;
  if (lots <= 0n) return reject("invalid_input", "size: must be positive");
  if (price <= 0n) return reject("invalid_input", "price: must be positive");
  const takerDelta = c.takerSide === "buy" ? lots : -lots;
  const problem =
    checkSide(state, taker, market, takerDelta, price, takerFee, "taker", c.atMs) ??
    checkSide(state, maker, market, -takerDelta, price, makerFee, "maker", c.atMs);
  if (problem !== null) return problem;
  const [buyer, seller, buyerFee, sellerFee] =
    c.takerSide === "buy" ? [taker, maker, takerFee, makerFee] : [maker, taker, makerFee, takerFee];
  return () => {
    ctx.emit({
      type: "trade_settled",
      kind: "fill",
      marketId: market.cfg.id,
      buyerSubaccountId: buyer.id,
      sellerSubaccountId: seller.id,
      lots: lots.toString(),
      priceTicks: price.toString(),
      buyerFeeUnits: buyerFee.toString(),
      sellerFeeUnits: sellerFee.toString(),
    });
    // A reducing fill away from the mark, or its fee, can leave a side under MM: check both now.
    reviewSubaccount(ctx, buyer);
    reviewSubaccount(ctx, seller);
  };
}
