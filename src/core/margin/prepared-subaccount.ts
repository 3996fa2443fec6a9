import { invalidInput } from "../errors.ts";
import { indexPriceUsd, markPriceUsd, modelUnitPrice, optionVolAnnual } from "./instrument-pricing.ts";
import { type MarketFractions, marketRequirementFractions } from "./market-requirement-fractions.ts";
import type { MarketParams, RiskParams } from "./risk-params.ts";
import type { MarketState, PositionInput, SubaccountInput } from "./types.ts";

/*
 * A sub-account resolved once against the document and the market state: input validated
 * (every mistake located by field), positions sorted canonically and netted per market, and the
 * market-level fractions computed once. Sorting and netting make every requirement independent
 * of the order in which positions were given; computing fractions once keeps liquidation-price
 * root finding cheap (a GARCH fit is not repeated per evaluation).
 */

const DEFAULT_MAX_POSITIONS = 1000;

export interface NetPosition {
  readonly marketId: string;
  readonly mp: MarketParams;
  /** Net contracts. */
  readonly size: number;
  /** Σ size·entry over the raw positions (linear, futures, options), USD per contract unit. */
  readonly sizeTimesEntry: number;
  /** Σ size/entry over the raw positions (inverse perps). */
  readonly sizeOverEntry: number;
  readonly indexUsd: number;
  readonly markUsd: number;
  /** Option: model value at the index (for shifting a quoted mark); otherwise the mark. */
  readonly modelMarkUsd: number;
  /** mark/index for futures and perps (a shocked index moves the mark by the same ratio). */
  readonly basisRatio: number;
  /** Option vol used for revaluation, annualised (0 for non-options). */
  readonly volAnnual: number;
}

export interface PreparedSubaccount {
  readonly params: RiskParams;
  readonly market: MarketState;
  readonly sub: SubaccountInput;
  readonly positions: readonly NetPosition[];
  readonly fractions: Readonly<Record<string, MarketFractions>>;
  readonly imMultiplier: number;
}

function comparePositions(a: PositionInput, b: PositionInput): number {
  if (a.marketId !== b.marketId) return a.marketId < b.marketId ? -1 : 1;
  return a.size - b.size || a.entryPrice - b.entryPrice;
}

/** Validates a sub-account against the document and the market state; throws located errors. */
export function prepareSubaccount(
  params: RiskParams,
  market: MarketState,
  sub: SubaccountInput,
): PreparedSubaccount {
  if (typeof sub.id !== "string" || sub.id.length === 0)
    throw invalidInput("id", "must be a non-empty string");
  if (!["isolated", "cross", "portfolio"].includes(sub.mode))
    throw invalidInput("mode", "must be 'isolated', 'cross' or 'portfolio'");
  if (!Number.isFinite(market.asOfMs))
    throw invalidInput("market.asOfMs", "must be a finite timestamp in ms");
  const maxPositions = params.limits?.maxPositionsPerSubaccount ?? DEFAULT_MAX_POSITIONS;
  if (sub.positions.length > maxPositions)
    throw invalidInput("positions", `at most ${maxPositions} positions per sub-account`);
  const imMultiplier = sub.settings?.imMultiplier ?? 1;
  if (!(Number.isFinite(imMultiplier) && imMultiplier >= 1 && imMultiplier <= 100))
    throw invalidInput(
      "settings.imMultiplier",
      "must be a number in [1, 100] (a trader may only make margin stricter)",
    );
  const paramSetId = sub.settings?.paramSetId;
  if (paramSetId !== undefined && params.paramSets?.[paramSetId] === undefined)
    throw invalidInput("settings.paramSetId", `unknown parameter set '${paramSetId}'`);
  sub.positions.forEach((p, i) => {
    const mp = params.markets[p.marketId];
    if (mp === undefined) throw invalidInput(`positions.${i}.marketId`, `unknown market '${p.marketId}'`);
    if (!Number.isFinite(p.size))
      throw invalidInput(`positions.${i}.size`, "must be a finite number of contracts");
    if (!(Number.isFinite(p.entryPrice) && p.entryPrice > 0))
      throw invalidInput(`positions.${i}.entryPrice`, "must be a finite price > 0");
    if (mp.instrument.type === "dated-future" && mp.instrument.expiryMs <= market.asOfMs)
      throw invalidInput(`positions.${i}.marketId`, `'${p.marketId}' has expired and must be settled`);
  });
  const sorted = [...sub.positions].sort(comparePositions);
  const byMarket = new Map<string, PositionInput[]>();
  for (const p of sorted) {
    const list = byMarket.get(p.marketId) ?? [];
    list.push(p);
    byMarket.set(p.marketId, list);
  }
  if (sub.mode === "isolated" && byMarket.size > 1)
    throw invalidInput(
      "positions",
      "an isolated sub-account holds one market; open one isolated sub-account per position",
    );
  const marketIds = [...byMarket.keys()];
  const fractions = marketRequirementFractions(params, market, undefined, {
    marketIds,
    ...(paramSetId === undefined ? {} : { paramSetId }),
  });
  const positions: NetPosition[] = marketIds.map((marketId) => {
    const list = byMarket.get(marketId)!;
    const mp = params.markets[marketId]!;
    let size = 0;
    let sizeTimesEntry = 0;
    let sizeOverEntry = 0;
    for (const p of list) {
      size += p.size;
      sizeTimesEntry += p.size * p.entryPrice;
      sizeOverEntry += p.size / p.entryPrice;
    }
    const indexUsd = indexPriceUsd(market, mp.underlying);
    const markUsd = markPriceUsd(market, marketId, mp);
    const isOption = mp.instrument.type === "option";
    const volAnnual = isOption ? optionVolAnnual(market, marketId, mp) : 0;
    const modelMarkUsd = isOption ? modelUnitPrice(mp, indexUsd, volAnnual, market.asOfMs, 1) : markUsd;
    return {
      marketId,
      mp,
      size,
      sizeTimesEntry,
      sizeOverEntry,
      indexUsd,
      markUsd,
      modelMarkUsd,
      basisRatio: isOption ? 1 : markUsd / indexUsd,
      volAnnual,
    };
  });
  return { params, market, sub, positions, fractions, imMultiplier };
}

/**
 * Mark (USD per unit) of a net position when its underlying is at `underlyingUsd` and option
 * vols are scaled by (1 + volShock). At the index with no shock it is the quoted mark; a quoted
 * option mark moves by the model's change, so the model and the quote never disagree on PnL.
 */
export function shiftedMarkUsd(
  p: NetPosition,
  underlyingUsd: number,
  volShock: number,
  asOfMs: number,
): number {
  if (p.mp.instrument.type !== "option") return underlyingUsd * p.basisRatio;
  const shifted = modelUnitPrice(p.mp, underlyingUsd, p.volAnnual * (1 + volShock), asOfMs, 1);
  return Math.max(0, p.markUsd + (shifted - p.modelMarkUsd));
}

/** Unrealised PnL in USD of a net position at mark `markUsd`. */
export function netPnlUsd(p: NetPosition, markUsd: number): number {
  const c = p.mp.contractSize;
  if (p.mp.instrument.type === "inverse-perp") return c * (markUsd * p.sizeOverEntry - p.size);
  return c * (p.size * markUsd - p.sizeTimesEntry);
}
