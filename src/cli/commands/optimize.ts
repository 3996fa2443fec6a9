import { existsSync, writeFileSync } from "node:fs";
import type { Command } from "commander";
import { invalidInput } from "../../core/errors.ts";
import type { RiskParams, TailDistribution } from "../../core/margin/risk-params.ts";
import { loadAssets } from "../../sim/backtest/load-assets.ts";
import { parseDurationMs } from "../../sim/backtest/parse-duration.ts";
import { resolvePolicies } from "../../sim/backtest/resolve-policies.ts";
import type { PolicyBase } from "../../sim/optimize/candidate.ts";
import { type OptimizeAssetResult, optimizeAsset } from "../../sim/optimize/optimize-asset.ts";
import { createProgress } from "../../sim/report/progress-bar.ts";
import { renderReport } from "../../sim/report/render-report.ts";
import { calibrateDepth, DEFAULT_DEPTH } from "../../sim/stress/calibrate-depth.ts";
import { EPISODES, resolveEpisode } from "../../sim/stress/episodes.ts";
import { runStress, type StressResult } from "../../sim/stress/run-stress.ts";
import { action, formatNumber, printJson, printTable } from "../output.ts";
import { parseDateMs, printPolicyTable, readRiskParamsFile } from "./backtest.ts";
import { DEFAULT_ORDERBOOK, stressJson } from "./stress.ts";

interface OptimizeCliOptions {
  input: string;
  policy: string;
  targetConfidence: string;
  maxDailyRise?: string;
  horizon: string;
  params?: string;
  train?: string;
  test?: string;
  trainDays: string;
  testDays: string;
  out?: string;
  stressInput?: string;
  episodes?: string;
  population: string;
  seed: string;
  json?: string | boolean;
  report?: string;
}

/** Defaults of what the optimizer holds fixed: ES at the target, Student-t ν=4, MM = 75% of IM, cap 50%. */
export function defaultPolicyBase(confidence: number): PolicyBase {
  return {
    confidence,
    measure: "es",
    distribution: { type: "student-t", dof: 4 },
    maintenanceShare: 0.75,
    capFraction: 0.5,
    staticMaintenanceRatio: 0.75,
  };
}

/** The fixed part taken from a base document: its first volatility-scaled and static markets. */
export function policyBaseFrom(doc: RiskParams | undefined, confidence: number): PolicyBase {
  const base = defaultPolicyBase(confidence);
  if (doc === undefined) return base;
  const markets = Object.values(doc.markets);
  const vol = markets.find((m) => m.policy.type === "volatility-scaled")?.policy;
  const st = markets.find((m) => m.policy.type === "static")?.policy;
  let distribution: TailDistribution = base.distribution;
  let out: PolicyBase = base;
  if (vol?.type === "volatility-scaled") {
    distribution = vol.distribution;
    out = {
      ...out,
      measure: vol.measure,
      distribution,
      maintenanceShare: vol.maintenanceShare,
      capFraction: vol.capFraction,
    };
  }
  if (st?.type === "static")
    out = { ...out, staticMaintenanceRatio: st.maintenanceFraction / st.initialFraction };
  return out;
}

/** Parses `FROM..TO` (ISO dates) into epoch ms, TO inclusive to the end of its day. */
export function parseRange(text: string, field: string): [number, number] {
  const parts = text.split("..");
  if (parts.length !== 2) throw invalidInput(field, `'${text}' is not FROM..TO`);
  const from = parseDateMs(parts[0], field) as number;
  const toText = parts[1] as string;
  const to = (parseDateMs(toText, field) as number) + (/^\d{4}-\d{2}-\d{2}$/.test(toText) ? 86_399_999 : 0);
  if (!(to > from)) throw invalidInput(field, "TO must be after FROM");
  return [from, to];
}

function toJson(r: OptimizeAssetResult) {
  const { timestampsMs: _t, close: _c, worstLoss: _w, barReturns: _b, paths: _p, ...rest } = r;
  return rest;
}

/** Registers `marginal optimize`. */
export function registerOptimizeCommand(program: Command): void {
  program
    .command("optimize")
    .description(
      "Optimize a margin policy's parameters walk-forward (lowest requirement that passes coverage)",
    )
    .requiredOption("--input <files>", "price CSV file(s), comma-separated")
    .option("--policy <name>", "vol-apc, vol or static", "vol-apc")
    .option("--target-confidence <p>", "coverage target of the MM (Kupiec and Christoffersen at 5%)", "0.99")
    .option("--max-daily-rise <x>", "procyclicality limit: largest 1-day relative rise of IM (0.5 = +50%)")
    .option("--horizon <duration>", "liquidation horizon the market move is measured over", "1d")
    .option("--params <file>", "base risk-parameter document (measure, distribution, MM share, cap)")
    .option("--train <range>", "explicit training window FROM..TO (ISO dates)")
    .option("--test <range>", "explicit test window FROM..TO (ISO dates)")
    .option("--train-days <n>", "walk-forward training window, days", "1095")
    .option("--test-days <n>", "walk-forward test window (and step), days", "365")
    .option("--out <file>", "write the chosen risk-parameter document here")
    .option(
      "--stress-input <file>",
      "also run the cascade stress test of the chosen static and dynamic policies on these (hourly) price CSVs, comma-separated",
    )
    .option(
      "--episodes <names>",
      "episodes for --stress-input, comma-separated (default: every known episode the file covers)",
    )
    .option("--population <n>", "accounts in the stress population", "1000")
    .option("--seed <s>", "seed of the stress population", "1")
    .option("--json [file]", "machine-readable output: on stdout, or into the file")
    .option("--report <file>", "write a self-contained HTML report")
    .action(
      action(async (opts: OptimizeCliOptions) => {
        if (!["vol", "vol-apc", "static"].includes(opts.policy))
          throw invalidInput("policy", "must be vol-apc, vol or static");
        const policy = opts.policy as "vol" | "vol-apc" | "static";
        const confidence = Number(opts.targetConfidence);
        if (!(confidence >= 0.9 && confidence < 1))
          throw invalidInput("target-confidence", "must be in [0.9, 1)");
        const maxDailyRise = opts.maxDailyRise === undefined ? undefined : Number(opts.maxDailyRise);
        if (maxDailyRise !== undefined && !(maxDailyRise > 0))
          throw invalidInput("max-daily-rise", "must be > 0");
        if ((opts.train === undefined) !== (opts.test === undefined))
          throw invalidInput("train", "--train and --test go together");
        const trainDays = Number(opts.trainDays);
        const testDays = Number(opts.testDays);
        if (!(trainDays >= 30 && testDays >= 1))
          throw invalidInput("train-days", "need ≥ 30 training days and ≥ 1 test day");
        let split:
          | { trainFromMs: number; trainToMs: number; testFromMs: number; testToMs: number }
          | undefined;
        if (opts.train !== undefined && opts.test !== undefined) {
          const [trainFromMs, trainToMs] = parseRange(opts.train, "train");
          const [testFromMs, testToMs] = parseRange(opts.test, "test");
          if (testFromMs <= trainToMs)
            throw invalidInput("test", "must start after the training window ends");
          split = { trainFromMs, trainToMs, testFromMs, testToMs };
        }
        const horizonMs = parseDurationMs(opts.horizon);
        const base = policyBaseFrom(
          opts.params === undefined ? undefined : readRiskParamsFile(opts.params),
          confidence,
        );
        const assets = await loadAssets(opts.input);
        const jsonToStdout = opts.json === true;
        const progress = createProgress(!jsonToStdout);
        const results: OptimizeAssetResult[] = [];
        try {
          for (const a of assets) {
            results.push(
              optimizeAsset(a.series, a.asset, a.underlyingHint, {
                policy,
                targetConfidence: confidence,
                horizonMs,
                base,
                trainDays,
                testDays,
                ...(maxDailyRise === undefined ? {} : { maxDailyRise }),
                ...(split === undefined ? {} : { split }),
                onProgress: (label, d, t) => progress.update(label, d, t),
              }),
            );
          }
        } finally {
          progress.stop();
        }
        const stress: StressResult[] = [];
        if (opts.stressInput !== undefined) {
          const only = results.length === 1 ? results[0] : undefined;
          if (only === undefined)
            throw invalidInput("stress-input", "needs a single --input (the chosen policies are per asset)");
          const depth = existsSync(DEFAULT_ORDERBOOK)
            ? await calibrateDepth(DEFAULT_ORDERBOOK)
            : DEFAULT_DEPTH;
          const policies = resolvePolicies(
            only.riskParams,
            policy === "static" ? ["static"] : [policy, "static"],
          );
          for (const hourly of await loadAssets(opts.stressInput, "stress-input")) {
            const first = hourly.series.timestampsMs[0] as number;
            const last = hourly.series.timestampsMs[hourly.series.close.length - 1] as number;
            // Named episodes inside this file, with 45 days of history before them for warm-up.
            const covered = (e: string) => {
              const ep = resolveEpisode(e);
              return ep.fromMs - 45 * 86_400_000 >= first && ep.toMs <= last;
            };
            const names =
              opts.episodes
                ?.split(",")
                .map((e) => e.trim())
                .filter((e) => e !== "" && covered(e)) ?? Object.keys(EPISODES).filter(covered);
            for (const e of names) {
              stress.push(
                runStress(hourly.series, policies, {
                  episode: resolveEpisode(e),
                  accounts: Math.round(Number(opts.population)),
                  seed: Math.round(Number(opts.seed)),
                  depth,
                }),
              );
            }
          }
        }
        const assetsJson = results.map(toJson);
        const json = {
          policy,
          targetConfidence: confidence,
          maxDailyRise: maxDailyRise ?? null,
          horizon: opts.horizon,
          mode: split === undefined ? "walk-forward" : "split",
          requirementBasis:
            "meanRequirement is IM (fraction of notional); breach tests on MM; policies are out-of-sample (test windows)",
          ...(assetsJson.length === 1 ? assetsJson[0] : {}),
          assets: assetsJson,
          ...(stress.length > 0 ? { stress: stress.map(stressJson) } : {}),
        };
        if (opts.out !== undefined) {
          const doc = results.length === 1 ? results[0]?.riskParams : undefined;
          if (doc === undefined)
            throw invalidInput("out", "--out needs a single input (one document per asset)");
          writeFileSync(opts.out, `${JSON.stringify(doc, null, 2)}\n`);
        }
        if (opts.report !== undefined)
          writeFileSync(
            opts.report,
            renderReport({
              title: "Margin policy optimisation",
              optimizations: results,
              stress,
              generatedAt: new Date().toISOString(),
            }),
          );
        if (typeof opts.json === "string") writeFileSync(opts.json, `${JSON.stringify(json, null, 2)}\n`);
        if (jsonToStdout) {
          printJson(json);
          return;
        }
        for (const r of results) {
          const c = r.chosen;
          process.stdout.write(
            `${r.asset}: ${r.mode}, ${r.folds.length} fold(s), ${r.candidates} candidates per fold\n`,
          );
          printTable(
            ["fold", "train", "test", "chosen", "static MM"],
            r.folds.map((f, i) => [
              i + 1,
              `${f.trainFrom.slice(0, 10)} → ${f.trainTo.slice(0, 10)}`,
              `${f.testFrom.slice(0, 10)} → ${f.testTo.slice(0, 10)}`,
              f.chosen === null
                ? ""
                : `λ=${f.chosen.lambda} H=${f.chosen.horizonHours}h floor=${f.chosen.floorFraction} ${f.chosen.apc}${f.chosen.passedOnTrain ? "" : " (fails on train)"}`,
              formatNumber(f.staticMaintenanceFraction, 4),
            ]),
          );
          printPolicyTable("out-of-sample (test windows):", r.policies);
          if (c !== null)
            process.stdout.write(
              `chosen for use: λ=${c.lambda} H=${c.horizonHours}h floor=${c.floorFraction} APC ${c.apc}; static MM ${formatNumber(r.staticChosen.maintenanceFraction, 4)}\n`,
            );
        }
        if (opts.out !== undefined) process.stdout.write(`risk parameters written to ${opts.out}\n`);
        if (opts.report !== undefined) process.stdout.write(`report written to ${opts.report}\n`);
      }),
    );
}
