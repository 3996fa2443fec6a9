import { existsSync, writeFileSync } from "node:fs";
import type { Command } from "commander";
import { invalidInput } from "../../core/errors.ts";
import { loadAssets } from "../../sim/backtest/load-assets.ts";
import { resolvePolicies } from "../../sim/backtest/resolve-policies.ts";
import { renderReport } from "../../sim/report/render-report.ts";
import { calibrateDepth, DEFAULT_DEPTH } from "../../sim/stress/calibrate-depth.ts";
import { type Episode, resolveEpisode } from "../../sim/stress/episodes.ts";
import { runStress, type StressResult } from "../../sim/stress/run-stress.ts";
import { projectPath } from "../../store/project-files.ts";
import { action, formatNumber, printJson, printTable } from "../output.ts";
import { readRiskParamsFile } from "./backtest.ts";

/** The example risk-parameter document the simulation commands use when `--params` is not given. */
export const DEFAULT_SIM_PARAMS = projectPath("examples", "sim", "backtest-risk-params.json");
export const DEFAULT_ORDERBOOK = projectPath(
  "..",
  "shared",
  "data",
  "orderbook",
  "BTCUSDT_top100_summary_20260615.csv",
);

interface StressCliOptions {
  input: string;
  population: string;
  seed: string;
  policies: string;
  params: string;
  episode?: string;
  depthScale: string;
  latencySteps: string;
  capacity: string;
  fund: string;
  orderbook?: string;
  json?: string | boolean;
  report?: string;
}

function num(text: string, field: string, lo: number, hi: number): number {
  const x = Number(text);
  if (!(Number.isFinite(x) && x >= lo && x <= hi))
    throw invalidInput(field, `must be a number in [${lo}, ${hi}]`);
  return x;
}

/** The JSON form of a stress result (paths left out). */
export function stressJson(r: StressResult) {
  const { timestampsMs: _t, exoPriceUsd: _p, markUsd: _m, ...rest } = r;
  return rest;
}

/** Registers `marginal stress`. */
export function registerStressCommand(program: Command): void {
  program
    .command("stress")
    .description("Liquidation-cascade stress test of margin policies on a real crash episode")
    .requiredOption("--input <file>", "price CSV (hourly OHLC recommended: ../shared/data/hourly/…)")
    .option("--population <n>", "number of leveraged accounts", "1000")
    .option("--seed <s>", "seed of the population", "1")
    .option("--policies <names>", "market ids of the document, or static, vol, vol-apc", "static,vol,vol-apc")
    .option("--params <file>", "risk-parameter document", DEFAULT_SIM_PARAMS)
    .option(
      "--episode <name>",
      "2020-03-12 | 2021-05-19 | 2022-05-luna | 2022-06-3ac | 2022-11-ftx | 2023-03-usdc | FROM..TO (default: the whole input)",
    )
    .option("--depth-scale <x>", "multiplies the calibrated order-book depth", "1")
    .option("--latency-steps <n>", "liquidator latency in sub-steps (15 min each on hourly OHLC)", "1")
    .option(
      "--capacity <fraction>",
      "liquidator capacity per hour, fraction of the population's notional",
      "0.1",
    )
    .option(
      "--fund <fraction>",
      "insurance fund at the start, fraction of the population's notional",
      "0.005",
    )
    .option(
      "--orderbook <file>",
      "order-book summary CSV to calibrate depth (default ../shared/data/orderbook/…)",
    )
    .option("--json [file]", "machine-readable output: on stdout, or into the file")
    .option("--report <file>", "write a self-contained HTML report")
    .action(
      action(async (opts: StressCliOptions) => {
        const accounts = num(opts.population, "population", 1, 1_000_000);
        const seed = num(opts.seed, "seed", -(2 ** 31), 2 ** 31 - 1);
        const doc = readRiskParamsFile(opts.params);
        const [asset] = await loadAssets(opts.input);
        if (asset === undefined) throw invalidInput("input", "name one price CSV");
        const episode: Episode =
          opts.episode === undefined
            ? {
                name: "whole input",
                fromMs: asset.series.timestampsMs[0] as number,
                toMs: asset.series.timestampsMs[asset.series.close.length - 1] as number,
              }
            : resolveEpisode(opts.episode);
        const book = opts.orderbook ?? DEFAULT_ORDERBOOK;
        const depth = existsSync(book) ? await calibrateDepth(book) : DEFAULT_DEPTH;
        const names = opts.policies
          .split(",")
          .map((s) => s.trim())
          .filter((s) => s !== "");
        const result = runStress(asset.series, resolvePolicies(doc, names, asset.underlyingHint), {
          episode,
          accounts: Math.round(accounts),
          seed: Math.round(seed),
          depth,
          depthScale: num(opts.depthScale, "depth-scale", 1e-6, 1e6),
          latencySteps: Math.round(num(opts.latencySteps, "latency-steps", 0, 10_000)),
          capacityFractionPerHour: num(opts.capacity, "capacity", 1e-9, 1e3),
          fundFraction: num(opts.fund, "fund", 0, 1),
        });
        const json = {
          input: opts.input,
          depthSource: existsSync(book) ? book : "defaults",
          ...stressJson(result),
        };
        if (opts.report !== undefined)
          writeFileSync(
            opts.report,
            renderReport({
              title: `Liquidation cascade: ${result.episode.name}`,
              stress: [result],
              generatedAt: new Date().toISOString(),
            }),
          );
        if (typeof opts.json === "string") writeFileSync(opts.json, `${JSON.stringify(json, null, 2)}\n`);
        if (opts.json === true) {
          printJson(json);
          return;
        }
        process.stdout.write(
          `${asset.asset} ${result.episode.name}: ${result.episode.from} → ${result.episode.to}, ${result.accounts} accounts, seed ${result.seed}\n`,
        );
        const usd = (x: number) => formatNumber(x, 6);
        printTable(
          [
            "policy",
            "IM at start",
            "max MM",
            "mean leverage",
            "liquidations",
            "accounts liquidated",
            "wiped out",
            "bad debt USD",
            "uncovered USD",
            "fund drawdown USD",
            "crash (exo)",
            "crash (with impact)",
            "amplification",
          ],
          result.policies.map((p) => [
            p.name,
            `${formatNumber(100 * p.startInitialFraction, 4)}%`,
            `${formatNumber(100 * p.maxMaintenanceFraction, 4)}%`,
            `${formatNumber(p.meanEntryLeverage, 3)}x`,
            p.liquidations,
            p.accountsLiquidated,
            p.accountsWipedOut,
            usd(p.badDebtUsd),
            usd(p.uncoveredBadDebtUsd),
            usd(p.insuranceFundDrawdownUsd),
            `${formatNumber(100 * p.exoDrawdown, 4)}%`,
            `${formatNumber(100 * p.markDrawdown, 4)}%`,
            formatNumber(p.amplification, 4),
          ]),
        );
        if (typeof opts.json === "string") process.stdout.write(`JSON written to ${opts.json}\n`);
        if (opts.report !== undefined) process.stdout.write(`report written to ${opts.report}\n`);
      }),
    );
}
