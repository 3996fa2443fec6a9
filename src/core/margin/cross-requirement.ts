import { positionNotionalUsd } from "./instrument-pricing.ts";
import type { MarketFractions } from "./market-requirement-fractions.ts";
import type { NetPosition } from "./prepared-subaccount.ts";
import type { RiskParams } from "./risk-params.ts";
import { staticRequirement } from "./static-requirement.ts";
import type { BreakdownItem } from "./types.ts";

/*
 * The requirement of one net position on its own (isolated and cross modes; also the cap of
 * portfolio mode). Perps and futures: the policy's fraction of notional (static brackets, or the
 * volatility-scaled fraction), scaled by APC. Options, on the underlying notional U = |q|·C·S:
 *   long:  IM = min(option value, f_IM·U)             (a long option cannot lose more than its value)
 *   short: IM = max(f_IM·U − OTM amount, m·U)         (the usual exchange rule; m = short-option minimum)
 * with MM the same with f_MM (and m·f_MM/f_IM). The option's own mark is already in equity as PnL.
 */

export interface PositionRequirement {
  readonly imUsd: number;
  readonly mmUsd: number;
  readonly notionalUsd: number;
  readonly items: BreakdownItem[];
}

/** Effective IM and MM for a notional in USD under the market's fractions (before option rules). */
function notionalRequirement(
  f: MarketFractions,
  notionalUsd: number,
  marketId: string,
): { imUsd: number; mmUsd: number; items: BreakdownItem[] } {
  const items: BreakdownItem[] = [];
  let imRaw: number;
  let mmRaw: number;
  if (f.policy.type === "static") {
    const s = staticRequirement(f.policy, notionalUsd);
    imRaw = s.imUsd;
    mmRaw = s.mmUsd;
    items.push({
      component: "base",
      marketId,
      amountUsd: s.baseImUsd,
      maintenanceUsd: s.baseMmUsd,
      detail: `${f.policy.initialFraction} × ${notionalUsd.toFixed(2)} USD notional`,
    });
    if (s.tiersImUsd > 0)
      items.push({
        component: "tiers",
        marketId,
        amountUsd: s.tiersImUsd,
        maintenanceUsd: s.tiersMmUsd,
        detail: "higher leverage brackets, applied marginally",
      });
    if (s.sizeImUsd > 0)
      items.push({
        component: "size-scaling",
        marketId,
        amountUsd: s.sizeImUsd,
        maintenanceUsd: s.sizeMmUsd,
        detail: `factor ${f.policy.sizeScaling?.factorPerSqrtUsd}·√notional`,
      });
  } else {
    imRaw = f.rawInitialFraction * notionalUsd;
    mmRaw = imRaw * f.policy.maintenanceShare;
    const detail = `${f.policy.measure.toUpperCase()} ${f.policy.confidence} over ${f.policy.horizonHours}h, σ_annual ${f.volAnnual?.toFixed(4)} → tail ${f.tailFraction?.toFixed(5)}, clamped [${f.policy.floorFraction}, ${f.policy.capFraction}] → ${f.rawInitialFraction.toFixed(5)} of notional`;
    items.push({ component: "volatility", marketId, amountUsd: imRaw, maintenanceUsd: mmRaw, detail });
  }
  const imUsd = imRaw * f.apcScale;
  const mmUsd = mmRaw * f.apcScale;
  if (f.apcScale !== 1)
    items.push({
      component: "apc",
      marketId,
      amountUsd: imUsd - imRaw,
      maintenanceUsd: mmUsd - mmRaw,
      detail: `anti-procyclicality: fraction ${f.rawInitialFraction.toFixed(5)} → ${f.initialFraction.toFixed(5)}`,
    });
  return { imUsd, mmUsd, items };
}

/** Requirement in USD of one net position standing alone, with its breakdown. */
export function crossPositionRequirement(
  params: RiskParams,
  p: NetPosition,
  f: MarketFractions,
  underlyingUsd: number,
  markUsd: number,
): PositionRequirement {
  const mp = p.mp;
  const notionalUsd = positionNotionalUsd(mp, p.size, markUsd, underlyingUsd);
  if (mp.instrument.type !== "option" || p.size === 0) {
    const r = notionalRequirement(f, notionalUsd, p.marketId);
    return { imUsd: r.imUsd, mmUsd: r.mmUsd, notionalUsd, items: r.items };
  }
  // Options: the policy's fraction of the underlying notional, then the option rules.
  const r = notionalRequirement(f, notionalUsd, p.marketId);
  const units = Math.abs(p.size) * mp.contractSize;
  const ratio = r.imUsd > 0 ? r.mmUsd / r.imUsd : 0;
  let imUsd: number;
  let mmUsd: number;
  const items: BreakdownItem[] = [];
  if (p.size > 0) {
    const valueUsd = units * markUsd;
    imUsd = Math.min(valueUsd, r.imUsd);
    mmUsd = Math.min(valueUsd, r.mmUsd);
    items.push({
      component: "option",
      marketId: p.marketId,
      amountUsd: imUsd,
      maintenanceUsd: mmUsd,
      detail: `long option: min(value ${valueUsd.toFixed(2)}, ${r.imUsd.toFixed(2)} policy charge on underlying notional)`,
    });
  } else {
    const ins = mp.instrument;
    const otmPerUnit =
      ins.optionKind === "call"
        ? Math.max(0, ins.strike - underlyingUsd)
        : Math.max(0, underlyingUsd - ins.strike);
    const otmUsd = units * otmPerUnit;
    const minFraction =
      mp.shortOptionMinimumFraction ?? params.underlyings[mp.underlying]?.shortOptionMinimumFraction ?? 0;
    const minUsd = minFraction * notionalUsd;
    const charge = r.imUsd - otmUsd;
    imUsd = Math.max(charge, minUsd);
    mmUsd = Math.max(r.mmUsd - otmUsd, minUsd * ratio);
    items.push({
      component: "option",
      marketId: p.marketId,
      amountUsd: Math.max(charge, 0),
      maintenanceUsd: Math.max(r.mmUsd - otmUsd, 0),
      detail: `short option: policy charge ${r.imUsd.toFixed(2)} − out-of-the-money ${otmUsd.toFixed(2)}`,
    });
    if (minUsd > charge)
      items.push({
        component: "short-option-minimum",
        marketId: p.marketId,
        amountUsd: minUsd - Math.max(charge, 0),
        maintenanceUsd: Math.max(0, minUsd * ratio - Math.max(r.mmUsd - otmUsd, 0)),
        detail: `minimum ${minFraction} × underlying notional ${notionalUsd.toFixed(2)}`,
      });
  }
  // Keep the policy's own lines for the explanation but note that the option rule replaced them.
  return {
    imUsd,
    mmUsd,
    notionalUsd,
    items: [
      ...r.items.map((i) => ({
        ...i,
        amountUsd: 0,
        maintenanceUsd: 0,
        detail: `${i.detail} (input to the option rule: ${i.amountUsd.toFixed(2)})`,
      })),
      ...items,
    ],
  };
}
