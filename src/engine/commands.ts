import { z } from "zod";
import { invalidInput } from "../core/errors.ts";
import { COMMAND_ID_LENGTH_MAX, NAME_LENGTH_MAX } from "./limits.ts";

/*
 * Commands are requests; the engine validates each against its state and either rejects it
 * (a returned value with a reason code, nothing changed) or turns it into events. Amounts, sizes
 * and prices are decimal strings in asset / contract / quote units, parsed exactly at the scale
 * the configuration gives. Every command carries its id and its time (`atMs`, ms since epoch).
 */

const id = z.string().min(1).max(COMMAND_ID_LENGTH_MAX);
const name = z.string().min(1).max(NAME_LENGTH_MAX);
const atMs = z.number().int().min(0).max(8.64e15);
const positiveDecimal = z.string().regex(/^\d+(\.\d+)?$/, "a non-negative decimal string");
const base = { id, atMs };
const marginMode = z.enum(["isolated", "cross", "portfolio"]);

export const commandSchema = z.discriminatedUnion("type", [
  z.object({ ...base, type: z.literal("configure"), config: z.unknown() }),
  z.object({
    ...base,
    type: z.literal("deposit"),
    accountId: name,
    subaccountId: name,
    asset: name,
    amount: positiveDecimal,
    /** Margin mode of a sub-account this deposit opens (default: the venue's); ignored after. */
    marginMode: marginMode.optional(),
  }),
  z.object({
    ...base,
    type: z.literal("withdraw"),
    subaccountId: name,
    asset: name,
    amount: positiveDecimal,
  }),
  z.object({
    ...base,
    type: z.literal("transfer"),
    fromSubaccountId: name,
    toSubaccountId: name,
    asset: name,
    amount: positiveDecimal,
  }),
  z.object({ ...base, type: z.literal("fund_insurance"), asset: name, amount: positiveDecimal }),
  z.object({
    ...base,
    type: z.literal("oracle_report"),
    underlying: name,
    source: name,
    price: positiveDecimal,
    /** Half-width of the source's confidence band, in USD. */
    confidence: positiveDecimal,
    publishedAtMs: atMs,
  }),
  z.object({
    ...base,
    type: z.literal("fill"),
    marketId: name,
    takerSide: z.enum(["buy", "sell"]),
    makerSubaccountId: name,
    takerSubaccountId: name,
    size: positiveDecimal,
    price: positiveDecimal,
    makerFee: positiveDecimal,
    takerFee: positiveDecimal,
  }),
  z.object({
    ...base,
    type: z.literal("funding"),
    marketId: name,
    /** Funding rate for the period, a fraction of notional; positive: longs pay shorts. */
    ratePerPeriod: z.number().finite().min(-1).max(1),
  }),
  z.object({
    ...base,
    type: z.literal("update_risk_params"),
    marketId: name,
    initialMarginFraction: z.number().finite().min(0).max(1),
    maintenanceMarginFraction: z.number().finite().min(0).max(1),
  }),
  z.object({ ...base, type: z.literal("settle_expiry"), marketId: name, settlementPrice: positiveDecimal }),
  z.object({
    ...base,
    type: z.literal("liquidate"),
    liquidatorSubaccountId: name,
    subaccountId: name,
    marketId: name,
    /** Contracts the liquidator offers to take; the engine takes at most what the plan needs. */
    size: positiveDecimal,
  }),
  z.object({ ...base, type: z.literal("tick") }),
  /** Changes a sub-account's margin mode: allowed when flat, or when IM is met in the new mode. */
  z.object({ ...base, type: z.literal("set_margin_mode"), subaccountId: name, mode: marginMode }),
  /** The trader's own stricter margin: IM × imMultiplier (≥ 1; 1 removes it). */
  z.object({
    ...base,
    type: z.literal("set_im_multiplier"),
    subaccountId: name,
    imMultiplier: z.number().finite().min(1).max(100),
  }),
  /** The venue assigns a parameter set of the policy document to a sub-account (null: base set). */
  z.object({
    ...base,
    type: z.literal("assign_param_set"),
    subaccountId: name,
    paramSetId: z.string().min(1).max(NAME_LENGTH_MAX).nullable(),
  }),
]);

export type Command = z.infer<typeof commandSchema>;
export type CommandType = Command["type"];

/** Parses an external command at the boundary; the error names the first bad field. */
export function parseCommand(input: unknown): Command {
  const result = commandSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw invalidInput(`command.${issue?.path.join(".") ?? ""}`, issue?.message ?? "invalid command");
  }
  return result.data;
}

/** Reason codes of rejected commands (expected outcomes, not errors). */
export type RejectionReason =
  | "not_configured"
  | "already_configured"
  | "time_went_backwards"
  | "invalid_input"
  | "unknown_subaccount"
  | "unknown_asset"
  | "unknown_market"
  | "unknown_underlying"
  | "unknown_source"
  | "account_mismatch"
  | "limit_exceeded"
  | "insufficient_balance"
  | "insufficient_margin"
  | "maker_insufficient_margin"
  | "taker_insufficient_margin"
  | "liquidator_insufficient_margin"
  | "self_trade"
  | "in_liquidation"
  | "market_halted"
  | "market_reduce_only"
  | "market_settled"
  | "market_not_expired"
  | "price_unavailable"
  | "oracle_stale"
  | "oracle_out_of_order"
  | "oracle_deviation"
  | "oracle_confidence"
  | "not_in_liquidation"
  | "not_next_in_liquidation_order"
  | "nothing_to_liquidate"
  | "isolated_single_market"
  | "mode_unsupported"
  | "unknown_param_set"
  | "reserved_account";
