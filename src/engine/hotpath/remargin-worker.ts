import { parentPort, workerData } from "node:worker_threads";
import type { ColumnarBook } from "../../core/hotpath/columnar-book.ts";
import type { HotpathUniverse } from "../../core/hotpath/hotpath-universe.ts";
import type { MarginColumns } from "../../core/hotpath/margin-columns.ts";
import { createRemarginKernel } from "../../core/hotpath/remargin-kernel.ts";
import type { TickTables } from "../../core/hotpath/tick-tables.ts";

/*
 * One re-margin worker thread: it owns a kernel (and its scratch) for the universe it was given,
 * and re-margins the shard named in each job over the shared columns, writing results in place.
 */

export interface RemarginJob {
  readonly book: ColumnarBook;
  readonly tables: TickTables;
  readonly out: MarginColumns;
  readonly list: Int32Array | null;
  readonly from: number;
  readonly to: number;
}

const kernel = createRemarginKernel(workerData.universe as HotpathUniverse);
parentPort?.on("message", (job: RemarginJob) => {
  try {
    if (job.list === null) kernel.runRange(job.book, job.tables, job.out, job.from, job.to);
    else kernel.runList(job.book, job.tables, job.out, job.list, job.from, job.to);
    parentPort?.postMessage({ ok: true });
  } catch (error) {
    parentPort?.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) });
  }
});
