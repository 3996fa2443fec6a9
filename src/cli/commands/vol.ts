import type { Command } from "commander";
import { closeLogReturns } from "../../core/data/log-returns.ts";
import { periodsPerYear } from "../../core/data/trading-calendar.ts";
import { invalidInput } from "../../core/errors.ts";
import { fitVolModel, type VolModelName } from "../../core/vol/fit-vol-model.ts";
import { loadPriceCsv } from "../../sim/data/load-price-csv.ts";
import { action, printJson, printKeyValues } from "../output.ts";

interface FitOptions {
  readonly model: VolModelName;
  readonly input: string;
  readonly lambda: string;
  readonly json?: boolean;
}

/** Parses a numeric option strictly (the whole string must be a finite number). */
export function parseNumberOption(name: string, text: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value))
    throw invalidInput(name, `must be a number, got '${text}'`);
  return value;
}

/** Explains the long-run figure to people; near-unit persistence makes ω/(1−α−β) meaningless. */
function longRunNote(model: VolModelName, persistence: number): string {
  if (model === "ewma") return "sample volatility, annualised";
  if (persistence > 0.999) return "α+β at its bound 1: the fit is integrated, no meaningful long-run level";
  return "√(ω/(1−α−β)·periods per year)";
}

/** Registers `marginal vol fit --model ewma|garch|garch-t --input PRICES.csv [--lambda 0.94] [--json]`. */
export function registerVolCommands(program: Command): void {
  const vol = program.command("vol").description("Volatility models on close-to-close log returns");
  vol
    .command("fit")
    .description(
      "Fit GARCH(1,1) (normal or Student-t) by maximum likelihood, or evaluate EWMA with a given λ, " +
        "on zero-mean close-to-close log returns (returns across data gaps excluded)",
    )
    .requiredOption("--model <model>", "ewma | garch | garch-t")
    .requiredOption("--input <file>", "price CSV (timestamp,open,high,low,close,volume or timestamp,close)")
    .option("--lambda <lambda>", "EWMA decay factor λ in (0, 1); ewma only", "0.94")
    .option("--json", "print the result as one JSON object on stdout")
    .action(
      action(async (options: FitOptions) => {
        if (!["ewma", "garch", "garch-t"].includes(options.model)) {
          throw invalidInput("--model", `must be ewma, garch or garch-t, got '${options.model}'`);
        }
        const lambda = parseNumberOption("--lambda", options.lambda);
        const series = await loadPriceCsv(options.input);
        const report = fitVolModel(closeLogReturns(series), options.model, lambda, periodsPerYear(series));
        if (options.json === true) {
          printJson(report);
          return;
        }
        printKeyValues({
          ...report,
          annualizedLongRunVol: `${report.annualizedLongRunVol} (${longRunNote(report.model, report.persistence)})`,
          nextPeriodVol: `${report.nextPeriodVol} (per period, not annualised)`,
        });
      }),
    );
}
