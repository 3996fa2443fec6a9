import type { HealthBandsResponse } from "../api/api-types.ts";

/*
 * Health bands for the overview histogram and the table's colour: health = equity / MM, so an
 * account at or below 1 is liquidatable. Bands are closed below and open above; the last two
 * are not numeric: accounts already in liquidation, and accounts with no requirement at all.
 */

export interface HealthBand {
  readonly label: string;
  /** Lower bound of health (inclusive), dimensionless. */
  readonly fromHealth: number;
  /** Upper bound of health (exclusive). */
  readonly toHealth: number;
  /** Severity for colour: 0 critical … 3 comfortable. */
  readonly severity: 0 | 1 | 2 | 3;
}

export const HEALTH_BANDS: readonly HealthBand[] = [
  { label: "< 1", fromHealth: Number.NEGATIVE_INFINITY, toHealth: 1, severity: 0 },
  { label: "1–1.2", fromHealth: 1, toHealth: 1.2, severity: 1 },
  { label: "1.2–1.5", fromHealth: 1.2, toHealth: 1.5, severity: 1 },
  { label: "1.5–2", fromHealth: 1.5, toHealth: 2, severity: 2 },
  { label: "2–5", fromHealth: 2, toHealth: 5, severity: 3 },
  { label: "≥ 5", fromHealth: 5, toHealth: Number.POSITIVE_INFINITY, severity: 3 },
];

/** Index of the in-liquidation bucket in `healthHistogram`'s counts. */
export const IN_LIQUIDATION_BUCKET = HEALTH_BANDS.length;
/** Index of the no-requirement (no positions) bucket. */
export const NO_REQUIREMENT_BUCKET = HEALTH_BANDS.length + 1;
export const HISTOGRAM_LABELS: readonly string[] = [
  ...HEALTH_BANDS.map((b) => b.label),
  "in liquidation",
  "no positions",
];

/** The band index of a health value (null: no requirement → NO_REQUIREMENT_BUCKET). */
export function healthBucket(health: number | null, inLiquidation: boolean): number {
  if (inLiquidation) return IN_LIQUIDATION_BUCKET;
  if (health === null || Number.isNaN(health)) return NO_REQUIREMENT_BUCKET;
  const i = HEALTH_BANDS.findIndex((b) => health >= b.fromHealth && health < b.toHealth);
  return i < 0 ? NO_REQUIREMENT_BUCKET : i;
}

/** Severity of a health value for colour (0 critical … 3 comfortable; null: comfortable). */
export function healthSeverity(health: number | null, inLiquidation: boolean): 0 | 1 | 2 | 3 {
  if (inLiquidation) return 0;
  const b = HEALTH_BANDS[healthBucket(health, false)];
  return b === undefined ? 3 : b.severity;
}

/** Counts of sub-accounts per bucket (HISTOGRAM_LABELS order). */
export function healthHistogram(
  rows: readonly { health: number | null; inLiquidation: boolean }[],
): number[] {
  const counts = new Array<number>(HISTOGRAM_LABELS.length).fill(0);
  for (const r of rows) {
    const i = healthBucket(r.health, r.inLiquidation);
    counts[i] = (counts[i] ?? 0) + 1;
  }
  return counts;
}

/**
 * Counts per bucket (HISTOGRAM_LABELS order) from the server's GET /v1/subaccounts/health-bands,
 * matched by label so that a band the server adds or drops cannot shift the others.
 */
export function histogramOfBands(bands: HealthBandsResponse): number[] {
  const counts = HEALTH_BANDS.map((b) => bands.bands.find((x) => x.label === b.label)?.count ?? 0);
  return [...counts, bands.inLiquidation, bands.noRequirement];
}
