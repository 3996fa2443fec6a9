import { invalidInput } from "../../core/errors.ts";
import type { MarketParams, RiskParams } from "../../core/margin/risk-params.ts";

/*
 * Which market parameters of a risk-parameter document a backtest policy name stands for. A name
 * is first looked up as a market id of the document (so a document whose markets are named
 * `static`, `vol`, `vol-apc`, … is used exactly as written). Otherwise three aliases pick a
 * market of the document, preferring one on the asset's underlying:
 *   static  → a market with a static policy (its APC, if any, is kept);
 *   vol     → a market with a volatility-scaled policy, with its APC removed;
 *   vol-apc → a volatility-scaled market that has APC, with it.
 * A backtest has only a price history, so a volatility source that reads a number from the
 * market state (`implied`, `supplied`) cannot be replayed; it is replaced by EWMA λ = 0.94
 * (RiskMetrics daily) and the substitution is reported in `notes`.
 */

export interface ResolvedPolicy {
  /** The name asked for (the key in the backtest output). */
  readonly name: string;
  /** The market id of the document it came from. */
  readonly marketId: string;
  readonly market: MarketParams;
  /** What had to change to replay it on a price history (empty when nothing). */
  readonly notes: readonly string[];
}

function replayable(marketId: string, market: MarketParams, notes: string[]): MarketParams {
  const p = market.policy;
  if (p.type !== "volatility-scaled") return market;
  if (p.volSource.model !== "implied" && p.volSource.model !== "supplied") return market;
  notes.push(`${marketId}: volSource '${p.volSource.model}' has no history here; replaced by EWMA λ=0.94`);
  return { ...market, policy: { ...p, volSource: { model: "ewma", lambda: 0.94 } } };
}

function pick(
  doc: RiskParams,
  underlyingHint: string | undefined,
  accept: (m: MarketParams) => boolean,
): [string, MarketParams] | undefined {
  const entries = Object.entries(doc.markets).filter(([, m]) => accept(m));
  // Prefer the asset's own underlying, then a history-driven volatility source, then document order.
  const score = ([, m]: [string, MarketParams]) =>
    (m.underlying === underlyingHint ? 2 : 0) +
    (m.policy.type === "volatility-scaled" &&
    m.policy.volSource.model !== "implied" &&
    m.policy.volSource.model !== "supplied"
      ? 1
      : 0);
  let best: [string, MarketParams] | undefined;
  for (const e of entries) if (best === undefined || score(e) > score(best)) best = e;
  return best;
}

const isLinear = (m: MarketParams) => m.instrument.type !== "option";

/** Resolves policy names against a document; throws `invalid_input` naming `policies` when one is unknown. */
export function resolvePolicies(
  doc: RiskParams,
  names: readonly string[],
  underlyingHint?: string,
): ResolvedPolicy[] {
  if (names.length === 0) throw invalidInput("policies", "name at least one policy");
  return names.map((name) => {
    const notes: string[] = [];
    const own = doc.markets[name];
    if (own !== undefined) return { name, marketId: name, market: replayable(name, own, notes), notes };
    let found: [string, MarketParams] | undefined;
    let dropApc = false;
    if (name === "static")
      found = pick(doc, underlyingHint, (m) => isLinear(m) && m.policy.type === "static");
    else if (name === "vol") {
      found = pick(doc, underlyingHint, (m) => isLinear(m) && m.policy.type === "volatility-scaled");
      dropApc = true;
    } else if (name === "vol-apc")
      found = pick(
        doc,
        underlyingHint,
        (m) =>
          isLinear(m) &&
          m.policy.type === "volatility-scaled" &&
          m.apc !== undefined &&
          m.apc.tool.type !== "none",
      );
    if (found === undefined) {
      throw invalidInput(
        "policies",
        `'${name}' is neither a market of the document nor an alias it can satisfy (static, vol, vol-apc); markets: ${Object.keys(doc.markets).join(", ")}`,
      );
    }
    const [marketId, market] = found;
    let m = replayable(marketId, market, notes);
    if (dropApc && m.apc !== undefined) {
      const { apc: _dropped, ...rest } = m;
      m = rest;
    }
    return { name, marketId, market: m, notes };
  });
}
