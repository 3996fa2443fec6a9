import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseRiskParams } from "../../core/margin/risk-params.ts";
import { loadPriceCsv } from "../data/load-price-csv.ts";
import { optimizeAsset } from "../optimize/optimize-asset.ts";
import { DEFAULT_DEPTH } from "../stress/calibrate-depth.ts";
import { resolveEpisode } from "../stress/episodes.ts";
import { runStress } from "../stress/run-stress.ts";
import { resolvePolicies } from "./resolve-policies.ts";
import { backtestSeries } from "./run-backtest.ts";

const DATA = fileURLToPath(new URL("../../../../shared/data/", import.meta.url));
const present = existsSync(`${DATA}daily/BTCUSDT.csv`) && existsSync(`${DATA}daily/ETHUSDT.csv`);
if (!present) console.warn(`\n*** SKIPPING real-data margin backtests: ${DATA} is absent ***\n`);
const DAY = 86_400_000;
const doc = parseRiskParams(
  JSON.parse(
    readFileSync(new URL("../../../examples/sim/backtest-risk-params.json", import.meta.url), "utf8"),
  ),
);

describe.skipIf(!present)("real data: BTC and ETH daily (../shared/data/daily)", () => {
  it.each(["BTCUSDT", "ETHUSDT"])("%s: the backtest's figures agree with the data", async (sym) => {
    const series = await loadPriceCsv(`${DATA}daily/${sym}.csv`);
    const r = backtestSeries(series, sym, resolvePolicies(doc, ["static", "vol", "vol-apc"]), {
      horizonMs: DAY,
    });
    const [st, vol, apc] = r.policies;
    expect(st!.periods).toBeGreaterThan(2800);
    // Static MM 15%: its breaches are exactly the days that moved more than 15%, counted here directly.
    const first = r.timestampsMs.indexOf(r.fromMs);
    let big = 0;
    let worst = 0;
    for (let i = first; i + 1 < series.close.length; i++) {
      if (series.timestampsMs[i + 1]! - series.timestampsMs[i]! !== DAY) continue;
      const move = Math.abs(series.close[i + 1]! / series.close[i]! - 1);
      if (move > 0.15) big++;
      worst = Math.max(worst, move);
    }
    expect(st!.mmBreaches).toBe(big);
    expect(st!.worstShortfall).toBeCloseTo(worst - 0.15, 12);
    // The dynamic policy reacts to the COVID crash: its IM after 2020-03-12 is far above February's.
    const feb = r.timestampsMs.indexOf(Date.UTC(2020, 1, 1));
    const mar = r.timestampsMs.indexOf(Date.UTC(2020, 2, 14));
    expect(r.paths[1]!.initialFraction[mar]!).toBeGreaterThan(2 * r.paths[1]!.initialFraction[feb]!);
    // APC (a buffer) only adds margin, so it breaches no more often than the same policy without it.
    expect(apc!.mmBreaches).toBeLessThanOrEqual(vol!.mmBreaches);
    expect(apc!.meanRequirement).toBeGreaterThan(vol!.meanRequirement);
  });

  it("BTC: the walk-forward optimum is cheaper than the fair static policy, out of sample", async () => {
    const series = await loadPriceCsv(`${DATA}daily/BTCUSDT.csv`);
    const r = optimizeAsset(series, "BTCUSDT", "BTC", {
      policy: "vol",
      targetConfidence: 0.99,
      horizonMs: DAY,
      base: {
        confidence: 0.99,
        measure: "es",
        distribution: { type: "student-t", dof: 4 },
        maintenanceShare: 0.75,
        capFraction: 0.5,
        staticMaintenanceRatio: 0.75,
      },
      lambdas: [0.94, 0.97],
      floors: [0, 0.02],
      multiplierSteps: 14,
    });
    const vol = r.policies.find((p) => p.name === "vol")!;
    const st = r.policies.find((p) => p.name === "static")!;
    expect(vol.periods).toBe(st.periods);
    expect(vol.kupiec.pValue).toBeGreaterThanOrEqual(0.05);
    expect(vol.meanRequirement).toBeLessThan(st.meanRequirement);
  });
});

const HOURLY = `${DATA}hourly/BTCUSDT_2017_2021.csv`;
describe.skipIf(!existsSync(HOURLY))("real data: the 2020-03-12 cascade (../shared/data/hourly)", () => {
  it("replays the real crash with money conserved", async () => {
    const series = await loadPriceCsv(HOURLY);
    const r = runStress(series, resolvePolicies(doc, ["static", "vol-apc"]), {
      episode: resolveEpisode("2020-03-12"),
      accounts: 300,
      seed: 5,
      depth: DEFAULT_DEPTH,
    });
    for (const p of r.policies) {
      expect(p.conservation.exact).toBe(true);
      // README: BTC from ~7.9k (open of 2020-03-11) to a 3.78k low on the 13th: a ~52% fall.
      expect(p.exoDrawdown).toBeGreaterThan(0.48);
      expect(p.exoDrawdown).toBeLessThan(0.56);
      expect(p.markDrawdown).toBeGreaterThanOrEqual(p.exoDrawdown - 1e-12);
      expect(p.liquidations).toBeGreaterThan(0);
    }
  });
});
