import { MarginalError } from "../core/errors.ts";
import { applyEvent } from "./apply-event.ts";
import { parseEngineConfig } from "./engine-config.ts";
import { createEmptyState, type EngineState } from "./engine-state.ts";
import type { EngineEvent, EventType } from "./events.ts";

/*
 * Rebuilding state from an event log: state = fold(applyEvent, initial, events). An optional
 * starting state (restored from a snapshot) lets a log tail continue from it; snapshot + tail
 * gives the same state hash as the full log.
 */

// A record over every event type, so the compiler insists on a new type being listed here.
const EVENT_TYPE_RECORD: Record<EventType, true> = {
  configured: true,
  subaccount_opened: true,
  margin_mode_changed: true,
  subaccount_settings_changed: true,
  apc_updated: true,
  deposited: true,
  withdrawn: true,
  transferred: true,
  insurance_funded: true,
  oracle_accepted: true,
  mark_changed: true,
  market_status_changed: true,
  margin_multiplier_changed: true,
  risk_params_updated: true,
  trade_settled: true,
  liquidation_started: true,
  liquidation_penalty_paid: true,
  insurance_drawn: true,
  insurance_refunded: true,
  venue_absorbed: true,
  collateral_seized: true,
  collateral_sold: true,
  debt_converted: true,
  backstop_triggered: true,
  backstop_funded: true,
  liquidation_ended: true,
  funding_paid: true,
  expiry_settled: true,
};
const EVENT_TYPES: ReadonlySet<EventType> = new Set(Object.keys(EVENT_TYPE_RECORD) as EventType[]);

/** Parses one JSON line of an event log at the boundary; `line` is 1-based, for the error. */
export function parseEventLine(text: string, line: number): EngineEvent {
  const field = `events:${line}`;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new MarginalError("invalid_data", "not valid JSON", { field, cause });
  }
  if (typeof value !== "object" || value === null)
    throw new MarginalError("invalid_data", "not an object", { field });
  const e = value as Record<string, unknown>;
  if (!Number.isInteger(e.seq) || !Number.isInteger(e.atMs) || typeof e.commandId !== "string")
    throw new MarginalError("invalid_data", "needs integer seq and atMs and a string commandId", { field });
  if (!EVENT_TYPES.has(e.type as EventType))
    throw new MarginalError("invalid_data", `unknown event type '${String(e.type)}'`, { field });
  if (e.type === "configured")
    return { ...(e as unknown as EngineEvent), config: parseEngineConfig(e.config) } as EngineEvent;
  return e as unknown as EngineEvent;
}

/** Parses a whole JSONL event log (blank lines ignored). */
export function parseEventLog(text: string): EngineEvent[] {
  const events: EngineEvent[] = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim() !== "") events.push(parseEventLine(line, i + 1));
  });
  return events;
}

/** Serialises events as JSONL, one event per line. */
export function formatEventLog(events: readonly EngineEvent[]): string {
  return events.map((e) => `${JSON.stringify(e)}\n`).join("");
}

/**
 * Folds events into a state (a fresh one, or `from`, which is mutated). A malformed event is
 * reported with its sequence number; nothing after it is applied.
 */
export function replayEvents(events: Iterable<EngineEvent>, from?: EngineState): EngineState {
  const state = from ?? createEmptyState();
  for (const event of events) {
    try {
      applyEvent(state, event);
    } catch (cause) {
      throw new MarginalError("invalid_data", `event ${event.seq} (${event.type}) cannot be applied`, {
        field: `events.${event.seq}`,
        cause,
      });
    }
  }
  return state;
}
