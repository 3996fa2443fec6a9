import { readFileSync, writeFileSync } from "node:fs";
import type { Command } from "commander";
import { invalidInput } from "../../core/errors.ts";
import { parseRiskParams, type RiskParams } from "../../core/margin/risk-params.ts";
import { backtestJson } from "../../sim/backtest/backtest-json.ts";
import { loadAssets } from "../../sim/backtest/load-assets.ts";
import { parseDurationMs } from "../../sim/backtest/parse-duration.ts";
import type { PolicyMetrics } from "../../sim/backtest/policy-metrics.ts";
import { resolvePolicies } from "../../sim/backtest/resolve-policies.ts";
import { type AssetBacktest, backtestSeries } from "../../sim/backtest/run-backtest.ts";
import { createProgress } from "../../sim/report/progress-bar.ts";
import { renderReport } from "../../sim/report/render-report.ts";
import { action, formatNumber, printJson, printTable } from "../output.ts";

interface BacktestCliOptions {
  input: string;
  params: string;
  policies: string;
  horizon: string;
  confidence?: string;
  lookback: string;
  warmup?: string;
  from?: string;
  to?: string;
  json?: string | boolean;
  report?: string;
}

/** Reads and validates a risk-parameter document from a JSON file. */
export function readRiskParamsFile(path: string): RiskParams {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw invalidInput(
      "params",
      `cannot read JSON from ${path}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return parseRiskParams(raw);
}

/** Parses an ISO date/time option into epoch ms. */
export function parseDateMs(text: string | undefined, field: string): number | undefined {
  if (text === undefined) return undefined;
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  if (!Number.isFinite(ms)) throw invalidInput(field, `'${text}' is not an ISO date`);
  return ms;
}

function numberOption(text: string | undefined, field: string, lo: number, hi: number): number | undefined {
  if (text === undefined) return undefined;
  const x = Number(text);
  if (!(Number.isFinite(x) && x >= lo && x <= hi))
    throw invalidInput(field, `must be a number in [${lo}, ${hi}]`);
  return x;
}

const pct = (x: number) => `${formatNumber(100 * x, 4)}%`;

/** Prints the readable table of one asset's policies. */
export function printPolicyTable(title: string, policies: readonly PolicyMetrics[]): void {
  process.stdout.write(`${title}\n`);
  printTable(
    [
      "policy",
      "periods",
      "MM breaches",
      "rate",
      "IM breaches",
      "mean IM",
      "median IM",
      "leverage",
      "Kupiec p",
      "CC p",
      "max 1d rise",
      "max 5d rise",
      "peak/trough",
      "response",
      "worst shortfall",
    ],
    policies.map((p) => [
      p.name,
      p.periods,
      p.mmBreaches,
      pct(p.mmBreachRate),
      p.imBreaches,
      pct(p.meanRequirement),
      pct(p.medianRequirement),
      `${formatNumber(p.leverage, 3)}x`,
      formatNumber(p.kupiec.pValue, 3),
      formatNumber(p.christoffersen.pCC, 3),
      pct(p.maxDailyRise),
      pct(p.max5DayRise),
      formatNumber(p.peakToTrough, 3),
      p.responsePeriods === null ? "none" : p.responsePeriods,
      pct(p.worstShortfall),
    ]),
  );
}

/** Registers `marginal backtest`. */
export function registerBacktestCommand(program: Command): void {
  program
    .command("backtest")
    .description("Backtest margin policies of a risk-parameter document on price history")
    .requiredOption("--input <files>", "price CSV file(s), comma-separated")
    .requiredOption(
      "--params <file>",
      "risk-parameter document (JSON), e.g. examples/sim/backtest-risk-params.json",
    )
    .option(
      "--policies <names>",
      "market ids of the document, or the aliases static, vol, vol-apc",
      "static,vol,vol-apc",
    )
    .option(
      "--horizon <duration>",
      "liquidation horizon the market move is measured over (1d, 24h, 4h)",
      "1d",
    )
    .option(
      "--confidence <p>",
      "coverage target for every policy (default: a vol policy's own confidence, else 0.99)",
    )
    .option("--lookback <periods>", "trailing returns a volatility model sees", "1000")
    .option("--warmup <periods>", "returns needed before the first requirement")
    .option("--from <date>", "score bars from this ISO date (earlier bars are warm-up)")
    .option("--to <date>", "score bars up to this ISO date")
    .option("--json [file]", "machine-readable output: on stdout, or into the file")
    .option("--report <file>", "write a self-contained HTML report")
    .action(
      action(async (opts: BacktestCliOptions) => {
        const horizonMs = parseDurationMs(opts.horizon);
        const doc = readRiskParamsFile(opts.params);
        const names = opts.policies
          .split(",")
          .map((s) => s.trim())
          .filter((s) => s !== "");
        const confidence = numberOption(opts.confidence, "confidence", 0.5, 0.999999);
        const lookback = numberOption(opts.lookback, "lookback", 2, 100_000) ?? 1000;
        const warmup = numberOption(opts.warmup, "warmup", 0, 100_000);
        const fromMs = parseDateMs(opts.from, "from");
        const toMs = parseDateMs(opts.to, "to");
        const assets = await loadAssets(opts.input);
        const jsonToStdout = opts.json === true;
        const progress = createProgress(!jsonToStdout);
        const results: AssetBacktest[] = [];
        try {
          for (const a of assets) {
            const policies = resolvePolicies(doc, names, a.underlyingHint);
            results.push(
              backtestSeries(a.series, a.asset, policies, {
                horizonMs,
                lookbackPeriods: Math.round(lookback),
                ...(warmup === undefined ? {} : { warmupPeriods: Math.round(warmup) }),
                ...(confidence === undefined ? {} : { confidence }),
                ...(fromMs === undefined ? {} : { fromMs }),
                ...(toMs === undefined ? {} : { toMs }),
                onProgress: (label, d, t) => progress.update(`${a.asset} ${label}`, d, t),
              }),
            );
          }
        } finally {
          progress.stop();
        }
        const json = backtestJson(opts.horizon, horizonMs, results);
        if (opts.report !== undefined)
          writeFileSync(
            opts.report,
            renderReport({
              title: "Margin policy backtest",
              backtests: results,
              generatedAt: new Date().toISOString(),
            }),
          );
        if (typeof opts.json === "string") writeFileSync(opts.json, `${JSON.stringify(json, null, 2)}\n`);
        if (jsonToStdout) {
          printJson(json);
          return;
        }
        for (const r of json.assets) {
          printPolicyTable(
            `${r.asset}: ${r.from.slice(0, 10)} → ${r.to.slice(0, 10)}, horizon ${opts.horizon} (${r.horizonPeriods} bar(s))`,
            r.policies,
          );
          for (const note of r.notes) process.stdout.write(`note: ${note}\n`);
        }
        if (typeof opts.json === "string") process.stdout.write(`JSON written to ${opts.json}\n`);
        if (opts.report !== undefined) process.stdout.write(`report written to ${opts.report}\n`);
      }),
    );
}
