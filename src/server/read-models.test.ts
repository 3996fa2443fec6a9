import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type DatabaseTarget,
  memoryDatabaseTarget,
  setUpVenue,
  type Venue,
} from "./test-support/service-fixture.ts";

/*
 * The read models for dashboards at scale, through the HTTP API on a real engine: "who am I",
 * the paged sub-account summary (sorting, keyset paging, search, the account filter and the
 * trader's 403 opacity), the health bands, the cache per engine sequence number, and the
 * bounded history of a market, the insurance fund and the liquidation feed.
 */

let target: DatabaseTarget;
let venue: Venue;
const clock = { nowMs: Date.UTC(2026, 5, 1) };
/** History options of this venue: one point per minute of engine time, four points kept. */
const POINTS = 4;

interface Row {
  subaccountId: string;
  accountId: string;
  health: number | null;
  marginRatio: number | null;
  equityUsd: number;
  positionsCount: number;
  inLiquidation: boolean;
}

beforeAll(async () => {
  target = memoryDatabaseTarget();
  venue = await setUpVenue({ ...target.options, history: { intervalMs: 60_000, points: POINTS } }, clock);
  await venue.priceBtc("60000");
  const v = venue.as("venue");
  for (const [accountId, amount] of [
    ["alice", "10000"],
    ["bob", "20000"],
    ["carol", "5000"],
    ["liq", "100000"],
  ] as const) {
    const r = await v.post("/v1/deposits", {
      accountId,
      subaccountId: `${accountId}-main`,
      asset: "USDC",
      amount,
    });
    if (r.status !== 200) throw new Error(r.text);
  }
  const fund = await venue
    .as("admin")
    .post("/v1/insurance-fund/contributions", { asset: "USDC", amount: "2500" });
  if (fund.status !== 200) throw new Error(fund.text);
  const fill = await v.post("/v1/fills", {
    marketId: "BTC-PERP",
    takerSide: "buy",
    makerSubaccountId: "bob-main",
    takerSubaccountId: "alice-main",
    size: "1",
    price: "60000",
    makerFee: "0",
    takerFee: "0",
  });
  if (fill.status !== 200) throw new Error(fill.text);
});
afterAll(async () => {
  await venue.service.close();
  await target.dispose();
});

describe("GET /v1/me", () => {
  it("tells each key its role and bound accounts", async () => {
    const admin = await venue.as("admin").get("/v1/me");
    expect(admin.status).toBe(200);
    expect(admin.body).toMatchObject({ role: "admin" });
    expect(admin.body.accountIds).toBeUndefined();
    expect(String(admin.body.keyId)).toMatch(/^[0-9a-f]{16}$/);
    expect(venue.keys.admin).toContain(String(admin.body.keyId));
    expect((await venue.as("alice").get("/v1/me")).body).toMatchObject({
      role: "trader",
      accountIds: ["alice"],
    });
    expect((await venue.as("liquidator").get("/v1/me")).body).toMatchObject({
      role: "liquidator",
      accountIds: ["liq"],
    });
    expect((await venue.as("oracle").get("/v1/me")).body).toMatchObject({ role: "oracle" });
    expect((await venue.as("anonymous").get("/v1/me")).status).toBe(401);
  });
});

describe("GET /v1/subaccounts", () => {
  it("lists riskiest first with the engine's figures", async () => {
    const r = await venue.as("admin").get("/v1/subaccounts");
    expect(r.status, r.text).toBe(200);
    const items = r.body.items as Row[];
    // alice: equity 10 000, MM 2.5 % × 60 000 = 1 500 → health 6.667, ratio 0.15;
    // bob (short): 20 000 / 1 500 = 13.33; carol and liq hold no position (last, by id).
    expect(items.map((i) => i.subaccountId)).toEqual(["alice-main", "bob-main", "carol-main", "liq-main"]);
    expect(items[0]!.health).toBeCloseTo(10_000 / 1500, 9);
    expect(items[0]!.marginRatio).toBeCloseTo(0.15, 9);
    expect(items[1]!.health).toBeCloseTo(20_000 / 1500, 9);
    expect(items[2]).toMatchObject({ health: null, marginRatio: null, positionsCount: 0, equityUsd: 5000 });
    expect(r.body.total).toBe(4);
    expect(r.body.next).toBeNull();
    const byEquity = await venue.as("venue").get("/v1/subaccounts?sort=equityUsd&order=desc");
    expect((byEquity.body.items as Row[]).map((i) => i.equityUsd)).toEqual([100_000, 20_000, 10_000, 5000]);
  });

  it("pages with cursors and searches ids", async () => {
    const seen: string[] = [];
    let url = "/v1/subaccounts?sort=subaccountId&limit=3";
    for (;;) {
      const page = await venue.as("liquidator").get(url);
      expect(page.status, page.text).toBe(200);
      seen.push(...(page.body.items as Row[]).map((i) => i.subaccountId));
      if (page.body.next === null) break;
      url = `/v1/subaccounts?sort=subaccountId&limit=3&after=${String(page.body.next)}`;
    }
    expect(seen).toEqual(["alice-main", "bob-main", "carol-main", "liq-main"]);
    const found = await venue.as("admin").get("/v1/subaccounts?q=BO");
    expect((found.body.items as Row[]).map((i) => i.subaccountId)).toEqual(["bob-main"]);
    expect(found.body.total).toBe(1);
  });

  it("shows a trader only its own, with the same 403 for others and for unknown accounts", async () => {
    const own = await venue.as("alice").get("/v1/subaccounts?q=main");
    expect((own.body.items as Row[]).map((i) => i.subaccountId)).toEqual(["alice-main"]);
    expect(own.body.total).toBe(1);
    const other = await venue.as("alice").get("/v1/subaccounts?accountId=bob");
    const absent = await venue.as("alice").get("/v1/subaccounts?accountId=nobody");
    expect(other.status).toBe(403);
    expect(absent.status).toBe(403);
    expect(absent.body).toEqual({ ...other.body, instance: absent.body.instance });
    expect((await venue.as("admin").get("/v1/subaccounts?accountId=nobody")).status).toBe(404);
    const bob = await venue.as("venue").get("/v1/subaccounts?accountId=bob");
    expect((bob.body.items as Row[]).map((i) => i.subaccountId)).toEqual(["bob-main"]);
    expect((await venue.as("oracle").get("/v1/subaccounts")).status).toBe(403);
    expect((await venue.as("anonymous").get("/v1/subaccounts")).status).toBe(401);
  });

  it("refuses bad queries naming the field", async () => {
    const big = await venue.as("admin").get("/v1/subaccounts?limit=501");
    expect(big.status).toBe(400);
    expect((big.body.errors as { field: string }[])[0]!.field).toBe("querystring.limit");
    expect((await venue.as("admin").get("/v1/subaccounts?sort=color")).status).toBe(400);
    const first = await venue.as("admin").get("/v1/subaccounts?limit=1");
    const foreign = await venue
      .as("admin")
      .get(`/v1/subaccounts?sort=equityUsd&after=${String(first.body.next)}`);
    expect(foreign.status).toBe(400);
    expect((foreign.body.errors as { field: string }[])[0]!.field).toBe("query.after");
  });

  it("answers repeated requests from one computation per engine sequence number", async () => {
    const before = venue.service.ctx.summaries.recomputations();
    await venue.as("admin").get("/v1/subaccounts");
    await venue.as("admin").get("/v1/subaccounts?sort=equityUsd");
    await venue.as("admin").get("/v1/subaccounts/health-bands");
    expect(venue.service.ctx.summaries.recomputations() - before).toBeLessThanOrEqual(1);
    const again = venue.service.ctx.summaries.recomputations();
    await venue.as("admin").get("/v1/subaccounts?q=a");
    expect(venue.service.ctx.summaries.recomputations()).toBe(again);
  });

  it("counts sub-accounts per health band", async () => {
    const all = await venue.as("admin").get("/v1/subaccounts/health-bands");
    expect(all.status).toBe(200);
    // alice 6.67 and bob 13.3 are both in "≥ 5"; carol and liq have no requirement.
    expect((all.body.bands as { count: number }[]).map((b) => b.count)).toEqual([0, 0, 0, 0, 0, 2]);
    expect(all.body).toMatchObject({ inLiquidation: 0, noRequirement: 2, total: 4 });
    expect((await venue.as("alice").get("/v1/subaccounts/health-bands")).body.total).toBe(1);
  });

  it("publishes its schemas in the OpenAPI document", async () => {
    const doc = await venue.as("anonymous").get("/docs/json");
    const paths = doc.body.paths as Record<string, unknown>;
    for (const p of [
      "/v1/subaccounts",
      "/v1/subaccounts/health-bands",
      "/v1/me",
      "/v1/history/markets/{marketId}",
      "/v1/history/insurance-fund",
      "/v1/events/recent",
    ])
      expect(paths[p], p).toBeDefined();
    expect(JSON.stringify(paths["/v1/subaccounts"])).toContain("marginRatio");
  });
});

describe("history and recent events", () => {
  it("samples markets and the fund on engine time, bounded, and keeps the liquidation feed", async () => {
    // Alice: equity 10 000 + (P − 60 000), MM 0.025 P → liquidatable below 50 000 / 0.975 = 51 282.
    for (const p of ["57500", "55000", "52600", "51000", "50500"]) {
      clock.nowMs += 61_000;
      await venue.priceBtc(p);
    }
    const h = await venue.as("alice").get("/v1/history/markets/BTC-PERP");
    expect(h.status, h.text).toBe(200);
    const atMs = h.body.atMs as number[];
    // One point for the set-up interval, one per 61 s step: 6, of which the last 4 are kept.
    expect(atMs.length).toBe(POINTS);
    // A point is stamped with the time its interval began (a step's first report) and holds the
    // state after the interval's last commit (the step's third report): steps are 61 000 ms
    // apart plus the 3 × 1 ms between a step's reports.
    for (let i = 1; i < atMs.length; i += 1) expect(atMs[i]! - atMs[i - 1]!).toBe(61_003);
    expect(atMs.at(-1)).toBe(venue.service.engine.state().clockMs - 2);
    expect(h.body.markPriceUsd).toEqual([55_000, 52_600, 51_000, 50_500]);
    expect(new Set(h.body.initialMarginFraction as number[])).toEqual(new Set([0.05]));
    expect(new Set(h.body.maintenanceMarginFraction as number[])).toEqual(new Set([0.025]));
    expect((h.body.status as string[]).every((s) => s === "active")).toBe(true);
    expect((await venue.as("alice").get("/v1/history/markets/NOPE-PERP")).status).toBe(404);
    const tail = await venue.as("alice").get(`/v1/history/markets/BTC-PERP?sinceMs=${atMs[2]!}`);
    expect(tail.body.atMs).toEqual(atMs.slice(2));
    expect(tail.body.markPriceUsd).toEqual([51_000, 50_500]);

    const fund = await venue.as("bob").get("/v1/history/insurance-fund");
    expect(fund.status).toBe(200);
    expect(fund.body.capacity).toBe(POINTS);
    const usdc = (fund.body.assets as Record<string, { atMs: number[]; amount: number[] }>).USDC!;
    expect(usdc.atMs.length).toBeGreaterThan(0);
    // The newest point is the fund now.
    const now = await venue.as("bob").get("/v1/insurance-fund");
    expect(usdc.amount.at(-1)).toBe(Number((now.body.insurance as Record<string, string>).USDC));
    const none = await venue.as("bob").get(`/v1/history/insurance-fund?sinceMs=${usdc.atMs.at(-1)! + 1}`);
    expect((none.body.assets as Record<string, { atMs: number[] }>).USDC!.atMs).toEqual([]);

    const all = await venue.as("admin").get("/v1/events/recent?limit=10");
    const events = all.body.events as { type: string; subaccountId?: string; seq: number }[];
    const started = events.find((e) => e.type === "liquidation_started");
    expect(started?.subaccountId).toBe("alice-main");
    for (let i = 1; i < events.length; i += 1) expect(events[i]!.seq).toBeLessThan(events[i - 1]!.seq);
    const alice = await venue.as("alice").get("/v1/events/recent");
    expect((alice.body.events as Record<string, unknown>[]).map((e) => Object.keys(e).sort())).toContainEqual(
      ["atMs", "seq", "subaccountId", "type"],
    );
    expect((await venue.as("bob").get("/v1/events/recent")).body.events).toEqual([]);
    expect((await venue.as("admin").get("/v1/events/recent?limit=0")).status).toBe(400);

    const bands = await venue.as("admin").get("/v1/subaccounts/health-bands");
    expect(bands.body.inLiquidation).toBe(1);
    const riskiest = await venue.as("admin").get("/v1/subaccounts?limit=1");
    expect((riskiest.body.items as Row[])[0]).toMatchObject({
      subaccountId: "alice-main",
      inLiquidation: true,
    });
  });
});
