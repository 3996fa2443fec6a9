import { afterEach, describe, expect, it } from "vitest";
import { checkConservation } from "./check-conservation.ts";
import { rerunOnRiskPaths } from "./hotpath/rerun-on-risk-paths.ts";
import { ScenarioDriver, typesOf } from "./scenario-driver.ts";

// Every scenario of this file, rerun on both risk paths: the columnar one must give the same
// event log and state hash as the reference one (and its audit must never find a wrong skip).
afterEach(() => {
  for (const driver of ScenarioDriver.drainCreated()) {
    const [reference, columnar] = rerunOnRiskPaths(driver.commands);
    expect(columnar!.logJson, "columnar path event log").toBe(reference!.logJson);
    expect(columnar!.hash, "columnar path state hash").toBe(reference!.hash);
  }
});

describe("scenario: a leveraged long through a crash", () => {
  it("liquidates partially, then fully, with liquidator fills and an insurance draw", () => {
    const d = new ScenarioDriver();
    d.price(60_000);
    d.deposit("alice/0", "10000");
    d.deposit("mm/0", "1000000");
    d.deposit("liq/0", "1000000");
    d.accept({ type: "fund_insurance", asset: "USDC", amount: "50000" });
    // Alice buys 1 BTC at 60 000 with 10 000 USDC: IM 6 000, MM 3 000.
    expect(d.trade("BTC-PERP", "alice/0", "mm/0", "1", "60000").status).toBe("accepted");
    d.wait(1000);
    const crash = d.price(53_500);
    // A 10.8 % move within the 60 s window (> 5 %) tightens margins by one step to 1.25×:
    // MM = 53 500 × 5 % × 1.25 = 3 343.75 ≤ equity 10 000 − 6 500 = 3 500: no liquidation yet.
    expect(crash.find((e) => e.type === "margin_multiplier_changed")).toMatchObject({ multiplier: 1.25 });
    expect(typesOf(crash)).not.toContain("liquidation_started");
    expect(d.engine.subaccount("alice/0")!.risk.maintenanceMarginUsd).toBeCloseTo(3343.75, 9);
    d.wait(1000);
    const breach = d.price(52_500);
    // equity 2 500 < MM ≈ 52 500 × 5 % × 1.2506 (speed-limited second step) ≈ 3 282.
    expect(typesOf(breach)).toContain("liquidation_started");
    // Partial: the liquidator offers the whole position but the plan takes only what is needed.
    d.wait(2000);
    const take = d.accept({
      type: "liquidate",
      liquidatorSubaccountId: "liq/0",
      subaccountId: "alice/0",
      marketId: "BTC-PERP",
      size: "1",
    });
    const fill = take.find((e) => e.type === "trade_settled");
    expect(fill).toBeDefined();
    const taken = BigInt((fill as { lots: string }).lots);
    expect(taken).toBeGreaterThan(0n);
    expect(taken).toBeLessThan(1000n); // partial: fewer than the 1 000 lots (1 BTC) held
    // Discount after 2 s: 0.5 % + 2 × 0.1 % = 0.7 %.
    expect((fill as { discountFraction: number }).discountFraction).toBeCloseTo(0.007, 12);
    expect(typesOf(take)).toContain("liquidation_penalty_paid");
    expect(typesOf(take)).toContain("liquidation_ended");
    const alice = d.engine.subaccount("alice/0")!;
    expect(alice.inLiquidation).toBe(false);
    expect(alice.risk.health).toBeGreaterThanOrEqual(1.25 - 1e-9);
    // Then a gap far below bankruptcy: alice's remaining ~0.29 BTC long loses ~3 660 USD on
    // ~2 050 of equity; the fund lends the deficit plus the auction budget. The 24 % move also
    // trips the breaker (reduce-only), which does not stop liquidations on a valid mark.
    d.wait(1000);
    const gap = d.price(40_000);
    expect(typesOf(gap)).toEqual(
      expect.arrayContaining(["market_status_changed", "liquidation_started", "insurance_drawn"]),
    );
    const insuranceBefore = d.engine.state().venue.insurance.get("USDC") ?? 0n;
    d.wait(5000);
    const rest = d.accept({
      type: "liquidate",
      liquidatorSubaccountId: "liq/0",
      subaccountId: "alice/0",
      marketId: "BTC-PERP",
      size: "1",
    });
    expect(typesOf(rest)).toContain("liquidation_ended");
    const ended = rest.find((e) => e.type === "liquidation_ended") as { reason: string };
    expect(ended.reason).toBe("closed");
    expect(d.engine.subaccount("alice/0")!.positions).toEqual([]);
    // The fund paid for the deficit net of any refund.
    const insuranceAfter = d.engine.state().venue.insurance.get("USDC") ?? 0n;
    expect(insuranceAfter).toBeLessThan(50_000_000_000n);
    expect(insuranceAfter).toBeGreaterThanOrEqual(insuranceBefore);
    expect(checkConservation(d.engine.state()).ok).toBe(true);
  });
});

describe("scenario: a gap down past bankruptcy with an empty insurance fund", () => {
  it("auto-deleverages the most profitable, most levered shorts at the bankruptcy price", () => {
    const d = new ScenarioDriver();
    d.price(60_000);
    d.deposit("alice/0", "10000");
    d.deposit("mm/0", "1000000");
    d.deposit("bob/0", "5000");
    d.deposit("carol/0", "100000");
    expect(d.trade("BTC-PERP", "alice/0", "mm/0", "1", "60000").status).toBe("accepted");
    expect(d.trade("BTC-PERP", "carol/0", "bob/0", "0.5", "60000").status).toBe("accepted");
    d.wait(1000);
    const gap = d.price(45_000);
    // alice: equity 10 000 − 15 000 = −5 000, fund empty → ADL at the bankruptcy price
    // 45 000 + 5 000 / 1 BTC = 50 000. Ranking (pnl/basis × notional/equity): bob
    // 0.25 × 22 500 / 12 500 = 0.45 before mm 0.25 × 45 000 / 1 015 000 ≈ 0.011.
    const adl = gap.filter((e) => e.type === "trade_settled" && e.kind === "adl") as {
      buyerSubaccountId: string;
      lots: string;
      priceTicks: string;
    }[];
    expect(adl.map((e) => [e.buyerSubaccountId, e.lots, e.priceTicks])).toEqual([
      ["bob/0", "500", "5000000"],
      ["mm/0", "500", "5000000"],
    ]);
    expect(gap.find((e) => e.type === "liquidation_ended")).toMatchObject({ reason: "deleveraged" });
    expect(typesOf(gap)).not.toContain("insurance_drawn");
    // alice ends flat at exactly zero; bob realised (60 000 − 50 000) × 0.5 = 5 000, not 7 500.
    expect(d.engine.subaccount("alice/0")!.balances.USDC ?? 0n).toBe(0n);
    expect(d.engine.subaccount("bob/0")!.balances.USDC).toBe(10_000_000_000n);
    expect(d.engine.subaccount("bob/0")!.positions).toEqual([]);
    expect(checkConservation(d.engine.state()).ok).toBe(true);
  });
});

describe("scenario: a stale oracle during a crash", () => {
  it("liquidates nobody until a valid price returns, then recovers by itself", () => {
    const d = new ScenarioDriver();
    d.price(60_000);
    d.deposit("alice/0", "10000");
    d.deposit("mm/0", "1000000");
    d.trade("BTC-PERP", "alice/0", "mm/0", "1", "60000");
    const t0 = d.nowMs;
    d.wait(15_000);
    // A crash print that was published 12 s ago is stale (max age 10 s): rejected.
    const stale = d.send({
      type: "oracle_report",
      underlying: "BTC",
      source: "alpha",
      price: "50000",
      confidence: "50",
      publishedAtMs: t0 + 3_000,
    });
    expect(stale).toMatchObject({ status: "rejected", reason: "oracle_stale" });
    // Time passes: no valid mark → reduce-only, no liquidation although alice would be under MM.
    const tick = d.accept({ type: "tick" });
    expect(tick.map((e) => e.type)).toEqual(["mark_changed", "market_status_changed"]);
    expect(tick[1]).toMatchObject({ status: "reduce_only", reason: "no_valid_price" });
    expect(d.trade("BTC-PERP", "alice/0", "mm/0", "0.1", "50000")).toMatchObject({
      reason: "market_reduce_only",
    });
    d.wait(60_000);
    expect(d.accept({ type: "tick" })[0]).toMatchObject({
      status: "halted",
      reason: "no_valid_price_timeout",
    });
    expect(d.engine.subaccount("alice/0")!.inLiquidation).toBe(false);
    // Valid prices return: the market recovers and only now is alice liquidated.
    const back = d.price(50_000);
    expect(typesOf(back)).toContain("liquidation_started");
    expect(back.find((e) => e.type === "market_status_changed")).toMatchObject({ status: "active" });
  });
});

describe("scenario: a manipulated single source", () => {
  it("is rejected against concurrent reports, and outvoted by the median otherwise", () => {
    const d = new ScenarioDriver();
    d.price(60_000);
    d.deposit("alice/0", "10000");
    d.deposit("mm/0", "1000000");
    d.trade("BTC-PERP", "alice/0", "mm/0", "1", "60000");
    d.wait(1000);
    d.price(60_100, "BTC", ["beta", "gamma"]);
    const fake = d.send({
      type: "oracle_report",
      underlying: "BTC",
      source: "alpha",
      price: "30000",
      confidence: "30",
      publishedAtMs: d.nowMs,
    });
    expect(fake).toMatchObject({ status: "rejected", reason: "oracle_deviation" });
    // Reported first in a new second, with no concurrent report to compare to, it is stored,
    // but the median of the three (30 000, 60 100, 60 100) drops it: the mark does not move.
    d.wait(1000);
    const first = d.accept({
      type: "oracle_report",
      underlying: "BTC",
      source: "alpha",
      price: "30000",
      confidence: "30",
      publishedAtMs: d.nowMs,
    });
    expect(typesOf(first)).toEqual(["oracle_accepted"]);
    expect(d.engine.state().underlyings.get("BTC")!.markTicks).toBe(6_010_000n);
    expect(d.engine.subaccount("alice/0")!.inLiquidation).toBe(false);
  });
});

describe("scenario: duplicate command ids", () => {
  it("answers a repeated id with the original events and applies it once", () => {
    const d = new ScenarioDriver();
    const command = {
      id: "dep-1",
      type: "deposit",
      accountId: "a",
      subaccountId: "a/0",
      asset: "USDC",
      amount: "5",
    };
    const first = d.send(command);
    const again = d.send(command);
    expect(first.status).toBe("accepted");
    expect(again.status).toBe("duplicate");
    expect(again.status === "duplicate" && again.events).toEqual(first.status === "accepted" && first.events);
    expect(d.engine.subaccount("a/0")!.balances.USDC).toBe(5_000_000n);
  });
});

describe("scenario: withdrawals that would breach IM", () => {
  it("rejects the withdrawal that leaves equity below IM and accepts the one that does not", () => {
    const d = new ScenarioDriver();
    d.price(60_000);
    d.deposit("alice/0", "10000");
    d.deposit("mm/0", "1000000");
    d.trade("BTC-PERP", "alice/0", "mm/0", "1", "60000");
    // IM = 60 000 × 10 % = 6 000 → at most 4 000 of the 10 000 can leave.
    const tooMuch = d.send({
      type: "withdraw",
      subaccountId: "alice/0",
      asset: "USDC",
      amount: "4000.000001",
    });
    expect(tooMuch).toMatchObject({ status: "rejected", reason: "insufficient_margin" });
    expect(d.engine.subaccount("alice/0")!.balances.USDC).toBe(10_000_000_000n);
    d.accept({ type: "withdraw", subaccountId: "alice/0", asset: "USDC", amount: "4000" });
    expect(d.engine.subaccount("alice/0")!.balances.USDC).toBe(6_000_000_000n);
    const transfer = d.send({
      type: "transfer",
      fromSubaccountId: "alice/0",
      toSubaccountId: "alice/1",
      asset: "USDC",
      amount: "1",
    });
    expect(transfer).toMatchObject({ status: "rejected", reason: "unknown_subaccount" });
  });
});

describe("scenario: funding", () => {
  it("moves size × contract size × mark × rate from longs to shorts, residue to the venue", () => {
    const d = new ScenarioDriver();
    d.price(60_000);
    d.deposit("alice/0", "20000");
    d.deposit("bob/0", "20000");
    d.trade("BTC-PERP", "alice/0", "bob/0", "1.5", "60000");
    // 1.5 × 60 000 × 0.0001 = 9 USD exactly.
    const exact = d.accept({ type: "funding", marketId: "BTC-PERP", ratePerPeriod: 0.0001 });
    expect(exact[0]).toMatchObject({
      payments: [
        { subaccountId: "alice/0", amountUnits: "-9000000" },
        { subaccountId: "bob/0", amountUnits: "9000000" },
      ],
      residueUnits: "0",
    });
    // 1.5 × 60 000 × 1.234567e-7 = 0.0111111 USD: payer ⌈11 111.103⌉ = 11 112, receiver 11 111.
    const odd = d.accept({ type: "funding", marketId: "BTC-PERP", ratePerPeriod: 1.234567e-7 });
    expect(odd[0]).toMatchObject({
      payments: [
        { subaccountId: "alice/0", amountUnits: "-11112" },
        { subaccountId: "bob/0", amountUnits: "11111" },
      ],
      residueUnits: "1",
    });
  });
});

describe("scenario: option and dated-future expiry", () => {
  it("settles a call at its intrinsic value and a future at the settlement price", () => {
    const d = new ScenarioDriver(Date.UTC(2026, 2, 27, 7, 59));
    d.price(64_000);
    d.deposit("alice/0", "20000");
    d.deposit("bob/0", "30000");
    expect(d.trade("BTC-C-60000-MAR26", "alice/0", "bob/0", "1", "4100").status).toBe("accepted");
    expect(d.trade("BTC-FUT-MAR26", "alice/0", "bob/0", "0.5", "64000").status).toBe("accepted");
    expect(
      d.send({ type: "settle_expiry", marketId: "BTC-C-60000-MAR26", settlementPrice: "65000" }),
    ).toMatchObject({
      reason: "market_not_expired",
    });
    d.wait(60_000);
    d.price(65_000);
    d.accept({ type: "settle_expiry", marketId: "BTC-C-60000-MAR26", settlementPrice: "65000" });
    d.accept({ type: "settle_expiry", marketId: "BTC-FUT-MAR26", settlementPrice: "65000" });
    // Call: intrinsic 5 000 − premium 4 100 = +900; future: 0.5 × (65 000 − 64 000) = +500.
    expect(d.engine.subaccount("alice/0")!.balances.USDC).toBe(21_400_000_000n);
    expect(d.engine.subaccount("bob/0")!.balances.USDC).toBe(28_600_000_000n);
    expect(d.engine.subaccount("alice/0")!.positions).toEqual([]);
    expect(d.engine.state().venue.pnlPool.get("USDC") ?? 0n).toBe(0n);
  });
});

describe("scenario: circuit breaker and parameter changes", () => {
  it("goes reduce-only past the hard limit for the cooling period, then recovers", () => {
    const d = new ScenarioDriver();
    d.price(60_000);
    d.deposit("alice/0", "100000");
    d.deposit("bob/0", "100000");
    d.trade("BTC-PERP", "alice/0", "bob/0", "1", "60000");
    d.wait(1000);
    // −20 % within the window: > 15 % → reduce-only for 300 s.
    const drop = d.price(48_000);
    expect(drop.find((e) => e.type === "market_status_changed")).toMatchObject({
      status: "reduce_only",
      reason: "circuit_breaker",
      coolingUntilMs: d.nowMs + 300_000,
    });
    expect(d.trade("BTC-PERP", "alice/0", "bob/0", "0.1", "48000")).toMatchObject({
      reason: "market_reduce_only",
    });
    // Reducing is allowed: bob buys back part of his short from alice.
    expect(d.trade("BTC-PERP", "bob/0", "alice/0", "0.1", "48000").status).toBe("accepted");
    d.wait(300_000);
    // The old reports went stale meanwhile (no valid price for a moment), then fresh ones agree.
    const after = d.price(48_100).filter((e) => e.type === "market_status_changed");
    expect(after.at(-1)).toMatchObject({ status: "active", reason: "valid_price" });
  });

  it("re-checks holders when maintenance margin is raised and starts liquidations", () => {
    const d = new ScenarioDriver();
    d.price(60_000);
    d.deposit("alice/0", "7000");
    d.deposit("bob/0", "100000");
    d.trade("BTC-PERP", "alice/0", "bob/0", "1", "60000");
    // MM 5 % → 12.5 %: 7 500 > equity 7 000 → liquidation; bob (100 000) is fine.
    const change = d.accept({
      type: "update_risk_params",
      marketId: "BTC-PERP",
      initialMarginFraction: 0.2,
      maintenanceMarginFraction: 0.125,
    });
    expect(
      change
        .filter((e) => e.type === "liquidation_started")
        .map((e) => (e as { subaccountId: string }).subaccountId),
    ).toEqual(["alice/0"]);
  });

  it("rejects a liquidator that would not meet IM, and a takeover outside the plan's order", () => {
    const d = new ScenarioDriver();
    d.price(60_000);
    d.deposit("alice/0", "7000");
    d.deposit("bob/0", "100000");
    d.deposit("poor/0", "100");
    d.trade("BTC-PERP", "alice/0", "bob/0", "1", "60000");
    d.accept({
      type: "update_risk_params",
      marketId: "BTC-PERP",
      initialMarginFraction: 0.2,
      maintenanceMarginFraction: 0.125,
    });
    const take = { type: "liquidate", subaccountId: "alice/0", size: "1" };
    expect(d.send({ ...take, liquidatorSubaccountId: "poor/0", marketId: "BTC-PERP" })).toMatchObject({
      reason: "liquidator_insufficient_margin",
    });
    expect(d.send({ ...take, liquidatorSubaccountId: "bob/0", marketId: "BTC-FUT-MAR26" })).toMatchObject({
      reason: "not_next_in_liquidation_order",
    });
    expect(
      d.send({ ...take, liquidatorSubaccountId: "bob/0", marketId: "BTC-PERP", subaccountId: "bob/0" }),
    ).toMatchObject({
      reason: "self_trade",
    });
  });
});

describe("scenario: BTC as haircut collateral", () => {
  it("counts 90 % of the BTC value toward IM and refuses a withdrawal that would breach it", () => {
    const d = new ScenarioDriver();
    d.price(60_000);
    d.deposit("alice/0", "0.2", "BTC");
    d.deposit("bob/0", "100000");
    // 0.2 BTC × 60 000 × (1 − 10 %) = 10 800 USD of collateral; 1 BTC-PERP needs IM 6 000.
    expect(d.engine.subaccount("alice/0")!.risk.equityUsd).toBeCloseTo(10_800, 9);
    expect(d.trade("BTC-PERP", "alice/0", "bob/0", "1", "60000").status).toBe("accepted");
    // Keeping IM needs 6 000 / 54 000 = 0.1111… BTC: withdrawing 0.09 leaves 0.11 → 5 940 < 6 000.
    expect(d.send({ type: "withdraw", subaccountId: "alice/0", asset: "BTC", amount: "0.09" })).toMatchObject(
      {
        reason: "insufficient_margin",
      },
    );
    d.accept({ type: "withdraw", subaccountId: "alice/0", asset: "BTC", amount: "0.08" });
    expect(d.engine.subaccount("alice/0")!.balances.BTC).toBe(12_000_000n);
    expect(d.send({ type: "fund_insurance", asset: "BTC", amount: "1" })).toMatchObject({
      reason: "unknown_asset",
    });
  });
});

describe("scenario: bankruptcy of an account backed by BTC collateral", () => {
  it("settles the debt from the seized collateral before the fund bears any loss", () => {
    const d = new ScenarioDriver();
    d.price(60_000);
    d.accept({ type: "fund_insurance", asset: "USDC", amount: "100000" });
    d.deposit("alice/0", "0.1", "BTC");
    d.deposit("alice/0", "1000");
    d.deposit("bob/0", "100000");
    d.deposit("liq/0", "1000000");
    // Equity 1 000 + 0.1 × 60 000 × 0.9 = 6 400; long 0.5 needs IM 3 000.
    expect(d.trade("BTC-PERP", "alice/0", "bob/0", "0.5", "60000").status).toBe("accepted");
    d.wait(1000);
    // At 45 000: 1 000 + 4 050 − 7 500 = −2 450 → the fund lends deficit + 3 % budget.
    const gap = d.price(45_000);
    expect(gap.find((e) => e.type === "insurance_drawn")).toMatchObject({ deficitUnits: "2450000000" });
    d.wait(3000);
    const take = d.accept({
      type: "liquidate",
      liquidatorSubaccountId: "liq/0",
      subaccountId: "alice/0",
      marketId: "BTC-PERP",
      size: "0.5",
    });
    const seized = take.filter((e) => e.type === "collateral_seized") as {
      amountUnits: string;
      creditedUnits: string;
    }[];
    expect(seized.length).toBeGreaterThan(0);
    expect(take.at(-1)).toMatchObject({ type: "liquidation_ended", reason: "closed" });
    const alice = d.engine.subaccount("alice/0")!;
    expect(alice.balances.USDC ?? 0n).toBe(0n);
    // The fund holds the seized BTC; what it lost in USDC is at most the deficit plus the
    // liquidator's discount, less what the BTC is worth after the haircut.
    const fund = d.engine.state().venue.insurance;
    const btcWorthUsd = (Number(fund.get("BTC") ?? 0n) / 1e8) * 45_000 * 0.9;
    const usdcLossUsd = 100_000 - Number(fund.get("USDC") ?? 0n) / 1e6;
    expect(usdcLossUsd - btcWorthUsd).toBeLessThanOrEqual(2_450 + 0.03 * 22_500 + 1e-6);
    expect(Number(alice.balances.BTC ?? 0n)).toBeLessThan(10_000_000);
  });
});
