import { Worker } from "node:worker_threads";
import { MarginalError } from "../../core/errors.ts";
import type { ColumnarBook } from "../../core/hotpath/columnar-book.ts";
import type { HotpathUniverse } from "../../core/hotpath/hotpath-universe.ts";
import type { MarginColumns } from "../../core/hotpath/margin-columns.ts";
import type { TickTables } from "../../core/hotpath/tick-tables.ts";
import { isSharedColumn } from "../../core/hotpath/typed-columns.ts";
import type { Black76BatchInputs, Black76BatchOutputs } from "../../core/pricing/black76-batch.ts";
import type { OptionsJob, RemarginJob, StreamJob } from "./remargin-worker.ts";

/*
 * Re-margin across cores: worker threads that read the book and the tick tables from shared
 * memory and write their shard of the result columns in place. Sub-accounts are sharded by dense
 * index (the engine's id order of opening) into contiguous ranges, one per worker, so every
 * sub-account is computed by exactly one thread with the same kernel as the single-threaded
 * path: results are bit-identical. The workers run TypeScript through the tsx loader (no build
 * step): a small .mjs entry registers it inside each worker, since workers do not inherit it.
 */

/** Most worker threads one pool may start. */
export const MAX_REMARGIN_THREADS = 64;

export interface RemarginPool {
  readonly threads: number;
  /** Re-margins every sub-account of the book. Book, tables and out must be shared. */
  runFull(book: ColumnarBook, tables: TickTables, out: MarginColumns): Promise<void>;
  /** Re-margins list[0..count) (dense indices; `list` must be shared). */
  runList(
    book: ColumnarBook,
    tables: TickTables,
    out: MarginColumns,
    list: Int32Array,
    count: number,
  ): Promise<void>;
  /** Black-76 price and Greeks of a batch, sharded across the workers (columns must be shared). */
  priceOptions(inputs: Black76BatchInputs, outputs: Black76BatchOutputs): Promise<void>;
  /**
   * The memory-bound baseline of the bench on the pool: every worker sums its share of the
   * columns a full pass reads (accounts [0, subaccountCount), position rows [0, rows)).
   */
  streamSum(book: ColumnarBook, rows: number): Promise<number>;
  close(): Promise<void>;
}

interface WorkerSlot {
  readonly worker: Worker;
  pending: { resolve: (value: number) => void; reject: (e: Error) => void } | null;
}

/** Throws a clear error unless every column lives in shared memory (workers read them in place). */
export function requireShared(what: string, columns: readonly ArrayBufferView[]): void {
  for (const c of columns)
    if (!isSharedColumn(c))
      throw new MarginalError("invalid_input", `${what} must be allocated in shared memory`);
}

/** The columns of a book without its id list (the workers never need the ids). */
function bookColumns(book: ColumnarBook): ColumnarBook {
  return { ...book, ids: [] };
}

/** Starts `threads` workers for a universe (resolves once they are all ready to take jobs). */
export async function createRemarginPool(universe: HotpathUniverse, threads: number): Promise<RemarginPool> {
  if (!(Number.isInteger(threads) && threads >= 1 && threads <= MAX_REMARGIN_THREADS))
    throw new MarginalError("invalid_input", `threads must be an integer in [1, ${MAX_REMARGIN_THREADS}]`, {
      field: "threads",
    });
  const url = new URL("./remargin-worker-entry.mjs", import.meta.url);
  const slots: WorkerSlot[] = [];
  for (let w = 0; w < threads; w++) {
    const worker = new Worker(url, { workerData: { universe } });
    const slot: WorkerSlot = { worker, pending: null };
    worker.on("message", (m: { ok: boolean; message?: string; value?: number }) => {
      const p = slot.pending;
      slot.pending = null;
      if (p === null) return;
      if (m.ok) p.resolve(m.value ?? 0);
      else p.reject(new MarginalError("invariant_violated", `re-margin worker failed: ${m.message}`));
    });
    worker.on("error", (e) => {
      const p = slot.pending;
      slot.pending = null;
      p?.reject(e);
    });
    slots.push(slot);
  }
  await Promise.all(
    slots.map((s) => new Promise<void>((resolve) => s.worker.once("online", () => resolve()))),
  );

  function postFor(slot: WorkerSlot, job: RemarginJob | OptionsJob | StreamJob): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      slot.pending = { resolve, reject };
      slot.worker.postMessage(job);
    });
  }

  function post(slot: WorkerSlot, job: RemarginJob | OptionsJob): Promise<void> {
    return postFor(slot, job).then(() => undefined);
  }

  function shards(count: number, run: (slot: WorkerSlot, from: number, to: number) => Promise<void>) {
    const per = Math.ceil(count / slots.length);
    const jobs: Promise<void>[] = [];
    slots.forEach((slot, w) => {
      const from = Math.min(count, w * per);
      const to = Math.min(count, from + per);
      if (to > from) jobs.push(run(slot, from, to));
    });
    return Promise.all(jobs).then(() => undefined);
  }

  function check(book: ColumnarBook, tables: TickTables, out: MarginColumns): void {
    requireShared("book", [book.posStart, book.posInstrument, book.collateral]);
    requireShared("tables", [tables.markUsd, tables.scenarioDeltaUsd]);
    requireShared("out", [out.results, out.liquidatable]);
  }

  return {
    threads,
    runFull(book, tables, out) {
      check(book, tables, out);
      const b = bookColumns(book);
      return shards(book.subaccountCount, (slot, from, to) =>
        post(slot, { kind: "remargin", book: b, tables, out, list: null, from, to }),
      );
    },
    runList(book, tables, out, list, count) {
      check(book, tables, out);
      requireShared("list", [list]);
      const b = bookColumns(book);
      return shards(count, (slot, from, to) =>
        post(slot, { kind: "remargin", book: b, tables, out, list, from, to }),
      );
    },
    priceOptions(inputs, outputs) {
      requireShared("option inputs", Object.values(inputs));
      requireShared("option outputs", Object.values(outputs));
      return shards(inputs.kind.length, (slot, from, to) =>
        post(slot, { kind: "options", inputs, outputs, from, to }),
      );
    },
    async streamSum(book, rows) {
      requireShared("book", [book.posStart, book.posInstrument, book.collateral]);
      const b = bookColumns(book);
      const n = book.subaccountCount;
      const per = Math.ceil(n / slots.length);
      const perRow = Math.ceil(rows / slots.length);
      const sums = await Promise.all(
        slots.map((slot, w) =>
          postFor(slot, {
            kind: "stream",
            book: b,
            from: Math.min(n, w * per),
            to: Math.min(n, (w + 1) * per),
            rowFrom: Math.min(rows, w * perRow),
            rowTo: Math.min(rows, (w + 1) * perRow),
          }),
        ),
      );
      return sums.reduce((x, y) => x + y, 0);
    },
    async close() {
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
