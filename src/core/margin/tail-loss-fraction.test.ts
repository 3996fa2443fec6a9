import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { TailDistribution } from "./risk-params.ts";
import { horizonSigma, tailLossFraction } from "./tail-loss-fraction.ts";

interface Case {
  confidence: number;
  distribution: TailDistribution;
  var: number;
  es: number;
}
const fixture = JSON.parse(
  readFileSync(new URL("../../../test/fixtures/margin/r_tail_loss.json", import.meta.url), "utf8"),
) as { cases: Case[] };

describe("tailLossFraction", () => {
  it("matches R (qnorm/qt, ES by numeric integration of the quantile) to 1e-9 relative", () => {
    expect(fixture.cases.length).toBe(30);
    for (const c of fixture.cases) {
      expect(tailLossFraction(1, c.confidence, "var", c.distribution)).toBeCloseTo(c.var, 12);
      const es = tailLossFraction(1, c.confidence, "es", c.distribution);
      expect(Math.abs(es / c.es - 1)).toBeLessThan(1e-9);
    }
  });

  it("normal 99%: VaR 2.326348σ, ES φ(z)/0.01 = 2.665214σ (hand values)", () => {
    expect(tailLossFraction(0.02, 0.99, "var", { type: "normal" })).toBeCloseTo(
      0.02 * 2.3263478740408408,
      14,
    );
    expect(tailLossFraction(0.02, 0.99, "es", { type: "normal" })).toBeCloseTo(0.02 * 2.6652142203458067, 12);
  });

  it("is linear in σ and ES ≥ VaR", () => {
    const t: TailDistribution = { type: "student-t", dof: 4 };
    expect(tailLossFraction(0.3, 0.975, "es", t)).toBeCloseTo(3 * tailLossFraction(0.1, 0.975, "es", t), 14);
    expect(tailLossFraction(1, 0.975, "es", t)).toBeGreaterThan(tailLossFraction(1, 0.975, "var", t));
  });

  it("scales an annual vol by √(hours/8760)", () => {
    // 0.8·√(24/8760) = 0.8/√365 = 0.0418740…
    expect(horizonSigma(0.8, 24)).toBeCloseTo(0.8 / Math.sqrt(365), 15);
  });
});
