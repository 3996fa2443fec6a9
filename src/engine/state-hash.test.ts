import { createHash } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical-json.ts";
import { createEngine } from "./create-engine.ts";
import { demoConfigFull, demoRiskParamsFull } from "./demo-config.ts";
import type { EngineConfig } from "./engine-config.ts";
import { createEmptyState, type EngineState } from "./engine-state.ts";
import { rerunOnRiskPaths } from "./hotpath/rerun-on-risk-paths.ts";
import { ScenarioDriver } from "./scenario-driver.ts";
import { type EngineSnapshot, restore, snapshot } from "./snapshot.ts";
import { stateHash } from "./state-hash.ts";

// Every scenario of this file, rerun on both risk paths: the columnar one must give the same
// event log and state hash as the reference one (and its audit must never find a wrong skip).
afterEach(() => {
  for (const driver of ScenarioDriver.drainCreated()) {
    const [reference, columnar] = rerunOnRiskPaths(driver.commands);
    expect(columnar!.logJson, "columnar path event log").toBe(reference!.logJson);
    expect(columnar!.hash, "columnar path state hash").toBe(reference!.hash);
  }
});

/** The same value with every object's keys in reverse order (arrays keep their order). */
function reverseKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reverseKeys) as T;
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .reverse()
      .map((k) => [k, reverseKeys((value as Record<string, unknown>)[k])]),
  ) as T;
}

const fullConfig = (): EngineConfig => ({
  ...demoConfigFull(),
  riskPolicy: { mode: "cross", params: demoRiskParamsFull() },
});

/** A venue that uses the newer state: modes, settings, BTC collateral, the inverse perp. */
function venue(config: EngineConfig): ScenarioDriver {
  const d = new ScenarioDriver(Date.UTC(2026, 0, 5), config);
  d.price(60_000);
  d.accept({
    type: "deposit",
    accountId: "alice",
    subaccountId: "alice/iso",
    asset: "USDC",
    amount: "10000",
    marginMode: "isolated",
  });
  d.deposit("bob/0", "1", "BTC");
  d.deposit("bob/0", "50000");
  d.accept({ type: "set_im_multiplier", subaccountId: "bob/0", imMultiplier: 1.5 });
  expect(d.trade("BTC-PERP", "alice/iso", "bob/0", "0.5", "60000").status).toBe("accepted");
  expect(d.trade("BTC-INV-PERP", "bob/0", "alice/iso", "10", "60000").status).toBe("rejected");
  d.deposit("carol/0", "0.2", "BTC");
  expect(d.trade("BTC-INV-PERP", "carol/0", "bob/0", "30", "60000").status).toBe("accepted");
  d.wait(120_000);
  d.price(58_500);
  return d;
}

/** The old hash: sha256 of JSON.stringify, which depends on key order. */
const keyOrderHash = (state: EngineState) =>
  createHash("sha256")
    .update(JSON.stringify(snapshot(state)))
    .digest("hex");

describe("stateHash", () => {
  it("is the sha256 of the canonical text (empty engine: text and hash checked with sha256sum)", () => {
    const text =
      '{"clockMs":0,"commands":[],"config":null,"format":"marginal-engine-snapshot/1","markets":[],' +
      '"seq":0,"subaccounts":[],"underlyings":[],' +
      '"venue":{"deposits":[],"fees":[],"insurance":[],"pnlPool":[],"withdrawals":[]}}';
    expect(canonicalJson(snapshot(createEmptyState()))).toBe(text);
    // printf '%s' "$text" | sha256sum
    expect(stateHash(createEmptyState())).toBe(
      "3d1f1a80825c4ee97a498bdbe80dfd778e64b310d8319c9839fbaec6731b470b",
    );
  });

  it("depends on the content only: the same venue configured with reordered keys hashes identically", () => {
    const a = venue(fullConfig());
    const b = venue(reverseKeys(fullConfig()));
    expect(stateHash(b.engine.state())).toBe(stateHash(a.engine.state()));
    // The states really differ in key order (the old JSON.stringify hash tells them apart).
    expect(keyOrderHash(b.engine.state())).not.toBe(keyOrderHash(a.engine.state()));
    // And the hash does see content: one more micro-dollar changes it.
    b.deposit("carol/0", "0.000001");
    expect(stateHash(b.engine.state())).not.toBe(stateHash(a.engine.state()));
  });

  it("survives snapshot → JSON with keys reordered → restore, and the restored engine stays in step", () => {
    const live = venue(fullConfig());
    const hash = live.engine.stateHash();
    const text = JSON.stringify(reverseKeys(live.engine.snapshot()));
    expect(text).not.toBe(JSON.stringify(live.engine.snapshot()));
    const restored = createEngine({ snapshot: JSON.parse(text) as EngineSnapshot });
    expect(restored.stateHash()).toBe(hash);
    expect(stateHash(restore(JSON.parse(text) as EngineSnapshot))).toBe(hash);
    // The same next command on both gives the same events and the same hash.
    const next = {
      id: "after-restore",
      atMs: live.nowMs + 1000,
      type: "oracle_report",
      underlying: "BTC",
      source: "alpha",
      price: "58400.00",
      confidence: "58.40",
      publishedAtMs: live.nowMs + 1000,
    };
    const a = live.engine.submit(next);
    const b = restored.submit(next);
    expect(b).toEqual(a);
    expect(restored.stateHash()).toBe(live.engine.stateHash());
  });
});
