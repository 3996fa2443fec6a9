import { generatePopulation } from "./src/sim/stress/population.ts";
import { DEFAULT_CASCADE_PARAMS, runCascade } from "./src/sim/stress/run-cascade.ts";
const STEP_MS = 15 * 60_000;
const prices: number[] = [];
for (let s = 0; s <= 30; s++) prices.push(100 - 1.5 * s);
prices.push(50);
for (let s = 1; s <= 10; s++) prices.push(55 + s);
const path = { priceUsd: Float64Array.from(prices), timestampsMs: Float64Array.from(prices.map((_, i) => i * STEP_MS)), requirementBar: new Int32Array(prices.length) };
const L = (x: number) => Float64Array.of(x);
const full = generatePopulation({ seed: 28, accounts: 300 });
const p = { ...DEFAULT_CASCADE_PARAMS, depth: { bandFraction: 0.0005, bandNotionalUsd: 700_000 }, capacityUsdPerHour: 1e12, insuranceFundUsd: 1e5, depthScale: 1e6 };
for (let i = 0; i < 300; i++) {
  const one = { direction: full.direction.slice(i, i + 1), notionalUsd: full.notionalUsd.slice(i, i + 1), wantedLeverage: full.wantedLeverage.slice(i, i + 1) };
  const lo = runCascade(one, path, L(0.08), L(0.04), p);
  const hi = runCascade(one, path, L(0.08 * 1.4), L(0.04 * 1.4), p);
  if (hi.badDebtUsd > lo.badDebtUsd + 1e-6) console.log(i, one.direction[0], one.notionalUsd[0], one.wantedLeverage[0], lo.badDebtUsd, hi.badDebtUsd, lo.liquidations, hi.liquidations);
}
