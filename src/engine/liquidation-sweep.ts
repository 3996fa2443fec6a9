import { rankAdlCandidates } from "./adl-ranking.ts";
import { bankruptcyShortfallUsd } from "./bankruptcy-shortfall.ts";
import type { CommandContext } from "./command-context.ts";
import {
  configOf,
  holdersInOrder,
  primeSubaccountIndex,
  type ResolvedMarket,
  type SubaccountState,
} from "./engine-state.ts";
import { columnarSweepScreen } from "./hotpath/columnar-risk.ts";
import { minUnits, toLedgerAmountCeil, toLedgerAmountFloor } from "./ledger-amount.ts";
import { ADL_COUNTERPARTIES_MAX } from "./limits.ts";
import {
  computeRisk,
  marketMarkUsd,
  marksValidFor,
  positionNotionalUsd,
  type SubaccountRisk,
  underlyingMarkUsd,
} from "./subaccount-risk.ts";

/*
 * The liquidation state machine of one sub-account, run after every price, parameter or funding
 * change on the sub-accounts it touches (and after every liquidation fill on the liquidated one):
 *   healthy ── equity < MM ──▶ in liquidation (Dutch auction; liquidators take positions)
 *   in liquidation ── equity ≥ target × MM ──▶ healthy (partial liquidation ends)
 *   in liquidation ── no positions left ──▶ closed (insurance money left over goes back)
 *   equity < 0 ──▶ bankrupt: the insurance fund lends the deficit plus the auction budget and the
 *                  account is closed in full; if the fund cannot cover the deficit, the positions
 *                  are auto-deleveraged at the bankruptcy price against ranked opposite positions.
 * Nothing happens while any market of the account lacks a valid mark.
 */

function quoteBalance(ctx: CommandContext, s: SubaccountState): bigint {
  return s.balances.get(configOf(ctx.state).cfg.quoteAsset) ?? 0n;
}

function insuranceUnits(ctx: CommandContext): bigint {
  return ctx.state.venue.insurance.get(configOf(ctx.state).cfg.quoteAsset) ?? 0n;
}

/**
 * The insurance fund takes non-quote collateral of a closed-out account at its mark less the
 * haircut (rounded down for the account), as far as needed to cover a negative quote balance and
 * as far as the fund's quote can pay for it: the collateral that backed the debt settles it.
 */
function seizeCollateral(ctx: CommandContext, s: SubaccountState, targetQuoteUnits: bigint): void {
  const cfg = configOf(ctx.state);
  for (const [asset, held] of [...s.balances].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const deficit = targetQuoteUnits - quoteBalance(ctx, s);
    const a = cfg.assets.get(asset)!;
    if (deficit <= 0n || held <= 0n || a.priceUnderlying === undefined) continue;
    const priceUsd = (underlyingMarkUsd(ctx.state, a.priceUnderlying) ?? 0) * (1 - a.haircut);
    if (priceUsd <= 0) continue;
    // Quote units per smallest unit of the asset, as a float only to size the seizure.
    const unitValue = (priceUsd * 10 ** cfg.quoteDecimals) / 10 ** a.decimals;
    const affordable = minUnits(deficit, insuranceUnits(ctx));
    const units = minUnits(held, BigInt(Math.ceil(Number(affordable) / unitValue)));
    const worth = toLedgerAmountFloor(
      (Number(units) * unitValue) / 10 ** cfg.quoteDecimals,
      cfg.quoteDecimals,
    );
    const credited = minUnits(worth, affordable);
    if (units <= 0n || credited <= 0n) continue;
    ctx.emit({
      type: "collateral_seized",
      subaccountId: s.id,
      asset,
      amountUnits: units.toString(),
      creditedUnits: credited.toString(),
    });
  }
}

/**
 * A negative coin balance (an inverse perp's losses settle in its coin) becomes quote debt at the
 * coin's mark, rounded up against the account, against the venue's PnL pool: the venue takes the
 * coin exposure, and the debt is then covered in quote like any other.
 */
function convertDebt(ctx: CommandContext, s: SubaccountState): void {
  const cfg = configOf(ctx.state);
  for (const [asset, held] of [...s.balances].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const a = cfg.assets.get(asset)!;
    if (held >= 0n || a.priceUnderlying === undefined) continue;
    const priceUsd = underlyingMarkUsd(ctx.state, a.priceUnderlying) ?? 0;
    const quoteUnits = toLedgerAmountCeil((Number(-held) / 10 ** a.decimals) * priceUsd, cfg.quoteDecimals);
    ctx.emit({
      type: "debt_converted",
      subaccountId: s.id,
      asset,
      amountUnits: (-held).toString(),
      quoteUnits: quoteUnits.toString(),
    });
  }
}

/**
 * What collateral the fund could not afford to buy still settles the debt: the venue's PnL pool
 * buys it at the mark less the haircut (rounded down for the account), so the venue never
 * absorbs a loss while the account keeps collateral.
 */
function sellCollateralToVenue(ctx: CommandContext, s: SubaccountState): void {
  const cfg = configOf(ctx.state);
  for (const [asset, held] of [...s.balances].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const deficit = -quoteBalance(ctx, s);
    const a = cfg.assets.get(asset)!;
    if (deficit <= 0n || held <= 0n || a.priceUnderlying === undefined) continue;
    const priceUsd = (underlyingMarkUsd(ctx.state, a.priceUnderlying) ?? 0) * (1 - a.haircut);
    if (priceUsd <= 0) continue;
    const unitValue = (priceUsd * 10 ** cfg.quoteDecimals) / 10 ** a.decimals;
    const units = minUnits(held, BigInt(Math.ceil(Number(deficit) / unitValue)));
    const worth = toLedgerAmountFloor(
      (Number(units) * unitValue) / 10 ** cfg.quoteDecimals,
      cfg.quoteDecimals,
    );
    const credited = minUnits(worth, deficit);
    if (units <= 0n || credited <= 0n) continue;
    ctx.emit({
      type: "collateral_sold",
      subaccountId: s.id,
      asset,
      amountUnits: units.toString(),
      creditedUnits: credited.toString(),
    });
  }
}

/** Covers a negative quote balance of an account with no positions: its collateral, the fund, then the venue. */
function coverResidual(ctx: CommandContext, s: SubaccountState): void {
  convertDebt(ctx, s);
  if (quoteBalance(ctx, s) < 0n) seizeCollateral(ctx, s, 0n);
  if (quoteBalance(ctx, s) < 0n) sellCollateralToVenue(ctx, s);
  const balance = quoteBalance(ctx, s);
  if (balance >= 0n) return;
  const fund = insuranceUnits(ctx);
  const fromFund = minUnits(fund, -balance);
  if (fromFund > 0n) {
    ctx.emit({
      type: "insurance_drawn",
      subaccountId: s.id,
      amountUnits: fromFund.toString(),
      deficitUnits: (-balance).toString(),
    });
  }
  const rest = -balance - fromFund;
  if (rest > 0n) ctx.emit({ type: "venue_absorbed", subaccountId: s.id, amountUnits: rest.toString() });
}

/** Ends the liquidation of an account with no positions left. */
function closeOut(ctx: CommandContext, s: SubaccountState, reason: "closed" | "deleveraged"): void {
  const drawn = s.liquidation?.insuranceDrawnUnits ?? 0n;
  coverResidual(ctx, s);
  // Insurance money lent to a bankrupt account is repaid first, from its collateral if need be.
  if (drawn > 0n && reason === "closed") seizeCollateral(ctx, s, drawn);
  const balance = quoteBalance(ctx, s);
  const refund = minUnits(drawn, balance);
  if (refund > 0n && reason === "closed") {
    ctx.emit({ type: "insurance_refunded", subaccountId: s.id, amountUnits: refund.toString() });
  }
  ctx.emit({ type: "liquidation_ended", subaccountId: s.id, reason });
}

/**
 * Closes up to `absLots` of `s`'s position in `marketId` against the ranked opposite positions at
 * `priceTicks` (`trade_settled {kind: "adl"}`); returns the lots closed and the counterparties.
 */
export function deleverageAt(
  ctx: CommandContext,
  s: SubaccountState,
  marketId: string,
  absLots: bigint,
  priceTicks: bigint,
): { closedLots: bigint; touched: number[] } {
  const lots = s.positions.get(marketId)?.lots ?? 0n;
  const touched: number[] = [];
  let remaining = minUnits(absLots, lots > 0n ? lots : -lots);
  const wanted = remaining;
  const ranked = rankAdlCandidates(ctx.state, marketId, lots, s.index).slice(0, ADL_COUNTERPARTIES_MAX);
  for (const c of ranked) {
    if (remaining === 0n) break;
    const available = c.lots > 0n ? c.lots : -c.lots;
    const take = minUnits(available, remaining);
    const other = ctx.state.subaccounts[c.index]!.id;
    ctx.emit({
      type: "trade_settled",
      kind: "adl",
      marketId,
      buyerSubaccountId: lots > 0n ? other : s.id,
      sellerSubaccountId: lots > 0n ? s.id : other,
      lots: take.toString(),
      priceTicks: priceTicks.toString(),
      buyerFeeUnits: "0",
      sellerFeeUnits: "0",
    });
    remaining -= take;
    touched.push(c.index);
  }
  return { closedLots: wanted - remaining, touched };
}

/**
 * Closes every position of a bankrupt account against ranked opposite positions at its bankruptcy
 * price. The deficit is the close-out's (bankruptcy-shortfall.ts), not the risk equity's: an
 * inverse perp's coin losses come out of the coin collateral before any haircut, so the risk
 * deficit overstates it and counterparties would overpay, leaving the account a surplus.
 */
function deleverage(ctx: CommandContext, s: SubaccountState, risk: SubaccountRisk): void {
  const cfg = configOf(ctx.state);
  const shortfallUsd = bankruptcyShortfallUsd(ctx.state, s);
  const deficitUsd = Number.isFinite(shortfallUsd) ? shortfallUsd : Math.max(-risk.equityUsd, 0);
  const marketIds = [...s.positions.keys()].sort();
  const touched: number[] = [];
  const totalNotional = marketIds.reduce(
    (t, id) => t + positionNotionalUsd(ctx.state, id, s.positions.get(id)!.lots),
    0,
  );
  for (const marketId of marketIds) {
    const lots = s.positions.get(marketId)!.lots;
    const market = cfg.markets.get(marketId)!;
    const notional = positionNotionalUsd(ctx.state, marketId, lots);
    const shareUsd = totalNotional > 0 ? (deficitUsd * notional) / totalNotional : 0;
    const mark = marketMarkUsd(ctx.state, market) ?? 0;
    const priceTicks = bankruptcyPriceTicks(market, lots, mark, shareUsd, notional);
    touched.push(...deleverageAt(ctx, s, marketId, lots > 0n ? lots : -lots, priceTicks).touched);
  }
  if (s.positions.size === 0) closeOut(ctx, s, "deleveraged");
  // Deleveraged counterparties closed worse than the mark: re-check them at once (each step
  // removes open interest, so this recursion ends).
  for (const index of [...new Set(touched)].sort((a, b) => a - b)) {
    reviewSubaccount(ctx, ctx.state.subaccounts[index]!);
  }
}

/**
 * The price that leaves a position's holder `shareUsd` better off than the mark: a long sells
 * above the mark, a short buys below it; rounding to a tick goes in the holder's favour so
 * nothing is left owing. Linear: mark ± share / units. Inverse (PnL in coin, valued at the mark):
 * a long gains N·(1 − m/P), so P = m / (1 − share/N); a short P = m / (1 + share/N).
 */
export function bankruptcyPriceTicks(
  market: ResolvedMarket,
  lots: bigint,
  markUsd: number,
  shareUsd: number,
  notionalUsd: number,
): bigint {
  let priceUsd: number;
  if (market.inverse) {
    const x = notionalUsd > 0 ? shareUsd / notionalUsd : 0;
    // Beyond x ≥ 1 no finite price pays a long's share: take a 100× mark and let the close-out cover the rest.
    priceUsd = lots > 0n ? (x < 0.99 ? markUsd / (1 - x) : markUsd * 100) : markUsd / (1 + x);
  } else {
    const units = (Math.abs(Number(lots)) / market.lotsPerContract) * market.contractSize;
    priceUsd = lots > 0n ? markUsd + shareUsd / units : markUsd - shareUsd / units;
  }
  const scaled = priceUsd * market.ticksPerUnit;
  const ticks = lots > 0n ? Math.ceil(scaled) : Math.floor(scaled);
  // A price must stay positive (inverse math divides by it): at least one tick.
  return BigInt(Math.max(market.inverse ? 1 : 0, ticks));
}

function resolveBankruptcy(ctx: CommandContext, s: SubaccountState, risk: SubaccountRisk): void {
  const cfg = configOf(ctx.state);
  const deficit = toLedgerAmountCeil(-risk.equityUsd, cfg.quoteDecimals);
  const budget = toLedgerAmountCeil(
    risk.notionalUsd * cfg.cfg.liquidation.auctionMaxDiscountFraction,
    cfg.quoteDecimals,
  );
  const fund = insuranceUnits(ctx);
  if (fund < deficit) {
    deleverage(ctx, s, risk);
    return;
  }
  const draw = minUnits(fund, deficit + budget);
  ctx.emitEvent({
    seq: ctx.nextSeq,
    atMs: ctx.atMs,
    commandId: ctx.command.id,
    type: "insurance_drawn",
    subaccountId: s.id,
    amountUnits: draw.toString(),
    deficitUnits: deficit.toString(),
  });
}

/**
 * Runs the liquidation state machine of one sub-account. `marksKnownValid`: the caller has
 * checked that every underlying's mark is valid (a sweep does it once, not per holder).
 */
export function reviewSubaccount(ctx: CommandContext, s: SubaccountState, marksKnownValid = false): void {
  if (!marksKnownValid && !marksValidFor(ctx.state, s)) return;
  primeSubaccountIndex(ctx.state, s);
  // A scratch risk object per review depth (a deleverage reviews its counterparties within a
  // review): thousands of reviews per crash tick allocate no risk object each.
  let into = reviewScratch[reviewDepth];
  if (into === undefined) {
    into = { equityUsd: 0, initialMarginUsd: 0, maintenanceMarginUsd: 0, health: 0, notionalUsd: 0 };
    reviewScratch[reviewDepth] = into;
  }
  reviewDepth++;
  try {
    reviewWith(ctx, s, into);
  } finally {
    reviewDepth--;
  }
}

const reviewScratch: SubaccountRisk[] = [];
let reviewDepth = 0;

function reviewWith(ctx: CommandContext, s: SubaccountState, into: SubaccountRisk): void {
  // `liquidation_started` changes neither balances, positions nor prices, so the risk computed
  // to decide it is still the risk right after it.
  let risk: SubaccountRisk | null = null;
  if (s.liquidation === null) {
    if (s.positions.size === 0) return;
    risk = computeRisk(ctx.state, s, "view", into);
    if (!(risk.maintenanceMarginUsd > 0 && risk.equityUsd < risk.maintenanceMarginUsd) && risk.equityUsd >= 0)
      return;
    ctx.emitEvent({
      seq: ctx.nextSeq,
      atMs: ctx.atMs,
      commandId: ctx.command.id,
      type: "liquidation_started",
      subaccountId: s.id,
      equityUsd: risk.equityUsd,
      maintenanceMarginUsd: risk.maintenanceMarginUsd,
    });
  }
  if (s.positions.size === 0) {
    closeOut(ctx, s, "closed");
    return;
  }
  risk ??= computeRisk(ctx.state, s, "view", into);
  if (risk.equityUsd < 0) {
    resolveBankruptcy(ctx, s, risk);
    return;
  }
  const target = configOf(ctx.state).cfg.liquidation.targetHealth;
  if (s.liquidation!.insuranceDrawnUnits === 0n && risk.equityUsd >= target * risk.maintenanceMarginUsd) {
    ctx.emit({ type: "liquidation_ended", subaccountId: s.id, reason: "healthy" });
  }
}

/** Holders reviewed per block of a sweep (see sweepUnderlying). */
const SWEEP_BLOCK = 256;
const sweepPending: number[] = new Array(SWEEP_BLOCK).fill(0);

/** Reviews every holder of an underlying, in index order, if its mark is valid. */
export function sweepUnderlying(ctx: CommandContext, underlyingId: string): void {
  const u = ctx.state.underlyings.get(underlyingId);
  if (u === undefined || !u.markValid) return;
  // On the columnar path the kernel's results skip the holders whose review would change
  // nothing (clearly healthy, not in liquidation, untouched since the re-margin); null: review all.
  const screen = columnarSweepScreen(ctx.state);
  // The cached order is never mutated (a membership change replaces it), so reviews that change
  // the membership (ADL closes positions) leave this iteration's list intact.
  // Reviews emit no mark events, so validity checked once holds for the whole sweep.
  let allMarksValid = true;
  for (const x of ctx.state.underlyings.values()) if (!x.markValid) allMarksValid = false;
  const holders = holdersInOrder(ctx.state, underlyingId);
  const verdict = screen?.verdict ?? null;
  const stale = screen?.stale ?? null;
  let skipped = 0;
  // A block of holders at a time: first the cache lines of those the one-byte test does not
  // clear are loaded together (a crash tick reviews thousands of scattered rows), then each
  // holder is decided in index order as before (an earlier review may clear a later verdict).
  const pending = sweepPending;
  for (let block = 0; block < holders.length; block += SWEEP_BLOCK) {
    const end = Math.min(holders.length, block + SWEEP_BLOCK);
    if (verdict !== null) {
      let count = 0;
      for (let x = block; x < end; x++) {
        const index = holders[x]!;
        if (verdict[index] !== 1 || stale![index] !== 0) pending[count++] = index;
      }
      if (count > 0) screen!.prefetch(pending, 0, count);
    }
    for (let x = block; x < end; x++) {
      const index = holders[x]!;
      // One byte per clearly healthy holder (an event clears the verdict of every row it touches).
      if (verdict !== null && verdict[index] === 1 && stale![index] === 0) {
        skipped++;
        continue;
      }
      if (screen?.healthy(index) === true) continue;
      reviewSubaccount(ctx, ctx.state.subaccounts[index]!, allMarksValid);
    }
  }
  screen?.skippedInline(skipped);
}
