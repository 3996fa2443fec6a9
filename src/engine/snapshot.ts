import { assertInvariant } from "../core/errors.ts";
import type { ApcState } from "../core/margin/apc.ts";
import type { MarginMode } from "../core/margin/types.ts";
import type { EngineConfig } from "./engine-config.ts";
import {
  createEmptyState,
  type EngineState,
  effectivePolicyParams,
  type MarketStatus,
  resolveConfig,
  type SubaccountSettings,
} from "./engine-state.ts";

/*
 * The serialisable form of the state: plain JSON, maps as arrays sorted by key (sub-accounts by
 * dense index), bigints as decimal strings, and no derived data (resolved config, holder index),
 * which `restore` rebuilds. The state hash is a sha256 of its canonical JSON (sorted keys,
 * canonical-json.ts), so it depends on the content only, never on key order, and is identical on
 * every run and machine for the same event log. Fields added after
 * the first format (a sub-account's mode and settings, a market's APC state) are written only
 * when they differ from their defaults, so the hash of a log that does not use them is unchanged.
 */

export const SNAPSHOT_FORMAT = "marginal-engine-snapshot/1";

type Pairs = [string, string][];

export interface EngineSnapshot {
  format: typeof SNAPSHOT_FORMAT;
  seq: number;
  clockMs: number;
  config: EngineConfig | null;
  subaccounts: {
    id: string;
    accountId: string;
    balances: Pairs;
    positions: [string, string, string][];
    liquidation: { startedAtMs: number; insuranceDrawnUnits: string } | null;
    /** Absent: the venue's default mode. */
    mode?: MarginMode;
    /** Absent: multiplier 1, base parameter set. */
    settings?: SubaccountSettings;
  }[];
  underlyings: {
    id: string;
    sources: [string, string, number][];
    markTicks: string | null;
    markValid: boolean;
    lastValidAtMs: number;
    status: MarketStatus;
    statusReason: string;
    coolingUntilMs: number;
    history: [number, string][];
    marginMultiplier: number;
    multiplierChangedAtMs: number;
  }[];
  markets: {
    id: string;
    initialMarginFraction: number;
    maintenanceMarginFraction: number;
    settled: boolean;
    openInterestLots: string;
    /** Absent: no APC step folded yet. */
    apc?: ApcState;
  }[];
  venue: { insurance: Pairs; fees: Pairs; pnlPool: Pairs; deposits: Pairs; withdrawals: Pairs };
  /** Accepted command ids in window (FIFO) order with their event ranges. */
  commands: [string, number, number][];
}

const byKey = <T extends [string, ...unknown[]]>(a: T, b: T) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

function pairs(map: ReadonlyMap<string, bigint>): Pairs {
  return [...map].map(([k, v]) => [k, v.toString()] as [string, string]).sort(byKey);
}

/** The canonical, JSON-safe snapshot of a state. */
export function snapshot(state: EngineState): EngineSnapshot {
  return {
    format: SNAPSHOT_FORMAT,
    seq: state.seq,
    clockMs: state.clockMs,
    config: state.config?.cfg ?? null,
    subaccounts: state.subaccounts.map((s) => ({
      id: s.id,
      accountId: s.accountId,
      balances: pairs(s.balances),
      positions: [...s.positions]
        .map(([m, p]) => [m, p.lots.toString(), p.basisRaw.toString()] as [string, string, string])
        .sort(byKey),
      liquidation:
        s.liquidation === null
          ? null
          : {
              startedAtMs: s.liquidation.startedAtMs,
              insuranceDrawnUnits: s.liquidation.insuranceDrawnUnits.toString(),
            },
      ...(state.config === null || s.mode === state.config.defaultMode ? {} : { mode: s.mode }),
      ...(s.settings.imMultiplier === 1 && s.settings.paramSetId === null
        ? {}
        : { settings: { imMultiplier: s.settings.imMultiplier, paramSetId: s.settings.paramSetId } }),
    })),
    underlyings: [...state.underlyings.values()].map((u) => ({
      id: u.id,
      sources: [...u.sources]
        .map(([src, r]) => [src, r.priceTicks.toString(), r.publishedAtMs] as [string, string, number])
        .sort(byKey),
      markTicks: u.markTicks?.toString() ?? null,
      markValid: u.markValid,
      lastValidAtMs: u.lastValidAtMs,
      status: u.status,
      statusReason: u.statusReason,
      coolingUntilMs: u.coolingUntilMs,
      history: u.history.map((h) => [h.atMs, h.markTicks.toString()] as [number, string]),
      marginMultiplier: u.marginMultiplier,
      multiplierChangedAtMs: u.multiplierChangedAtMs,
    })),
    markets: [...state.markets.values()].map((m) => ({
      id: m.id,
      initialMarginFraction: m.initialMarginFraction,
      maintenanceMarginFraction: m.maintenanceMarginFraction,
      settled: m.settled,
      openInterestLots: m.openInterestLots.toString(),
      ...(m.apc === null
        ? {}
        : { apc: { fraction: m.apc.fraction, rawFraction: m.apc.rawFraction, asOfMs: m.apc.asOfMs } }),
    })),
    venue: {
      insurance: pairs(state.venue.insurance),
      fees: pairs(state.venue.fees),
      pnlPool: pairs(state.venue.pnlPool),
      deposits: pairs(state.venue.deposits),
      withdrawals: pairs(state.venue.withdrawals),
    },
    commands: [...state.commands].map(([id, r]) => [id, r.firstSeq, r.lastSeq] as [string, number, number]),
  };
}

const bigMap = (p: Pairs) => new Map(p.map(([k, v]) => [k, BigInt(v)]));

/** Rebuilds a full state (with its derived indices) from a snapshot. */
export function restore(snap: EngineSnapshot): EngineState {
  assertInvariant(snap.format === SNAPSHOT_FORMAT, `unknown snapshot format ${String(snap.format)}`);
  const state = createEmptyState();
  state.seq = snap.seq;
  state.clockMs = snap.clockMs;
  state.config = snap.config === null ? null : resolveConfig(snap.config);
  for (const u of snap.underlyings) {
    state.underlyings.set(u.id, {
      id: u.id,
      sources: new Map(u.sources.map(([src, p, t]) => [src, { priceTicks: BigInt(p), publishedAtMs: t }])),
      markTicks: u.markTicks === null ? null : BigInt(u.markTicks),
      markValid: u.markValid,
      lastValidAtMs: u.lastValidAtMs,
      status: u.status,
      statusReason: u.statusReason,
      coolingUntilMs: u.coolingUntilMs,
      history: u.history.map(([atMs, m]) => ({ atMs, markTicks: BigInt(m) })),
      marginMultiplier: u.marginMultiplier,
      multiplierChangedAtMs: u.multiplierChangedAtMs,
    });
    state.holdersByUnderlying.set(u.id, new Set());
  }
  for (const m of snap.markets)
    state.markets.set(m.id, {
      id: m.id,
      initialMarginFraction: m.initialMarginFraction,
      maintenanceMarginFraction: m.maintenanceMarginFraction,
      settled: m.settled,
      openInterestLots: BigInt(m.openInterestLots),
      apc: m.apc === undefined ? null : { ...m.apc },
    });
  state.policyParams = effectivePolicyParams(state);
  snap.subaccounts.forEach((s, index) => {
    const sub = {
      index,
      id: s.id,
      accountId: s.accountId,
      balances: bigMap(s.balances),
      positions: new Map(
        s.positions.map(([m, lots, basis]) => [m, { lots: BigInt(lots), basisRaw: BigInt(basis) }]),
      ),
      liquidation:
        s.liquidation === null
          ? null
          : {
              startedAtMs: s.liquidation.startedAtMs,
              insuranceDrawnUnits: BigInt(s.liquidation.insuranceDrawnUnits),
            },
      mode: s.mode ?? state.config?.defaultMode ?? "cross",
      settings:
        s.settings === undefined
          ? { imMultiplier: 1, paramSetId: null }
          : { imMultiplier: s.settings.imMultiplier, paramSetId: s.settings.paramSetId },
    };
    state.subaccounts.push(sub);
    state.subaccountIndex.set(s.id, index);
    if (sub.liquidation !== null) state.liquidating.add(index);
    const list = state.accounts.get(s.accountId) ?? [];
    list.push(s.id);
    state.accounts.set(s.accountId, list);
    indexHolder(state, sub);
  });
  state.venue = {
    insurance: bigMap(snap.venue.insurance),
    fees: bigMap(snap.venue.fees),
    pnlPool: bigMap(snap.venue.pnlPool),
    deposits: bigMap(snap.venue.deposits),
    withdrawals: bigMap(snap.venue.withdrawals),
  };
  state.commands = new Map(snap.commands.map(([id, firstSeq, lastSeq]) => [id, { firstSeq, lastSeq }]));
  return state;
}

function indexHolder(state: EngineState, s: EngineState["subaccounts"][number]): void {
  const cfg = state.config;
  if (cfg === null) return;
  for (const marketId of s.positions.keys()) {
    state.holdersByUnderlying.get(cfg.markets.get(marketId)!.cfg.underlying)?.add(s.index);
  }
  for (const [asset, amount] of s.balances) {
    const u = cfg.assets.get(asset)?.priceUnderlying;
    if (u !== undefined && amount !== 0n) state.holdersByUnderlying.get(u)?.add(s.index);
  }
}
