import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { MarginalError } from "../core/errors.ts";
import { checkConservation } from "./check-conservation.ts";
import { createEngine, type Engine, type RiskPath } from "./create-engine.ts";
import { demoConfig, demoConfigFull, demoRiskParams, demoRiskParamsFull } from "./demo-config.ts";
import type { EngineState } from "./engine-state.ts";
import type { EngineEvent } from "./events.ts";
import { planLiquidation } from "./liquidation-plan.ts";
import { computeRisk, marksValidFor } from "./subaccount-risk.ts";

/*
 * A deterministic venue simulator in the manner of TigerBeetle's VOPR: a seeded PRNG drives
 * random deposits, withdrawals, fills, funding, liquidator takeovers and a price path with
 * volatility, crashes, stale and manipulated oracle reports; an independent auditor checks the
 * invariants after every event. Every failure message carries the seed that reproduces it.
 */

export interface SimulationOptions {
  seed: number;
  accounts: number;
  steps: number;
  /** Random commands between two price ticks. */
  actionsPerStep: number;
  /** Run the per-event auditor (off to measure raw throughput). */
  audit: boolean;
  /** Initial insurance fund in USDC (0 forces auto-deleveraging on bankruptcies). */
  insuranceUsd: number;
  /** Margin from the engine's static fractions (default) or the core policy in a mode. */
  policy?: "engine" | "cross" | "portfolio";
  /**
   * The full venue (default true): BTC and USDC collateral mixed, an inverse perpetual beside the
   * linear one, sub-accounts in isolated and cross (and portfolio, with a policy) modes with IM
   * multipliers and parameter sets, and the auction backstop. False: the original USDC-only run.
   */
  full?: boolean;
  /** The engine's risk path (default: the engine's default); audit checks every columnar skip. */
  riskPath?: RiskPath;
  auditRiskPath?: boolean;
}

export interface SimulationReport {
  seed: number;
  commands: number;
  rejected: number;
  /** Rejected commands per reason code. */
  rejectedByReason: Record<string, number>;
  events: number;
  eventCounts: Record<string, number>;
  elapsedMs: number;
  eventsPerSecond: number;
  finalHash: string;
  log: readonly EngineEvent[];
  midpointSnapshotSeq: number;
  engine: Engine;
}

type Rng = ReturnType<typeof xoroshiro128plus>;

function fail(seed: number, message: string, details?: Record<string, unknown>): never {
  throw new MarginalError(
    "invariant_violated",
    `[seed ${seed}] ${message}`,
    details === undefined ? {} : { details },
  );
}

/** Sub-accounts named in an event (the ones whose invariants it can change). */
function touchedSubaccounts(e: EngineEvent): string[] {
  const out: string[] = [];
  const r = e as unknown as Record<string, unknown>;
  for (const key of [
    "subaccountId",
    "fromSubaccountId",
    "toSubaccountId",
    "buyerSubaccountId",
    "sellerSubaccountId",
  ]) {
    if (typeof r[key] === "string") out.push(r[key] as string);
  }
  if (e.type === "funding_paid") for (const p of e.payments) out.push(p.subaccountId);
  return out;
}

/** The auditor: conservation after every event, risk sanity for the sub-accounts it touched. */
function auditEvent(state: EngineState, seed: number, e: EngineEvent): void {
  const conservation = checkConservation(state);
  if (!conservation.ok) fail(seed, `money not conserved after event ${e.seq} (${e.type})`, { conservation });
  for (const id of touchedSubaccounts(e)) {
    const s = state.subaccounts[state.subaccountIndex.get(id)!]!;
    const risk = computeRisk(state, s);
    if (!(risk.initialMarginUsd >= risk.maintenanceMarginUsd && risk.maintenanceMarginUsd >= 0)) {
      fail(seed, `IM ≥ MM ≥ 0 broken for ${id} after event ${e.seq}`, { risk });
    }
  }
}

/**
 * After a whole command (its sweep included), for every sub-account it touched: a negative
 * balance is allowed only while the sub-account is in liquidation, or while its equity (other
 * collateral after haircuts + unrealised PnL) still covers it: USDC legitimately goes negative
 * against BTC collateral when a linear perp loses, and BTC against USDC when an inverse one does.
 * An isolated sub-account never holds two markets.
 */
export function auditCommand(state: EngineState, seed: number, events: readonly EngineEvent[]): void {
  const seen = new Set<string>();
  for (const e of events) {
    for (const id of touchedSubaccounts(e)) {
      if (seen.has(id)) continue;
      seen.add(id);
      const s = state.subaccounts[state.subaccountIndex.get(id)!]!;
      if (s.mode === "isolated" && s.positions.size > 1)
        fail(seed, `isolated ${id} holds ${s.positions.size} markets (event ${e.seq})`);
      if (s.liquidation !== null) continue;
      const negative = [...s.balances].find(([, amount]) => amount < 0n);
      // Without a valid mark nobody is liquidated (by design), so equity at a stale mark proves nothing.
      if (negative === undefined || !marksValidFor(state, s)) continue;
      const risk = computeRisk(state, s);
      if (risk.equityUsd < 0)
        fail(
          seed,
          `negative ${negative[0]} balance ${negative[1]} of ${id} with equity ${risk.equityUsd} ` +
            `outside a liquidation (event ${e.seq})`,
        );
    }
  }
}

class Simulator {
  readonly engine: Engine;
  private readonly rng: Rng;
  private nowMs = Date.UTC(2026, 0, 5);
  private priceUsd = 60_000;
  private n = 0;
  commands = 0;
  rejected = 0;
  readonly reasons: Record<string, number> = {};

  constructor(private readonly o: SimulationOptions) {
    this.engine = createEngine({
      ...(o.riskPath === undefined ? {} : { riskPath: o.riskPath }),
      ...(o.auditRiskPath === undefined ? {} : { auditRiskPath: o.auditRiskPath }),
    });
    this.rng = xoroshiro128plus(o.seed);
    if (o.audit) this.engine.subscribe((e) => auditEvent(this.engine.state(), o.seed, e));
  }

  private int(min: number, max: number): number {
    return uniformInt(this.rng, min, max);
  }
  private unit(): number {
    return uniformFloat64(this.rng);
  }
  private gaussian(): number {
    return Math.sqrt(-2 * Math.log(1 - this.unit())) * Math.cos(2 * Math.PI * this.unit());
  }

  submit(command: Record<string, unknown>): void {
    this.n += 1;
    this.commands += 1;
    const result = this.engine.submit({ id: `s${this.o.seed}-${this.n}`, atMs: this.nowMs, ...command });
    if (result.status === "rejected") {
      this.rejected += 1;
      this.reasons[result.reason] = (this.reasons[result.reason] ?? 0) + 1;
    }
    if (this.o.audit && result.status === "accepted")
      auditCommand(this.engine.state(), this.o.seed, result.events);
  }

  private get full(): boolean {
    return this.o.full ?? true;
  }

  setup(): void {
    const policy = this.o.policy ?? "engine";
    const base = this.full ? demoConfigFull(10_000) : demoConfig();
    const params = this.full ? demoRiskParamsFull() : demoRiskParams();
    const config = policy === "engine" ? base : { ...base, riskPolicy: { mode: policy, params } };
    this.submit({ type: "configure", config });
    if (this.o.insuranceUsd > 0)
      this.submit({ type: "fund_insurance", asset: "USDC", amount: String(this.o.insuranceUsd) });
    this.tick();
    const modes = policy === "engine" ? ["cross", "isolated"] : ["cross", "isolated", "portfolio"];
    for (let i = 0; i < this.o.accounts; i += 1) {
      // Mixed collateral: a third of the traders post BTC (haircut 10 %) instead of USDC.
      const btc = this.full && i % 3 === 1;
      this.submit({
        type: "deposit",
        accountId: `t${i}`,
        subaccountId: `t${i}/0`,
        asset: btc ? "BTC" : "USDC",
        amount: btc ? (this.int(1, 80) / 100).toFixed(2) : String(this.int(500, 50_000)),
        ...(this.full ? { marginMode: modes[i % modes.length] } : {}),
      });
    }
    for (let i = 0; i < 4; i += 1) {
      this.submit({
        type: "deposit",
        accountId: `liq${i}`,
        subaccountId: `liq${i}/0`,
        asset: "USDC",
        amount: "50000000",
      });
    }
  }

  /** One price tick: a log-normal step, sometimes a crash, stale or manipulated reports. */
  tick(): void {
    this.nowMs += this.int(500, 3_000);
    const crash = this.unit() < 0.01;
    const move = crash ? -(0.08 + 0.2 * this.unit()) : 0.004 * this.gaussian();
    this.priceUsd = Math.max(1_000, this.priceUsd * Math.exp(move));
    if (this.unit() < 0.02) this.nowMs += 15_000; // an oracle outage: the old reports go stale
    for (const source of ["alpha", "beta", "gamma"]) {
      if (this.unit() < 0.05) continue; // a missing report
      const manipulated = this.unit() < 0.01;
      const price = manipulated ? this.priceUsd * 0.5 : this.priceUsd * (1 + 0.0005 * this.gaussian());
      const published = this.unit() < 0.02 ? this.nowMs - 20_000 : this.nowMs;
      this.submit({
        type: "oracle_report",
        underlying: "BTC",
        source,
        price: price.toFixed(2),
        confidence: (price * 0.0005).toFixed(2),
        publishedAtMs: published,
      });
    }
  }

  private trader(): string {
    return `t${this.int(0, this.o.accounts - 1)}/0`;
  }

  /** A random fill on the linear perp, or (full venue) on the inverse one. */
  private fill(): void {
    const a = this.trader();
    let b = this.trader();
    if (a === b) b = `t${(Number(a.slice(1, -2)) + 1) % this.o.accounts}/0`;
    const inverse = this.full && this.unit() < 0.35;
    const takerSide = this.unit() < 0.5 ? "buy" : "sell";
    if (inverse) {
      // 1..400 contracts of 100 USD; the fee is in BTC (5 bp of the USD notional at the price).
      const contracts = this.int(1, 400);
      const price = (this.priceUsd * (1 + 0.002 * (this.unit() - 0.5))).toFixed(1);
      this.submit({
        type: "fill",
        marketId: "BTC-INV-PERP",
        takerSide,
        makerSubaccountId: a,
        takerSubaccountId: b,
        size: String(contracts),
        price,
        makerFee: "0",
        takerFee: ((contracts * 100 * 0.0005) / Number(price)).toFixed(8),
      });
      return;
    }
    const size = (this.int(1, 2_000) / 1000).toFixed(3);
    const price = (this.priceUsd * (1 + 0.002 * (this.unit() - 0.5))).toFixed(2);
    this.submit({
      type: "fill",
      marketId: "BTC-PERP",
      takerSide,
      makerSubaccountId: a,
      takerSubaccountId: b,
      size,
      price,
      makerFee: "0",
      takerFee: (Number(size) * this.priceUsd * 0.0005).toFixed(6),
    });
  }

  /** Per-sub-account settings: a trader's IM multiplier, a mode switch, a venue parameter set. */
  private settings(): void {
    const who = this.trader();
    const roll = this.unit();
    if (roll < 0.4) {
      this.submit({ type: "set_im_multiplier", subaccountId: who, imMultiplier: 1 + this.int(0, 4) / 4 });
    } else if (roll < 0.8 || this.o.policy === undefined || this.o.policy === "engine") {
      const modes =
        this.o.policy === "cross" || this.o.policy === "portfolio"
          ? ["cross", "isolated", "portfolio"]
          : ["cross", "isolated"];
      this.submit({ type: "set_margin_mode", subaccountId: who, mode: modes[this.int(0, modes.length - 1)] });
    } else {
      this.submit({
        type: "assign_param_set",
        subaccountId: who,
        paramSetId: this.unit() < 0.5 ? "conservative" : null,
      });
    }
  }

  action(): void {
    const roll = this.unit();
    if (roll < 0.6) {
      this.fill();
    } else if (this.full && roll < 0.62) {
      this.settings();
    } else if (roll < 0.7) {
      const who = this.trader();
      const btc = this.full && this.unit() < 0.3;
      this.submit({
        type: "deposit",
        accountId: who.slice(0, -2),
        subaccountId: who,
        asset: btc ? "BTC" : "USDC",
        amount: btc ? (this.int(1, 10) / 100).toFixed(2) : String(this.int(10, 5_000)),
      });
    } else if (roll < 0.8) {
      const btc = this.full && this.unit() < 0.3;
      this.submit({
        type: "withdraw",
        subaccountId: this.trader(),
        asset: btc ? "BTC" : "USDC",
        amount: btc ? (this.int(1, 20) / 100).toFixed(2) : String(this.int(10, 10_000)),
      });
    } else if (roll < 0.82) {
      const marketId = this.full && this.unit() < 0.4 ? "BTC-INV-PERP" : "BTC-PERP";
      this.submit({ type: "funding", marketId, ratePerPeriod: 0.0002 * this.gaussian() });
    } else {
      this.liquidate();
    }
  }

  /** A liquidator takes the next planned position of some account in liquidation. */
  private liquidate(): void {
    const state = this.engine.state();
    if (state.liquidating.size === 0) return;
    const inLiquidation = [...state.liquidating].sort((a, b) => a - b);
    const target = state.subaccounts[inLiquidation[this.int(0, inLiquidation.length - 1)]!]!;
    const step = planLiquidation(state, target)[0];
    if (step === undefined) return;
    this.nowMs += this.int(0, 4_000);
    // Sometimes no liquidator shows up for a while: the auction times out to the backstop.
    if (this.full && this.unit() < 0.3) {
      this.nowMs += 38_000;
      this.tick(); // fresh reports: the backstop needs a valid mark
      return;
    }
    const sizeDecimals = step.marketId === "BTC-INV-PERP" ? 0 : 3;
    this.submit({
      type: "liquidate",
      liquidatorSubaccountId: `liq${this.int(0, 3)}/0`,
      subaccountId: target.id,
      marketId: step.marketId,
      size: (Number(step.lots) / 10 ** sizeDecimals).toFixed(sizeDecimals),
    });
  }
}

/** Runs one seeded simulation; throws with the seed on the first broken invariant. */
export function runSimulation(options: SimulationOptions): SimulationReport {
  const sim = new Simulator(options);
  const started = performance.now();
  sim.setup();
  let midpointSnapshotSeq = 0;
  for (let step = 0; step < options.steps; step += 1) {
    sim.tick();
    for (let k = 0; k < options.actionsPerStep; k += 1) sim.action();
    if (step === options.steps >> 1) midpointSnapshotSeq = sim.engine.state().seq;
  }
  const elapsedMs = performance.now() - started;
  const log = sim.engine.log();
  const eventCounts: Record<string, number> = {};
  for (const e of log) eventCounts[e.type] = (eventCounts[e.type] ?? 0) + 1;
  return {
    seed: options.seed,
    commands: sim.commands,
    rejected: sim.rejected,
    rejectedByReason: sim.reasons,
    events: log.length,
    eventCounts,
    elapsedMs,
    eventsPerSecond: (log.length / elapsedMs) * 1000,
    finalHash: sim.engine.stateHash(),
    log,
    midpointSnapshotSeq,
    engine: sim.engine,
  };
}
