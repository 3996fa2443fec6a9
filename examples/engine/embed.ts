/*
 * Embedding the Marginal engine in a venue process. Run it with:
 *   node --import tsx examples/engine/embed.ts            (prints the story and the state hash)
 *   node --import tsx examples/engine/embed.ts --write    (also rewrites examples/engine/events.jsonl)
 * The venue feeds the engine commands (deposits, fills from its matching engine, oracle reports,
 * liquidator takeovers, parameter changes) with their own ids and times; the engine answers each
 * with a result and publishes every state change as an event. The events are the log:
 * `marginal replay` rebuilds the same state (and the same hash) from them.
 *
 * The venue is the full demo: a linear and an inverse (coin-margined) BTC perpetual, BTC as
 * collateral with a 10 % haircut, the core margin policy with a margin mode per sub-account
 * (cross by default, isolated and portfolio on request), anti-procyclicality (APC) on BTC-PERP,
 * and an auction backstop: an auction nobody takes is taken over by the insurance fund.
 */
import { writeFileSync } from "node:fs";
import { createEngine } from "../../src/engine/create-engine.ts";
import { demoConfigFull, demoRiskParamsFull } from "../../src/engine/demo-config.ts";
import type { EngineConfig } from "../../src/engine/engine-config.ts";
import { formatEventLog } from "../../src/engine/replay.ts";

const SHOWN = new Set([
  "margin_multiplier_changed",
  "margin_mode_changed",
  "backstop_triggered",
  "backstop_funded",
  "debt_converted",
  "collateral_seized",
]);
const engine = createEngine();
const unsubscribe = engine.subscribe((event) => {
  if (event.type.startsWith("liquidation") || event.type.startsWith("insurance") || SHOWN.has(event.type)) {
    console.log(`  event #${event.seq} ${event.type}`, JSON.stringify(event).slice(0, 140));
  }
});

let clockMs = Date.UTC(2026, 0, 5, 12);
let n = 0;
const submit = (command: Record<string, unknown>) =>
  engine.submit({ id: `venue-${++n}`, atMs: clockMs, ...command });
const outcome = (result: ReturnType<typeof submit>) =>
  `${result.status}${result.status === "rejected" ? ` (${result.reason})` : ""}`;
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
const deposit = (subaccountId: string, amount: string, asset = "USDC", marginMode?: string) =>
  submit({
    type: "deposit",
    accountId: subaccountId.split("/")[0],
    subaccountId,
    asset,
    amount,
    ...(marginMode === undefined ? {} : { marginMode }),
  });
const fill = (marketId: string, buyer: string, seller: string, size: string, price: string) =>
  submit({
    type: "fill",
    marketId,
    takerSide: "buy",
    takerSubaccountId: buyer,
    makerSubaccountId: seller,
    size,
    price,
    makerFee: "0",
    takerFee: "0",
  });

// The policy document: the demo's, with APC on BTC-PERP (requirements rise at most 50 % a day).
const params = demoRiskParamsFull() as { markets: Record<string, Record<string, unknown>> };
params.markets["BTC-PERP"]!.apc = {
  tool: { type: "none" },
  maxDailyRise: 0.5,
  maxDailyFall: 0.1,
  speedLimitBelowRaw: true,
};
const config: EngineConfig = { ...demoConfigFull(10_000), riskPolicy: { mode: "cross", params } };

submit({ type: "configure", config });
submit({ type: "fund_insurance", asset: "USDC", amount: "25000" });
prices(60_000);
deposit("alice/main", "10000");
deposit("maker/0", "1000000", "USDC", "portfolio");
deposit("maker/0", "10", "BTC");
deposit("keeper/0", "500000");

console.log("alice (cross) buys 1 BTC-PERP at 60 000 with 10 000 USDC (IM 10 %, MM 5 %)");
console.log(`  fill: ${outcome(fill("BTC-PERP", "alice/main", "maker/0", "1", "60000"))}`);
const greedy = submit({ type: "withdraw", subaccountId: "alice/main", asset: "USDC", amount: "5000" });
console.log(`  withdraw 5 000: ${outcome(greedy)}`);

console.log("carol (isolated) buys 100 BTC-INV-PERP (100 USD each) at 60 000 with 0.03 BTC");
deposit("carol/inv", "0.03", "BTC", "isolated");
console.log(`  fill: ${outcome(fill("BTC-INV-PERP", "carol/inv", "maker/0", "100", "60000"))}`);
console.log(
  `  a second market in the isolated sub-account: ${outcome(fill("BTC-PERP", "carol/inv", "maker/0", "0.01", "60000"))}`,
);

for (const usd of [57_000, 54_000, 52_500]) {
  clockMs += 20_000;
  prices(usd);
  const risk = engine.subaccount("alice/main")!.risk;
  const carol = engine.subaccount("carol/inv")!.risk;
  console.log(
    `mark ${usd}: alice equity ${risk.equityUsd.toFixed(2)} / MM ${risk.maintenanceMarginUsd.toFixed(2)} USD,` +
      ` carol equity ${carol.equityUsd.toFixed(2)} / MM ${carol.maintenanceMarginUsd.toFixed(2)} USD`,
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
console.log(`  liquidate: ${outcome(take)}`);
console.log("alice now:", engine.subaccount("alice/main"));
console.log(
  `the keeper moves to portfolio margin: ${outcome(submit({ type: "set_margin_mode", subaccountId: "keeper/0", mode: "portfolio" }))}`,
);

console.log("nobody bids for carol's inverse position: the insurance fund backstops the auction");
for (let i = 0; i < 4; i++) {
  clockMs += 10_000;
  prices(52_500);
}
const backstop = engine.subaccount("venue:insurance/backstop");
console.log("  backstop sub-account:", backstop?.positions, backstop?.balances);

console.log("the venue doubles BTC-PERP's margin; APC lets it rise by at most 50 % a day");
submit({
  type: "update_risk_params",
  marketId: "BTC-PERP",
  initialMarginFraction: 0.2,
  maintenanceMarginFraction: 0.1,
});
clockMs += 6 * 3_600_000;
prices(52_500);
const apc = engine.state().markets.get("BTC-PERP")!.apc!;
console.log(`  six hours later: fraction ${apc.fraction.toFixed(4)} of the raw ${apc.rawFraction}`);

unsubscribe();
console.log(`events: ${engine.log().length}, state hash: ${engine.stateHash()}`);
if (process.argv.includes("--write")) {
  writeFileSync(new URL("./events.jsonl", import.meta.url), formatEventLog(engine.log()));
  console.log("wrote examples/engine/events.jsonl");
}
