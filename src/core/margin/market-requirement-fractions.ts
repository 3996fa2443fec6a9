import { invalidInput } from "../errors.ts";
import { type ApcState, applyApc } from "./apc.ts";
import type { MarketParams, Policy, RiskParams } from "./risk-params.ts";
import { tailLossFraction } from "./tail-loss-fraction.ts";
import type { MarketState } from "./types.ts";
import { underlyingVolatility } from "./underlying-volatility.ts";

/*
 * The market-level requirement of each market today: what its policy (static base bracket or
 * volatility-scaled tail loss) says, then anti-procyclicality. These fractions do not depend
 * on any account, so the engine computes them once per market update and the backtester walks
 * them through history with nothing but a return history and a timestamp.
 */

export interface MarketFractions {
  /** The policy's IM fraction before APC (static: the base bracket). */
  readonly rawInitialFraction: number;
  /** IM fraction after APC. */
  readonly initialFraction: number;
  /** MM fraction after APC (MM keeps its ratio to IM). */
  readonly maintenanceFraction: number;
  /** initialFraction / rawInitialFraction (≥ 1 unless a speed limit may go below raw); scales tiers too. */
  readonly apcScale: number;
  /** Volatility-scaled only: the tail fraction before floor and cap, and the vol used. */
  readonly tailFraction?: number;
  readonly volAnnual?: number;
  readonly horizonSigma?: number;
  readonly apcState?: ApcState;
  readonly policy: Policy;
}

/** The policy in force for a market, after a venue-assigned parameter set (if any). */
export function effectivePolicy(
  params: RiskParams,
  marketId: string,
  paramSetId: string | undefined,
): Policy {
  const mp = params.markets[marketId];
  if (mp === undefined) throw invalidInput("marketId", `unknown market '${marketId}'`);
  if (paramSetId === undefined) return mp.policy;
  const set = params.paramSets?.[paramSetId];
  if (set === undefined) throw invalidInput("settings.paramSetId", `unknown parameter set '${paramSetId}'`);
  return set.markets[marketId]?.policy ?? mp.policy;
}

/** Requirement fractions (unitless, of notional) for one market. */
export function marketRequirementFraction(
  mp: MarketParams,
  policy: Policy,
  market: MarketState,
  apcState: ApcState | undefined,
): MarketFractions {
  let raw: number;
  let mmRatio: number;
  let extra: { tailFraction: number; volAnnual: number; horizonSigma: number } | undefined;
  if (policy.type === "static") {
    raw = policy.initialFraction;
    mmRatio = policy.maintenanceFraction / policy.initialFraction;
  } else {
    const vol = underlyingVolatility(market, mp.underlying, policy.volSource, policy.horizonHours);
    const tail = tailLossFraction(vol.horizonSigma, policy.confidence, policy.measure, policy.distribution);
    raw = Math.min(policy.capFraction, Math.max(policy.floorFraction, tail));
    mmRatio = policy.maintenanceShare;
    extra = { tailFraction: tail, volAnnual: vol.volAnnual, horizonSigma: vol.horizonSigma };
  }
  let initialFraction = raw;
  let state: ApcState | undefined;
  if (mp.apc !== undefined) {
    const step = applyApc(apcState, raw, market.asOfMs, mp.apc);
    initialFraction = step.fraction;
    state = step.state;
  }
  return {
    rawInitialFraction: raw,
    initialFraction,
    maintenanceFraction: initialFraction * mmRatio,
    apcScale: raw > 0 ? initialFraction / raw : 1,
    ...(extra ?? {}),
    ...(state === undefined ? {} : { apcState: state }),
    policy,
  };
}

/**
 * Requirement fractions for every market of the document (or the given subset), with APC
 * folded from `apcStates` (default: the market state's). Unitless fractions of notional.
 */
export function marketRequirementFractions(
  params: RiskParams,
  market: MarketState,
  apcStates?: Readonly<Record<string, ApcState>>,
  options: { readonly marketIds?: readonly string[]; readonly paramSetId?: string } = {},
): Record<string, MarketFractions> {
  const states = apcStates ?? market.apcStates ?? {};
  const out: Record<string, MarketFractions> = {};
  const ids = options.marketIds ?? Object.keys(params.markets);
  for (const id of [...ids].sort()) {
    const mp = params.markets[id];
    if (mp === undefined) throw invalidInput("marketId", `unknown market '${id}'`);
    out[id] = marketRequirementFraction(
      mp,
      effectivePolicy(params, id, options.paramSetId),
      market,
      states[id],
    );
  }
  return out;
}
