import { MarginalError } from "../core/errors.ts";
import { advanceTime } from "./advance-time.ts";
import { runBackstops } from "./auction-backstop.ts";
import { CommandContext, type Rejection, reject } from "./command-context.ts";
import type { Command } from "./commands.ts";
import { parseEngineConfig } from "./engine-config.ts";
import type { EngineState } from "./engine-state.ts";
import type { EngineEvent } from "./events.ts";
import { planFill } from "./fill-command.ts";
import {
  type Planned,
  planDeposit,
  planFundInsurance,
  planTransfer,
  planWithdraw,
} from "./ledger-commands.ts";
import { planLiquidate } from "./liquidate-command.ts";
import { planFunding, planSettleExpiry, planUpdateRiskParams } from "./market-commands.ts";
import { planOracleReport } from "./oracle-command.ts";
import {
  planAssignParamSet,
  planSetImMultiplier,
  planSetMarginMode,
} from "./subaccount-settings-commands.ts";

/*
 * Validates a command against the state and, if accepted, turns it into events applied in
 * order: first the time-driven transitions for its `atMs`, then its own events, then what they
 * trigger (mark, circuit breaker, liquidation). A repeated command id is answered from the
 * dedup window without applying anything again. Only accepted commands consume their id: a
 * rejected command changed nothing, so retrying it (say, after a deposit) is evaluated afresh.
 */

export type CommandResult =
  | { status: "accepted"; commandId: string; events: EngineEvent[] }
  | { status: "duplicate"; commandId: string; firstSeq: number; lastSeq: number }
  | { status: "rejected"; commandId: string; reason: Rejection["reason"]; message: string };

function plan(ctx: CommandContext, c: Command): Planned {
  switch (c.type) {
    case "configure": {
      if (ctx.state.config !== null) return reject("already_configured", "the engine is already configured");
      try {
        const config = parseEngineConfig(c.config);
        return () => ctx.emit({ type: "configured", config });
      } catch (error) {
        if (error instanceof MarginalError) return reject("invalid_input", error.message);
        throw error;
      }
    }
    case "deposit":
      return planDeposit(ctx, c);
    case "withdraw":
      return planWithdraw(ctx, c);
    case "transfer":
      return planTransfer(ctx, c);
    case "fund_insurance":
      return planFundInsurance(ctx, c);
    case "oracle_report":
      return planOracleReport(ctx, c);
    case "fill":
      return planFill(ctx, c);
    case "funding":
      return planFunding(ctx, c);
    case "update_risk_params":
      return planUpdateRiskParams(ctx, c);
    case "settle_expiry":
      return planSettleExpiry(ctx, c);
    case "liquidate":
      return planLiquidate(ctx, c);
    case "tick":
      return () => {};
    case "set_margin_mode":
      return planSetMarginMode(ctx, c);
    case "set_im_multiplier":
      return planSetImMultiplier(ctx, c);
    case "assign_param_set":
      return planAssignParamSet(ctx, c);
  }
}

/** Executes one (already schema-validated) command against the state, in place. */
export function executeCommand(
  state: EngineState,
  command: Command,
  onEvent?: (event: EngineEvent) => void,
): CommandResult {
  const known = state.commands.get(command.id);
  if (known !== undefined) return { status: "duplicate", commandId: command.id, ...known };
  const rejected = (r: Rejection): CommandResult => ({ status: "rejected", commandId: command.id, ...r });
  if (state.config === null && command.type !== "configure")
    return rejected(reject("not_configured", "the first command must be 'configure'"));
  if (command.atMs < state.clockMs)
    return rejected(reject("time_went_backwards", `atMs ${command.atMs} is before ${state.clockMs}`));
  const ctx = new CommandContext(state, command, onEvent);
  const planned = plan(ctx, command);
  if (typeof planned !== "function") return rejected(planned);
  if (state.config !== null) advanceTime(ctx);
  planned();
  // Timed-out auctions go to the insurance fund after the command's own events (a liquidator's
  // takeover in this very command goes first).
  if (state.config !== null) runBackstops(ctx);
  // A command with no events (a `tick` while nothing is due) leaves no trace, so its id is not
  // remembered; repeating it is harmless because the passage of time is idempotent.
  return { status: "accepted", commandId: command.id, events: ctx.events };
}
