import type { EngineEvent } from "../engine/events.ts";

/*
 * Which engine events make up the liquidation feed (the stream's `liquidations` channel and the
 * recent-events endpoint): liquidations starting and ending, penalties, insurance draws, bad
 * debt absorbed by the venue, and trades that are not plain fills (auction take-overs, ADL).
 */

const LIQUIDATION_EVENT_TYPES: ReadonlySet<string> = new Set([
  "liquidation_started",
  "liquidation_ended",
  "insurance_drawn",
  "venue_absorbed",
  "liquidation_penalty_paid",
]);

/** Whether `event` belongs to the liquidation feed. */
export function isLiquidationEvent(event: EngineEvent): boolean {
  return LIQUIDATION_EVENT_TYPES.has(event.type) || (event.type === "trade_settled" && event.kind !== "fill");
}

/** The sub-accounts an event of the feed concerns (a trade: both sides). */
export function subaccountsOfEvent(event: EngineEvent): string[] {
  if ("subaccountId" in event) return [event.subaccountId];
  if (event.type === "trade_settled") return [event.buyerSubaccountId, event.sellerSubaccountId];
  return [];
}
