import { type ApcState, applyApc } from "../../core/margin/apc.ts";
import type { ApcParams } from "../../core/margin/risk-params.ts";
import { tailLossFraction } from "../../core/margin/tail-loss-fraction.ts";
import type { PolicyBase, VolCandidate } from "./candidate.ts";

/*
 * The fast path of a candidate's requirement: the same arithmetic as marketRequirementFraction
 * for an EWMA volatility-scaled policy (tail quantile × σ_bar × √(H/bar hours), clamped to
 * [floor, cap], then the product's applyApc fold), on a σ path computed once per λ. The
 * optimizer ranks thousands of candidates with it; the chosen one is then re-run through the
 * product code (requirementPath) for every reported figure, and a test pins the two together.
 */

/** Per-unit-σ multiplier of a candidate (tail quantile × √(H / bar hours)), unitless. */
export function candidateMultiplier(c: VolCandidate, base: PolicyBase, barHours: number): number {
  return (
    tailLossFraction(1, base.confidence, base.measure, base.distribution) *
    Math.sqrt(c.horizonHours / barHours)
  );
}

/**
 * Fills `im`/`mm` (fractions of notional) for bars [start, to) from the σ path; bars with no σ
 * stay NaN. A stressed-weight APC whose `stressedFraction` is 0 is given the largest raw
 * fraction over [start, to) (the stressed period is the window itself).
 */
export function candidatePath(
  sigma: Float64Array,
  timestampsMs: Float64Array,
  c: VolCandidate,
  base: PolicyBase,
  barHours: number,
  start: number,
  to: number,
  im: Float64Array,
  mm: Float64Array,
): void {
  const k = candidateMultiplier(c, base, barHours);
  const floor = Math.min(c.floorFraction, base.capFraction);
  const raw = (i: number) => Math.min(base.capFraction, Math.max(floor, k * (sigma[i] as number)));
  let apc: ApcParams | undefined = c.apc;
  if (apc !== undefined && apc.tool.type === "stressed-weight" && apc.tool.stressedFraction === 0) {
    let hi = 0;
    for (let i = start; i < to; i++) if (Number.isFinite(sigma[i])) hi = Math.max(hi, raw(i));
    apc = { ...apc, tool: { ...apc.tool, stressedFraction: hi } };
  }
  let state: ApcState | undefined;
  for (let i = start; i < to; i++) {
    if (!Number.isFinite(sigma[i])) {
      im[i] = Number.NaN;
      mm[i] = Number.NaN;
      continue;
    }
    let f = raw(i);
    if (apc !== undefined) {
      const step = applyApc(state, f, timestampsMs[i] as number, apc);
      f = step.fraction;
      state = step.state;
    }
    im[i] = f;
    mm[i] = f * base.maintenanceShare;
  }
}

/** The candidate with a stressed-weight APC's stressed fraction resolved as candidatePath does. */
export function resolveStressedFraction(
  c: VolCandidate,
  sigma: Float64Array,
  base: PolicyBase,
  barHours: number,
  start: number,
  to: number,
): VolCandidate {
  const apc = c.apc;
  if (apc === undefined || apc.tool.type !== "stressed-weight" || apc.tool.stressedFraction !== 0) return c;
  const k = candidateMultiplier(c, base, barHours);
  const floor = Math.min(c.floorFraction, base.capFraction);
  let hi = 0;
  for (let i = start; i < to; i++) {
    if (Number.isFinite(sigma[i]))
      hi = Math.max(hi, Math.min(base.capFraction, Math.max(floor, k * (sigma[i] as number))));
  }
  return { ...c, apc: { ...apc, tool: { ...apc.tool, stressedFraction: Math.min(1, hi) } } };
}
