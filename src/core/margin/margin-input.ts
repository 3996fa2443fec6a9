import { z } from "zod";
import { invalidInput } from "../errors.ts";
import { formatIssuePath } from "./risk-params.ts";
import type { AccountInput, MarketState } from "./types.ts";

/*
 * Boundary schemas for the market state and the accounts (as read from JSON by the CLI and the
 * server), strict like the risk-parameter document. The risk-parameter document itself is either
 * inline or a path string, resolved by the caller (core does no I/O).
 */

const finite = z.number().refine(Number.isFinite, "must be a finite number");
const price = finite.refine((x) => x > 0, "must be > 0");
const vol = finite.refine((x) => x > 0 && x < 20, "must be an annualised vol in (0, 20)");

const DepthPointSchema = z.strictObject({
  notionalUsd: price,
  impactFraction: finite.refine((x) => x >= 0 && x < 1, "must be in [0, 1)"),
});

export const MarketStateSchema = z.strictObject({
  asOfMs: z.number().int().nonnegative(),
  underlyings: z.record(
    z.string(),
    z.strictObject({
      indexPriceUsd: price,
      volAnnual: vol.optional(),
      impliedVolAnnual: vol.optional(),
      returns: z.array(finite).max(100_000).optional(),
      returnPeriodHours: price.optional(),
    }),
  ),
  markets: z
    .record(
      z.string(),
      z.strictObject({
        markPriceUsd: finite.refine((x) => x >= 0, "must be ≥ 0").optional(),
        impliedVolAnnual: vol.optional(),
        dailyVolumeUsd: price.optional(),
        depth: z.array(DepthPointSchema).max(1000).optional(),
      }),
    )
    .optional(),
  collateral: z.record(
    z.string(),
    z.strictObject({ priceUsd: finite.refine((x) => x >= 0, "must be ≥ 0"), volAnnual: vol.optional() }),
  ),
  apcStates: z
    .record(z.string(), z.strictObject({ fraction: finite, rawFraction: finite, asOfMs: z.number().int() }))
    .optional(),
});

export const SubaccountSchema = z.strictObject({
  id: z.string().min(1).max(64),
  mode: z.enum(["isolated", "cross", "portfolio"]),
  positions: z
    .array(z.strictObject({ marketId: z.string().min(1), size: finite, entryPrice: price }))
    .max(10_000),
  collateral: z
    .array(z.strictObject({ asset: z.string().min(1), amount: finite.refine((x) => x >= 0, "must be ≥ 0") }))
    .max(100),
  settings: z
    .strictObject({
      imMultiplier: finite.refine((x) => x >= 1 && x <= 100, "must be in [1, 100]").optional(),
      paramSetId: z.string().min(1).optional(),
    })
    .optional(),
});

export const AccountSchema = z.strictObject({
  id: z.string().min(1).max(64),
  subaccounts: z.array(SubaccountSchema).min(1).max(256),
});

export const MarginInputSchema = z.strictObject({
  /** The risk-parameter document inline, or a path to it (relative to the input file). */
  riskParams: z.union([z.string().min(1), z.record(z.string(), z.unknown())]),
  /** The market state inline, or a path to it (relative to the input file). */
  market: z.union([z.string().min(1), MarketStateSchema]),
  accounts: z.array(AccountSchema).min(1).max(10_000),
  description: z.string().optional(),
});

export interface MarginInput {
  readonly riskParams: string | Record<string, unknown>;
  readonly market: string | MarketState;
  readonly accounts: readonly AccountInput[];
  readonly description?: string;
}

/** Parses a market state (a JSON value); throws a located `invalid_input` error. */
export function parseMarketState(input: unknown): MarketState {
  const r = MarketStateSchema.safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw invalidInput(`market.${formatIssuePath(issue.path)}`, issue.message);
  }
  return r.data as MarketState;
}

/** Parses a margin input file's JSON value; throws a located `invalid_input` error. */
export function parseMarginInput(input: unknown): MarginInput {
  const r = MarginInputSchema.safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw invalidInput(formatIssuePath(issue.path) || "input", issue.message);
  }
  return r.data as MarginInput;
}
