import type { ColumnarBook } from "./columnar-book.ts";

/*
 * The memory-bound baseline of the hot-path bench: a plain sum over exactly the book columns a
 * full re-margin pass reads (six account columns, three position columns; of the IM multiplier,
 * the one-byte flag, as the pass reads the multiplier itself only where it is set). Its time is
 * what the pass would cost if it did no arithmetic at all.
 */

/** Sums the account columns of [from, to) and the position columns of [rowFrom, rowTo). */
export function streamBookSum(
  book: ColumnarBook,
  from: number,
  to: number,
  rowFrom: number,
  rowTo: number,
): number {
  let s = 0;
  const a32 = book.posStart;
  const c32 = book.posCount;
  const mode = book.mode;
  const ps = book.paramSet;
  const im = book.imMultiplied;
  const col = book.collateral;
  for (let a = from; a < to; a++) s += a32[a]! + c32[a]! + mode[a]! + ps[a]! + im[a]! + col[a]!;
  const ins = book.posInstrument;
  const size = book.posSize;
  const entry = book.posEntryUsd;
  for (let r = rowFrom; r < rowTo; r++) s += ins[r]! + size[r]! + entry[r]!;
  return s;
}
