import type { Command } from "commander";
import { MarginalError } from "../../core/errors.ts";
import { action } from "../output.ts";

// Placeholder registration, replaced by the command's real implementation.
export function registerOptimizeCommand(program: Command): void {
  program
    .command("optimize")
    .description("Optimize a margin policy's parameters walk-forward (not built yet)")
    .action(
      action(() => {
        throw new MarginalError("unsupported", "'optimize' is not built yet");
      }),
    );
}
