import type { AssetBacktest } from "../backtest/run-backtest.ts";
import type { OptimizeAssetResult } from "../optimize/optimize-asset.ts";
import type { StressResult } from "../stress/run-stress.ts";

export interface ReportInput {
  readonly title: string;
  readonly backtests?: readonly AssetBacktest[];
  readonly optimizations?: readonly OptimizeAssetResult[];
  readonly stress?: readonly StressResult[];
}

/** Renders the self-contained HTML report (placeholder until the charts land). */
export function renderReport(input: ReportInput): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${input.title}</title></head><body><h1>${input.title}</h1></body></html>\n`;
}
