import { assertInvariant } from "../../core/errors.ts";
import { CascadeLedger, MICRO_PER_USD, microCeil, microFloor } from "./cascade-ledger.ts";
import { type DepthCurve, impactFraction } from "./depth-curve.ts";
import type { Population } from "./population.ts";

/*
 * One liquidation cascade: a population, a margin policy's IM/MM path, an exogenous (real)
 * price path, and the feedback of liquidations on the price.
 *
 * Each sub-step: the endogenous impact I decays toward 0 (book resilience, half-life
 * `resilienceHalfLifeMinutes`); the mark is exo·e^I; accounts with equity < MM are flagged and
 * become available to liquidators `latencySteps` later (FIFO); liquidators take at most
 * `capacityUsdPerHour`·Δt of notional per sub-step. Liquidation mirrors the engine's rules
 * (src/engine/liquidation-plan.ts): partial, closing the fraction x that restores
 * equity ≥ targetHealth·MM after costs, x = (T·MM − E)/(N·(T·m − c)) with c = fee + discount;
 * an account with equity ≤ 0 is closed in full. The closed notional of the sub-step, netted
 * across longs and shorts, is sold into the depth curve: I moves by ∓impact(|Q|) and every
 * fill of the sub-step is at the average price through the book, mark·e^{ΔI/2}. The liquidator
 * buys at a `discountFraction` discount; the penalty `feeFraction` goes to the insurance fund
 * (from what equity is left); negative equity is bad debt, paid by the fund and, when it is
 * empty, by the socialised-loss account. Money moves on a bigint micro-dollar ledger, audited
 * after every sub-step with a transfer. This is a fast loop of its own, not the engine's event
 * API: a cascade with thousands of accounts over hundreds of sub-steps must run in well under
 * a second per policy.
 */

export interface CascadePath {
  /** Exogenous price (USD) at each sub-step. */
  readonly priceUsd: Float64Array;
  readonly timestampsMs: Float64Array;
  /** For each sub-step, the bar whose requirement is in force (the last closed bar). */
  readonly requirementBar: Int32Array;
}

export interface CascadeParams {
  readonly depth: DepthCurve;
  /** Multiplies the depth curve's notional (1 = calibrated). */
  readonly depthScale: number;
  readonly resilienceHalfLifeMinutes: number;
  readonly latencySteps: number;
  readonly capacityUsdPerHour: number;
  readonly feeFraction: number;
  readonly discountFraction: number;
  readonly targetHealth: number;
  readonly insuranceFundUsd: number;
}

export const DEFAULT_CASCADE_PARAMS: Omit<
  CascadeParams,
  "depth" | "insuranceFundUsd" | "capacityUsdPerHour"
> = {
  depthScale: 1,
  resilienceHalfLifeMinutes: 60,
  latencySteps: 1,
  feeFraction: 0.01,
  discountFraction: 0.005,
  targetHealth: 1.25,
};

export interface CascadeResult {
  readonly accounts: number;
  /** Mean leverage at entry, after the policy's IM cap. */
  readonly meanEntryLeverage: number;
  readonly totalNotionalUsd: number;
  readonly liquidations: number;
  readonly accountsLiquidated: number;
  readonly liquidatedNotionalUsd: number;
  readonly accountsWipedOut: number;
  readonly badDebtUsd: number;
  readonly uncoveredBadDebtUsd: number;
  readonly insuranceFundStartUsd: number;
  readonly insuranceFundEndUsd: number;
  readonly insuranceFundDrawdownUsd: number;
  readonly liquidatorProfitUsd: number;
  /** 1 − min/first of the exogenous path, and of the mark with liquidation impact. */
  readonly exoDrawdown: number;
  readonly markDrawdown: number;
  /** markDrawdown − exoDrawdown: the crash depth liquidations added. */
  readonly addedDrawdown: number;
  /** markDrawdown / exoDrawdown (1 = no amplification). */
  readonly amplification: number;
  /** Largest |e^I − 1| over the episode. */
  readonly maxImpactFraction: number;
  readonly conservation: {
    readonly depositedUsd: number;
    readonly totalUsd: number;
    readonly exact: boolean;
  };
  /** Mark path (USD) per sub-step, for the report. */
  readonly markUsd: Float64Array;
  /** Final ledger balances (micro-USD): accounts…, fund, liquidators, market, socialised. */
  readonly balancesMicro: BigInt64Array;
}

interface Closure {
  readonly account: number;
  readonly fraction: number;
}

/** Runs the cascade for one policy; `im`/`mm` are the policy's fractions per bar. */
export function runCascade(
  pop: Population,
  path: CascadePath,
  im: Float64Array,
  mm: Float64Array,
  p: CascadeParams,
): CascadeResult {
  const n = pop.direction.length;
  const steps = path.priceUsd.length;
  assertInvariant(steps >= 1, "a cascade needs at least one price");
  const ledger = new CascadeLedger(n);
  const size = new Float64Array(n);
  const entry = new Float64Array(n);
  const cash = new Float64Array(n);
  const queued = new Uint8Array(n);
  const readyAt = new Int32Array(n);
  const liquidated = new Uint8Array(n);
  const wiped = new Uint8Array(n);
  const p0 = path.priceUsd[0] as number;
  const im0 = im[path.requirementBar[0] as number] as number;
  assertInvariant(im0 > 0 && Number.isFinite(im0), "the policy has no requirement at the episode start");
  let levSum = 0;
  let notionalSum = 0;
  for (let i = 0; i < n; i++) {
    const lev = Math.min(pop.wantedLeverage[i] as number, 1 / im0);
    const notional = pop.notionalUsd[i] as number;
    levSum += lev;
    notionalSum += notional;
    size[i] = ((pop.direction[i] as number) * notional) / p0;
    entry[i] = p0;
    const deposit = microFloor(notional / lev);
    ledger.deposit(i, deposit);
    cash[i] = Number(deposit) / MICRO_PER_USD;
  }
  ledger.deposit(ledger.fund, microFloor(p.insuranceFundUsd));
  const fundStart = Number(ledger.balance(ledger.fund)) / MICRO_PER_USD;
  let fundMin = fundStart;
  const depth: DepthCurve = {
    bandFraction: p.depth.bandFraction,
    bandNotionalUsd: p.depth.bandNotionalUsd * p.depthScale,
  };
  const markUsd = new Float64Array(steps);
  const queue: number[] = [];
  let impact = 0;
  let maxImpact = 0;
  let liquidations = 0;
  let liquidatedNotional = 0;
  let badDebt = 0;
  let exoMin = p0;
  let markMin = p0;
  const costFraction = p.feeFraction + p.discountFraction;
  for (let s = 0; s < steps; s++) {
    const dtMs = s === 0 ? 0 : (path.timestampsMs[s] as number) - (path.timestampsMs[s - 1] as number);
    impact *= 0.5 ** (dtMs / 60_000 / p.resilienceHalfLifeMinutes);
    const exo = path.priceUsd[s] as number;
    const mark = exo * Math.exp(impact);
    const mmf = mm[path.requirementBar[s] as number] as number;
    // Flag: every open account whose equity is below MM at this mark.
    for (let i = 0; i < n; i++) {
      const q = size[i] as number;
      if (q === 0) continue;
      const equity = (cash[i] as number) + q * (mark - (entry[i] as number));
      if (equity <= 0) wiped[i] = 1;
      if (queued[i] === 0 && equity < Math.abs(q) * mark * mmf) {
        queued[i] = 1;
        readyAt[i] = s + p.latencySteps;
        queue.push(i);
      }
    }
    // Liquidators work the queue in order, within capacity.
    let capacity = (p.capacityUsdPerHour * Math.max(dtMs, 15 * 60_000)) / 3_600_000;
    const closures: Closure[] = [];
    let netFlowUsd = 0;
    let k = 0;
    while (k < queue.length && capacity > 0) {
      const i = queue[k] as number;
      if ((readyAt[i] as number) > s) {
        k++;
        continue;
      }
      const q = size[i] as number;
      const notional = Math.abs(q) * mark;
      const equity = (cash[i] as number) + q * (mark - (entry[i] as number));
      const mmUsd = notional * mmf;
      if (q === 0 || equity >= mmUsd) {
        queued[i] = 0;
        queue.splice(k, 1);
        continue;
      }
      const gain = notional * (p.targetHealth * mmf - costFraction);
      let x = equity <= 0 || gain <= 0 ? 1 : Math.min(1, (p.targetHealth * mmUsd - equity) / gain);
      if (x * notional > capacity) x = capacity / notional;
      capacity -= x * notional;
      closures.push({ account: i, fraction: x });
      netFlowUsd += -Math.sign(q) * x * notional;
      if (x >= 1) {
        queued[i] = 0;
        queue.splice(k, 1);
      } else k++;
    }
    if (closures.length > 0) {
      // Net liquidation flow walks the book: sells push the price down, buys up.
      const dI = Math.sign(netFlowUsd) * impactFraction(Math.abs(netFlowUsd), depth);
      const fill = mark * Math.exp(dI / 2);
      for (const c of closures) {
        const i = c.account;
        const q = size[i] as number;
        const dq = c.fraction >= 1 ? q : q * c.fraction;
        const dir = Math.sign(q);
        const liqPrice = fill * (1 - dir * p.discountFraction);
        settle(ledger, i, ledger.market, dq * (liqPrice - (entry[i] as number)));
        settle(ledger, ledger.liquidators, ledger.market, Math.abs(dq) * fill * p.discountFraction);
        const remaining = q - dq;
        size[i] = c.fraction >= 1 ? 0 : remaining;
        let equityAfter =
          Number(ledger.balance(i)) / MICRO_PER_USD + remaining * (fill - (entry[i] as number));
        const fee = Math.min(p.feeFraction * Math.abs(dq) * fill, Math.max(0, equityAfter));
        if (fee > 0) {
          ledger.transfer(i, ledger.fund, microFloor(fee));
          equityAfter -= fee;
        }
        if (size[i] === 0) {
          const bal = ledger.balance(i);
          if (bal < 0n) {
            wiped[i] = 1;
            badDebt += Number(-bal) / MICRO_PER_USD;
            // bigint has no Math.min: the fund pays what it has, up to the shortfall.
            const fundBalance = ledger.balance(ledger.fund);
            let covered = -bal;
            if (fundBalance < covered) covered = fundBalance > 0n ? fundBalance : 0n;
            ledger.transfer(ledger.fund, i, covered);
            ledger.transfer(ledger.socialized, i, -bal - covered);
          }
        }
        cash[i] = Number(ledger.balance(i)) / MICRO_PER_USD;
        liquidated[i] = 1;
        liquidations++;
        liquidatedNotional += Math.abs(dq) * fill;
      }
      impact += dI;
      ledger.audit();
      fundMin = Math.min(fundMin, Number(ledger.balance(ledger.fund)) / MICRO_PER_USD);
    }
    const markAfter = exo * Math.exp(impact);
    markUsd[s] = markAfter;
    maxImpact = Math.max(maxImpact, Math.abs(Math.exp(impact) - 1));
    exoMin = Math.min(exoMin, exo);
    markMin = Math.min(markMin, markAfter, mark);
  }
  ledger.audit();
  let total = 0n;
  for (const b of ledger.balances) total += b;
  let liquidatedAccounts = 0;
  let wipedAccounts = 0;
  for (let i = 0; i < n; i++) {
    liquidatedAccounts += liquidated[i] as number;
    wipedAccounts += wiped[i] as number;
  }
  const exoDrawdown = 1 - exoMin / p0;
  const markDrawdown = 1 - markMin / p0;
  return {
    accounts: n,
    meanEntryLeverage: levSum / n,
    totalNotionalUsd: notionalSum,
    liquidations,
    accountsLiquidated: liquidatedAccounts,
    liquidatedNotionalUsd: liquidatedNotional,
    accountsWipedOut: wipedAccounts,
    badDebtUsd: badDebt,
    uncoveredBadDebtUsd: Number(-ledger.balance(ledger.socialized)) / MICRO_PER_USD,
    insuranceFundStartUsd: fundStart,
    insuranceFundEndUsd: Number(ledger.balance(ledger.fund)) / MICRO_PER_USD,
    insuranceFundDrawdownUsd: Math.max(0, fundStart - fundMin),
    liquidatorProfitUsd: Number(ledger.balance(ledger.liquidators)) / MICRO_PER_USD,
    exoDrawdown,
    markDrawdown,
    addedDrawdown: markDrawdown - exoDrawdown,
    amplification: exoDrawdown > 0 ? markDrawdown / exoDrawdown : 1,
    maxImpactFraction: maxImpact,
    conservation: {
      depositedUsd: Number(ledger.totalDeposited()) / MICRO_PER_USD,
      totalUsd: Number(total) / MICRO_PER_USD,
      exact: total === ledger.totalDeposited(),
    },
    markUsd,
    balancesMicro: ledger.balances,
  };
}

/** Pays `pnlUsd` from `payer` to `payee` (negative: the other way), rounded against the payee. */
function settle(ledger: CascadeLedger, payee: number, payer: number, pnlUsd: number): void {
  if (pnlUsd >= 0) ledger.transfer(payer, payee, microFloor(pnlUsd));
  else ledger.transfer(payee, payer, microCeil(-pnlUsd));
}
