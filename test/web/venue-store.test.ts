import { afterEach, describe, expect, it, vi } from "vitest";
import { type ApiClient, ApiError } from "../../web/src/api/api-client.ts";
import type { MarketsResponse } from "../../web/src/api/api-types.ts";
import { probeRole, VenueStore } from "../../web/src/data/venue-store.ts";

/** An API whose GET answers come from a table of path → answer (an Error is thrown). */
function fakeApi(
  routes: Record<string, unknown | ((path: string) => unknown)>,
  log: string[] = [],
): ApiClient {
  return {
    baseUrl: "",
    async get<T>(path: string): Promise<T> {
      log.push(path);
      const r = routes[path];
      const v = typeof r === "function" ? (r as (p: string) => unknown)(path) : r;
      if (v instanceof Error) throw v;
      if (v === undefined) throw new ApiError(404, `no route ${path}`);
      return v as T;
    },
    async post<T>(): Promise<T> {
      throw new Error("not used");
    },
  };
}

const markets = (mark: string, multiplier: number): MarketsResponse => ({
  underlyings: [
    {
      underlying: "BTC",
      mark,
      markValid: true,
      status: "active",
      statusReason: "valid_price",
      marginMultiplier: multiplier,
    },
  ],
  markets: [
    {
      marketId: "BTC-20261225",
      underlying: "BTC",
      kind: "future",
      markPriceUsd: Number(mark),
      initialMarginFraction: 0.1,
      maintenanceMarginFraction: 0.05,
      openInterest: "0",
      settled: false,
    },
    {
      marketId: "BTC-PERP",
      underlying: "BTC",
      kind: "perp",
      markPriceUsd: Number(mark),
      initialMarginFraction: 0.05,
      maintenanceMarginFraction: 0.025,
      openInterest: "1.5",
      settled: false,
    },
  ],
});

const account = (id: string, health: number | null) => ({
  accountId: id,
  subaccounts: [
    {
      subaccountId: `${id}-main`,
      balances: {},
      positions: [],
      inLiquidation: false,
      engine: {
        equityUsd: 1,
        initialMarginUsd: 0,
        maintenanceMarginUsd: 0,
        freeCollateralUsd: 1,
        health,
        notionalUsd: 0,
      },
    },
  ],
});

afterEach(() => {
  vi.useRealTimers();
});

describe("venue store", () => {
  it("records marks and the perpetual's effective fractions (× multiplier) as history", () => {
    let now = 1_000_000;
    const store = new VenueStore({ api: fakeApi({}), nowMs: () => now });
    store.applyMarkets(markets("100", 1));
    now += 1000;
    store.applyMarkets(markets("110", 2));
    const btc = store.snapshot().underlyings[0]!;
    expect(btc.referenceMarketId).toBe("BTC-PERP");
    // 0.05 × 2 = 0.1 and 0.025 × 2 = 0.05: the circuit breaker doubled the requirement.
    expect(btc.fractionHistory.aligned()).toEqual([
      [1000, 1001],
      [0.05, 0.1],
      [0.025, 0.05],
    ]);
    expect(btc.markHistory.aligned()[1]).toEqual([100, 110]);
    expect(btc.volPerUpdate).toBeCloseTo(Math.log(1.1), 12);
  });

  it("moves a mark from the stream and puts liquidation events in the feed", () => {
    const store = new VenueStore({ api: fakeApi({}), nowMs: () => 5 });
    store.applyMarkets(markets("100", 1));
    store.applyStreamMessage({ channel: "prices", underlying: "BTC", mark: "101.5", valid: true, atMs: 1 });
    expect(store.snapshot().underlyings[0]!.mark).toBe("101.5");
    store.applyStreamMessage({
      channel: "liquidations",
      event: { type: "liquidation_started", subaccountId: "s", equityUsd: 1, maintenanceMarginUsd: 2 },
    });
    store.applyStreamMessage({ channel: "liquidations", event: { type: "trade_settled", kind: "fill" } });
    // A trader's stream sends the type and its own sub-account inline.
    store.applyStreamMessage({
      channel: "liquidations",
      type: "liquidation_ended",
      seq: 9,
      atMs: 3,
      subaccountId: "mine",
    });
    expect(store.snapshot().feed.map((f) => [f.kind, f.subaccountId, f.atMs])).toEqual([
      ["ended", "mine", 3],
      ["liquidation", "s", 5],
    ]);
  });

  it("pages through every account id and drops accounts it may no longer read", async () => {
    const log: string[] = [];
    const api = fakeApi(
      {
        "/v1/accounts?limit=1000": { accountIds: ["a", "b"], next: "b" },
        "/v1/accounts?limit=1000&after=b": { accountIds: ["c"], next: null },
        "/v1/accounts/a": account("a", 2),
        "/v1/accounts/b": new ApiError(403, "not allowed"),
        "/v1/accounts/c": account("c", null),
      },
      log,
    );
    const store = new VenueStore({ api });
    store.setRole("admin");
    await store.refreshAccounts();
    const s = store.snapshot();
    expect(s.accounts.map((r) => r.accountId).sort()).toEqual(["a", "c"]);
    expect(s.accountsTotal).toBe(3);
    expect(s.lastError).toBeNull();
    expect(log.filter((p) => p.startsWith("/v1/accounts?"))).toEqual([
      "/v1/accounts?limit=1000",
      "/v1/accounts?limit=1000&after=b",
    ]);
    store.stop();
  });

  it("tells listeners at most once per interval however many changes arrive", async () => {
    vi.useFakeTimers();
    const store = new VenueStore({ api: fakeApi({}), nowMs: () => Date.now(), notifyEveryMs: 500 });
    let calls = 0;
    store.subscribe(() => {
      calls += 1;
    });
    for (let i = 0; i < 100; i += 1) {
      store.applyMarkets(markets(String(100 + i), 1));
      vi.advanceTimersByTime(10);
    }
    vi.advanceTimersByTime(1000);
    // 100 changes over 1 s: a notification at 0, 500 and 1000 ms.
    expect(calls).toBe(3);
    expect(store.snapshot().version).toBe(100);
  });
});

describe("probing the role of a key", () => {
  const ok = {};
  const denied = new ApiError(403, "not allowed");
  it("tells admin, venue, liquidator and trader apart by what they may read", async () => {
    const base = { "/v1/markets": ok };
    expect(
      await probeRole(
        fakeApi({ ...base, "/v1/accounts?limit=1": ok, "/v1/keys": ok, "/v1/liquidations?limit=1": ok }),
      ),
    ).toBe("admin");
    expect(
      await probeRole(
        fakeApi({ ...base, "/v1/accounts?limit=1": ok, "/v1/keys": denied, "/v1/liquidations?limit=1": ok }),
      ),
    ).toBe("liquidator");
    expect(
      await probeRole(
        fakeApi({
          ...base,
          "/v1/accounts?limit=1": ok,
          "/v1/keys": denied,
          "/v1/liquidations?limit=1": denied,
        }),
      ),
    ).toBe("venue");
    expect(
      await probeRole(
        fakeApi({
          ...base,
          "/v1/accounts?limit=1": denied,
          "/v1/keys": denied,
          "/v1/liquidations?limit=1": denied,
        }),
      ),
    ).toBe("trader");
  });

  it("refuses a key the service does not accept", async () => {
    await expect(
      probeRole(fakeApi({ "/v1/markets": new ApiError(401, "a valid API key is required") })),
    ).rejects.toMatchObject({ status: 401 });
  });
});
