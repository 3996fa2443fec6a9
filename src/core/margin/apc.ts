import { invalidInput } from "../errors.ts";
import type { ApcParams } from "./risk-params.ts";

/*
 * Anti-procyclicality (APC) as a pure fold step: (previous state, today's raw requirement
 * fraction, as-of time, parameters) → (requirement fraction, new state). The engine folds it
 * over price updates and the backtester over history, so both see the same requirement path.
 *
 * Order of operations (docs/margin.md):
 *   1. the APC tool lifts the raw fraction to a target (stressed weight, buffer, lookback floor);
 *   2. a speed limit caps the rise relative to the previous output: prev·(1+maxDailyRise)^days;
 *   3. hysteresis caps the fall: the output stays ≥ prev·(1−maxDailyFall)^days;
 *   4. unless `speedLimitBelowRaw`, the output is never below the raw risk figure, so APC can
 *      only ever add margin (safety first: a speed limit must not leave the venue under-margined).
 */

const MS_PER_DAY = 86_400_000;

export interface ApcState {
  /** The APC-adjusted fraction last returned. */
  readonly fraction: number;
  /** The raw fraction it was computed from. */
  readonly rawFraction: number;
  /** As-of time of that step, ms since the epoch. */
  readonly asOfMs: number;
}

export interface ApcStep {
  /** The requirement fraction after APC (a fraction of notional, unitless). */
  readonly fraction: number;
  /** The fraction the APC tool targets before the speed limit and hysteresis. */
  readonly targetFraction: number;
  readonly state: ApcState;
}

/** The APC tool's target for a raw fraction (unitless), before speed limit and hysteresis. */
export function apcTargetFraction(
  prev: ApcState | undefined,
  rawFraction: number,
  params: ApcParams,
): number {
  const tool = params.tool;
  switch (tool.type) {
    case "none":
      return rawFraction;
    case "stressed-weight":
      return Math.max(rawFraction, tool.weight * tool.stressedFraction + (1 - tool.weight) * rawFraction);
    case "lookback-floor":
      return Math.max(rawFraction, tool.floorFraction);
    case "buffer": {
      // In calm markets the buffer sits on top of the raw figure. Afterwards the output stays
      // where it was as long as it lies in the band [raw, raw·(1+buffer)]: a rising raw figure
      // draws the buffer down before the output moves, and a falling one rebuilds it first.
      const buffered = rawFraction * (1 + tool.bufferShare);
      if (prev === undefined) return buffered;
      return Math.min(buffered, Math.max(rawFraction, prev.fraction));
    }
  }
}

/**
 * One APC step. `rawFraction` is the policy's requirement as a fraction of notional, `asOfMs`
 * the time of this step (ms, never earlier than the previous step). Pure and deterministic.
 */
export function applyApc(
  prev: ApcState | undefined,
  rawFraction: number,
  asOfMs: number,
  params: ApcParams,
): ApcStep {
  if (!(Number.isFinite(rawFraction) && rawFraction >= 0))
    throw invalidInput("rawFraction", "must be a finite number ≥ 0");
  if (!Number.isFinite(asOfMs)) throw invalidInput("asOfMs", "must be a finite timestamp in ms");
  if (prev !== undefined && asOfMs < prev.asOfMs)
    throw invalidInput("asOfMs", `must not go back in time (previous step at ${prev.asOfMs})`);
  const targetFraction = apcTargetFraction(prev, rawFraction, params);
  let fraction = targetFraction;
  if (prev !== undefined) {
    const days = (asOfMs - prev.asOfMs) / MS_PER_DAY;
    if (params.maxDailyRise !== undefined) {
      fraction = Math.min(fraction, prev.fraction * (1 + params.maxDailyRise) ** days);
    }
    if (params.maxDailyFall !== undefined) {
      fraction = Math.max(fraction, prev.fraction * (1 - params.maxDailyFall) ** days);
    }
  }
  if (params.speedLimitBelowRaw !== true) fraction = Math.max(fraction, rawFraction);
  return { fraction, targetFraction, state: { fraction, rawFraction, asOfMs } };
}
