import { parentPort, workerData } from "node:worker_threads";
import type { ColumnarBook } from "../../core/hotpath/columnar-book.ts";
import type { HotpathUniverse } from "../../core/hotpath/hotpath-universe.ts";
import type { MarginColumns } from "../../core/hotpath/margin-columns.ts";
import { createRemarginKernel } from "../../core/hotpath/remargin-kernel.ts";
import { streamBookSum } from "../../core/hotpath/stream-sum.ts";
import type { TickTables } from "../../core/hotpath/tick-tables.ts";
import {
  type Black76BatchInputs,
  type Black76BatchOutputs,
  black76Batch,
} from "../../core/pricing/black76-batch.ts";

/*
 * One re-margin worker thread: it owns a kernel (and its scratch) for the universe it was given,
 * and re-margins the shard named in each job over the shared columns, writing results in place.
 * It also prices a shard of an option batch (Black-76 price and Greeks) the same way.
 */

export interface RemarginJob {
  readonly kind: "remargin";
  readonly book: ColumnarBook;
  readonly tables: TickTables;
  readonly out: MarginColumns;
  readonly list: Int32Array | null;
  readonly from: number;
  readonly to: number;
}

export interface OptionsJob {
  readonly kind: "options";
  readonly inputs: Black76BatchInputs;
  readonly outputs: Black76BatchOutputs;
  readonly from: number;
  readonly to: number;
}

/** A plain sum over the book columns a full pass reads (the memory-bound baseline of the bench). */
export interface StreamJob {
  readonly kind: "stream";
  readonly book: ColumnarBook;
  /** Sub-account rows [from, to) and position rows [rowFrom, rowTo). */
  readonly from: number;
  readonly to: number;
  readonly rowFrom: number;
  readonly rowTo: number;
}

function sliceInputs(c: Black76BatchInputs, from: number, to: number): Black76BatchInputs {
  return {
    kind: c.kind.subarray(from, to),
    forward: c.forward.subarray(from, to),
    strike: c.strike.subarray(from, to),
    expiryYears: c.expiryYears.subarray(from, to),
    vol: c.vol.subarray(from, to),
    rate: c.rate.subarray(from, to),
  };
}

function sliceOutputs(c: Black76BatchOutputs, from: number, to: number): Black76BatchOutputs {
  return {
    price: c.price.subarray(from, to),
    delta: c.delta.subarray(from, to),
    gamma: c.gamma.subarray(from, to),
    vega: c.vega.subarray(from, to),
    theta: c.theta.subarray(from, to),
    rho: c.rho.subarray(from, to),
    vanna: c.vanna.subarray(from, to),
    volga: c.volga.subarray(from, to),
  };
}

const kernel = createRemarginKernel(workerData.universe as HotpathUniverse);
parentPort?.on("message", (job: RemarginJob | OptionsJob | StreamJob) => {
  try {
    if (job.kind === "stream") {
      parentPort?.postMessage({
        ok: true,
        value: streamBookSum(job.book, job.from, job.to, job.rowFrom, job.rowTo),
      });
      return;
    }
    if (job.kind === "options")
      black76Batch(sliceInputs(job.inputs, job.from, job.to), sliceOutputs(job.outputs, job.from, job.to));
    else if (job.list === null) kernel.runRange(job.book, job.tables, job.out, job.from, job.to);
    else kernel.runList(job.book, job.tables, job.out, job.list, job.from, job.to);
    parentPort?.postMessage({ ok: true });
  } catch (error) {
    parentPort?.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) });
  }
});
