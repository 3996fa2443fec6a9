import cliProgress from "cli-progress";

/** A progress reporter for long runs: a bar on stderr when it is a terminal, silent otherwise. */
export interface Progress {
  /** `done` of `total` units of the step called `label`. */
  update(label: string, done: number, total: number): void;
  stop(): void;
}

/**
 * A cli-progress bar on stderr when `enabled` and stderr is a TTY (so `--json` runs and pipes
 * stay quiet); otherwise a no-op.
 */
export function createProgress(enabled: boolean): Progress {
  if (!enabled || process.stderr.isTTY !== true) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: "{label} [{bar}] {percentage}% | {value}/{total}", hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let current = "";
  return {
    update(label, done, total) {
      if (!started) {
        bar.start(total, done, { label });
        started = true;
      } else if (label !== current) bar.setTotal(total);
      current = label;
      bar.update(done, { label });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
