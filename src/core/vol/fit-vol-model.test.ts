import { describe, expect, it } from "vitest";
import { fitVolModel } from "./fit-vol-model.ts";

describe("fitVolModel", () => {
  it("EWMA report by hand on three returns (λ = 0.9)", () => {
    // From ewma-variance.test.ts: σ² path 4.6667e-4, 4.3e-4, 4.27e-4; forecast 4.743e-4.
    // LL = −½ Σ (ln 2π + ln σ²ₜ + rₜ²/σ²ₜ)
    //    = −½[3·1.837877066 + ln(4.6667e-4·4.3e-4·4.27e-4) + 1/4.6667 + 4/4.3 + 9/4.27]
    const r = Float64Array.of(0.01, -0.02, 0.03);
    const report = fitVolModel(r, "ewma", 0.9, 365);
    const v = [4.666666666666667e-4, 4.3e-4, 4.27e-4];
    const ll = -0.5 * v.reduce((s, x, t) => s + Math.log(2 * Math.PI) + Math.log(x) + r[t]! ** 2 / x, 0);
    expect(report.logLikelihood).toBeCloseTo(ll, 12);
    expect(report).toMatchObject({ model: "ewma", n: 3, omega: 0, beta: 0.9, lambda: 0.9, persistence: 1 });
    expect(report.alpha).toBeCloseTo(0.1, 15);
    expect(report.nextPeriodVol).toBeCloseTo(Math.sqrt(4.743e-4), 15);
    // Sample vol annualised: √(4.6667e-4·365) = 0.412714
    expect(report.annualizedLongRunVol).toBeCloseTo(Math.sqrt(4.666666666666667e-4 * 365), 14);
    expect(report.nu).toBeUndefined();
  });
});
