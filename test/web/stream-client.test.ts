import { afterEach, describe, expect, it, vi } from "vitest";
import { openStream, type SocketLike, streamUrlFor } from "../../web/src/api/stream-client.ts";

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: string[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  constructor(
    readonly url: string,
    readonly protocols: string[],
  ) {}
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.readyState = 3;
    this.onclose?.({});
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
}

afterEach(() => {
  vi.useRealTimers();
});

describe("stream client", () => {
  it("offers the key as a sub-protocol, re-subscribes after a drop, and passes messages on", () => {
    vi.useFakeTimers();
    const sockets: FakeSocket[] = [];
    const messages: unknown[] = [];
    const statuses: string[] = [];
    const stream = openStream({
      url: "ws://h/v1/stream",
      key: "mgl_abc_def",
      onMessage: (m) => messages.push(m),
      onStatus: (s) => statuses.push(s),
      socketFactory: (url, protocols) => {
        const s = new FakeSocket(url, protocols);
        sockets.push(s);
        return s;
      },
    });
    stream.subscribe({ op: "subscribe", channel: "prices" });
    expect(sockets[0]!.protocols).toEqual(["marginal.v1", "marginal.bearer.mgl_abc_def"]);
    sockets[0]!.open();
    expect(sockets[0]!.sent).toEqual(['{"op":"subscribe","channel":"prices"}']);
    sockets[0]!.onmessage?.({ data: '{"channel":"prices","underlying":"BTC"}' });
    sockets[0]!.onmessage?.({ data: "not json" });
    expect(messages).toEqual([{ channel: "prices", underlying: "BTC" }]);

    sockets[0]!.close();
    expect(statuses.at(-1)).toBe("down");
    vi.advanceTimersByTime(500);
    expect(sockets.length).toBe(2);
    sockets[1]!.open();
    expect(sockets[1]!.sent).toEqual(['{"op":"subscribe","channel":"prices"}']);
    expect(statuses).toEqual(["connecting", "live", "down", "connecting", "live"]);

    stream.close();
    vi.advanceTimersByTime(60_000);
    expect(sockets.length).toBe(2);
  });

  it("derives ws:// or wss:// from the page", () => {
    expect(streamUrlFor({ protocol: "http:", host: "127.0.0.1:8080" })).toBe("ws://127.0.0.1:8080/v1/stream");
    expect(streamUrlFor({ protocol: "https:", host: "venue.example" })).toBe("wss://venue.example/v1/stream");
  });
});
