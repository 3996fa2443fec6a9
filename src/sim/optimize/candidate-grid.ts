import type { ApcParams } from "../../core/margin/risk-params.ts";
import type { VolCandidate } from "./candidate.ts";

/*
 * The search grid. Decay λ and floor are the usual ranges for daily crypto data; the APC
 * variants are the EMIR tools (buffer, stressed-period weight) with hysteresis, and a speed
 * limit that may hold the requirement below the raw figure (the only form of speed limit that
 * can meet a procyclicality limit, since the default never goes below raw). The multiplier is
 * a geometric grid of √(H / horizon) in [0.4, 3], H the policy's horizon in hours.
 */

export interface GridOptions {
  readonly policy: "vol" | "vol-apc";
  /** The backtest horizon in hours (the multiplier grid is centred on it). */
  readonly horizonHours: number;
  /** The procyclicality limit, used as the speed-limit variant's maxDailyRise. */
  readonly maxDailyRise?: number;
  readonly lambdas?: readonly number[];
  readonly floors?: readonly number[];
  readonly multiplierSteps?: number;
}

/** APC variants for `vol-apc` (stressed-weight's stressedFraction 0 = "take the window's worst"). */
export function apcVariants(maxDailyRise: number | undefined): { label: string; apc: ApcParams }[] {
  return [
    {
      label: "buffer 25%, fall 5%/d",
      apc: { tool: { type: "buffer", bufferShare: 0.25 }, maxDailyFall: 0.05 },
    },
    { label: "buffer 10%", apc: { tool: { type: "buffer", bufferShare: 0.1 } } },
    {
      label: "stressed weight 25%",
      apc: { tool: { type: "stressed-weight", weight: 0.25, stressedFraction: 0 } },
    },
    {
      label: `buffer 25% + speed limit ${maxDailyRise ?? 0.5}/d`,
      apc: {
        tool: { type: "buffer", bufferShare: 0.25 },
        maxDailyRise: maxDailyRise ?? 0.5,
        maxDailyFall: 0.05,
        speedLimitBelowRaw: true,
      },
    },
  ];
}

/** Every candidate of the grid. */
export function candidateGrid(options: GridOptions): VolCandidate[] {
  const lambdas = options.lambdas ?? [0.9, 0.94, 0.97, 0.985];
  const floors = options.floors ?? [0, 0.01, 0.02, 0.04];
  const steps = options.multiplierSteps ?? 24;
  const apcs =
    options.policy === "vol" ? [{ label: "none", apc: undefined }] : apcVariants(options.maxDailyRise);
  const out: VolCandidate[] = [];
  for (let s = 0; s < steps; s++) {
    const m = 0.4 * (3 / 0.4) ** (s / (steps - 1));
    const horizonHours = Math.min(720, Math.max(0.25, Math.round(options.horizonHours * m * m * 100) / 100));
    for (const lambda of lambdas)
      for (const floorFraction of floors)
        for (const { label, apc } of apcs)
          out.push({ lambda, horizonHours, floorFraction, apc, apcLabel: label });
  }
  return out;
}
