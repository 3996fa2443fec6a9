import type { LiquidationEntry, StreamEvent } from "../api/api-types.ts";
import { formatPercent, formatUnits, formatUsd } from "./format.ts";

/*
 * The liquidations feed: stream events (liquidation started/ended, auction take-overs, ADL,
 * insurance draws, penalties, venue absorption) turned into lines a person reads, newest first
 * and bounded. When the stream is not available, successive polls of the queue are diffed into
 * "entered/left the queue" lines instead, so the page still moves.
 */

export type FeedKind =
  | "liquidation"
  | "auction"
  | "adl"
  | "insurance"
  | "penalty"
  | "absorbed"
  | "ended"
  | "queue";

export interface FeedItem {
  /** Unique within the feed (receipt order). */
  readonly id: number;
  /** When the dashboard received it (Unix epoch, ms): stream messages carry no time. */
  readonly atMs: number;
  readonly kind: FeedKind;
  readonly subaccountId: string;
  readonly text: string;
}

/** Lines kept in the feed. */
export const FEED_ITEMS_MAX = 500;

/**
 * Decimals of the quote asset in which the ledger events' `…Units` amounts are counted: the
 * stream does not name the asset, and the service's quote asset is a USD stablecoin in
 * micro-dollars (DESIGN.md: ledger amounts in smallest units).
 */
export const QUOTE_DECIMALS = 6;

const str = (v: unknown): string => (typeof v === "string" ? v : typeof v === "number" ? String(v) : "");
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** " (detail)" when the detail is known, else nothing: a trader's stream omits the figures. */
const detail = (text: string | null): string => (text === null ? "" : `: ${text}`);

const units = (v: unknown): string | null =>
  typeof v === "string" && /^-?\d+$/.test(v) ? formatUnits(v, QUOTE_DECIMALS) : null;

/**
 * One feed line for a stream event, or null for an event the feed does not show. The event's
 * own time (engine clock, ms) is used when it has one, else `receivedAtMs`. Venue-wide keys get
 * the whole event; a trader's stream sends only the type and its own sub-account, and the line
 * says what is known.
 */
export function feedItemOfEvent(event: StreamEvent, id: number, receivedAtMs: number): FeedItem | null {
  const sub = str(event.subaccountId);
  const base = { id, atMs: num(event.atMs) ?? receivedAtMs };
  const equity = num(event.equityUsd);
  const mm = num(event.maintenanceMarginUsd);
  switch (event.type) {
    case "liquidation_started":
      return {
        ...base,
        kind: "liquidation",
        subaccountId: sub,
        text: `liquidation started${detail(equity === null || mm === null ? null : `equity ${formatUsd(equity)}, MM ${formatUsd(mm)}`)}`,
      };
    case "liquidation_ended":
      return {
        ...base,
        kind: "ended",
        subaccountId: sub,
        text: `liquidation ended${event.reason === undefined ? "" : ` (${str(event.reason)})`}`,
      };
    case "insurance_drawn": {
      const amount = units(event.amountUnits);
      const deficit = units(event.deficitUnits);
      return {
        ...base,
        kind: "insurance",
        subaccountId: sub,
        text: `insurance fund drawn${detail(amount === null ? null : `${amount}${deficit === null ? "" : ` (deficit ${deficit})`}`)}`,
      };
    }
    case "liquidation_penalty_paid":
      return {
        ...base,
        kind: "penalty",
        subaccountId: sub,
        text: `liquidation penalty paid${detail(units(event.amountUnits))}`,
      };
    case "venue_absorbed":
      return {
        ...base,
        kind: "absorbed",
        subaccountId: sub,
        text: `venue absorbed bad debt${detail(units(event.amountUnits))}`,
      };
    case "trade_settled": {
      const kind = str(event.kind);
      const market = str(event.marketId);
      if (kind === "" && sub !== "")
        return {
          ...base,
          kind: "auction",
          subaccountId: sub,
          text: "position taken over in liquidation or deleveraged",
        };
      if (kind !== "liquidation" && kind !== "adl") return null;
      const buyer = str(event.buyerSubaccountId);
      const seller = str(event.sellerSubaccountId);
      if (kind === "adl")
        return {
          ...base,
          kind: "adl",
          subaccountId: seller,
          text: `auto-deleveraging on ${market}: ${seller} ↔ ${buyer}`,
        };
      const discount = num(event.discountFraction);
      const at = discount === null ? "" : ` at ${formatPercent(discount)} auction discount`;
      return {
        ...base,
        kind: "auction",
        subaccountId: `${buyer} / ${seller}`,
        text: `take-over on ${market}${at}`,
      };
    }
    default:
      return null;
  }
}

/** Lines for the difference between two polls of the queue (entered first, then left). */
export function feedItemsOfQueueChange(
  previous: readonly LiquidationEntry[],
  next: readonly LiquidationEntry[],
  firstId: number,
  atMs: number,
): FeedItem[] {
  const before = new Set(previous.map((e) => e.subaccountId));
  const after = new Set(next.map((e) => e.subaccountId));
  const out: FeedItem[] = [];
  for (const e of next) {
    if (!before.has(e.subaccountId)) {
      out.push({
        id: firstId + out.length,
        atMs,
        kind: "queue",
        subaccountId: e.subaccountId,
        text: `entered the liquidation queue: equity ${formatUsd(e.equityUsd)}, MM ${formatUsd(e.maintenanceMarginUsd)}`,
      });
    }
  }
  for (const e of previous) {
    if (!after.has(e.subaccountId))
      out.push({
        id: firstId + out.length,
        atMs,
        kind: "queue",
        subaccountId: e.subaccountId,
        text: "left the liquidation queue",
      });
  }
  return out;
}

/** The feed with `items` added at the top, at most `max` lines (the oldest drop off). */
export function prependBounded(
  feed: readonly FeedItem[],
  items: readonly FeedItem[],
  max = FEED_ITEMS_MAX,
): FeedItem[] {
  return [...[...items].reverse(), ...feed].slice(0, max);
}
