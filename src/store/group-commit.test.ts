import { describe, expect, it } from "vitest";
import type { MarginalError } from "../core/errors.ts";
import { type GroupCommitOptions, GroupCommitter } from "./group-commit.ts";

const OPTIONS: GroupCommitOptions = {
  maxBatchItems: 8,
  maxBatchBytes: 1_000,
  maxWaitMs: 1,
  maxQueueLength: 100,
};

/** A fake database: records each batch, takes `delayMs` per commit, fails batches containing `poison`. */
function fakeCommit(delayMs = 5, poison = -1) {
  const batches: number[][] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const commit = async (items: readonly number[]) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((r) => setTimeout(r, delayMs));
    inFlight -= 1;
    batches.push([...items]);
    if (items.includes(poison)) throw new Error("disk on fire");
    return items.map((i) => i * 10);
  };
  return { commit, batches, maxInFlight: () => maxInFlight };
}

describe("GroupCommitter", () => {
  it("commits concurrent items in few batches, in order, one commit at a time", async () => {
    const db = fakeCommit();
    const gc = new GroupCommitter(db.commit, OPTIONS);
    const outcomes = await Promise.all(Array.from({ length: 50 }, (_, i) => gc.submit(i, 10)));
    expect(outcomes).toEqual(Array.from({ length: 50 }, (_, i) => i * 10));
    // 50 items, at most 8 per batch: at least ceil(50/8) = 7 commits, and nothing like 50.
    expect(db.batches.length).toBeGreaterThanOrEqual(7);
    expect(db.batches.length).toBeLessThanOrEqual(10);
    expect(db.batches.flat()).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(Math.max(...db.batches.map((b) => b.length))).toBeLessThanOrEqual(8);
    expect(db.maxInFlight()).toBe(1);
    expect(gc.stats).toEqual({ commits: db.batches.length, items: 50, largestBatch: 8, queued: 0 });
  });

  it("resolves a caller only after the commit holding its item", async () => {
    let release: () => void = () => {};
    const gc = new GroupCommitter<number, number>(
      (items) => new Promise((r) => (release = () => r(items.map((i) => i)))),
      { ...OPTIONS, maxWaitMs: 0 },
    );
    let settled = false;
    const p = gc.submit(1, 1).then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(settled).toBe(false);
    release();
    await p;
    expect(settled).toBe(true);
  });

  it("splits batches on bytes; an item bigger than the byte budget commits alone", async () => {
    const db = fakeCommit(1);
    const gc = new GroupCommitter(db.commit, { ...OPTIONS, maxBatchBytes: 100 });
    await Promise.all([
      gc.submit(1, 40),
      gc.submit(2, 40),
      gc.submit(3, 40),
      gc.submit(4, 500),
      gc.submit(5, 10),
    ]);
    // 40+40 fits, +40 would be 120 > 100; 40 then 500 would exceed; 500 alone; then 10.
    expect(db.batches).toEqual([[1, 2], [3], [4], [5]]);
  });

  it("rejects every item of a failed commit and only those", async () => {
    const db = fakeCommit(1, 3);
    const gc = new GroupCommitter(db.commit, { ...OPTIONS, maxBatchItems: 2 });
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map((i) => gc.submit(i, 1)));
    expect(results.map((r) => r.status)).toEqual([
      "fulfilled",
      "fulfilled",
      "rejected",
      "rejected",
      "fulfilled",
    ]);
  });

  it("refuses a submission beyond the queue length with a queue_full error", async () => {
    const db = fakeCommit(1);
    const gc = new GroupCommitter(db.commit, { ...OPTIONS, maxQueueLength: 3, maxWaitMs: 20 });
    const results = await Promise.allSettled([1, 2, 3, 4].map((i) => gc.submit(i, 1)));
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "fulfilled", "rejected"]);
    const error = (results[3] as PromiseRejectedResult).reason as MarginalError;
    expect(error.details).toEqual({ reason: "queue_full", maxQueueLength: 3 });
    // The queue drained; there is room again.
    await expect(gc.submit(9, 1)).resolves.toBe(90);
  });

  it("close() commits what is queued, then refuses new items", async () => {
    const db = fakeCommit(2);
    const gc = new GroupCommitter(db.commit, { ...OPTIONS, maxWaitMs: 500 });
    const pending = [gc.submit(1, 1), gc.submit(2, 1)];
    await gc.close(); // does not wait out the 500 ms timer
    await expect(Promise.all(pending)).resolves.toEqual([10, 20]);
    await expect(gc.submit(3, 1)).rejects.toThrow(/closed/);
  });

  it("does not strand an item submitted while the last commit is finishing", async () => {
    const db = fakeCommit(0);
    const gc = new GroupCommitter(db.commit, { ...OPTIONS, maxWaitMs: 0 });
    const first = gc.submit(1, 1);
    await first;
    // Submitted in the microtask gap between the drain loop's end and its cleanup.
    const second = gc.submit(2, 1);
    await expect(second).resolves.toBe(20);
  });
});
