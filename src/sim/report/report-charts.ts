/*
 * Chart specifications for the report, as plain data the page's script hands to uPlot: an x
 * axis in epoch seconds and named series (lines, or points only for breach markers). Long
 * series are thinned to at most `maxPoints` by taking every k-th bar; a marker series keeps,
 * within each block of k bars, its largest value so no breach disappears.
 */

export interface SeriesSpec {
  readonly label: string;
  readonly color: string;
  readonly values: (number | null)[];
  /** Draw points only (markers), no line. */
  readonly points?: boolean;
  /** "y" (left axis) or "y2" (right axis). */
  readonly scale?: "y" | "y2";
}

export interface ChartSpec {
  readonly id: string;
  readonly title: string;
  readonly x: number[];
  readonly series: SeriesSpec[];
  readonly yLabel: string;
  readonly y2Label?: string;
  readonly logY?: boolean;
}

export const PALETTE = [
  "#1f77b4",
  "#d62728",
  "#2ca02c",
  "#9467bd",
  "#ff7f0e",
  "#8c564b",
  "#e377c2",
  "#17becf",
];

/** Every k-th index so that at most `maxPoints` remain (k ≥ 1). */
export function strideOf(length: number, maxPoints: number): number {
  return Math.max(1, Math.ceil(length / maxPoints));
}

/** Thins a line series: the value at every k-th bar (NaN → null). */
export function thinLine(values: Float64Array, k: number): (number | null)[] {
  const out: (number | null)[] = [];
  for (let i = 0; i < values.length; i += k) {
    const v = values[i] as number;
    out.push(Number.isFinite(v) ? v : null);
  }
  return out;
}

/** Thins a marker series: the largest finite value within each block of k bars, else null. */
export function thinMarkers(values: Float64Array, k: number): (number | null)[] {
  const out: (number | null)[] = [];
  for (let i = 0; i < values.length; i += k) {
    let best: number | null = null;
    for (let j = i; j < Math.min(values.length, i + k); j++) {
      const v = values[j] as number;
      if (Number.isFinite(v) && (best === null || v > best)) best = v;
    }
    out.push(best);
  }
  return out;
}

/** Rolling realised volatility, annualised: √(mean r² over `window` bars · periodsPerYear). */
export function rollingVolAnnual(
  barReturns: Float64Array,
  window: number,
  periodsPerYear: number,
): Float64Array {
  const out = new Float64Array(barReturns.length).fill(Number.NaN);
  for (let i = window; i < barReturns.length; i++) {
    let s = 0;
    let c = 0;
    for (let j = i - window + 1; j <= i; j++) {
      const r = barReturns[j] as number;
      if (Number.isFinite(r)) {
        s += r * r;
        c++;
      }
    }
    if (c >= window / 2) out[i] = Math.sqrt((s / c) * periodsPerYear);
  }
  return out;
}
