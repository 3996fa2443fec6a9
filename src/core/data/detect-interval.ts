/**
 * The sampling interval of a series: the most common spacing between consecutive timestamps.
 * The mode (not the minimum) is used because a few irregular rows must not redefine the grid;
 * ties go to the smaller spacing so the answer does not depend on row order.
 */

/** Most common positive spacing of `timestampsMs` in milliseconds; 0 for fewer than two rows. */
export function detectIntervalMs(timestampsMs: Float64Array): number {
  const counts = new Map<number, number>();
  for (let i = 1; i < timestampsMs.length; i++) {
    const step = (timestampsMs[i] as number) - (timestampsMs[i - 1] as number);
    counts.set(step, (counts.get(step) ?? 0) + 1);
  }
  let best = 0;
  let bestCount = 0;
  for (const [step, count] of counts) {
    if (count > bestCount || (count === bestCount && step < best)) {
      best = step;
      bestCount = count;
    }
  }
  return best;
}

const UNITS: readonly (readonly [string, number])[] = [
  ["w", 7 * 86_400_000],
  ["d", 86_400_000],
  ["h", 3_600_000],
  ["m", 60_000],
  ["s", 1000],
];

/**
 * A short label for an interval in milliseconds: the largest unit that divides it exactly
 * ("1d", "8h", "15m", "6s"), else the milliseconds ("250ms").
 */
export function formatIntervalLabel(intervalMs: number): string {
  for (const [unit, ms] of UNITS) {
    if (intervalMs >= ms && intervalMs % ms === 0) return `${intervalMs / ms}${unit}`;
  }
  return `${intervalMs}ms`;
}

/** Parses "1d", "1h", "15m", "30s", "250ms" into milliseconds; `undefined` if not understood. */
export function parseIntervalLabel(label: string): number | undefined {
  const m = /^(\d+)(ms|w|d|h|m|s)$/.exec(label.trim());
  if (m === null) return undefined;
  const count = Number(m[1]);
  if (count <= 0) return undefined;
  if (m[2] === "ms") return count;
  const unit = UNITS.find(([u]) => u === m[2]);
  return unit === undefined ? undefined : count * unit[1];
}
