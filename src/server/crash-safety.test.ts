import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { checkConservation } from "../engine/check-conservation.ts";
import { createEngine } from "../engine/create-engine.ts";
import type { EngineEvent } from "../engine/events.ts";
import { generateApiKey } from "./api-keys.ts";
import { createService } from "./create-service.ts";
import { exampleDocument } from "./test-support/service-fixture.ts";

/*
 * Crash safety of the whole service: a server process takes deposits over HTTP from 32
 * concurrent clients, is killed with SIGKILL mid-load, and restarted on the same data directory.
 * Then: every acknowledged command is present with its exact amount; any command present is
 * whole (a sub-account is never opened without its deposit); money is conserved; and the state
 * recovered from snapshot + tail hashes the same as a full replay of the log.
 */

const CHILD = fileURLToPath(new URL("./test-support/serve-child.ts", import.meta.url));
const REPO = fileURLToPath(new URL("../..", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "marginal-crash-"));
const adminKey = generateApiKey();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Child {
  readonly process: ChildProcess;
  readonly url: string;
  readonly exited: Promise<number | null>;
}

function startChild(): Promise<Child> {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, dir], {
    cwd: REPO,
    env: { ...process.env, MARGINAL_ADMIN_KEY: adminKey },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m !== null) resolve({ process: child, url: m[1]!, exited });
    });
    child.once("exit", (code) => reject(new Error(`server exited (${code}) before listening: ${stderr}`)));
  });
}

const post = async (url: string, key: string, body: unknown) => {
  const r = await fetch(url, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
};

describe("crash safety", () => {
  it("keeps every acknowledged command and nothing half-applied across a SIGKILL", async () => {
    const first = await startChild();
    const proposal = await post(`${first.url}/v1/risk-params/proposals`, adminKey, {
      document: exampleDocument(),
    });
    expect(proposal.status).toBe(201);
    expect(
      (
        await post(
          `${first.url}/v1/risk-params/proposals/${String(proposal.body.versionId)}/apply`,
          adminKey,
          {},
        )
      ).status,
    ).toBe(200);
    const venueKey = String((await post(`${first.url}/v1/keys`, adminKey, { role: "venue" })).body.key);

    // Deposit i puts i + 1 USDC into sub-account s-i; 32 clients, SIGKILL after 400 acks.
    const acked = new Set<number>();
    let next = 0;
    let killed = false;
    const worker = async () => {
      while (!killed) {
        const i = next;
        next += 1;
        try {
          const r = await post(`${first.url}/v1/deposits`, venueKey, {
            accountId: `a-${i}`,
            subaccountId: `s-${i}`,
            asset: "USDC",
            amount: String(i + 1),
            commandId: `dep-${i}`,
          });
          if (r.status === 200 && r.body.status === "accepted") acked.add(i);
        } catch {
          return; // connection refused or reset: the server is gone
        }
        if (acked.size >= 400 && !killed) {
          killed = true;
          first.process.kill("SIGKILL");
        }
      }
    };
    await Promise.all(Array.from({ length: 32 }, worker));
    await first.exited;
    expect(acked.size).toBeGreaterThanOrEqual(400);

    // Restart on the same directory: it recovers and serves, then shuts down gracefully.
    const second = await startChild();
    const ready = await fetch(`${second.url}/ready`);
    expect(ready.status).toBe(200);
    const someAcked = [...acked][0]!;
    const read = await fetch(`${second.url}/v1/accounts/a-${someAcked}`, {
      headers: { authorization: `Bearer ${adminKey}` },
    });
    expect(read.status).toBe(200);
    second.process.kill("SIGTERM");
    expect(await second.exited).toBe(0);

    // Inspect the recovered state in-process.
    const service = await createService({ dataDir: dir });
    try {
      const engine = service.engine;
      for (const i of acked) {
        expect(engine.subaccount(`s-${i}`)?.balances.USDC, `acknowledged deposit ${i}`).toBe(
          BigInt(i + 1) * 1_000_000n,
        );
      }
      let present = 0;
      for (let i = 0; i < next; i += 1) {
        const s = engine.subaccount(`s-${i}`);
        if (s === undefined) continue;
        present += 1;
        expect(s.balances.USDC, `deposit ${i} is whole`).toBe(BigInt(i + 1) * 1_000_000n);
      }
      expect(present).toBeGreaterThanOrEqual(acked.size);
      expect(checkConservation(engine.state()).ok).toBe(true);
      expect(service.recovery.snapshotSeq).toBeGreaterThan(0);
      const events: EngineEvent[] = [];
      for await (const e of service.store.readEvents(0)) events.push(e.event);
      expect(createEngine({ events, keepLog: false }).stateHash()).toBe(engine.stateHash());
    } finally {
      await service.close();
    }
  });
});
