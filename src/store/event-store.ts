import { Buffer } from "node:buffer";
import { assertInvariant, invalidInput, MarginalError } from "../core/errors.ts";
import { GroupCommitter } from "./group-commit.ts";
import { type JsonCodec, jsonCodec } from "./json-codec.ts";
import { validateSchemaName } from "./schema-name.ts";
import type { SqlBackend, SqlBackendKind, SqlExecutor } from "./sql-backend.ts";
import { resolveStoreLimits, type StoreLimits } from "./store-limits.ts";
import { toSafeInteger } from "./to-safe-integer.ts";

/** One command with the events it produced and the result its sender is owed. */
export interface AppendRequest<TCommand, TEvent, TResult> {
  /** The client's id for the command: a retry with the same id gets the stored result. */
  readonly commandId: string;
  readonly command: TCommand;
  readonly events: readonly TEvent[];
  readonly result: TResult;
}

/**
 * What an append did. `appended`: the command and its events are committed, events at
 * sequence numbers `firstSeq .. firstSeq + eventCount - 1`. `duplicate`: the id was already
 * in the log; nothing was written and `result` is the stored one. `sameCommand` says whether
 * the stored command equals this one (a client reusing an id for a different command).
 */
export type AppendOutcome<TResult> =
  | {
      readonly status: "appended";
      readonly commandId: string;
      readonly firstSeq: number;
      readonly eventCount: number;
      readonly result: TResult;
    }
  | {
      readonly status: "duplicate";
      readonly commandId: string;
      readonly firstSeq: number;
      readonly eventCount: number;
      readonly result: TResult;
      readonly sameCommand: boolean;
    };

export interface StoredEvent<TEvent> {
  /** Global sequence number, 1-based, contiguous. */
  readonly seq: number;
  readonly commandId: string;
  readonly event: TEvent;
}

export interface StoredCommand<TCommand, TResult> {
  readonly commandId: string;
  readonly command: TCommand;
  readonly result: TResult;
  readonly firstSeq: number;
  readonly eventCount: number;
}

export interface StoredSnapshot<TSnapshot> {
  /** The state after applying events 1..seq (0: before any event). */
  readonly seq: number;
  readonly state: TSnapshot;
  readonly stateHash: string;
}

export interface StoreStats {
  readonly backend: SqlBackendKind;
  /** Append transactions committed or attempted. */
  readonly transactions: number;
  /** Append requests that went through a transaction (appended or duplicate). */
  readonly requests: number;
  readonly largestBatch: number;
  /** Appends waiting for a transaction now. */
  readonly queued: number;
}

export interface StoreCodecs<TCommand, TEvent, TSnapshot, TResult> {
  readonly command: JsonCodec<TCommand>;
  readonly event: JsonCodec<TEvent>;
  readonly snapshot: JsonCodec<TSnapshot>;
  readonly result: JsonCodec<TResult>;
}

export interface EventStoreOptions<TCommand, TEvent, TSnapshot, TResult> {
  /** PostgreSQL schema holding the tables (already migrated). Default `marginal`. */
  readonly schema?: string;
  readonly limits?: Partial<StoreLimits>;
  /** Default: canonical JSON, no bigint keys. */
  readonly codecs?: Partial<StoreCodecs<TCommand, TEvent, TSnapshot, TResult>>;
  /** Called after the store's own close; `openStore` uses it to release the backend. */
  readonly onClose?: () => Promise<void>;
}

/**
 * The append-only command and event log with snapshots, over any `SqlBackend`. Generic over
 * the engine's record types; it never looks inside a record.
 */
export interface EventStore<TCommand, TEvent, TSnapshot, TResult = unknown> {
  readonly backend: SqlBackendKind;
  readonly limits: StoreLimits;
  /**
   * Appends a command with its events atomically, through group commit. Resolves only after
   * the transaction holding it has committed; rejects at once (before queueing) on a record
   * over a limit, or when the queue is full.
   */
  append(request: AppendRequest<TCommand, TEvent, TResult>): Promise<AppendOutcome<TResult>>;
  /** Events with `seq > afterSeq`, ascending, read `pageSize` at a time (bounded memory). */
  readEvents(afterSeq?: number, options?: { readonly pageSize?: number }): AsyncIterable<StoredEvent<TEvent>>;
  getCommand(commandId: string): Promise<StoredCommand<TCommand, TResult> | undefined>;
  /** The highest committed sequence number (0 for an empty log). */
  lastSeq(): Promise<number>;
  /** Saves the state after event `seq`; at most `seq = lastSeq()`. Older snapshots are pruned. */
  saveSnapshot(seq: number, state: TSnapshot, stateHash: string): Promise<void>;
  latestSnapshot(): Promise<StoredSnapshot<TSnapshot> | undefined>;
  stats(): StoreStats;
  /** Commits what is queued, refuses new appends, then releases the backend if owned. */
  close(): Promise<void>;
}

interface PreparedAppend {
  readonly commandId: string;
  readonly commandText: string;
  readonly resultText: string;
  readonly eventTexts: readonly string[];
}

interface RawOutcome {
  readonly status: "appended" | "duplicate";
  readonly commandId: string;
  readonly firstSeq: number;
  readonly eventCount: number;
  readonly resultText: string;
  readonly sameCommand: boolean;
}

const COMMAND_ID = /^[\x21-\x7e]+$/;

/** Builds an event store over `backend`, whose `schema` must already be migrated. */
export function createEventStore<TCommand, TEvent, TSnapshot, TResult = unknown>(
  backend: SqlBackend,
  options: EventStoreOptions<TCommand, TEvent, TSnapshot, TResult> = {},
): EventStore<TCommand, TEvent, TSnapshot, TResult> {
  const s = validateSchemaName(options.schema ?? "marginal");
  const limits = resolveStoreLimits(options.limits);
  const codecs: StoreCodecs<TCommand, TEvent, TSnapshot, TResult> = {
    command: options.codecs?.command ?? jsonCodec<TCommand>(),
    event: options.codecs?.event ?? jsonCodec<TEvent>(),
    snapshot: options.codecs?.snapshot ?? jsonCodec<TSnapshot>(),
    result: options.codecs?.result ?? jsonCodec<TResult>(),
  };
  const writerLock = `marginal.store.${s}.writer`;
  const committer = new GroupCommitter<PreparedAppend, RawOutcome>(
    (batch) => backend.transaction((tx) => commitBatch(tx, s, writerLock, batch)),
    {
      maxBatchItems: limits.maxBatchCommands,
      maxBatchBytes: limits.maxBatchBytes,
      maxWaitMs: limits.maxBatchWaitMs,
      maxQueueLength: limits.maxQueueLength,
    },
  );
  let closed = false;

  function prepare(request: AppendRequest<TCommand, TEvent, TResult>): {
    item: PreparedAppend;
    bytes: number;
  } {
    const { commandId } = request;
    if (typeof commandId !== "string" || !COMMAND_ID.test(commandId)) {
      throw invalidInput("commandId", "must be a non-empty string of printable ASCII without spaces");
    }
    if (commandId.length > limits.maxCommandIdLength) {
      throw invalidInput("commandId", `longer than ${limits.maxCommandIdLength} characters`);
    }
    if (request.events.length > limits.maxEventsPerCommand) {
      throw invalidInput(
        "events",
        `${request.events.length} events, more than ${limits.maxEventsPerCommand}`,
      );
    }
    let bytes = 0;
    const sized = (field: string, text: string): string => {
      const n = Buffer.byteLength(text, "utf8");
      if (n > limits.maxRecordBytes)
        throw invalidInput(field, `${n} bytes, more than ${limits.maxRecordBytes}`);
      bytes += n;
      return text;
    };
    const item: PreparedAppend = {
      commandId,
      commandText: sized("command", codecs.command.encode(request.command)),
      resultText: sized("result", codecs.result.encode(request.result)),
      eventTexts: request.events.map((event, i) => sized(`events[${i}]`, codecs.event.encode(event))),
    };
    return { item, bytes };
  }

  return {
    backend: backend.kind,
    limits,
    async append(request) {
      if (closed) throw new MarginalError("conflict", "the store is closed");
      const { item, bytes } = prepare(request);
      const raw = await committer.submit(item, bytes);
      const result = codecs.result.decode(raw.resultText);
      const common = { commandId: raw.commandId, firstSeq: raw.firstSeq, eventCount: raw.eventCount, result };
      return raw.status === "appended"
        ? { status: "appended", ...common }
        : { status: "duplicate", ...common, sameCommand: raw.sameCommand };
    },
    readEvents(afterSeq = 0, readOptions = {}) {
      const pageSize = readOptions.pageSize ?? limits.readPageSize;
      if (!Number.isSafeInteger(afterSeq) || afterSeq < 0)
        throw invalidInput("afterSeq", "must be an integer ≥ 0");
      if (!Number.isSafeInteger(pageSize) || pageSize < 1 || pageSize > limits.readPageSize) {
        throw invalidInput("pageSize", `must be an integer in [1, ${limits.readPageSize}]`);
      }
      return readPages(backend, s, afterSeq, pageSize, codecs.event);
    },
    async getCommand(commandId) {
      const rows = await backend.query(
        `SELECT command_id, command, result, first_seq, event_count FROM ${s}.commands WHERE command_id = $1`,
        [commandId],
      );
      const row = rows[0];
      if (row === undefined) return undefined;
      return {
        commandId: String(row.command_id),
        command: codecs.command.decode(String(row.command)),
        result: codecs.result.decode(String(row.result)),
        firstSeq: toSafeInteger(row.first_seq, "commands.first_seq"),
        eventCount: toSafeInteger(row.event_count, "commands.event_count"),
      };
    },
    lastSeq: () => lastSeq(backend, s),
    async saveSnapshot(seq, state, stateHash) {
      if (!Number.isSafeInteger(seq) || seq < 0) throw invalidInput("seq", "must be an integer ≥ 0");
      if (typeof stateHash !== "string" || stateHash.length === 0 || stateHash.length > 256) {
        throw invalidInput("stateHash", "must be a non-empty string of at most 256 characters");
      }
      const text = codecs.snapshot.encode(state);
      const n = Buffer.byteLength(text, "utf8");
      if (n > limits.maxSnapshotBytes)
        throw invalidInput("state", `${n} bytes, more than ${limits.maxSnapshotBytes}`);
      await backend.transaction((tx) => insertSnapshot(tx, s, seq, text, stateHash, limits.maxSnapshotsKept));
    },
    async latestSnapshot() {
      const rows = await backend.query(
        `SELECT seq, state, state_hash FROM ${s}.snapshots ORDER BY seq DESC LIMIT 1`,
      );
      const row = rows[0];
      if (row === undefined) return undefined;
      return {
        seq: toSafeInteger(row.seq, "snapshots.seq"),
        state: codecs.snapshot.decode(String(row.state)),
        stateHash: String(row.state_hash),
      };
    },
    stats() {
      const c = committer.stats;
      return {
        backend: backend.kind,
        transactions: c.commits,
        requests: c.items,
        largestBatch: c.largestBatch,
        queued: c.queued,
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      await committer.close();
      await options.onClose?.();
    },
  };
}

async function lastSeq(db: SqlExecutor, s: string): Promise<number> {
  const rows = await db.query(`SELECT coalesce(max(seq), 0) AS last FROM ${s}.events`);
  return toSafeInteger(rows[0]?.last, "events.seq");
}

/**
 * One group-commit transaction. The advisory lock makes writers to one schema take turns (two
 * processes on one PostgreSQL), so reading max(seq) and writing after it cannot race and the
 * sequence stays gap-free; a database sequence would leave gaps on rollback.
 */
async function commitBatch(
  tx: SqlExecutor,
  s: string,
  writerLock: string,
  batch: readonly PreparedAppend[],
): Promise<RawOutcome[]> {
  await tx.query("SELECT pg_advisory_xact_lock(hashtext($1))", [writerLock]);
  const ids = [...new Set(batch.map((p) => p.commandId))];
  const stored = new Map<string, RawOutcome & { commandText: string }>();
  const rows = await tx.query(
    `SELECT command_id, first_seq, event_count, command, result FROM ${s}.commands WHERE command_id = ANY($1::text[])`,
    [ids],
  );
  for (const row of rows) {
    const commandId = String(row.command_id);
    stored.set(commandId, {
      status: "duplicate",
      commandId,
      firstSeq: toSafeInteger(row.first_seq, "commands.first_seq"),
      eventCount: toSafeInteger(row.event_count, "commands.event_count"),
      resultText: String(row.result),
      commandText: String(row.command),
      sameCommand: true,
    });
  }
  let nextSeq = (await lastSeq(tx, s)) + 1;
  const outcomes: RawOutcome[] = [];
  const cmd = {
    ids: [] as string[],
    first: [] as number[],
    count: [] as number[],
    body: [] as string[],
    result: [] as string[],
  };
  const ev = { seq: [] as number[], ids: [] as string[], body: [] as string[] };
  for (const p of batch) {
    const previous = stored.get(p.commandId);
    if (previous !== undefined) {
      outcomes.push({
        ...previous,
        status: "duplicate",
        sameCommand: previous.commandText === p.commandText,
      });
      continue;
    }
    const outcome: RawOutcome = {
      status: "appended",
      commandId: p.commandId,
      firstSeq: nextSeq,
      eventCount: p.eventTexts.length,
      resultText: p.resultText,
      sameCommand: true,
    };
    outcomes.push(outcome);
    // A later request in this same batch with the same id is a duplicate of this one.
    stored.set(p.commandId, { ...outcome, status: "duplicate", commandText: p.commandText });
    cmd.ids.push(p.commandId);
    cmd.first.push(nextSeq);
    cmd.count.push(p.eventTexts.length);
    cmd.body.push(p.commandText);
    cmd.result.push(p.resultText);
    for (const body of p.eventTexts) {
      ev.seq.push(nextSeq);
      ev.ids.push(p.commandId);
      ev.body.push(body);
      nextSeq += 1;
    }
  }
  if (cmd.ids.length > 0) {
    await tx.query(
      `INSERT INTO ${s}.commands (command_id, first_seq, event_count, command, result)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::integer[], $4::text[], $5::text[])`,
      [cmd.ids, cmd.first, cmd.count, cmd.body, cmd.result],
    );
  }
  if (ev.seq.length > 0) {
    await tx.query(
      `INSERT INTO ${s}.events (seq, command_id, body) SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[])`,
      [ev.seq, ev.ids, ev.body],
    );
  }
  return outcomes;
}

async function* readPages<TEvent>(
  db: SqlExecutor,
  s: string,
  afterSeq: number,
  pageSize: number,
  codec: JsonCodec<TEvent>,
): AsyncGenerator<StoredEvent<TEvent>> {
  let cursor = afterSeq;
  for (;;) {
    // Keyset pagination: each page is an index range scan, whatever the log's length.
    const rows = await db.query(
      `SELECT seq, command_id, body FROM ${s}.events WHERE seq > $1 ORDER BY seq LIMIT $2`,
      [cursor, pageSize],
    );
    for (const row of rows) {
      const seq = toSafeInteger(row.seq, "events.seq");
      assertInvariant(seq > cursor, "events are read in ascending seq order");
      cursor = seq;
      yield { seq, commandId: String(row.command_id), event: codec.decode(String(row.body)) };
    }
    if (rows.length < pageSize) return;
  }
}

async function insertSnapshot(
  tx: SqlExecutor,
  s: string,
  seq: number,
  text: string,
  stateHash: string,
  keep: number,
): Promise<void> {
  const last = await lastSeq(tx, s);
  if (seq > last) throw invalidInput("seq", `snapshot at ${seq} is ahead of the log (last seq ${last})`);
  const existing = await tx.query(`SELECT state_hash FROM ${s}.snapshots WHERE seq = $1`, [seq]);
  const previous = existing[0];
  if (previous !== undefined) {
    // Same log prefix, different state: the state machine is not deterministic.
    assertInvariant(
      String(previous.state_hash) === stateHash,
      `snapshot at seq ${seq} already saved with hash ${String(previous.state_hash)}, now ${stateHash}`,
    );
    return;
  }
  await tx.query(`INSERT INTO ${s}.snapshots (seq, state, state_hash) VALUES ($1, $2, $3)`, [
    seq,
    text,
    stateHash,
  ]);
  await tx.query(
    `DELETE FROM ${s}.snapshots WHERE seq < (SELECT min(seq) FROM (SELECT seq FROM ${s}.snapshots ORDER BY seq DESC LIMIT $1) AS kept)`,
    [keep],
  );
}
