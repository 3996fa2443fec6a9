import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { MarginalError } from "../../core/errors.ts";
import { parseEventLog, replayEvents } from "../../engine/replay.ts";
import { summarizeState } from "../../engine/state-summary.ts";
import { action, formatNumber, printJson, printKeyValues, printTable } from "../output.ts";

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
            "by mode": Object.entries(summary.subaccountsByMode)
              .map(([mode, n]) => `${mode} ${n}`)
              .join(", "),
            inLiquidation: summary.subaccountsInLiquidation,
            openPositions: summary.openPositions,
            conservation: summary.conservationOk ? "ok" : "VIOLATED",
            stateHash: summary.stateHash,
          });
          printTable(
            [
              "market",
              "kind",
              "settles in",
              "status",
              "open interest (contracts)",
              "IM",
              "MM",
              "APC fraction",
              "APC raw",
              "APC",
              "settled",
            ],
            summary.markets.map((m) => [
              m.marketId,
              m.inverse ? `${m.kind} (inverse)` : m.kind,
              m.settlementAsset,
              m.status,
              m.openInterestContracts,
              m.initialMarginFraction,
              m.maintenanceMarginFraction,
              m.apc === null ? "-" : formatNumber(m.apc.fraction, 6),
              m.apc === null ? "-" : formatNumber(m.apc.rawFraction, 6),
              m.apc?.binding ?? "-",
              m.settled,
            ]),
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
          const backstop = summary.backstop;
          if (backstop !== null) {
            printTable(
              ["insurance fund backstop", "market", "size (contracts)"],
              backstop.positions.map((p) => [backstop.subaccountId, p.marketId, p.sizeContracts]),
            );
            printKeyValues({
              "backstop balances": backstop.balances.map((b) => `${b.amount} ${b.asset}`).join(", "),
              "backstop equity (USD)": backstop.equityUsd.toFixed(2),
              "backstop MM (USD)": backstop.maintenanceMarginUsd.toFixed(2),
              "backstop in liquidation": backstop.inLiquidation,
            });
          }
        }
        if (!summary.conservationOk) process.exitCode = 2;
      }),
    );
}
