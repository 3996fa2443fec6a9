import { invalidInput } from "../errors.ts";
import { computeSubaccountMargin } from "./compute-subaccount-margin.ts";
import type { RiskParams } from "./risk-params.ts";
import type { MarginResult, MarketState, PositionInput, SubaccountInput } from "./types.ts";

/*
 * What-if: the margin of a sub-account after a hypothetical fill, and whether the venue would
 * accept it. Nothing is changed; the inputs are read only. The fill adds a position at the
 * order price (positions are netted per market when margined), so the order's own price
 * difference to the mark shows up as PnL at once. Acceptance, in this order:
 *   1. `reduces_risk`: |net size| in the market does not grow, and IM does not rise → accepted;
 *   2. `meets_initial_margin`: after the fill, equity ≥ IM → accepted;
 *   3. otherwise rejected with `insufficient_margin`.
 */

export interface Order {
  readonly marketId: string;
  readonly side: "buy" | "sell";
  /** Contracts, > 0. */
  readonly size: number;
  /** USD per unit, > 0. */
  readonly price: number;
}

export type WhatIfReason = "reduces_risk" | "meets_initial_margin" | "insufficient_margin";

export interface WhatIfResult {
  readonly before: MarginResult;
  readonly after: MarginResult;
  readonly accepted: boolean;
  readonly reason: WhatIfReason;
}

/** Validates an order against the document; throws a located `invalid_input` error. */
export function checkOrder(params: RiskParams, order: Order): void {
  if (params.markets[order.marketId] === undefined)
    throw invalidInput("order.marketId", `unknown market '${order.marketId}'`);
  if (order.side !== "buy" && order.side !== "sell")
    throw invalidInput("order.side", "must be 'buy' or 'sell'");
  if (!(Number.isFinite(order.size) && order.size > 0))
    throw invalidInput("order.size", "must be a finite number of contracts > 0");
  if (!(Number.isFinite(order.price) && order.price > 0))
    throw invalidInput("order.price", "must be a finite price > 0");
}

/** The sub-account as it would be after the order fills (a new object; the input is untouched). */
export function applyOrder(sub: SubaccountInput, order: Order): SubaccountInput {
  const fill: PositionInput = {
    marketId: order.marketId,
    size: order.side === "buy" ? order.size : -order.size,
    entryPrice: order.price,
  };
  return { ...sub, positions: [...sub.positions, fill] };
}

function netSize(sub: SubaccountInput, marketId: string): number {
  return sub.positions.filter((p) => p.marketId === marketId).reduce((a, p) => a + p.size, 0);
}

/** Margin before and after a hypothetical order (USD figures), and whether it would be accepted. */
export function whatIf(
  params: RiskParams,
  market: MarketState,
  sub: SubaccountInput,
  order: Order,
): WhatIfResult {
  checkOrder(params, order);
  const afterSub = applyOrder(sub, order);
  const before = computeSubaccountMargin(params, market, sub);
  const after = computeSubaccountMargin(params, market, afterSub);
  const reduces =
    Math.abs(netSize(afterSub, order.marketId)) <= Math.abs(netSize(sub, order.marketId)) &&
    after.initialMarginUsd <= before.initialMarginUsd;
  if (reduces) return { before, after, accepted: true, reason: "reduces_risk" };
  if (after.equityUsd >= after.initialMarginUsd)
    return { before, after, accepted: true, reason: "meets_initial_margin" };
  return { before, after, accepted: false, reason: "insufficient_margin" };
}
