import { configOf, type EngineState } from "./engine-state.ts";
import { ledgerToFloat } from "./ledger-amount.ts";
import {
  marketMarkUsd,
  positionNotionalUsd,
  positionPnlUsd,
  type RiskView,
  underlyingMarkUsd,
} from "./subaccount-risk.ts";

/*
 * How much a bankrupt account's ADL counterparties must pay it so that, after its positions are
 * closed and the close-out has run, it ends at exactly zero. The close-out values what is left the
 * way liquidation-sweep.ts settles it: each asset's balance after its positions' PnL has landed in
 * it (linear markets settle in the quote asset, an inverse perp in its coin) counts at face value
 * in the quote asset, at the mark when negative (a coin debt is converted to quote at the mark),
 * and at the mark less the haircut when positive (collateral is seized or sold at that price).
 *
 * The risk equity instead haircuts the coin balance *before* an inverse perp's coin losses are
 * taken out of it, which understates what the account has (coin losses eat coin one for one):
 * bankruptcy prices from it made counterparties overpay and left the account a surplus. Here the
 * gain T (USD at the marks) is spread over the positions pro rata to notional, as the ADL prices
 * are, and T solves closeOutEquity(T) = 0 on the piecewise-linear, increasing close-out equity.
 */

interface AssetLeg {
  /** Balance plus the unrealised PnL of the positions settling in the asset, in asset units. */
  net: number;
  /** Share of the total notional whose ADL gain lands in this asset. */
  weight: number;
  /** USD per asset unit at the mark (1 for the quote asset). */
  priceUsd: number;
  /** 1 − haircut: the value kept by a positive balance (1 for the quote asset). */
  keep: number;
}

/** USD value of a leg once `gainUsd` of ADL gain has landed in it. */
function legValueUsd(leg: AssetLeg, gainUsd: number): number {
  const net = leg.net + (gainUsd * leg.weight) / leg.priceUsd;
  return net * leg.priceUsd * (net > 0 ? leg.keep : 1);
}

function legsOf(state: EngineState, view: RiskView): AssetLeg[] {
  const cfg = configOf(state);
  const legs = new Map<string, AssetLeg>();
  const legOf = (asset: string): AssetLeg => {
    let leg = legs.get(asset);
    if (leg === undefined) {
      const a = cfg.assets.get(asset)!;
      const quote = a.priceUnderlying === undefined;
      leg = {
        net: 0,
        weight: 0,
        priceUsd: quote ? 1 : (underlyingMarkUsd(state, a.priceUnderlying!) ?? 0),
        keep: quote ? 1 : 1 - a.haircut,
      };
      legs.set(asset, leg);
    }
    return leg;
  };
  for (const [asset, amount] of view.balances)
    legOf(asset).net += ledgerToFloat(amount, cfg.assets.get(asset)!.decimals);
  let totalNotional = 0;
  for (const [marketId, pos] of view.positions)
    totalNotional += positionNotionalUsd(state, marketId, pos.lots);
  for (const [marketId, pos] of view.positions) {
    const market = cfg.markets.get(marketId)!;
    const leg = legOf(market.settlementAsset);
    // A quote-settled position's PnL is already in USD; an inverse perp's is coin at the mark.
    const pnlUsd = positionPnlUsd(state, market, pos);
    const priceUsd = market.inverse ? (marketMarkUsd(state, market) ?? 0) : 1;
    if (priceUsd > 0) leg.net += pnlUsd / priceUsd;
    if (totalNotional > 0) leg.weight += positionNotionalUsd(state, marketId, pos.lots) / totalNotional;
  }
  // A leg without a price holds nothing the close-out can value.
  return [...legs.values()].filter((leg) => leg.priceUsd > 0);
}

/**
 * The USD (at the marks) that ADL at the bankruptcy prices must pay a sub-account, spread over
 * its positions pro rata to notional, so that the close-out leaves it at zero: 0 when the account
 * covers its debts itself; NaN when no finite amount can (every gain would land in an asset with
 * a 100 % haircut), for the caller to fall back on the risk deficit.
 */
export function bankruptcyShortfallUsd(state: EngineState, view: RiskView): number {
  const legs = legsOf(state, view);
  const equityAt = (gainUsd: number) => legs.reduce((t, leg) => t + legValueUsd(leg, gainUsd), 0);
  let fromUsd = 0;
  let equityUsd = equityAt(0);
  if (equityUsd >= 0) return 0;
  // Kinks: the gain at which a negative leg reaches zero and its slope drops from 1 to `keep`.
  const kinks = legs
    .filter((leg) => leg.net < 0 && leg.weight > 0)
    .map((leg) => (-leg.net * leg.priceUsd) / leg.weight)
    .sort((a, b) => a - b);
  for (const toUsd of [...kinks, Number.POSITIVE_INFINITY]) {
    const slope = legs.reduce((t, leg) => {
      const netMid = leg.net + ((fromUsd + Math.min(toUsd, fromUsd + 1)) / 2) * (leg.weight / leg.priceUsd);
      return t + leg.weight * (netMid < 0 ? 1 : leg.keep);
    }, 0);
    if (slope > 0 && (toUsd === Number.POSITIVE_INFINITY || equityUsd + slope * (toUsd - fromUsd) >= 0))
      return fromUsd - equityUsd / slope;
    if (toUsd === Number.POSITIVE_INFINITY) return Number.NaN;
    equityUsd = equityAt(toUsd);
    fromUsd = toUsd;
  }
  return Number.NaN;
}
