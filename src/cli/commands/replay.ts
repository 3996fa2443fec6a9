import type { Command } from "commander";
import { MarginalError } from "../../core/errors.ts";
import { action } from "../output.ts";

// Placeholder registration, replaced by the command's real implementation.
export function registerReplayCommand(program: Command): void {
  program
    .command("replay")
    .description("Rebuild engine state from an event log (not built yet)")
    .action(
      action(() => {
        throw new MarginalError("unsupported", "'replay' is not built yet");
      }),
    );
}
