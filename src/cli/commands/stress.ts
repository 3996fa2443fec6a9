import type { Command } from "commander";
import { MarginalError } from "../../core/errors.ts";
import { action } from "../output.ts";

// Placeholder registration, replaced by the command's real implementation.
export function registerStressCommand(program: Command): void {
  program
    .command("stress")
    .description("Liquidation-cascade stress test (not built yet)")
    .action(
      action(() => {
        throw new MarginalError("unsupported", "'stress' is not built yet");
      }),
    );
}
