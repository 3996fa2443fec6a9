import { describe, expect, it } from "vitest";
import type { LiquidationEntry } from "../../web/src/api/api-types.ts";
import {
  feedItemOfEvent,
  feedItemsOfQueueChange,
  prependBounded,
} from "../../web/src/lib/liquidation-feed.ts";

describe("liquidation feed", () => {
  it("turns the engine's liquidation events into lines", () => {
    const started = feedItemOfEvent(
      { type: "liquidation_started", subaccountId: "s1", equityUsd: 5229.98, maintenanceMarginUsd: 5529.64 },
      1,
      0,
    );
    expect(started).toMatchObject({
      kind: "liquidation",
      subaccountId: "s1",
      text: "liquidation started: equity $5,229.98, MM $5,529.64",
    });
    const drawn = feedItemOfEvent(
      { type: "insurance_drawn", subaccountId: "s1", amountUnits: "1500000", deficitUnits: "0" },
      2,
      0,
    );
    expect(drawn?.text).toBe("insurance fund drawn: 1.500000 (deficit 0.000000)");
    const auction = feedItemOfEvent(
      {
        type: "trade_settled",
        kind: "liquidation",
        marketId: "BTC-PERP",
        buyerSubaccountId: "liq",
        sellerSubaccountId: "s1",
        discountFraction: 0.0051,
      },
      3,
      0,
    );
    expect(auction).toMatchObject({
      kind: "auction",
      text: "take-over on BTC-PERP at 0.51% auction discount",
    });
    const adl = feedItemOfEvent(
      {
        type: "trade_settled",
        kind: "adl",
        marketId: "ETH-PERP",
        buyerSubaccountId: "b",
        sellerSubaccountId: "s",
      },
      4,
      0,
    );
    expect(adl?.kind).toBe("adl");
  });

  it("uses the event's own time, and says what it knows from a trader's slimmer message", () => {
    expect(
      feedItemOfEvent({ type: "liquidation_ended", subaccountId: "s", reason: "healthy", atMs: 42 }, 1, 99)
        ?.atMs,
    ).toBe(42);
    expect(feedItemOfEvent({ type: "liquidation_ended", subaccountId: "s" }, 1, 99)?.atMs).toBe(99);
    // A trader's stream: { channel, type, seq, atMs, subaccountId } and no figures.
    expect(
      feedItemOfEvent({ type: "liquidation_started", subaccountId: "mine", seq: 7, atMs: 5 }, 1, 0)?.text,
    ).toBe("liquidation started");
    expect(feedItemOfEvent({ type: "insurance_drawn", subaccountId: "mine" }, 1, 0)?.text).toBe(
      "insurance fund drawn",
    );
    expect(feedItemOfEvent({ type: "trade_settled", subaccountId: "mine" }, 1, 0)).toMatchObject({
      kind: "auction",
      subaccountId: "mine",
    });
  });

  it("ignores ordinary fills and unknown events", () => {
    expect(
      feedItemOfEvent(
        {
          type: "trade_settled",
          kind: "fill",
          marketId: "m",
          buyerSubaccountId: "a",
          sellerSubaccountId: "b",
        },
        1,
        0,
      ),
    ).toBeNull();
    expect(feedItemOfEvent({ type: "deposited" }, 1, 0)).toBeNull();
  });

  it("diffs two polls of the queue into entered and left lines", () => {
    const entry = (id: string): LiquidationEntry => ({
      subaccountId: id,
      accountId: id,
      startedAtMs: 0,
      equityUsd: 1,
      maintenanceMarginUsd: 2,
      positions: [],
    });
    const items = feedItemsOfQueueChange([entry("a"), entry("b")], [entry("b"), entry("c")], 10, 99);
    expect(items.map((i) => [i.id, i.subaccountId, i.text.split(":")[0]])).toEqual([
      [10, "c", "entered the liquidation queue"],
      [11, "a", "left the liquidation queue"],
    ]);
  });

  it("keeps the newest lines first and at most the limit", () => {
    const item = (id: number) => ({ id, atMs: id, kind: "queue" as const, subaccountId: "s", text: "" });
    const feed = prependBounded([item(2), item(1)], [item(3), item(4)], 3);
    expect(feed.map((f) => f.id)).toEqual([4, 3, 2]);
  });
});
