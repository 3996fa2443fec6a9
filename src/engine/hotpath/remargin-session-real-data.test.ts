import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { accountView } from "../../core/hotpath/account-view.ts";
import { resultEquityUsd, resultMaintenanceMarginUsd } from "../../core/hotpath/margin-columns.ts";
import { randomVenue } from "../../core/hotpath/random-hotpath-venue.ts";
import { computeSubaccountMargin } from "../../core/margin/compute-subaccount-margin.ts";
import type { MarketState } from "../../core/margin/types.ts";
import { createRemarginSession } from "./remargin-session.ts";

/*
 * Replays the real BTC/USDT hourly closes of the COVID crash (2020-03-11 → 03-14, BTC 7.9k →
 * 4.8k) as the oracle of a random venue's first underlying, rescaled to start at its index, and
 * checks after every hour that the incrementally maintained results equal the reference margin
 * code bit for bit and that the liquidation signals are exactly the reference's new breaches.
 */
const csv = fileURLToPath(new URL("../../../../shared/data/hourly/BTCUSDT_2017_2021.csv", import.meta.url));

function crashCloses(): number[] {
  const closes: number[] = [];
  for (const line of readFileSync(csv, "utf8").split("\n")) {
    const [ts, , , , close] = line.split(",");
    if (ts !== undefined && ts >= "2020-03-11T00" && ts < "2020-03-15T00") closes.push(Number(close));
  }
  return closes;
}

describe("remargin session on real data", () => {
  it("tracks the reference through the COVID crash, hour by hour", () => {
    if (!existsSync(csv)) {
      console.warn(`SKIPPED: real data not found at ${csv} (the shared data folder is absent)`);
      return;
    }
    const closes = crashCloses();
    expect(closes.length).toBe(96);
    const v = randomVenue(77, 60);
    const name = v.universe.underlyingIds[0]!;
    const tied = Object.entries(v.params.collateral).flatMap(([a, cp]) =>
      cp.underlying === name ? [a] : [],
    );
    const start = v.market.underlyings[name]!.indexPriceUsd;
    const session = createRemarginSession(v.universe, v.book, v.market);
    session.full();
    const breached = (m: MarketState, a: number) => {
      const r = computeSubaccountMargin(v.params, m, accountView(v.universe, v.book, a), {
        liquidationPrices: false,
      });
      expect([resultEquityUsd(session.out, a), resultMaintenanceMarginUsd(session.out, a)]).toEqual([
        r.equityUsd,
        r.maintenanceMarginUsd,
      ]);
      return (r.maintenanceMarginUsd > 0 && r.equityUsd < r.maintenanceMarginUsd) || r.equityUsd < 0;
    };
    let before = Array.from({ length: v.book.subaccountCount }, (_, a) => breached(v.market, a));
    const only = new Uint8Array(v.universe.underlyingCount);
    only[0] = 1;
    let market = v.market;
    let signalled = 0;
    for (const close of closes) {
      const indexUsd = (start * close) / closes[0]!;
      const markets = { ...market.markets };
      for (const [id, q] of Object.entries(markets))
        if (id.startsWith(`${name}-`) && q.markPriceUsd !== undefined)
          markets[id] = { ...q, markPriceUsd: indexUsd };
      const collateral = { ...market.collateral };
      for (const a of tied) collateral[a] = { priceUsd: indexUsd };
      market = {
        ...market,
        underlyings: {
          ...market.underlyings,
          [name]: { ...market.underlyings[name]!, indexPriceUsd: indexUsd },
        },
        markets,
        collateral,
      };
      const got = session.tick(market, only).map((s) => s.subaccountIndex);
      const after = Array.from({ length: v.book.subaccountCount }, (_, a) => breached(market, a));
      expect(got).toEqual(after.flatMap((b, a) => (b && !before[a] ? [a] : [])));
      signalled += got.length;
      before = after;
    }
    expect(signalled).toBeGreaterThan(0);
  });
});
