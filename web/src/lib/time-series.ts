/*
 * A bounded time series for live charts: a ring buffer of `capacity` points, each a time and one
 * value per named line, kept in Float64Arrays so that appending allocates nothing. `aligned()`
 * returns the points oldest first in the column layout uPlot draws ([xs, ys1, ys2, …]).
 * A missing value is NaN in storage and null in the aligned output (a gap in the line).
 */

export interface TimeSeries {
  readonly capacity: number;
  readonly lines: readonly string[];
  /** Appends a point (time in seconds since the epoch, one value per line). */
  push(timeSec: number, values: readonly (number | null)[]): void;
  /** Overwrites the newest point (appends when empty). */
  replaceLast(timeSec: number, values: readonly (number | null)[]): void;
  size(): number;
  /** Forgets every point. */
  clear(): void;
  /** The newest time (s), or null when empty. */
  lastTime(): number | null;
  /** The newest value of line `i`, or null. */
  last(i: number): number | null;
  /** Oldest-first columns: [times (s), line 0, line 1, …]. */
  aligned(): [number[], ...(number | null)[][]];
}

/** Creates an empty series of at most `capacity` points with the given line names. */
export function createTimeSeries(capacity: number, lines: readonly string[]): TimeSeries {
  if (!Number.isInteger(capacity) || capacity < 2)
    throw new Error(`capacity: must be an integer ≥ 2, got ${capacity}`);
  const times = new Float64Array(capacity);
  const columns = lines.map(() => new Float64Array(capacity));
  let start = 0;
  let count = 0;
  const write = (at: number, timeSec: number, values: readonly (number | null)[]) => {
    times[at] = timeSec;
    for (let j = 0; j < columns.length; j += 1) {
      const v = values[j];
      columns[j]![at] = v === null || v === undefined || !Number.isFinite(v) ? Number.NaN : v;
    }
  };
  return {
    capacity,
    lines,
    push(timeSec, values) {
      write((start + count) % capacity, timeSec, values);
      if (count < capacity) count += 1;
      else start = (start + 1) % capacity;
    },
    replaceLast(timeSec, values) {
      if (count === 0) this.push(timeSec, values);
      else write((start + count - 1) % capacity, timeSec, values);
    },
    size: () => count,
    clear() {
      start = 0;
      count = 0;
    },
    lastTime: () => (count === 0 ? null : times[(start + count - 1) % capacity]!),
    last(i) {
      if (count === 0) return null;
      const v = columns[i]?.[(start + count - 1) % capacity];
      return v === undefined || Number.isNaN(v) ? null : v;
    },
    aligned() {
      const xs: number[] = new Array(count);
      const ys = columns.map(() => new Array<number | null>(count));
      for (let k = 0; k < count; k += 1) {
        const at = (start + k) % capacity;
        xs[k] = times[at]!;
        for (let j = 0; j < columns.length; j += 1) {
          const v = columns[j]![at]!;
          ys[j]![k] = Number.isNaN(v) ? null : v;
        }
      }
      return [xs, ...ys];
    },
  };
}

/**
 * Folds points of a server history into `series` (times ascending, seconds): points newer than
 * the series' newest are appended, a point at its newest time replaces it (the server updates
 * its newest point until the next interval begins), older points are already there. Returns
 * how many points were appended or replaced.
 */
export function mergeHistory(
  series: TimeSeries,
  timesSec: readonly number[],
  valuesAt: (i: number) => readonly (number | null)[],
): number {
  let changed = 0;
  for (let i = 0; i < timesSec.length; i += 1) {
    const t = timesSec[i]!;
    const last = series.lastTime();
    if (last === null || t > last) series.push(t, valuesAt(i));
    else if (t === last) series.replaceLast(t, valuesAt(i));
    else continue;
    changed += 1;
  }
  return changed;
}
