import { RandomSource } from "../synth/random-source.ts";

/*
 * A seeded population of leveraged accounts on one perpetual market, all opening at the
 * episode's first price (the stress test asks what the margin policy does to an existing book,
 * so everyone is already in when the move starts).
 *   direction: long with probability `longShare` (default 0.6: crypto books lean long);
 *   size:      notional USD lognormal, median `medianNotionalUsd` (default 20 000), log-σ 1.5,
 *              capped at 200 × the median (a whale, not the whole market);
 *   leverage:  wanted leverage log-uniform on [2, 50]; the policy's IM at entry caps it
 *              (leverage = min(wanted, 1/IM)), so a stricter policy forces lower leverage.
 * The draws do not depend on the policy: every policy faces the same traders.
 */

export interface PopulationOptions {
  readonly seed: number;
  readonly accounts: number;
  readonly longShare?: number;
  readonly medianNotionalUsd?: number;
  readonly leverageMin?: number;
  readonly leverageMax?: number;
}

export interface Population {
  /** +1 long, −1 short. */
  readonly direction: Int8Array;
  readonly notionalUsd: Float64Array;
  readonly wantedLeverage: Float64Array;
}

export const MAX_ACCOUNTS = 1_000_000;

/** Draws the population (deterministic in `seed`). */
export function generatePopulation(o: PopulationOptions): Population {
  const n = o.accounts;
  const rng = new RandomSource(o.seed);
  const longShare = o.longShare ?? 0.6;
  const median = o.medianNotionalUsd ?? 20_000;
  const lo = Math.log(o.leverageMin ?? 2);
  const hi = Math.log(o.leverageMax ?? 50);
  const direction = new Int8Array(n);
  const notionalUsd = new Float64Array(n);
  const wantedLeverage = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    direction[i] = rng.uniform() < longShare ? 1 : -1;
    notionalUsd[i] = Math.min(200 * median, median * Math.exp(1.5 * rng.normal()));
    wantedLeverage[i] = Math.exp(lo + (hi - lo) * rng.uniform());
  }
  return { direction, notionalUsd, wantedLeverage };
}
