import type { Command } from "commander";
import { MarginalError } from "../../core/errors.ts";
import { action } from "../output.ts";

// Placeholder registration, replaced by the command group's real implementation.
export function registerVarCommands(program: Command): void {
  program
    .command("var")
    .description("Value-at-Risk and its backtests (not built yet)")
    .action(
      action(() => {
        throw new MarginalError("unsupported", "'var' is not built yet");
      }),
    );
}
