import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { rerunOnRiskPaths } from "./hotpath/rerun-on-risk-paths.ts";
import { planLiquidation } from "./liquidation-plan.ts";
import { replayEvents } from "./replay.ts";
import { ScenarioDriver } from "./scenario-driver.ts";
import { restore, snapshot } from "./snapshot.ts";
import { stateHash } from "./state-hash.ts";

// Every scenario of this file, rerun on both risk paths: the columnar one must give the same
// event log and state hash as the reference one (and its audit must never find a wrong skip).
afterEach(() => {
  for (const driver of ScenarioDriver.drainCreated()) {
    const [reference, columnar] = rerunOnRiskPaths(driver.commands);
    expect(columnar!.logJson, "columnar path event log").toBe(reference!.logJson);
    expect(columnar!.hash, "columnar path state hash").toBe(reference!.hash);
  }
});

/*
 * Property tests over random command scripts (fast-check shrinks a failure to a minimal script):
 * money is conserved after every event (the driver recounts it), a rejected command changes
 * nothing, and the log replays — in full, and from a snapshot — to the live state's hash.
 */

const traders = ["a/0", "b/0", "c/0"];
const action = fc.oneof(
  fc.record({
    kind: fc.constant("fill" as const),
    buyer: fc.integer({ min: 0, max: 2 }),
    seller: fc.integer({ min: 0, max: 2 }),
    lots: fc.integer({ min: 1, max: 3_000 }),
    offsetBp: fc.integer({ min: -50, max: 50 }),
  }),
  fc.record({ kind: fc.constant("price" as const), movePct: fc.integer({ min: -30, max: 20 }) }),
  fc.record({
    kind: fc.constant("withdraw" as const),
    who: fc.integer({ min: 0, max: 2 }),
    usd: fc.integer({ min: 1, max: 20_000 }),
  }),
  fc.record({ kind: fc.constant("funding" as const), rateBp: fc.integer({ min: -20, max: 20 }) }),
  fc.record({ kind: fc.constant("liquidate" as const), waitS: fc.integer({ min: 0, max: 30 }) }),
);

describe("engine properties", () => {
  it("conserves money, leaves rejected commands without trace, and replays to the same hash", () => {
    fc.assert(
      fc.property(
        fc.array(action, { maxLength: 40 }),
        fc.integer({ min: 0, max: 20_000 }),
        (script, fundUsd) => {
          const d = new ScenarioDriver();
          let price = 60_000;
          d.price(price);
          if (fundUsd > 0) d.accept({ type: "fund_insurance", asset: "USDC", amount: String(fundUsd) });
          for (const t of traders) d.deposit(t, "20000");
          d.deposit("keeper/0", "10000000");
          for (const a of script) {
            d.wait(1_000);
            const before = stateHash(d.engine.state());
            let result: ReturnType<ScenarioDriver["send"]> | undefined;
            if (a.kind === "fill") {
              const p = (price * (1 + a.offsetBp / 10_000)).toFixed(2);
              result = d.trade(
                "BTC-PERP",
                traders[a.buyer]!,
                traders[a.seller]!,
                (a.lots / 1000).toFixed(3),
                p,
              );
            } else if (a.kind === "price") {
              price = Math.max(100, price * (1 + a.movePct / 100));
              d.price(price);
            } else if (a.kind === "withdraw") {
              result = d.send({
                type: "withdraw",
                subaccountId: traders[a.who]!,
                asset: "USDC",
                amount: String(a.usd),
              });
            } else if (a.kind === "funding") {
              result = d.send({ type: "funding", marketId: "BTC-PERP", ratePerPeriod: a.rateBp / 10_000 });
            } else {
              d.wait(a.waitS * 1000);
              const state = d.engine.state();
              const target = [...state.liquidating][0];
              if (target === undefined) continue;
              const s = state.subaccounts[target]!;
              const step = planLiquidation(state, s)[0];
              if (step === undefined) continue;
              result = d.send({
                type: "liquidate",
                liquidatorSubaccountId: "keeper/0",
                subaccountId: s.id,
                marketId: step.marketId,
                size: "1000",
              });
            }
            if (result?.status === "rejected") expect(stateHash(d.engine.state())).toBe(before);
          }
          const log = d.engine.log();
          expect(stateHash(replayEvents(log))).toBe(d.engine.stateHash());
          const half = Math.floor(log.length / 2);
          const resumed = replayEvents(log.slice(half), restore(snapshot(replayEvents(log.slice(0, half)))));
          expect(stateHash(resumed)).toBe(d.engine.stateHash());
        },
      ),
      { numRuns: 40, seed: 20_261_125 },
    );
  });
});
