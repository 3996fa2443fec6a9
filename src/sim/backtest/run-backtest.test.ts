import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { PriceSeries } from "../../core/data/price-series.ts";
import { parseRiskParams } from "../../core/margin/risk-params.ts";
import { resolvePolicies } from "./resolve-policies.ts";
import { backtestSeries } from "./run-backtest.ts";

const DAY = 86_400_000;
const doc = parseRiskParams(
  JSON.parse(
    readFileSync(new URL("../../../examples/sim/backtest-risk-params.json", import.meta.url), "utf8"),
  ),
);

function series(close: number[], gaps: PriceSeries["gaps"] = [], times?: number[]): PriceSeries {
  return {
    source: "hand",
    timestampsMs: Float64Array.from(times ?? close.map((_, i) => i * DAY)),
    open: undefined,
    high: undefined,
    low: undefined,
    close: Float64Array.from(close),
    volume: undefined,
    intervalMs: DAY,
    gaps,
    warnings: [],
  };
}

describe("backtestSeries on a tiny series with a static policy", () => {
  // Closes 100 → 104 (+4%) → 98.8 (−5%) → 108.68 (+10%) → 108.68 (0) → 97.812 (−10%).
  const s = series([100, 104, 98.8, 108.68, 108.68, 97.812]);
  const [policy] = resolvePolicies(doc, ["static"]);

  it("scores each bar against the next day's move (static IM 0.20, MM 0.15)", () => {
    const r = backtestSeries(s, "HAND", [policy!], { horizonMs: DAY, warmupPeriods: 0 });
    const m = r.policies[0]!;
    // Scored bars 0..4, losses 0.04, 0.05, 0.10, 0, 0.10: none exceeds MM 0.15.
    expect(m.periods).toBe(5);
    expect(m.mmBreaches).toBe(0);
    expect(m.meanRequirement).toBeCloseTo(0.2, 15);
    expect(m.meanMaintenance).toBeCloseTo(0.15, 15);
    expect(m.maxDailyRise).toBe(0);
    expect(m.peakToTrough).toBe(1);
    // Zero exceptions out of 5 at 99%: Kupiec LR = −2·5·ln 0.99 = 0.100503.
    expect(m.kupiec.lr).toBeCloseTo(-10 * Math.log(0.99), 12);
  });

  it("counts moves beyond MM with a 2-day horizon and never scores across a gap", () => {
    const r = backtestSeries(s, "HAND", [policy!], { horizonMs: 2 * DAY, warmupPeriods: 0 });
    // 2-day moves from bars 0..3: 98.8/100 = −1.2%, 108.68/104 = +4.5%, 108.68/98.8 = +10%, 97.812/108.68 = −10%.
    expect(r.policies[0]!.periods).toBe(4);
    expect(r.policies[0]!.mmBreaches).toBe(0);
    // With a missing day between bars 2 and 3 (bar 3 two days later), bars whose horizon spans it are skipped.
    const gapped = series(
      [100, 104, 98.8, 108.68, 108.68, 97.812],
      [{ afterIndex: 2, fromMs: 2 * DAY, toMs: 4 * DAY, missingPeriods: 1 }],
      [0, DAY, 2 * DAY, 4 * DAY, 5 * DAY, 6 * DAY],
    );
    const g = backtestSeries(gapped, "HAND", [policy!], { horizonMs: DAY, warmupPeriods: 0 });
    // Bars 0, 1, 3, 4 have a 1-day horizon inside the data; bar 2's next close is 2 days later.
    expect(g.policies[0]!.periods).toBe(4);
  });
});

describe("backtestSeries sees only the past", () => {
  it("a volatility policy's requirement at bar i does not change when later prices change", () => {
    const base = Array.from({ length: 80 }, (_, i) => 100 * Math.exp(0.02 * Math.sin(i * 1.7)));
    const shocked = [...base];
    for (let i = 60; i < 80; i++) shocked[i] = (shocked[i] as number) * (i % 2 === 0 ? 1.3 : 0.7);
    const policies = resolvePolicies(doc, ["vol", "vol-apc"]);
    const a = backtestSeries(series(base), "A", policies, { horizonMs: DAY });
    const b = backtestSeries(series(shocked), "B", policies, { horizonMs: DAY });
    for (let p = 0; p < 2; p++) {
      const pa = a.paths[p]!.initialFraction;
      const pb = b.paths[p]!.initialFraction;
      for (let i = 30; i < 60; i++) expect(pb[i]).toBe(pa[i]);
      expect(pb[75]).toBeGreaterThan(pa[75]!);
    }
    // APC (a 25% buffer) only ever adds margin: vol-apc ≥ vol at every bar.
    for (let i = 30; i < 80; i++)
      expect(b.paths[1]!.initialFraction[i]!).toBeGreaterThanOrEqual(b.paths[0]!.initialFraction[i]!);
  });
});

describe("resolvePolicies", () => {
  it("maps aliases onto a venue document and replaces an implied-vol source it cannot replay", () => {
    const venue = parseRiskParams(
      JSON.parse(
        readFileSync(new URL("../../../examples/venue-risk-params-vol-scaled.json", import.meta.url), "utf8"),
      ),
    );
    const [st, vol, apc] = resolvePolicies(venue, ["static", "vol", "vol-apc"], "SOL");
    expect(st!.market.policy.type).toBe("static");
    expect(vol!.marketId).toBe("SOL-PERP");
    expect(vol!.market.apc).toBeUndefined();
    expect(apc!.market.apc?.tool.type).toBe("buffer");
    const [btc] = resolvePolicies(venue, ["vol-apc"], "BTC");
    expect(btc!.notes.join()).toMatch(/implied/);
    expect(() => resolvePolicies(venue, ["nope"])).toThrow(/policies/);
  });
});
