/*
 * Column allocation for the hot path. A column lives either in an ordinary ArrayBuffer or in a
 * SharedArrayBuffer, so that worker threads can read the book and the tick tables and write
 * their share of the results without copying anything.
 */

function buffer(bytes: number, shared: boolean): ArrayBuffer | SharedArrayBuffer {
  return shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
}

/** A zeroed Float64Array of `length` elements (8 bytes each), shared when asked. */
export function float64Column(length: number, shared: boolean): Float64Array {
  return new Float64Array(buffer(length * 8, shared));
}

/** A zeroed Int32Array of `length` elements (4 bytes each), shared when asked. */
export function int32Column(length: number, shared: boolean): Int32Array {
  return new Int32Array(buffer(length * 4, shared));
}

/** A zeroed Uint8Array of `length` elements, shared when asked. */
export function uint8Column(length: number, shared: boolean): Uint8Array {
  return new Uint8Array(buffer(length, shared));
}

/** A zeroed Uint16Array of `length` elements (2 bytes each), shared when asked. */
export function uint16Column(length: number, shared: boolean): Uint16Array {
  return new Uint16Array(buffer(length * 2, shared));
}

/** Whether a column is backed by shared memory. */
export function isSharedColumn(column: ArrayBufferView): boolean {
  return typeof SharedArrayBuffer !== "undefined" && column.buffer instanceof SharedArrayBuffer;
}

/** A longer copy of a column (same element type and sharedness); the tail is zeroed. */
export function growColumn<T extends Float64Array | Int32Array | Uint8Array | Uint16Array>(
  column: T,
  length: number,
): T {
  const shared = isSharedColumn(column);
  const Ctor = column.constructor as new (b: ArrayBuffer | SharedArrayBuffer) => T;
  const bytes = length * column.BYTES_PER_ELEMENT;
  const next = new Ctor(shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  (next as unknown as { set(a: ArrayLike<number>): void }).set(column);
  return next;
}
