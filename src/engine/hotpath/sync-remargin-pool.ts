import { MessageChannel, Worker } from "node:worker_threads";
import { MarginalError } from "../../core/errors.ts";
import type { ColumnarBook } from "../../core/hotpath/columnar-book.ts";
import type { HotpathUniverse } from "../../core/hotpath/hotpath-universe.ts";
import type { MarginColumns } from "../../core/hotpath/margin-columns.ts";
import {
  type BlockHook,
  createRemarginKernel,
  type RemarginKernel,
} from "../../core/hotpath/remargin-kernel.ts";
import type { TickTables } from "../../core/hotpath/tick-tables.ts";
import { requireShared } from "./remargin-pool.ts";
import { computeVerdicts, type VerdictColumns } from "./verdicts.ts";

/*
 * A re-margin pool the engine can call synchronously. The engine is a single writer whose
 * `submit` returns its events, so it cannot await a worker; instead the calling thread and the
 * workers share a list of sub-accounts cut into chunks and an atomic chunk counter: every thread
 * takes chunks until none is left (the caller included, so a worker that is not scheduled only
 * costs its share, never a stall), and the caller waits (Atomics.wait) for the chunks taken by
 * others to finish. Every sub-account is computed by the same kernel code from the same shared
 * columns, so results are bit-identical to one thread, whichever thread computed which chunk.
 * Buffers (book, tables, results, list) are re-sent to the workers only when they change
 * (growth), through a MessagePort the workers read synchronously when told to.
 */

/** Sub-accounts per chunk: small enough to balance, large enough to amortise the atomics. */
const CHUNK = 1024;
/** Lists shorter than this are re-margined on the calling thread alone. */
export const SYNC_POOL_MIN_LIST = 4096;

// Control block (Int32Array over a SharedArrayBuffer).
const GENERATION = 0; // bumped per job; workers wait on it
const NEXT_CHUNK = 1; // next chunk to take
const DONE_CHUNKS = 2; // chunks finished
const CHUNKS = 3; // chunks in this job
const COUNT = 4; // list length of this job
const STOP = 5; // 1: workers exit
const FAILED = 6; // 1: a worker threw (its message goes to its stderr)
const GATE = 7; // 1 while the caller writes a job's parameters: workers hold off
const ACTIVE = 8; // workers between passing the gate and going back to wait
const BUFFERS_VERSION = 9; // version of the buffers the current job needs
const CHUNK_SIZE = 10; // sub-accounts per chunk
const READY = 11; // workers started and waiting for work
const VERDICTS = 12; // 1: this job also computes the verdicts of its rows (buffers.verdicts)
const CONTROL_SLOTS = 13;

export interface SyncRemarginPool {
  readonly threads: number;
  /** Chunks of the last pooled run computed by the workers (the rest by the calling thread). */
  lastWorkerChunks: number;
  /**
   * Blocks until every worker has started (up to `timeoutMs`); returns whether they all have.
   * Not needed for correctness: until a worker runs, the calling thread takes its chunks.
   */
  waitReady(timeoutMs: number): boolean;
  /**
   * Re-margins list[0..count) across the calling thread and the workers; returns when done. With
   * `verdicts` (shared columns), each thread also computes the verdicts of the blocks it has
   * just re-margined (verdicts.ts).
   */
  runList(
    book: ColumnarBook,
    tables: TickTables,
    out: MarginColumns,
    list: Int32Array,
    count: number,
    verdicts?: VerdictColumns | null,
  ): void;
  close(): void;
}

interface Buffers {
  book: ColumnarBook;
  tables: TickTables;
  out: MarginColumns;
  list: Int32Array;
  verdicts: VerdictColumns | null;
}

/** Starts `threads − 1` workers (the calling thread is the last one). */
export function createSyncRemarginPool(
  universe: HotpathUniverse,
  threads: number,
  options: { minList?: number; chunk?: number } = {},
): SyncRemarginPool {
  const minList = options.minList ?? SYNC_POOL_MIN_LIST;
  const chunk = options.chunk ?? CHUNK;
  if (!(Number.isInteger(threads) && threads >= 2 && threads <= 64))
    throw new MarginalError("invalid_input", "threads must be an integer in [2, 64]", {
      field: "threads",
    });
  const control = new Int32Array(new SharedArrayBuffer(CONTROL_SLOTS * 4));
  control[CHUNK_SIZE] = chunk;
  const kernel: RemarginKernel = createRemarginKernel(universe);
  const url = new URL("./sync-remargin-worker-entry.mjs", import.meta.url);
  const workers: { worker: Worker; port: import("node:worker_threads").MessagePort }[] = [];
  for (let w = 0; w < threads - 1; w++) {
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(url, {
      workerData: { universe, control, port: port2 },
      transferList: [port2],
    });
    // A worker must never keep the process alive: it only ever waits for work.
    worker.unref();
    port1.unref();
    workers.push({ worker, port: port1 });
  }
  let sent: Buffers | null = null;
  let closed = false;

  function changed(b: Buffers): boolean {
    if (sent === null) return true;
    const x = sent;
    return (
      x.list !== b.list ||
      x.out.results !== b.out.results ||
      x.tables !== b.tables ||
      x.book.posStart !== b.book.posStart ||
      x.book.posInstrument !== b.book.posInstrument ||
      x.book.collateral !== b.book.collateral ||
      x.tables.scenarioDeltaUsd !== b.tables.scenarioDeltaUsd ||
      (b.verdicts !== null && x.verdicts !== b.verdicts)
    );
  }

  const pool: SyncRemarginPool = {
    threads,
    lastWorkerChunks: 0,
    waitReady(timeoutMs) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const ready = Atomics.load(control, READY);
        if (ready >= workers.length) return true;
        const left = until - Date.now();
        if (left <= 0) return false;
        Atomics.wait(control, READY, ready, left);
      }
    },
    runList(book, tables, out, list, count, verdicts = null) {
      if (closed) throw new MarginalError("invariant_violated", "sync re-margin pool is closed");
      const hook = verdicts === null ? null : verdictHook(verdicts, book, out);
      if (count < minList) {
        kernel.runList(book, tables, out, list, 0, count, hook);
        return;
      }
      // The verdict columns last sent stay with the workers while a job needs none.
      const buffers = {
        book: { ...book, ids: [] },
        tables,
        out,
        list,
        verdicts: verdicts ?? sent?.verdicts ?? null,
      };
      if (changed(buffers)) {
        requireShared("book", [book.posStart, book.posInstrument, book.posSize, book.collateral]);
        requireShared("tables", [tables.markUsd, tables.scenarioDeltaUsd]);
        requireShared("out", [out.results, out.liquidatable]);
        requireShared("list", [list]);
        if (verdicts !== null)
          requireShared("verdicts", [verdicts.verdict, verdicts.eligible, verdicts.debt, verdicts.scalars]);
        const version = Atomics.load(control, BUFFERS_VERSION) + 1;
        for (const w of workers) w.port.postMessage({ version, buffers });
        Atomics.store(control, BUFFERS_VERSION, version);
        sent = buffers;
      }
      // Close the gate and let any worker still leaving the previous job go back to waiting, so
      // that no worker reads this job's parameters half-written.
      Atomics.store(control, GATE, 1);
      for (;;) {
        const active = Atomics.load(control, ACTIVE);
        if (active === 0) break;
        Atomics.wait(control, ACTIVE, active, 1000);
      }
      const chunks = Math.ceil(count / chunk);
      Atomics.store(control, COUNT, count);
      Atomics.store(control, VERDICTS, verdicts === null ? 0 : 1);
      Atomics.store(control, CHUNKS, chunks);
      Atomics.store(control, DONE_CHUNKS, 0);
      Atomics.store(control, NEXT_CHUNK, 0);
      Atomics.add(control, GENERATION, 1);
      Atomics.store(control, GATE, 0);
      Atomics.notify(control, GATE);
      Atomics.notify(control, GENERATION);
      let done = 0;
      for (;;) {
        const c = Atomics.add(control, NEXT_CHUNK, 1);
        if (c >= chunks) break;
        const from = c * chunk;
        kernel.runList(book, tables, out, list, from, Math.min(count, from + chunk), hook);
        done++;
      }
      if (done > 0) Atomics.add(control, DONE_CHUNKS, done);
      pool.lastWorkerChunks = chunks - done;
      for (;;) {
        const finished = Atomics.load(control, DONE_CHUNKS);
        if (finished >= chunks) break;
        Atomics.wait(control, DONE_CHUNKS, finished, 1000);
      }
      if (Atomics.load(control, FAILED) === 1)
        throw new MarginalError("invariant_violated", "a sync re-margin worker failed (see its stderr)");
    },
    close() {
      if (closed) return;
      closed = true;
      Atomics.store(control, STOP, 1);
      Atomics.add(control, GENERATION, 1);
      Atomics.store(control, GATE, 0);
      Atomics.notify(control, GATE);
      Atomics.notify(control, GENERATION);
      for (const w of workers) {
        w.port.close();
        void w.worker.terminate();
      }
    },
  };
  return pool;
}

export const SYNC_CONTROL = {
  GENERATION,
  NEXT_CHUNK,
  DONE_CHUNKS,
  CHUNKS,
  COUNT,
  STOP,
  FAILED,
  GATE,
  ACTIVE,
  BUFFERS_VERSION,
  CHUNK_SIZE,
  READY,
  VERDICTS,
};

/** The kernel's block hook that computes the verdicts of each block it has just re-margined. */
export function verdictHook(verdicts: VerdictColumns, book: ColumnarBook, out: MarginColumns): BlockHook {
  return (list, x0, x1) => computeVerdicts(verdicts, book, out, list, x0, x1);
}
