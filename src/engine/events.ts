import type { MarginMode } from "../core/margin/types.ts";
import type { EngineConfig } from "./engine-config.ts";
import type { MarketStatus } from "./engine-state.ts";

/*
 * Every state change of the engine is one of these events. Events are plain JSON: integer
 * ledger amounts and prices travel as decimal strings of smallest units / ticks (`…Units`,
 * `…Ticks`, `lots`), so a log line is exact and needs no custom reviver. An event records the
 * decision (who, how much, at what price); applyEvent performs the exact integer arithmetic.
 */

export type TradeKind = "fill" | "liquidation" | "adl";

export type EventBody =
  | { type: "configured"; config: EngineConfig }
  | {
      type: "subaccount_opened";
      subaccountId: string;
      accountId: string;
      /** Absent: the venue's default mode (the policy's, else cross). */
      marginMode?: MarginMode;
    }
  | { type: "margin_mode_changed"; subaccountId: string; mode: MarginMode }
  | {
      type: "subaccount_settings_changed";
      subaccountId: string;
      imMultiplier: number;
      paramSetId: string | null;
    }
  | {
      type: "apc_updated";
      marketId: string;
      /** IM fraction of notional after APC, the raw one before it, and the step's time. */
      fraction: number;
      rawFraction: number;
      asOfMs: number;
    }
  | {
      type: "backstop_triggered";
      subaccountId: string;
      /** Time since the liquidation started. */
      elapsedMs: number;
    }
  | {
      /** Insurance fund quote moved to its backstop sub-account as margin for a takeover. */
      type: "backstop_funded";
      subaccountId: string;
      amountUnits: string;
    }
  | {
      /**
       * A negative non-quote balance of a closed-out account is converted to quote debt at the
       * mark (rounded against the account) against the venue's PnL pool, so the usual cover
       * (collateral, fund, venue) settles it in quote.
       */
      type: "debt_converted";
      subaccountId: string;
      asset: string;
      amountUnits: string;
      quoteUnits: string;
    }
  | { type: "deposited"; subaccountId: string; asset: string; amountUnits: string }
  | { type: "withdrawn"; subaccountId: string; asset: string; amountUnits: string }
  | {
      type: "transferred";
      fromSubaccountId: string;
      toSubaccountId: string;
      asset: string;
      amountUnits: string;
    }
  | { type: "insurance_funded"; asset: string; amountUnits: string }
  | { type: "oracle_accepted"; underlying: string; source: string; priceTicks: string; publishedAtMs: number }
  | { type: "mark_changed"; underlying: string; markTicks: string | null; valid: boolean }
  | {
      type: "market_status_changed";
      underlying: string;
      status: MarketStatus;
      reason: string;
      coolingUntilMs: number;
    }
  | { type: "margin_multiplier_changed"; underlying: string; multiplier: number; reason: string }
  | {
      type: "risk_params_updated";
      marketId: string;
      initialMarginFraction: number;
      maintenanceMarginFraction: number;
    }
  | {
      type: "trade_settled";
      kind: TradeKind;
      marketId: string;
      buyerSubaccountId: string;
      sellerSubaccountId: string;
      lots: string;
      priceTicks: string;
      /** Fees in the smallest units of the market's settlement asset. */
      buyerFeeUnits: string;
      sellerFeeUnits: string;
      /** Liquidation fills: the auction discount the liquidator earned, as a fraction of the mark. */
      discountFraction?: number;
    }
  | { type: "liquidation_started"; subaccountId: string; equityUsd: number; maintenanceMarginUsd: number }
  | {
      type: "liquidation_penalty_paid";
      subaccountId: string;
      amountUnits: string;
      /** Asset of the penalty (absent: the quote asset; an inverse perp's coin otherwise). */
      asset?: string;
    }
  | { type: "insurance_drawn"; subaccountId: string; amountUnits: string; deficitUnits: string }
  | { type: "insurance_refunded"; subaccountId: string; amountUnits: string }
  | { type: "venue_absorbed"; subaccountId: string; amountUnits: string }
  | {
      type: "collateral_seized";
      subaccountId: string;
      asset: string;
      /** Collateral moved to the insurance fund, in the asset's smallest units. */
      amountUnits: string;
      /** Quote the fund credits for it (mark × (1 − haircut), rounded down), smallest units. */
      creditedUnits: string;
    }
  | {
      /** Collateral the fund could not buy, sold to the venue's PnL pool (mark × (1 − haircut)). */
      type: "collateral_sold";
      subaccountId: string;
      asset: string;
      amountUnits: string;
      creditedUnits: string;
    }
  | { type: "liquidation_ended"; subaccountId: string; reason: "healthy" | "closed" | "deleveraged" }
  | {
      type: "funding_paid";
      marketId: string;
      ratePerPeriod: number;
      markTicks: string;
      payments: { subaccountId: string; amountUnits: string }[];
      residueUnits: string;
    }
  | { type: "expiry_settled"; marketId: string; settlementTicks: string };

export type EventType = EventBody["type"];

export interface EventMeta {
  seq: number;
  atMs: number;
  commandId: string;
}

export type EngineEvent = EventMeta & EventBody;
