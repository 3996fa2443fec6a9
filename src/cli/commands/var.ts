import type { Command } from "commander";
import { closeLogReturns } from "../../core/data/log-returns.ts";
import { invalidInput } from "../../core/errors.ts";
import { type BacktestModel, runVarBacktest } from "../../core/risk/var-backtest.ts";
import { loadPriceCsv } from "../../sim/data/load-price-csv.ts";
import { action, formatNumber, printJson, printTable } from "../output.ts";
import { parseNumberOption } from "./vol.ts";

interface BacktestOptions {
  readonly input: string;
  readonly model: BacktestModel;
  readonly confidence: string;
  readonly lambda: string;
  readonly window: string;
  readonly esSimulations: string;
  readonly seed: string;
  readonly json?: boolean;
}

const MODELS: readonly BacktestModel[] = ["ewma", "garch", "historical", "fhs"];

function parseIntegerOption(name: string, text: string): number {
  const value = parseNumberOption(name, text);
  if (!Number.isInteger(value)) throw invalidInput(name, `must be an integer, got '${text}'`);
  return value;
}

/**
 * Registers `marginal var backtest --input PRICES.csv --model ewma|garch|historical|fhs
 * --confidence 0.99 [--lambda 0.94] [--window 250] [--json]`.
 */
export function registerVarCommands(program: Command): void {
  const v = program.command("var").description("Value-at-Risk and Expected Shortfall: backtests");
  v.command("backtest")
    .description(
      "One-period-ahead VaR/ES backtest on close-to-close log returns: Kupiec, Christoffersen, " +
        "Basel traffic light, Acerbi–Székely Z2",
    )
    .requiredOption("--input <file>", "price CSV (timestamp,open,high,low,close,volume or timestamp,close)")
    .requiredOption("--model <model>", "ewma | garch | historical | fhs")
    .option("--confidence <c>", "VaR confidence level in (0, 1)", "0.99")
    .option("--lambda <lambda>", "EWMA decay factor λ (ewma and fhs)", "0.94")
    .option("--window <periods>", "estimation window in periods; testing starts after it", "250")
    .option("--es-simulations <paths>", "Monte-Carlo paths for the ES backtest p-value", "1000")
    .option("--seed <seed>", "seed of the ES backtest Monte-Carlo", "1")
    .option("--json", "print the result as one JSON object on stdout")
    .action(
      action(async (options: BacktestOptions) => {
        if (!MODELS.includes(options.model)) {
          throw invalidInput("--model", `must be one of ${MODELS.join(", ")}, got '${options.model}'`);
        }
        const spec = {
          model: options.model,
          confidence: parseNumberOption("--confidence", options.confidence),
          lambda: parseNumberOption("--lambda", options.lambda),
          windowPeriods: parseIntegerOption("--window", options.window),
          esSimulations: parseIntegerOption("--es-simulations", options.esSimulations),
          seed: parseIntegerOption("--seed", options.seed),
        };
        const series = await loadPriceCsv(options.input);
        const r = runVarBacktest(closeLogReturns(series), spec);
        const output = {
          n: r.n,
          exceptions: r.exceptions,
          expectedExceptions: r.expectedExceptions,
          kupiec: { lr: r.kupiec.lr, pValue: r.kupiec.pValue },
          christoffersen: {
            lrInd: r.christoffersen.lrInd,
            pInd: r.christoffersen.pInd,
            lrCC: r.christoffersen.lrCC,
            pCC: r.christoffersen.pCC,
          },
          trafficLight: r.trafficLight,
          esBacktest: r.esBacktest,
        };
        if (options.json === true) {
          printJson(output);
          return;
        }
        printTable(
          ["test", "statistic", "p-value", "result"],
          [
            [
              "exceptions",
              `${r.exceptions} of ${r.n}`,
              "",
              `expected ${formatNumber(r.expectedExceptions, 4)} at ${spec.confidence}`,
            ],
            ["Kupiec POF", r.kupiec.lr, r.kupiec.pValue, "LR ~ χ²(1)"],
            ["Christoffersen independence", r.christoffersen.lrInd, r.christoffersen.pInd, "LR ~ χ²(1)"],
            ["Christoffersen cond. coverage", r.christoffersen.lrCC, r.christoffersen.pCC, "LR ~ χ²(2)"],
            ["Basel traffic light", "", "", r.trafficLight],
            [
              "Acerbi–Székely Z2 (ES)",
              r.esBacktest.z2,
              r.esBacktest.pValue,
              `${r.esBacktest.simulations} paths, seed ${r.esBacktest.seed}`,
            ],
          ],
        );
      }),
    );
}
