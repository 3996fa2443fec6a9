import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Engine, SubaccountView } from "../engine/create-engine.ts";
import {
  createSubaccountSummaryCache,
  type SortOrder,
  SUMMARY_SORT_KEYS,
  type SubaccountSummaryRow,
  type SummarySortKey,
} from "./subaccount-summary.ts";

/*
 * The summary read model over a fake engine (only the calls it makes: state().seq/config/
 * subaccounts/clockMs and subaccount(id)): figures, caching per sequence number, keyset paging
 * that visits every row exactly once in order, search, account filter and the health bands.
 */

interface FakeSub {
  id: string;
  accountId: string;
  equityUsd: number;
  mmUsd: number;
  imUsd: number;
  positions: number;
  inLiquidation: boolean;
}

function fakeEngine(subs: FakeSub[]): { engine: Engine; bump(): void; views: { count: number } } {
  const state = { seq: 1, clockMs: 1000, config: {}, subaccounts: subs.map((s) => ({ id: s.id })) };
  const views = { count: 0 };
  const byId = new Map(subs.map((s) => [s.id, s]));
  const engine = {
    state: () => state,
    subaccount(id: string): SubaccountView | undefined {
      const s = byId.get(id);
      if (s === undefined) return undefined;
      views.count += 1;
      return {
        id: s.id,
        accountId: s.accountId,
        balances: {},
        positions: Array.from({ length: s.positions }, (_, i) => ({
          marketId: `M${i}`,
          lots: 1n,
          basisRaw: 1n,
        })),
        inLiquidation: s.inLiquidation,
        mode: "cross",
        settings: { imMultiplier: 1, paramSetId: null },
        risk: {
          equityUsd: s.equityUsd,
          initialMarginUsd: s.imUsd,
          maintenanceMarginUsd: s.mmUsd,
          health: s.mmUsd === 0 ? Number.POSITIVE_INFINITY : s.equityUsd / s.mmUsd,
          notionalUsd: s.mmUsd * 40,
        },
      };
    },
  } as unknown as Engine;
  return { engine, bump: () => (state.seq += 1), views };
}

const SUBS: FakeSub[] = [
  // health 10 000 / 1 500 = 6.667; margin ratio 0.15
  {
    id: "alice-main",
    accountId: "alice",
    equityUsd: 10_000,
    mmUsd: 1500,
    imUsd: 3000,
    positions: 1,
    inLiquidation: false,
  },
  // no positions: health null, ratio null
  {
    id: "alice-spare",
    accountId: "alice",
    equityUsd: 500,
    mmUsd: 0,
    imUsd: 0,
    positions: 0,
    inLiquidation: false,
  },
  // health 1 100 / 1 000 = 1.1
  {
    id: "bob-main",
    accountId: "bob",
    equityUsd: 1100,
    mmUsd: 1000,
    imUsd: 2000,
    positions: 2,
    inLiquidation: false,
  },
  // in liquidation (health 0.8): riskiest whatever its figure
  {
    id: "carol-main",
    accountId: "carol",
    equityUsd: 800,
    mmUsd: 1000,
    imUsd: 2000,
    positions: 1,
    inLiquidation: true,
  },
  // health 1 200 / 1 000 = 1.2 exactly: the lower bound of band 1.2–1.5
  {
    id: "dave-main",
    accountId: "dave",
    equityUsd: 1200,
    mmUsd: 1000,
    imUsd: 2000,
    positions: 1,
    inLiquidation: false,
  },
];

describe("subaccount summary", () => {
  it("reports the engine's figures with health and margin ratio", () => {
    const { engine } = fakeEngine(SUBS);
    const rows = createSubaccountSummaryCache(engine).rows();
    const alice = rows.find((r) => r.subaccountId === "alice-main")!;
    expect(alice.health).toBeCloseTo(10_000 / 1500, 12);
    expect(alice.marginRatio).toBeCloseTo(0.15, 12);
    expect(alice.freeCollateralUsd).toBe(7000);
    expect(alice.positionsCount).toBe(1);
    const spare = rows.find((r) => r.subaccountId === "alice-spare")!;
    expect(spare.health).toBeNull();
    expect(spare.marginRatio).toBeNull();
  });

  it("computes once per engine sequence number", () => {
    const { engine, bump, views } = fakeEngine(SUBS);
    const cache = createSubaccountSummaryCache(engine);
    cache.page({ sort: "health", order: "asc", limit: 2 });
    cache.page({ sort: "equityUsd", order: "desc", limit: 2 });
    cache.histogram();
    expect(cache.recomputations()).toBe(1);
    expect(views.count).toBe(SUBS.length);
    bump();
    cache.page({ sort: "health", order: "asc", limit: 2 });
    expect(cache.recomputations()).toBe(2);
  });

  it("sorts riskiest first: in liquidation, then by health, no requirement last", () => {
    const { engine } = fakeEngine(SUBS);
    const page = createSubaccountSummaryCache(engine).page({ sort: "health", order: "asc", limit: 10 });
    expect(page.items.map((r) => r.subaccountId)).toEqual([
      "carol-main",
      "bob-main",
      "dave-main",
      "alice-main",
      "alice-spare",
    ]);
    expect(page.next).toBeNull();
    expect(page.total).toBe(5);
  });

  it("searches ids case-insensitively and filters by account", () => {
    const { engine } = fakeEngine(SUBS);
    const cache = createSubaccountSummaryCache(engine);
    const found = cache.page({ sort: "subaccountId", order: "asc", limit: 10, q: " ALICE " });
    expect(found.items.map((r) => r.subaccountId)).toEqual(["alice-main", "alice-spare"]);
    expect(found.total).toBe(2);
    const own = cache.page({ sort: "health", order: "asc", limit: 1, accountIds: new Set(["bob", "dave"]) });
    expect(own.items.map((r) => r.subaccountId)).toEqual(["bob-main"]);
    expect(own.total).toBe(2);
    const rest = cache.page({
      sort: "health",
      order: "asc",
      limit: 1,
      accountIds: new Set(["bob", "dave"]),
      after: own.next!,
    });
    expect(rest.items.map((r) => r.subaccountId)).toEqual(["dave-main"]);
    expect(rest.next).toBeNull();
  });

  it("counts the health bands (bounds closed below)", () => {
    const { engine } = fakeEngine(SUBS);
    const h = createSubaccountSummaryCache(engine).histogram();
    expect(h.bands.map((b) => b.count)).toEqual([0, 1, 1, 0, 0, 1]);
    expect(h.inLiquidation).toBe(1);
    expect(h.noRequirement).toBe(1);
    expect(h.total).toBe(5);
    expect(createSubaccountSummaryCache(engine).histogram(new Set(["alice"])).total).toBe(2);
  });

  it("refuses a foreign or malformed cursor naming query.after", () => {
    const { engine } = fakeEngine(SUBS);
    const cache = createSubaccountSummaryCache(engine);
    const first = cache.page({ sort: "health", order: "asc", limit: 1 });
    expect(() => cache.page({ sort: "equityUsd", order: "asc", limit: 1, after: first.next! })).toThrow(
      /sort=health/,
    );
    expect(() => cache.page({ sort: "health", order: "asc", limit: 1, after: "bm9wZQ" })).toThrow(/cursor/);
  });

  it("pages through every row exactly once, in order, whatever the sort and page size", () => {
    const sub = fc.record({
      accountId: fc.constantFrom("a", "b", "c", "d"),
      equityUsd: fc.integer({ min: -1000, max: 100_000 }),
      mmUsd: fc.constantFrom(0, 100, 1000, 5000),
      positions: fc.integer({ min: 0, max: 3 }),
      inLiquidation: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(sub, { maxLength: 40 }),
        fc.constantFrom(...SUMMARY_SORT_KEYS),
        fc.constantFrom<SortOrder>("asc", "desc"),
        fc.integer({ min: 1, max: 7 }),
        (raw, sort: SummarySortKey, order, limit) => {
          const subs = raw.map((s, i) => ({ ...s, id: `${s.accountId}-${i}`, imUsd: s.mmUsd * 2 }));
          const cache = createSubaccountSummaryCache(fakeEngine(subs).engine);
          const seen: SubaccountSummaryRow[] = [];
          let after: string | undefined;
          for (let guard = 0; guard <= subs.length + 1; guard += 1) {
            const p = cache.page({ sort, order, limit, ...(after === undefined ? {} : { after }) });
            seen.push(...p.items);
            if (p.next === null) break;
            after = p.next;
          }
          expect(seen.map((r) => r.subaccountId).sort()).toEqual(subs.map((s) => s.id).sort());
          const whole = cache.page({ sort, order, limit: 500 }).items;
          expect(seen.map((r) => r.subaccountId)).toEqual(whole.map((r) => r.subaccountId));
        },
      ),
      { numRuns: 150 },
    );
  });
});
