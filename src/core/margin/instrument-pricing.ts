import { invalidInput } from "../errors.ts";
import { black76Price } from "../pricing/black76.ts";
import type { MarketParams } from "./risk-params.ts";
import type { MarketState } from "./types.ts";

/*
 * Instrument valuation for margin: the price of one market per unit of underlying given an
 * underlying price and a volatility, and a position's PnL and notional in USD. Options are
 * Black-76 on the forward; the forward is taken as the index (zero carry: crypto funding and
 * basis are small against the scenario moves). Dated futures keep their quoted basis as a ratio
 * to the index, so a shocked index moves the future by the same relative amount.
 */

const MS_PER_YEAR = 365.25 * 86_400_000;

/** Year fraction from `asOfMs` to `expiryMs` (Act/365.25), floored at 0 (expired). */
export function yearsToExpiry(expiryMs: number, asOfMs: number): number {
  return Math.max(0, (expiryMs - asOfMs) / MS_PER_YEAR);
}

/** Index price of an underlying in USD, validated. */
export function indexPriceUsd(market: MarketState, underlying: string): number {
  const price = market.underlyings[underlying]?.indexPriceUsd;
  if (price === undefined)
    throw invalidInput(`market.underlyings.${underlying}`, "is missing (an index price is required)");
  if (!(Number.isFinite(price) && price > 0))
    throw invalidInput(`market.underlyings.${underlying}.indexPriceUsd`, "must be a finite number > 0");
  return price;
}

/** Volatility (annualised) used to revalue an option market: its own implied vol, else the underlying's. */
export function optionVolAnnual(market: MarketState, marketId: string, mp: MarketParams): number {
  const u = market.underlyings[mp.underlying];
  const vol = market.markets?.[marketId]?.impliedVolAnnual ?? u?.impliedVolAnnual ?? u?.volAnnual;
  if (vol === undefined)
    throw invalidInput(
      `market.markets.${marketId}.impliedVolAnnual`,
      "is required to price the option (or an underlying vol)",
    );
  if (!(Number.isFinite(vol) && vol > 0 && vol < 20))
    throw invalidInput(
      `market.markets.${marketId}.impliedVolAnnual`,
      "must be a finite annualised vol in (0, 20)",
    );
  return vol;
}

/**
 * Model price of one unit of the market (USD per unit of underlying) when the underlying is at
 * `underlyingUsd` and the option vol is `volAnnual`. `basisRatio` is mark/index for futures.
 */
export function modelUnitPrice(
  mp: MarketParams,
  underlyingUsd: number,
  volAnnual: number,
  asOfMs: number,
  basisRatio: number,
): number {
  const ins = mp.instrument;
  if (ins.type === "option") {
    const t = yearsToExpiry(ins.expiryMs, asOfMs);
    return black76Price(ins.optionKind, underlyingUsd, ins.strike, t, volAnnual, ins.rateAnnual ?? 0);
  }
  return underlyingUsd * basisRatio;
}

/** The mark price (USD per unit) of a market: the quote if given, else the model price at the index. */
export function markPriceUsd(market: MarketState, marketId: string, mp: MarketParams): number {
  const quoted = market.markets?.[marketId]?.markPriceUsd;
  if (quoted !== undefined) {
    if (!(Number.isFinite(quoted) && quoted >= 0))
      throw invalidInput(`market.markets.${marketId}.markPriceUsd`, "must be a finite number ≥ 0");
    return quoted;
  }
  const index = indexPriceUsd(market, mp.underlying);
  const vol = mp.instrument.type === "option" ? optionVolAnnual(market, marketId, mp) : 0;
  return modelUnitPrice(mp, index, vol, market.asOfMs, 1);
}

/**
 * Unrealised PnL in USD of `size` contracts entered at `entryPrice` when the mark is `mark`.
 * Linear, futures, options: size·contractSize·(mark − entry). Inverse perp (contractSize in USD,
 * PnL in coin = size·C·(1/entry − 1/mark), valued at the mark): size·C·(mark/entry − 1).
 */
export function positionPnlUsd(mp: MarketParams, size: number, entryPrice: number, mark: number): number {
  if (mp.instrument.type === "inverse-perp") return size * mp.contractSize * (mark / entryPrice - 1);
  return size * mp.contractSize * (mark - entryPrice);
}

/**
 * Notional in USD. Linear and futures: |size|·contractSize·mark. Inverse perp: |size|·C (the
 * contract is a fixed USD amount). Options: the underlying notional |size|·contractSize·index.
 */
export function positionNotionalUsd(
  mp: MarketParams,
  size: number,
  mark: number,
  underlyingUsd: number,
): number {
  switch (mp.instrument.type) {
    case "inverse-perp":
      return Math.abs(size) * mp.contractSize;
    case "option":
      return Math.abs(size) * mp.contractSize * underlyingUsd;
    default:
      return Math.abs(size) * mp.contractSize * mark;
  }
}
