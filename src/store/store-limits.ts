import { invalidInput } from "../core/errors.ts";

/**
 * Every bound the store enforces. Appends beyond a limit are refused before they reach the
 * queue, so one oversized record cannot fail the batch it would have shared with others.
 */
export interface StoreLimits {
  /** Most commands committed in one transaction. */
  readonly maxBatchCommands: number;
  /** Most bytes (UTF-8, all records of all commands) committed in one transaction. */
  readonly maxBatchBytes: number;
  /** How long the first append of an idle queue waits for company before committing, ms. */
  readonly maxBatchWaitMs: number;
  /** Appends waiting for a commit; one more is refused (back-pressure). */
  readonly maxQueueLength: number;
  /** Events one command may produce. */
  readonly maxEventsPerCommand: number;
  /** Largest single record (command, result or one event), UTF-8 bytes. */
  readonly maxRecordBytes: number;
  /** Largest snapshot, UTF-8 bytes. */
  readonly maxSnapshotBytes: number;
  /** Snapshots kept; older ones are pruned when a new one is saved. */
  readonly maxSnapshotsKept: number;
  /** Longest command id, characters. */
  readonly maxCommandIdLength: number;
  /** Events per page when reading the log. */
  readonly readPageSize: number;
}

export const DEFAULT_STORE_LIMITS: StoreLimits = {
  maxBatchCommands: 256,
  maxBatchBytes: 8 * 1024 * 1024,
  maxBatchWaitMs: 2,
  maxQueueLength: 10_000,
  maxEventsPerCommand: 1_000,
  maxRecordBytes: 1024 * 1024,
  maxSnapshotBytes: 256 * 1024 * 1024,
  maxSnapshotsKept: 3,
  maxCommandIdLength: 128,
  readPageSize: 1_000,
};

/** Hard ceilings on the limits themselves, so a configuration typo cannot disable a bound. */
const CEILINGS: StoreLimits = {
  maxBatchCommands: 10_000,
  maxBatchBytes: 64 * 1024 * 1024,
  maxBatchWaitMs: 1_000,
  maxQueueLength: 1_000_000,
  maxEventsPerCommand: 100_000,
  maxRecordBytes: 16 * 1024 * 1024,
  maxSnapshotBytes: 512 * 1024 * 1024,
  maxSnapshotsKept: 1_000,
  maxCommandIdLength: 1_024,
  readPageSize: 100_000,
};

/** Merges `overrides` into the defaults and checks each is an integer within its ceiling. */
export function resolveStoreLimits(overrides: Partial<StoreLimits> = {}): StoreLimits {
  const limits: StoreLimits = { ...DEFAULT_STORE_LIMITS, ...overrides };
  for (const key of Object.keys(CEILINGS) as (keyof StoreLimits)[]) {
    const value = limits[key];
    const floor = key === "maxBatchWaitMs" ? 0 : 1;
    if (!Number.isSafeInteger(value) || value < floor || value > CEILINGS[key]) {
      throw invalidInput(`limits.${key}`, `must be an integer in [${floor}, ${CEILINGS[key]}], got ${value}`);
    }
  }
  if (limits.maxRecordBytes > limits.maxBatchBytes) {
    throw invalidInput("limits.maxRecordBytes", "must not exceed limits.maxBatchBytes");
  }
  return limits;
}
