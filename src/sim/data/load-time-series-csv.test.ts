import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { formatTimestampIso } from "../../core/data/parse-timestamp.ts";
import { loadTimeSeriesCsv } from "./load-time-series-csv.ts";

const DATA_DIR = fileURLToPath(new URL("../../../../shared/data/", import.meta.url));
const hasData = existsSync(DATA_DIR);
if (!hasData) console.warn(`\n*** SKIPPING real-data time-series tests: ${DATA_DIR} is absent ***\n`);

describe.skipIf(!hasData)("loadTimeSeriesCsv on the non-price files of ../shared/data", () => {
  // Rows, first/last timestamps and gaps pinned with wc -l, head, tail and a python3 check.
  it("funding: 8-hourly rates, negative values kept", async () => {
    const s = await loadTimeSeriesCsv(join(DATA_DIR, "funding/BTCUSDT_funding_8h.csv"));
    const rate = s.columns.funding_rate as Float64Array;
    expect(rate.length).toBe(7028);
    expect(formatTimestampIso(s.timestampsMs[0] as number)).toBe("2019-09-10T08:00:00Z");
    expect(formatTimestampIso(s.timestampsMs[7027] as number)).toBe("2026-02-07T16:00:00Z");
    expect(s.intervalMs).toBe(8 * 3_600_000);
    expect(s.gaps).toEqual([]);
    expect(rate[0]).toBe(0.0001);
    expect(rate[7027]).toBe(-2.907e-5);
    expect(rate.some((r) => r < 0)).toBe(true);
  });

  it("DVOL: daily, one missing day", async () => {
    const s = await loadTimeSeriesCsv(join(DATA_DIR, "implied-vol/BTC_DVOL_daily.csv"), {
      columns: ["dvol"],
    });
    expect(s.columns.dvol?.length).toBe(1102);
    expect(s.columns.dvol?.[0]).toBe(56.76);
    expect(formatTimestampIso(s.timestampsMs[1101] as number)).toBe("2025-11-12T00:00:00Z");
    expect(s.gaps.map((g) => g.missingPeriods)).toEqual([1]);
  });

  it("VIX: weekday calendar, empty early VIX9D cells are NaN", async () => {
    const s = await loadTimeSeriesCsv(join(DATA_DIR, "implied-vol/VIX_daily.csv"));
    expect(Object.keys(s.columns)).toEqual(["vix", "vix9d", "vix3m"]);
    expect(s.timestampsMs.length).toBe(5421);
    expect(formatTimestampIso(s.timestampsMs[0] as number)).toBe("2004-08-19T00:00:00Z");
    expect(s.columns.vix?.[1]).toBe(16);
    expect(s.columns.vix9d?.[0]).toBeNaN();
    expect(s.columns.vix9d?.[5420]).toBe(30.440000534057617);
    // Weekends are not gaps; exchange holidays are (199 gaps, 201 missing weekdays).
    expect(s.gaps.length).toBe(199);
    expect(s.gaps.reduce((a, g) => a + g.missingPeriods, 0)).toBe(201);
  });

  it("order book: ~6 s snapshots with three outages", async () => {
    const s = await loadTimeSeriesCsv(join(DATA_DIR, "orderbook/BTCUSDT_top100_summary_20260615.csv"));
    expect(s.timestampsMs.length).toBe(8377);
    expect(s.intervalMs).toBe(6000);
    expect(formatTimestampIso(s.timestampsMs[8376] as number)).toBe("2026-06-15T22:16:34Z");
    expect(s.columns.imbalance?.[1]).toBe(-0.49145022614765976);
    expect(s.gaps.length).toBe(3);
    expect(s.gaps.reduce((a, g) => a + g.missingPeriods, 0)).toBe(1966);
  });
});
