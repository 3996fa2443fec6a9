import type { Command } from "commander";
import { MarginalError } from "../../core/errors.ts";
import { action } from "../output.ts";

// Placeholder registration, replaced by the command group's real implementation.
export function registerMarketCommands(program: Command): void {
  program
    .command("market")
    .description("Generate synthetic markets (not built yet)")
    .action(
      action(() => {
        throw new MarginalError("unsupported", "'market' is not built yet");
      }),
    );
}
