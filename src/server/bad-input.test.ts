import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type DatabaseTarget,
  memoryDatabaseTarget,
  setUpVenue,
  type Venue,
} from "./test-support/service-fixture.ts";

/*
 * Bad input at the boundary: every case is a 4xx RFC 9457 problem naming the failing field,
 * and nothing changes (the engine's state hash and the log's last sequence number are compared
 * before and after).
 */

let target: DatabaseTarget;
let venue: Venue;
const clock = { nowMs: Date.UTC(2026, 5, 1) };

beforeAll(async () => {
  target = memoryDatabaseTarget();
  venue = await setUpVenue(target.options, clock);
  await venue.priceBtc("60000");
  await venue
    .as("venue")
    .post("/v1/deposits", { accountId: "alice", subaccountId: "alice-main", asset: "USDC", amount: "1000" });
});
afterAll(async () => {
  await venue.service.close();
  await target.dispose();
});

const deposit = { accountId: "alice", subaccountId: "alice-main", asset: "USDC", amount: "5" };

interface Case {
  readonly name: string;
  readonly url: string;
  /** A JSON value, or a raw string sent as the body. */
  readonly body: unknown;
  readonly raw?: boolean;
  readonly contentType?: string;
  readonly status: number;
  /** The field the problem must name. */
  readonly field: string;
}

const CASES: readonly Case[] = [
  {
    name: "malformed JSON",
    url: "/v1/deposits",
    body: '{"accountId": "alice", ',
    raw: true,
    status: 400,
    field: "body",
  },
  {
    name: "NaN literal",
    url: "/v1/deposits",
    body: '{"accountId":"alice","subaccountId":"alice-main","asset":"USDC","amount":NaN}',
    raw: true,
    status: 400,
    field: "body",
  },
  {
    name: "Infinity literal",
    url: "/v1/oracle-reports",
    body: '{"underlying":"BTC","source":"feed-a","price":"1","confidence":"0","publishedAtMs":Infinity}',
    raw: true,
    status: 400,
    field: "body",
  },
  {
    name: "float amount",
    url: "/v1/deposits",
    body: { ...deposit, amount: 5.5 },
    status: 400,
    field: "body.amount",
  },
  {
    name: "integer amount as a JSON number",
    url: "/v1/deposits",
    body: { ...deposit, amount: 5 },
    status: 400,
    field: "body.amount",
  },
  {
    name: "exponent in an amount",
    url: "/v1/deposits",
    body: { ...deposit, amount: "1e6" },
    status: 400,
    field: "body.amount",
  },
  {
    name: "negative amount",
    url: "/v1/deposits",
    body: { ...deposit, amount: "-5" },
    status: 400,
    field: "body.amount",
  },
  {
    name: "huge amount (40 digits)",
    url: "/v1/deposits",
    body: { ...deposit, amount: "1".repeat(40) },
    status: 400,
    field: "body.amount",
  },
  {
    name: "wrong type for an id",
    url: "/v1/deposits",
    body: { ...deposit, accountId: 42 },
    status: 400,
    field: "body.accountId",
  },
  {
    name: "missing field",
    url: "/v1/deposits",
    body: { accountId: "alice", subaccountId: "alice-main", asset: "USDC" },
    status: 400,
    field: "body.amount",
  },
  {
    name: "unknown field",
    url: "/v1/deposits",
    body: { ...deposit, bonus: "1" },
    status: 400,
    field: "body.bonus",
  },
  {
    name: "huge timestamp",
    url: "/v1/oracle-reports",
    body: { underlying: "BTC", source: "feed-a", price: "60000", confidence: "0", publishedAtMs: 1e300 },
    status: 400,
    field: "body.publishedAtMs",
  },
  {
    name: "funding rate as a string",
    url: "/v1/funding",
    body: { marketId: "BTC-PERP", ratePerPeriod: "0.01" },
    status: 400,
    field: "body.ratePerPeriod",
  },
  { name: "array instead of object", url: "/v1/deposits", body: [deposit], status: 400, field: "body" },
  {
    name: "oversized body",
    url: "/v1/deposits",
    body: { ...deposit, accountId: "a".repeat(70_000) },
    status: 413,
    field: "body",
  },
  {
    name: "not JSON at all",
    url: "/v1/deposits",
    body: "amount=5",
    raw: true,
    contentType: "text/plain",
    status: 415,
    field: "content-type",
  },
];

describe("bad input", () => {
  it.each(CASES.map((c) => [c.name, c] as const))("%s → 4xx problem, nothing changed", async (_name, c) => {
    const before = { hash: venue.service.engine.stateHash(), seq: await venue.service.store.lastSeq() };
    const key = c.url === "/v1/oracle-reports" ? "oracle" : "venue";
    const client = venue.as(key);
    const r =
      c.raw === true
        ? await client.raw("POST", c.url, String(c.body), c.contentType)
        : await client.post(c.url, c.body);
    expect(r.status, r.text).toBe(c.status);
    expect(r.contentType).toContain("application/problem+json");
    expect(r.body).toMatchObject({ status: c.status, instance: c.url });
    expect(typeof r.body.type).toBe("string");
    expect(typeof r.body.detail).toBe("string");
    const fields = (r.body.errors as { field: string }[]).map((e) => e.field);
    expect(fields).toContain(c.field);
    expect(venue.service.engine.stateHash()).toBe(before.hash);
    expect(await venue.service.store.lastSeq()).toBe(before.seq);
  });

  it("refuses an amount the engine cannot hold as a business rejection, also without a change", async () => {
    // 30 integer digits pass the schema (a decimal string) but exceed the engine's per-command
    // limit of 2^96 smallest units: a 422 with the engine's reason, and no state change.
    const before = venue.service.engine.stateHash();
    const r = await venue.as("venue").post("/v1/deposits", { ...deposit, amount: "9".repeat(30) });
    expect(r.status, r.text).toBe(422);
    expect(typeof r.body.reason).toBe("string");
    expect(venue.service.engine.stateHash()).toBe(before);
  });

  it("answers an unknown route with a problem too", async () => {
    const r = await venue.as("venue").get("/v1/nothing-here");
    expect(r.status).toBe(404);
    expect(r.contentType).toContain("application/problem+json");
  });
});
