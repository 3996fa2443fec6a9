import type { MarketParams, Policy, RiskParams } from "../core/margin/risk-params.ts";
import type { EngineConfig, MarketConfig } from "../engine/engine-config.ts";

/*
 * The engine's venue configuration derived from a risk-parameter document, so that one document
 * describes the venue the service runs. The engine enforces its own static policy (IM/MM
 * fractions of notional, tightened by its circuit breaker); the document's richer policies
 * (tiers, volatility scaling, portfolio scenarios) are what the margin endpoint reports with
 * their breakdown. Mapping, per market:
 * - linear perpetuals, dated futures and options are listed; inverse perpetuals are not (the
 *   engine settles linear contracts only) and are reported as skipped;
 * - a static policy gives its base fractions; a volatility-scaled one gives its cap as IM and
 *   cap × maintenanceShare as MM (the most the policy could ask, a safe static stand-in);
 * - sizes have 3 decimals, prices the decimals of the tick size.
 * Oracle and circuit-breaker rules are the service's defaults for three price sources.
 */

/** The oracle sources the engine expects per underlying (the demo feed publishes all three). */
export const ORACLE_SOURCES = ["feed-a", "feed-b", "feed-c"] as const;
const SIZE_DECIMALS = 3;
/** Annual volatility the engine prices listed options with (its static mark model). */
const ENGINE_OPTION_VOLATILITY = 0.6;

export interface DerivedEngineConfig {
  readonly config: EngineConfig;
  /** Markets of the document the engine does not list, with why. */
  readonly skipped: readonly { readonly marketId: string; readonly reason: string }[];
}

/** Decimals of a tick size such as 0.01 → 2 (at most 8). */
function decimalsOf(tickSize: number): number {
  for (let d = 0; d <= 8; d += 1)
    if (Math.abs(Math.round(tickSize * 10 ** d) - tickSize * 10 ** d) < 1e-9) return d;
  return 8;
}

/** Static IM and MM fractions standing in for a policy in the engine. */
export function engineFractions(policy: Policy): {
  initialMarginFraction: number;
  maintenanceMarginFraction: number;
} {
  if (policy.type === "static") {
    return {
      initialMarginFraction: policy.initialFraction,
      maintenanceMarginFraction: policy.maintenanceFraction,
    };
  }
  return {
    initialMarginFraction: policy.capFraction,
    maintenanceMarginFraction: policy.capFraction * policy.maintenanceShare,
  };
}

function marketConfig(marketId: string, m: MarketParams): MarketConfig | string {
  const common = {
    id: marketId,
    underlying: m.underlying,
    contractSize: String(m.contractSize),
    sizeDecimals: SIZE_DECIMALS,
    priceDecimals: decimalsOf(m.tickSize),
    ...engineFractions(m.policy),
  };
  const i = m.instrument;
  if (i.type === "linear-perp") return { ...common, kind: "perp" };
  if (i.type === "dated-future") return { ...common, kind: "future", expiryMs: i.expiryMs };
  if (i.type === "option") {
    return {
      ...common,
      kind: "option",
      expiryMs: i.expiryMs,
      option: { type: i.optionKind, strike: String(i.strike), volatility: ENGINE_OPTION_VOLATILITY },
    };
  }
  return "inverse perpetuals are not settled by the engine";
}

/** Builds the engine configuration for the venue a risk-parameter document describes. */
export function engineConfigFromRiskParams(doc: RiskParams): DerivedEngineConfig {
  const markets: MarketConfig[] = [];
  const skipped: { marketId: string; reason: string }[] = [];
  for (const [marketId, m] of Object.entries(doc.markets).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const cfg = marketConfig(marketId, m);
    if (typeof cfg === "string") skipped.push({ marketId, reason: cfg });
    else markets.push(cfg);
  }
  const underlyingIds = [...new Set(markets.map((m) => m.underlying))].sort();
  const priceDecimals = (u: string) =>
    Math.max(...markets.filter((m) => m.underlying === u).map((m) => m.priceDecimals));
  const assets = Object.entries(doc.collateral)
    .filter(
      ([id, c]) =>
        id === doc.quoteAsset || (c.underlying !== undefined && underlyingIds.includes(c.underlying)),
    )
    .map(([id, c]) => {
      const haircut =
        c.haircut.model === "fixed"
          ? c.haircut.fraction
          : Math.min(c.haircut.capFraction, Math.max(c.haircut.floorFraction * 5, 0.1));
      return id === doc.quoteAsset || c.underlying === undefined
        ? { id, decimals: 6, haircut }
        : { id, decimals: 8, priceUnderlying: c.underlying, haircut };
    });
  return {
    config: {
      version: `risk-params-${doc.version}`,
      quoteAsset: doc.quoteAsset,
      assets,
      underlyings: underlyingIds.map((id) => ({
        id,
        priceDecimals: priceDecimals(id),
        oracle: {
          sources: [...ORACLE_SOURCES],
          minSources: 2,
          maxAgeMs: 15_000,
          maxDeviationFraction: 0.05,
          deviationWindowMs: 1_000,
          maxConfidenceFraction: 0.01,
          haltAfterMs: 60_000,
        },
        circuitBreaker: {
          windowMs: 60_000,
          tightenMoveFraction: 0.05,
          haltMoveFraction: 0.15,
          coolingMs: 120_000,
          tightenStep: 0.25,
          maxMultiplier: 3,
          maxRisePerHour: 2,
          relaxAfterMs: 600_000,
        },
      })),
      markets,
      liquidation: {
        targetHealth: 1.25,
        auctionStartDiscountFraction: 0.005,
        auctionDiscountPerSecondFraction: 0.001,
        auctionMaxDiscountFraction: 0.03,
        insuranceFeeFraction: 0.005,
      },
    },
    skipped,
  };
}
