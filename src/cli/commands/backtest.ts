import type { Command } from "commander";
import { MarginalError } from "../../core/errors.ts";
import { action } from "../output.ts";

// Placeholder registration, replaced by the command's real implementation.
export function registerBacktestCommand(program: Command): void {
  program
    .command("backtest")
    .description("Backtest margin policies on price history (not built yet)")
    .action(
      action(() => {
        throw new MarginalError("unsupported", "'backtest' is not built yet");
      }),
    );
}
