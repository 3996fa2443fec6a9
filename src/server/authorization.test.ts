import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "./roles.ts";
import {
  type DatabaseTarget,
  memoryDatabaseTarget,
  setUpVenue,
  type Venue,
} from "./test-support/service-fixture.ts";

/*
 * Authorization, table-driven: for every role, every endpoint it must not reach answers 403
 * (and changes nothing: the state hash is compared), every endpoint without a key answers 401,
 * and a trader gets the very same 403 for another trader's account and for one that does not
 * exist.
 */

interface Endpoint {
  readonly method: "GET" | "POST" | "DELETE";
  readonly url: string;
  readonly body?: unknown;
  /** Roles admitted; every other role must be refused. */
  readonly allowed: readonly Role[];
}

const ENDPOINTS: readonly Endpoint[] = [
  { method: "GET", url: "/v1/accounts", allowed: ["admin", "venue", "liquidator"] },
  {
    method: "POST",
    url: "/v1/deposits",
    body: { accountId: "alice", subaccountId: "alice-main", asset: "USDC", amount: "1" },
    allowed: ["admin", "venue"],
  },
  {
    method: "POST",
    url: "/v1/fills",
    body: {
      marketId: "BTC-PERP",
      takerSide: "buy",
      makerSubaccountId: "bob-main",
      takerSubaccountId: "alice-main",
      size: "0.001",
      price: "60000",
      makerFee: "0",
      takerFee: "0",
    },
    allowed: ["venue"],
  },
  {
    method: "POST",
    url: "/v1/funding",
    body: { marketId: "BTC-PERP", ratePerPeriod: 0.0001 },
    allowed: ["venue"],
  },
  {
    method: "POST",
    url: "/v1/oracle-reports",
    body: { underlying: "BTC", source: "feed-a", price: "60000", confidence: "0", publishedAtMs: 0 },
    allowed: ["oracle"],
  },
  { method: "GET", url: "/v1/liquidations", allowed: ["admin", "liquidator"] },
  {
    method: "POST",
    url: "/v1/liquidations",
    body: { liquidatorSubaccountId: "liq-main", subaccountId: "alice-main", marketId: "BTC-PERP", size: "1" },
    allowed: ["liquidator"],
  },
  {
    method: "POST",
    url: "/v1/insurance-fund/contributions",
    body: { asset: "USDC", amount: "1" },
    allowed: ["admin"],
  },
  { method: "POST", url: "/v1/keys", body: { role: "admin" }, allowed: ["admin"] },
  { method: "GET", url: "/v1/keys", allowed: ["admin"] },
  { method: "DELETE", url: "/v1/keys/0123456789abcdef", allowed: ["admin"] },
  { method: "POST", url: "/v1/risk-params/proposals", body: { document: {} }, allowed: ["admin"] },
  { method: "POST", url: "/v1/risk-params/proposals/1/apply", allowed: ["admin"] },
  { method: "GET", url: "/v1/risk-params/history", allowed: ["admin"] },
  { method: "GET", url: "/v1/accounts/alice", allowed: ["admin", "venue", "liquidator", "trader"] },
  { method: "GET", url: "/v1/accounts/alice/margin", allowed: ["admin", "venue", "liquidator", "trader"] },
  {
    method: "POST",
    url: "/v1/accounts/alice/what-if",
    body: { subaccountId: "alice-main", marketId: "BTC-PERP", side: "buy", size: "1", price: "60000" },
    allowed: ["admin", "venue", "liquidator", "trader"],
  },
  {
    method: "POST",
    url: "/v1/withdrawals",
    body: { subaccountId: "alice-main", asset: "USDC", amount: "1" },
    allowed: ["admin", "venue", "trader"],
  },
  {
    method: "POST",
    url: "/v1/transfers",
    body: { fromSubaccountId: "alice-main", toSubaccountId: "alice-main", asset: "USDC", amount: "1" },
    allowed: ["admin", "venue", "trader"],
  },
];

/** Keys of the venue by role; the trader is bob, who owns none of the accounts in the table. */
const KEY_OF_ROLE: Readonly<Record<Role, "admin" | "oracle" | "venue" | "liquidator" | "bob">> = {
  admin: "admin",
  oracle: "oracle",
  venue: "venue",
  liquidator: "liquidator",
  trader: "bob",
};

let target: DatabaseTarget;
let venue: Venue;
const clock = { nowMs: Date.UTC(2026, 5, 1) };

beforeAll(async () => {
  target = memoryDatabaseTarget();
  venue = await setUpVenue(target.options, clock);
  await venue.priceBtc("60000");
  for (const a of ["alice", "bob", "liq"]) {
    await venue
      .as("venue")
      .post("/v1/deposits", { accountId: a, subaccountId: `${a}-main`, asset: "USDC", amount: "10000" });
  }
});
afterAll(async () => {
  await venue.service.close();
  await target.dispose();
});

const call = (who: Parameters<Venue["as"]>[0], e: Endpoint) => {
  const c = venue.as(who);
  return e.method === "GET" ? c.get(e.url) : e.method === "DELETE" ? c.del(e.url) : c.post(e.url, e.body);
};

describe("authorization", () => {
  const denied = ENDPOINTS.flatMap((e) =>
    (["admin", "oracle", "venue", "liquidator", "trader"] as const)
      .filter((r) => !e.allowed.includes(r))
      .map((role) => ({ role, e })),
  );

  it.each(denied.map((d) => [d.role, `${d.e.method} ${d.e.url}`, d] as const))(
    "%s may not %s",
    async (_role, _name, d) => {
      // The trader row uses bob, who does not own alice's account: trader-allowed routes on
      // alice's account must refuse him just the same.
      const before = venue.service.engine.stateHash();
      const r = await call(KEY_OF_ROLE[d.role], d.e);
      expect(r.status, r.text).toBe(403);
      expect(r.contentType).toContain("application/problem+json");
      expect(r.body).toMatchObject({ status: 403, title: "Forbidden", detail: "not allowed" });
      expect(venue.service.engine.stateHash()).toBe(before);
    },
  );

  it.each(ENDPOINTS.map((e) => [`${e.method} ${e.url}`, e] as const))(
    "without a key, %s is 401",
    async (_name, e) => {
      const r = await call("anonymous", e);
      expect(r.status).toBe(401);
      expect(r.body.type).toBe("https://marginal.dev/problems/unauthorized");
    },
  );

  it("answers a wrong or revoked key like a missing one", async () => {
    const admin = venue.as("admin");
    const created = await admin.post("/v1/keys", { role: "venue", label: "temp" });
    const key = String(created.body.key);
    const c = () =>
      venue.service.app.inject({
        method: "GET",
        url: "/v1/markets",
        headers: { authorization: `Bearer ${key}` },
      });
    expect((await c()).statusCode).toBe(200);
    expect((await admin.del(`/v1/keys/${String(created.body.keyId)}`)).status).toBe(200);
    expect((await c()).statusCode).toBe(401);
    const forged = `${key.slice(0, -1)}${key.endsWith("A") ? "B" : "A"}`;
    const f = await venue.service.app.inject({
      method: "GET",
      url: "/v1/markets",
      headers: { authorization: `Bearer ${forged}` },
    });
    expect(f.statusCode).toBe(401);
    // Keys are listed without secrets.
    const list = await admin.get("/v1/keys");
    expect(list.text).not.toContain(key.slice(21));
  });

  it("gives a trader the same 403 for someone else's account and for a missing one", async () => {
    const bob = venue.as("bob");
    const theirs = await bob.get("/v1/accounts/alice/margin");
    const missing = await bob.get("/v1/accounts/nobody-here/margin");
    expect(theirs.status).toBe(403);
    expect(missing.status).toBe(403);
    const strip = (b: Record<string, unknown>) => ({ ...b, instance: undefined });
    expect(strip(theirs.body)).toEqual(strip(missing.body));
    // Moving money out of someone else's sub-account, or an absent one: the same answer.
    const w1 = await bob.post("/v1/withdrawals", { subaccountId: "alice-main", asset: "USDC", amount: "1" });
    const w2 = await bob.post("/v1/withdrawals", { subaccountId: "ghost-main", asset: "USDC", amount: "1" });
    expect([w1.status, w2.status]).toEqual([403, 403]);
    expect(strip(w1.body)).toEqual(strip(w2.body));
    // His own account is fine.
    expect((await bob.get("/v1/accounts/bob/margin")).status).toBe(200);
  });

  it("refuses a liquidator acting from a sub-account its key is not bound to", async () => {
    const r = await venue.as("liquidator").post("/v1/liquidations", {
      liquidatorSubaccountId: "bob-main",
      subaccountId: "alice-main",
      marketId: "BTC-PERP",
      size: "1",
    });
    expect(r.status).toBe(403);
  });

  it("rate-limits per key with 429 and Retry-After", async () => {
    const { createService } = await import("./create-service.ts");
    const small = await createService({ rateLimit: { ratePerSecond: 1, burst: 2 }, clockMs: () => 0 });
    try {
      const key = small.generatedAdminKey!;
      const statuses: number[] = [];
      let retryAfter: unknown;
      for (let i = 0; i < 3; i += 1) {
        const r = await small.app.inject({
          method: "GET",
          url: "/v1/markets",
          headers: { authorization: `Bearer ${key}` },
        });
        statuses.push(r.statusCode);
        retryAfter = r.headers["retry-after"];
      }
      expect(statuses).toEqual([200, 200, 429]);
      // An unconfigured venue still has a status page, which says what to do.
      const page = await small.app.inject({ method: "GET", url: "/status" });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain("not configured yet");
      expect(retryAfter).toBe("1");
    } finally {
      await small.close();
    }
  });
});
