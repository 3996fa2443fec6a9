import { configOf, type EngineState, holdersInOrder } from "./engine-state.ts";
import { computeRisk, positionNotionalUsd, positionPnlUsd } from "./subaccount-risk.ts";

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
  const out: AdlCandidate[] = [];
  for (const index of holdersInOrder(state, market.cfg.underlying)) {
    if (index === excludeIndex) continue;
    const s = state.subaccounts[index]!;
    const pos = s.positions.get(marketId);
    if (pos === undefined || pos.lots > 0n === bankruptLots > 0n || s.liquidation !== null) continue;
    const notionalUsd = positionNotionalUsd(state, marketId, pos.lots);
    const pnl = positionPnlUsd(state, market, pos);
    // What the position cost: |basis| in USD (linear), or its fixed USD notional (inverse).
    const costUsd = market.inverse
      ? notionalUsd
      : Math.abs(
          (Number(pos.basisRaw) * Number(market.rawToQuoteNum)) /
            Number(market.rawToQuoteDen) /
            10 ** configOf(state).quoteDecimals,
        );
    const equity = computeRisk(state, s).equityUsd;
    const leverage = notionalUsd / Math.max(equity, 1e-9);
    const score = (pnl / Math.max(costUsd, 1e-9)) * leverage;
    out.push({ index, lots: pos.lots, score });
  }
  out.sort((a, b) => b.score - a.score || a.index - b.index);
  return out;
}
