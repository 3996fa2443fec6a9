import { assertInvariant } from "../core/errors.ts";

/*
 * A bounded time series in columns: one Float64Array per column, written in a ring so that a
 * full series overwrites its oldest point and never allocates after creation. NaN stands for
 * "no value" (a mark before the first report).
 */

export interface RingSeries<C extends string> {
  readonly capacity: number;
  /** Points held (≤ capacity). */
  size(): number;
  /** Appends one point; `values` has one number per column (NaN: no value). */
  push(values: Readonly<Record<C, number>>): void;
  /** Overwrites the newest point (appends when empty). */
  replaceLast(values: Readonly<Record<C, number>>): void;
  /** The last value of `column`, or undefined when empty. */
  last(column: C): number | undefined;
  /** The points, oldest first, as plain arrays per column (NaN → null, for JSON). */
  columns(): Record<C, (number | null)[]>;
}

/** Largest capacity of one series, points (8 columns × 8 bytes × 100 000 = 6.4 MB at most). */
export const RING_SERIES_CAPACITY_MAX = 100_000;

/** Creates an empty series of `capacity` points over `columnNames`. */
export function createRingSeries<C extends string>(
  columnNames: readonly C[],
  capacity: number,
): RingSeries<C> {
  assertInvariant(
    Number.isInteger(capacity) && capacity >= 1 && capacity <= RING_SERIES_CAPACITY_MAX,
    `ring series capacity ${capacity} out of 1..${RING_SERIES_CAPACITY_MAX}`,
  );
  const data = new Map<C, Float64Array>(columnNames.map((c) => [c, new Float64Array(capacity)]));
  let start = 0;
  let size = 0;
  return {
    capacity,
    size: () => size,
    push(values) {
      const at = (start + size) % capacity;
      for (const [c, col] of data) col[at] = values[c];
      if (size < capacity) size += 1;
      else start = (start + 1) % capacity;
    },
    replaceLast(values) {
      if (size === 0) {
        this.push(values);
        return;
      }
      const at = (start + size - 1) % capacity;
      for (const [c, col] of data) col[at] = values[c];
    },
    last(column) {
      if (size === 0) return undefined;
      return data.get(column)![(start + size - 1) % capacity];
    },
    columns() {
      const out = {} as Record<C, (number | null)[]>;
      for (const [c, col] of data) {
        const values = new Array<number | null>(size);
        for (let i = 0; i < size; i += 1) {
          const v = col[(start + i) % capacity]!;
          values[i] = Number.isNaN(v) ? null : v;
        }
        out[c] = values;
      }
      return out;
    },
  };
}
