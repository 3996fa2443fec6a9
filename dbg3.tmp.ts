import { generatePopulation } from "./src/sim/stress/population.ts";
import { DEFAULT_CASCADE_PARAMS, runCascade } from "./src/sim/stress/run-cascade.ts";
const STEP_MS = 15 * 60_000;
const prices: number[] = [];
for (let s = 0; s <= 30; s++) prices.push(100 - 1.5 * s);
prices.push(50);
for (let s = 1; s <= 10; s++) prices.push(55 + s);
const path = { priceUsd: Float64Array.from(prices), timestampsMs: Float64Array.from(prices.map((_, i) => i * STEP_MS)), requirementBar: new Int32Array(prices.length) };
const L = (x: number) => Float64Array.of(x);
for (const [cap, ds] of [[5e6, 0.2], [5e6, 1e6], [1e12, 1e6], [1e12, 0.2]]) {
  let worse = 0; let ex = "";
  for (let seed = 1; seed <= 30; seed++) for (const f of [1.2, 1.4, 1.7, 2.2, 2.9]) {
    const pop = generatePopulation({ seed, accounts: 300 });
    const p = { ...DEFAULT_CASCADE_PARAMS, depth: { bandFraction: 0.0005, bandNotionalUsd: 700_000 }, capacityUsdPerHour: cap, insuranceFundUsd: 1e5, depthScale: ds, latencySteps: 0 };
    const lo = runCascade(pop, path, L(0.08), L(0.04), p);
    const hi = runCascade(pop, path, L(0.08 * f), L(0.04 * f), p);
    if (hi.badDebtUsd > lo.badDebtUsd + 1e-6) { worse++; ex = `${seed} ${f} ${lo.badDebtUsd} ${hi.badDebtUsd} liq ${lo.liquidations} ${hi.liquidations}`; }
  }
  console.log(cap, ds, "worse", worse, "of 150", ex);
}
