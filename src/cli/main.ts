import { Command } from "commander";
import { registerBacktestCommand } from "./commands/backtest.ts";
import { registerDataCommands } from "./commands/data.ts";
import { registerGreeksCommands } from "./commands/greeks.ts";
import { registerMarginCommands } from "./commands/margin.ts";
import { registerMarketCommands } from "./commands/market.ts";
import { registerOptimizeCommand } from "./commands/optimize.ts";
import { registerReplayCommand } from "./commands/replay.ts";
import { registerServeCommand } from "./commands/serve.ts";
import { registerStressCommand } from "./commands/stress.ts";
import { registerVarCommands } from "./commands/var.ts";
import { registerVolCommands } from "./commands/vol.ts";

/**
 * The `marginal` command. Each command group lives in its own file under `commands/` and
 * registers itself here; every command that prints results takes `--json`.
 */
export function buildProgram(): Command {
  const program = new Command("marginal")
    .description("Marginal: risk-based margin engine for derivatives venues")
    .version("0.1.0")
    .showHelpAfterError()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  registerDataCommands(program);
  registerMarketCommands(program);
  registerGreeksCommands(program);
  registerVolCommands(program);
  registerVarCommands(program);
  registerMarginCommands(program);
  registerReplayCommand(program);
  registerBacktestCommand(program);
  registerOptimizeCommand(program);
  registerStressCommand(program);
  registerServeCommand(program);
  return program;
}

await buildProgram().parseAsync(process.argv);
