/**
 * A Float64Array that grows by doubling, for loading series of unknown length without holding
 * a JavaScript array of boxed numbers. `toArray` trims to the filled length (one copy, once).
 */
export class GrowableColumn {
  private data: Float64Array;
  private filled = 0;

  constructor(initialCapacity = 1024) {
    this.data = new Float64Array(Math.max(1, initialCapacity));
  }

  get length(): number {
    return this.filled;
  }

  push(value: number): void {
    if (this.filled === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.filled++] = value;
  }

  /** A trimmed copy; the builder's buffer is released so only one copy stays alive. */
  toArray(): Float64Array {
    const out = this.data.slice(0, this.filled);
    this.data = new Float64Array(1);
    this.filled = 0;
    return out;
  }
}
