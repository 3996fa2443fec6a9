import { describe, expect, it } from "vitest";
import type { WebSocket } from "ws";
import { createEngine } from "../engine/create-engine.ts";
import { demoConfig } from "../engine/demo-config.ts";
import type { EngineEvent } from "../engine/events.ts";
import type { Principal } from "./roles.ts";
import { createServiceMetrics } from "./service-metrics.ts";
import { createStreamHub, SLOW_CONSUMER_CLOSE_CODE, SUBSCRIPTIONS_PER_CLIENT_MAX } from "./stream-hub.ts";

/*
 * The stream hub's limits, with a stand-in socket whose send buffer the test controls: a client
 * that does not read is dropped with a reason instead of buffering without bound, and a client
 * cannot open more than its share of subscriptions.
 */

interface FakeSocket {
  readonly sent: string[];
  closed: { code: number; reason: string } | undefined;
  bufferedAmount: number;
  emit(event: string, data?: unknown): void;
}

function fakeSocket(): FakeSocket & WebSocket {
  const handlers = new Map<string, (data?: unknown) => void>();
  const socket = {
    OPEN: 1,
    readyState: 1,
    sent: [] as string[],
    closed: undefined as { code: number; reason: string } | undefined,
    bufferedAmount: 0,
    send(text: string) {
      socket.sent.push(text);
    },
    close(code: number, reason: string) {
      socket.closed = { code, reason };
      socket.readyState = 3;
    },
    terminate() {},
    on(event: string, handler: (data?: unknown) => void) {
      handlers.set(event, handler);
    },
    emit(event: string, data?: unknown) {
      handlers.get(event)?.(data);
    },
  };
  return socket as unknown as FakeSocket & WebSocket;
}

const principal: Principal = { keyId: "k", role: "admin", accountIds: new Set(), label: "" };
const markEvent = (seq: number): EngineEvent => ({
  seq,
  atMs: 1,
  commandId: "c",
  type: "mark_changed",
  underlying: "BTC",
  markTicks: "6000000",
  valid: true,
});

function configuredEngine() {
  const engine = createEngine();
  engine.submit({ id: "cfg", atMs: 0, type: "configure", config: demoConfig() });
  return engine;
}

describe("createStreamHub", () => {
  it("drops a slow consumer with close code 4008 and counts it", async () => {
    const metrics = createServiceMetrics();
    const hub = createStreamHub({ engine: configuredEngine(), metrics, maxBufferedBytes: 1000 });
    const socket = fakeSocket();
    hub.attach(socket, principal);
    socket.emit("message", JSON.stringify({ op: "subscribe", channel: "prices" }));
    hub.publish({ id: "c", atMs: 1, type: "tick" }, [markEvent(1)]);
    expect(socket.sent.at(-1)).toContain('"mark":"60000"');
    // The client stops reading: its buffer grows past the limit.
    socket.bufferedAmount = 5000;
    hub.publish({ id: "c", atMs: 1, type: "tick" }, [markEvent(2)]);
    expect(socket.closed).toEqual({
      code: SLOW_CONSUMER_CLOSE_CODE,
      reason: "slow consumer: send buffer over limit",
    });
    expect((await metrics.streamDroppedTotal.get()).values[0]?.value).toBe(1);
    hub.close();
  });

  it("limits subscriptions per client and explains bad messages", () => {
    const hub = createStreamHub({ engine: configuredEngine(), metrics: createServiceMetrics() });
    const socket = fakeSocket();
    hub.attach(socket, principal);
    for (let i = 0; i < SUBSCRIPTIONS_PER_CLIENT_MAX; i += 1) {
      socket.emit("message", JSON.stringify({ op: "subscribe", channel: "account", accountId: `a${i}` }));
    }
    socket.emit("message", JSON.stringify({ op: "subscribe", channel: "prices" }));
    expect(JSON.parse(socket.sent.at(-1)!)).toMatchObject({ channel: "error", field: "message.channel" });
    socket.emit("message", "{not json");
    expect(JSON.parse(socket.sent.at(-1)!)).toMatchObject({ channel: "error", reason: "not valid JSON" });
    socket.emit("message", JSON.stringify({ op: "subscribe", channel: "gossip" }));
    const unknown = JSON.parse(socket.sent.at(-1)!) as { channel: string; field: string };
    expect(unknown.channel).toBe("error");
    expect(unknown.field).toMatch(/^message/);
    hub.close();
  });
});
