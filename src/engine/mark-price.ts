import type { UnderlyingConfig } from "./engine-config.ts";
import type { SourceReport } from "./engine-state.ts";

/*
 * Oracle rules, as pure functions of the stored source reports and the command time. The mark
 * is the median of the fresh sources that agree with it; with fewer than `minSources` of them
 * there is no valid mark and nobody may be liquidated.
 */

export type ReportRejection =
  | "oracle_stale"
  | "oracle_out_of_order"
  | "oracle_deviation"
  | "oracle_confidence";

/** Median of sorted bigint ticks; an even count takes the lower middle's floor average. */
export function medianTicks(sorted: readonly bigint[]): bigint {
  const n = sorted.length;
  const mid = n >> 1;
  if (n % 2 === 1) return sorted[mid]!;
  return (sorted[mid - 1]! + sorted[mid]!) / 2n;
}

function sortedTicks(values: bigint[]): bigint[] {
  return values.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function deviates(price: bigint, reference: bigint, maxFraction: number): boolean {
  if (reference <= 0n) return true;
  return Math.abs(Number(price - reference) / Number(reference)) > maxFraction;
}

/** Reports from sources that are still fresh at `atMs` (published at most maxAgeMs ago). */
export function freshReports(
  sources: ReadonlyMap<string, SourceReport>,
  rules: UnderlyingConfig["oracle"],
  atMs: number,
): bigint[] {
  const out: bigint[] = [];
  for (const r of sources.values()) {
    if (atMs - r.publishedAtMs <= rules.maxAgeMs) out.push(r.priceTicks);
  }
  return out;
}

/**
 * Checks one report against the rules, in a fixed order: out of order (per source), stale
 * (older than maxAgeMs at the command time), confidence band too wide, and too far from the
 * median of the other sources' reports published within `deviationWindowMs` before it.
 */
export function checkOracleReport(
  sources: ReadonlyMap<string, SourceReport>,
  rules: UnderlyingConfig["oracle"],
  report: { source: string; priceTicks: bigint; confidenceTicks: bigint; publishedAtMs: number },
  atMs: number,
): ReportRejection | null {
  const previous = sources.get(report.source);
  if (previous !== undefined && report.publishedAtMs <= previous.publishedAtMs) return "oracle_out_of_order";
  if (report.publishedAtMs > atMs || atMs - report.publishedAtMs > rules.maxAgeMs) return "oracle_stale";
  if (report.priceTicks <= 0n) return "oracle_confidence";
  if (Number(report.confidenceTicks) / Number(report.priceTicks) > rules.maxConfidenceFraction) {
    return "oracle_confidence";
  }
  const others: bigint[] = [];
  for (const [source, r] of sources) {
    if (source !== report.source && report.publishedAtMs - r.publishedAtMs <= rules.deviationWindowMs) {
      others.push(r.priceTicks);
    }
  }
  if (others.length > 0) {
    const reference = medianTicks(sortedTicks(others));
    if (deviates(report.priceTicks, reference, rules.maxDeviationFraction)) return "oracle_deviation";
  }
  return null;
}

/**
 * The mark at `atMs`: the median of fresh sources, after dropping any that deviate from that
 * median by more than the limit; null unless at least `minSources` remain.
 */
export function computeMarkTicks(
  sources: ReadonlyMap<string, SourceReport>,
  rules: UnderlyingConfig["oracle"],
  atMs: number,
): bigint | null {
  const fresh = sortedTicks(freshReports(sources, rules, atMs));
  if (fresh.length < rules.minSources) return null;
  const first = medianTicks(fresh);
  const agreeing = fresh.filter((p) => !deviates(p, first, rules.maxDeviationFraction));
  if (agreeing.length < rules.minSources) return null;
  return medianTicks(agreeing);
}
