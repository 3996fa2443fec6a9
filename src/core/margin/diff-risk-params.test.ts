import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { diffRiskParams } from "./diff-risk-params.ts";
import { parseRiskParams } from "./risk-params.ts";

const load = (name: string) =>
  parseRiskParams(JSON.parse(readFileSync(new URL(`../../../examples/${name}`, import.meta.url), "utf8")));

describe("diffRiskParams", () => {
  it("lists every changed field with its path, sorted", () => {
    const a = load("venue-risk-params.json");
    const b = load("venue-risk-params-vol-scaled.json");
    const changes = diffRiskParams(a, b);
    expect(changes[0]).toBeDefined();
    expect(changes).toContainEqual({ kind: "changed", path: "version", before: 1, after: 2 });
    expect(changes).toContainEqual({
      kind: "changed",
      path: "markets.BTC-PERP.policy.type",
      before: "static",
      after: "volatility-scaled",
    });
    expect(changes).toContainEqual(expect.objectContaining({ kind: "added", path: "markets.BTC-PERP.apc" }));
    expect(changes).toContainEqual(
      expect.objectContaining({ kind: "removed", path: "markets.BTC-PERP.policy.tiers" }),
    );
    const paths = changes.map((c) => c.path);
    expect(paths).toEqual([...paths].sort());
    expect(diffRiskParams(a, a)).toEqual([]);
  });
});
