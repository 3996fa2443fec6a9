import { describe, expect, it } from "vitest";
import { createThrottle, type Scheduler } from "../../web/src/lib/throttle.ts";

/** A fake clock with a timer queue, advanced by hand. */
function fakeScheduler() {
  let now = 0;
  let timers: { at: number; fn: () => void }[] = [];
  const scheduler: Scheduler = {
    nowMs: () => now,
    after(delayMs, fn) {
      const t = { at: now + delayMs, fn };
      timers.push(t);
      return () => {
        timers = timers.filter((x) => x !== t);
      };
    },
  };
  const advance = (ms: number) => {
    const end = now + ms;
    for (;;) {
      const due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (due === undefined) break;
      timers = timers.filter((t) => t !== due);
      now = due.at;
      due.fn();
    }
    now = end;
  };
  return { scheduler, advance };
}

describe("throttle", () => {
  it("runs at most twice a second at 500 ms, and never loses the last trigger", () => {
    const { scheduler, advance } = fakeScheduler();
    const runs: number[] = [];
    const t = createThrottle(() => runs.push(scheduler.nowMs()), 500, scheduler);
    // 100 triggers over one second (every 10 ms), like a fast price feed.
    for (let i = 0; i < 100; i += 1) {
      t.trigger();
      advance(10);
    }
    advance(1000);
    // Leading run at 0, then trailing runs at 500 and 1000: three runs for 1 s of triggers.
    expect(runs).toEqual([0, 500, 1000]);
  });

  it("runs at once after a quiet period, and cancel drops a pending run", () => {
    const { scheduler, advance } = fakeScheduler();
    let n = 0;
    const t = createThrottle(() => (n += 1), 500, scheduler);
    t.trigger();
    expect(n).toBe(1);
    advance(100);
    t.trigger();
    t.cancel();
    advance(1000);
    expect(n).toBe(1);
    t.trigger();
    expect(n).toBe(2);
  });
});
