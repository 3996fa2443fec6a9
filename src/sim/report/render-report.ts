import type { PolicyMetrics } from "../backtest/policy-metrics.ts";
import type { PolicyPath } from "../backtest/run-backtest.ts";
import type { OptimizeAssetResult } from "../optimize/optimize-asset.ts";
import type { ParetoPoint } from "../optimize/pareto-frontier.ts";
import type { StressResult } from "../stress/run-stress.ts";
import {
  type ChartSpec,
  PALETTE,
  rollingVolAnnual,
  strideOf,
  thinLine,
  thinMarkers,
} from "./report-charts.ts";
import { uplotAssets } from "./uplot-assets.ts";

/*
 * The analyst's report: ONE self-contained HTML file (uPlot and its stylesheet inlined, the data
 * embedded as JSON), so it opens from disk with no network. Per asset: price and realised
 * volatility; each policy's IM over time with its MM breaches marked (the loss that breached);
 * the policy scorecards; for an optimisation the Pareto frontier (an inline SVG scatter) and the
 * folds; for a stress test the price with and without liquidation impact and the cascade table;
 * and the "static vs dynamic" table that puts numbers on the claim.
 */

/** What one asset's section shows (a backtest or an optimisation result both fit). */
export interface AssetSection {
  readonly asset: string;
  readonly timestampsMs: Float64Array;
  readonly close: Float64Array;
  readonly barReturns: Float64Array;
  readonly worstLoss: Float64Array;
  readonly intervalMs: number;
  readonly paths: readonly PolicyPath[];
  readonly policies: readonly PolicyMetrics[];
  readonly heading: string;
}

export interface ReportInput {
  readonly title: string;
  readonly backtests?: readonly (
    | AssetSection
    | (Omit<AssetSection, "heading"> & { readonly fromMs: number; readonly toMs: number })
  )[];
  readonly optimizations?: readonly OptimizeAssetResult[];
  readonly stress?: readonly StressResult[];
  /** Generated-at text (the caller's clock; the renderer has none). */
  readonly generatedAt?: string;
}

const MAX_POINTS = 4000;

function esc(text: string): string {
  return text.replace(
    /[&<>"]/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] as string,
  );
}

const pct = (x: number, d = 2) => (Number.isFinite(x) ? `${(100 * x).toFixed(d)}%` : "–");
const fix = (x: number, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : "–");
const usd = (x: number) => (Number.isFinite(x) ? `$${Math.round(x).toLocaleString("en-US")}` : "–");

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const th = head.map((h) => `<th>${esc(h)}</th>`).join("");
  const tr = rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join("")}</tr>`).join("\n");
  return `<table><thead><tr>${th}</tr></thead><tbody>${tr}</tbody></table>`;
}

function policyTable(policies: readonly PolicyMetrics[]): string {
  return table(
    [
      "policy",
      "periods",
      "MM breaches",
      "breach rate",
      "IM breaches",
      "mean IM",
      "median IM",
      "leverage",
      "Kupiec p",
      "CC p",
      "max 1d rise",
      "max 5d rise",
      "peak/trough",
      "response (bars)",
      "worst shortfall",
    ],
    policies.map((p) => [
      p.name,
      String(p.periods),
      String(p.mmBreaches),
      pct(p.mmBreachRate),
      String(p.imBreaches),
      pct(p.meanRequirement),
      pct(p.medianRequirement),
      `${fix(p.leverage, 2)}x`,
      fix(p.kupiec.pValue),
      fix(p.christoffersen.pCC),
      pct(p.maxDailyRise, 1),
      pct(p.max5DayRise, 1),
      fix(p.peakToTrough, 2),
      p.responsePeriods === null ? "none" : String(p.responsePeriods),
      pct(p.worstShortfall),
    ]),
  );
}

function assetCharts(s: AssetSection, idBase: string): ChartSpec[] {
  const k = strideOf(s.close.length, MAX_POINTS);
  const x = thinLine(s.timestampsMs, k).map((t) => (t ?? 0) / 1000);
  const ppy = (365 * 86_400_000) / s.intervalMs;
  const vol = rollingVolAnnual(s.barReturns, 30, ppy);
  const charts: ChartSpec[] = [
    {
      id: `${idBase}-price`,
      title: `${s.asset}: close and 30-bar realised volatility (annualised)`,
      x,
      yLabel: "price",
      y2Label: "volatility",
      logY: true,
      series: [
        { label: "close", color: "#333", values: thinLine(s.close, k) },
        { label: "realised vol", color: "#ff7f0e", values: thinLine(vol, k), scale: "y2" },
      ],
    },
  ];
  const req: ChartSpec = {
    id: `${idBase}-req`,
    title: `${s.asset}: IM requirement per policy (lines) and the horizon loss at each MM breach (points)`,
    x,
    yLabel: "fraction of notional",
    series: [],
  };
  s.paths.forEach((p, j) => {
    const color = PALETTE[j % PALETTE.length] as string;
    req.series.push({ label: `${p.name} IM`, color, values: thinLine(p.initialFraction, k) });
    const breaches = new Float64Array(s.close.length).fill(Number.NaN);
    for (let i = 0; i < breaches.length; i++) {
      const loss = s.worstLoss[i] as number;
      if (Number.isFinite(loss) && loss > (p.maintenanceFraction[i] as number)) breaches[i] = loss;
    }
    req.series.push({ label: `${p.name} breach`, color, values: thinMarkers(breaches, k), points: true });
  });
  charts.push(req);
  return charts;
}

function paretoSvg(points: readonly ParetoPoint[], target: number): string {
  if (points.length === 0) return "<p>No frontier.</p>";
  const w = 640;
  const h = 360;
  const m = 50;
  const xs = points.map((p) => p.mmBreachRate);
  const ys = points.map((p) => p.meanRequirement);
  const x1 = Math.max(...xs, target * 1.5) * 1.05;
  const y0 = Math.min(...ys) * 0.95;
  const y1 = Math.max(...ys) * 1.05;
  const sx = (v: number) => m + ((w - 2 * m) * v) / x1;
  const sy = (v: number) => h - m - ((h - 2 * m) * (v - y0)) / (y1 - y0 || 1);
  const dots = points
    .map((p) => {
      const color = p.policy === "static" ? "#d62728" : "#1f77b4";
      const r = 3 + Math.min(6, 6 * p.maxDailyRise);
      return `<circle cx="${sx(p.mmBreachRate).toFixed(1)}" cy="${sy(p.meanRequirement).toFixed(1)}" r="${r.toFixed(1)}" fill="${color}" fill-opacity="${p.passes ? 0.9 : 0.3}"><title>${esc(`${p.policy} ${p.label}: mean IM ${pct(p.meanRequirement)}, breach rate ${pct(p.mmBreachRate)}, max 1d rise ${pct(p.maxDailyRise, 1)}${p.passes ? " (passes)" : ""}`)}</title></circle>`;
    })
    .join("");
  const tx = sx(target);
  return `<svg width="${w}" height="${h}" role="img" aria-label="Pareto frontier">
<rect x="0" y="0" width="${w}" height="${h}" fill="#fff"/>
<line x1="${m}" y1="${h - m}" x2="${w - m}" y2="${h - m}" stroke="#555"/><line x1="${m}" y1="${m}" x2="${m}" y2="${h - m}" stroke="#555"/>
<line x1="${tx}" y1="${m}" x2="${tx}" y2="${h - m}" stroke="#999" stroke-dasharray="4 3"/><text x="${tx + 4}" y="${m + 12}" font-size="11">target ${pct(target)}</text>
<text x="${w / 2}" y="${h - 12}" font-size="12" text-anchor="middle">MM breach rate (training window) — 0 to ${pct(x1)}</text>
<text x="14" y="${h / 2}" font-size="12" transform="rotate(-90 14 ${h / 2})" text-anchor="middle">mean IM ${pct(y0)} – ${pct(y1)}</text>
${dots}
<text x="${w - m}" y="${m - 20}" font-size="11" text-anchor="end">blue: dynamic candidates, red: static levels; size ∝ max daily rise; faint: fails a test</text>
</svg>`;
}

function staticVsDynamic(input: ReportInput): string {
  const rows: string[][] = [];
  const badDebt = (name: string) =>
    (input.stress ?? [])
      .map((s) => {
        const p = s.policies.find((q) => q.name === name);
        return p === undefined ? undefined : `${s.episode.name}: ${usd(p.badDebtUsd)}`;
      })
      .filter((x): x is string => x !== undefined)
      .join("; ") || "–";
  const sections: { asset: string; policies: readonly PolicyMetrics[]; label: string }[] = [
    ...(input.optimizations ?? []).map((o) => ({
      asset: o.asset,
      policies: o.policies,
      label: "out-of-sample",
    })),
    ...(input.backtests ?? []).map((b) => ({ asset: b.asset, policies: b.policies, label: "full history" })),
  ];
  for (const s of sections) {
    for (const p of s.policies) {
      rows.push([
        s.asset,
        s.label,
        p.name,
        p.responsePeriods === null ? "none" : String(p.responsePeriods),
        pct(p.meanRequirement),
        `${fix(p.leverage, 2)}x`,
        pct(p.mmBreachRate),
        fix(p.kupiec.pValue),
        pct(p.maxDailyRise, 1),
        badDebt(p.name),
      ]);
    }
  }
  if (rows.length === 0 && (input.stress ?? []).length > 0) {
    for (const s of input.stress ?? [])
      for (const p of s.policies)
        rows.push([
          s.source,
          s.episode.name,
          p.name,
          "–",
          pct(p.startInitialFraction),
          `${fix(p.meanEntryLeverage, 2)}x`,
          "–",
          "–",
          "–",
          usd(p.badDebtUsd),
        ]);
  }
  return table(
    [
      "asset",
      "sample",
      "policy",
      "response (bars)",
      "capital: mean IM",
      "leverage",
      "MM breach rate",
      "Kupiec p",
      "max 1d rise",
      "bad debt under stress",
    ],
    rows,
  );
}

function stressSection(s: StressResult, idBase: string): { html: string; chart: ChartSpec } {
  const k = strideOf(s.exoPriceUsd.length, MAX_POINTS);
  const chart: ChartSpec = {
    id: `${idBase}-cascade`,
    title: `${s.episode.name}: real price and the mark with liquidation impact, per policy`,
    x: thinLine(s.timestampsMs, k).map((t) => (t ?? 0) / 1000),
    yLabel: "USD",
    series: [
      { label: "real price", color: "#333", values: thinLine(s.exoPriceUsd, k) },
      ...s.markUsd.map((m, j) => ({
        label: `${m.name} mark`,
        color: PALETTE[j % PALETTE.length] as string,
        values: thinLine(m.markUsd, k),
      })),
    ],
  };
  const html = `<h3>Cascade: ${esc(s.episode.name)} (${esc(s.episode.from)} → ${esc(s.episode.to)})</h3>
<p>${s.accounts} accounts, seed ${s.seed}, source ${esc(s.source)}; depth ${usd(s.params.depth.bandNotionalUsd)} within ${pct(s.params.depth.bandFraction, 3)} × ${s.params.depthScale}; liquidator capacity ${usd(s.params.capacityUsdPerHour)}/h, latency ${s.params.latencySteps} step(s); insurance fund ${usd(s.params.insuranceFundUsd)}.</p>
<div id="${chart.id}" class="chart"></div>
${table(
  [
    "policy",
    "IM at start",
    "max MM",
    "mean leverage",
    "liquidations",
    "accounts liquidated",
    "wiped out",
    "bad debt",
    "uncovered",
    "fund drawdown",
    "crash (real)",
    "crash (with impact)",
    "amplification",
    "money conserved",
  ],
  s.policies.map((p) => [
    p.name,
    pct(p.startInitialFraction),
    pct(p.maxMaintenanceFraction),
    `${fix(p.meanEntryLeverage, 2)}x`,
    String(p.liquidations),
    String(p.accountsLiquidated),
    String(p.accountsWipedOut),
    usd(p.badDebtUsd),
    usd(p.uncoveredBadDebtUsd),
    usd(p.insuranceFundDrawdownUsd),
    pct(p.exoDrawdown),
    pct(p.markDrawdown),
    fix(p.amplification, 4),
    p.conservation.exact ? "exact" : "NO",
  ]),
)}`;
  return { html, chart };
}

const CLIENT = `
const specs = JSON.parse(document.getElementById("chart-data").textContent);
for (const s of specs) {
  const el = document.getElementById(s.id);
  if (!el) continue;
  const width = Math.max(600, Math.min(1200, (el.parentElement?.clientWidth || 1100) - 10));
  const series = [{}].concat(s.series.map((x) => ({
    label: x.label, stroke: x.color, scale: x.scale || "y", width: x.points ? 0 : 1.5,
    paths: x.points ? () => null : undefined,
    points: x.points ? { show: true, size: 6, fill: x.color, stroke: x.color } : { show: false },
    spanGaps: !x.points,
  })));
  const axes = [{}, { label: s.yLabel, scale: "y" }];
  if (s.y2Label) axes.push({ label: s.y2Label, scale: "y2", side: 1, grid: { show: false } });
  const scales = { x: { time: true }, y: s.logY ? { distr: 3 } : {} };
  new uPlot({ title: s.title, width, height: 320, series, axes, scales }, [s.x].concat(s.series.map((x) => x.values)), el);
}`;

/** Renders the report to one HTML string (charts inlined; no network needed to open it). */
export function renderReport(input: ReportInput): string {
  const charts: ChartSpec[] = [];
  const parts: string[] = [];
  const sections: AssetSection[] = [
    ...(input.optimizations ?? []).map((o) => ({
      ...o,
      intervalMs:
        o.timestampsMs.length > 1
          ? (o.timestampsMs[1] as number) - (o.timestampsMs[0] as number)
          : 86_400_000,
      heading: `${o.asset}: ${o.policy} optimised ${o.mode}, target ${pct(o.targetConfidence, 1)} (out-of-sample test windows)`,
    })),
    ...(input.backtests ?? []).map((b) => ({
      ...b,
      heading:
        "heading" in b
          ? b.heading
          : `${b.asset}: backtest ${new Date(b.fromMs).toISOString().slice(0, 10)} → ${new Date(b.toMs).toISOString().slice(0, 10)}`,
    })),
  ];
  parts.push(`<h2>Static vs dynamic</h2>
<p>Capital efficiency is the mean IM as a fraction of notional (and the leverage it allows); a breach is a horizon loss (worst of long and short) beyond MM; response is the median number of bars after a doubling of realised volatility until IM has covered 90% of its rise to its post-shift peak ("none": it did not rise by 10%); bad debt is from the cascade stress tests in this report, when any.</p>
${staticVsDynamic(input)}`);
  sections.forEach((s, i) => {
    const specs = assetCharts(s, `a${i}`);
    charts.push(...specs);
    parts.push(
      `<h2>${esc(s.heading)}</h2>${specs.map((c) => `<div id="${c.id}" class="chart"></div>`).join("\n")}${policyTable(s.policies)}`,
    );
    const opt = input.optimizations?.[i];
    if (opt !== undefined) {
      parts.push(
        `<h3>Pareto frontier (most recent training window)</h3>${paretoSvg(opt.pareto, 1 - opt.targetConfidence)}`,
      );
      parts.push(
        `<h3>Walk-forward folds</h3>${table(
          ["train", "test", "chosen", "static MM"],
          opt.folds.map((f) => [
            `${f.trainFrom.slice(0, 10)} → ${f.trainTo.slice(0, 10)}`,
            `${f.testFrom.slice(0, 10)} → ${f.testTo.slice(0, 10)}`,
            f.chosen === null
              ? "–"
              : `λ=${f.chosen.lambda} H=${f.chosen.horizonHours}h floor=${f.chosen.floorFraction} ${f.chosen.apc}${f.chosen.passedOnTrain ? "" : " (fails on train)"}`,
            pct(f.staticMaintenanceFraction),
          ]),
        )}<h3>Chosen risk parameters</h3><pre>${esc(JSON.stringify(opt.riskParams.markets, null, 2))}</pre>`,
      );
    }
  });
  (input.stress ?? []).forEach((s, i) => {
    const { html, chart } = stressSection(s, `s${i}`);
    charts.push(chart);
    parts.push(html);
  });
  const { js, css } = uplotAssets();
  const data = JSON.stringify(charts).replace(/</g, "\\u003c");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(input.title)}</title>
<style>${css}
body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1250px}
table{border-collapse:collapse;margin:8px 0 20px;font-size:13px}
th,td{border:1px solid #ccc;padding:3px 7px;text-align:right}
th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}
.chart{margin:10px 0}pre{background:#f7f7f7;padding:8px;font-size:12px;max-height:300px;overflow:auto}
</style></head><body>
<h1>${esc(input.title)}</h1>
<p>Marginal margin-policy report${input.generatedAt === undefined ? "" : `, generated ${esc(input.generatedAt)}`}. Requirements are fractions of notional.</p>
${parts.join("\n")}
<script>${js.replace(/<\/script/gi, "<\\/script")}</script>
<script type="application/json" id="chart-data">${data}</script>
<script>${CLIENT}</script>
</body></html>
`;
}
