import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { formatTimeUtc } from "../lib/format.ts";
import type { TimeSeries } from "../lib/time-series.ts";

/*
 * A live time-series chart (uPlot). It redraws when `version` changes; the store already limits
 * that to ≤ 2 per second, and uPlot's setData reuses the canvas, so a chart costs one draw per
 * change whatever the tick rate. Width follows the container (narrow screens included).
 */

/** Narrowest time window shown, seconds. */
const MIN_WINDOW_SEC = 60;

export interface TimeChartProps {
  readonly series: TimeSeries;
  readonly version: number;
  readonly labels: readonly string[];
  readonly colors: readonly string[];
  readonly formatValue: (v: number) => string;
  /** Tick labels of the value axis (default formatValue); shorter than the legend's values. */
  readonly formatAxis?: (v: number) => string;
  readonly height?: number;
  readonly testId?: string;
}

export function TimeChart({
  series,
  version,
  labels,
  colors,
  formatValue,
  formatAxis,
  height = 180,
  testId,
}: TimeChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  useEffect(() => {
    const el = box.current;
    if (el === null) return;
    const options: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height,
      legend: { show: true, live: false },
      cursor: { drag: { x: false, y: false } },
      scales: {
        // A fresh page has seconds of history: show at least a minute, so the time axis does not
        // zoom into milliseconds (or out to years around a single point).
        x: {
          time: true,
          range: (_u, min, max) => (max - min < MIN_WINDOW_SEC ? [max - MIN_WINDOW_SEC, max] : [min, max]),
        },
      },
      axes: [
        // One line of UTC clock time per tick (uPlot's default stacks a date line that collides
        // with its neighbours on a phone), spaced so that labels never touch.
        {
          stroke: "#5b6473",
          grid: { stroke: "#eef0f3" },
          space: 80,
          values: (_u, vals) => vals.map((v) => formatTimeUtc(v * 1000)),
        },
        {
          stroke: "#5b6473",
          grid: { stroke: "#eef0f3" },
          size: 76,
          values: (_u, vals) => vals.map((v) => (formatAxis ?? formatValue)(v)),
        },
      ],
      series: [
        {},
        ...labels.map((label, i) => ({
          label,
          stroke: colors[i] ?? "#333",
          width: 1.5,
          spanGaps: false,
          value: (_u: uPlot, v: number | null) => (v === null ? "—" : formatValue(v)),
        })),
      ],
    };
    const u = new uPlot(options, series.aligned() as uPlot.AlignedData, el);
    plot.current = u;
    const observer = new ResizeObserver(() => u.setSize({ width: Math.max(200, el.clientWidth), height }));
    observer.observe(el);
    return () => {
      observer.disconnect();
      u.destroy();
      plot.current = null;
    };
    // The chart is rebuilt only when its shape changes; data flows through setData below.
  }, [series, labels, colors, height, formatValue, formatAxis]);

  useEffect(() => {
    if (version >= 0) plot.current?.setData(series.aligned() as uPlot.AlignedData);
  }, [series, version]);

  return <div className="chart" ref={box} data-testid={testId} data-points={series.size()} />;
}
