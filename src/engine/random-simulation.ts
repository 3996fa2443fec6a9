import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { MarginalError } from "../core/errors.ts";
import { checkConservation } from "./check-conservation.ts";
import { createEngine, type Engine } from "./create-engine.ts";
import { demoConfig, demoRiskParams } from "./demo-config.ts";
import type { EngineState } from "./engine-state.ts";
import type { EngineEvent } from "./events.ts";
import { planLiquidation } from "./liquidation-plan.ts";
import { computeRisk } from "./subaccount-risk.ts";

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
}

export interface SimulationReport {
  seed: number;
  commands: number;
  rejected: number;
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

/** After a whole command (its sweep included): no negative balance outside a liquidation. */
function auditCommand(state: EngineState, seed: number, events: readonly EngineEvent[]): void {
  for (const e of events) {
    for (const id of touchedSubaccounts(e)) {
      const s = state.subaccounts[state.subaccountIndex.get(id)!]!;
      for (const [asset, amount] of s.balances) {
        if (amount < 0n && s.liquidation === null) {
          fail(seed, `negative ${asset} balance ${amount} of ${id} outside a liquidation (event ${e.seq})`);
        }
      }
    }
  }
}

class Simulator {
  readonly engine = createEngine();
  private readonly rng: Rng;
  private nowMs = Date.UTC(2026, 0, 5);
  private priceUsd = 60_000;
  private n = 0;
  commands = 0;
  rejected = 0;

  constructor(private readonly o: SimulationOptions) {
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
    if (result.status === "rejected") this.rejected += 1;
    if (this.o.audit && result.status === "accepted")
      auditCommand(this.engine.state(), this.o.seed, result.events);
  }

  setup(): void {
    const policy = this.o.policy ?? "engine";
    const config =
      policy === "engine"
        ? demoConfig()
        : { ...demoConfig(), riskPolicy: { mode: policy, params: demoRiskParams() } };
    this.submit({ type: "configure", config });
    if (this.o.insuranceUsd > 0)
      this.submit({ type: "fund_insurance", asset: "USDC", amount: String(this.o.insuranceUsd) });
    this.tick();
    for (let i = 0; i < this.o.accounts; i += 1) {
      this.submit({
        type: "deposit",
        accountId: `t${i}`,
        subaccountId: `t${i}/0`,
        asset: "USDC",
        amount: String(this.int(500, 50_000)),
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

  action(): void {
    const roll = this.unit();
    if (roll < 0.6) {
      const a = this.trader();
      let b = this.trader();
      if (a === b) b = `t${(Number(a.slice(1, -2)) + 1) % this.o.accounts}/0`;
      const size = (this.int(1, 2_000) / 1000).toFixed(3);
      const price = (this.priceUsd * (1 + 0.002 * (this.unit() - 0.5))).toFixed(2);
      this.submit({
        type: "fill",
        marketId: "BTC-PERP",
        takerSide: this.unit() < 0.5 ? "buy" : "sell",
        makerSubaccountId: a,
        takerSubaccountId: b,
        size,
        price,
        makerFee: "0",
        takerFee: (Number(size) * this.priceUsd * 0.0005).toFixed(6),
      });
    } else if (roll < 0.7) {
      const who = this.trader();
      this.submit({
        type: "deposit",
        accountId: who.slice(0, -2),
        subaccountId: who,
        asset: "USDC",
        amount: String(this.int(10, 5_000)),
      });
    } else if (roll < 0.8) {
      this.submit({
        type: "withdraw",
        subaccountId: this.trader(),
        asset: "USDC",
        amount: String(this.int(10, 10_000)),
      });
    } else if (roll < 0.82) {
      this.submit({ type: "funding", marketId: "BTC-PERP", ratePerPeriod: 0.0002 * this.gaussian() });
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
    this.submit({
      type: "liquidate",
      liquidatorSubaccountId: `liq${this.int(0, 3)}/0`,
      subaccountId: target.id,
      marketId: step.marketId,
      size: (Number(step.lots) / 1000).toFixed(3),
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
