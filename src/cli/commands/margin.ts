import type { Command } from "commander";
import { MarginalError } from "../../core/errors.ts";
import { action } from "../output.ts";

// Placeholder registration, replaced by the command group's real implementation.
export function registerMarginCommands(program: Command): void {
  program
    .command("margin")
    .description("Margin requirements for accounts (not built yet)")
    .action(
      action(() => {
        throw new MarginalError("unsupported", "'margin' is not built yet");
      }),
    );
}
