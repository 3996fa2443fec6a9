import { afterEach, describe, expect, it } from "vitest";
import { checkConservation } from "./check-conservation.ts";
import { demoConfigFull } from "./demo-config.ts";
import { rerunOnRiskPaths } from "./hotpath/rerun-on-risk-paths.ts";
import { replayEvents } from "./replay.ts";
import { ScenarioDriver, typesOf } from "./scenario-driver.ts";
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
 * The inverse (coin-margined) perpetual BTC-INV-PERP of the full demo venue, by hand-computed
 * scenarios: contracts of 100 USD, prices in 0.1 USD ticks, PnL, fees and funding in BTC
 * satoshis. A long of n contracts from P1 to P2 earns n × 100 × (1/P1 − 1/P2) BTC.
 */

function venue() {
  const d = new ScenarioDriver(Date.UTC(2026, 0, 5), demoConfigFull(10_000));
  d.price(60_000);
  return d;
}

const btc = (d: ScenarioDriver, id: string) => d.engine.subaccount(id)!.balances.BTC ?? 0n;

describe("inverse perpetual: fills and settlement in the coin", () => {
  it("settles size·C·(1/entry − 1/exit) in BTC exactly, fees in BTC, rounding against each side", () => {
    const d = venue();
    d.deposit("alice/0", "0.1", "BTC");
    d.deposit("bob/0", "1", "BTC");
    // 60 contracts (6 000 USD) at 60 000, fee 0.00001 BTC each side.
    expect(d.trade("BTC-INV-PERP", "alice/0", "bob/0", "60", "60000", "0.00001").status).toBe("accepted");
    // Basis 60 × 100 / 60 000 = 0.1 BTC = 10 000 000 sat.
    expect(d.engine.subaccount("alice/0")!.positions).toEqual([
      { marketId: "BTC-INV-PERP", lots: 60n, basisRaw: 10_000_000n },
    ]);
    // Equity at 60 000: 0.09999 BTC × 60 000 × 0.9 (haircut) = 5 399.46 USD; IM 10 % of the
    // fixed 6 000 USD notional = 600, MM 300.
    const risk = d.engine.subaccount("alice/0")!.risk;
    expect(risk.equityUsd).toBeCloseTo(5_399.46, 6);
    expect(risk.initialMarginUsd).toBeCloseTo(600, 9);
    expect(risk.notionalUsd).toBe(6_000);
    // Two minutes later (outside the breaker window) the mark is 66 000: unrealised PnL
    // 6 000 × (66 000/60 000 − 1) = 600 USD, the core's inverse valuation.
    d.wait(120_000);
    d.price(66_000);
    expect(d.engine.subaccount("alice/0")!.risk.equityUsd).toBeCloseTo(0.09999 * 66_000 * 0.9 + 600, 6);
    expect(d.trade("BTC-INV-PERP", "bob/0", "alice/0", "60", "66000", "0.00001").status).toBe("accepted");
    // alice: +0.1 − 6 000/66 000 = 0.0090909… → 909 090 sat (floored); bob −909 091 (ceiled).
    expect(btc(d, "alice/0")).toBe(10_000_000n - 2_000n + 909_090n);
    expect(btc(d, "bob/0")).toBe(100_000_000n - 2_000n - 909_091n);
    const v = d.engine.state().venue;
    expect(v.fees.get("BTC")).toBe(4_000n);
    expect(v.pnlPool.get("BTC")).toBe(1n); // the rounding residue stays with the venue
    expect(v.fees.get("USDC")).toBeUndefined();
    expect(checkConservation(d.engine.state()).ok).toBe(true);
  });

  it("pays funding in BTC: |size| × C / mark × rate, payers rounded up", () => {
    const d = venue();
    d.deposit("alice/0", "0.1", "BTC");
    d.deposit("bob/0", "1", "BTC");
    expect(d.trade("BTC-INV-PERP", "alice/0", "bob/0", "60", "60000").status).toBe("accepted");
    const events = d.accept({ type: "funding", marketId: "BTC-INV-PERP", ratePerPeriod: 0.0001 });
    // 60 × 100 / 60 000 × 0.0001 = 0.00001 BTC = 1 000 sat, exactly: no residue.
    expect(events[0]).toMatchObject({
      type: "funding_paid",
      payments: [
        { subaccountId: "alice/0", amountUnits: "-1000" },
        { subaccountId: "bob/0", amountUnits: "1000" },
      ],
      residueUnits: "0",
    });
    expect(btc(d, "alice/0")).toBe(9_999_000n);
    d.deposit("carol/0", "0.1", "BTC");
    d.deposit("dave/0", "0.1", "BTC");
    expect(d.trade("BTC-INV-PERP", "carol/0", "dave/0", "7", "60000").status).toBe("accepted");
    const odd = d.accept({ type: "funding", marketId: "BTC-INV-PERP", ratePerPeriod: -0.000031 });
    // Shorts pay: bob 60 × 0.1/60 × 0.000031 → 10 000 000 × 0.000031 = 310 sat; dave
    // 7 × 100/60 000 × 0.000031 BTC = 36.1666… sat → pays 37, carol receives 36, residue 1.
    expect(odd[0]).toMatchObject({
      payments: [
        { subaccountId: "alice/0", amountUnits: "310" },
        { subaccountId: "bob/0", amountUnits: "-310" },
        { subaccountId: "carol/0", amountUnits: "36" },
        { subaccountId: "dave/0", amountUnits: "-37" },
      ],
      residueUnits: "1",
    });
    expect(d.engine.state().venue.fees.get("BTC")).toBe(1n);
  });
});

describe("inverse perpetual: liquidation and deleveraging", () => {
  it("liquidates partially with the penalty in BTC, then deleverages at the inverse bankruptcy price", () => {
    const d = venue();
    d.deposit("alice/0", "0.01", "BTC");
    d.deposit("bob/0", "10", "BTC");
    d.deposit("liq/0", "1000000");
    // 50 contracts = 5 000 USD: IM 500 ≤ equity 0.01 × 60 000 × 0.9 = 540; basis
    // 50 × 100 / 60 000 BTC = 8 333 333 sat (floored).
    expect(d.trade("BTC-INV-PERP", "alice/0", "bob/0", "50", "60000").status).toBe("accepted");
    d.wait(120_000);
    const drop = d.price(56_000);
    // At 56 000: collateral 0.01 × 56 000 × 0.9 = 504, PnL 5 000 × (56/60 − 1) = −333.33 (the
    // basis is 1 sat short of 1/120 BTC: −0.00056) → equity 170.66648 < MM 250.
    const started = drop.find((e) => e.type === "liquidation_started");
    expect(started).toMatchObject({ subaccountId: "alice/0", maintenanceMarginUsd: 250 });
    expect((started as { equityUsd: number }).equityUsd).toBeCloseTo(170.66648, 8);
    d.wait(2000);
    const take = d.accept({
      type: "liquidate",
      liquidatorSubaccountId: "liq/0",
      subaccountId: "alice/0",
      marketId: "BTC-INV-PERP",
      size: "50",
    });
    // Discount after 2 s: 0.5 % + 2 × 0.1 % = 0.7 %: sold at 56 000 × 0.993 = 55 608.0.
    const fill = take.find((e) => e.type === "trade_settled") as { lots: string; priceTicks: string };
    expect(fill.priceTicks).toBe("556080");
    expect(fill.lots).toBe("29"); // partial: the plan closes only what brings health to 1.25
    // Realised: ⌊8 333 333 × 29/50⌋ = 4 833 333 − ⌈29 × 100/55 608 BTC⌉ = 5 215 077 → −381 744 sat.
    // Penalty in BTC: 0.5 % × 2 900 USD = 14.5 USD / 56 000 = 25 892 sat (floored).
    expect(take.find((e) => e.type === "liquidation_penalty_paid")).toMatchObject({
      amountUnits: "25892",
      asset: "BTC",
    });
    expect(btc(d, "alice/0")).toBe(1_000_000n - 381_744n - 25_892n);
    expect(d.engine.state().venue.insurance.get("BTC")).toBe(25_892n);
    expect(typesOf(take)).toContain("liquidation_ended");
    expect(d.engine.subaccount("alice/0")!.risk.health).toBeGreaterThanOrEqual(1.25);
    // A gap to 40 000 with an empty USDC fund: bankrupt, deleveraged against bob.
    d.wait(120_000);
    const gap = d.price(40_000);
    const bankrupt = gap.find((e) => e.type === "liquidation_started") as { equityUsd: number };
    // Risk equity: 592 364 sat × 40 000 × 0.9 = 213.25104; PnL of 21 contracts on a 3 500 000 sat
    // basis: (0.035 − 2 100/40 000) × 40 000 = −700 → equity −486.74896.
    expect(bankrupt.equityUsd).toBeCloseTo(-486.74896, 8);
    // But the position's coin losses come out of the coin one for one, before any haircut: closed
    // at the mark, alice would hold 0.00592364 + 0.035 − 0.0525 = −0.01157636 BTC, a debt the
    // close-out converts at the mark: −463.0544 USD. The bankruptcy price pays exactly that:
    // P = m / (1 − 463.0544/2 100) = 2 100 / (0.00592364 + 0.035) = 51 315.0834…, rounded up to
    // the tick in alice's favour: 51 315.1. (The risk deficit gave 52 068.8 and left her 59 238 sat,
    // 21.33 USD after the haircut, paid by bob for nothing.)
    const adl = gap.find((e) => e.type === "trade_settled");
    expect(adl).toMatchObject({ kind: "adl", buyerSubaccountId: "bob/0", lots: "21", priceTicks: "513151" });
    expect(gap.find((e) => e.type === "liquidation_ended")).toMatchObject({ reason: "deleveraged" });
    // Closing: 3 500 000 − ⌈2 100/51 315.1 × 10^8⌉ = 3 500 000 − 4 092 363 = −592 363 sat, so alice
    // ends with 592 364 − 592 363 = 1 sat: zero to the rounding unit (at 51 315.0 she would owe 7).
    expect(btc(d, "alice/0")).toBe(1n);
    expect(d.engine.subaccount("alice/0")!.positions).toEqual([]);
    expect(typesOf(gap)).not.toContain("venue_absorbed");
    expect(typesOf(gap)).not.toContain("debt_converted");
    expect(checkConservation(d.engine.state()).ok).toBe(true);
    expect(stateHash(replayEvents(d.engine.log()))).toBe(d.engine.stateHash());
  });

  it("deleverages a coin-margined account to zero within one tick, longs and shorts, at several gaps", () => {
    // Before the close-out deficit, the coin haircut went into the deficit and every case below
    // ended with thousands of satoshis (tens of USD) paid by the counterparty for nothing.
    for (const [side, gapUsd] of [
      ["long", 45_000],
      ["long", 40_000],
      ["long", 30_000],
      ["short", 75_000],
      ["short", 90_000],
    ] as const) {
      const d = venue();
      d.deposit("alice/0", "0.01", "BTC");
      d.deposit("bob/0", "10", "BTC");
      const [buyer, seller] = side === "long" ? ["alice/0", "bob/0"] : ["bob/0", "alice/0"];
      expect(d.trade("BTC-INV-PERP", buyer, seller, "50", "60000").status).toBe("accepted");
      d.wait(120_000);
      const gap = d.price(gapUsd);
      const adl = gap.find((e) => e.type === "trade_settled") as {
        kind: string;
        lots: string;
        priceTicks: string;
      };
      expect(adl, `${side} ${gapUsd}`).toMatchObject({ kind: "adl", lots: "50" });
      // One tick (0.1 USD) moves the coin value of 5 000 USD by 5 000 × 0.1 / P² BTC; one more
      // satoshi for the rounding of the exit value against the account.
      const priceUsd = Number(adl.priceTicks) / 10;
      const tickSat = Math.ceil(((5_000 * 0.1) / priceUsd ** 2) * 1e8) + 1;
      const left = btc(d, "alice/0");
      expect(left, `${side} ${gapUsd}: ${left} sat left, one tick is ${tickSat}`).toBeGreaterThanOrEqual(0n);
      expect(left, `${side} ${gapUsd}: ${left} sat left, one tick is ${tickSat}`).toBeLessThanOrEqual(
        BigInt(tickSat),
      );
      expect(typesOf(gap)).not.toContain("venue_absorbed");
      expect(d.engine.subaccount("alice/0")!.inLiquidation).toBe(false);
    }
  });

  it("converts a coin debt to quote at the mark before the fund and the venue cover it", () => {
    const d = venue();
    d.accept({ type: "fund_insurance", asset: "USDC", amount: "100000" });
    d.deposit("alice/0", "0.01", "BTC");
    d.deposit("bob/0", "10", "BTC");
    d.deposit("liq/0", "1000000");
    expect(d.trade("BTC-INV-PERP", "alice/0", "bob/0", "50", "60000").status).toBe("accepted");
    d.wait(120_000);
    // 40 000 at once: equity 0.01 × 40 000 × 0.9 − 5 000 × (1 − 40/60) = 360 − 1 666.67 < 0; the
    // fund (100 000 USDC) lends the deficit plus the auction budget.
    const gap = d.price(40_000);
    expect(typesOf(gap)).toContain("insurance_drawn");
    d.wait(1000);
    const rest = d.accept({
      type: "liquidate",
      liquidatorSubaccountId: "liq/0",
      subaccountId: "alice/0",
      marketId: "BTC-INV-PERP",
      size: "50",
    });
    // Selling 50 contracts below 40 000 realises more than alice's 0.01 BTC: her BTC goes
    // negative and is converted to quote debt at the mark (rounded up), then repaid from the
    // insurance money she holds; what is left goes back to the fund.
    const converted = rest.find((e) => e.type === "debt_converted") as {
      amountUnits: string;
      quoteUnits: string;
    };
    expect(converted).toBeDefined();
    expect(BigInt(converted.quoteUnits)).toBe(
      BigInt(Math.ceil((Number(converted.amountUnits) / 1e8) * 40_000 * 1e6)),
    );
    expect(rest.at(-1)).toMatchObject({ type: "liquidation_ended", reason: "closed" });
    expect(btc(d, "alice/0")).toBe(0n);
    expect(checkConservation(d.engine.state()).ok).toBe(true);
  });
});
