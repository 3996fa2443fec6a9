import { z } from "zod";
import { invalidInput, type MarginalError } from "../errors.ts";

/*
 * The risk-parameter document: one versioned JSON document per venue that configures every
 * margin policy by data. It is parsed once at the boundary (zod, strict: unknown fields are
 * rejected) into the `RiskParams` domain type; inside core/margin it is trusted.
 *
 * Naming: `parseRiskParams` throws a located `MarginalError("invalid_input")` (the contract the
 * engine calls); `safeParseRiskParams` returns `{ ok, value } | { ok: false, error }` for
 * callers that want the failure as a value.
 */

const finite = z.number().refine(Number.isFinite, "must be a finite number");
const positive = finite.refine((x) => x > 0, "must be > 0");
const fraction = finite.refine((x) => x >= 0 && x <= 1, "must be in [0, 1]");
const openFraction = finite.refine((x) => x > 0 && x < 1, "must be in (0, 1)");
const timestampMs = z.number().int("must be an integer (ms since epoch)").nonnegative("must be ≥ 0");

/** The instrument a market trades, resolved once from the document. */
export const InstrumentSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("linear-perp") }),
  z.strictObject({ type: z.literal("dated-future"), expiryMs: timestampMs }),
  /* Coin-margined: contractSize is in USD per contract, PnL settles in the base coin. */
  z.strictObject({ type: z.literal("inverse-perp") }),
  /* European option on the underlying's forward, priced with Black-76. */
  z.strictObject({
    type: z.literal("option"),
    optionKind: z.enum(["call", "put"]),
    strike: positive,
    expiryMs: timestampMs,
    rateAnnual: finite.optional(),
  }),
]);
export type Instrument = z.infer<typeof InstrumentSchema>;

/** A leverage bracket: from `notionalUsdFrom` upward the marginal rates are these. */
export const TierSchema = z.strictObject({
  notionalUsdFrom: finite.refine((x) => x >= 0, "must be ≥ 0"),
  initialFraction: openFraction,
  maintenanceFraction: openFraction,
});
export type Tier = z.infer<typeof TierSchema>;

export const StaticPolicySchema = z.strictObject({
  type: z.literal("static"),
  initialFraction: openFraction,
  maintenanceFraction: openFraction,
  /* Brackets above the first one (which is initialFraction/maintenanceFraction from 0 USD). */
  tiers: z.array(TierSchema).max(32).optional(),
  /* IM fraction += factorPerSqrtUsd·√notionalUsd, capped at maxInitialFraction (perp-DEX style). */
  sizeScaling: z
    .strictObject({
      factorPerSqrtUsd: finite.refine((x) => x >= 0, "must be ≥ 0"),
      maxInitialFraction: openFraction,
    })
    .optional(),
});
export type StaticPolicy = z.infer<typeof StaticPolicySchema>;

export const VolSourceSchema = z.discriminatedUnion("model", [
  /* The volatility number carried by the market state (an externally produced forecast). */
  z.strictObject({ model: z.literal("supplied") }),
  /* The implied volatility carried by the market state for the underlying. */
  z.strictObject({ model: z.literal("implied") }),
  z.strictObject({ model: z.literal("ewma"), lambda: openFraction }),
  z.strictObject({ model: z.literal("garch"), innovations: z.enum(["normal", "student-t"]) }),
  z.strictObject({ model: z.literal("realized"), windowPeriods: z.number().int().min(2).max(100_000) }),
]);
export type VolSource = z.infer<typeof VolSourceSchema>;

export const TailDistributionSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("normal") }),
  /* Unit-variance (scaled) Student-t with ν > 2 degrees of freedom. */
  z.strictObject({
    type: z.literal("student-t"),
    dof: finite.refine((x) => x > 2 && x <= 1000, "must be in (2, 1000]"),
  }),
]);
export type TailDistribution = z.infer<typeof TailDistributionSchema>;

export const VolScaledPolicySchema = z.strictObject({
  type: z.literal("volatility-scaled"),
  horizonHours: finite.refine((x) => x >= 0.25 && x <= 24 * 30, "must be in [0.25, 720] hours"),
  confidence: finite.refine((x) => x >= 0.9 && x < 1, "must be in [0.9, 1)"),
  measure: z.enum(["var", "es"]),
  distribution: TailDistributionSchema,
  volSource: VolSourceSchema,
  maintenanceShare: openFraction,
  floorFraction: fraction,
  capFraction: openFraction,
});
export type VolScaledPolicy = z.infer<typeof VolScaledPolicySchema>;

export const PolicySchema = z.discriminatedUnion("type", [StaticPolicySchema, VolScaledPolicySchema]);
export type Policy = z.infer<typeof PolicySchema>;

/** Anti-procyclicality tools, composable with any policy (see apc.ts and docs/margin.md). */
export const ApcParamsSchema = z.strictObject({
  tool: z.discriminatedUnion("type", [
    z.strictObject({ type: z.literal("none") }),
    /* EMIR RTS art. 28(1)(b): at least `weight` (25%) on the stressed-period requirement. */
    z.strictObject({ type: z.literal("stressed-weight"), weight: fraction, stressedFraction: fraction }),
    /* EMIR RTS art. 28(1)(a): a buffer of `bufferShare` (25%) of the requirement, drawn down in stress. */
    z.strictObject({ type: z.literal("buffer"), bufferShare: fraction }),
    /* EMIR RTS art. 28(1)(c): never below the requirement over a 10-year lookback. */
    z.strictObject({ type: z.literal("lookback-floor"), floorFraction: fraction }),
  ]),
  /* Relative rise allowed per day, e.g. 0.5 = +50%/day; omitted = unlimited. */
  maxDailyRise: positive.optional(),
  /* Relative fall allowed per day (hysteresis), e.g. 0.05 = −5%/day; omitted = immediate. */
  maxDailyFall: openFraction.optional(),
  /* When true the speed limit may hold the requirement below the raw risk figure. Default false. */
  speedLimitBelowRaw: z.boolean().optional(),
});
export type ApcParams = z.infer<typeof ApcParamsSchema>;

/** Square-root impact: cost = k·σ_daily·√(notional/ADV)·notional; or walk the depth curve. */
export const LiquidityParamsSchema = z.strictObject({
  model: z.enum(["square-root", "depth-curve"]),
  impactCoefficient: finite.refine((x) => x >= 0 && x <= 10, "must be in [0, 10]").optional(),
  /* Notional (USD) under which no add-on is charged. */
  freeNotionalUsd: finite.refine((x) => x >= 0, "must be ≥ 0").optional(),
});
export type LiquidityParams = z.infer<typeof LiquidityParamsSchema>;

export const MarketParamsSchema = z
  .strictObject({
    instrument: InstrumentSchema,
    underlying: z.string().min(1).max(32),
    /* Base units per contract (linear, futures, options) or USD per contract (inverse perp). */
    contractSize: positive,
    tickSize: positive,
    policy: PolicySchema,
    apc: ApcParamsSchema.optional(),
    liquidity: LiquidityParamsSchema.optional(),
    /* Short options outside portfolio mode: IM ≥ this share of underlying notional. */
    shortOptionMinimumFraction: fraction.optional(),
  })
  .superRefine((m, ctx) => {
    const p = m.policy;
    if (p.type === "static") {
      if (!(p.maintenanceFraction < p.initialFraction))
        ctx.addIssue({
          code: "custom",
          path: ["policy", "maintenanceFraction"],
          message: "must be < initialFraction",
        });
      let prev = {
        notionalUsdFrom: 0,
        initialFraction: p.initialFraction,
        maintenanceFraction: p.maintenanceFraction,
      };
      (p.tiers ?? []).forEach((t, i) => {
        const path = ["policy", "tiers", i];
        if (!(t.notionalUsdFrom > prev.notionalUsdFrom))
          ctx.addIssue({
            code: "custom",
            path: [...path, "notionalUsdFrom"],
            message: "must increase from bracket to bracket",
          });
        if (t.initialFraction < prev.initialFraction)
          ctx.addIssue({
            code: "custom",
            path: [...path, "initialFraction"],
            message: "must not fall in a higher bracket",
          });
        if (t.maintenanceFraction < prev.maintenanceFraction)
          ctx.addIssue({
            code: "custom",
            path: [...path, "maintenanceFraction"],
            message: "must not fall in a higher bracket",
          });
        if (!(t.maintenanceFraction < t.initialFraction))
          ctx.addIssue({
            code: "custom",
            path: [...path, "maintenanceFraction"],
            message: "must be < initialFraction",
          });
        prev = t;
      });
      if (p.sizeScaling !== undefined && p.sizeScaling.maxInitialFraction < p.initialFraction)
        ctx.addIssue({
          code: "custom",
          path: ["policy", "sizeScaling", "maxInitialFraction"],
          message: "must be ≥ initialFraction",
        });
    } else if (!(p.floorFraction <= p.capFraction)) {
      ctx.addIssue({ code: "custom", path: ["policy", "floorFraction"], message: "must be ≤ capFraction" });
    }
    if (m.liquidity?.model === "square-root" && m.liquidity.impactCoefficient === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["liquidity", "impactCoefficient"],
        message: "is required for square-root impact",
      });
  });
export type MarketParams = z.infer<typeof MarketParamsSchema>;

export const HaircutSchema = z.discriminatedUnion("model", [
  z.strictObject({ model: z.literal("fixed"), fraction: z.number().min(0).max(1) }),
  /* haircut = z_confidence · σ_annual · √(horizonHours/8760), clamped to [floor, cap]. */
  z.strictObject({
    model: z.literal("volatility"),
    horizonHours: finite.refine((x) => x > 0 && x <= 24 * 30, "must be in (0, 720] hours"),
    confidence: finite.refine((x) => x >= 0.9 && x < 1, "must be in [0.9, 1)"),
    floorFraction: fraction,
    capFraction: fraction,
  }),
]);
export type Haircut = z.infer<typeof HaircutSchema>;

export const CollateralParamsSchema = z.strictObject({
  haircut: HaircutSchema,
  /* Value above this cap (USD, after haircut) counts nothing: a concentration limit. */
  maxValueUsd: positive.optional(),
  /* The underlying whose scenarios shock this asset in portfolio mode (e.g. "ETH"). */
  underlying: z.string().min(1).max(32).optional(),
});
export type CollateralParams = z.infer<typeof CollateralParamsSchema>;

/** Scenario grid and portfolio-mode parameters per underlying. */
export const UnderlyingParamsSchema = z.strictObject({
  /* Price moves from −priceRange to +priceRange in priceSteps equal steps (odd: includes 0). */
  priceRange: finite.refine((x) => x > 0 && x < 1, "must be in (0, 1)"),
  priceSteps: z
    .number()
    .int()
    .min(3)
    .max(101)
    .refine((n) => n % 2 === 1, "must be odd (the grid includes 0)"),
  /* Relative vol shocks: vol·(1+up) and vol·(1−down). */
  volShockUp: fraction,
  volShockDown: fraction,
  shortOptionMinimumFraction: fraction,
  /* Charge per unit of the smaller leg's notional for futures of different expiries. */
  calendarSpreadFraction: fraction,
  /* MM = maintenanceShare · IM in portfolio mode. */
  maintenanceShare: openFraction,
});
export type UnderlyingParams = z.infer<typeof UnderlyingParamsSchema>;

export const CorrelationSchema = z.strictObject({
  underlyings: z.array(z.string().min(1)).min(1).max(64),
  matrix: z.array(z.array(finite.refine((x) => x >= -1 && x <= 1, "must be in [-1, 1]"))),
  /* Stressed correlations: every off-diagonal entry is raised to at least this floor. */
  floor: finite.refine((x) => x >= -1 && x <= 1, "must be in [-1, 1]").optional(),
});
export type Correlation = z.infer<typeof CorrelationSchema>;

/** A venue-assigned parameter set (e.g. a market-maker programme): per-market policy overrides. */
export const ParamSetSchema = z.strictObject({
  description: z.string().max(500),
  markets: z.record(z.string(), z.strictObject({ policy: PolicySchema })),
});
export type ParamSet = z.infer<typeof ParamSetSchema>;

export const RiskParamsSchema = z
  .strictObject({
    version: z.number().int().positive(),
    venue: z.string().min(1).max(100),
    quoteAsset: z.enum(["USD", "USDC", "USDT"]),
    effectiveFromMs: timestampMs.optional(),
    markets: z.record(z.string().min(1).max(64), MarketParamsSchema),
    collateral: z.record(z.string().min(1).max(32), CollateralParamsSchema),
    underlyings: z.record(z.string().min(1).max(32), UnderlyingParamsSchema),
    correlation: CorrelationSchema.optional(),
    paramSets: z.record(z.string().min(1).max(64), ParamSetSchema).optional(),
    limits: z.strictObject({ maxPositionsPerSubaccount: z.number().int().min(1).max(10_000) }).optional(),
  })
  .superRefine((doc, ctx) => {
    if (doc.collateral[doc.quoteAsset] === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["collateral", doc.quoteAsset],
        message: "the quote asset must be a collateral asset",
      });
    for (const [id, m] of Object.entries(doc.markets)) {
      if (doc.underlyings[m.underlying] === undefined)
        ctx.addIssue({
          code: "custom",
          path: ["markets", id, "underlying"],
          message: `'${m.underlying}' is not in underlyings`,
        });
    }
    for (const [asset, c] of Object.entries(doc.collateral)) {
      if (c.underlying !== undefined && doc.underlyings[c.underlying] === undefined)
        ctx.addIssue({
          code: "custom",
          path: ["collateral", asset, "underlying"],
          message: `'${c.underlying}' is not in underlyings`,
        });
    }
    const corr = doc.correlation;
    if (corr !== undefined) {
      const n = corr.underlyings.length;
      if (corr.matrix.length !== n)
        ctx.addIssue({ code: "custom", path: ["correlation", "matrix"], message: `must have ${n} rows` });
      corr.matrix.forEach((row, i) => {
        if (row.length !== n)
          ctx.addIssue({
            code: "custom",
            path: ["correlation", "matrix", i],
            message: `must have ${n} entries`,
          });
        row.forEach((rho, j) => {
          if (i === j && rho !== 1)
            ctx.addIssue({
              code: "custom",
              path: ["correlation", "matrix", i, j],
              message: "diagonal must be 1",
            });
          if (corr.matrix[j]?.[i] !== undefined && corr.matrix[j]?.[i] !== rho)
            ctx.addIssue({
              code: "custom",
              path: ["correlation", "matrix", i, j],
              message: "must be symmetric",
            });
        });
      });
    }
    for (const [setId, set] of Object.entries(doc.paramSets ?? {})) {
      for (const marketId of Object.keys(set.markets)) {
        if (doc.markets[marketId] === undefined)
          ctx.addIssue({
            code: "custom",
            path: ["paramSets", setId, "markets", marketId],
            message: "is not a market of this document",
          });
      }
    }
  });
export type RiskParams = z.infer<typeof RiskParamsSchema>;

/** Joins a zod issue path into the dotted form used in error messages (`markets.BTC-PERP.x`). */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  return path.map((p) => String(p)).join(".");
}

/** Parses a risk-parameter document; returns the first failure, located, as a value. */
export function safeParseRiskParams(
  input: unknown,
): { ok: true; value: RiskParams } | { ok: false; error: MarginalError } {
  const result = RiskParamsSchema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  const field = issue === undefined ? "" : formatIssuePath(issue.path);
  const reason = issue === undefined ? "invalid document" : issue.message;
  return {
    ok: false,
    error: invalidInput(field === "" ? "riskParams" : field, reason, {
      issues: result.error.issues.map((i) => `${formatIssuePath(i.path)}: ${i.message}`),
    }),
  };
}

/** Parses a risk-parameter document or throws `MarginalError("invalid_input")` naming the field. */
export function parseRiskParams(input: unknown): RiskParams {
  const result = safeParseRiskParams(input);
  if (!result.ok) throw result.error;
  return result.value;
}
