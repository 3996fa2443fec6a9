import { MarginalError } from "../core/errors.ts";
import type { Command } from "../engine/commands.ts";
import type { Engine, SubmitResult } from "../engine/create-engine.ts";
import type { EngineEvent } from "../engine/events.ts";
import type { EngineSnapshot } from "../engine/snapshot.ts";
import type { EventStore } from "../store/event-store.ts";
import type { ServiceMetrics } from "./service-metrics.ts";

/*
 * The one door through which commands reach the engine. The engine is synchronous and the log
 * is not: a command is executed in memory, its events are handed to the store's group commit
 * in the same tick (so the log order is the engine order), and the caller is answered only
 * after that commit. Rejected commands change nothing and are not logged. If a commit fails
 * after the engine applied the events, memory is ahead of the log: the host stops accepting
 * commands and reports a fatal error; a restart recovers from the log (what was never
 * acknowledged is simply absent).
 */

export type EngineStore = EventStore<Command, EngineEvent, EngineSnapshot, StoredResult>;

/** What the log keeps as a command's result: enough to answer a retry after a restart. */
export interface StoredResult {
  readonly status: "accepted";
  readonly eventCount: number;
}

export type HostResult =
  | { readonly status: "accepted"; readonly commandId: string; readonly events: readonly EngineEvent[] }
  | {
      readonly status: "duplicate";
      readonly commandId: string;
      readonly firstSeq: number;
      readonly lastSeq: number;
    }
  | {
      readonly status: "rejected";
      readonly commandId: string;
      readonly reason: string;
      readonly message: string;
    };

export interface CommandHostOptions {
  readonly engine: Engine;
  readonly store: EngineStore;
  readonly metrics: ServiceMetrics;
  /** Wall clock, ms since the epoch (commands are stamped with it, never earlier than the engine). */
  readonly clockMs: () => number;
  /** Save a snapshot after this many events since the last one. */
  readonly snapshotEveryEvents?: number;
  /** Called once when memory and log can no longer be trusted to agree. */
  readonly onFatal: (error: unknown) => void;
}

export type CommandListener = (command: Command, events: readonly EngineEvent[]) => void;

/** A command without id and time: the host stamps them. */
export type CommandBody = Command extends infer C
  ? C extends Command
    ? Omit<C, "id" | "atMs">
    : never
  : never;

export interface CommandHost {
  /** Executes a command and resolves after its events are durable (or it was rejected). */
  execute(body: CommandBody, commandId?: string): Promise<HostResult>;
  /** Listeners see each accepted command's events after they were committed, in log order. */
  onCommitted(listener: CommandListener): () => void;
  /** False after a fatal commit failure or once closing. */
  accepting(): boolean;
  /** Waits for every acknowledged-to-be commit, then refuses new commands. */
  drain(): Promise<void>;
  /** Commands whose commit is in flight. */
  inFlight(): number;
}

const SNAPSHOT_EVERY_EVENTS = 50_000;
/** Head-room kept in the store queue so a command is never executed and then refused by the log. */
const QUEUE_HEADROOM = 16;

let generated = 0;
function generateCommandId(): string {
  generated += 1;
  return `srv-${Date.now().toString(36)}-${process.pid.toString(36)}-${generated.toString(36)}`;
}

/** Creates the command host over an engine recovered from `store`. */
export function createCommandHost(options: CommandHostOptions): CommandHost {
  const { engine, store, metrics } = options;
  const listeners = new Set<CommandListener>();
  const snapshotEvery = options.snapshotEveryEvents ?? SNAPSHOT_EVERY_EVENTS;
  let lastSnapshotSeq = engine.state().seq;
  let tail: Promise<unknown> = Promise.resolve();
  let open = true;
  let failed = false;
  let pending = 0;

  const fail = (error: unknown) => {
    if (failed) return;
    failed = true;
    open = false;
    options.onFatal(error);
  };

  const maybeSnapshot = (afterCommit: Promise<unknown>) => {
    const seq = engine.state().seq;
    if (seq - lastSnapshotSeq < snapshotEvery) return;
    lastSnapshotSeq = seq;
    // Taken now (state at `seq`), saved once the commit holding `seq` is durable.
    const snap = engine.snapshot();
    const hash = engine.stateHash();
    afterCommit.then(() => store.saveSnapshot(seq, snap, hash)).catch(fail);
  };

  async function execute(body: CommandBody, commandId?: string): Promise<HostResult> {
    if (!open)
      throw new MarginalError("conflict", "the service is not accepting commands", {
        details: { reason: "unavailable" },
      });
    if (store.stats().queued >= store.limits.maxQueueLength - QUEUE_HEADROOM) {
      throw new MarginalError("conflict", "the commit queue is full; retry later", {
        details: { reason: "overloaded" },
      });
    }
    const id = commandId ?? generateCommandId();
    const atMs = Math.max(options.clockMs(), engine.state().clockMs);
    const command = { ...body, id, atMs } as Command;
    const started = performance.now();
    const result: SubmitResult = engine.submit(command);
    if (command.type === "oracle_report")
      metrics.tickToMarginSeconds.observe((performance.now() - started) / 1000);
    metrics.commandsTotal.inc({ type: command.type, status: result.status });
    if (result.status === "rejected") {
      await tail;
      return { status: "rejected", commandId: id, reason: result.reason, message: result.message };
    }
    if (result.status === "duplicate") {
      await tail;
      return { status: "duplicate", commandId: id, firstSeq: result.firstSeq, lastSeq: result.lastSeq };
    }
    const events = result.events;
    if (events.length === 0) return { status: "accepted", commandId: id, events };
    pending += 1;
    const commitStarted = performance.now();
    const appended = store
      .append({ commandId: id, command, events, result: { status: "accepted", eventCount: events.length } })
      .then((outcome) => {
        if (outcome.status !== "appended" || outcome.firstSeq !== events[0]!.seq) {
          throw new MarginalError("invariant_violated", `log and engine disagree on command ${id}`, {
            details: { outcome: outcome.status, logSeq: outcome.firstSeq, engineSeq: events[0]!.seq },
          });
        }
      });
    tail = appended.catch(() => {});
    maybeSnapshot(appended);
    try {
      await appended;
    } catch (error) {
      fail(error);
      throw new MarginalError("conflict", "the command could not be committed", {
        cause: error,
        details: { reason: "unavailable" },
      });
    } finally {
      pending -= 1;
    }
    metrics.dbCommitSeconds.observe((performance.now() - commitStarted) / 1000);
    metrics.eventsTotal.inc(events.length);
    for (const listener of listeners) listener(command, events);
    return { status: "accepted", commandId: id, events };
  }

  return {
    execute,
    onCommitted(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    accepting: () => open,
    async drain() {
      open = false;
      await tail;
    },
    inFlight: () => pending,
  };
}
