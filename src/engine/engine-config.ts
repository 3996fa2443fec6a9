import { z } from "zod";
import { invalidInput } from "../core/errors.ts";
import { type RiskParams, safeParseRiskParams } from "../core/margin/risk-params.ts";
import {
  ASSETS_MAX,
  MARKETS_MAX,
  NAME_LENGTH_MAX,
  SOURCES_PER_UNDERLYING_MAX,
  UNDERLYINGS_MAX,
} from "./limits.ts";

/*
 * The engine's venue configuration: collateral assets with their decimals, underlyings with their
 * oracle and circuit-breaker rules, markets with their size and price scales, and the liquidation
 * rules. It travels in the first event of every log (`configured`), so a log is self-contained.
 * The static margin fractions here are the engine's own fallback policy (see subaccount-risk.ts).
 */

const name = z
  .string()
  .min(1)
  .max(NAME_LENGTH_MAX)
  .regex(/^[A-Za-z0-9_.:/-]+$/);
const decimalString = z.string().regex(/^\d+(\.\d+)?$/, "a non-negative decimal string");
const fraction = z.number().finite().min(0).max(1);
const durationMs = z
  .number()
  .int()
  .min(0)
  .max(365 * 86_400_000);

const assetSchema = z.object({
  id: name,
  decimals: z.number().int().min(0).max(18),
  /** Underlying whose mark prices this asset in USD; absent for a USD stablecoin (price 1). */
  priceUnderlying: name.optional(),
  /** Fraction of the asset's USD value not counted as collateral. */
  haircut: fraction,
});

const oracleRulesSchema = z.object({
  sources: z.array(name).min(1).max(SOURCES_PER_UNDERLYING_MAX),
  minSources: z.number().int().min(1),
  maxAgeMs: durationMs,
  /**
   * A report further than this from the median of the other sources that published within
   * `deviationWindowMs` before it is rejected; the mark also drops fresh sources this far from
   * the median. Older reports are not compared, so a genuine crash reported by one source first
   * is not mistaken for manipulation (the median then decides).
   */
  maxDeviationFraction: fraction,
  deviationWindowMs: durationMs,
  /** A report whose confidence half-width exceeds this fraction of its price is rejected. */
  maxConfidenceFraction: fraction,
  /** With no valid mark for this long, the underlying's markets are halted (reduce-only before). */
  haltAfterMs: durationMs,
});

const circuitBreakerSchema = z.object({
  windowMs: durationMs,
  /** A move larger than this within the window tightens margins by one step. */
  tightenMoveFraction: fraction,
  /** A move larger than this within the window puts the markets in reduce-only for `coolingMs`. */
  haltMoveFraction: fraction,
  coolingMs: durationMs,
  tightenStep: z.number().finite().min(0).max(10),
  maxMultiplier: z.number().finite().min(1).max(20),
  /** Speed limit: the multiplier rises by at most this much per hour. */
  maxRisePerHour: z.number().finite().positive().max(100),
  /** After this long without a tightening move, the multiplier relaxes back to 1. */
  relaxAfterMs: durationMs,
  /**
   * Volatility-regime trigger: tighten when the realised volatility of the last
   * `volRegimeRecentReturns` mark changes exceeds this multiple of the earlier ones' in the window.
   */
  volRegimeJumpRatio: z.number().finite().min(1).max(100).optional(),
  volRegimeRecentReturns: z.number().int().min(2).max(64).optional(),
});

const underlyingSchema = z.object({
  id: name,
  priceDecimals: z.number().int().min(0).max(12),
  oracle: oracleRulesSchema,
  circuitBreaker: circuitBreakerSchema,
});

const marketSchema = z.object({
  id: name,
  underlying: name,
  kind: z.enum(["perp", "future", "option"]),
  contractSize: decimalString,
  sizeDecimals: z.number().int().min(0).max(12),
  priceDecimals: z.number().int().min(0).max(12),
  initialMarginFraction: fraction,
  maintenanceMarginFraction: fraction,
  expiryMs: z.number().int().min(0).optional(),
  /**
   * Inverse (coin-margined) perpetual: `contractSize` is in USD per contract and PnL, fees and
   * funding settle in `settlementAsset`, the coin priced by this market's underlying.
   */
  inverse: z.boolean().optional(),
  settlementAsset: name.optional(),
  option: z
    .object({
      type: z.enum(["call", "put"]),
      strike: decimalString,
      volatility: z.number().finite().positive().max(10),
    })
    .optional(),
});

const liquidationSchema = z.object({
  /** Partial liquidation stops once health (equity / MM) is back at this level. */
  targetHealth: z.number().finite().min(1).max(10),
  auctionStartDiscountFraction: fraction,
  auctionDiscountPerSecondFraction: fraction,
  auctionMaxDiscountFraction: fraction,
  /** Share of the closed notional paid by the liquidated account to the insurance fund. */
  insuranceFeeFraction: fraction,
  /**
   * Auction backstop: once the discount has reached its cap and this much more time has passed
   * without a liquidator, the insurance fund takes the positions over itself (auction-backstop.ts).
   * Absent: no backstop (the auction waits for liquidators).
   */
  backstopDelayMs: durationMs.optional(),
});

export const engineConfigSchema = z
  .object({
    version: z.string().min(1).max(NAME_LENGTH_MAX),
    quoteAsset: name,
    assets: z.array(assetSchema).min(1).max(ASSETS_MAX),
    underlyings: z.array(underlyingSchema).min(1).max(UNDERLYINGS_MAX),
    markets: z.array(marketSchema).min(1).max(MARKETS_MAX),
    liquidation: liquidationSchema,
    /**
     * Optional: the margin policy document of src/core/margin (a RiskParams document) and the
     * margin mode. Without it the engine uses its own static fractions from `markets`.
     */
    riskPolicy: z
      .object({ mode: z.enum(["isolated", "cross", "portfolio"]), params: z.unknown() })
      .optional(),
    /**
     * Optional: the valuation clock's step, ms. Option marks (Black-76 time to expiry) and the
     * policy's as-of time use the engine clock rounded down to a multiple of it, so that time
     * decay is applied once per step rather than on every command: with it, an oracle tick
     * re-margins only the holders of the underlying that moved, and a step re-times every option
     * once. Absent: the exact clock (every command re-times every option).
     */
    valuationIntervalMs: z.number().int().min(1).max(3_600_000).optional(),
  })
  .superRefine((cfg, ctx) => {
    const unique = (ids: string[], path: string) => {
      if (new Set(ids).size !== ids.length)
        ctx.addIssue({ code: "custom", path: [path], message: "duplicate id" });
    };
    unique(
      cfg.assets.map((a) => a.id),
      "assets",
    );
    unique(
      cfg.underlyings.map((u) => u.id),
      "underlyings",
    );
    unique(
      cfg.markets.map((m) => m.id),
      "markets",
    );
    const underlyingIds = new Set(cfg.underlyings.map((u) => u.id));
    if (!cfg.assets.some((a) => a.id === cfg.quoteAsset && a.priceUnderlying === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: ["quoteAsset"],
        message: "must be a listed asset priced at 1 USD",
      });
    }
    cfg.assets.forEach((a, i) => {
      if (a.priceUnderlying !== undefined && !underlyingIds.has(a.priceUnderlying))
        ctx.addIssue({
          code: "custom",
          path: ["assets", i, "priceUnderlying"],
          message: "unknown underlying",
        });
    });
    cfg.underlyings.forEach((u, i) => {
      if (u.oracle.minSources > u.oracle.sources.length)
        ctx.addIssue({
          code: "custom",
          path: ["underlyings", i, "oracle", "minSources"],
          message: "exceeds sources",
        });
    });
    cfg.markets.forEach((m, i) => {
      if (!underlyingIds.has(m.underlying))
        ctx.addIssue({ code: "custom", path: ["markets", i, "underlying"], message: "unknown underlying" });
      if (m.maintenanceMarginFraction > m.initialMarginFraction)
        ctx.addIssue({ code: "custom", path: ["markets", i], message: "maintenance above initial margin" });
      if ((m.kind === "option") !== (m.option !== undefined))
        ctx.addIssue({
          code: "custom",
          path: ["markets", i, "option"],
          message: "required exactly for options",
        });
      if (m.inverse === true) {
        const settle = cfg.assets.find((a) => a.id === m.settlementAsset);
        if (m.kind !== "perp")
          ctx.addIssue({ code: "custom", path: ["markets", i, "inverse"], message: "perpetuals only" });
        else if (settle === undefined || settle.priceUnderlying !== m.underlying)
          ctx.addIssue({
            code: "custom",
            path: ["markets", i, "settlementAsset"],
            message: "must be a listed asset priced by the market's underlying",
          });
      } else if (m.settlementAsset !== undefined && m.settlementAsset !== cfg.quoteAsset) {
        ctx.addIssue({
          code: "custom",
          path: ["markets", i, "settlementAsset"],
          message: "linear markets settle in the quote asset",
        });
      }
      if ((m.kind === "perp") === (m.expiryMs !== undefined))
        ctx.addIssue({
          code: "custom",
          path: ["markets", i, "expiryMs"],
          message: "required for dated markets only",
        });
    });
  });

export type EngineConfig = z.infer<typeof engineConfigSchema>;

/** Checks that a risk-policy document covers every market and asset of the engine. */
function checkRiskPolicy(cfg: EngineConfig, params: RiskParams): string | null {
  for (const m of cfg.markets) {
    const mp = params.markets[m.id];
    if (mp === undefined) return `riskPolicy.params.markets.${m.id}: missing`;
    if (mp.underlying !== m.underlying)
      return `riskPolicy.params.markets.${m.id}.underlying: differs from the engine's`;
    if ((mp.instrument.type === "inverse-perp") !== (m.inverse === true))
      return `riskPolicy.params.markets.${m.id}.instrument: inverse-perp exactly for the engine's inverse markets`;
  }
  for (const a of cfg.assets) {
    if (params.collateral[a.id] === undefined) return `riskPolicy.params.collateral.${a.id}: missing`;
  }
  return null;
}
export type AssetConfig = EngineConfig["assets"][number];
export type UnderlyingConfig = EngineConfig["underlyings"][number];
export type MarketConfig = EngineConfig["markets"][number];

/** Validates a configuration document at the boundary; the error names the first bad field. */
export function parseEngineConfig(input: unknown): EngineConfig {
  const result = engineConfigSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw invalidInput(`config.${issue?.path.join(".") ?? ""}`, issue?.message ?? "invalid configuration");
  }
  const policy = result.data.riskPolicy;
  if (policy !== undefined) {
    const parsed = safeParseRiskParams(policy.params);
    if (!parsed.ok)
      throw invalidInput(`config.riskPolicy.params.${parsed.error.field ?? ""}`, parsed.error.message);
    const problem = checkRiskPolicy(result.data, parsed.value);
    if (problem !== null)
      throw invalidInput(`config.${problem.split(":")[0]}`, problem.split(": ")[1] ?? "invalid");
    return { ...result.data, riskPolicy: { mode: policy.mode, params: parsed.value } };
  }
  return result.data;
}
