import { assertInvariant } from "../core/errors.ts";
import type { EventStore } from "./event-store.ts";

export interface RecoverStateOptions<TState, TEvent, TSnapshot> {
  /** The state before any event (used when there is no snapshot). */
  readonly initial: () => TState;
  /** The state a snapshot describes. */
  readonly restore: (snapshot: TSnapshot) => TState;
  /** The state after one more event; may mutate and return `state`. */
  readonly apply: (state: TState, event: TEvent, seq: number) => TState;
  /** When given, the restored state's hash must equal the hash saved with the snapshot. */
  readonly hash?: (state: TState) => string;
  /** Events per page while replaying. */
  readonly pageSize?: number;
}

export interface RecoveredState<TState> {
  readonly state: TState;
  /** Sequence number of the last event applied (0: none). */
  readonly lastSeq: number;
  /** Sequence number of the snapshot started from, or undefined when replayed from scratch. */
  readonly snapshotSeq: number | undefined;
  /** Events applied on top of the snapshot. */
  readonly replayedEvents: number;
}

/**
 * Start-up recovery: the latest snapshot, then every later event in order. The sequence must be
 * contiguous after the snapshot (a gap means a lost event: loud failure, not a silently wrong
 * state), and when `hash` is given the restored snapshot must hash to what was saved with it.
 */
export async function recoverState<TState, TEvent, TSnapshot, TCommand, TResult>(
  store: EventStore<TCommand, TEvent, TSnapshot, TResult>,
  options: RecoverStateOptions<TState, TEvent, TSnapshot>,
): Promise<RecoveredState<TState>> {
  const snapshot = await store.latestSnapshot();
  let state: TState;
  if (snapshot === undefined) {
    state = options.initial();
  } else {
    state = options.restore(snapshot.state);
    if (options.hash !== undefined) {
      const restoredHash = options.hash(state);
      assertInvariant(
        restoredHash === snapshot.stateHash,
        `snapshot at seq ${snapshot.seq} restores to hash ${restoredHash}, saved as ${snapshot.stateHash}`,
      );
    }
  }
  const from = snapshot?.seq ?? 0;
  let seq = from;
  const readOptions = options.pageSize === undefined ? {} : { pageSize: options.pageSize };
  for await (const stored of store.readEvents(from, readOptions)) {
    assertInvariant(stored.seq === seq + 1, `event log gap: expected seq ${seq + 1}, found ${stored.seq}`);
    state = options.apply(state, stored.event, stored.seq);
    seq = stored.seq;
  }
  return { state, lastSeq: seq, snapshotSeq: snapshot?.seq, replayedEvents: seq - from };
}
