import type { CollateralLine } from "./collateral-valuation.ts";
import type { PositionRequirement } from "./cross-requirement.ts";
import type { PriceShift } from "./evaluate-subaccount.ts";
import { correlationOf } from "./evaluate-subaccount.ts";
import { type NetPosition, type PreparedSubaccount, shiftedMarkUsd } from "./prepared-subaccount.ts";
import type { BreakdownItem, WorstScenario } from "./types.ts";

/*
 * Portfolio (scenario) margin. Per underlying u, a grid of relative price moves
 * m ∈ {−R, …, 0, …, +R} (priceSteps points) × vol shocks v ∈ {−down, 0, +up}. A position's P&L
 * in a scenario is w_i·Δ_i(s): w_i = contractSize·size (contractSize·Σ size/entry for an inverse
 * perp) and Δ_i(s) = M'_i(s) − M_i its mark's move from the evaluated mark M_i. A future or perp
 * mark moves with its index, M' = M·(1+m), so every non-option position on u collapses into one
 * net delta D_u = Σ w_i·M_i (USD, in position order); an option is fully revalued (Black-76 at
 * S·(1+m) and σ·(1+v)). So, per scenario s = (m, v),
 *   pnl_u(s) = D_u·m + Σ_{options i on u, in position order} w_i·(shiftedMark_i(S·(1+m), v) − M_i)
 * and W_u = max(0, worst loss). This order of operations is the definition: the columnar kernel
 * (src/core/hotpath) computes D_u·m once per grid point and adds each option's Δ vector, which
 * the tick tables compute once per listed instrument, and it is bit-identical to this code. Under
 * a what-if PriceShift, S and M_i are the shifted index and mark, so the scenarios move the
 * shifted state (whose P&L is already in equity), exactly as they move the unshifted one. Then
 *   R_u = min( max(W_u, Σ short-option minimums) + calendar-spread charge,  cross charge of u )
 * The cap makes portfolio mode a pure offset benefit: never more than cross margin for the same
 * positions. Across underlyings: IM = max( √(Σᵢⱼ ρᵢⱼ RᵢRⱼ), maxᵢ Rᵢ ), ρ from the stressed matrix
 * (entries floored at `floor`, capped at 1; unknown pairs ρ = 1). Wrong-way: collateral tied to u
 * is shocked in the same scenarios; the add-on is max(0, W_u^with collateral − W_u − haircut_u),
 * so it only charges the part the haircut does not already cover and never lowers IM.
 * Calendar spreads: the grid moves every tenor in parallel, so a futures spread shows no loss;
 * instead the smaller of the long and short delta notionals (Σ w_i·M_i per expiry bucket, the
 * same terms as D_u) across different expiry buckets pays calendarSpreadFraction.
 */

export interface ScenarioRequirement {
  readonly imUsd: number;
  readonly mmUsd: number;
  readonly maintenanceShare: number;
  readonly items: BreakdownItem[];
  readonly worstScenarios: WorstScenario[];
  readonly worstScenario?: WorstScenario;
  /** Each net position's loss in its underlying's worst scenario, USD (negative when it hedges). */
  readonly worstContributionUsd: number[];
}

/** The price moves of a grid, as relative moves (unitless), ascending. */
export function priceGrid(range: number, steps: number): Float64Array {
  const out = new Float64Array(steps);
  const half = (steps - 1) / 2;
  for (let i = 0; i < steps; i++) out[i] = (range * (i - half)) / half;
  return out;
}

/**
 * A position's scenario weight w_i (contracts·contract size; for an inverse perp contract size ·
 * Σ size/entry): its P&L when its mark moves by Δ USD per unit is w_i·Δ.
 */
function deltaWeight(p: NetPosition): number {
  return p.mp.instrument.type === "inverse-perp"
    ? p.mp.contractSize * p.sizeOverEntry
    : p.mp.contractSize * p.size;
}

/** Scenario requirement of a prepared portfolio-mode sub-account, USD. */
export function scenarioRequirement(
  prep: PreparedSubaccount,
  shift: PriceShift | undefined,
  marks: readonly number[],
  standalone: readonly PositionRequirement[],
  collateral: readonly CollateralLine[],
): ScenarioRequirement {
  const { params, market } = prep;
  const items: BreakdownItem[] = [];
  const worstScenarios: WorstScenario[] = [];
  const worstContributionUsd = new Array<number>(prep.positions.length).fill(0);
  const underlyings = [...new Set(prep.positions.map((p) => p.mp.underlying))].sort();
  const reqs: number[] = [];
  let mmWeighted = 0;
  let wrongWayIm = 0;
  let wrongWayMm = 0;
  let best: WorstScenario | undefined;
  for (const u of underlyings) {
    const up = params.underlyings[u]!;
    const idx = prep.positions.map((p, i) => (p.mp.underlying === u ? i : -1)).filter((i) => i >= 0);
    const moves = priceGrid(up.priceRange, up.priceSteps);
    const vols = [...new Set([-up.volShockDown, 0, up.volShockUp])];
    const collUsd = collateral
      .filter((c) => params.collateral[c.asset]?.underlying === u)
      .reduce((acc, c) => ({ gross: acc.gross + c.grossUsd, haircut: acc.haircut + c.haircutUsd }), {
        gross: 0,
        haircut: 0,
      });
    // Losses below a relative round-off floor are noise (a perfectly hedged book), not a scenario.
    const noiseUsd = 1e-12 * idx.reduce((a, i) => a + standalone[i]!.notionalUsd, 0);
    // One pass in position order: the cross cap, the short-option minimum, the options to
    // revalue, and the non-option terms w_i·M_i, summed into the net delta D_u and, per expiry
    // bucket, into the calendar-spread deltas.
    let netDeltaUsd = 0;
    let shortMinUsd = 0;
    let crossCapUsd = 0;
    const options: number[] = [];
    const deltaByExpiry = new Map<string, number>();
    for (const i of idx) {
      const p = prep.positions[i]!;
      crossCapUsd += standalone[i]!.imUsd;
      const ins = p.mp.instrument;
      if (ins.type === "option") {
        options.push(i);
        if (p.size < 0) shortMinUsd += up.shortOptionMinimumFraction * standalone[i]!.notionalUsd;
        continue;
      }
      const deltaUsd = deltaWeight(p) * marks[i]!;
      netDeltaUsd += deltaUsd;
      const key = ins.type === "dated-future" ? String(ins.expiryMs) : "perp";
      deltaByExpiry.set(key, (deltaByExpiry.get(key) ?? 0) + deltaUsd);
    }
    // An option's mark move in scenario (m, v), from its evaluated mark.
    const optionMoveUsd = (i: number, m: number, v: number): number => {
      const p = prep.positions[i]!;
      const s =
        shift?.marketId === p.marketId || shift?.underlying === u ? p.indexUsd * shift.factor : p.indexUsd;
      return shiftedMarkUsd(p, s * (1 + m), v, market.asOfMs) - marks[i]!;
    };
    let worstLoss = 0;
    let worstWithColl = 0;
    let worst: WorstScenario = { underlying: u, priceMove: 0, volShock: 0, lossUsd: 0 };
    let worstIdx = -1;
    let worstVol = 0;
    for (const v of vols) {
      for (let k = 0; k < moves.length; k++) {
        const m = moves[k]!;
        let pnl = netDeltaUsd * m;
        for (const i of options) pnl += deltaWeight(prep.positions[i]!) * optionMoveUsd(i, m, v);
        const loss = -pnl;
        if (loss > worstLoss && loss > noiseUsd) {
          worstLoss = loss;
          worst = { underlying: u, priceMove: m, volShock: v, lossUsd: loss };
          worstIdx = k;
          worstVol = v;
        }
        worstWithColl = Math.max(worstWithColl, loss - collUsd.gross * m);
      }
    }
    if (worstIdx >= 0) {
      const m = moves[worstIdx]!;
      for (const i of idx) {
        const p = prep.positions[i]!;
        worstContributionUsd[i] =
          p.mp.instrument.type === "option"
            ? -(deltaWeight(p) * optionMoveUsd(i, m, worstVol))
            : -(deltaWeight(p) * marks[i]! * m);
      }
    }
    worstScenarios.push(worst);
    if (best === undefined || worst.lossUsd > best.lossUsd) best = worst;
    let longs = 0;
    let shorts = 0;
    for (const d of deltaByExpiry.values()) {
      if (d > 0) longs += d;
      else shorts -= d;
    }
    const calendarUsd = deltaByExpiry.size > 1 ? up.calendarSpreadFraction * Math.min(longs, shorts) : 0;
    const uncapped = Math.max(worstLoss, shortMinUsd) + calendarUsd;
    const r = Math.min(uncapped, crossCapUsd);
    reqs.push(r);
    mmWeighted += up.maintenanceShare * r;
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    items.push({
      component: "scenario",
      underlying: u,
      amountUsd: worstLoss,
      detail: `worst of ${moves.length}×${vols.length} scenarios: price ${pct(worst.priceMove)}, vol ${pct(worst.volShock)} → loss ${worstLoss.toFixed(2)}`,
    });
    if (shortMinUsd > worstLoss)
      items.push({
        component: "short-option-minimum",
        underlying: u,
        amountUsd: shortMinUsd - worstLoss,
        detail: `Σ short options × ${up.shortOptionMinimumFraction} of underlying notional = ${shortMinUsd.toFixed(2)}`,
      });
    if (calendarUsd > 0)
      items.push({
        component: "calendar-spread",
        underlying: u,
        amountUsd: calendarUsd,
        detail: `${up.calendarSpreadFraction} × min(long ${longs.toFixed(2)}, short ${shorts.toFixed(2)}) delta notional across expiries`,
      });
    if (r < uncapped)
      items.push({
        component: "cross-margin-cap",
        underlying: u,
        amountUsd: r - uncapped,
        detail: `capped at the cross-margin charge ${crossCapUsd.toFixed(2)} of the same positions`,
      });
    const ww = Math.max(0, worstWithColl - worstLoss - collUsd.haircut);
    if (ww > 0) {
      wrongWayIm += ww;
      wrongWayMm += ww * up.maintenanceShare;
      items.push({
        component: "wrong-way",
        underlying: u,
        amountUsd: ww,
        detail: `collateral ${collUsd.gross.toFixed(2)} USD shocked in the same scenarios: worst loss ${worstWithColl.toFixed(2)} vs ${worstLoss.toFixed(2)} without, less haircut ${collUsd.haircut.toFixed(2)}`,
      });
    }
  }
  const sum = reqs.reduce((a, b) => a + b, 0);
  let quad = 0;
  for (let i = 0; i < reqs.length; i++) {
    for (let j = 0; j < reqs.length; j++)
      quad += correlationOf(prep, underlyings[i]!, underlyings[j]!) * reqs[i]! * reqs[j]!;
  }
  const aggregated = Math.min(sum, Math.max(Math.sqrt(Math.max(0, quad)), ...reqs, 0));
  if (aggregated < sum)
    items.push({
      component: "correlation-offset",
      amountUsd: aggregated - sum,
      detail: `√(Σ ρᵢⱼ RᵢRⱼ) over ${underlyings.join(", ")} with stressed correlations`,
    });
  const share =
    sum > 0 ? mmWeighted / sum : (params.underlyings[underlyings[0] ?? ""]?.maintenanceShare ?? 1);
  return {
    imUsd: aggregated + wrongWayIm,
    mmUsd: aggregated * share + wrongWayMm,
    maintenanceShare: share,
    items,
    worstScenarios,
    ...(best === undefined ? {} : { worstScenario: best }),
    worstContributionUsd,
  };
}
