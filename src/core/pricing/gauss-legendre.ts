import { invalidInput } from "../errors.ts";

/** Nodes on [−1, 1] and weights of an n-point Gauss–Legendre quadrature rule. */
export interface GaussLegendreRule {
  readonly nodes: Float64Array;
  readonly weights: Float64Array;
}

/**
 * Computes the n-point Gauss–Legendre rule (exact for polynomials of degree 2n − 1) by Newton
 * iteration on the Legendre polynomial Pₙ from the Chebyshev-like initial guesses; the nodes come
 * out to the last ulp, which is cheaper to trust than a pasted table. Unitless; n in [1, 64].
 */
export function gaussLegendreRule(n: number): GaussLegendreRule {
  if (!Number.isInteger(n) || n < 1 || n > 64) throw invalidInput("n", "must be an integer in [1, 64]");
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let x = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let derivative = 0;
    for (let iter = 0; iter < 100; iter++) {
      let p0 = 1;
      let p1 = x;
      for (let k = 2; k <= n; k++) {
        const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      derivative = (n * (x * p1 - p0)) / (x * x - 1);
      const step = p1 / derivative;
      x -= step;
      if (Math.abs(step) < 1e-16) break;
    }
    nodes[i] = x;
    weights[i] = 2 / ((1 - x * x) * derivative * derivative);
  }
  return { nodes, weights };
}
