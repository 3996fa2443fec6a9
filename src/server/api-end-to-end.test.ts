import { afterAll, describe, expect, it } from "vitest";
import { checkConservation } from "../engine/check-conservation.ts";
import { createEngine } from "../engine/create-engine.ts";
import type { EngineEvent } from "../engine/events.ts";
import { createService } from "./create-service.ts";
import {
  apiClient,
  type DatabaseKind,
  databaseUnavailableReason,
  exampleDocument,
  openDatabaseTarget,
  setUpVenue,
  stopTestPostgres,
} from "./test-support/service-fixture.ts";

/*
 * The API end to end, as the venue's systems and a trader use it, on PGlite and on PostgreSQL:
 * configure the venue from the example document, price BTC, deposit, trade, read margin with
 * its breakdown, what-if, withdraw within and beyond initial margin, retry idempotently, crash
 * the price into a liquidation and take it over, change a risk parameter with an audit record,
 * then restart on the same database and compare the state hash with a full replay.
 */

const START_MS = Date.UTC(2026, 5, 1);

afterAll(stopTestPostgres);

// The third case runs the engine's sweeps with a re-margin worker thread (serve --remargin-threads 2):
// the log, the recovered state and the full replay (on one thread) must agree all the same.
describe.each<{ kind: DatabaseKind; threads: number }>([
  { kind: "pglite", threads: 1 },
  { kind: "postgres", threads: 1 },
  { kind: "pglite", threads: 2 },
])("API end to end on $kind, $threads re-margin thread(s)", ({ kind, threads }) => {
  const unavailable = databaseUnavailableReason(kind);
  if (unavailable !== undefined) {
    console.warn(`\n*** SKIPPED: the ${kind} API suite did not run: ${unavailable} ***\n`);
    it.skip(`needs ${kind}`, () => {});
    return;
  }

  it("serves a venue from launch to liquidation and recovers it after a restart", async () => {
    const target = await openDatabaseTarget(kind);
    const live = { hash: "" };
    const clock = { nowMs: START_MS };
    const venue = await setUpVenue({ ...target.options, remarginThreads: threads }, clock);
    const { service } = venue;
    try {
      await venue.priceBtc("60000");
      const markets = await venue.as("alice").get("/v1/markets");
      expect(markets.status).toBe(200);
      const btc = (
        markets.body.underlyings as { underlying: string; mark: string; markValid: boolean }[]
      ).find((u) => u.underlying === "BTC");
      expect(btc).toMatchObject({ mark: "60000", markValid: true });

      const v = venue.as("venue");
      for (const [accountId, amount] of [
        ["alice", "10000"],
        ["bob", "10000"],
        ["liq", "100000"],
      ] as const) {
        const r = await v.post("/v1/deposits", {
          accountId,
          subaccountId: `${accountId}-main`,
          asset: "USDC",
          amount,
          commandId: `dep-${accountId}`,
        });
        expect(r.status, r.text).toBe(200);
        expect(r.body.status).toBe("accepted");
      }
      // A retry with the same command id is answered, not applied twice.
      const retry = await v.post("/v1/deposits", {
        accountId: "alice",
        subaccountId: "alice-main",
        asset: "USDC",
        amount: "10000",
        commandId: "dep-alice",
      });
      expect(retry.body.status).toBe("duplicate");

      const fill = await v.post("/v1/fills", {
        marketId: "BTC-PERP",
        takerSide: "buy",
        makerSubaccountId: "bob-main",
        takerSubaccountId: "alice-main",
        size: "1",
        price: "60000",
        makerFee: "0",
        takerFee: "0",
      });
      expect(fill.status, fill.text).toBe(200);

      // Engine margin by hand: notional 1 × 60 000 = 60 000 USD; IM 5 % = 3 000, MM 2.5 % = 1 500;
      // equity 10 000 (no PnL at the fill price) → health 10 000 / 1 500 = 6.667.
      const margin = await venue.as("alice").get("/v1/accounts/alice/margin");
      expect(margin.status).toBe(200);
      const sub = (margin.body.subaccounts as Record<string, unknown>[])[0] as {
        balances: Record<string, string>;
        positions: { marketId: string; size: string }[];
        engine: { equityUsd: number; initialMarginUsd: number; maintenanceMarginUsd: number; health: number };
        policy: {
          initialMarginUsd: number;
          breakdown: { component: string; marketId?: string; amountUsd: number }[];
        };
      };
      expect(sub.balances).toEqual({ USDC: "10000" });
      expect(sub.positions).toEqual([expect.objectContaining({ marketId: "BTC-PERP", size: "1" })]);
      expect(sub.engine.initialMarginUsd).toBeCloseTo(3000, 9);
      expect(sub.engine.maintenanceMarginUsd).toBeCloseTo(1500, 9);
      expect(sub.engine.health).toBeCloseTo(10000 / 1500, 9);
      expect((sub as { policyError?: string }).policyError).toBeUndefined();
      // Policy: the document's static base fraction 5 % on 60 000 USD is the "base" line.
      const base = sub.policy.breakdown.find((b) => b.component === "base" && b.marketId === "BTC-PERP");
      expect(base?.amountUsd).toBeCloseTo(3000, 6);
      expect(sub.policy.initialMarginUsd).toBeGreaterThanOrEqual(3000 - 1e-6);

      // What-if: buying one more BTC doubles the base requirement and is affordable.
      const whatIf = await venue.as("alice").post("/v1/accounts/alice/what-if", {
        subaccountId: "alice-main",
        marketId: "BTC-PERP",
        side: "buy",
        size: "1",
        price: "60000",
      });
      expect(whatIf.status, whatIf.text).toBe(200);
      expect(whatIf.body.accepted).toBe(true);
      expect((whatIf.body.after as { initialMarginUsd: number }).initialMarginUsd).toBeCloseTo(
        2 * sub.policy.initialMarginUsd,
        6,
      );

      // Withdrawals: 7 001 would leave 2 999 < IM 3 000 (rejected, 422 with the reason); 100 is fine.
      const tooMuch = await venue
        .as("alice")
        .post("/v1/withdrawals", { subaccountId: "alice-main", asset: "USDC", amount: "7001" });
      expect(tooMuch.status).toBe(422);
      expect(tooMuch.contentType).toContain("application/problem+json");
      expect(tooMuch.body.reason).toBe("insufficient_margin");
      const fine = await venue
        .as("alice")
        .post("/v1/withdrawals", { subaccountId: "alice-main", asset: "USDC", amount: "100" });
      expect(fine.status, fine.text).toBe(200);

      // Price falls in steps under the circuit breaker's 5 % tightening move, 61 s apart.
      // Alice: equity = 9 900 + (P − 60 000), MM = 0.025 P → liquidatable below P = 50 100 / 0.975 = 51 384.6.
      for (const p of ["57500", "55000", "52600", "51000"]) {
        clock.nowMs += 61_000;
        await venue.priceBtc(p);
      }
      const queue = await venue.as("liquidator").get("/v1/liquidations");
      expect(queue.status).toBe(200);
      const entries = queue.body.queue as {
        subaccountId: string;
        equityUsd: number;
        maintenanceMarginUsd: number;
      }[];
      expect(entries.map((e) => e.subaccountId)).toEqual(["alice-main"]);
      // Equity 9 900 − 9 000 = 900 USD against MM 0.025 × 51 000 = 1 275 USD.
      expect(entries[0]!.equityUsd).toBeCloseTo(900, 6);
      expect(entries[0]!.maintenanceMarginUsd).toBeCloseTo(1275, 6);
      clock.nowMs += 5_000;
      const takeover = await venue.as("liquidator").post("/v1/liquidations", {
        liquidatorSubaccountId: "liq-main",
        subaccountId: "alice-main",
        marketId: "BTC-PERP",
        size: "1",
      });
      expect(takeover.status, takeover.text).toBe(200);
      const liq = await venue.as("liquidator").get("/v1/accounts/liq");
      const liqPositions = (liq.body.subaccounts as { positions: { marketId: string; size: string }[] }[])[0]!
        .positions;
      expect(liqPositions.length).toBe(1);
      expect(liqPositions[0]!.marketId).toBe("BTC-PERP");
      const fund = await venue.as("bob").get("/v1/insurance-fund");
      expect(fund.status).toBe(200);

      // Governance: lower BTC-PERP maintenance to 2 %; the change is applied in the engine and
      // recorded with who, when and the field-level diff.
      const doc = exampleDocument() as { markets: Record<string, { policy: Record<string, unknown> }> };
      doc.markets["BTC-PERP"]!.policy.maintenanceFraction = 0.02;
      const admin = venue.as("admin");
      const proposal = await admin.post("/v1/risk-params/proposals", { document: doc, note: "lower BTC MM" });
      expect(proposal.status, proposal.text).toBe(201);
      expect(proposal.body.diff).toEqual([
        { kind: "changed", path: "markets.BTC-PERP.policy.maintenanceFraction", before: 0.025, after: 0.02 },
      ]);
      const applied = await admin.post(`/v1/risk-params/proposals/${String(proposal.body.versionId)}/apply`);
      expect(applied.status, applied.text).toBe(200);
      expect((applied.body.engine as { updatedMarkets: string[] }).updatedMarkets).toEqual(["BTC-PERP"]);
      expect(service.engine.state().markets.get("BTC-PERP")?.maintenanceMarginFraction).toBe(0.02);
      const history = await admin.get("/v1/risk-params/history");
      const versions = history.body.versions as {
        versionId: number;
        status: string;
        appliedBy: string;
        appliedAtMs: number;
        diff: unknown[];
      }[];
      expect(versions.map((x) => x.status)).toEqual(["applied", "superseded"]);
      expect(versions[0]!.appliedBy).toContain(service.generatedAdminKey!.slice(4, 20));
      expect(versions[0]!.appliedAtMs).toBeGreaterThan(0);
      expect(versions[0]!.diff).toHaveLength(1);

      expect(checkConservation(service.engine.state()).ok).toBe(true);
      live.hash = service.engine.stateHash();
    } finally {
      await service.close();
    }

    // Restart on the same database: snapshot + tail equals the state before, and equals a
    // full replay of the log from the first event.
    const before = { hash: "", seq: 0 };
    {
      const again = await createService({
        ...target.options,
        remarginThreads: threads,
        clockMs: () => clock.nowMs,
      });
      try {
        before.hash = again.engine.stateHash();
        // The recovered engine is the live one, bit for bit.
        expect(before.hash).toBe(live.hash);
        before.seq = again.engine.state().seq;
        const events: EngineEvent[] = [];
        for await (const e of again.store.readEvents(0)) events.push(e.event);
        expect(events.length).toBe(before.seq);
        expect(createEngine({ events, keepLog: false }).stateHash()).toBe(before.hash);
        // The keys survived too: the trader still reads its account.
        const alice = apiClient(again, venue.keys.alice);
        expect((await alice.get("/v1/accounts/alice")).status).toBe(200);
        expect(again.generatedAdminKey).toBeUndefined();
      } finally {
        await again.close();
      }
    }
    expect(before.hash).toMatch(/^[0-9a-f]{64}$/);
    await target.dispose();
  });
});
