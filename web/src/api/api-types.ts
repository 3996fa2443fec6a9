/*
 * The shapes of the service's answers that the dashboard reads (see src/server/routes/*).
 * Exact amounts and prices arrive as decimal strings; risk figures as floats in USD.
 */

export type Role = "admin" | "oracle" | "venue" | "liquidator" | "trader";

export interface UnderlyingSummary {
  readonly underlying: string;
  readonly mark: string | null;
  readonly markValid: boolean;
  readonly status: string;
  readonly statusReason: string;
  readonly marginMultiplier: number;
}

export interface MarketSummary {
  readonly marketId: string;
  readonly underlying: string;
  readonly kind: string;
  readonly markPriceUsd: number | null;
  readonly initialMarginFraction: number;
  readonly maintenanceMarginFraction: number;
  readonly openInterest: string;
  readonly settled: boolean;
}

export interface MarketsResponse {
  readonly underlyings: readonly UnderlyingSummary[];
  readonly markets: readonly MarketSummary[];
}

export interface InsuranceFundResponse {
  readonly insurance: Readonly<Record<string, string>>;
  readonly fees: Readonly<Record<string, string>>;
  readonly pnlPool: Readonly<Record<string, string>>;
}

export interface EngineMargin {
  readonly equityUsd: number;
  readonly initialMarginUsd: number;
  readonly maintenanceMarginUsd: number;
  readonly freeCollateralUsd: number;
  readonly health: number | null;
  readonly notionalUsd: number;
}

export interface PositionView {
  readonly marketId: string;
  readonly size: string;
  readonly entryPriceUsd: number;
  readonly markPriceUsd: number | null;
}

export interface BreakdownItem {
  readonly component: string;
  readonly marketId?: string;
  readonly underlying?: string;
  readonly asset?: string;
  readonly amountUsd: number;
  readonly maintenanceUsd?: number;
  readonly detail: string;
}

export interface PositionResult {
  readonly marketId: string;
  readonly size: number;
  readonly markPriceUsd: number;
  readonly notionalUsd: number;
  readonly unrealizedPnlUsd: number;
  readonly initialMarginUsd: number;
  readonly maintenanceMarginUsd: number;
  readonly liquidationPrice: number | null;
}

export interface PolicyMargin {
  readonly equityUsd: number;
  readonly initialMarginUsd: number;
  readonly maintenanceMarginUsd: number;
  readonly freeCollateralUsd: number;
  readonly health: number | null;
  readonly marginRatio: number | null;
  readonly liquidatable: boolean;
  readonly positions: readonly PositionResult[];
  readonly breakdown: readonly BreakdownItem[];
}

export interface SubaccountMargin {
  readonly subaccountId: string;
  readonly balances: Readonly<Record<string, string>>;
  readonly positions: readonly PositionView[];
  readonly inLiquidation: boolean;
  readonly engine: EngineMargin;
  readonly policy?: PolicyMargin | null;
  readonly policyError?: string;
}

export interface AccountResponse {
  readonly accountId: string;
  readonly asOfMs?: number;
  readonly subaccounts: readonly SubaccountMargin[];
}

export interface AccountIdsPage {
  readonly accountIds: readonly string[];
  readonly next: string | null;
}

export interface WhatIfResponse {
  readonly before: PolicyMargin;
  readonly after: PolicyMargin;
  readonly accepted: boolean;
  readonly reason: string;
}

export interface LiquidationEntry {
  readonly subaccountId: string;
  readonly accountId: string;
  readonly startedAtMs: number;
  readonly equityUsd: number;
  readonly maintenanceMarginUsd: number;
  readonly positions: readonly { marketId: string; size: string }[];
}

export interface ParamChange {
  readonly kind: "added" | "removed" | "changed";
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

export interface RiskParamsVersion {
  readonly versionId: number;
  readonly status: string;
  readonly document: Record<string, unknown>;
  readonly diff: readonly ParamChange[];
  readonly proposedBy: string;
  readonly proposedAtMs: number;
  readonly appliedBy: string | null;
  readonly appliedAtMs: number | null;
  readonly note: string;
}

/** An engine event as the stream forwards it (`type` plus its own fields). */
export interface StreamEvent {
  readonly type: string;
  readonly [field: string]: unknown;
}

/** GET /v1/me: the signed-in key. */
export interface MeResponse {
  readonly keyId: string;
  readonly role: Role;
  readonly label?: string;
  readonly accountIds?: readonly string[];
}

/** One row of GET /v1/subaccounts. */
export interface SubaccountSummary {
  readonly accountId: string;
  readonly subaccountId: string;
  readonly mode: string;
  readonly equityUsd: number;
  readonly initialMarginUsd: number;
  readonly maintenanceMarginUsd: number;
  readonly freeCollateralUsd: number;
  readonly notionalUsd: number;
  readonly health: number | null;
  readonly marginRatio: number | null;
  readonly positionsCount: number;
  readonly inLiquidation: boolean;
}

export interface SubaccountSummaryPage {
  readonly items: readonly SubaccountSummary[];
  readonly next: string | null;
  readonly total: number;
  readonly asOfSeq: number;
  readonly asOfMs: number;
}

/** GET /v1/subaccounts/health-bands. */
export interface HealthBandsResponse {
  readonly bands: readonly {
    readonly label: string;
    readonly fromHealth: number | null;
    readonly toHealth: number | null;
    readonly count: number;
  }[];
  readonly inLiquidation: number;
  readonly noRequirement: number;
  readonly total: number;
}

/** GET /v1/history/markets/{marketId}: columns, oldest first, engine time. */
export interface MarketHistoryResponse {
  readonly marketId: string;
  readonly atMs: readonly number[];
  readonly markPriceUsd: readonly (number | null)[];
  readonly initialMarginFraction: readonly number[];
  readonly maintenanceMarginFraction: readonly number[];
  readonly marginMultiplier: readonly number[];
  readonly status: readonly string[];
}

/** GET /v1/history/insurance-fund. */
export interface InsuranceHistoryResponse {
  readonly assets: Readonly<
    Record<string, { readonly atMs: readonly number[]; readonly amount: readonly number[] }>
  >;
}
