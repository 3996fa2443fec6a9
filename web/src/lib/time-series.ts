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
  size(): number;
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
  return {
    capacity,
    lines,
    push(timeSec, values) {
      const at = (start + count) % capacity;
      times[at] = timeSec;
      for (let j = 0; j < columns.length; j += 1) {
        const v = values[j];
        columns[j]![at] = v === null || v === undefined || !Number.isFinite(v) ? Number.NaN : v;
      }
      if (count < capacity) count += 1;
      else start = (start + 1) % capacity;
    },
    size: () => count,
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
