import type { Command } from "commander";
import { MarginalError } from "../../core/errors.ts";
import { action } from "../output.ts";

// Placeholder registration, replaced by the command group's real implementation.
export function registerDataCommands(program: Command): void {
  program
    .command("data")
    .description("Inspect market data files (not built yet)")
    .action(
      action(() => {
        throw new MarginalError("unsupported", "'data' is not built yet");
      }),
    );
}
