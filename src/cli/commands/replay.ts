import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { MarginalError } from "../../core/errors.ts";
import { parseEventLog, replayEvents } from "../../engine/replay.ts";
import { summarizeState } from "../../engine/state-summary.ts";
import { action, printJson, printKeyValues, printTable } from "../output.ts";

/** `marginal replay EVENTS.jsonl [--json]`: rebuilds engine state from an event log and summarises it. */
export function registerReplayCommand(program: Command): void {
  program
    .command("replay")
    .description(
      "Rebuild engine state from an event log (JSONL) and print a summary, the conservation check and the state hash",
    )
    .argument("<events>", "event log, one JSON event per line")
    .option("--json", "machine-readable output on stdout")
    .action(
      action((file: string, options: { json?: boolean }) => {
        let text: string;
        try {
          text = readFileSync(file, "utf8");
        } catch (cause) {
          throw new MarginalError("not_found", `cannot read ${file}`, { field: "events", cause });
        }
        const summary = summarizeState(replayEvents(parseEventLog(text)));
        if (options.json === true) {
          printJson(summary);
        } else {
          printKeyValues({
            events: summary.seq,
            clock: new Date(summary.clockMs).toISOString(),
            config: summary.configVersion,
            accounts: summary.accounts,
            subaccounts: summary.subaccounts,
            inLiquidation: summary.subaccountsInLiquidation,
            openPositions: summary.openPositions,
            conservation: summary.conservationOk ? "ok" : "VIOLATED",
            stateHash: summary.stateHash,
          });
          printTable(
            ["market", "open interest (contracts)", "settled"],
            summary.markets.map((m) => [m.marketId, m.openInterestContracts, m.settled]),
          );
          printTable(
            ["underlying", "mark", "valid", "status", "margin ×"],
            summary.underlyings.map((u) => [u.underlying, u.mark, u.markValid, u.status, u.marginMultiplier]),
          );
          printTable(
            [
              "asset",
              "balances",
              "insurance fund",
              "fees",
              "pnl pool",
              "deposits",
              "withdrawals",
              "discrepancy",
            ],
            summary.assets.map((a) => [
              a.asset,
              a.balances,
              a.insuranceFund,
              a.fees,
              a.pnlPool,
              a.deposits,
              a.withdrawals,
              a.discrepancy,
            ]),
          );
        }
        if (!summary.conservationOk) process.exitCode = 2;
      }),
    );
}
