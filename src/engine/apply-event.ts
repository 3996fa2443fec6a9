import { assertInvariant } from "../core/errors.ts";
import type { EngineConfig } from "./engine-config.ts";
import {
  addTo,
  configOf,
  createEmptyState,
  type EngineState,
  effectivePolicyParams,
  holdersInOrder,
  indexOfSubaccount,
  resolveConfig,
  type SubaccountState,
  type UnderlyingState,
} from "./engine-state.ts";
import type { EngineEvent } from "./events.ts";
import { noteColumnarEvent } from "./hotpath/columnar-risk.ts";
import { DEDUP_WINDOW_COMMANDS, MARK_HISTORY_MAX } from "./limits.ts";
import { tradeMarketPosition } from "./position-math.ts";

/*
 * The only function that changes engine state. It performs the exact integer ledger arithmetic
 * of each event and asserts the invariants that a correct decision can never break (a broken one
 * is a bug, so it throws loudly). It mutates `state` in place and returns it, so that folding a
 * million-event log does not copy the state per event.
 */

function sub(state: EngineState, id: string): SubaccountState {
  const index = indexOfSubaccount(state, id);
  // The message is built only on failure (this runs for every event that names a sub-account).
  if (index === undefined) assertInvariant(false, `event names unknown sub-account ${id}`);
  return state.subaccounts[index]!;
}

function underlying(state: EngineState, id: string): UnderlyingState {
  const u = state.underlyings.get(id);
  if (u === undefined) assertInvariant(false, `event names unknown underlying ${id}`);
  return u;
}

/** Re-derives whether a sub-account belongs in an underlying's holder index. */
function refreshHolder(state: EngineState, s: SubaccountState, underlyingId: string): void {
  const cfg = configOf(state);
  let holds = false;
  for (const marketId of s.positions.keys()) {
    if (cfg.markets.get(marketId)?.cfg.underlying === underlyingId) holds = true;
  }
  for (const [asset, amount] of s.balances) {
    if (amount !== 0n && cfg.assets.get(asset)?.priceUnderlying === underlyingId) holds = true;
  }
  let set = state.holdersByUnderlying.get(underlyingId);
  if (set === undefined) {
    set = new Set();
    state.holdersByUnderlying.set(underlyingId, set);
  }
  const before = set.size;
  if (holds) set.add(s.index);
  else set.delete(s.index);
  if (set.size !== before) state.sortedHolders.delete(underlyingId);
}

function moveBalance(state: EngineState, s: SubaccountState, asset: string, delta: bigint): void {
  addTo(s.balances, asset, delta);
  const priced = configOf(state).assets.get(asset)?.priceUnderlying;
  if (priced !== undefined) refreshHolder(state, s, priced);
}

/** Trades `deltaLots` for one side; returns its realised PnL in settlement-asset smallest units. */
function tradeSide(
  state: EngineState,
  s: SubaccountState,
  marketId: string,
  deltaLots: bigint,
  priceTicks: bigint,
): bigint {
  const market = configOf(state).markets.get(marketId);
  if (market === undefined) assertInvariant(false, `event names unknown market ${marketId}`);
  const before = s.positions.get(marketId) ?? { lots: 0n, basisRaw: 0n };
  const after = tradeMarketPosition(market, before, deltaLots, priceTicks);
  if (after.lots === 0n) {
    assertInvariant(after.basisRaw === 0n, "a flat position must have no basis");
    s.positions.delete(marketId);
  } else {
    s.positions.set(marketId, { lots: after.lots, basisRaw: after.basisRaw });
  }
  const runtime = state.markets.get(marketId)!;
  const longBefore = before.lots > 0n ? before.lots : 0n;
  const longAfter = after.lots > 0n ? after.lots : 0n;
  runtime.openInterestLots += longAfter - longBefore;
  refreshHolder(state, s, market.cfg.underlying);
  return after.realisedUnits;
}

/** The asset a market's PnL, fees and funding settle in. */
function settlementAssetOf(state: EngineState, marketId: string): string {
  const market = configOf(state).markets.get(marketId);
  if (market === undefined) assertInvariant(false, `event names unknown market ${marketId}`);
  return market.settlementAsset;
}

/** Settles realised PnL into the settlement balance against the venue's PnL pool (double entry). */
function settleRealised(state: EngineState, s: SubaccountState, asset: string, units: bigint): void {
  moveBalance(state, s, asset, units);
  addTo(state.venue.pnlPool, asset, -units);
}

function rememberCommand(state: EngineState, commandId: string, seq: number): void {
  const known = state.commands.get(commandId);
  if (known !== undefined) {
    known.lastSeq = seq;
    return;
  }
  state.commands.set(commandId, { firstSeq: seq, lastSeq: seq });
  if (state.commands.size > DEDUP_WINDOW_COMMANDS) {
    const oldest = state.commands.keys().next().value;
    if (oldest !== undefined) state.commands.delete(oldest);
  }
}

/** Applies one event to the state (in place) and returns the state. */
export function applyEvent(state: EngineState, event: EngineEvent): EngineState {
  if (event.seq !== state.seq + 1) assertInvariant(false, `event seq ${event.seq} after ${state.seq}`);
  if (!(event.atMs >= state.clockMs))
    assertInvariant(false, `event time ${event.atMs} before ${state.clockMs}`);
  applyBody(state, event);
  // The columnar mirror (derived, riskPath "columnar" only) learns which rows this event touched.
  noteColumnarEvent(state, event);
  state.seq = event.seq;
  state.clockMs = event.atMs;
  rememberCommand(state, event.commandId, event.seq);
  return state;
}

function applyBody(state: EngineState, e: EngineEvent): void {
  const venue = state.venue;
  switch (e.type) {
    case "configured":
      applyConfigured(state, e.config);
      return;
    case "subaccount_opened": {
      const index = state.subaccounts.length;
      state.subaccounts.push({
        index,
        id: e.subaccountId,
        accountId: e.accountId,
        balances: new Map(),
        positions: new Map(),
        liquidation: null,
        mode: e.marginMode ?? configOf(state).defaultMode,
        settings: { imMultiplier: 1, paramSetId: null },
      });
      state.subaccountIndex.set(e.subaccountId, index);
      const list = state.accounts.get(e.accountId) ?? [];
      list.push(e.subaccountId);
      state.accounts.set(e.accountId, list);
      return;
    }
    case "margin_mode_changed": {
      const s = sub(state, e.subaccountId);
      assertInvariant(e.mode !== "isolated" || s.positions.size <= 1, "isolated with several positions");
      s.mode = e.mode;
      return;
    }
    case "subaccount_settings_changed": {
      const s = sub(state, e.subaccountId);
      assertInvariant(e.imMultiplier >= 1, "IM multiplier below 1");
      s.settings = { imMultiplier: e.imMultiplier, paramSetId: e.paramSetId };
      return;
    }
    case "apc_updated": {
      const m = state.markets.get(e.marketId);
      if (m === undefined) assertInvariant(false, `unknown market ${e.marketId}`);
      assertInvariant(m.apc === null || e.asOfMs >= m.apc.asOfMs, "APC step back in time");
      m.apc = { fraction: e.fraction, rawFraction: e.rawFraction, asOfMs: e.asOfMs };
      return;
    }
    case "backstop_triggered":
      assertInvariant(sub(state, e.subaccountId).liquidation !== null, "backstop outside a liquidation");
      return;
    case "backstop_funded": {
      const quote = configOf(state).cfg.quoteAsset;
      addTo(venue.insurance, quote, -BigInt(e.amountUnits));
      assertInvariant((venue.insurance.get(quote) ?? 0n) >= 0n, "insurance fund below zero");
      moveBalance(state, sub(state, e.subaccountId), quote, BigInt(e.amountUnits));
      return;
    }
    case "debt_converted": {
      const quote = configOf(state).cfg.quoteAsset;
      const s = sub(state, e.subaccountId);
      assertInvariant(s.liquidation !== null, "debt converted outside a liquidation");
      moveBalance(state, s, e.asset, BigInt(e.amountUnits));
      assertInvariant((s.balances.get(e.asset) ?? 0n) <= 0n, "converted more debt than owed");
      addTo(venue.pnlPool, e.asset, -BigInt(e.amountUnits));
      moveBalance(state, s, quote, -BigInt(e.quoteUnits));
      addTo(venue.pnlPool, quote, BigInt(e.quoteUnits));
      return;
    }
    case "collateral_sold": {
      const quote = configOf(state).cfg.quoteAsset;
      const s = sub(state, e.subaccountId);
      assertInvariant(s.liquidation !== null, "collateral sold outside a liquidation");
      moveBalance(state, s, e.asset, -BigInt(e.amountUnits));
      assertInvariant((s.balances.get(e.asset) ?? 0n) >= 0n, "sold more collateral than held");
      addTo(venue.pnlPool, e.asset, BigInt(e.amountUnits));
      addTo(venue.pnlPool, quote, -BigInt(e.creditedUnits));
      moveBalance(state, s, quote, BigInt(e.creditedUnits));
      return;
    }
    case "deposited":
      moveBalance(state, sub(state, e.subaccountId), e.asset, BigInt(e.amountUnits));
      addTo(venue.deposits, e.asset, BigInt(e.amountUnits));
      return;
    case "withdrawn": {
      const s = sub(state, e.subaccountId);
      moveBalance(state, s, e.asset, -BigInt(e.amountUnits));
      assertInvariant((s.balances.get(e.asset) ?? 0n) >= 0n, "withdrawal below zero");
      addTo(venue.withdrawals, e.asset, BigInt(e.amountUnits));
      return;
    }
    case "transferred": {
      const from = sub(state, e.fromSubaccountId);
      moveBalance(state, from, e.asset, -BigInt(e.amountUnits));
      assertInvariant((from.balances.get(e.asset) ?? 0n) >= 0n, "transfer below zero");
      moveBalance(state, sub(state, e.toSubaccountId), e.asset, BigInt(e.amountUnits));
      return;
    }
    case "insurance_funded":
      addTo(venue.insurance, e.asset, BigInt(e.amountUnits));
      addTo(venue.deposits, e.asset, BigInt(e.amountUnits));
      return;
    case "oracle_accepted":
      underlying(state, e.underlying).sources.set(e.source, {
        priceTicks: BigInt(e.priceTicks),
        publishedAtMs: e.publishedAtMs,
      });
      return;
    case "mark_changed": {
      const u = underlying(state, e.underlying);
      u.markValid = e.valid;
      if (e.markTicks !== null) {
        u.markTicks = BigInt(e.markTicks);
        u.lastValidAtMs = e.atMs;
        u.history.push({ atMs: e.atMs, markTicks: u.markTicks });
        const windowMs = configOf(state).underlyings.get(e.underlying)!.circuitBreaker.windowMs;
        while (
          u.history.length > MARK_HISTORY_MAX ||
          (u.history.length > 1 && u.history[0]!.atMs < e.atMs - windowMs)
        ) {
          u.history.shift();
        }
      }
      return;
    }
    case "market_status_changed": {
      const u = underlying(state, e.underlying);
      u.status = e.status;
      u.statusReason = e.reason;
      u.coolingUntilMs = e.coolingUntilMs;
      return;
    }
    case "margin_multiplier_changed": {
      const u = underlying(state, e.underlying);
      u.marginMultiplier = e.multiplier;
      u.multiplierChangedAtMs = e.atMs;
      return;
    }
    case "risk_params_updated": {
      const m = state.markets.get(e.marketId);
      if (m === undefined) assertInvariant(false, `unknown market ${e.marketId}`);
      m.initialMarginFraction = e.initialMarginFraction;
      m.maintenanceMarginFraction = e.maintenanceMarginFraction;
      state.policyParams = effectivePolicyParams(state);
      return;
    }
    case "trade_settled":
      applyTrade(state, e);
      return;
    case "liquidation_started": {
      const s = sub(state, e.subaccountId);
      s.liquidation = { startedAtMs: e.atMs, insuranceDrawnUnits: 0n };
      state.liquidating.add(s.index);
      return;
    }
    case "liquidation_penalty_paid": {
      const asset = e.asset ?? configOf(state).cfg.quoteAsset;
      moveBalance(state, sub(state, e.subaccountId), asset, -BigInt(e.amountUnits));
      addTo(venue.insurance, asset, BigInt(e.amountUnits));
      return;
    }
    case "insurance_drawn": {
      const quote = configOf(state).cfg.quoteAsset;
      const s = sub(state, e.subaccountId);
      assertInvariant(s.liquidation !== null, "insurance drawn outside a liquidation");
      const amount = BigInt(e.amountUnits);
      addTo(venue.insurance, quote, -amount);
      assertInvariant((venue.insurance.get(quote) ?? 0n) >= 0n, "insurance fund below zero");
      moveBalance(state, s, quote, amount);
      s.liquidation.insuranceDrawnUnits += amount;
      return;
    }
    case "insurance_refunded": {
      const quote = configOf(state).cfg.quoteAsset;
      moveBalance(state, sub(state, e.subaccountId), quote, -BigInt(e.amountUnits));
      addTo(venue.insurance, quote, BigInt(e.amountUnits));
      return;
    }
    case "venue_absorbed": {
      const quote = configOf(state).cfg.quoteAsset;
      addTo(venue.fees, quote, -BigInt(e.amountUnits));
      moveBalance(state, sub(state, e.subaccountId), quote, BigInt(e.amountUnits));
      return;
    }
    case "collateral_seized": {
      const quote = configOf(state).cfg.quoteAsset;
      const s = sub(state, e.subaccountId);
      assertInvariant(s.liquidation !== null, "collateral seized outside a liquidation");
      moveBalance(state, s, e.asset, -BigInt(e.amountUnits));
      assertInvariant((s.balances.get(e.asset) ?? 0n) >= 0n, "seized more collateral than held");
      addTo(venue.insurance, e.asset, BigInt(e.amountUnits));
      addTo(venue.insurance, quote, -BigInt(e.creditedUnits));
      assertInvariant((venue.insurance.get(quote) ?? 0n) >= 0n, "insurance fund below zero");
      moveBalance(state, s, quote, BigInt(e.creditedUnits));
      return;
    }
    case "liquidation_ended": {
      const s = sub(state, e.subaccountId);
      s.liquidation = null;
      state.liquidating.delete(s.index);
      return;
    }
    case "funding_paid": {
      const quote = settlementAssetOf(state, e.marketId);
      let total = BigInt(e.residueUnits);
      for (const p of e.payments) {
        moveBalance(state, sub(state, p.subaccountId), quote, BigInt(p.amountUnits));
        total += BigInt(p.amountUnits);
      }
      assertInvariant(total === 0n, "funding payments must net to zero with the residue");
      addTo(venue.fees, quote, BigInt(e.residueUnits));
      return;
    }
    case "expiry_settled":
      applyExpiry(state, e.marketId, BigInt(e.settlementTicks));
      return;
  }
}

function applyConfigured(state: EngineState, config: EngineConfig): void {
  assertInvariant(state.config === null, "configured twice");
  const fresh = createEmptyState();
  state.config = resolveConfig(config);
  state.underlyings = fresh.underlyings;
  for (const u of config.underlyings) {
    state.underlyings.set(u.id, {
      id: u.id,
      sources: new Map(),
      markTicks: null,
      markValid: false,
      lastValidAtMs: 0,
      status: "halted",
      statusReason: "no_price_yet",
      coolingUntilMs: 0,
      history: [],
      marginMultiplier: 1,
      multiplierChangedAtMs: 0,
    });
    state.holdersByUnderlying.set(u.id, new Set());
  }
  for (const m of config.markets) {
    state.markets.set(m.id, {
      id: m.id,
      initialMarginFraction: m.initialMarginFraction,
      maintenanceMarginFraction: m.maintenanceMarginFraction,
      settled: false,
      openInterestLots: 0n,
      apc: null,
    });
  }
  state.policyParams = effectivePolicyParams(state);
}

function applyTrade(state: EngineState, e: EngineEvent & { type: "trade_settled" }): void {
  const lots = BigInt(e.lots);
  const price = BigInt(e.priceTicks);
  assertInvariant(lots > 0n, "trade lots must be positive");
  assertInvariant(e.buyerSubaccountId !== e.sellerSubaccountId, "self trade");
  const buyer = sub(state, e.buyerSubaccountId);
  const seller = sub(state, e.sellerSubaccountId);
  const quote = settlementAssetOf(state, e.marketId);
  settleRealised(state, buyer, quote, tradeSide(state, buyer, e.marketId, lots, price));
  settleRealised(state, seller, quote, tradeSide(state, seller, e.marketId, -lots, price));
  for (const [s, fee] of [
    [buyer, BigInt(e.buyerFeeUnits)],
    [seller, BigInt(e.sellerFeeUnits)],
  ] as const) {
    moveBalance(state, s, quote, -fee);
    addTo(state.venue.fees, quote, fee);
  }
}

function applyExpiry(state: EngineState, marketId: string, settlementTicks: bigint): void {
  const runtime = state.markets.get(marketId);
  assertInvariant(runtime !== undefined && !runtime.settled, `market ${marketId} cannot settle`);
  const underlyingId = configOf(state).markets.get(marketId)!.cfg.underlying;
  // Iterate in index order so the result does not depend on Set insertion history.
  for (const index of [...holdersInOrder(state, underlyingId)]) {
    const s = state.subaccounts[index]!;
    const pos = s.positions.get(marketId);
    if (pos === undefined) continue;
    // The venue closes every position at the settlement price against the PnL pool.
    const asset = settlementAssetOf(state, marketId);
    settleRealised(state, s, asset, tradeSide(state, s, marketId, -pos.lots, settlementTicks));
  }
  assertInvariant(runtime.openInterestLots === 0n, "open interest left after expiry");
  runtime.settled = true;
}
