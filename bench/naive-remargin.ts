/*
 * The baseline of `npm run bench`: the same full re-margin of the synthetic venue written the
 * obvious way, with one object per account and a Map of markets keyed by market id, as a team
 * without a columnar book would write it. Same formulas as the kernel for the components the
 * bench venue uses (static policies, linear perps and options, cross and portfolio modes, USD
 * collateral), so its totals can be checked against the kernel's. Its scenario P&L follows the
 * reference definition (src/core/margin/scenario-requirement.ts): per underlying, the net delta
 * of the perps times each grid move, plus each option's size times its scenario mark moves.
 */
import type { ColumnarBook } from "../src/core/hotpath/columnar-book.ts";
import type { HotpathUniverse } from "../src/core/hotpath/hotpath-universe.ts";
import type { TickTables } from "../src/core/hotpath/tick-tables.ts";

export interface NaivePosition {
  marketId: string;
  size: number;
  entryPrice: number;
}

export interface NaiveAccount {
  id: string;
  mode: "cross" | "portfolio";
  usd: number;
  positions: NaivePosition[];
}

export interface NaiveMarket {
  isOption: boolean;
  isCall: boolean;
  underlying: string;
  contractSize: number;
  strike: number;
  index: number;
  mark: number;
  initialFraction: number;
  maintenanceFraction: number;
  /** Options: mark move per grid point (empty for perps). */
  scenarioDeltas: number[];
  /** The grid's price move per grid point (vol-shock-major, like scenarioDeltas). */
  moves: number[];
  shortOptionMinimum: number;
  maintenanceShare: number;
}

export interface NaiveResult {
  equityUsd: number;
  initialMarginUsd: number;
  maintenanceMarginUsd: number;
  liquidatable: boolean;
}

/** Object copies of the book's accounts (built once, outside the timed pass). */
export function naiveAccounts(universe: HotpathUniverse, book: ColumnarBook): NaiveAccount[] {
  const out: NaiveAccount[] = [];
  const usd = universe.assetIds.indexOf("USD");
  for (let a = 0; a < book.subaccountCount; a++) {
    const positions: NaivePosition[] = [];
    const s = book.posStart[a]!;
    for (let r = s; r < s + book.posCount[a]!; r++)
      positions.push({
        marketId: universe.marketIds[book.posInstrument[r]!]!,
        size: book.posSize[r]!,
        entryPrice: book.posEntryUsd[r]!,
      });
    out.push({
      id: book.ids[a]!,
      mode: book.mode[a] === 2 ? "portfolio" : "cross",
      usd: book.collateral[a * book.assetCount + usd]!,
      positions,
    });
  }
  return out;
}

/** The Map of markets, from the tick tables (market-level work is not part of the timed pass). */
export function naiveMarkets(universe: HotpathUniverse, tables: TickTables): Map<string, NaiveMarket> {
  const m = new Map<string, NaiveMarket>();
  universe.marketIds.forEach((id, i) => {
    const mp = universe.params.markets[id]!;
    const up = universe.params.underlyings[mp.underlying]!;
    const policy = mp.policy;
    const und = universe.instrumentUnderlying[i]!;
    const nS = universe.moveCount[und]! * universe.volShockCount[und]!;
    const o = universe.scenarioOffset[i]!;
    const isOption = mp.instrument.type === "option";
    const moves: number[] = [];
    for (let j = 0; j < nS; j++)
      moves.push(universe.moves[universe.moveOffset[und]! + (j % universe.moveCount[und]!)]!);
    m.set(id, {
      isOption,
      isCall: mp.instrument.type === "option" && mp.instrument.optionKind === "call",
      underlying: mp.underlying,
      contractSize: mp.contractSize,
      strike: mp.instrument.type === "option" ? mp.instrument.strike : 0,
      index: tables.indexUsd[i]!,
      mark: tables.markUsd[i]!,
      initialFraction: policy.type === "static" ? policy.initialFraction : Number.NaN,
      maintenanceFraction: policy.type === "static" ? policy.maintenanceFraction : Number.NaN,
      scenarioDeltas: isOption ? Array.from(tables.scenarioDeltaUsd.subarray(o, o + nS)) : [],
      moves,
      shortOptionMinimum: up.shortOptionMinimumFraction,
      maintenanceShare: up.maintenanceShare,
    });
  });
  return m;
}

function standalone(m: NaiveMarket, p: NaivePosition): { im: number; mm: number; notional: number } {
  const units = Math.abs(p.size) * m.contractSize;
  const notional = units * (m.isOption ? m.index : m.mark);
  const im = m.initialFraction * notional;
  const mm = m.maintenanceFraction * notional;
  if (!m.isOption) return { im, mm, notional };
  if (p.size > 0) return { im: Math.min(units * m.mark, im), mm: Math.min(units * m.mark, mm), notional };
  const otm = units * (m.isCall ? Math.max(0, m.strike - m.index) : Math.max(0, m.index - m.strike));
  const min = m.shortOptionMinimum * notional;
  return { im: Math.max(im - otm, min), mm: Math.max(mm - otm, (min * mm) / im), notional };
}

/** Re-margins one account the obvious way. */
export function naiveRemargin(
  account: NaiveAccount,
  markets: Map<string, NaiveMarket>,
  rho: number,
): NaiveResult {
  let pnl = 0;
  let im = 0;
  let mm = 0;
  const groups = new Map<
    string,
    {
      delta: number;
      options: { weight: number; deltas: number[] }[];
      moves: number[];
      cap: number;
      shortMin: number;
      notional: number;
      share: number;
    }
  >();
  for (const p of account.positions) {
    const m = markets.get(p.marketId)!;
    const base = m.contractSize * (p.size * m.mark - p.size * p.entryPrice);
    pnl += base;
    const r = standalone(m, p);
    if (account.mode === "cross") {
      im += r.im;
      mm += r.mm;
      continue;
    }
    let g = groups.get(m.underlying);
    if (g === undefined) {
      g = {
        delta: 0,
        options: [],
        moves: m.moves,
        cap: 0,
        shortMin: 0,
        notional: 0,
        share: m.maintenanceShare,
      };
      groups.set(m.underlying, g);
    }
    if (m.isOption) g.options.push({ weight: m.contractSize * p.size, deltas: m.scenarioDeltas });
    else g.delta += m.contractSize * p.size * m.mark;
    g.cap += r.im;
    g.notional += r.notional;
    if (m.isOption && p.size < 0) g.shortMin += m.shortOptionMinimum * r.notional;
  }
  if (account.mode === "portfolio" && groups.size > 0) {
    const reqs: number[] = [];
    let weighted = 0;
    for (const u of [...groups.keys()].sort()) {
      const g = groups.get(u)!;
      const pnl = g.moves.map((move) => g.delta * move);
      for (const o of g.options)
        o.deltas.forEach((d, j) => {
          pnl[j]! += o.weight * d;
        });
      const worst = Math.max(0, ...pnl.map((x) => -x).filter((l) => l > 1e-12 * g.notional));
      const r = Math.min(Math.max(worst, g.shortMin), g.cap);
      reqs.push(r);
      weighted += g.share * r;
    }
    const sum = reqs.reduce((a, b) => a + b, 0);
    let quad = 0;
    for (let i = 0; i < reqs.length; i++)
      for (let j = 0; j < reqs.length; j++) quad += (i === j ? 1 : rho) * reqs[i]! * reqs[j]!;
    im = Math.min(sum, Math.max(Math.sqrt(Math.max(0, quad)), ...reqs, 0));
    mm = im * (sum > 0 ? weighted / sum : 0.6);
  }
  const equity = account.usd + pnl;
  return {
    equityUsd: equity,
    initialMarginUsd: im,
    maintenanceMarginUsd: mm,
    liquidatable: mm > 0 && equity < mm,
  };
}
