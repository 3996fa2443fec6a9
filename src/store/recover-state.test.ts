import { createHash } from "node:crypto";
import * as fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical-json.ts";
import type { EventStore } from "./event-store.ts";
import { jsonCodec } from "./json-codec.ts";
import { openStore } from "./open-store.ts";
import { recoverState } from "./recover-state.ts";
import type { SqlBackend } from "./sql-backend.ts";
import {
  freshSchema,
  openTarget,
  type StoreTarget,
  TARGET_KINDS,
  targetUnavailableReason,
} from "./test-support/store-targets.ts";

/*
 * A toy ledger as the state machine: events move micro-dollars between accounts, the state is
 * the balance per account plus a running checksum that depends on event order, so a replay that
 * skipped, repeated or re-ordered an event would show in the hash.
 */
interface Transfer {
  readonly from: string;
  readonly to: string;
  readonly amountMicroUsd: bigint;
}
interface Ledger {
  balances: Map<string, bigint>;
  checksum: bigint;
}
interface LedgerSnapshot {
  readonly accounts: readonly { readonly id: string; readonly balanceMicroUsd: bigint }[];
  readonly checksum: bigint;
}
const MODULUS = 2n ** 61n - 1n;

const initial = (): Ledger => ({ balances: new Map(), checksum: 0n });
function apply(state: Ledger, e: Transfer, seq: number): Ledger {
  state.balances.set(e.from, (state.balances.get(e.from) ?? 0n) - e.amountMicroUsd);
  state.balances.set(e.to, (state.balances.get(e.to) ?? 0n) + e.amountMicroUsd);
  state.checksum = (state.checksum * 31n + e.amountMicroUsd * BigInt(seq)) % MODULUS;
  return state;
}
function snapshotOf(state: Ledger): LedgerSnapshot {
  const accounts = [...state.balances.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([id, balanceMicroUsd]) => ({ id, balanceMicroUsd }));
  return { accounts, checksum: state.checksum };
}
const restore = (s: LedgerSnapshot): Ledger => ({
  balances: new Map(s.accounts.map((a) => [a.id, a.balanceMicroUsd])),
  checksum: s.checksum,
});
const hash = (state: Ledger): string =>
  createHash("sha256")
    .update(canonicalJson(snapshotOf(state)))
    .digest("hex");

const codecs = {
  event: jsonCodec<Transfer>({ bigintKeys: ["amountMicroUsd"] }),
  snapshot: jsonCodec<LedgerSnapshot>({ bigintKeys: ["balanceMicroUsd", "checksum"] }),
};
type Store = EventStore<unknown, Transfer, LedgerSnapshot, unknown>;

const transfer = fc.record({
  from: fc.constantFrom("a", "b", "c", "d"),
  to: fc.constantFrom("a", "b", "c", "d"),
  amountMicroUsd: fc.bigInt({ min: 1n, max: 10n ** 15n }),
});

for (const kind of TARGET_KINDS) {
  const unavailable = targetUnavailableReason(kind);
  if (unavailable !== undefined) {
    console.warn(`\n*** recovery suite on ${kind} DID NOT RUN: ${unavailable} ***\n`);
  }
  describe.skipIf(unavailable !== undefined)(`recoverState on ${kind}`, () => {
    let target: StoreTarget;
    const opened: SqlBackend[] = [];
    beforeAll(async () => {
      target = await openTarget(kind);
    });
    afterAll(async () => {
      for (const b of opened) await b.close();
      await target?.dispose();
    });
    async function open(schema: string): Promise<Store> {
      const backend = await target.connect();
      opened.push(backend);
      return openStore<unknown, Transfer, LedgerSnapshot, unknown>({ backend, schema, codecs });
    }

    it("snapshot + tail replay gives the state hash of a full replay", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.array(transfer, { minLength: 0, maxLength: 4 }), { minLength: 1, maxLength: 40 }),
          fc.nat(),
          async (commands, cut) => {
            const store = await open(freshSchema());
            const outcomes = await Promise.all(
              commands.map((events, i) =>
                store.append({ commandId: `c${i}`, command: {}, events, result: null }),
              ),
            );
            const total = outcomes.reduce((n, o) => n + o.eventCount, 0);
            // The reference: fold every event in memory, in append order.
            const reference = initial();
            let seq = 0;
            for (const events of commands) for (const e of events) apply(reference, e, ++seq);

            const full = await recoverState(store, { initial, restore, apply, hash, pageSize: 7 });
            expect(full.lastSeq).toBe(total);
            expect(hash(full.state)).toBe(hash(reference));

            const snapshotSeq = total === 0 ? 0 : cut % (total + 1);
            const prefix = initial();
            let n = 0;
            for await (const e of store.readEvents(0)) {
              if (e.seq > snapshotSeq) break;
              apply(prefix, e.event, e.seq);
              n = e.seq;
            }
            expect(n).toBe(snapshotSeq);
            await store.saveSnapshot(snapshotSeq, snapshotOf(prefix), hash(prefix));
            const resumed = await recoverState(store, { initial, restore, apply, hash, pageSize: 5 });
            expect(resumed.snapshotSeq).toBe(snapshotSeq);
            expect(resumed.replayedEvents).toBe(total - snapshotSeq);
            expect(hash(resumed.state)).toBe(hash(reference));
            await store.close();
          },
        ),
        { numRuns: 8, seed: 20261125 },
      );
    });

    it("fails loudly when the snapshot does not restore to its saved hash", async () => {
      const store = await open(freshSchema());
      await store.append({
        commandId: "x",
        command: {},
        events: [{ from: "a", to: "b", amountMicroUsd: 5n }],
        result: null,
      });
      await store.saveSnapshot(1, { accounts: [], checksum: 0n }, "not-the-hash");
      await expect(recoverState(store, { initial, restore, apply, hash })).rejects.toThrow(
        /restores to hash [0-9a-f]{64}, saved as not-the-hash/,
      );
      await store.close();
    });
  });
}
