/**
 * A deterministic Nelder–Mead minimiser (standard coefficients: reflection 1, expansion 2,
 * contraction ½, shrink ½) for small unconstrained problems such as a GARCH likelihood on
 * transformed parameters. Hand-written because it is a few dozen lines of domain numerics and
 * the optimiser must be deterministic and dependency-free inside `core`.
 */
export interface NelderMeadOptions {
  /** Initial simplex edge length along each coordinate (in the units of x). */
  readonly step: number;
  readonly maxEvaluations: number;
  /** Stop when the spread of function values across the simplex falls below this. */
  readonly tolerance: number;
}

export interface NelderMeadResult {
  readonly x: Float64Array;
  readonly value: number;
  readonly evaluations: number;
}

/** Minimises f from x0; non-finite values of f are treated as +Infinity (infeasible). */
export function nelderMead(
  f: (x: Float64Array) => number,
  x0: Float64Array,
  options: NelderMeadOptions,
): NelderMeadResult {
  const dim = x0.length;
  let evaluations = 0;
  const evaluate = (x: Float64Array): number => {
    evaluations++;
    const v = f(x);
    return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
  };
  const points: Float64Array[] = [];
  const values: number[] = [];
  for (let i = 0; i <= dim; i++) {
    const p = Float64Array.from(x0);
    if (i > 0) p[i - 1] = p[i - 1]! + options.step;
    points.push(p);
    values.push(evaluate(p));
  }
  const order = Array.from({ length: dim + 1 }, (_, i) => i);
  const centroid = new Float64Array(dim);
  const trial = (from: Float64Array, towards: Float64Array, coefficient: number): Float64Array => {
    const out = new Float64Array(dim);
    for (let j = 0; j < dim; j++) out[j] = from[j]! + coefficient * (towards[j]! - from[j]!);
    return out;
  };
  while (evaluations < options.maxEvaluations) {
    order.sort((a, b) => values[a]! - values[b]!);
    const best = order[0]!;
    const worst = order[dim]!;
    const secondWorst = order[dim - 1]!;
    if (Math.abs(values[worst]! - values[best]!) <= options.tolerance && Number.isFinite(values[worst]!))
      break;
    centroid.fill(0);
    for (let i = 0; i < dim; i++) {
      const p = points[order[i]!]!;
      for (let j = 0; j < dim; j++) centroid[j] = centroid[j]! + p[j]! / dim;
    }
    const reflected = trial(centroid, points[worst]!, -1);
    const fr = evaluate(reflected);
    if (fr < values[best]!) {
      const expanded = trial(centroid, points[worst]!, -2);
      const fe = evaluate(expanded);
      if (fe < fr) {
        points[worst] = expanded;
        values[worst] = fe;
      } else {
        points[worst] = reflected;
        values[worst] = fr;
      }
      continue;
    }
    if (fr < values[secondWorst]!) {
      points[worst] = reflected;
      values[worst] = fr;
      continue;
    }
    // Contract towards the better of the worst point and its reflection.
    const outside = fr < values[worst]!;
    const contracted = outside ? trial(centroid, reflected, 0.5) : trial(centroid, points[worst]!, 0.5);
    const fc = evaluate(contracted);
    if (fc < (outside ? fr : values[worst]!)) {
      points[worst] = contracted;
      values[worst] = fc;
      continue;
    }
    const bestPoint = points[best]!;
    for (let i = 0; i <= dim; i++) {
      if (i === best) continue;
      points[i] = trial(bestPoint, points[i]!, 0.5);
      values[i] = evaluate(points[i]!);
    }
  }
  let bestIndex = 0;
  for (let i = 1; i <= dim; i++) if (values[i]! < values[bestIndex]!) bestIndex = i;
  return { x: points[bestIndex]!, value: values[bestIndex]!, evaluations };
}
