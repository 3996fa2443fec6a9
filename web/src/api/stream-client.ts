/*
 * The live stream (/v1/stream): one WebSocket per session, re-opened with backoff after a drop,
 * re-subscribing its channels each time. A browser cannot send an Authorization header on a
 * WebSocket, so the key travels as the sub-protocol `marginal.bearer.<key>` beside
 * `marginal.v1`, which the server selects (src/server/authenticate.ts reads the key).
 */

export type StreamStatus = "connecting" | "live" | "down";

export interface StreamMessage {
  readonly channel: string;
  readonly [field: string]: unknown;
}

export interface StreamClient {
  subscribe(message: Record<string, unknown>): void;
  close(): void;
}

/** The part of the WebSocket API the client uses (a fake in tests). */
export interface SocketLike {
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string): void;
  close(): void;
}

export type SocketFactory = (url: string, protocols: string[]) => SocketLike;

export interface StreamOptions {
  readonly url: string;
  readonly key: string;
  readonly onMessage: (m: StreamMessage) => void;
  readonly onStatus: (s: StreamStatus) => void;
  readonly socketFactory?: SocketFactory;
  /** Longest wait between reconnection attempts, ms. */
  readonly maxBackoffMs?: number;
}

const OPEN = 1;

/** The ws:// or wss:// URL of the stream for a page served from `location`. */
export function streamUrlFor(location: { protocol: string; host: string }): string {
  return `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}/v1/stream`;
}

/** Opens the stream and keeps it open until `close`. */
export function openStream(options: StreamOptions): StreamClient {
  const factory: SocketFactory =
    options.socketFactory ?? ((url, protocols) => new WebSocket(url, protocols) as unknown as SocketLike);
  const subscriptions: string[] = [];
  let socket: SocketLike | null = null;
  let closed = false;
  let backoffMs = 500;
  let retry: ReturnType<typeof setTimeout> | null = null;

  const connect = () => {
    options.onStatus("connecting");
    const s = factory(options.url, ["marginal.v1", `marginal.bearer.${options.key}`]);
    socket = s;
    s.onopen = () => {
      backoffMs = 500;
      options.onStatus("live");
      for (const m of subscriptions) s.send(m);
    };
    s.onmessage = (ev) => {
      if (typeof ev.data !== "string") return;
      try {
        const m = JSON.parse(ev.data) as StreamMessage;
        if (typeof m.channel === "string") options.onMessage(m);
      } catch {
        // A message that is not JSON is the server's bug, not a reason to drop the stream.
      }
    };
    s.onerror = () => undefined;
    s.onclose = () => {
      socket = null;
      if (closed) return;
      options.onStatus("down");
      retry = setTimeout(connect, backoffMs);
      backoffMs = Math.min(backoffMs * 2, options.maxBackoffMs ?? 10_000);
    };
  };
  connect();

  return {
    subscribe(message) {
      const text = JSON.stringify(message);
      subscriptions.push(text);
      if (socket !== null && socket.readyState === OPEN) socket.send(text);
    },
    close() {
      closed = true;
      if (retry !== null) clearTimeout(retry);
      socket?.close();
    },
  };
}
