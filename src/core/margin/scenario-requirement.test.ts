import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { evaluateSubaccount, type PriceShift } from "./evaluate-subaccount.ts";
import { netPnlUsd, prepareSubaccount, shiftedMarkUsd } from "./prepared-subaccount.ts";
import { parseRiskParams } from "./risk-params.ts";
import { priceGrid } from "./scenario-requirement.ts";
import type { MarketState } from "./types.ts";

/*
 * The scenario P&L is defined in collapsed form (net delta of the non-option positions times the
 * price move, plus each option's weight times its mark move). The independent truth here is the
 * plain full revaluation every position at every grid point, Σ netPnl(mark') − netPnl(mark), which
 * equals it in exact arithmetic: the worst losses must agree to round-off, with and without a
 * what-if price shift, on random books of perps, inverse perps, dated futures and options.
 */
const T0 = 1_800_000_000_000;
const DAY = 86_400_000;
const st = { type: "static", initialFraction: 0.1, maintenanceFraction: 0.05 };
const params = parseRiskParams({
  version: 1,
  venue: "collapse",
  quoteAsset: "USD",
  markets: {
    "BTC-PERP": {
      instrument: { type: "linear-perp" },
      underlying: "BTC",
      contractSize: 1,
      tickSize: 0.01,
      policy: st,
    },
    "BTC-INV": {
      instrument: { type: "inverse-perp" },
      underlying: "BTC",
      contractSize: 100,
      tickSize: 0.01,
      policy: st,
    },
    "BTC-F1": {
      instrument: { type: "dated-future", expiryMs: T0 + 30 * DAY },
      underlying: "BTC",
      contractSize: 1,
      tickSize: 0.01,
      policy: st,
    },
    "BTC-C": {
      instrument: { type: "option", optionKind: "call", strike: 105, expiryMs: T0 + 40 * DAY },
      underlying: "BTC",
      contractSize: 1,
      tickSize: 0.01,
      policy: st,
    },
    "BTC-P": {
      instrument: { type: "option", optionKind: "put", strike: 95, expiryMs: T0 + 60 * DAY },
      underlying: "BTC",
      contractSize: 1,
      tickSize: 0.01,
      policy: st,
    },
    "ETH-PERP": {
      instrument: { type: "linear-perp" },
      underlying: "ETH",
      contractSize: 1,
      tickSize: 0.01,
      policy: st,
    },
  },
  collateral: { USD: { haircut: { model: "fixed", fraction: 0 } } },
  underlyings: Object.fromEntries(
    ["BTC", "ETH"].map((u) => [
      u,
      {
        priceRange: 0.2,
        priceSteps: 9,
        volShockUp: 0.3,
        volShockDown: 0.2,
        shortOptionMinimumFraction: 0,
        calendarSpreadFraction: 0,
        maintenanceShare: 0.5,
      },
    ]),
  ),
});
const market: MarketState = {
  asOfMs: T0,
  underlyings: {
    BTC: { indexPriceUsd: 100, impliedVolAnnual: 0.6 },
    ETH: { indexPriceUsd: 10, impliedVolAnnual: 0.7 },
  },
  markets: {
    "BTC-PERP": { markPriceUsd: 100.3 },
    "BTC-INV": { markPriceUsd: 99.8 },
    "BTC-F1": { markPriceUsd: 101.2 },
    "BTC-C": { impliedVolAnnual: 0.55, markPriceUsd: 4.1 },
    "ETH-PERP": { markPriceUsd: 10.02 },
  },
  collateral: { USD: { priceUsd: 1 } },
};
const marketIds = Object.keys(params.markets);

/** Worst loss per underlying by full revaluation of every position (the pre-collapse formula). */
function fullRevaluationWorst(
  prep: ReturnType<typeof prepareSubaccount>,
  shift: PriceShift | undefined,
): Map<string, { lossUsd: number; scaleUsd: number }> {
  const out = new Map<string, { lossUsd: number; scaleUsd: number }>();
  for (const u of [...new Set(prep.positions.map((p) => p.mp.underlying))]) {
    const up = params.underlyings[u]!;
    const on = prep.positions.filter((p) => p.mp.underlying === u);
    const s = (p: (typeof on)[number]) =>
      shift?.marketId === p.marketId || shift?.underlying === u ? p.indexUsd * shift.factor : p.indexUsd;
    const mark = (p: (typeof on)[number]) =>
      s(p) === p.indexUsd ? p.markUsd : shiftedMarkUsd(p, s(p), 0, market.asOfMs);
    let worst = 0;
    for (const v of [-up.volShockDown, 0, up.volShockUp])
      for (const m of priceGrid(up.priceRange, up.priceSteps)) {
        let pnl = 0;
        for (const p of on)
          pnl += netPnlUsd(p, shiftedMarkUsd(p, s(p) * (1 + m), v, market.asOfMs)) - netPnlUsd(p, mark(p));
        worst = Math.max(worst, -pnl);
      }
    // The magnitude of the terms full revaluation cancels (size·mark and Σ size·entry, or their
    // inverse-perp forms): its own round-off is relative to these, not to the net exposure.
    const scaleUsd = on.reduce(
      (a, p) =>
        a +
        p.mp.contractSize *
          (2 * Math.abs(p.size) * p.indexUsd +
            Math.abs(p.sizeTimesEntry) +
            2 * Math.abs(p.sizeOverEntry) * p.indexUsd),
      0,
    );
    out.set(u, { lossUsd: worst, scaleUsd });
  }
  return out;
}

describe("scenarioRequirement (collapsed net delta + option vectors)", () => {
  it("agrees with full revaluation of every position to round-off, with and without a shift", () => {
    const position = fc.record({
      market: fc.integer({ min: 0, max: marketIds.length - 1 }),
      size: fc.double({ min: -50, max: 50, noNaN: true }).filter((x) => Math.abs(x) > 1e-3),
      entry: fc.double({ min: 1, max: 150, noNaN: true }),
    });
    fc.assert(
      fc.property(
        fc.array(position, { minLength: 1, maxLength: 8 }),
        fc.constantFrom(undefined, 0.93, 1.08),
        (positions, factor) => {
          const sub = {
            id: "s",
            mode: "portfolio" as const,
            positions: positions.map((p) => ({
              marketId: marketIds[p.market]!,
              size: p.size,
              entryPrice:
                marketIds[p.market]!.endsWith("-C") || marketIds[p.market]!.endsWith("-P")
                  ? p.entry / 20
                  : p.entry,
            })),
            collateral: [{ asset: "USD", amount: 1_000 }],
          };
          const prep = prepareSubaccount(params, market, sub);
          const shift: PriceShift | undefined =
            factor === undefined ? undefined : { underlying: "BTC", factor };
          const r = evaluateSubaccount(prep, shift);
          const truth = fullRevaluationWorst(prep, shift);
          for (const w of r.worstScenarios ?? []) {
            const t = truth.get(w.underlying)!;
            // Round-off of either form (and the reference's 1e-12·notional noise floor) only.
            expect(Math.abs(w.lossUsd - t.lossUsd)).toBeLessThanOrEqual(1e-12 * t.scaleUsd);
          }
          expect(r.worstScenarios?.length).toBe(truth.size);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("a perp and a future on one underlying collapse to one net delta: a hedged pair loses nothing", () => {
    const prep = prepareSubaccount(params, market, {
      id: "h",
      mode: "portfolio",
      positions: [
        { marketId: "BTC-PERP", size: 10, entryPrice: 100 },
        { marketId: "BTC-F1", size: -10 * (100.3 / 101.2), entryPrice: 100 },
      ],
      collateral: [{ asset: "USD", amount: 1_000 }],
    });
    const r = evaluateSubaccount(prep);
    // D = 10·100.3 − 10·(100.3/101.2)·101.2 ≈ 0 (round-off only): below the noise floor, no loss.
    expect(r.worstScenario?.lossUsd).toBe(0);
    expect(r.initialMarginUsd).toBe(0);
  });
});
