import { readFileSync } from "node:fs";
import { parseRiskParams, type RiskParams } from "../core/margin/risk-params.ts";
import type { MarketQuote } from "../core/margin/types.ts";
import { formatDecimal } from "../engine/decimal.ts";
import { configOf } from "../engine/engine-state.ts";
import { underlyingMarkUsd } from "../engine/subaccount-risk.ts";
import { generateSyntheticMarket } from "../sim/synth/generate-synthetic-market.ts";
import { RandomSource } from "../sim/synth/random-source.ts";
import { defaultAssetParams } from "../sim/synth/synthetic-market-params.ts";
import { projectPath } from "../store/project-files.ts";
import { applyRiskParamsToEngine } from "./apply-risk-params-to-engine.ts";
import type { HostResult } from "./command-host.ts";
import type { Service } from "./create-service.ts";
import { ORACLE_SOURCES } from "./engine-config-from-risk-params.ts";
import { liquidationQueue } from "./market-summary.ts";

/*
 * The demo venue behind `marginal serve --demo`: the example venue from examples/, a seeded
 * synthetic market (hourly bars, GARCH volatility clustering and crashes) replayed in
 * accelerated real time (by default one synthetic hour per second) as oracle reports from three
 * sources, and a population of leveraged traders who trade with each other, so that margin,
 * liquidations and the insurance fund visibly move. A demo liquidator takes over positions in
 * liquidation and unwinds them with a market maker. Every demo action is an ordinary command
 * through the command host: durable, replayable, visible in the API and the stream.
 */

export const DEMO_RISK_PARAMS_PATH = projectPath("examples", "venue-risk-params.json");
const QUOTE = "USDC";
const LIQUIDATOR_ACCOUNT = "demo-liquidator";
const LIQUIDATOR_SUB = "demo-liquidator-main";
const MAKER_ACCOUNT = "demo-market-maker";
const MAKER_SUB = "demo-market-maker-main";
/** Hourly bars generated for the feed (it loops after them): one synthetic year. */
const FEED_PERIODS = 24 * 365;

export interface DemoOptions {
  /** Traders in the population. */
  readonly accounts: number;
  readonly seed: number;
  /** Synthetic hours per real second. */
  readonly hoursPerSecond: number;
  /** Fills per synthetic hour. */
  readonly fillsPerStep?: number;
}

export interface DemoFeed {
  stop(): Promise<void>;
  /** Synthetic hours replayed so far. */
  steps(): number;
}

const traderAccount = (i: number) => `demo-trader-${String(i).padStart(5, "0")}`;
const traderSub = (i: number) => `${traderAccount(i)}-main`;

export const EXAMPLE_MARKET_STATE_PATH = projectPath("examples", "market-state.json");

/**
 * Liquidity quotes (daily volume, depth) and implied vols per market from the documented
 * example market state, for the policy margin's liquidity add-on until a venue feeds its own.
 */
export function exampleMarketQuotes(): Record<string, MarketQuote> {
  const doc = JSON.parse(readFileSync(EXAMPLE_MARKET_STATE_PATH, "utf8")) as {
    markets?: Record<string, MarketQuote>;
  };
  return doc.markets ?? {};
}

/** The example venue's risk-parameter document. */
export function demoRiskParams(): RiskParams {
  return parseRiskParams(JSON.parse(readFileSync(DEMO_RISK_PARAMS_PATH, "utf8")));
}

/** Rounds a USD price to a decimal string with `decimals` places. */
function priceString(priceUsd: number, decimals: number): string {
  return formatDecimal(BigInt(Math.round(priceUsd * 10 ** decimals)), decimals);
}

/** Configures the demo venue and its population once (a restarted demo keeps its state). */
export async function seedDemoVenue(service: Service, options: DemoOptions): Promise<boolean> {
  const { engine, host, riskParams } = service;
  if (engine.state().config !== null) return false;
  const doc = demoRiskParams();
  if (riskParams.current() === undefined) {
    const proposal = await riskParams.propose(doc, "demo", "example venue for marginal serve --demo");
    await riskParams.apply(proposal.versionId, "demo");
  }
  await applyRiskParamsToEngine(engine, host, doc, "demo");
  const cfg = configOf(engine.state());
  const nowMs = service.ctx.clockMs();
  for (const u of cfg.underlyings.values()) {
    const start = defaultAssetParams(u.id).startPrice;
    for (const source of ORACLE_SOURCES) {
      await must(
        host.execute({
          type: "oracle_report",
          underlying: u.id,
          source,
          price: priceString(start, u.priceDecimals),
          confidence: "0",
          publishedAtMs: nowMs,
        }),
      );
    }
  }
  await must(host.execute({ type: "fund_insurance", asset: QUOTE, amount: "250000" }));
  await must(
    host.execute({
      type: "deposit",
      accountId: LIQUIDATOR_ACCOUNT,
      subaccountId: LIQUIDATOR_SUB,
      asset: QUOTE,
      amount: "20000000",
    }),
  );
  await must(
    host.execute({
      type: "deposit",
      accountId: MAKER_ACCOUNT,
      subaccountId: MAKER_SUB,
      asset: QUOTE,
      amount: "200000000",
    }),
  );
  const rng = new RandomSource(options.seed);
  const pending: Promise<HostResult>[] = [];
  for (let i = 0; i < options.accounts; i += 1) {
    const amount = Math.round(1_000 + rng.uniform() * 49_000);
    pending.push(
      host.execute({
        type: "deposit",
        accountId: traderAccount(i),
        subaccountId: traderSub(i),
        asset: QUOTE,
        amount: String(amount),
      }),
    );
  }
  await Promise.all(pending.map(must));
  return true;
}

async function must(result: HostResult | Promise<HostResult>): Promise<HostResult> {
  const r = await result;
  if (r.status === "rejected") throw new Error(`demo command rejected: ${r.reason} (${r.message})`);
  return r;
}

/** Starts the accelerated feed and the traders; returns a handle to stop it. */
export function startDemoFeed(service: Service, options: DemoOptions): DemoFeed {
  const { engine, host } = service;
  const cfg = configOf(engine.state());
  const underlyings = [...cfg.underlyings.keys()].sort();
  const market = generateSyntheticMarket({
    seed: options.seed,
    periods: FEED_PERIODS,
    intervalMs: 3_600_000,
    assets: underlyings,
  });
  const perps = [...cfg.markets.values()].filter((m) => m.cfg.kind === "perp").map((m) => m.cfg);
  const rng = new RandomSource(options.seed ^ 0x5eed);
  const fillsPerStep = options.fillsPerStep ?? Math.max(4, Math.round(options.accounts / 50));
  let step = 0;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;

  const log = service.ctx.log;
  const run = async () => {
    const t = (step % (FEED_PERIODS - 1)) + 1;
    step += 1;
    const nowMs = service.ctx.clockMs();
    // Oracle reports: each source publishes the synthetic return applied to the current mark.
    await Promise.all(
      underlyings.flatMap((u, i) => {
        const close = market.series[i]!.close;
        const ratio = close[t]! / close[t - 1]!;
        const mark = underlyingMarkUsd(engine.state(), u) ?? defaultAssetParams(u).startPrice;
        const decimals = cfg.underlyings.get(u)!.priceDecimals;
        return ORACLE_SOURCES.map((source) => {
          const noisy = mark * ratio * (1 + (rng.uniform() - 0.5) * 0.0004);
          return host.execute({
            type: "oracle_report",
            underlying: u,
            source,
            price: priceString(noisy, decimals),
            confidence: priceString(noisy * 0.0005, decimals),
            publishedAtMs: nowMs,
          });
        });
      }),
    );
    // Traders: random pairs, leverage 2–18x of their equity, at the mark.
    const fills: Promise<HostResult>[] = [];
    for (let k = 0; k < fillsPerStep && perps.length > 0 && options.accounts >= 2; k += 1) {
      const m = perps[Math.floor(rng.uniform() * perps.length)]!;
      const a = Math.floor(rng.uniform() * options.accounts);
      const b = (a + 1 + Math.floor(rng.uniform() * (options.accounts - 1))) % options.accounts;
      const taker = engine.subaccount(traderSub(a));
      const mark = underlyingMarkUsd(engine.state(), m.underlying);
      if (taker === undefined || mark === null || taker.inLiquidation) continue;
      if (taker.risk.equityUsd < 200) {
        fills.push(
          host.execute({
            type: "deposit",
            accountId: traderAccount(a),
            subaccountId: traderSub(a),
            asset: QUOTE,
            amount: "5000",
          }),
        );
        continue;
      }
      const leverage = 2 + rng.uniform() * 16;
      const size = (taker.risk.equityUsd * leverage * 0.5) / mark;
      const sizeText = formatDecimal(
        BigInt(Math.max(1, Math.floor(size * 10 ** m.sizeDecimals))),
        m.sizeDecimals,
      );
      fills.push(
        host.execute({
          type: "fill",
          marketId: m.id,
          takerSide: rng.uniform() < 0.5 ? "buy" : "sell",
          makerSubaccountId: traderSub(b),
          takerSubaccountId: traderSub(a),
          size: sizeText,
          price: priceString(mark, m.priceDecimals),
          makerFee: "0",
          takerFee: formatDecimal(BigInt(Math.round(size * mark * 0.0005 * 1e6)), 6),
        }),
      );
    }
    await Promise.all(fills);
    if (step % 8 === 0) {
      for (const m of perps)
        await host.execute({
          type: "funding",
          marketId: m.id,
          ratePerPeriod: Math.round((rng.uniform() - 0.45) * 0.0004 * 1e8) / 1e8,
        });
    }
    await liquidateAndUnwind(service, cfg.markets);
  };

  const timer = setInterval(
    () => {
      if (stopped) return;
      running = running.then(run).catch((error: unknown) => {
        log.warn({ err: error }, "demo step failed");
      });
    },
    Math.max(10, Math.round(1000 / options.hoursPerSecond)),
  );
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
    steps: () => step,
  };
}

/** The demo liquidator takes over what is in liquidation, then sells its inventory to the maker. */
async function liquidateAndUnwind(
  service: Service,
  markets: ReturnType<typeof configOf>["markets"],
): Promise<void> {
  const { engine, host } = service;
  for (const entry of liquidationQueue(engine, 20)) {
    for (const p of entry.positions) {
      const size = p.size.startsWith("-") ? p.size.slice(1) : p.size;
      await host.execute({
        type: "liquidate",
        liquidatorSubaccountId: LIQUIDATOR_SUB,
        subaccountId: entry.subaccountId,
        marketId: p.marketId,
        size,
      });
    }
  }
  const liquidator = engine.subaccount(LIQUIDATOR_SUB);
  if (liquidator === undefined) return;
  for (const p of liquidator.positions) {
    const m = markets.get(p.marketId)!;
    const mark = underlyingMarkUsd(engine.state(), m.cfg.underlying);
    if (mark === null) continue;
    const lots = p.lots < 0n ? -p.lots : p.lots;
    await host.execute({
      type: "fill",
      marketId: p.marketId,
      takerSide: p.lots > 0n ? "sell" : "buy",
      makerSubaccountId: MAKER_SUB,
      takerSubaccountId: LIQUIDATOR_SUB,
      size: formatDecimal(lots, m.cfg.sizeDecimals),
      price: priceString(mark, m.cfg.priceDecimals),
      makerFee: "0",
      takerFee: "0",
    });
  }
}
