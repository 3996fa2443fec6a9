/** A point of the trade-off between capital, coverage and procyclicality (all minimised). */
export interface ParetoPoint {
  readonly policy: string;
  readonly label: string;
  /** Mean IM fraction of notional. */
  readonly meanRequirement: number;
  readonly mmBreachRate: number;
  readonly maxDailyRise: number;
  readonly passes: boolean;
}

function dominates(a: ParetoPoint, b: ParetoPoint): boolean {
  const le =
    a.meanRequirement <= b.meanRequirement &&
    a.mmBreachRate <= b.mmBreachRate &&
    a.maxDailyRise <= b.maxDailyRise;
  const lt =
    a.meanRequirement < b.meanRequirement ||
    a.mmBreachRate < b.mmBreachRate ||
    a.maxDailyRise < b.maxDailyRise;
  return le && lt;
}

/** The non-dominated points (lower requirement, breach rate and daily rise are all better), by requirement. */
export function paretoFrontier(points: readonly ParetoPoint[]): ParetoPoint[] {
  const sorted = [...points].sort(
    (a, b) => a.meanRequirement - b.meanRequirement || a.mmBreachRate - b.mmBreachRate,
  );
  const front: ParetoPoint[] = [];
  for (const p of sorted) {
    if (
      front.some(
        (q) =>
          dominates(q, p) ||
          (q.meanRequirement === p.meanRequirement &&
            q.mmBreachRate === p.mmBreachRate &&
            q.maxDailyRise === p.maxDailyRise),
      )
    )
      continue;
    for (let i = front.length - 1; i >= 0; i--) if (dominates(p, front[i] as ParetoPoint)) front.splice(i, 1);
    front.push(p);
  }
  return front;
}
