import type { Command } from "commander";
import { parseIntervalLabel } from "../../core/data/detect-interval.ts";
import { closeLogReturns } from "../../core/data/log-returns.ts";
import { formatTimestampIso, parseTimestampMs } from "../../core/data/parse-timestamp.ts";
import { sampleStdDev } from "../../core/data/sample-moments.ts";
import { periodsPerYear } from "../../core/data/trading-calendar.ts";
import { invalidInput } from "../../core/errors.ts";
import { generateSyntheticMarket } from "../../sim/synth/generate-synthetic-market.ts";
import { writeSyntheticMarketCsv } from "../../sim/synth/write-synthetic-market.ts";
import { action, printJson, printTable } from "../output.ts";

interface SynthOptions {
  readonly seed: string;
  readonly periods: string;
  readonly interval: string;
  readonly assets: string;
  readonly out: string;
  readonly start?: string;
  readonly correlation?: string;
  readonly json?: boolean;
}

/** Registers `marginal market synth …`. */
export function registerMarketCommands(program: Command): void {
  const market = program.command("market").description("Generate seeded synthetic markets");
  market
    .command("synth")
    .description("Write a seeded synthetic OHLCV market (GARCH, fat tails, correlation, crashes) as CSV")
    .option("--seed <n>", "PRNG seed (integer); the same seed gives byte-identical files", "1")
    .option("--periods <n>", "bars per asset", "1000")
    .option("--interval <label>", "bar length: 1d, 1h, 1m (or e.g. 4h, 15m)", "1d")
    .option("--assets <list>", "comma-separated symbols", "BTC,ETH,SOL")
    .requiredOption(
      "--out <path>",
      "a .csv file (one asset, or <stem>-<SYMBOL>.csv each) or a folder (<SYMBOL>.csv each)",
    )
    .option("--start <iso>", "open time of the first bar, ISO-8601 UTC", "2024-01-01T00:00:00Z")
    .option(
      "--correlation <values>",
      "innovation correlation: one number for all pairs, or the upper triangle row by row (comma-separated)",
    )
    .option("--json", "print what was written as JSON on stdout")
    .action(
      action(async (options: SynthOptions) => {
        const intervalMs = parseIntervalLabel(options.interval);
        if (intervalMs === undefined || intervalMs < 1000)
          throw invalidInput("interval", `'${options.interval}' is not an interval like 1d, 1h, 1m`);
        const startMs = parseTimestampMs(options.start ?? "");
        if (startMs === undefined) throw invalidInput("start", `'${options.start}' is not an ISO-8601 time`);
        const result = generateSyntheticMarket({
          seed: parseInteger("seed", options.seed),
          periods: parseInteger("periods", options.periods),
          intervalMs,
          assets: options.assets.split(",").filter((s) => s.trim() !== ""),
          startMs,
          ...(options.correlation === undefined
            ? {}
            : { correlation: parseCorrelation(options.correlation) }),
        });
        const paths = await writeSyntheticMarketCsv(result, options.out);
        const rows = result.series.map((s, i) => ({
          symbol: result.symbols[i] as string,
          file: paths[i] as string,
          rows: s.close.length,
          firstTimestamp: formatTimestampIso(s.timestampsMs[0] as number),
          lastTimestamp: formatTimestampIso(s.timestampsMs[s.close.length - 1] as number),
          lastClose: s.close[s.close.length - 1] as number,
          annualizedVolatility: sampleStdDev(closeLogReturns(s)) * Math.sqrt(periodsPerYear(s)),
        }));
        const crashes = result.crashPeriods.map((t) =>
          formatTimestampIso((result.series[0]?.timestampsMs[t] as number) ?? 0),
        );
        if (options.json === true) printJson({ files: rows, crashStarts: crashes });
        else {
          printTable(
            ["symbol", "file", "rows", "first", "last", "last close", "ann. vol"],
            rows.map((r) => [
              r.symbol,
              r.file,
              r.rows,
              r.firstTimestamp,
              r.lastTimestamp,
              r.lastClose,
              r.annualizedVolatility,
            ]),
          );
          process.stdout.write(`crash episodes: ${crashes.length === 0 ? "none" : crashes.join(", ")}\n`);
        }
      }),
    );
}

function parseInteger(field: string, text: string): number {
  if (!/^-?\d+$/.test(text.trim())) throw invalidInput(field, `'${text}' is not an integer`);
  return Number(text);
}

function parseCorrelation(text: string): number | number[] {
  const values = text.split(",").map((cell) => {
    const value = Number(cell.trim());
    if (cell.trim() === "" || !Number.isFinite(value))
      throw invalidInput("correlation", `'${cell}' is not a number`);
    return value;
  });
  return values.length === 1 ? (values[0] as number) : values;
}
