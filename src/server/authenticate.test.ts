import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { presentedKey, streamKeyFromProtocols } from "./authenticate.ts";
import {
  type DatabaseTarget,
  memoryDatabaseTarget,
  setUpVenue,
  type Venue,
} from "./test-support/service-fixture.ts";

/*
 * Where a request's key comes from: the Authorization header, or, on a WebSocket upgrade only,
 * the sub-protocol `marginal.bearer.<key>` a browser can send. Checked on the helpers and on a
 * real socket (the header always wins; a bad key by either path gets the same 401).
 */

describe("presented key", () => {
  it("reads the key out of a sub-protocol list", () => {
    expect(streamKeyFromProtocols(undefined)).toBeUndefined();
    expect(streamKeyFromProtocols("marginal.v1")).toBeUndefined();
    expect(streamKeyFromProtocols("marginal.bearer.")).toBeUndefined();
    expect(streamKeyFromProtocols("a,  marginal.bearer.k1 ,b")).toBe("k1");
  });

  it("prefers the header and reads a sub-protocol only on a WebSocket upgrade", () => {
    const protocols = "marginal.v1, marginal.bearer.mgl_0123_secret";
    expect(
      presentedKey({
        authorization: "Bearer header-key",
        upgrade: "websocket",
        "sec-websocket-protocol": protocols,
      }),
    ).toBe("header-key");
    expect(presentedKey({ upgrade: "WebSocket", "sec-websocket-protocol": protocols })).toBe(
      "mgl_0123_secret",
    );
    expect(presentedKey({ "sec-websocket-protocol": protocols })).toBeUndefined();
    expect(presentedKey({ authorization: "Basic abc" })).toBeUndefined();
    expect(presentedKey({})).toBeUndefined();
  });
});

let target: DatabaseTarget;
let venue: Venue;
let wsBase = "";
const clock = { nowMs: Date.UTC(2026, 5, 1) };

beforeAll(async () => {
  target = memoryDatabaseTarget();
  venue = await setUpVenue(target.options, clock);
  wsBase = (await venue.service.app.listen({ host: "127.0.0.1", port: 0 })).replace("http", "ws");
});
afterAll(async () => {
  await venue.service.close();
  await target.dispose();
});

/** Opens /v1/stream; resolves with the selected protocol and the first message, or the HTTP status. */
function connect(
  protocols: string[],
  headers: Record<string, string> = {},
): Promise<{ protocol: string; first: Record<string, unknown> } | { status: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${wsBase}/v1/stream`, protocols, { headers });
    ws.once("message", (data) => {
      resolve({ protocol: ws.protocol, first: JSON.parse(String(data)) as Record<string, unknown> });
      ws.close();
    });
    ws.once("unexpected-response", (_req, res) => resolve({ status: res.statusCode ?? 0 }));
    ws.once("error", reject);
  });
}

describe("stream authentication over a real socket", () => {
  it("accepts a key offered as a sub-protocol and selects marginal.v1", async () => {
    const r = await connect(["marginal.v1", `marginal.bearer.${venue.keys.alice}`]);
    expect(r).toMatchObject({
      protocol: "marginal.v1",
      first: { channel: "control", op: "welcome", role: "trader" },
    });
  });

  it("refuses a bad sub-protocol key, and lets the header win over a good one", async () => {
    expect(await connect(["marginal.v1", "marginal.bearer.mgl_0000000000000000_nope"])).toEqual({
      status: 401,
    });
    expect(
      await connect(["marginal.v1", `marginal.bearer.${venue.keys.admin}`], {
        authorization: "Bearer mgl_bad",
      }),
    ).toEqual({ status: 401 });
    expect(await connect(["marginal.v1"])).toEqual({ status: 401 });
  });

  it("does not read a sub-protocol key on a plain HTTP request", async () => {
    const r = await venue.service.app.inject({
      url: "/v1/markets",
      headers: { "sec-websocket-protocol": `marginal.bearer.${venue.keys.admin}` },
    });
    expect(r.statusCode).toBe(401);
  });
});
