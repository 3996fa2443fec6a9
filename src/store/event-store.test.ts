import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MarginalError } from "../core/errors.ts";
import { createEventStore, type EventStore } from "./event-store.ts";
import { jsonCodec } from "./json-codec.ts";
import { MIGRATIONS } from "./migrations.ts";
import { openStore } from "./open-store.ts";
import { runMigrations } from "./run-migrations.ts";
import type { SqlBackend } from "./sql-backend.ts";
import {
  freshSchema,
  openTarget,
  type StoreTarget,
  TARGET_KINDS,
  targetUnavailableReason,
} from "./test-support/store-targets.ts";

interface Deposit {
  readonly account: string;
  readonly amountMicroUsd: bigint;
}
interface Deposited {
  readonly account: string;
  readonly amountMicroUsd: bigint;
  readonly balanceMicroUsd: bigint;
}
interface Ack {
  readonly balanceMicroUsd: bigint;
}
const BIGINTS = ["amountMicroUsd", "balanceMicroUsd"];
const codecs = {
  command: jsonCodec<Deposit>({ bigintKeys: BIGINTS }),
  event: jsonCodec<Deposited>({ bigintKeys: BIGINTS }),
  result: jsonCodec<Ack>({ bigintKeys: BIGINTS }),
};
type Store = EventStore<Deposit, Deposited, unknown, Ack>;

function deposit(commandId: string, amountMicroUsd: bigint, events = 1) {
  return {
    commandId,
    command: { account: "alice", amountMicroUsd },
    events: Array.from({ length: events }, (_, i) => ({
      account: "alice",
      amountMicroUsd,
      balanceMicroUsd: amountMicroUsd * BigInt(i + 1),
    })),
    result: { balanceMicroUsd: amountMicroUsd },
  };
}

async function readAll(store: Store) {
  const out = [];
  for await (const e of store.readEvents(0, { pageSize: 3 })) out.push(e);
  return out;
}

for (const kind of TARGET_KINDS) {
  const unavailable = targetUnavailableReason(kind);
  if (unavailable !== undefined) {
    console.warn(`\n*** event-store suite on ${kind} DID NOT RUN: ${unavailable} ***\n`);
  }
  describe.skipIf(unavailable !== undefined)(`event store on ${kind}`, () => {
    let target: StoreTarget;
    const opened: SqlBackend[] = [];
    beforeAll(async () => {
      target = await openTarget(kind);
    });
    afterAll(async () => {
      for (const b of opened) await b.close();
      await target?.dispose();
    });
    async function open(schema: string, limits = {}): Promise<Store> {
      const backend = await target.connect();
      opened.push(backend);
      return openStore<Deposit, Deposited, unknown, Ack>({ backend, schema, codecs, limits });
    }

    it("migrates a fresh schema to the newest version, and re-opening applies nothing", async () => {
      const backend = await target.connect();
      opened.push(backend);
      const schema = freshSchema();
      const first = await runMigrations(backend, schema);
      expect(first).toEqual({ applied: [1, 2], version: 2 });
      const again = await runMigrations(backend, schema);
      expect(again).toEqual({ applied: [], version: 2 });
      // A build that knows only migration 1 applies it to a fresh schema and stops there.
      const older = freshSchema();
      expect(await runMigrations(backend, older, MIGRATIONS.slice(0, 1))).toEqual({
        applied: [1],
        version: 1,
      });
      expect(await runMigrations(backend, older)).toEqual({ applied: [2], version: 2 });
    });

    it("refuses a database migrated by a newer build", async () => {
      const backend = await target.connect();
      opened.push(backend);
      const schema = freshSchema();
      await runMigrations(backend, schema);
      await backend.query(`INSERT INTO ${schema}.schema_migrations (version, name) VALUES (99, 'future')`);
      await expect(runMigrations(backend, schema)).rejects.toThrow(/version 99 is newer/);
    });

    it("round-trips commands, events and results with bigints beyond 2^53", async () => {
      const store = await open(freshSchema());
      const big = 2n ** 63n - 1n; // the largest int8, far beyond a float's exact range
      const outcome = await store.append(deposit("c-1", big, 2));
      expect(outcome).toEqual({
        status: "appended",
        commandId: "c-1",
        firstSeq: 1,
        eventCount: 2,
        result: { balanceMicroUsd: big },
      });
      const events = await readAll(store);
      expect(events.map((e) => e.seq)).toEqual([1, 2]);
      expect(events[1]?.event).toEqual({ account: "alice", amountMicroUsd: big, balanceMicroUsd: big * 2n });
      expect(await store.getCommand("c-1")).toEqual({
        commandId: "c-1",
        command: { account: "alice", amountMicroUsd: big },
        result: { balanceMicroUsd: big },
        firstSeq: 1,
        eventCount: 2,
      });
      expect(await store.getCommand("nope")).toBeUndefined();
      await store.close();
    });

    it("round-trips text that array literals must escape (quotes, backslashes, braces, NULL, emoji)", async () => {
      const store = await open(freshSchema());
      const nasty = ["NULL", "null", '"quoted"', "back\\slash", "{braces},commas", "é😀", "", " padded "];
      const outcome = await store.append({
        commandId: "nasty",
        command: { account: "NULL", amountMicroUsd: 1n },
        events: nasty.map((account) => ({ account, amountMicroUsd: 1n, balanceMicroUsd: 1n })),
        result: { balanceMicroUsd: 1n },
      });
      expect(outcome.eventCount).toBe(nasty.length);
      expect((await readAll(store)).map((e) => e.event.account)).toEqual(nasty);
      expect((await store.getCommand("nasty"))?.command.account).toBe("NULL");
      await store.close();
    });

    it("answers a repeated command id with the stored result and writes nothing", async () => {
      const store = await open(freshSchema());
      await store.append(deposit("dup", 5n, 3));
      const again = await store.append(deposit("dup", 7n, 1));
      expect(again).toEqual({
        status: "duplicate",
        commandId: "dup",
        firstSeq: 1,
        eventCount: 3,
        result: { balanceMicroUsd: 5n },
        sameCommand: false, // 7 is not the stored command's amount
      });
      const same = await store.append(deposit("dup", 5n, 3));
      expect(same.status === "duplicate" && same.sameCommand).toBe(true);
      expect(await store.lastSeq()).toBe(3);
      // Two appends with one id inside the same group commit: one write, one duplicate.
      const [a, b] = await Promise.all([
        store.append(deposit("twin", 1n)),
        store.append(deposit("twin", 2n)),
      ]);
      expect([a.status, b.status]).toEqual(["appended", "duplicate"]);
      expect(b.result).toEqual({ balanceMicroUsd: 1n });
      expect(await store.lastSeq()).toBe(4);
      await store.close();
    });

    it("group-commits concurrent appends: fewer transactions than appends, order = seq order", async () => {
      const store = await open(freshSchema(), { maxBatchCommands: 64 });
      const n = 300;
      const outcomes = await Promise.all(
        Array.from({ length: n }, (_, i) => store.append(deposit(`g-${i}`, BigInt(i + 1), 1 + (i % 3)))),
      );
      expect(outcomes.every((o) => o.status === "appended")).toBe(true);
      const stats = store.stats();
      // 300 appends in at most 64 per transaction: at least 5 transactions, far fewer than 300.
      expect(stats.transactions).toBeGreaterThanOrEqual(5);
      expect(stats.transactions).toBeLessThan(n / 10);
      expect(stats.largestBatch).toBeLessThanOrEqual(64);
      // Submission order is sequence order, and the ranges tile 1..total without a gap.
      let next = 1;
      for (const o of outcomes) {
        expect(o.firstSeq).toBe(next);
        next += o.eventCount;
      }
      const events = await readAll(store);
      expect(events.length).toBe(next - 1);
      expect(events.every((e, i) => e.seq === i + 1)).toBe(true);
      await store.close();
    });

    it("applies back-pressure: a full queue rejects at once with a clear error", async () => {
      const store = await open(freshSchema(), {
        maxQueueLength: 10,
        maxBatchCommands: 100,
        maxBatchWaitMs: 50,
      });
      const results = await Promise.allSettled(
        Array.from({ length: 25 }, (_, i) => store.append(deposit(`bp-${i}`, 1n))),
      );
      const rejected = results.filter((r) => r.status === "rejected");
      const fulfilled = results.filter((r) => r.status === "fulfilled");
      // The timer holds the first batch for 50 ms, so exactly the first 10 are queued.
      expect(fulfilled.length).toBe(10);
      expect(rejected.length).toBe(15);
      const reason = (rejected[0] as PromiseRejectedResult).reason;
      expect(reason).toBeInstanceOf(MarginalError);
      expect((reason as MarginalError).details).toEqual({ reason: "queue_full", maxQueueLength: 10 });
      expect(await store.lastSeq()).toBe(10);
      await store.close();
    });

    it("refuses records over the limits before queueing, without failing their neighbours", async () => {
      const store = await open(freshSchema(), { maxRecordBytes: 200, maxEventsPerCommand: 2 });
      const tooBig = { ...deposit("big", 1n), command: { account: "x".repeat(300), amountMicroUsd: 1n } };
      const [ok, big, many, badId] = await Promise.allSettled([
        store.append(deposit("fine", 1n)),
        store.append(tooBig),
        store.append(deposit("many", 1n, 3)),
        store.append(deposit("has space", 1n)),
      ]);
      expect(ok.status).toBe("fulfilled");
      expect(big.status === "rejected" && String(big.reason)).toMatch(/^MarginalError: command: \d+ bytes/);
      expect(many.status === "rejected" && String(many.reason)).toMatch(/events: 3 events, more than 2/);
      expect(badId.status === "rejected" && String(badId.reason)).toMatch(/commandId/);
      expect(await store.lastSeq()).toBe(1);
      await store.close();
    });

    it("rejects a float amount in the log instead of reading it as a bigint", async () => {
      const backend = await target.connect();
      opened.push(backend);
      const schema = freshSchema();
      await runMigrations(backend, schema);
      await backend.query(`INSERT INTO ${schema}.commands (command_id, first_seq, event_count, command, result)
        VALUES ('x', 1, 1, '{}', '{}')`);
      await backend.query(`INSERT INTO ${schema}.events (seq, command_id, body)
        VALUES (1, 'x', '{"account":"a","amountMicroUsd":1.5,"balanceMicroUsd":"1"}')`);
      const store = createEventStore<Deposit, Deposited, unknown, Ack>(backend, { schema, codecs });
      await expect(readAll(store)).rejects.toThrow(/amountMicroUsd: expected an integer/);
      await store.close();
    });

    it("keeps the newest snapshots, refuses one ahead of the log, and catches a hash mismatch", async () => {
      const schema = freshSchema();
      const store = await open(schema, { maxSnapshotsKept: 2 });
      expect(await store.latestSnapshot()).toBeUndefined();
      for (let i = 1; i <= 4; i++) await store.append(deposit(`s-${i}`, 1n));
      await store.saveSnapshot(0, { n: 0 }, "h0");
      await store.saveSnapshot(2, { n: 2 }, "h2");
      await store.saveSnapshot(4, { n: 4 }, "h4");
      await store.saveSnapshot(4, { n: 4 }, "h4"); // the same snapshot again is a no-op
      expect(await store.latestSnapshot()).toEqual({ seq: 4, state: { n: 4 }, stateHash: "h4" });
      await expect(store.saveSnapshot(5, {}, "h5")).rejects.toThrow(/ahead of the log/);
      await expect(store.saveSnapshot(4, { n: 4 }, "other")).rejects.toThrow(/already saved with hash h4/);
      const backend = await target.connect();
      opened.push(backend);
      const kept = await backend.query(`SELECT seq FROM ${schema}.snapshots ORDER BY seq`);
      expect(kept.map((r) => Number(r.seq))).toEqual([2, 4]);
      await store.close();
      await expect(store.append(deposit("late", 1n))).rejects.toThrow(/closed/);
    });

    it("lets two stores (two processes) migrate and append to one schema without a gap", async () => {
      const schema = freshSchema();
      // Both open at once: the advisory lock serialises the migrations.
      const [a, b] = await Promise.all([open(schema), open(schema)]);
      const outcomes = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          (i % 2 === 0 ? a : b).append(deposit(`two-${i}`, 1n, 1 + (i % 3))),
        ),
      );
      // Each store batches its own appends; the writer lock makes their transactions take turns,
      // so the ranges they were given tile 1..total with no overlap and no gap.
      const ranges = outcomes.map((o) => [o.firstSeq, o.eventCount] as const).sort((x, y) => x[0] - y[0]);
      let next = 1;
      for (const [firstSeq, eventCount] of ranges) {
        expect(firstSeq).toBe(next);
        next += eventCount;
      }
      expect(await a.lastSeq()).toBe(next - 1);
      await a.close();
      await b.close();
    });

    it("re-opens an existing log and continues its sequence", async () => {
      const schema = freshSchema();
      const first = await open(schema);
      await first.append(deposit("r-1", 1n, 2));
      await first.close();
      const second = await open(schema);
      expect(await second.lastSeq()).toBe(2);
      const next = await second.append(deposit("r-2", 1n));
      expect(next.firstSeq).toBe(3);
      expect((await second.append(deposit("r-1", 1n, 2))).status).toBe("duplicate");
      await second.close();
    });
  });
}
