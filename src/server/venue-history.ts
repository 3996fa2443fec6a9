import { assertInvariant } from "../core/errors.ts";
import type { Engine } from "../engine/create-engine.ts";
import { formatDecimal } from "../engine/decimal.ts";
import { configOf, type MarketStatus } from "../engine/engine-state.ts";
import type { EngineEvent } from "../engine/events.ts";
import { marketMarkUsd } from "../engine/subaccount-risk.ts";
import { isLiquidationEvent } from "./liquidation-events.ts";
import { createRingSeries, type RingSeries } from "./ring-series.ts";

/*
 * Bounded in-memory history of the venue, so that the dashboard's charts start with the past
 * rather than when a page opens: per market the mark, the IM/MM fractions, the margin multiplier
 * and the market state; the insurance fund per asset; and the last liquidation-feed events. It
 * is fed with committed events only, and sampled on engine time (not wall time): one point per
 * `intervalMs` of engine clock per series, stamped with the time its interval began and holding
 * the state after the interval's last commit (a later commit in the same interval overwrites its
 * values, so a transient state such as the first of three oracle reports is not what the chart
 * keeps, and the newest point always holds the current state). It is not persisted: a restart
 * starts it again from the recovered state.
 */

/**
 * Engine-time spacing of the samples by default, ms. The service stamps commands with its own
 * clock, so engine time runs at wall-clock pace (the demo's synthetic hours are prices, not
 * time): one point per second, an hour per series.
 */
export const HISTORY_INTERVAL_MS_DEFAULT = 1000;
/** Points per series by default. */
export const HISTORY_POINTS_DEFAULT = 3600;
/** Liquidation-feed events kept by default. */
export const RECENT_EVENTS_DEFAULT = 500;
/** Upper bounds of the options. */
export const HISTORY_POINTS_MAX = 20_000;
export const RECENT_EVENTS_MAX = 5000;

const STATUS_CODES: readonly MarketStatus[] = ["active", "reduce_only", "halted"];

const MARKET_COLUMNS = [
  "atMs",
  "markPriceUsd",
  "initialMarginFraction",
  "maintenanceMarginFraction",
  "marginMultiplier",
  "status",
] as const;
type MarketColumn = (typeof MARKET_COLUMNS)[number];
const FUND_COLUMNS = ["atMs", "amount"] as const;
type FundColumn = (typeof FUND_COLUMNS)[number];

export interface VenueHistoryOptions {
  /** Minimum engine time between two points of one series, ms. */
  readonly intervalMs?: number;
  /** Points kept per series. */
  readonly points?: number;
  /** Liquidation-feed events kept. */
  readonly recentEvents?: number;
}

export interface MarketHistory {
  readonly marketId: string;
  readonly underlying: string;
  readonly intervalMs: number;
  readonly capacity: number;
  /** Columns, oldest first: engine time (ms), mark (USD), static fractions, multiplier, state. */
  readonly atMs: number[];
  readonly markPriceUsd: (number | null)[];
  readonly initialMarginFraction: number[];
  readonly maintenanceMarginFraction: number[];
  readonly marginMultiplier: number[];
  readonly status: string[];
}

export interface InsuranceFundHistory {
  readonly intervalMs: number;
  readonly capacity: number;
  /** Per asset: engine time (ms) and the fund's balance in whole units of the asset. */
  readonly assets: Record<string, { atMs: number[]; amount: number[] }>;
}

export interface VenueHistory {
  /** Folds committed events in: samples due series and keeps feed events. */
  record(events: readonly EngineEvent[]): void;
  market(marketId: string): MarketHistory | undefined;
  insuranceFund(): InsuranceFundHistory;
  /** The last feed events, newest first, at most `limit`, that `visible` admits. */
  recentEvents(limit: number, visible?: (event: EngineEvent) => boolean): EngineEvent[];
  readonly intervalMs: number;
}

function bounded(value: number | undefined, fallback: number, max: number, name: string): number {
  const v = value ?? fallback;
  assertInvariant(Number.isInteger(v) && v >= 1 && v <= max, `${name} ${v} out of 1..${max}`);
  return v;
}

/** Creates the history over `engine` and takes a first sample of its current state. */
export function createVenueHistory(engine: Engine, options: VenueHistoryOptions = {}): VenueHistory {
  const intervalMs = bounded(options.intervalMs, HISTORY_INTERVAL_MS_DEFAULT, 86_400_000, "intervalMs");
  const points = bounded(options.points, HISTORY_POINTS_DEFAULT, HISTORY_POINTS_MAX, "points");
  const eventsMax = bounded(options.recentEvents, RECENT_EVENTS_DEFAULT, RECENT_EVENTS_MAX, "recentEvents");
  const markets = new Map<string, RingSeries<MarketColumn>>();
  const funds = new Map<string, RingSeries<FundColumn>>();
  const recent: EngineEvent[] = [];
  let recentStart = 0;

  /** Engine time at which each series' newest interval began. */
  const bucketStartMs = new Map<object, number>();
  /**
   * Appends a point when a new interval began, otherwise overwrites the newest one's values. A
   * point keeps the time its interval began, so a client that holds it recognises the update.
   */
  const put = <C extends string>(
    series: RingSeries<C | "atMs">,
    nowMs: number,
    values: Readonly<Record<C | "atMs", number>>,
  ) => {
    const start = bucketStartMs.get(series);
    if (start === undefined || nowMs - start >= intervalMs) {
      series.push(values);
      bucketStartMs.set(series, nowMs);
    } else series.replaceLast({ ...values, atMs: start });
  };

  const sample = () => {
    const state = engine.state();
    if (state.config === null) return;
    const cfg = configOf(state);
    const nowMs = state.clockMs;
    for (const [id, m] of state.markets) {
      let series = markets.get(id);
      if (series === undefined) {
        series = createRingSeries(MARKET_COLUMNS, points);
        markets.set(id, series);
      }
      const rm = cfg.markets.get(id)!;
      const u = state.underlyings.get(rm.cfg.underlying);
      put(series, nowMs, {
        atMs: nowMs,
        markPriceUsd: marketMarkUsd(state, rm) ?? Number.NaN,
        initialMarginFraction: m.initialMarginFraction,
        maintenanceMarginFraction: m.maintenanceMarginFraction,
        marginMultiplier: u?.marginMultiplier ?? 1,
        status: STATUS_CODES.indexOf(u?.status ?? "active"),
      });
    }
    for (const [asset, units] of state.venue.insurance) {
      let series = funds.get(asset);
      if (series === undefined) {
        series = createRingSeries(FUND_COLUMNS, points);
        funds.set(asset, series);
      }
      put(series, nowMs, {
        atMs: nowMs,
        amount: Number(formatDecimal(units, cfg.assets.get(asset)?.decimals ?? 0)),
      });
    }
  };

  sample();
  return {
    intervalMs,
    record(events) {
      for (const e of events) {
        if (!isLiquidationEvent(e)) continue;
        if (recent.length < eventsMax) recent.push(e);
        else {
          recent[recentStart] = e;
          recentStart = (recentStart + 1) % eventsMax;
        }
      }
      sample();
    },
    market(marketId) {
      const series = markets.get(marketId);
      const state = engine.state();
      const rm = state.config?.markets.get(marketId);
      if (series === undefined || rm === undefined) return undefined;
      const c = series.columns();
      return {
        marketId,
        underlying: rm.cfg.underlying,
        intervalMs,
        capacity: series.capacity,
        atMs: c.atMs as number[],
        markPriceUsd: c.markPriceUsd,
        initialMarginFraction: c.initialMarginFraction as number[],
        maintenanceMarginFraction: c.maintenanceMarginFraction as number[],
        marginMultiplier: c.marginMultiplier as number[],
        status: c.status.map((code) => STATUS_CODES[code ?? 0] ?? "active"),
      };
    },
    insuranceFund() {
      const assets: InsuranceFundHistory["assets"] = {};
      for (const [asset, series] of funds) {
        const c = series.columns();
        assets[asset] = { atMs: c.atMs as number[], amount: c.amount as number[] };
      }
      return { intervalMs, capacity: points, assets };
    },
    recentEvents(limit, visible) {
      const out: EngineEvent[] = [];
      for (let i = recent.length - 1; i >= 0 && out.length < limit; i -= 1) {
        const e = recent[(recentStart + i) % recent.length]!;
        if (visible === undefined || visible(e)) out.push(e);
      }
      return out;
    },
  };
}
