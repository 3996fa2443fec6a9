import { evaluateSubaccount } from "./evaluate-subaccount.ts";
import { liquidationPrice } from "./liquidation-price.ts";
import { prepareSubaccount } from "./prepared-subaccount.ts";
import type { RiskParams } from "./risk-params.ts";
import type { MarginResult, MarketState, SubaccountInput } from "./types.ts";

export interface ComputeOptions {
  /** Skip the liquidation-price root finding (fields are null); for hot paths and what-if checks. */
  readonly liquidationPrices?: boolean;
}

/**
 * Margin of one sub-account: equity, IM, MM, free collateral (all USD), margin ratio and health
 * (unitless), per-position results with liquidation prices, the breakdown per component and, in
 * portfolio mode, the worst scenario. Pure and deterministic; positions are sorted and netted
 * first, so the result does not depend on their order. Throws a located `invalid_input`
 * MarginalError for a sub-account or market state that does not fit the document.
 */
export function computeSubaccountMargin(
  params: RiskParams,
  market: MarketState,
  sub: SubaccountInput,
  options: ComputeOptions = {},
): MarginResult {
  const prep = prepareSubaccount(params, market, sub);
  const base = evaluateSubaccount(prep);
  const withLiq = options.liquidationPrices !== false;
  return {
    ...base,
    positions: base.positions.map((pos, i) => ({
      ...pos,
      liquidationPrice: withLiq ? liquidationPrice(prep, prep.positions[i]!) : null,
    })),
  };
}
