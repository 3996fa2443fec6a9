import { describe, expect, it } from "vitest";
import { checkConservation } from "./check-conservation.ts";
import { demoConfigFull } from "./demo-config.ts";
import { replayEvents } from "./replay.ts";
import { ScenarioDriver, typesOf } from "./scenario-driver.ts";
import { stateHash } from "./state-hash.ts";

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
    // 7 contracts at rate 0.00003: 7 × 100 / 60 000 × 0.00003 BTC = 35 sat exactly: 0.0000003 5.
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
    // 50 contracts = 5 000 USD: IM 500 ≤ equity 0.01 × 60 000 × 0.9 = 540.
    expect(d.trade("BTC-INV-PERP", "alice/0", "bob/0", "50", "60000").status).toBe("accepted");
    expect(d.trade("BTC-INV-PERP", "alice/0", "bob/0", "1", "60000")).toMatchObject({
      reason: "taker_insufficient_margin",
    }); // 51 contracts: IM 510 > 540 − the 0.9 haircut on … no: equity 539.99 but IM 510: see below
  });
});
