/*
 * Embedding the Marginal engine in a venue process. Run it with:
 *   node --import tsx examples/engine/embed.ts            (prints the story and the state hash)
 *   node --import tsx examples/engine/embed.ts --write    (also rewrites examples/engine/events.jsonl)
 * The venue feeds the engine commands (deposits, fills from its matching engine, oracle reports,
 * liquidator takeovers) with their own ids and times; the engine answers each with a result and
 * publishes every state change as an event. The events are the log: `marginal replay` rebuilds
 * the same state (and the same hash) from them.
 */
import { writeFileSync } from "node:fs";
import { createEngine } from "../../src/engine/create-engine.ts";
import { demoConfig } from "../../src/engine/demo-config.ts";
import { formatEventLog } from "../../src/engine/replay.ts";

const engine = createEngine();
const unsubscribe = engine.subscribe((event) => {
  if (
    event.type.startsWith("liquidation") ||
    event.type.startsWith("insurance") ||
    event.type === "margin_multiplier_changed"
  ) {
    console.log(`  event #${event.seq} ${event.type}`, JSON.stringify(event).slice(0, 140));
  }
});

let clockMs = Date.UTC(2026, 0, 5, 12);
let n = 0;
const submit = (command: Record<string, unknown>) =>
  engine.submit({ id: `venue-${++n}`, atMs: clockMs, ...command });
const prices = (usd: number) => {
  for (const source of ["alpha", "beta", "gamma"]) {
    submit({
      type: "oracle_report",
      underlying: "BTC",
      source,
      price: usd.toFixed(2),
      confidence: (usd * 0.001).toFixed(2),
      publishedAtMs: clockMs,
    });
  }
};

submit({ type: "configure", config: demoConfig() });
submit({ type: "fund_insurance", asset: "USDC", amount: "25000" });
prices(60_000);
submit({ type: "deposit", accountId: "alice", subaccountId: "alice/main", asset: "USDC", amount: "10000" });
submit({ type: "deposit", accountId: "maker", subaccountId: "maker/0", asset: "USDC", amount: "1000000" });
submit({ type: "deposit", accountId: "keeper", subaccountId: "keeper/0", asset: "USDC", amount: "500000" });

console.log("alice buys 1 BTC-PERP at 60 000 with 10 000 USDC (IM 10 %, MM 5 %)");
const fill = submit({
  type: "fill",
  marketId: "BTC-PERP",
  takerSide: "buy",
  takerSubaccountId: "alice/main",
  makerSubaccountId: "maker/0",
  size: "1",
  price: "60000",
  makerFee: "0",
  takerFee: "30",
});
console.log(`  fill: ${fill.status}`);
const greedy = submit({ type: "withdraw", subaccountId: "alice/main", asset: "USDC", amount: "5000" });
console.log(`  withdraw 5 000: ${greedy.status}${greedy.status === "rejected" ? ` (${greedy.reason})` : ""}`);

for (const usd of [57_000, 54_000, 52_500]) {
  clockMs += 20_000;
  prices(usd);
  const risk = engine.subaccount("alice/main")!.risk;
  console.log(
    `mark ${usd}: equity ${risk.equityUsd.toFixed(2)} USD, MM ${risk.maintenanceMarginUsd.toFixed(2)} USD`,
  );
}

clockMs += 3_000;
console.log("a keeper takes over the planned part of alice's position in the Dutch auction");
const take = submit({
  type: "liquidate",
  liquidatorSubaccountId: "keeper/0",
  subaccountId: "alice/main",
  marketId: "BTC-PERP",
  size: "1",
});
console.log(`  liquidate: ${take.status}`);
console.log("alice now:", engine.subaccount("alice/main"));

unsubscribe();
console.log(`events: ${engine.log().length}, state hash: ${engine.stateHash()}`);
if (process.argv.includes("--write")) {
  writeFileSync(new URL("./events.jsonl", import.meta.url), formatEventLog(engine.log()));
  console.log("wrote examples/engine/events.jsonl");
}
