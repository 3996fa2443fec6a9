/*
 * Child process for the crash-safety test: appends commands in a loop with several concurrent
 * writers (so group commit batches them) and prints `ack <commandId>` to stdout after each
 * append resolves. The parent kills it with SIGKILL mid-load and checks that every printed id
 * is in the log. A failed append (PostgreSQL restarting under it) is retried with the same
 * command id, which is the idempotent path: it resolves as appended or as duplicate.
 *
 * Usage: node --import tsx crash-writer.ts (--data-dir DIR | --database-url URL) [writers]
 */
import { openStore } from "../open-store.ts";

const [flag, target, writersText] = process.argv.slice(2);
if ((flag !== "--data-dir" && flag !== "--database-url") || target === undefined) {
  process.stderr.write("usage: crash-writer.ts (--data-dir DIR | --database-url URL) [writers]\n");
  process.exit(2);
}
const writers = Number(writersText ?? "8");
const store = await openStore<{ writer: number; n: number }, { commandId: string; index: number }, unknown>(
  flag === "--data-dir" ? { dataDir: target } : { databaseUrl: target },
);
process.stdout.write("ready\n");

async function writer(w: number): Promise<never> {
  for (let n = 1; ; n++) {
    const commandId = `w${w}-${n}`;
    const eventCount = 1 + ((w + n) % 4);
    const events = Array.from({ length: eventCount }, (_, index) => ({ commandId, index }));
    for (;;) {
      try {
        await store.append({ commandId, command: { writer: w, n }, events, result: { n } });
        process.stdout.write(`ack ${commandId}\n`);
        break;
      } catch (error) {
        process.stderr.write(`retry ${commandId}: ${String(error)}\n`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }
}

await Promise.all(Array.from({ length: writers }, (_, w) => writer(w)));
