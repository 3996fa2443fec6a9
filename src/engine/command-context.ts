import { MarginalError } from "../core/errors.ts";
import { applyEvent } from "./apply-event.ts";
import type { Command, RejectionReason } from "./commands.ts";
import { parseDecimal } from "./decimal.ts";
import type { EngineState, SubaccountState } from "./engine-state.ts";
import type { EngineEvent, EventBody } from "./events.ts";

/*
 * What a command handler works with: the state, the command, and `emit`, which stamps an event
 * (seq, time, command id), applies it at once and records it. Handlers validate everything
 * before their first emit, so a rejection leaves the state untouched.
 */

export interface Rejection {
  reason: RejectionReason;
  message: string;
}

export class CommandContext {
  readonly events: EngineEvent[] = [];
  constructor(
    readonly state: EngineState,
    readonly command: Command,
    private readonly onEvent?: (event: EngineEvent) => void,
  ) {}

  get atMs(): number {
    return this.command.atMs;
  }

  emit(body: EventBody): void {
    this.emitEvent({
      seq: this.state.seq + 1,
      atMs: this.command.atMs,
      commandId: this.command.id,
      ...body,
    } as EngineEvent);
  }

  /** The sequence number the next event takes (for `emitEvent`). */
  get nextSeq(): number {
    return this.state.seq + 1;
  }

  /**
   * `emit` of an event the caller stamped itself ({seq: nextSeq, atMs, commandId, ...body}, in
   * that key order): one object per event on paths that emit thousands per command.
   */
  emitEvent(event: EngineEvent): void {
    applyEvent(this.state, event);
    this.events.push(event);
    this.onEvent?.(event);
  }
}

/** A rejection value. */
export function reject(reason: RejectionReason, message: string): Rejection {
  return { reason, message };
}

/** Parses a decimal at a scale; a malformed or over-precise value becomes an `invalid_input` rejection. */
export function parseAmount(text: string, decimals: number, field: string): bigint | Rejection {
  try {
    return parseDecimal(text, decimals, field);
  } catch (error) {
    if (error instanceof MarginalError) return reject("invalid_input", error.message);
    throw error;
  }
}

export function isRejection(value: unknown): value is Rejection {
  return typeof value === "object" && value !== null && "reason" in value && "message" in value;
}

/** Looks up a sub-account by id. */
export function findSubaccount(state: EngineState, id: string): SubaccountState | undefined {
  const index = state.subaccountIndex.get(id);
  return index === undefined ? undefined : state.subaccounts[index];
}
