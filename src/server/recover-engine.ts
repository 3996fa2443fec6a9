import { assertInvariant } from "../core/errors.ts";
import { createEngine, type Engine } from "../engine/create-engine.ts";
import type { EngineEvent } from "../engine/events.ts";
import type { EngineStore } from "./command-host.ts";

export interface RecoveredEngine {
  readonly engine: Engine;
  /** Sequence number of the snapshot started from (0: replayed from the first event). */
  readonly snapshotSeq: number;
  readonly replayedEvents: number;
}

/**
 * Start-up: the latest snapshot (checked against the hash saved with it), then every later
 * event. The engine keeps no in-memory log (it can grow without bound in a service); retries
 * are answered from the dedup window, which is part of the state. `remarginThreads` > 1 shares
 * each sweep's re-margin pass with worker threads (bit-identical results; the service's `close`
 * stops them).
 */
export async function recoverEngine(
  store: EngineStore,
  options: { remarginThreads?: number } = {},
): Promise<RecoveredEngine> {
  const snapshot = await store.latestSnapshot();
  const from = snapshot?.seq ?? 0;
  const events: EngineEvent[] = [];
  let expected = from + 1;
  for await (const stored of store.readEvents(from)) {
    assertInvariant(stored.seq === expected, `event log gap: expected seq ${expected}, found ${stored.seq}`);
    events.push(stored.event);
    expected += 1;
  }
  if (snapshot !== undefined) {
    const restored = createEngine({ snapshot: snapshot.state, keepLog: false });
    assertInvariant(
      restored.stateHash() === snapshot.stateHash,
      `snapshot at seq ${snapshot.seq} restores to a different state hash than was saved`,
    );
  }
  const engine = createEngine({
    ...(snapshot === undefined ? {} : { snapshot: snapshot.state }),
    events,
    keepLog: false,
    ...(options.remarginThreads === undefined ? {} : { remarginThreads: options.remarginThreads }),
  });
  return { engine, snapshotSeq: from, replayedEvents: events.length };
}
