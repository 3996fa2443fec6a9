import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MarginalError } from "../errors.ts";
import { parseRiskParams, RiskParamsSchema, safeParseRiskParams } from "./risk-params.ts";

const venue = (): unknown =>
  JSON.parse(readFileSync(new URL("../../../examples/venue-risk-params.json", import.meta.url), "utf8"));

const REMOVE = Symbol("remove");

/** Sets (or removes) the value at a dotted path of a JSON value, in place. */
function setPath(doc: unknown, path: string, value: unknown): void {
  const keys = path.split(".");
  let node = doc as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) node = node[k] as Record<string, unknown>;
  const last = keys[keys.length - 1]!;
  if (value === REMOVE) {
    if (Array.isArray(node)) node.pop();
    else delete node[last];
  } else node[last] = value;
}

function getPath(doc: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((n, k) => (n as Record<string, unknown>)[k], doc);
}

/** Edits a fresh copy of the example document at `path` and returns the located error text. */
function errorOf(path: string, value: unknown): string {
  const doc = venue();
  setPath(doc, path, value);
  try {
    parseRiskParams(doc);
  } catch (e) {
    expect(e).toBeInstanceOf(MarginalError);
    expect((e as MarginalError).code).toBe("invalid_input");
    return (e as MarginalError).message;
  }
  throw new Error("expected the document to be rejected");
}

describe("parseRiskParams", () => {
  it("accepts both example documents", () => {
    expect(parseRiskParams(venue()).markets["BTC-PERP"]?.instrument.type).toBe("linear-perp");
    const v2 = JSON.parse(
      readFileSync(new URL("../../../examples/venue-risk-params-vol-scaled.json", import.meta.url), "utf8"),
    );
    expect(parseRiskParams(v2).markets["BTC-PERP"]?.policy.type).toBe("volatility-scaled");
  });

  it("locates maintenance ≥ initial", () => {
    expect(errorOf("markets.BTC-PERP.policy.maintenanceFraction", 0.06)).toBe(
      "markets.BTC-PERP.policy.maintenanceFraction: must be < initialFraction",
    );
  });

  it("rejects unknown fields with their path", () => {
    expect(errorOf("markets.ETH-PERP.leverage", 20)).toMatch(/^markets\.ETH-PERP: .*leverage/);
    expect(errorOf("extra", 1)).toMatch(/extra/);
  });

  it("rejects out-of-range values", () => {
    expect(errorOf("markets.BTC-PERP.contractSize", -1)).toBe("markets.BTC-PERP.contractSize: must be > 0");
    expect(errorOf("markets.SOL-PERP.policy.confidence", 0.5)).toBe(
      "markets.SOL-PERP.policy.confidence: must be in [0.9, 1)",
    );
    expect(errorOf("markets.SOL-PERP.policy.distribution.dof", 2)).toBe(
      "markets.SOL-PERP.policy.distribution.dof: must be in (2, 1000]",
    );
    expect(errorOf("underlyings.BTC.priceSteps", 20)).toBe(
      "underlyings.BTC.priceSteps: must be odd (the grid includes 0)",
    );
    expect(errorOf("markets.BTC-PERP.tickSize", Number.NaN)).toMatch(/^markets\.BTC-PERP\.tickSize: /);
  });

  it("rejects brackets that do not increase or whose rates fall", () => {
    expect(errorOf("markets.BTC-PERP.policy.tiers.1.notionalUsdFrom", 500_000)).toBe(
      "markets.BTC-PERP.policy.tiers.1.notionalUsdFrom: must increase from bracket to bracket",
    );
    expect(errorOf("markets.BTC-PERP.policy.tiers.1.initialFraction", 0.08)).toBe(
      "markets.BTC-PERP.policy.tiers.1.initialFraction: must not fall in a higher bracket",
    );
  });

  it("rejects dangling references", () => {
    expect(errorOf("markets.BTC-PERP.underlying", "DOGE")).toBe(
      "markets.BTC-PERP.underlying: 'DOGE' is not in underlyings",
    );
    expect(errorOf("collateral.USDC", REMOVE)).toBe(
      "collateral.USDC: the quote asset must be a collateral asset",
    );
    expect(
      errorOf(
        "paramSets.market-maker-1.markets.XRP-PERP",
        getPath(venue(), "paramSets.market-maker-1.markets.BTC-PERP"),
      ),
    ).toBe("paramSets.market-maker-1.markets.XRP-PERP: is not a market of this document");
  });

  it("rejects a malformed correlation matrix", () => {
    expect(errorOf("correlation.matrix.0.1", 0.3)).toBe("correlation.matrix.0.1: must be symmetric");
    expect(errorOf("correlation.matrix.1.1", 0.9)).toBe("correlation.matrix.1.1: diagonal must be 1");
    expect(errorOf("correlation.matrix.2", REMOVE)).toBe("correlation.matrix: must have 3 rows");
  });

  it("has a safe variant that returns the error as a value", () => {
    const r = safeParseRiskParams({ version: 1 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.field).toBe("venue");
    expect(safeParseRiskParams(venue()).ok).toBe(true);
  });

  it("exports a JSON Schema", async () => {
    const { z } = await import("zod");
    const schema = z.toJSONSchema(RiskParamsSchema, { unrepresentable: "any" }) as Record<string, unknown>;
    expect(schema.type).toBe("object");
    expect(schema.required).toEqual(expect.arrayContaining(["version", "venue", "markets", "collateral"]));
    expect(schema.additionalProperties).toBe(false);
  });
});
