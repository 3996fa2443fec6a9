import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Command } from "commander";
import { z } from "zod";
import { invalidInput, MarginalError } from "../../core/errors.ts";
import { computeSubaccountMargin } from "../../core/margin/compute-subaccount-margin.ts";
import { diffRiskParams } from "../../core/margin/diff-risk-params.ts";
import { parseMarginInput, parseMarketState } from "../../core/margin/margin-input.ts";
import { parseRiskParams, type RiskParams, RiskParamsSchema } from "../../core/margin/risk-params.ts";
import type { AccountInput, MarginResult, MarketState, SubaccountInput } from "../../core/margin/types.ts";
import { type Order, whatIf } from "../../core/margin/what-if.ts";
import { action, formatNumber, printJson, printKeyValues, printTable } from "../output.ts";

/*
 * `marginal margin`: margin of every sub-account in an input file (risk-parameter document,
 * market state, accounts; the first two inline or as paths relative to the file), `margin
 * what-if` for a hypothetical order, `schema risk-params` (the document's JSON Schema) and
 * `params diff A B` (field-level changes between two documents, for governance review).
 */

function readJson(path: string, field: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (cause) {
    throw new MarginalError("not_found", `cannot read '${path}'`, { field, cause });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new MarginalError("invalid_input", `'${path}' is not valid JSON`, { field, cause });
  }
}

interface LoadedInput {
  readonly params: RiskParams;
  readonly market: MarketState;
  readonly accounts: readonly AccountInput[];
}

function loadInput(file: string): LoadedInput {
  const input = parseMarginInput(readJson(file, "--input"));
  const base = dirname(resolve(file));
  const params = parseRiskParams(
    typeof input.riskParams === "string"
      ? readJson(resolve(base, input.riskParams), "riskParams")
      : input.riskParams,
  );
  const market =
    typeof input.market === "string"
      ? parseMarketState(readJson(resolve(base, input.market), "market"))
      : input.market;
  return { params, market, accounts: input.accounts };
}

function summaryRow(accountId: string, r: MarginResult): (string | number)[] {
  return [
    accountId,
    r.subaccountId,
    r.mode,
    r.equityUsd,
    r.initialMarginUsd,
    r.maintenanceMarginUsd,
    r.freeCollateralUsd,
    r.marginRatio,
    r.health,
    r.liquidatable ? "YES" : "no",
  ];
}

function printResults(results: { accountId: string; result: MarginResult }[], explain: boolean): void {
  printTable(
    [
      "account",
      "sub-account",
      "mode",
      "equity USD",
      "IM USD",
      "MM USD",
      "free USD",
      "margin ratio",
      "health",
      "liquidatable",
    ],
    results.map(({ accountId, result }) => summaryRow(accountId, result)),
  );
  for (const { accountId, result } of results) {
    if (result.positions.length === 0 && !explain) continue;
    process.stdout.write(`\n${accountId}/${result.subaccountId} (${result.mode})\n`);
    printTable(
      ["market", "size", "mark", "notional USD", "uPnL USD", "IM USD", "MM USD", "liq. price"],
      result.positions.map((p) => [
        p.marketId,
        p.size,
        p.markPriceUsd,
        p.notionalUsd,
        p.unrealizedPnlUsd,
        p.initialMarginUsd,
        p.maintenanceMarginUsd,
        p.liquidationPrice ?? "none",
      ]),
    );
    if (!explain) continue;
    printTable(
      ["component", "market / underlying / asset", "IM USD", "detail"],
      result.breakdown.map((b) => [
        b.component,
        b.marketId ?? b.underlying ?? b.asset ?? "",
        b.amountUsd,
        b.detail,
      ]),
    );
    if (result.worstScenario !== undefined) {
      const w = result.worstScenario;
      process.stdout.write(
        `worst scenario: ${w.underlying} price ${formatNumber(w.priceMove * 100, 4)}%, vol ${formatNumber(w.volShock * 100, 4)}% → loss ${formatNumber(w.lossUsd)} USD\n`,
      );
    }
  }
}

function findSubaccount(
  accounts: readonly AccountInput[],
  accountId?: string,
  subId?: string,
): { account: AccountInput; sub: SubaccountInput } {
  const account = accountId === undefined ? accounts[0] : accounts.find((a) => a.id === accountId);
  if (account === undefined) throw invalidInput("--account", `no account '${accountId}' in the input`);
  const sub = subId === undefined ? account.subaccounts[0] : account.subaccounts.find((s) => s.id === subId);
  if (sub === undefined)
    throw invalidInput("--subaccount", `no sub-account '${subId}' in account '${account.id}'`);
  return { account, sub };
}

const OrderSchema = z.strictObject({
  marketId: z.string().min(1),
  side: z.enum(["buy", "sell"]),
  size: z.number(),
  price: z.number(),
});

function parseOrder(text: string): Order {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new MarginalError("invalid_input", "is not valid JSON", { field: "--order", cause });
  }
  const r = OrderSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw invalidInput(`order.${issue.path.map(String).join(".")}`.replace(/\.$/, ""), issue.message);
  }
  return r.data;
}

/** Registers `margin`, `margin what-if`, `schema risk-params` and `params diff`. */
export function registerMarginCommands(program: Command): void {
  const margin = program
    .command("margin")
    .description(
      "Margin (equity, IM, MM, free collateral, health, liquidation prices) of every sub-account in an input file",
    )
    .option(
      "--input <file>",
      "JSON file: { riskParams, market, accounts } (riskParams and market inline or as paths)",
    )
    .option("--json", "machine-readable output on stdout")
    .option("--explain", "print the breakdown per component and the worst scenario")
    .action(
      action((opts: { input?: string; json?: boolean; explain?: boolean }) => {
        if (opts.input === undefined) throw invalidInput("--input", "is required");
        const { params, market, accounts } = loadInput(opts.input);
        const results = accounts.flatMap((a) =>
          a.subaccounts.map((s) => ({ accountId: a.id, result: computeSubaccountMargin(params, market, s) })),
        );
        if (opts.json === true) {
          printJson({
            venue: params.venue,
            version: params.version,
            asOfMs: market.asOfMs,
            accounts: accounts.map((a) => ({
              id: a.id,
              subaccounts: results.filter((r) => r.accountId === a.id).map((r) => r.result),
            })),
          });
          return;
        }
        process.stdout.write(
          `${params.venue}, risk parameters v${params.version}, as of ${new Date(market.asOfMs).toISOString()}\n`,
        );
        printResults(results, opts.explain === true);
      }),
    );
  margin
    .command("what-if")
    .description("Margin before and after a hypothetical order, and whether it would be accepted")
    // `--input` and `--json` are shared with `margin`, which may parse them first (commander
    // hands known options to the parent); the action reads them with optsWithGlobals().
    .option("--input <file>", "JSON input file as for `margin`")
    .requiredOption(
      "--order <json>",
      'the order, e.g. {"marketId":"BTC-PERP","side":"buy","size":1,"price":100000}',
    )
    .option("--account <id>", "account id (default: the first)")
    .option("--subaccount <id>", "sub-account id (default: the account's first)")
    .option("--json", "machine-readable output on stdout")
    .action(
      action((_opts: unknown, cmd: Command) => {
        const opts = cmd.optsWithGlobals<{
          input?: string;
          order: string;
          account?: string;
          subaccount?: string;
          json?: boolean;
        }>();
        if (opts.input === undefined) throw invalidInput("--input", "is required");
        const { params, market, accounts } = loadInput(opts.input);
        const order = parseOrder(opts.order);
        const { account, sub } = findSubaccount(accounts, opts.account, opts.subaccount);
        const r = whatIf(params, market, sub, order);
        if (opts.json === true) {
          printJson({ account: account.id, subaccount: sub.id, order, ...r });
          return;
        }
        process.stdout.write(
          `${account.id}/${sub.id}: ${order.side} ${order.size} ${order.marketId} @ ${order.price}\n`,
        );
        printTable(
          ["", "equity USD", "IM USD", "MM USD", "free USD", "health"],
          [
            [
              "before",
              r.before.equityUsd,
              r.before.initialMarginUsd,
              r.before.maintenanceMarginUsd,
              r.before.freeCollateralUsd,
              r.before.health,
            ],
            [
              "after",
              r.after.equityUsd,
              r.after.initialMarginUsd,
              r.after.maintenanceMarginUsd,
              r.after.freeCollateralUsd,
              r.after.health,
            ],
          ],
        );
        process.stdout.write(`${r.accepted ? "ACCEPTED" : "REJECTED"} (${r.reason})\n`);
      }),
    );
  program
    .command("schema")
    .description("JSON Schemas of Marginal's documents")
    .command("risk-params")
    .description("Print the JSON Schema of the risk-parameter document")
    .action(
      action(() => {
        printJson(z.toJSONSchema(RiskParamsSchema, { unrepresentable: "any" }));
      }),
    );
  program
    .command("params")
    .description("Risk-parameter documents")
    .command("diff")
    .description("Field-level changes from risk-parameter document A to B (both validated)")
    .argument("<a>", "the earlier document (JSON file)")
    .argument("<b>", "the later document (JSON file)")
    .option("--json", "machine-readable output on stdout")
    .action(
      action((a: string, b: string, opts: { json?: boolean }) => {
        const changes = diffRiskParams(parseRiskParams(readJson(a, "a")), parseRiskParams(readJson(b, "b")));
        if (opts.json === true) {
          printJson({ a, b, changes });
          return;
        }
        if (changes.length === 0) {
          process.stdout.write("no changes\n");
          return;
        }
        printTable(
          ["change", "field", "before", "after"],
          changes.map((c) => [
            c.kind,
            c.path,
            c.before === undefined ? "" : JSON.stringify(c.before),
            c.after === undefined ? "" : JSON.stringify(c.after),
          ]),
        );
        printKeyValues({ changes: changes.length });
      }),
    );
}
