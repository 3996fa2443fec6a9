import { afterEach, describe, expect, it, vi } from "vitest";
import { type ApiClient, ApiError } from "../../web/src/api/api-client.ts";
import type {
  MarketHistoryResponse,
  MarketsResponse,
  SubaccountSummary,
} from "../../web/src/api/api-types.ts";
import { VenueStore, whoAmI } from "../../web/src/data/venue-store.ts";

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

const history = (atMs: number[], marks: number[], multipliers: number[]): MarketHistoryResponse => ({
  marketId: "BTC-PERP",
  atMs,
  markPriceUsd: marks,
  initialMarginFraction: atMs.map(() => 0.05),
  maintenanceMarginFraction: atMs.map(() => 0.025),
  marginMultiplier: multipliers,
  status: atMs.map(() => "active"),
});

const row = (id: string, health: number | null): SubaccountSummary => ({
  accountId: id,
  subaccountId: `${id}-main`,
  mode: "cross",
  equityUsd: 1,
  initialMarginUsd: 0,
  maintenanceMarginUsd: 0,
  freeCollateralUsd: 1,
  notionalUsd: 0,
  health,
  marginRatio: null,
  positionsCount: 0,
  inLiquidation: false,
});

afterEach(() => {
  vi.useRealTimers();
});

describe("venue store", () => {
  it("shows the perpetual's effective fractions (× multiplier) and the volatility of marks", () => {
    const store = new VenueStore({ api: fakeApi({}) });
    store.applyMarkets(markets("100", 1));
    store.applyMarkets(markets("110", 2));
    const btc = store.snapshot().underlyings[0]!;
    expect(btc.referenceMarketId).toBe("BTC-PERP");
    // 0.05 × 2 = 0.1 and 0.025 × 2 = 0.05: the circuit breaker doubled the requirement.
    expect(btc.imFraction).toBeCloseTo(0.1, 15);
    expect(btc.mmFraction).toBeCloseTo(0.05, 15);
    expect(btc.volPerUpdate).toBeCloseTo(Math.log(1.1), 12);
  });

  it("starts the charts from the service's history, then fetches only the newer points", async () => {
    const log: string[] = [];
    const api = fakeApi(
      {
        "/v1/markets": markets("100", 1),
        "/v1/history/markets/BTC-PERP": history([60_000, 120_000], [100, 105], [1, 2]),
        "/v1/history/markets/BTC-PERP?sinceMs=120000": history([120_000, 180_000], [106, 107], [2, 2]),
        "/v1/history/insurance-fund": {
          assets: { USDC: { atMs: [60_000], amount: [10] }, ETH: { atMs: [60_000], amount: [2] } },
        },
        "/v1/history/insurance-fund?sinceMs=60000": { assets: { USDC: { atMs: [120_000], amount: [11] } } },
      },
      log,
    );
    const store = new VenueStore({ api });
    await store.pollHistory();
    await store.pollHistory();
    const btc = store.snapshot().underlyings[0]!;
    // Engine time in seconds; the newest point (120 s) was updated by the second answer.
    expect(btc.markHistory.aligned()).toEqual([
      [60, 120, 180],
      [100, 106, 107],
    ]);
    // Fractions × the multiplier of the same point: 0.05 × 1, 0.05 × 2, 0.05 × 2.
    expect(btc.fractionHistory.aligned()[1]).toEqual([0.05, 0.1, 0.1]);
    // The fund's line is the sum over assets at each time: 10 + 2, then 11.
    expect(store.snapshot().insuranceHistory.aligned()).toEqual([
      [60, 120],
      [12, 11],
    ]);
    expect(log.filter((p) => p.startsWith("/v1/history/markets"))).toEqual([
      "/v1/history/markets/BTC-PERP",
      "/v1/history/markets/BTC-PERP?sinceMs=120000",
    ]);
    expect(store.snapshot().lastError).toBeNull();
  });

  it("seeds the feed with recent events behind the stream's, each event once", () => {
    const store = new VenueStore({ api: fakeApi({}), nowMs: () => 5 });
    store.applyStreamMessage({
      channel: "liquidations",
      event: {
        type: "liquidation_started",
        seq: 10,
        atMs: 4,
        subaccountId: "s",
        equityUsd: 1,
        maintenanceMarginUsd: 2,
      },
    });
    store.applyStreamMessage({
      channel: "liquidations",
      event: { type: "trade_settled", kind: "fill", seq: 11 },
    });
    // A trader's stream sends the type and its own sub-account inline.
    store.applyStreamMessage({
      channel: "liquidations",
      type: "liquidation_ended",
      seq: 12,
      atMs: 6,
      subaccountId: "mine",
    });
    store.applyRecentEvents([
      {
        type: "liquidation_started",
        seq: 10,
        atMs: 4,
        subaccountId: "s",
        equityUsd: 1,
        maintenanceMarginUsd: 2,
      },
      { type: "liquidation_ended", seq: 7, atMs: 2, subaccountId: "old", reason: "healthy" },
    ]);
    expect(store.snapshot().feed.map((f) => [f.kind, f.subaccountId, f.atMs])).toEqual([
      ["ended", "mine", 6],
      ["liquidation", "s", 4],
      ["ended", "old", 2],
    ]);
  });

  it("pages the accounts table on the server with cursors, and drops an answer to an old query", async () => {
    let resolveSlow: (v: unknown) => void = () => undefined;
    const log: string[] = [];
    const api = fakeApi(
      {
        "/v1/subaccounts?sort=health&order=asc&limit=50": { items: [row("a", 1.1)], next: "c1", total: 51 },
        "/v1/subaccounts?sort=health&order=asc&limit=50&after=c1": {
          items: [row("b", 2)],
          next: null,
          total: 51,
        },
        "/v1/subaccounts?sort=equityUsd&order=desc&limit=50&q=zz": () =>
          new Promise((r) => {
            resolveSlow = r;
          }),
        "/v1/subaccounts?sort=subaccountId&order=asc&limit=50": {
          items: [row("z", null)],
          next: null,
          total: 1,
        },
      },
      log,
    );
    const store = new VenueStore({ api });
    store.setAccountsQuery({ sortKey: "health", descending: false, search: "" });
    await vi.waitFor(() => expect(store.snapshot().accountsPage?.rows.length).toBe(1));
    expect(store.snapshot().accountsPage).toMatchObject({ page: 0, pages: 2, hasNext: true, total: 51 });
    store.turnAccountsPage(1);
    await vi.waitFor(() => expect(store.snapshot().accountsPage?.page).toBe(1));
    expect(store.snapshot().accountsPage?.rows[0]?.accountId).toBe("b");
    expect(store.snapshot().accountsPage?.hasNext).toBe(false);
    // No page beyond the last is asked for.
    store.turnAccountsPage(1);
    store.turnAccountsPage(-1);
    await vi.waitFor(() => expect(store.snapshot().accountsPage?.page).toBe(0));
    // A slow answer to a query replaced in the meantime never reaches the table.
    store.setAccountsQuery({ sortKey: "equityUsd", descending: true, search: "zz" });
    store.setAccountsQuery({ sortKey: "accountId", descending: false, search: "" });
    await vi.waitFor(() => expect(store.snapshot().accountsPage?.rows[0]?.accountId).toBe("z"));
    resolveSlow({ items: [row("slow", 1)], next: null, total: 1 });
    await new Promise((r) => setTimeout(r, 0));
    expect(store.snapshot().accountsPage?.rows[0]?.accountId).toBe("z");
    // Closing the table stops its requests.
    store.setAccountsQuery(null);
    const before = log.length;
    await store.pollAccounts();
    expect(log.length).toBe(before);
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

describe("market events", () => {
  it("refresh the markets at most once a second however many arrive", async () => {
    vi.useFakeTimers();
    const log: string[] = [];
    const store = new VenueStore({
      api: fakeApi({ "/v1/markets": markets("100", 1) }, log),
      nowMs: () => Date.now(),
    });
    for (let i = 0; i < 50; i += 1) {
      store.applyStreamMessage({ channel: "markets", event: { type: "margin_multiplier_changed" } });
      vi.advanceTimersByTime(40);
    }
    // 50 events over 2 s: a refresh at 0, 1000 and 2000 ms.
    vi.advanceTimersByTime(1000);
    expect(log.filter((p) => p === "/v1/markets").length).toBe(3);
    store.stop();
  });
});

describe("who am I", () => {
  it("reads the key's role and accounts from /v1/me", async () => {
    const me = { keyId: "0123456789abcdef", role: "trader", accountIds: ["t1"] };
    expect(await whoAmI(fakeApi({ "/v1/me": me }))).toEqual(me);
    const store = new VenueStore({ api: fakeApi({}) });
    store.setIdentity(me as Parameters<VenueStore["setIdentity"]>[0]);
    expect(store.snapshot()).toMatchObject({ role: "trader", accountIds: ["t1"] });
  });

  it("refuses a key the service does not accept, in words", async () => {
    await expect(
      whoAmI(fakeApi({ "/v1/me": new ApiError(401, "a valid API key is required") })),
    ).rejects.toMatchObject({ status: 401, message: "the service does not accept this API key" });
  });
});
