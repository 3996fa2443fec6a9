import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import {
  type DatabaseTarget,
  memoryDatabaseTarget,
  setUpVenue,
  type Venue,
} from "./test-support/service-fixture.ts";

/*
 * The service over a real TCP socket: HTTP through fetch, OpenAPI, metrics, and the WebSocket
 * stream with its per-trader filtering.
 */

let target: DatabaseTarget;
let venue: Venue;
let base = "";
const clock = { nowMs: Date.UTC(2026, 5, 1) };

beforeAll(async () => {
  target = memoryDatabaseTarget();
  venue = await setUpVenue(target.options, clock);
  await venue.priceBtc("60000");
  base = await venue.service.app.listen({ host: "127.0.0.1", port: 0 });
});
afterAll(async () => {
  await venue.service.close();
  await target.dispose();
});

const http = (path: string, key?: string, body?: unknown) =>
  fetch(`${base}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: {
      ...(key === undefined ? {} : { authorization: `Bearer ${key}` }),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

/** Opens a stream and collects its messages. */
function openStream(key: string | undefined): Promise<{
  ws: WebSocket;
  messages: Record<string, unknown>[];
  next: (pred: (m: Record<string, unknown>) => boolean) => Promise<Record<string, unknown>>;
}> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${base.replace("http", "ws")}/v1/stream`, {
      headers: key === undefined ? {} : { authorization: `Bearer ${key}` },
    });
    const messages: Record<string, unknown>[] = [];
    const waiters: {
      pred: (m: Record<string, unknown>) => boolean;
      resolve: (m: Record<string, unknown>) => void;
    }[] = [];
    ws.on("message", (data) => {
      const m = JSON.parse(String(data)) as Record<string, unknown>;
      messages.push(m);
      for (const w of [...waiters])
        if (w.pred(m)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(m);
        }
    });
    const next = (pred: (m: Record<string, unknown>) => boolean) =>
      new Promise<Record<string, unknown>>((res, rej) => {
        const found = messages.find(pred);
        if (found !== undefined) return res(found);
        waiters.push({ pred, resolve: res });
        setTimeout(() => rej(new Error(`no matching message; got ${JSON.stringify(messages)}`)), 5000);
      });
    ws.once("open", () => resolve({ ws, messages, next }));
    ws.once("error", reject);
    ws.once("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

describe("over a real socket", () => {
  it("serves health, readiness, OpenAPI and metrics", async () => {
    expect((await http("/health")).status).toBe(200);
    const ready = await http("/ready");
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { backend: string }).backend).toBe("pglite");
    const spec = (await (await http("/docs/json")).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(spec.openapi).toMatch(/^3\./);
    for (const p of [
      "/v1/deposits",
      "/v1/fills",
      "/v1/oracle-reports",
      "/v1/accounts/{accountId}/margin",
      "/v1/risk-params/proposals",
    ])
      expect(Object.keys(spec.paths)).toContain(p);
    const ui = await http("/docs");
    expect(ui.status).toBe(200);
    expect(ui.headers.get("content-type")).toContain("text/html");
    const metrics = await (await http("/metrics")).text();
    for (const name of [
      "marginal_tick_to_margin_seconds_bucket",
      "marginal_db_commit_seconds_bucket",
      "marginal_events_total",
      "marginal_liquidations_total",
      "marginal_insurance_fund",
    ]) {
      expect(metrics).toContain(name);
    }
    const page = await http("/status");
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(await page.text()).toContain("BTC-PERP");
  });

  it("takes commands over HTTP and streams prices and account health to their owner only", async () => {
    const dep = await http("/v1/deposits", venue.keys.venue, {
      accountId: "alice",
      subaccountId: "alice-main",
      asset: "USDC",
      amount: "10000",
    });
    expect(dep.status).toBe(200);
    await http("/v1/deposits", venue.keys.venue, {
      accountId: "bob",
      subaccountId: "bob-main",
      asset: "USDC",
      amount: "10000",
    });
    const fill = await http("/v1/fills", venue.keys.venue, {
      marketId: "BTC-PERP",
      takerSide: "buy",
      makerSubaccountId: "bob-main",
      takerSubaccountId: "alice-main",
      size: "1",
      price: "60000",
      makerFee: "0",
      takerFee: "0",
    });
    expect(fill.status).toBe(200);

    const alice = await openStream(venue.keys.alice);
    alice.ws.send(JSON.stringify({ op: "subscribe", channel: "prices" }));
    alice.ws.send(
      JSON.stringify({ op: "subscribe", channel: "account", accountId: "alice", healthChangeFraction: 0.01 }),
    );
    // First account message: health = 10 000 / (0.025 × 60 000) = 6.667.
    const first = await alice.next((m) => m.channel === "account");
    expect(first.health as number).toBeCloseTo(10000 / 1500, 6);

    const bob = await openStream(venue.keys.bob);
    bob.ws.send(JSON.stringify({ op: "subscribe", channel: "account", accountId: "alice" }));
    const denied = await bob.next((m) => m.channel === "error");
    expect(denied).toMatchObject({ field: "message.accountId", reason: "not allowed" });

    clock.nowMs += 61_000;
    await venue.priceBtc("58000");
    const price = await alice.next((m) => m.channel === "prices" && m.mark === "58000");
    expect(price).toMatchObject({ underlying: "BTC", valid: true });
    // Health at 58 000: equity 10 000 − 2 000 = 8 000, MM 0.025 × 58 000 = 1 450 → 5.517.
    const moved = await alice.next(
      (m) => m.channel === "account" && Math.abs((m.health as number) - 8000 / 1450) < 1e-6,
    );
    expect(moved.subaccountId).toBe("alice-main");
    alice.ws.close();
    bob.ws.close();
  });

  it("refuses a stream without a valid key", async () => {
    await expect(openStream(undefined)).rejects.toThrow(/401/);
    await expect(
      openStream("mgl_0000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
    ).rejects.toThrow(/401/);
  });
});
