import { describe, expect, it } from "vitest";
import { type ParetoPoint, paretoFrontier } from "./pareto-frontier.ts";

const p = (label: string, req: number, rate: number, rise: number): ParetoPoint => ({
  policy: "x",
  label,
  meanRequirement: req,
  mmBreachRate: rate,
  maxDailyRise: rise,
  passes: true,
});

describe("paretoFrontier", () => {
  it("keeps exactly the non-dominated points", () => {
    const pts = [
      p("a", 0.1, 0.05, 1),
      p("b", 0.2, 0.01, 1),
      p("c", 0.2, 0.02, 1),
      p("d", 0.3, 0.01, 0),
      p("e", 0.3, 0.02, 0.5),
    ];
    // c is dominated by b (same requirement and rise, more breaches); e by d.
    expect(paretoFrontier(pts).map((x) => x.label)).toEqual(["a", "b", "d"]);
  });
  it("drops duplicates", () => {
    expect(paretoFrontier([p("a", 0.1, 0.01, 0), p("b", 0.1, 0.01, 0)])).toHaveLength(1);
  });
});
