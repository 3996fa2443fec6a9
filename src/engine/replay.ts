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

const EVENT_TYPES: ReadonlySet<EventType> = new Set<EventType>([
  "configured",
  "subaccount_opened",
  "deposited",
  "withdrawn",
  "transferred",
  "insurance_funded",
  "oracle_accepted",
  "mark_changed",
  "market_status_changed",
  "margin_multiplier_changed",
  "risk_params_updated",
  "trade_settled",
  "liquidation_started",
  "liquidation_penalty_paid",
  "insurance_drawn",
  "insurance_refunded",
  "venue_absorbed",
  "collateral_seized",
  "liquidation_ended",
  "funding_paid",
  "expiry_settled",
]);

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
