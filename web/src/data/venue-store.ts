import type { ApiClient } from "../api/api-client.ts";
import { ApiError } from "../api/api-client.ts";
import type {
  HealthBandsResponse,
  InsuranceFundResponse,
  InsuranceHistoryResponse,
  LiquidationEntry,
  MarketHistoryResponse,
  MarketsResponse,
  MeResponse,
  Role,
  StreamEvent,
  SubaccountSummaryPage,
} from "../api/api-types.ts";
import type { StreamMessage, StreamStatus } from "../api/stream-client.ts";
import { type AccountRow, rowOfSummary, type SortKey } from "../lib/account-table.ts";
import { EWMA_EMPTY, type EwmaVolState, ewmaVolPerUpdate, updateEwmaVol } from "../lib/ewma-vol.ts";
import {
  FEED_ITEMS_MAX,
  type FeedItem,
  feedItemOfEvent,
  feedItemsOfQueueChange,
  prependBounded,
} from "../lib/liquidation-feed.ts";
import { createThrottle, type Scheduler, type Throttled } from "../lib/throttle.ts";
import { createTimeSeries, mergeHistory, type TimeSeries } from "../lib/time-series.ts";

/*
 * Everything the dashboard shows about the venue, kept outside React: the latest answers of the
 * polled endpoints, the histories the charts draw (marks, effective IM/MM fractions, insurance
 * fund), the page of the accounts table, the health bands and the liquidation feed. Pages read
 * it through `snapshot()` and are told of changes by `subscribe`; the store coalesces changes so
 * that listeners run at most `notifyEveryMs` apart (≤ 2 redraws per second by default) however
 * fast the venue moves.
 *
 * The server does the work that grows with the venue: the accounts table is one page of
 * `/v1/subaccounts` (sorted, searched and paged there), the Overview's histogram is
 * `/v1/subaccounts/health-bands`, and the charts start from `/v1/history/…` (engine time on the
 * x axis) and then fetch only the points since the newest they hold. The feed starts from
 * `/v1/events/recent` and continues from the stream.
 */

/** Points kept per chart line (the server keeps as many). */
export const HISTORY_POINTS = 3600;
/** Rows of one page of the accounts table. */
export const ACCOUNTS_PAGE_ROWS = 50;
/** Feed events fetched at sign-in. */
export const RECENT_EVENTS_SEED = 100;
/** Poll periods, ms. Each poll also waits for its previous answer. */
export const POLL_MS = {
  markets: 1000,
  insurance: 2000,
  queue: 1000,
  history: 3000,
  healthBands: 2000,
  accounts: 2000,
} as const;

/** Smallest gap between two extra /v1/markets polls triggered by market events, ms. */
export const MARKET_EVENT_REFRESH_MS = 1000;

export interface UnderlyingView {
  readonly underlying: string;
  readonly mark: string | null;
  readonly markValid: boolean;
  readonly status: string;
  readonly statusReason: string;
  readonly marginMultiplier: number;
  /** Volatility of log returns per mark update (EWMA), null before two marks. */
  readonly volPerUpdate: number | null;
  /** The market whose fractions the chart follows (the perpetual, else the first). */
  readonly referenceMarketId: string | null;
  /** Effective fractions of the reference market now (× the margin multiplier). */
  readonly imFraction: number | null;
  readonly mmFraction: number | null;
  /** Marks over engine time: line 0 = mark (USD). */
  readonly markHistory: TimeSeries;
  /** Effective fractions (× the margin multiplier) over engine time: line 0 = IM, line 1 = MM. */
  readonly fractionHistory: TimeSeries;
}

/** What the accounts table asks the server for. */
export interface AccountsQuery {
  readonly sortKey: SortKey;
  readonly descending: boolean;
  readonly search: string;
}

export interface AccountsPageView {
  readonly rows: readonly AccountRow[];
  /** Rows matching the query on the server (all pages). */
  readonly total: number;
  /** Zero-based page shown. */
  readonly page: number;
  readonly pages: number;
  readonly hasNext: boolean;
}

export interface VenueSnapshot {
  readonly version: number;
  readonly role: Role | null;
  /** Accounts the key is bound to (traders, liquidators), from /v1/me. */
  readonly accountIds: readonly string[];
  readonly stream: StreamStatus;
  readonly markets: MarketsResponse | null;
  readonly underlyings: readonly UnderlyingView[];
  readonly insurance: InsuranceFundResponse | null;
  /** Insurance fund over engine time: line 0 = sum over assets (USD-like units). */
  readonly insuranceHistory: TimeSeries;
  readonly accountsQuery: AccountsQuery | null;
  readonly accountsPage: AccountsPageView | null;
  readonly healthBands: HealthBandsResponse | null;
  readonly queue: readonly LiquidationEntry[] | null;
  readonly feed: readonly FeedItem[];
  readonly lastError: string | null;
  readonly updatedAtMs: number;
}

export interface VenueStoreOptions {
  readonly api: ApiClient;
  readonly nowMs?: () => number;
  readonly notifyEveryMs?: number;
}

interface UnderlyingState {
  vol: EwmaVolState;
  /** The market the histories follow; a change starts them again. */
  historyMarketId: string | null;
  readonly markHistory: TimeSeries;
  readonly fractionHistory: TimeSeries;
}

/** Accounts whose role reads every account. */
export function readsAllAccounts(role: Role | null): boolean {
  return role === "admin" || role === "venue" || role === "liquidator";
}

/** Who the key is (GET /v1/me); a key the service refuses is said so in words. */
export async function whoAmI(api: ApiClient): Promise<MeResponse> {
  try {
    return await api.get<MeResponse>("/v1/me");
  } catch (error) {
    if (error instanceof ApiError && error.status === 401)
      throw new ApiError(401, "the service does not accept this API key");
    throw error;
  }
}

/** The server's sort key for a column of the table (the id column sorts by sub-account). */
export function summarySortOf(key: SortKey): string {
  return key === "accountId" ? "subaccountId" : key;
}

/** The query string of one page of /v1/subaccounts. */
export function summaryPath(
  query: AccountsQuery,
  after: string | undefined,
  limit = ACCOUNTS_PAGE_ROWS,
): string {
  const p = new URLSearchParams({
    sort: summarySortOf(query.sortKey),
    order: query.descending ? "desc" : "asc",
    limit: String(limit),
  });
  const q = query.search.trim();
  if (q !== "") p.set("q", q.slice(0, 64));
  if (after !== undefined) p.set("after", after);
  return `/v1/subaccounts?${p.toString()}`;
}

export class VenueStore {
  private readonly api: ApiClient;
  private readonly nowMs: () => number;
  private readonly listeners = new Set<() => void>();
  private readonly perUnderlying = new Map<string, UnderlyingState>();
  private readonly insuranceHistory = createTimeSeries(HISTORY_POINTS, ["insurance"]);
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly notifier: Throttled;
  /** Extra /v1/markets polls asked for by the stream's market events, at most one per second. */
  private readonly marketsRefresh: Throttled;
  /** Sequence numbers of the feed's events (the seed and the stream may bring the same one). */
  private readonly feedSeqs = new Set<number>();
  private stopped = false;
  private feedId = 1;
  private state: VenueSnapshot;
  /** `after` cursor of each page of the current query (page 0: none). */
  private cursors: (string | undefined)[] = [undefined];
  private accountsPageIndex = 0;
  /** Bumped on every change of query or page, so that a late answer to an old one is dropped. */
  private accountsGeneration = 0;

  constructor(options: VenueStoreOptions) {
    this.api = options.api;
    this.nowMs = options.nowMs ?? (() => Date.now());
    const scheduler: Scheduler = {
      nowMs: this.nowMs,
      after(delayMs, fn) {
        const id = setTimeout(fn, delayMs);
        return () => clearTimeout(id);
      },
    };
    // Change notifications are throttled: at most one per interval, the last change never lost.
    this.notifier = createThrottle(() => this.notify(), options.notifyEveryMs ?? 500, scheduler);
    // A busy venue sends many market events a second; one fresh answer per second shows them all.
    this.marketsRefresh = createThrottle(() => void this.pollMarkets(), MARKET_EVENT_REFRESH_MS, scheduler);
    this.state = {
      version: 0,
      role: null,
      accountIds: [],
      stream: "connecting",
      markets: null,
      underlyings: [],
      insurance: null,
      insuranceHistory: this.insuranceHistory,
      accountsQuery: null,
      accountsPage: null,
      healthBands: null,
      queue: null,
      feed: [],
      lastError: null,
      updatedAtMs: 0,
    };
  }

  snapshot = (): VenueSnapshot => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private update(patch: Partial<VenueSnapshot>): void {
    this.state = { ...this.state, ...patch, version: this.state.version + 1, updatedAtMs: this.nowMs() };
    this.notifier.trigger();
  }

  private notify(): void {
    for (const l of this.listeners) l();
  }

  setRole(role: Role): void {
    this.update({ role });
  }

  /** The signed-in key as /v1/me describes it. */
  setIdentity(me: MeResponse): void {
    this.update({ role: me.role, accountIds: [...(me.accountIds ?? [])] });
  }

  setStreamStatus(stream: StreamStatus): void {
    if (stream !== this.state.stream) this.update({ stream });
  }

  private underlyingState(id: string): UnderlyingState {
    let s = this.perUnderlying.get(id);
    if (s === undefined) {
      s = {
        vol: EWMA_EMPTY,
        historyMarketId: null,
        markHistory: createTimeSeries(HISTORY_POINTS, ["mark"]),
        fractionHistory: createTimeSeries(HISTORY_POINTS, ["IM", "MM"]),
      };
      this.perUnderlying.set(id, s);
    }
    return s;
  }

  /** Folds a /v1/markets answer in: the current views (the charts come from the history). */
  applyMarkets(markets: MarketsResponse): void {
    const underlyings: UnderlyingView[] = markets.underlyings.map((u) => {
      const s = this.underlyingState(u.underlying);
      const mark = u.mark === null ? null : Number(u.mark);
      if (mark !== null && u.markValid) s.vol = updateEwmaVol(s.vol, mark);
      const own = markets.markets.filter((m) => m.underlying === u.underlying && !m.settled);
      const reference = own.find((m) => m.kind === "perp") ?? own[0];
      const k = u.marginMultiplier;
      return {
        ...u,
        volPerUpdate: ewmaVolPerUpdate(s.vol),
        referenceMarketId: reference?.marketId ?? null,
        imFraction: reference === undefined ? null : reference.initialMarginFraction * k,
        mmFraction: reference === undefined ? null : reference.maintenanceMarginFraction * k,
        markHistory: s.markHistory,
        fractionHistory: s.fractionHistory,
      };
    });
    this.update({ markets, underlyings });
  }

  /** Folds a price from the stream in (between polls), so marks move at the feed's pace. */
  applyPrice(underlying: string, mark: string | null, valid: boolean): void {
    const markets = this.state.markets;
    if (markets === null) return;
    const underlyings = markets.underlyings.map((u) =>
      u.underlying === underlying ? { ...u, mark, markValid: valid } : u,
    );
    this.applyMarkets({ ...markets, underlyings });
  }

  /**
   * Folds a market's history (all of it, or the points since the newest held) into the charts
   * of its underlying: marks, and fractions × the multiplier of the same point.
   */
  applyMarketHistory(underlying: string, h: MarketHistoryResponse): void {
    const s = this.underlyingState(underlying);
    const times = h.atMs.map((t) => t / 1000);
    const marks = mergeHistory(s.markHistory, times, (i) => [h.markPriceUsd[i] ?? null]);
    const fractions = mergeHistory(s.fractionHistory, times, (i) => {
      const k = h.marginMultiplier[i] ?? 1;
      return [
        (h.initialMarginFraction[i] ?? Number.NaN) * k,
        (h.maintenanceMarginFraction[i] ?? Number.NaN) * k,
      ];
    });
    if (marks + fractions > 0) this.update({});
  }

  /** Folds the insurance fund's history in: one line, the sum over assets at each time. */
  applyInsuranceHistory(h: InsuranceHistoryResponse): void {
    const sums = new Map<number, number>();
    for (const { atMs, amount } of Object.values(h.assets)) {
      for (let i = 0; i < atMs.length; i += 1)
        sums.set(atMs[i]!, (sums.get(atMs[i]!) ?? 0) + (amount[i] ?? 0));
    }
    const times = [...sums.keys()].sort((a, b) => a - b);
    if (
      mergeHistory(
        this.insuranceHistory,
        times.map((t) => t / 1000),
        (i) => [sums.get(times[i]!)!],
      ) > 0
    )
      this.update({});
  }

  applyInsurance(fund: InsuranceFundResponse): void {
    this.update({ insurance: fund });
  }

  applyHealthBands(bands: HealthBandsResponse): void {
    this.update({ healthBands: bands });
  }

  applyQueue(queue: readonly LiquidationEntry[]): void {
    const previous = this.state.queue;
    // Without the stream, entering and leaving the queue is all the feed can show.
    const items =
      previous === null || this.state.stream === "live"
        ? []
        : feedItemsOfQueueChange(previous, queue, this.feedId, this.nowMs());
    this.feedId += items.length;
    this.update({ queue, ...(items.length === 0 ? {} : { feed: prependBounded(this.state.feed, items) }) });
  }

  /** Whether an event with `seq` is new to the feed (and remembers it). */
  private firstSight(seq: unknown): boolean {
    if (typeof seq !== "number") return true;
    if (this.feedSeqs.has(seq)) return false;
    this.feedSeqs.add(seq);
    // Bounded like the feed: forget the oldest half when it grows past twice the feed.
    if (this.feedSeqs.size > 2 * FEED_ITEMS_MAX) {
      const keep = [...this.feedSeqs].sort((a, b) => a - b).slice(FEED_ITEMS_MAX);
      this.feedSeqs.clear();
      for (const k of keep) this.feedSeqs.add(k);
    }
    return true;
  }

  /** Seeds the feed with recent events (newest first), behind whatever the stream already brought. */
  applyRecentEvents(events: readonly StreamEvent[]): void {
    const items: FeedItem[] = [];
    for (const e of events) {
      if (!this.firstSight(e.seq)) continue;
      const item = feedItemOfEvent(e, this.feedId, this.nowMs());
      if (item === null) continue;
      this.feedId += 1;
      items.push(item);
    }
    if (items.length > 0) this.update({ feed: [...this.state.feed, ...items].slice(0, FEED_ITEMS_MAX) });
  }

  /** Folds a stream message in (prices, market events, liquidation events). */
  applyStreamMessage(m: StreamMessage): void {
    if (m.channel === "prices" && typeof m.underlying === "string") {
      this.applyPrice(m.underlying, typeof m.mark === "string" ? m.mark : null, m.valid === true);
    } else if (m.channel === "liquidations") {
      // Venue-wide keys get `{event}`; a trader gets the event's type and its sub-account inline.
      const event =
        m.event !== null && typeof m.event === "object"
          ? (m.event as StreamEvent)
          : typeof m.type === "string"
            ? (m as unknown as StreamEvent)
            : null;
      if (event === null || !this.firstSight(event.seq)) return;
      const item = feedItemOfEvent(event, this.feedId, this.nowMs());
      if (item === null) return;
      this.feedId += 1;
      this.update({ feed: prependBounded(this.state.feed, [item]) });
    } else if (m.channel === "markets") {
      // Status and multiplier changes: poll now rather than at the next tick (throttled).
      this.marketsRefresh.trigger();
    }
  }

  /** Sets what the accounts table shows (null: no table open, nothing polled) and fetches page 0. */
  setAccountsQuery(query: AccountsQuery | null): void {
    this.cursors = [undefined];
    this.accountsPageIndex = 0;
    this.accountsGeneration += 1;
    this.update({ accountsQuery: query, ...(query === null ? { accountsPage: null } : {}) });
    if (query !== null) void this.pollAccounts();
  }

  /** Moves the table one page forward (+1) or back (−1), when that page is known. */
  turnAccountsPage(delta: 1 | -1): void {
    const target = this.accountsPageIndex + delta;
    if (target < 0 || target >= this.cursors.length) return;
    this.accountsPageIndex = target;
    this.accountsGeneration += 1;
    void this.pollAccounts();
  }

  private fail(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    if (message !== this.state.lastError) this.update({ lastError: message });
  }

  private ok(): void {
    if (this.state.lastError !== null) this.update({ lastError: null });
  }

  async pollMarkets(): Promise<void> {
    try {
      this.applyMarkets(await this.api.get<MarketsResponse>("/v1/markets"));
      this.ok();
    } catch (error) {
      this.fail(error);
    }
  }

  async pollInsurance(): Promise<void> {
    try {
      this.applyInsurance(await this.api.get<InsuranceFundResponse>("/v1/insurance-fund"));
    } catch (error) {
      this.fail(error);
    }
  }

  async pollQueue(): Promise<void> {
    if (this.state.role !== "admin" && this.state.role !== "liquidator") return;
    try {
      const answer = await this.api.get<{ queue: LiquidationEntry[] }>("/v1/liquidations?limit=1000");
      this.applyQueue(answer.queue);
    } catch (error) {
      this.fail(error);
    }
  }

  async pollHealthBands(): Promise<void> {
    try {
      this.applyHealthBands(await this.api.get<HealthBandsResponse>("/v1/subaccounts/health-bands"));
    } catch (error) {
      this.fail(error);
    }
  }

  /** The charts' histories: everything once, then only the points since the newest held. */
  async pollHistory(): Promise<void> {
    try {
      if (this.state.markets === null) await this.pollMarkets();
      const since = (series: TimeSeries) => {
        const t = series.lastTime();
        return t === null ? "" : `?sinceMs=${Math.round(t * 1000)}`;
      };
      const requests = this.state.underlyings.map(async (u) => {
        const s = this.underlyingState(u.underlying);
        if (u.referenceMarketId === null) return;
        if (s.historyMarketId !== u.referenceMarketId) {
          // A new reference market (the old one settled): its own history, from the start.
          s.historyMarketId = u.referenceMarketId;
          s.markHistory.clear();
          s.fractionHistory.clear();
        }
        const h = await this.api.get<MarketHistoryResponse>(
          `/v1/history/markets/${encodeURIComponent(u.referenceMarketId)}${since(s.markHistory)}`,
        );
        this.applyMarketHistory(u.underlying, h);
      });
      const fund = this.api
        .get<InsuranceHistoryResponse>(`/v1/history/insurance-fund${since(this.insuranceHistory)}`)
        .then((h) => this.applyInsuranceHistory(h));
      await Promise.all([...requests, fund]);
    } catch (error) {
      this.fail(error);
    }
  }

  /** The feed's start: the service's last events. */
  async loadRecentEvents(): Promise<void> {
    try {
      const answer = await this.api.get<{ events: StreamEvent[] }>(
        `/v1/events/recent?limit=${RECENT_EVENTS_SEED}`,
      );
      this.applyRecentEvents(answer.events);
    } catch (error) {
      this.fail(error);
    }
  }

  /** The page of the accounts table the current query and page ask for. */
  async pollAccounts(): Promise<void> {
    const query = this.state.accountsQuery;
    if (query === null) return;
    const generation = this.accountsGeneration;
    const page = this.accountsPageIndex;
    try {
      const answer = await this.api.get<SubaccountSummaryPage>(summaryPath(query, this.cursors[page]));
      if (generation !== this.accountsGeneration) return;
      if (answer.items.length === 0 && page > 0) {
        // The rows behind this page are gone (accounts closed, or the search matches fewer).
        this.setAccountsQuery(query);
        return;
      }
      this.cursors = this.cursors.slice(0, page + 1);
      if (answer.next !== null) this.cursors.push(answer.next);
      this.update({
        accountsPage: {
          rows: answer.items.map(rowOfSummary),
          total: answer.total,
          page,
          pages: Math.max(1, Math.ceil(answer.total / ACCOUNTS_PAGE_ROWS)),
          hasNext: answer.next !== null,
        },
      });
    } catch (error) {
      this.fail(error);
    }
  }

  /** Starts polling (see POLL_MS) and seeds the feed. */
  start(): void {
    // Each poll waits for its previous answer, so a slow service is never asked twice at once.
    const every = (name: string, ms: number, fn: () => Promise<void>) => {
      const loop = async () => {
        if (this.stopped) return;
        await fn();
        if (!this.stopped) this.timers.set(name, setTimeout(loop, ms));
      };
      void loop();
    };
    every("markets", POLL_MS.markets, () => this.pollMarkets());
    every("insurance", POLL_MS.insurance, () => this.pollInsurance());
    every("queue", POLL_MS.queue, () => this.pollQueue());
    every("history", POLL_MS.history, () => this.pollHistory());
    every("healthBands", POLL_MS.healthBands, () => this.pollHealthBands());
    every("accounts", POLL_MS.accounts, () => this.pollAccounts());
    void this.loadRecentEvents();
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.notifier.cancel();
    this.marketsRefresh.cancel();
  }
}
