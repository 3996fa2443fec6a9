import { type MessagePort, receiveMessageOnPort, workerData } from "node:worker_threads";
import type { ColumnarBook } from "../../core/hotpath/columnar-book.ts";
import type { HotpathUniverse } from "../../core/hotpath/hotpath-universe.ts";
import type { MarginColumns } from "../../core/hotpath/margin-columns.ts";
import { createRemarginKernel } from "../../core/hotpath/remargin-kernel.ts";
import type { TickTables } from "../../core/hotpath/tick-tables.ts";
import { SYNC_CONTROL as C, verdictHook } from "./sync-remargin-pool.ts";
import type { VerdictColumns } from "./verdicts.ts";

/*
 * One worker of the synchronous re-margin pool (sync-remargin-pool.ts): it sleeps on the job
 * generation, passes the gate, takes chunks of the shared list until none is left, counts them
 * done, and sleeps again. New buffers arrive on its port, read synchronously when flagged.
 */

interface Buffers {
  book: ColumnarBook;
  tables: TickTables;
  out: MarginColumns;
  list: Int32Array;
  verdicts: VerdictColumns | null;
}

const control = workerData.control as Int32Array;
const port = workerData.port as MessagePort;
const kernel = createRemarginKernel(workerData.universe as HotpathUniverse);
let buffers: Buffers | null = null;
let version = 0;
let seen = Atomics.load(control, C.GENERATION);
Atomics.add(control, C.READY, 1);
Atomics.notify(control, C.READY);

for (;;) {
  Atomics.wait(control, C.GENERATION, seen);
  if (Atomics.load(control, C.STOP) === 1) break;
  // Wait while the caller writes parameters, then announce ourselves; re-check the gate (the
  // caller may have closed it between our check and our announcement).
  for (;;) {
    if (Atomics.load(control, C.GATE) === 1) {
      Atomics.wait(control, C.GATE, 1, 1000);
      continue;
    }
    Atomics.add(control, C.ACTIVE, 1);
    if (Atomics.load(control, C.GATE) === 0) break;
    Atomics.sub(control, C.ACTIVE, 1);
    Atomics.notify(control, C.ACTIVE);
  }
  seen = Atomics.load(control, C.GENERATION);
  if (Atomics.load(control, C.STOP) === 1) break;
  // The buffers this job needs: posted before the job started, so they are in the port's queue
  // or about to be (a message may take a moment to cross threads).
  const wanted = Atomics.load(control, C.BUFFERS_VERSION);
  while (version !== wanted) {
    const m = receiveMessageOnPort(port);
    if (m === undefined) {
      Atomics.wait(control, C.STOP, 0, 0.05);
      continue;
    }
    const message = m.message as { version: number; buffers: Buffers };
    version = message.version;
    buffers = message.buffers;
  }
  const count = Atomics.load(control, C.COUNT);
  const chunks = Atomics.load(control, C.CHUNKS);
  const size = Atomics.load(control, C.CHUNK_SIZE);
  const withVerdicts = Atomics.load(control, C.VERDICTS) === 1;
  let done = 0;
  try {
    if (buffers !== null) {
      const hook =
        withVerdicts && buffers.verdicts !== null
          ? verdictHook(buffers.verdicts, buffers.book, buffers.out)
          : null;
      if (withVerdicts && hook === null) throw new Error("a verdict job without verdict columns");
      for (;;) {
        const c = Atomics.add(control, C.NEXT_CHUNK, 1);
        if (c >= chunks) break;
        const from = c * size;
        kernel.runList(
          buffers.book,
          buffers.tables,
          buffers.out,
          buffers.list,
          from,
          Math.min(count, from + size),
          hook,
        );
        done++;
      }
    }
  } catch (error) {
    Atomics.store(control, C.FAILED, 1);
    process.stderr.write(`sync re-margin worker: ${error instanceof Error ? error.stack : String(error)}\n`);
    // Count the failed chunk done so that the caller does not wait for it forever.
    done++;
  }
  if (done > 0) {
    Atomics.add(control, C.DONE_CHUNKS, done);
    Atomics.notify(control, C.DONE_CHUNKS);
  }
  Atomics.sub(control, C.ACTIVE, 1);
  Atomics.notify(control, C.ACTIVE);
}
