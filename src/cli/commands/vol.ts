import type { Command } from "commander";
import { MarginalError } from "../../core/errors.ts";
import { action } from "../output.ts";

// Placeholder registration, replaced by the command group's real implementation.
export function registerVolCommands(program: Command): void {
  program
    .command("vol")
    .description("Volatility models (not built yet)")
    .action(
      action(() => {
        throw new MarginalError("unsupported", "'vol' is not built yet");
      }),
    );
}
