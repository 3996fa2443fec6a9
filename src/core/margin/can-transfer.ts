import { invalidInput } from "../errors.ts";
import { computeSubaccountMargin } from "./compute-subaccount-margin.ts";
import type { RiskParams } from "./risk-params.ts";
import type { AccountInput, CollateralInput, MarketState, SubaccountInput } from "./types.ts";

/*
 * Transfers of collateral between two sub-accounts of one account. Risk never leaks between
 * sub-accounts, so the only check is the source's: after the transfer its equity must still
 * cover its IM (the destination only gains). Checks in order: input, same account, balance,
 * initial margin. Expected refusals are returned values with a reason code.
 */

export interface TransferRequest {
  readonly fromSubaccountId: string;
  readonly toSubaccountId: string;
  readonly asset: string;
  /** Amount in the asset's units, > 0. */
  readonly amount: number;
}

export type TransferReason = "ok" | "insufficient_balance" | "insufficient_margin";

export interface TransferCheck {
  readonly allowed: boolean;
  readonly reason: TransferReason;
  /** Source's free collateral (USD) after the transfer. */
  readonly fromFreeCollateralUsd: number;
}

function withCollateral(sub: SubaccountInput, asset: string, delta: number): SubaccountInput {
  // Withdrawals take from the asset's lines in order; deposits add a line.
  let rest = delta;
  const collateral: CollateralInput[] = sub.collateral.map((c) => {
    if (c.asset !== asset || rest >= 0) return c;
    const take = Math.max(-c.amount, rest);
    rest -= take;
    return { asset, amount: c.amount + take };
  });
  if (rest > 0) collateral.push({ asset, amount: rest });
  return { ...sub, collateral };
}

/** Whether `req` may move collateral between two sub-accounts of `account`. */
export function canTransfer(
  params: RiskParams,
  market: MarketState,
  account: AccountInput,
  req: TransferRequest,
): TransferCheck {
  if (!(Number.isFinite(req.amount) && req.amount > 0))
    throw invalidInput("amount", "must be a finite number > 0");
  if (params.collateral[req.asset] === undefined)
    throw invalidInput("asset", `'${req.asset}' is not a collateral asset of this venue`);
  if (req.fromSubaccountId === req.toSubaccountId)
    throw invalidInput("toSubaccountId", "must differ from fromSubaccountId");
  const from = account.subaccounts.find((s) => s.id === req.fromSubaccountId);
  if (from === undefined)
    throw invalidInput(
      "fromSubaccountId",
      `no sub-account '${req.fromSubaccountId}' in account '${account.id}'`,
    );
  if (!account.subaccounts.some((s) => s.id === req.toSubaccountId))
    throw invalidInput("toSubaccountId", `no sub-account '${req.toSubaccountId}' in account '${account.id}'`);
  const balance = from.collateral.filter((c) => c.asset === req.asset).reduce((a, c) => a + c.amount, 0);
  const after = computeSubaccountMargin(
    params,
    market,
    withCollateral(from, req.asset, -Math.min(req.amount, balance)),
    {
      liquidationPrices: false,
    },
  );
  if (req.amount > balance)
    return { allowed: false, reason: "insufficient_balance", fromFreeCollateralUsd: after.freeCollateralUsd };
  if (after.freeCollateralUsd < 0)
    return { allowed: false, reason: "insufficient_margin", fromFreeCollateralUsd: after.freeCollateralUsd };
  return { allowed: true, reason: "ok", fromFreeCollateralUsd: after.freeCollateralUsd };
}
