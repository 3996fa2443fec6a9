import type { Command } from "commander";
import { MarginalError } from "../../core/errors.ts";
import { action } from "../output.ts";

// Placeholder registration, replaced by the command group's real implementation.
export function registerDemoCommand(program: Command): void {
  program
    .command("demo")
    .description("Run the default demo on a synthetic market (not built yet)")
    .action(
      action(() => {
        throw new MarginalError("unsupported", "'demo' is not built yet");
      }),
    );
}
