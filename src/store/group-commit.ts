import { assertInvariant, MarginalError } from "../core/errors.ts";

export interface GroupCommitOptions {
  /** Most items per commit. */
  readonly maxBatchItems: number;
  /** Most bytes per commit (an item larger than this still commits, alone). */
  readonly maxBatchBytes: number;
  /** How long the first item of an idle queue waits for others before committing, ms. */
  readonly maxWaitMs: number;
  /** Items waiting (not yet in a commit); one more is refused. */
  readonly maxQueueLength: number;
}

export interface GroupCommitStats {
  /** Commits started (one transaction each for the store). */
  readonly commits: number;
  /** Items committed or failed. */
  readonly items: number;
  /** The largest batch so far. */
  readonly largestBatch: number;
  /** Items waiting now. */
  readonly queued: number;
}

interface Pending<TItem, TOutcome> {
  readonly item: TItem;
  readonly sizeBytes: number;
  readonly resolve: (outcome: TOutcome) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit: callers submit items concurrently, one writer commits them in batches, and each
 * caller's promise settles only after the commit that held its item. While one commit is in
 * flight the next batch accumulates, so under load the number of commits grows with the load's
 * duration, not with its size. Items commit in submission order. A failed commit rejects every
 * caller in its batch and nothing else. The queue is bounded: a submission beyond
 * `maxQueueLength` is refused at once (back-pressure) instead of growing memory and latency.
 */
export class GroupCommitter<TItem, TOutcome> {
  readonly #commit: (items: readonly TItem[]) => Promise<readonly TOutcome[]>;
  readonly #options: GroupCommitOptions;
  #queue: Pending<TItem, TOutcome>[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running: Promise<void> | undefined;
  #closed = false;
  #commits = 0;
  #items = 0;
  #largestBatch = 0;

  constructor(
    commit: (items: readonly TItem[]) => Promise<readonly TOutcome[]>,
    options: GroupCommitOptions,
  ) {
    this.#commit = commit;
    this.#options = options;
  }

  /** Queues `item` (of `sizeBytes` bytes) and resolves with its outcome once committed. */
  submit(item: TItem, sizeBytes: number): Promise<TOutcome> {
    if (this.#closed) return Promise.reject(new MarginalError("conflict", "the store is closed"));
    if (this.#queue.length >= this.#options.maxQueueLength) {
      return Promise.reject(
        new MarginalError("conflict", "append queue is full; retry later", {
          field: "append",
          details: { reason: "queue_full", maxQueueLength: this.#options.maxQueueLength },
        }),
      );
    }
    return new Promise<TOutcome>((resolve, reject) => {
      this.#queue.push({ item, sizeBytes, resolve, reject });
      this.#schedule();
    });
  }

  get stats(): GroupCommitStats {
    return {
      commits: this.#commits,
      items: this.#items,
      largestBatch: this.#largestBatch,
      queued: this.#queue.length,
    };
  }

  /** Refuses new items and resolves when everything already queued has been committed. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
      this.#start();
    }
    while (this.#running !== undefined || this.#queue.length > 0) {
      this.#start();
      await this.#running;
    }
  }

  #schedule(): void {
    if (this.#running !== undefined) return; // the running loop picks the item up
    if (this.#closed || this.#queue.length >= this.#options.maxBatchItems || this.#options.maxWaitMs === 0) {
      if (this.#timer !== undefined) clearTimeout(this.#timer);
      this.#timer = undefined;
      this.#start();
    } else if (this.#timer === undefined) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#start();
      }, this.#options.maxWaitMs);
    }
  }

  #start(): void {
    if (this.#running !== undefined) return;
    this.#running = this.#drain().finally(() => {
      this.#running = undefined;
      // An item submitted after the loop's last check but before this callback would
      // otherwise wait for the next submission.
      if (this.#queue.length > 0) this.#schedule();
    });
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#take();
      this.#commits += 1;
      this.#items += batch.length;
      this.#largestBatch = Math.max(this.#largestBatch, batch.length);
      try {
        const outcomes = await this.#commit(batch.map((p) => p.item));
        assertInvariant(outcomes.length === batch.length, "commit returned one outcome per item");
        for (let i = 0; i < batch.length; i++) batch[i]?.resolve(outcomes[i] as TOutcome);
      } catch (error) {
        for (const p of batch) p.reject(error);
      }
    }
  }

  #take(): Pending<TItem, TOutcome>[] {
    let count = 0;
    let bytes = 0;
    for (const p of this.#queue) {
      if (count >= this.#options.maxBatchItems) break;
      if (count > 0 && bytes + p.sizeBytes > this.#options.maxBatchBytes) break;
      count += 1;
      bytes += p.sizeBytes;
    }
    return this.#queue.splice(0, count);
  }
}
