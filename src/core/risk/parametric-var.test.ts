import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalVarEs, studentTVarEs } from "./parametric-var.ts";

const reference = JSON.parse(
  readFileSync(fileURLToPath(new URL("../../../test/fixtures/risk/reference.json", import.meta.url)), "utf8"),
) as {
  studentT: { nu: number; confidence: number; var: number; es: number }[];
  normal: { confidence: number; var: number; es: number }[];
};

describe("parametric VaR and ES", () => {
  it("normal 99%: VaR = 2.326347874·σ, ES = φ(z)/0.01·σ = 2.665214220·σ", () => {
    // φ(2.326347874) = e^(−2.705947)/√(2π) = 0.026652142
    const v = normalVarEs(0.03, 0.99);
    expect(v.valueAtRisk).toBeCloseTo(0.03 * 2.326347874040841, 14);
    expect(v.expectedShortfall).toBeCloseTo(0.03 * 2.665214220345806, 12);
  });

  it("normal matches R's numerical integration of the tail", () => {
    for (const r of reference.normal) {
      const v = normalVarEs(1, r.confidence);
      expect(v.valueAtRisk).toBeCloseTo(r.var, 12);
      expect(Math.abs(v.expectedShortfall / r.es - 1)).toBeLessThan(1e-10);
    }
  });

  it("unit-variance Student-t matches R's numerical integration of the tail", () => {
    for (const r of reference.studentT) {
      const v = studentTVarEs(1, r.nu, r.confidence);
      const label = `ν=${r.nu} c=${r.confidence}`;
      expect(Math.abs(v.valueAtRisk / r.var - 1), label).toBeLessThan(1e-10);
      expect(Math.abs(v.expectedShortfall / r.es - 1), label).toBeLessThan(1e-8);
    }
  });

  it("Student-t tends to the normal at equal variance as ν grows", () => {
    const t = studentTVarEs(0.02, 1e7, 0.99);
    const n = normalVarEs(0.02, 0.99);
    expect(t.valueAtRisk).toBeCloseTo(n.valueAtRisk, 6);
    expect(t.expectedShortfall).toBeCloseTo(n.expectedShortfall, 6);
  });

  it("ES ≥ VaR ≥ 0 and both scale linearly in σ (property)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-4, max: 1, noNaN: true }),
        fc.double({ min: 0.5, max: 0.9999, noNaN: true }),
        fc.double({ min: 2.1, max: 100, noNaN: true }),
        (sigma, c, nu) => {
          for (const v of [normalVarEs(sigma, c), studentTVarEs(sigma, nu, c)]) {
            expect(v.expectedShortfall).toBeGreaterThanOrEqual(v.valueAtRisk);
          }
          expect(normalVarEs(2 * sigma, c).valueAtRisk).toBeCloseTo(
            2 * normalVarEs(sigma, c).valueAtRisk,
            12,
          );
        },
      ),
    );
  });

  it("rejects bad inputs, naming the field", () => {
    expect(() => normalVarEs(-1, 0.99)).toThrow(/sigma/);
    expect(() => normalVarEs(1, 1)).toThrow(/confidence/);
    expect(() => studentTVarEs(1, 2, 0.99)).toThrow(/nu/);
  });
});
