import { invalidInput, MarginalError } from "../core/errors.ts";
import type { MarginMode } from "../core/margin/types.ts";
import { parseCommand } from "./commands.ts";
import { createEmptyState, type EngineState } from "./engine-state.ts";
import type { EngineEvent } from "./events.ts";
import { type CommandResult, executeCommand } from "./execute-command.ts";
import { closeColumnarRisk, enableColumnarRisk } from "./hotpath/columnar-risk.ts";
import { SUBSCRIBERS_MAX } from "./limits.ts";
import { replayEvents } from "./replay.ts";
import { type EngineSnapshot, restore, snapshot } from "./snapshot.ts";
import { stateHash } from "./state-hash.ts";
import { computeRisk, type SubaccountRisk } from "./subaccount-risk.ts";

/*
 * The embedding API: a venue calls `submit` in-process with commands from its matching engine
 * and oracles, and subscribes to the events. The engine keeps the event log in memory (so a
 * repeated command id can be answered with its original events) and can start from a log or
 * a snapshot.
 */

export interface EngineOptions {
  /** Events to replay first (e.g. a persisted log). */
  events?: readonly EngineEvent[];
  /** A snapshot to start from; `events` are then the tail after it. */
  snapshot?: EngineSnapshot;
  /** Keep the in-memory log (default true); without it duplicates answer with seq ranges only. */
  keepLog?: boolean;
  /**
   * How price and parameter sweeps find liquidatable sub-accounts: "reference" re-margins every
   * holder with the object code; "columnar" keeps a columnar book in step with the events and
   * lets the re-margin kernel skip the clearly healthy holders (same events, same hash).
   */
  riskPath?: RiskPath;
  /** Columnar path only: check every skipped holder against the reference (tests; slow). */
  auditRiskPath?: boolean;
  /**
   * Columnar path only: threads of the re-margin pass of a sweep (default 1). With more, worker
   * threads share the pass over shared memory, synchronously (results bit-identical); call
   * `close()` to stop them.
   */
  remarginThreads?: number;
  /** Columnar path with threads: lists shorter than this stay on the engine's thread (tests). */
  remarginPoolMinList?: number;
}

export type RiskPath = "reference" | "columnar";

/** The risk path of an engine created without `riskPath`. */
export const DEFAULT_RISK_PATH: RiskPath = "columnar";

export type SubmitResult =
  | Exclude<CommandResult, { status: "duplicate" }>
  | { status: "duplicate"; commandId: string; firstSeq: number; lastSeq: number; events: EngineEvent[] };

export interface SubaccountView {
  id: string;
  accountId: string;
  /** Balances per asset, in smallest units. */
  balances: Record<string, bigint>;
  positions: { marketId: string; lots: bigint; basisRaw: bigint }[];
  inLiquidation: boolean;
  /** Margin mode and per-sub-account settings (IM multiplier, venue parameter set). */
  mode: MarginMode;
  settings: { imMultiplier: number; paramSetId: string | null };
  risk: SubaccountRisk;
}

export interface Engine {
  /** Validates and executes one command (unknown shapes throw a MarginalError naming the field). */
  submit(command: unknown): SubmitResult;
  subaccount(id: string): SubaccountView | undefined;
  account(id: string): { id: string; subaccounts: SubaccountView[] } | undefined;
  /** The live state (read-only by contract: mutate it only through `submit`). */
  state(): EngineState;
  subscribe(listener: (event: EngineEvent) => void): () => void;
  stateHash(): string;
  snapshot(): EngineSnapshot;
  /** Events applied by this instance (after any starting snapshot). */
  log(): readonly EngineEvent[];
  /** Stops the engine's worker threads, if any (`remarginThreads`); the engine stays usable. */
  close(): void;
}

/** Creates an engine, optionally restored from a snapshot and/or an event log. */
export function createEngine(options: EngineOptions = {}): Engine {
  // Checked before anything is built: a bad thread count must not surface in the middle of a sweep.
  for (const field of ["remarginThreads", "remarginPoolMinList"] as const) {
    const v = options[field];
    const max = field === "remarginThreads" ? 64 : 1e9;
    if (v !== undefined && !(Number.isInteger(v) && v >= 1 && v <= max))
      throw invalidInput(field, `must be an integer in [1, ${max}]`);
  }
  const state = options.snapshot === undefined ? createEmptyState() : restore(options.snapshot);
  if ((options.riskPath ?? DEFAULT_RISK_PATH) === "columnar")
    enableColumnarRisk(state, {
      audit: options.auditRiskPath ?? false,
      threads: options.remarginThreads ?? 1,
      ...(options.remarginPoolMinList === undefined ? {} : { poolMinList: options.remarginPoolMinList }),
    });
  const keepLog = options.keepLog ?? true;
  const log: EngineEvent[] = [];
  if (options.events !== undefined) {
    replayEvents(options.events, state);
    if (keepLog) log.push(...options.events);
  }
  const listeners = new Set<(event: EngineEvent) => void>();
  const firstSeq = () => (log.length === 0 ? state.seq + 1 : log[0]!.seq);

  const view = (index: number): SubaccountView => {
    const s = state.subaccounts[index]!;
    return {
      id: s.id,
      accountId: s.accountId,
      balances: Object.fromEntries([...s.balances].sort()),
      positions: [...s.positions].map(([marketId, p]) => ({ marketId, lots: p.lots, basisRaw: p.basisRaw })),
      inLiquidation: s.liquidation !== null,
      mode: s.mode,
      settings: { ...s.settings },
      risk: computeRisk(state, s),
    };
  };

  return {
    submit(input) {
      const command = parseCommand(input);
      const result = executeCommand(state, command, (event) => {
        if (keepLog) log.push(event);
        for (const listener of listeners) listener(event);
      });
      if (result.status !== "duplicate") return result;
      const from = result.firstSeq - firstSeq();
      return {
        ...result,
        events: keepLog && from >= 0 ? log.slice(from, result.lastSeq - firstSeq() + 1) : [],
      };
    },
    subaccount(id) {
      const index = state.subaccountIndex.get(id);
      return index === undefined ? undefined : view(index);
    },
    account(id) {
      const ids = state.accounts.get(id);
      if (ids === undefined) return undefined;
      return { id, subaccounts: ids.map((sid) => view(state.subaccountIndex.get(sid)!)) };
    },
    state: () => state,
    subscribe(listener) {
      if (listeners.size >= SUBSCRIBERS_MAX)
        throw new MarginalError("conflict", `at most ${SUBSCRIBERS_MAX} subscribers`, { field: "subscribe" });
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    stateHash: () => stateHash(state),
    snapshot: () => snapshot(state),
    log: () => log,
    close: () => closeColumnarRisk(state),
  };
}
