import type { WebSocket } from "ws";
import { z } from "zod";
import type { Command } from "../engine/commands.ts";
import type { Engine } from "../engine/create-engine.ts";
import { formatDecimal } from "../engine/decimal.ts";
import type { EngineEvent } from "../engine/events.ts";
import { isLiquidationEvent, subaccountsOfEvent } from "./liquidation-events.ts";
import { canReadAccount, type Principal } from "./roles.ts";
import type { ServiceMetrics } from "./service-metrics.ts";

/*
 * The WebSocket fan-out behind /v1/stream. Clients subscribe to channels: `prices` and
 * `markets` (everyone), `liquidations` and `margin_calls` (venue-wide roles see all, a trader
 * only its own accounts), and `account` (health and margin of one account, sent when health
 * moved by more than the subscription's threshold). Only committed events are published.
 *
 * Account and margin-call evaluation is coalesced: commits mark work as due and a timer runs it
 * at most every `evaluateEveryMs`, so a burst of price ticks costs one re-evaluation.
 * Back-pressure: a client whose unsent buffer exceeds `maxBufferedBytes` is closed with code
 * 4008 and reason "slow consumer" instead of buffering without bound or slowing the engine.
 */

export const STREAM_CLIENTS_MAX = 256;
export const SUBSCRIPTIONS_PER_CLIENT_MAX = 64;
export const STREAM_MAX_BUFFERED_BYTES = 1024 * 1024;
/** Close code for a dropped slow client (4000–4999 are for applications). */
export const SLOW_CONSUMER_CLOSE_CODE = 4008;

const subscribeMessage = z.union([
  z.strictObject({
    op: z.literal("subscribe"),
    channel: z.enum(["prices", "markets", "liquidations", "margin_calls"]),
  }),
  z.strictObject({
    op: z.literal("subscribe"),
    channel: z.literal("account"),
    accountId: z.string().min(1).max(64),
    /** Relative change of health that triggers an update (default 0.05 = 5 %). */
    healthChangeFraction: z.number().finite().min(0).max(10).optional(),
  }),
  z.strictObject({
    op: z.literal("unsubscribe"),
    channel: z.string().max(32),
    accountId: z.string().max(64).optional(),
  }),
]);

interface AccountSubscription {
  readonly accountId: string;
  readonly thresholdFraction: number;
  /** Last health sent per sub-account (null: no requirement). */
  readonly lastHealth: Map<string, number | null>;
}

interface Client {
  readonly socket: WebSocket;
  readonly principal: Principal;
  readonly channels: Set<string>;
  readonly accounts: Map<string, AccountSubscription>;
}

export interface StreamHub {
  /** Adopts a connected socket (already authenticated). */
  attach(socket: WebSocket, principal: Principal): void;
  /** Publishes a committed command's events. */
  publish(command: Command, events: readonly EngineEvent[]): void;
  clients(): number;
  close(): void;
}

export interface StreamHubOptions {
  readonly engine: Engine;
  readonly metrics: ServiceMetrics;
  readonly evaluateEveryMs?: number;
  readonly maxBufferedBytes?: number;
}

const PRICE_EVENTS = new Set(["mark_changed"]);
const MARKET_EVENTS = new Set([
  "market_status_changed",
  "margin_multiplier_changed",
  "risk_params_updated",
  "expiry_settled",
]);

/** Creates the hub; call `close` to stop its timer. */
export function createStreamHub(options: StreamHubOptions): StreamHub {
  const { engine, metrics } = options;
  const maxBuffered = options.maxBufferedBytes ?? STREAM_MAX_BUFFERED_BYTES;
  const clients = new Set<Client>();
  /** Sub-account → whether it was below initial margin at the last evaluation. */
  const belowInitial = new Map<string, boolean>();
  let due = false;

  const send = (client: Client, message: unknown) => {
    if (client.socket.readyState !== client.socket.OPEN) return;
    if (client.socket.bufferedAmount > maxBuffered) {
      metrics.streamDroppedTotal.inc();
      client.socket.close(SLOW_CONSUMER_CLOSE_CODE, "slow consumer: send buffer over limit");
      // A client that does not read may never complete the closing handshake.
      setTimeout(() => client.socket.terminate(), 1000).unref();
      return;
    }
    client.socket.send(JSON.stringify(message));
  };

  const ownerOf = (subaccountId: string) => {
    const state = engine.state();
    const i = state.subaccountIndex.get(subaccountId);
    return i === undefined ? undefined : state.subaccounts[i]?.accountId;
  };

  const mayReadSub = (client: Client, subaccountId: string | undefined) => {
    if (client.principal.role !== "trader") return true;
    const owner = subaccountId === undefined ? undefined : ownerOf(subaccountId);
    return owner !== undefined && client.principal.accountIds.has(owner);
  };

  const evaluate = () => {
    if (!due) return;
    due = false;
    const state = engine.state();
    if (state.config === null) return;
    const wantCalls = [...clients].some((c) => c.channels.has("margin_calls"));
    if (wantCalls) {
      for (const s of state.subaccounts) {
        if (s.positions.size === 0 && !belowInitial.has(s.id)) continue;
        const risk = engine.subaccount(s.id)!.risk;
        const below = risk.equityUsd < risk.initialMarginUsd;
        if ((belowInitial.get(s.id) ?? false) === below) continue;
        belowInitial.set(s.id, below);
        const message = {
          channel: "margin_calls",
          type: below ? "margin_call" : "margin_call_cleared",
          subaccountId: s.id,
          accountId: s.accountId,
          equityUsd: risk.equityUsd,
          initialMarginUsd: risk.initialMarginUsd,
          maintenanceMarginUsd: risk.maintenanceMarginUsd,
        };
        for (const c of clients) if (c.channels.has("margin_calls") && mayReadSub(c, s.id)) send(c, message);
      }
    } else belowInitial.clear();
    for (const c of clients) {
      for (const sub of c.accounts.values()) {
        const account = engine.account(sub.accountId);
        if (account === undefined) continue;
        for (const view of account.subaccounts) {
          const health = Number.isFinite(view.risk.health) ? view.risk.health : null;
          const last = sub.lastHealth.get(view.id);
          const moved =
            last === undefined ||
            (last === null) !== (health === null) ||
            (last !== null &&
              health !== null &&
              Math.abs(health - last) > sub.thresholdFraction * Math.abs(last));
          if (!moved) continue;
          sub.lastHealth.set(view.id, health);
          send(c, {
            channel: "account",
            accountId: sub.accountId,
            subaccountId: view.id,
            health,
            equityUsd: view.risk.equityUsd,
            initialMarginUsd: view.risk.initialMarginUsd,
            maintenanceMarginUsd: view.risk.maintenanceMarginUsd,
            inLiquidation: view.inLiquidation,
            atMs: state.clockMs,
          });
        }
      }
    }
  };
  const timer = setInterval(evaluate, options.evaluateEveryMs ?? 250);
  timer.unref();

  const onMessage = (client: Client, data: string) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      send(client, { channel: "error", field: "message", reason: "not valid JSON" });
      return;
    }
    const result = subscribeMessage.safeParse(parsed);
    if (!result.success) {
      const issue = result.error.issues[0];
      const path = issue?.path.join(".") ?? "";
      send(client, {
        channel: "error",
        field: path === "" ? "message" : `message.${path}`,
        reason: issue?.message ?? "invalid",
      });
      return;
    }
    const m = result.data;
    if (m.op === "unsubscribe") {
      if (m.channel === "account" && m.accountId !== undefined) client.accounts.delete(m.accountId);
      else client.channels.delete(m.channel);
      send(client, { channel: "control", op: "unsubscribed", subscription: m.channel });
      return;
    }
    if (client.channels.size + client.accounts.size >= SUBSCRIPTIONS_PER_CLIENT_MAX) {
      send(client, {
        channel: "error",
        field: "message.channel",
        reason: `at most ${SUBSCRIPTIONS_PER_CLIENT_MAX} subscriptions`,
      });
      return;
    }
    if (m.channel === "account") {
      // Same answer whether the account is someone else's or absent.
      if (!canReadAccount(client.principal, m.accountId)) {
        send(client, { channel: "error", field: "message.accountId", reason: "not allowed" });
        return;
      }
      client.accounts.set(m.accountId, {
        accountId: m.accountId,
        thresholdFraction: m.healthChangeFraction ?? 0.05,
        lastHealth: new Map(),
      });
      due = true;
    } else client.channels.add(m.channel);
    if (m.channel === "margin_calls") due = true;
    send(client, { channel: "control", op: "subscribed", subscription: m.channel });
  };

  return {
    attach(socket, principal) {
      if (clients.size >= STREAM_CLIENTS_MAX) {
        socket.close(1013, "too many stream clients");
        return;
      }
      const client: Client = { socket, principal, channels: new Set(), accounts: new Map() };
      clients.add(client);
      metrics.streamSubscribers.set(clients.size);
      socket.on("message", (data) => {
        try {
          onMessage(client, String(data));
        } catch {
          socket.terminate();
        }
      });
      socket.on("close", () => {
        clients.delete(client);
        metrics.streamSubscribers.set(clients.size);
      });
      socket.on("error", () => socket.terminate());
      send(client, { channel: "control", op: "welcome", role: principal.role });
    },
    publish(_command, events) {
      if (clients.size === 0) return;
      const state = engine.state();
      for (const e of events) {
        if (PRICE_EVENTS.has(e.type) && e.type === "mark_changed") {
          const decimals = state.config?.underlyings.get(e.underlying)?.priceDecimals ?? 0;
          const message = {
            channel: "prices",
            underlying: e.underlying,
            mark: e.markTicks === null ? null : formatDecimal(BigInt(e.markTicks), decimals),
            valid: e.valid,
            atMs: e.atMs,
          };
          for (const c of clients) if (c.channels.has("prices")) send(c, message);
        } else if (MARKET_EVENTS.has(e.type)) {
          for (const c of clients) if (c.channels.has("markets")) send(c, { channel: "markets", event: e });
        } else if (isLiquidationEvent(e)) {
          const subs = subaccountsOfEvent(e);
          for (const c of clients) {
            if (!c.channels.has("liquidations")) continue;
            if (c.principal.role !== "trader") send(c, { channel: "liquidations", event: e });
            else {
              // A trader learns what happened to its own sub-account, not who was on the other side.
              const own = subs.find((s) => mayReadSub(c, s));
              if (own !== undefined)
                send(c, {
                  channel: "liquidations",
                  type: e.type,
                  seq: e.seq,
                  atMs: e.atMs,
                  subaccountId: own,
                });
            }
          }
        }
      }
      due = true;
    },
    clients: () => clients.size,
    close() {
      clearInterval(timer);
      for (const c of clients) c.socket.close(1001, "server shutting down");
    },
  };
}
