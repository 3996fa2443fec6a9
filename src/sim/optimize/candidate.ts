import type { ApcParams, MarketParams, TailDistribution } from "../../core/margin/risk-params.ts";

/*
 * One point of the optimizer's search space for a volatility-scaled policy. The "multiplier"
 * of the requirement on σ is expressed through the document's own fields: the tail quantile
 * (confidence, measure, distribution, fixed per run) times √(horizonHours / bar hours), so the
 * search over the multiplier is a search over the policy's liquidation horizon assumption.
 */
export interface VolCandidate {
  readonly lambda: number;
  readonly horizonHours: number;
  readonly floorFraction: number;
  /** APC tool and limits; undefined = none. */
  readonly apc: ApcParams | undefined;
  /** A short label of the APC variant, for tables. */
  readonly apcLabel: string;
}

/** What stays fixed while the optimizer searches (from the base document or defaults). */
export interface PolicyBase {
  readonly confidence: number;
  readonly measure: "var" | "es";
  readonly distribution: TailDistribution;
  readonly maintenanceShare: number;
  readonly capFraction: number;
  /** Static policy: MM / IM. */
  readonly staticMaintenanceRatio: number;
}

/** The market parameters of a candidate, valid under the risk-parameter schema. */
export function candidateMarket(c: VolCandidate, base: PolicyBase, underlying: string): MarketParams {
  return {
    instrument: { type: "linear-perp" },
    underlying,
    contractSize: 1,
    tickSize: 0.01,
    policy: {
      type: "volatility-scaled",
      horizonHours: c.horizonHours,
      confidence: base.confidence,
      measure: base.measure,
      distribution: base.distribution,
      volSource: { model: "ewma", lambda: c.lambda },
      maintenanceShare: base.maintenanceShare,
      floorFraction: Math.min(c.floorFraction, base.capFraction),
      capFraction: base.capFraction,
    },
    ...(c.apc === undefined ? {} : { apc: c.apc }),
  };
}

/** The static policy's market parameters for a chosen MM fraction. */
export function staticMarket(
  maintenanceFraction: number,
  base: PolicyBase,
  underlying: string,
): MarketParams {
  return {
    instrument: { type: "linear-perp" },
    underlying,
    contractSize: 1,
    tickSize: 0.01,
    policy: {
      type: "static",
      initialFraction: Math.min(0.999, maintenanceFraction / base.staticMaintenanceRatio),
      maintenanceFraction,
    },
  };
}
