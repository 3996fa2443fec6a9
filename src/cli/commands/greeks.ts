import type { Command } from "commander";
import { MarginalError } from "../../core/errors.ts";
import { action } from "../output.ts";

// Placeholder registration, replaced by the command group's real implementation.
export function registerGreeksCommands(program: Command): void {
  program
    .command("greeks")
    .description("Option prices and Greeks (not built yet)")
    .action(
      action(() => {
        throw new MarginalError("unsupported", "'greeks' is not built yet");
      }),
    );
}
