/*
 * A trailing throttle for redraws: however often `trigger` is called, `fn` runs at most once per
 * `intervalMs`, and a call during the quiet period is not lost but runs at its end. The clock and
 * the timer come in as arguments so that tests drive them.
 */

export interface Scheduler {
  nowMs(): number;
  /** Runs `fn` after `delayMs`; returns a cancel function. */
  after(delayMs: number, fn: () => void): () => void;
}

export const browserScheduler: Scheduler = {
  nowMs: () => performance.now(),
  after(delayMs, fn) {
    const id = setTimeout(fn, delayMs);
    return () => clearTimeout(id);
  },
};

export interface Throttled {
  trigger(): void;
  cancel(): void;
}

/** Wraps `fn` so that it runs at most once per `intervalMs` (ms), trailing calls included. */
export function createThrottle(
  fn: () => void,
  intervalMs: number,
  scheduler: Scheduler = browserScheduler,
): Throttled {
  let lastRunMs = Number.NEGATIVE_INFINITY;
  let cancelPending: (() => void) | null = null;
  const run = () => {
    cancelPending = null;
    lastRunMs = scheduler.nowMs();
    fn();
  };
  return {
    trigger() {
      if (cancelPending !== null) return;
      const waitMs = lastRunMs + intervalMs - scheduler.nowMs();
      if (waitMs <= 0) run();
      else cancelPending = scheduler.after(waitMs, run);
    },
    cancel() {
      cancelPending?.();
      cancelPending = null;
    },
  };
}
