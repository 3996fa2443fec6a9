import type { Command } from "commander";
import { formatIntervalLabel } from "../../core/data/detect-interval.ts";
import { type PriceSeriesSummary, summarizePriceSeries } from "../../core/data/summarize-price-series.ts";
import { loadPriceCsv } from "../../sim/data/load-price-csv.ts";
import { action, formatNumber, printJson, printKeyValues } from "../output.ts";

interface InspectOptions {
  readonly json?: boolean;
  readonly skipBadRows?: boolean;
}

/** Registers `marginal data inspect FILE [--json] [--skip-bad-rows]`. */
export function registerDataCommands(program: Command): void {
  const data = program.command("data").description("Inspect market data files (OHLCV or close-only CSV)");
  data
    .command("inspect")
    .description("Summarise a price CSV: rows, range, frequency, gaps, volatility, worst return, drawdown")
    .argument("<file>", "CSV file (timestamp,open,high,low,close,volume or a vendor variant)")
    .option("--json", "print the summary as one JSON object on stdout")
    .option("--skip-bad-rows", "skip bad rows, counting them as warnings, instead of failing")
    .action(
      action(async (file: string, options: InspectOptions) => {
        const series = await loadPriceCsv(file, { skipBadRows: options.skipBadRows === true });
        const summary = summarizePriceSeries(series);
        if (options.json === true) printJson({ ...summary, warningMessages: series.warnings.slice(0, 20) });
        else printKeyValues(humanSummary(summary));
      }),
    );
}

function percent(value: number | null | undefined): string {
  return value === null || value === undefined ? "n/a" : `${formatNumber(value * 100, 4)} %`;
}

function humanSummary(s: PriceSeriesSummary): Record<string, string | number> {
  const largest = s.largestGaps.map((g) => `${g.from} → ${g.to} (${g.missingPeriods} missing)`).join("\n");
  return {
    file: s.source,
    rows: s.rows,
    "first timestamp": s.firstTimestamp,
    "last timestamp": s.lastTimestamp,
    frequency: s.intervalMs > 0 ? `${formatIntervalLabel(s.intervalMs)} (${s.intervalMs} ms)` : "n/a",
    calendar: `${s.calendar} (${formatNumber(s.periodsPerYear)} periods/year)`,
    gaps: s.gaps,
    "missing periods": s.missingPeriods,
    "largest gaps": largest === "" ? "none" : largest,
    "returns used": `${s.returns} (returns across gaps excluded)`,
    "annualised volatility": percent(s.annualizedVolatility),
    "worst return":
      s.worstReturn === null ? "n/a" : `${percent(s.worstReturn.value)} at ${s.worstReturn.timestamp}`,
    "max drawdown": `${percent(s.maxDrawdown.value)} (peak ${s.maxDrawdown.peakTimestamp}, trough ${s.maxDrawdown.troughTimestamp})`,
    warnings: s.warnings,
  };
}
