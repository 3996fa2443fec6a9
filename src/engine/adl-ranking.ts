import { configOf, type EngineState, holdersInOrder } from "./engine-state.ts";
import { computeRisk, marketMarkUsd } from "./subaccount-risk.ts";

/*
 * Auto-deleveraging order: the opposite positions in a market ranked by profit × leverage, the
 * way perp venues rank them: score = (unrealised PnL / |cost basis|) × (notional / equity).
 * Profitable, highly levered positions are deleveraged first; ties go by sub-account index so
 * the order is deterministic. Accounts themselves in liquidation are skipped.
 */

export interface AdlCandidate {
  index: number;
  /** Signed lots of the candidate's position (opposite to the bankrupt one's). */
  lots: bigint;
  score: number;
}

export function rankAdlCandidates(
  state: EngineState,
  marketId: string,
  bankruptLots: bigint,
  excludeIndex: number,
): AdlCandidate[] {
  const market = configOf(state).markets.get(marketId)!;
  const mark = marketMarkUsd(state, market) ?? 0;
  const out: AdlCandidate[] = [];
  for (const index of holdersInOrder(state, market.cfg.underlying)) {
    if (index === excludeIndex) continue;
    const s = state.subaccounts[index]!;
    const pos = s.positions.get(marketId);
    if (pos === undefined || pos.lots > 0n === bankruptLots > 0n || s.liquidation !== null) continue;
    const contracts = Number(pos.lots) / market.lotsPerContract;
    const valueUsd = contracts * market.contractSize * mark;
    const basisUsd =
      (Number(pos.basisRaw) * Number(market.rawToQuoteNum)) /
      Number(market.rawToQuoteDen) /
      10 ** configOf(state).quoteDecimals;
    const pnl = valueUsd - basisUsd;
    const equity = computeRisk(state, s).equityUsd;
    const leverage = Math.abs(valueUsd) / Math.max(equity, 1e-9);
    const score = (pnl / Math.max(Math.abs(basisUsd), 1e-9)) * leverage;
    out.push({ index, lots: pos.lots, score });
  }
  out.sort((a, b) => b.score - a.score || a.index - b.index);
  return out;
}
