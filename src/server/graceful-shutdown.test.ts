import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createService } from "./create-service.ts";
import { apiClient, exampleDocument } from "./test-support/service-fixture.ts";

/*
 * Graceful shutdown finishes in-flight commits: requests already taken are answered with their
 * commit, and a new start finds every one of them.
 */

const dir = mkdtempSync(join(tmpdir(), "marginal-shutdown-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("graceful shutdown", () => {
  it("answers and keeps every command taken before close, then refuses new ones", async () => {
    const service = await createService({ dataDir: dir });
    const admin = apiClient(service, service.generatedAdminKey);
    const proposal = await admin.post("/v1/risk-params/proposals", { document: exampleDocument() });
    await admin.post(`/v1/risk-params/proposals/${String(proposal.body.versionId)}/apply`);
    // 50 deposits of 1 USDC each into one sub-account, all in flight when close starts.
    const inFlight = Array.from({ length: 50 }, (_, i) =>
      admin.post("/v1/deposits", {
        accountId: "a",
        subaccountId: "a-main",
        asset: "USDC",
        amount: "1",
        commandId: `d-${i}`,
      }),
    );
    // Close as soon as the first deposits have reached the engine, with the rest still coming.
    const seq0 = service.engine.state().seq;
    const deadline = Date.now() + 10_000;
    while (service.engine.state().seq === seq0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 0));
    const closing = service.close();
    const answers = await Promise.all(inFlight);
    await closing;
    const accepted = answers.filter((a) => a.status === 200).length;
    // Whatever was refused was refused before the engine saw it (503), never half-done.
    for (const a of answers) expect([200, 503]).toContain(a.status);
    expect(accepted).toBeGreaterThan(0);

    const again = await createService({ dataDir: dir });
    try {
      expect(again.engine.subaccount("a-main")?.balances.USDC).toBe(BigInt(accepted) * 1_000_000n);
    } finally {
      await again.close();
    }
  });
});
