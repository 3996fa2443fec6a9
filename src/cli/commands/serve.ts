import type { Command } from "commander";
import { MarginalError } from "../../core/errors.ts";
import { action } from "../output.ts";

// Placeholder registration, replaced by the command's real implementation.
export function registerServeCommand(program: Command): void {
  program
    .command("serve")
    .description("Run the HTTP + WebSocket service (not built yet)")
    .action(
      action(() => {
        throw new MarginalError("unsupported", "'serve' is not built yet");
      }),
    );
}
