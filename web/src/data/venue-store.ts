import type { ApiClient } from "../api/api-client.ts";
import { ApiError } from "../api/api-client.ts";
import type {
  AccountIdsPage,
  AccountResponse,
  InsuranceFundResponse,
  LiquidationEntry,
  MarketsResponse,
  Role,
  StreamEvent,
} from "../api/api-types.ts";
import type { StreamMessage, StreamStatus } from "../api/stream-client.ts";
import { type AccountRow, rowsOfAccount } from "../lib/account-table.ts";
import { EWMA_EMPTY, type EwmaVolState, ewmaVolPerUpdate, updateEwmaVol } from "../lib/ewma-vol.ts";
import {
  type FeedItem,
  feedItemOfEvent,
  feedItemsOfQueueChange,
  prependBounded,
} from "../lib/liquidation-feed.ts";
import { createThrottle, type Scheduler, type Throttled } from "../lib/throttle.ts";
import { createTimeSeries, type TimeSeries } from "../lib/time-series.ts";

/*
 * Everything the dashboard shows about the venue, kept outside React: the latest answers of the
 * polled endpoints, the histories the charts draw (marks, effective IM/MM fractions, insurance
 * fund), the accounts' rows and the liquidation feed. Pages read it through `snapshot()` and are
 * told of changes by `subscribe`; the store coalesces changes so that listeners run at most
 * `notifyEveryMs` apart (≤ 2 redraws per second by default) however fast the venue moves.
 *
 * The histories start when the page opens: the API has no history endpoint for marks or margin
 * fractions, so the dashboard records what it sees.
 */

/** Points kept per chart line: an hour at one point per second. */
export const HISTORY_POINTS = 3600;
/** Accounts fetched at once while refreshing the table. */
const ACCOUNT_FETCH_CONCURRENCY = 6;
/** Account answers folded in between two updates of the table during a refresh. */
const ACCOUNTS_PER_PUBLISH = 200;
/** Accounts the table follows at most (a limit on memory and on the refresh cycle). */
export const ACCOUNTS_MAX = 20_000;

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
  /** Marks over time: line 0 = mark (USD). */
  readonly markHistory: TimeSeries;
  /** Effective fractions (× the margin multiplier) over time: line 0 = IM, line 1 = MM. */
  readonly fractionHistory: TimeSeries;
}

export interface VenueSnapshot {
  readonly version: number;
  readonly role: Role | null;
  readonly stream: StreamStatus;
  readonly markets: MarketsResponse | null;
  readonly underlyings: readonly UnderlyingView[];
  readonly insurance: InsuranceFundResponse | null;
  /** Insurance fund over time: line 0 = sum over assets (USD-like units). */
  readonly insuranceHistory: TimeSeries;
  readonly accounts: readonly AccountRow[];
  readonly accountsLoaded: number;
  readonly accountsTotal: number;
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
  readonly markHistory: TimeSeries;
  readonly fractionHistory: TimeSeries;
}

/** Accounts whose role reads every account. */
export function readsAllAccounts(role: Role | null): boolean {
  return role === "admin" || role === "venue" || role === "liquidator";
}

/** The role of a key, found by probing what it may read (the API has no "who am I"). */
export async function probeRole(api: ApiClient): Promise<Role> {
  const status = async (path: string) => {
    try {
      await api.get(path);
      return 200;
    } catch (error) {
      if (error instanceof ApiError) return error.status;
      throw error;
    }
  };
  const markets = await status("/v1/markets");
  if (markets === 401) throw new ApiError(401, "the service does not accept this API key");
  if (markets !== 200) throw new ApiError(markets, `the service answered ${markets} to /v1/markets`);
  const [accounts, keys, queue] = await Promise.all([
    status("/v1/accounts?limit=1"),
    status("/v1/keys"),
    status("/v1/liquidations?limit=1"),
  ]);
  if (keys === 200) return "admin";
  if (accounts === 200) return queue === 200 ? "liquidator" : "venue";
  return "trader";
}

export class VenueStore {
  private readonly api: ApiClient;
  private readonly nowMs: () => number;
  private readonly listeners = new Set<() => void>();
  private readonly perUnderlying = new Map<string, UnderlyingState>();
  private readonly accountRows = new Map<string, readonly AccountRow[]>();
  private readonly insuranceHistory = createTimeSeries(HISTORY_POINTS, ["insurance"]);
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly notifier: Throttled;
  private stopped = false;
  private feedId = 1;
  private state: VenueSnapshot;
  /** Accounts a trader asked to see (a trader key cannot list accounts). */
  private tracked: string[] = [];
  private accountsTotal = 0;

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
    this.state = {
      version: 0,
      role: null,
      stream: "connecting",
      markets: null,
      underlyings: [],
      insurance: null,
      insuranceHistory: this.insuranceHistory,
      accounts: [],
      accountsLoaded: 0,
      accountsTotal: 0,
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
    this.scheduleNotify();
  }

  private scheduleNotify(): void {
    this.notifier.trigger();
  }

  private notify(): void {
    for (const l of this.listeners) l();
  }

  setRole(role: Role): void {
    this.update({ role });
  }

  setStreamStatus(stream: StreamStatus): void {
    if (stream !== this.state.stream) this.update({ stream });
  }

  private underlyingState(id: string): UnderlyingState {
    let s = this.perUnderlying.get(id);
    if (s === undefined) {
      s = {
        vol: EWMA_EMPTY,
        markHistory: createTimeSeries(HISTORY_POINTS, ["mark"]),
        fractionHistory: createTimeSeries(HISTORY_POINTS, ["IM", "MM"]),
      };
      this.perUnderlying.set(id, s);
    }
    return s;
  }

  /** Folds a /v1/markets answer in: current views and one history point per underlying. */
  applyMarkets(markets: MarketsResponse): void {
    const tSec = this.nowMs() / 1000;
    const underlyings: UnderlyingView[] = markets.underlyings.map((u) => {
      const s = this.underlyingState(u.underlying);
      const mark = u.mark === null ? null : Number(u.mark);
      if (mark !== null && u.markValid) s.vol = updateEwmaVol(s.vol, mark);
      const own = markets.markets.filter((m) => m.underlying === u.underlying && !m.settled);
      const reference = own.find((m) => m.kind === "perp") ?? own[0];
      const k = u.marginMultiplier;
      s.markHistory.push(tSec, [mark]);
      s.fractionHistory.push(
        tSec,
        reference === undefined
          ? [null, null]
          : [reference.initialMarginFraction * k, reference.maintenanceMarginFraction * k],
      );
      return {
        ...u,
        volPerUpdate: ewmaVolPerUpdate(s.vol),
        referenceMarketId: reference?.marketId ?? null,
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

  applyInsurance(fund: InsuranceFundResponse): void {
    const total = Object.values(fund.insurance).reduce((sum, v) => sum + Number(v), 0);
    this.insuranceHistory.push(this.nowMs() / 1000, [total]);
    this.update({ insurance: fund });
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

  /** Folds an account answer in; `publish: false` defers the table update to the caller's batch. */
  applyAccount(account: AccountResponse, publish = true): void {
    this.accountRows.set(account.accountId, rowsOfAccount(account));
    if (publish) this.publishAccounts();
  }

  private publishAccounts(): void {
    const accounts = [...this.accountRows.values()].flat();
    this.update({
      accounts,
      accountsLoaded: this.accountRows.size,
      accountsTotal: Math.max(this.accountsTotal, this.accountRows.size),
    });
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
      if (event === null) return;
      const item = feedItemOfEvent(event, this.feedId, this.nowMs());
      if (item === null) return;
      this.feedId += 1;
      this.update({ feed: prependBounded(this.state.feed, [item]) });
    } else if (m.channel === "markets") {
      // Status and multiplier changes: the next poll brings the new figures; poll now.
      void this.pollMarkets();
    }
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

  /** All account ids (venue-wide roles), paging through /v1/accounts. */
  async listAccountIds(): Promise<string[]> {
    const ids: string[] = [];
    let after: string | null = null;
    do {
      const query: string = after === null ? "" : `&after=${encodeURIComponent(after)}`;
      const page: AccountIdsPage = await this.api.get<AccountIdsPage>(`/v1/accounts?limit=1000${query}`);
      ids.push(...page.accountIds);
      after = page.next;
    } while (after !== null && ids.length < ACCOUNTS_MAX);
    return ids.slice(0, ACCOUNTS_MAX);
  }

  /** A trader adds an account its key is bound to; the answer tells whether it may. */
  async trackAccount(accountId: string): Promise<void> {
    const account = await this.api.get<AccountResponse>(`/v1/accounts/${encodeURIComponent(accountId)}`);
    if (!this.tracked.includes(accountId)) this.tracked.push(accountId);
    this.applyAccount(account);
  }

  /** The accounts a trader added, in the order added. */
  trackedAccounts(): readonly string[] {
    return this.tracked;
  }

  /** One pass over the accounts: every row refreshed, a few requests at a time. */
  async refreshAccounts(): Promise<void> {
    try {
      const ids = readsAllAccounts(this.state.role) ? await this.listAccountIds() : [...this.tracked];
      this.accountsTotal = ids.length;
      const known = new Set(ids);
      for (const id of [...this.accountRows.keys()]) if (!known.has(id)) this.accountRows.delete(id);
      let next = 0;
      const worker = async () => {
        while (!this.stopped && next < ids.length) {
          const id = ids[next]!;
          next += 1;
          try {
            this.applyAccount(
              await this.api.get<AccountResponse>(`/v1/accounts/${encodeURIComponent(id)}`),
              false,
            );
            // Rebuilding the rows costs O(accounts): once per batch, not once per answer.
            if (next % ACCOUNTS_PER_PUBLISH === 0) this.publishAccounts();
          } catch (error) {
            if (!(error instanceof ApiError && (error.status === 403 || error.status === 404))) throw error;
            this.accountRows.delete(id);
          }
        }
      };
      await Promise.all(Array.from({ length: ACCOUNT_FETCH_CONCURRENCY }, worker));
      this.publishAccounts();
    } catch (error) {
      this.fail(error);
    }
  }

  /** Starts polling: markets every second, the fund every 2 s, the queue every second, accounts continuously. */
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
    every("markets", 1000, () => this.pollMarkets());
    every("insurance", 2000, () => this.pollInsurance());
    every("queue", 1000, () => this.pollQueue());
    every("accounts", 3000, () => this.refreshAccounts());
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.notifier.cancel();
  }
}
