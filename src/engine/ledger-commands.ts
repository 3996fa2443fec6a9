import { marksValidForAt } from "./advance-time.ts";
import {
  type CommandContext,
  findSubaccount,
  isRejection,
  parseAmount,
  type Rejection,
  reject,
} from "./command-context.ts";
import type { Command } from "./commands.ts";
import { BACKSTOP_ACCOUNT_ID, configOf, type EngineState, type SubaccountState } from "./engine-state.ts";
import {
  AMOUNT_UNITS_MAX,
  COLLATERAL_ASSETS_PER_SUBACCOUNT_MAX,
  SUBACCOUNTS_MAX,
  SUBACCOUNTS_PER_ACCOUNT_MAX,
} from "./limits.ts";
import { computeRisk } from "./subaccount-risk.ts";

/*
 * Deposits, withdrawals, transfers and insurance-fund top-ups. A withdrawal or transfer is
 * allowed only while the sub-account still meets IM after it (checked on the marks; refused
 * while any of its markets lacks a valid price, since the check could not be trusted).
 */

type Deposit = Extract<Command, { type: "deposit" }>;
type Withdraw = Extract<Command, { type: "withdraw" }>;
type Transfer = Extract<Command, { type: "transfer" }>;
type FundInsurance = Extract<Command, { type: "fund_insurance" }>;

export type Planned = Rejection | (() => void);

function parseAssetAmount(
  state: EngineState,
  asset: string,
  amount: string,
  field: string,
): bigint | Rejection {
  const a = configOf(state).assets.get(asset);
  if (a === undefined) return reject("unknown_asset", `${field}: unknown asset ${asset}`);
  const units = parseAmount(amount, a.decimals, field);
  if (isRejection(units)) return units;
  if (units <= 0n) return reject("invalid_input", `${field}: must be positive`);
  if (units > AMOUNT_UNITS_MAX) return reject("limit_exceeded", `${field}: amount too large`);
  return units;
}

function collateralLimitOk(s: SubaccountState | undefined, asset: string): boolean {
  if (s === undefined || s.balances.has(asset)) return true;
  return s.balances.size < COLLATERAL_ASSETS_PER_SUBACCOUNT_MAX;
}

export function planDeposit(ctx: CommandContext, c: Deposit): Planned {
  const state = ctx.state;
  const units = parseAssetAmount(state, c.asset, c.amount, "amount");
  if (isRejection(units)) return units;
  const existing = findSubaccount(state, c.subaccountId);
  if (existing !== undefined && existing.accountId !== c.accountId) {
    return reject("account_mismatch", `sub-account ${c.subaccountId} belongs to another account`);
  }
  if (existing === undefined) {
    if (c.accountId === BACKSTOP_ACCOUNT_ID)
      return reject("reserved_account", `account ${c.accountId} is the insurance fund's`);
    if (c.marginMode === "portfolio" && configOf(state).riskPolicy === null)
      return reject("mode_unsupported", "portfolio mode needs the venue's core margin policy (riskPolicy)");
    if ((state.accounts.get(c.accountId)?.length ?? 0) >= SUBACCOUNTS_PER_ACCOUNT_MAX)
      return reject("limit_exceeded", `account ${c.accountId} has the maximum number of sub-accounts`);
    if (state.subaccounts.length >= SUBACCOUNTS_MAX) return reject("limit_exceeded", "engine is full");
  }
  if (!collateralLimitOk(existing, c.asset)) return reject("limit_exceeded", "too many collateral assets");
  return () => {
    if (existing === undefined) {
      ctx.emit({
        type: "subaccount_opened",
        subaccountId: c.subaccountId,
        accountId: c.accountId,
        ...(c.marginMode === undefined ? {} : { marginMode: c.marginMode }),
      });
    }
    ctx.emit({
      type: "deposited",
      subaccountId: c.subaccountId,
      asset: c.asset,
      amountUnits: units.toString(),
    });
  };
}

/** Whether `s` still meets IM with `asset` reduced by `units`. */
function checkOutflow(
  state: EngineState,
  s: SubaccountState,
  asset: string,
  units: bigint,
  atMs: number,
): Rejection | null {
  if (s.liquidation !== null) return reject("in_liquidation", `sub-account ${s.id} is being liquidated`);
  if ((s.balances.get(asset) ?? 0n) < units)
    return reject("insufficient_balance", `balance of ${asset} is too low`);
  if (s.positions.size === 0) return null;
  if (!marksValidForAt(state, s, atMs))
    return reject("price_unavailable", "a market of this sub-account has no valid price");
  const balances = new Map(s.balances);
  balances.set(asset, (balances.get(asset) ?? 0n) - units);
  const risk = computeRisk(state, {
    balances,
    positions: s.positions,
    mode: s.mode,
    settings: s.settings,
  });
  if (risk.equityUsd < risk.initialMarginUsd) {
    return reject(
      "insufficient_margin",
      `after it equity ${risk.equityUsd.toFixed(2)} USD would be below IM ${risk.initialMarginUsd.toFixed(2)} USD`,
    );
  }
  return null;
}

export function planWithdraw(ctx: CommandContext, c: Withdraw): Planned {
  const s = findSubaccount(ctx.state, c.subaccountId);
  if (s === undefined) return reject("unknown_subaccount", `unknown sub-account ${c.subaccountId}`);
  if (s.accountId === BACKSTOP_ACCOUNT_ID)
    return reject("reserved_account", "the insurance fund's backstop margin cannot be withdrawn");
  const units = parseAssetAmount(ctx.state, c.asset, c.amount, "amount");
  if (isRejection(units)) return units;
  const problem = checkOutflow(ctx.state, s, c.asset, units, c.atMs);
  if (problem !== null) return problem;
  return () =>
    ctx.emit({
      type: "withdrawn",
      subaccountId: c.subaccountId,
      asset: c.asset,
      amountUnits: units.toString(),
    });
}

export function planTransfer(ctx: CommandContext, c: Transfer): Planned {
  const from = findSubaccount(ctx.state, c.fromSubaccountId);
  const to = findSubaccount(ctx.state, c.toSubaccountId);
  if (from === undefined) return reject("unknown_subaccount", `unknown sub-account ${c.fromSubaccountId}`);
  if (to === undefined) return reject("unknown_subaccount", `unknown sub-account ${c.toSubaccountId}`);
  if (from === to) return reject("invalid_input", "transfer to the same sub-account");
  if (from.accountId !== to.accountId) return reject("account_mismatch", "transfers stay within one account");
  const units = parseAssetAmount(ctx.state, c.asset, c.amount, "amount");
  if (isRejection(units)) return units;
  if (!collateralLimitOk(to, c.asset)) return reject("limit_exceeded", "too many collateral assets");
  const problem = checkOutflow(ctx.state, from, c.asset, units, c.atMs);
  if (problem !== null) return problem;
  return () =>
    ctx.emit({
      type: "transferred",
      fromSubaccountId: from.id,
      toSubaccountId: to.id,
      asset: c.asset,
      amountUnits: units.toString(),
    });
}

export function planFundInsurance(ctx: CommandContext, c: FundInsurance): Planned {
  if (c.asset !== configOf(ctx.state).cfg.quoteAsset) {
    return reject("unknown_asset", "the insurance fund holds the quote asset only");
  }
  const units = parseAssetAmount(ctx.state, c.asset, c.amount, "amount");
  if (isRejection(units)) return units;
  return () => ctx.emit({ type: "insurance_funded", asset: c.asset, amountUnits: units.toString() });
}
