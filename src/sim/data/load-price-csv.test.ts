import { once } from "node:events";
import { createWriteStream, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { formatTimestampIso } from "../../core/data/parse-timestamp.ts";
import { periodsPerYear } from "../../core/data/trading-calendar.ts";
import { MarginalError } from "../../core/errors.ts";
import { loadPriceCsv } from "./load-price-csv.ts";

const DATA_DIR = fileURLToPath(new URL("../../../../shared/data/", import.meta.url));
const FIXTURES = fileURLToPath(new URL("../../../test/fixtures/data/", import.meta.url));
const hasData = existsSync(DATA_DIR);
if (!hasData) console.warn(`\n*** SKIPPING real-data loader tests: ${DATA_DIR} is absent ***\n`);

// Pinned once by hand: rows = `wc -l` minus the header (plus 1 where the file lacks a final
// newline) minus Yahoo's 4 null rows; first/last from `head`/`tail`; gaps and missing periods
// from an independent python3 csv-module script, scripts/fixtures/data-real-files.py.
const REAL_FILES: readonly (readonly [string, number, string, string, number, number, number])[] = [
  // path, rows, first, last, intervalMs, gaps, missing periods
  ["daily/ADAUSDT.csv", 2817, "2018-04-17T00:00:00Z", "2026-01-01T00:00:00Z", 86_400_000, 0, 0],
  ["daily/BNBUSDT.csv", 2923, "2018-01-01T00:00:00Z", "2026-01-01T00:00:00Z", 86_400_000, 0, 0],
  ["daily/BTCUSDT.csv", 2923, "2018-01-01T00:00:00Z", "2026-01-01T00:00:00Z", 86_400_000, 0, 0],
  ["daily/DOGEUSDT.csv", 2373, "2019-07-05T00:00:00Z", "2026-01-01T00:00:00Z", 86_400_000, 0, 0],
  ["daily/ETHUSDT.csv", 2923, "2018-01-01T00:00:00Z", "2026-01-01T00:00:00Z", 86_400_000, 0, 0],
  ["daily/SOLUSDT.csv", 1970, "2020-08-11T00:00:00Z", "2026-01-01T00:00:00Z", 86_400_000, 0, 0],
  ["daily/XRPUSDT.csv", 2800, "2018-05-04T00:00:00Z", "2026-01-01T00:00:00Z", 86_400_000, 0, 0],
  [
    "equity/SPY_daily_adjusted.csv",
    7553,
    "1995-10-16T00:00:00Z",
    "2025-10-20T00:00:00Z",
    86_400_000,
    273,
    278,
  ],
  ["hourly-close/ADAUSDT.csv", 38971, "2021-01-01T00:00:00Z", "2025-06-13T08:00:00Z", 3_600_000, 7, 14],
  ["hourly-close/BNBUSDT.csv", 38971, "2021-01-01T00:00:00Z", "2025-06-13T08:00:00Z", 3_600_000, 7, 14],
  ["hourly-close/DOGEUSDT.csv", 38971, "2021-01-01T00:00:00Z", "2025-06-13T08:00:00Z", 3_600_000, 7, 14],
  ["hourly-close/SOLUSDT.csv", 38972, "2021-01-01T00:00:00Z", "2025-06-13T09:00:00Z", 3_600_000, 7, 14],
  ["hourly-close/XRPUSDT.csv", 38971, "2021-01-01T00:00:00Z", "2025-06-13T08:00:00Z", 3_600_000, 7, 14],
  ["hourly/BTCUSDT_2017_2021.csv", 33411, "2017-08-17T05:00:00Z", "2021-06-09T23:00:00Z", 3_600_000, 8, 16],
  ["hourly/BTCUSDT_2022_2025.csv", 34348, "2022-01-01T00:00:00Z", "2025-12-02T04:00:00Z", 3_600_000, 1, 1],
  ["hourly/ETHUSDT_2017_2021.csv", 33411, "2017-08-17T05:00:00Z", "2021-06-09T23:00:00Z", 3_600_000, 8, 16],
  ["hourly/ETHUSDT_2022_2025.csv", 34348, "2022-01-01T00:00:00Z", "2025-12-02T04:00:00Z", 3_600_000, 1, 1],
  [
    "raw-formats/binance_kline_ETHUSDT_1d.csv",
    2924,
    "2018-01-01T00:00:00Z",
    "2026-01-02T00:00:00Z",
    86_400_000,
    0,
    0,
  ],
  [
    "raw-formats/yahoo_ETH-USD_1d.csv",
    2298,
    "2015-08-07T00:00:00Z",
    "2021-11-24T00:00:00Z",
    86_400_000,
    3,
    4,
  ],
];

describe.skipIf(!hasData)("loadPriceCsv on every price file of ../shared/data", () => {
  it.each(REAL_FILES)("%s", async (path, rows, first, last, intervalMs, gaps, missing) => {
    const s = await loadPriceCsv(join(DATA_DIR, path));
    expect(s.close.length).toBe(rows);
    expect(s.timestampsMs.length).toBe(rows);
    expect(formatTimestampIso(s.timestampsMs[0] as number)).toBe(first);
    expect(formatTimestampIso(s.timestampsMs[rows - 1] as number)).toBe(last);
    expect(s.intervalMs).toBe(intervalMs);
    expect(s.gaps.length).toBe(gaps);
    expect(s.gaps.reduce((a, g) => a + g.missingPeriods, 0)).toBe(missing);
    expect(s.warningCount).toBe(path.includes("yahoo") ? 4 : 0);
    expect(s.open === undefined).toBe(path.startsWith("hourly-close"));
  });

  it("pins the one missing hour of the 2022–2025 hourly files and a BTC daily row", async () => {
    const s = await loadPriceCsv(join(DATA_DIR, "hourly/BTCUSDT_2022_2025.csv"));
    const gap = s.gaps[0];
    expect(gap && [formatTimestampIso(gap.fromMs), formatTimestampIso(gap.toMs), gap.missingPeriods]).toEqual(
      ["2023-03-24T12:00:00Z", "2023-03-24T14:00:00Z", 1],
    );
    const d = await loadPriceCsv(join(DATA_DIR, "daily/BTCUSDT.csv"));
    // First data line: 2018-01-01T00:00:00Z,13715.65,13818.55,12750.0,13380.0,8609.915844
    expect([d.open?.[0], d.high?.[0], d.low?.[0], d.close[0], d.volume?.[0]]).toEqual([
      13715.65, 13818.55, 12750, 13380, 8609.915844,
    ]);
  });

  it("detects SPY's weekday calendar: 252 periods a year, weekends are not gaps", async () => {
    const s = await loadPriceCsv(join(DATA_DIR, "equity/SPY_daily_adjusted.csv"));
    expect(periodsPerYear(s)).toBe(252);
    // 9/11: markets closed Tue 2001-09-11 … Fri 09-14, so Mon 09-10 → Mon 09-17 misses 4 days.
    const nineEleven = s.gaps.find((g) => formatTimestampIso(g.fromMs) === "2001-09-10T00:00:00Z");
    expect(nineEleven?.missingPeriods).toBe(4);
  });

  it("reads Yahoo's null rows as warnings with their line numbers", async () => {
    const s = await loadPriceCsv(join(DATA_DIR, "raw-formats/yahoo_ETH-USD_1d.csv"));
    expect(s.warnings.map((w) => w.split(",")[0])).toEqual([
      "line 1717",
      "line 1892",
      "line 1895",
      "line 1896",
    ]);
  });

  it("reads the Binance kline export the same as the normalised daily file", async () => {
    const raw = await loadPriceCsv(join(DATA_DIR, "raw-formats/binance_kline_ETHUSDT_1d.csv"));
    const norm = await loadPriceCsv(join(DATA_DIR, "daily/ETHUSDT.csv"));
    expect(Array.from(raw.close.subarray(0, norm.close.length))).toEqual(Array.from(norm.close));
    expect(Array.from(raw.timestampsMs.subarray(0, norm.close.length))).toEqual(
      Array.from(norm.timestampsMs),
    );
  });

  it.each([
    "funding/BTCUSDT_funding_8h.csv",
    "implied-vol/BTC_DVOL_daily.csv",
    "orderbook/BTCUSDT_top100_summary_20260615.csv",
  ])("refuses the non-price file %s with a clear error (use loadTimeSeriesCsv)", async (path) => {
    await expect(loadPriceCsv(join(DATA_DIR, path))).rejects.toThrow(/no price column/);
  });
});

function fixture(name: string): string {
  return join(FIXTURES, name);
}

async function loadError(name: string): Promise<MarginalError> {
  try {
    await loadPriceCsv(fixture(name));
  } catch (error) {
    if (error instanceof MarginalError) return error;
    throw error;
  }
  throw new Error(`${name} loaded without error`);
}

describe("loadPriceCsv on hand-made malformed files", () => {
  // name, line (1-based, header = 1), field, message fragment
  const CASES: readonly (readonly [string, number, string, RegExp])[] = [
    ["bad-number.csv", 4, "close", /'abc' is not a number/],
    ["negative-price.csv", 3, "low", /price must be > 0, got -101/],
    ["zero-price.csv", 5, "open", /price must be > 0, got 0/],
    ["backwards-timestamp.csv", 5, "timestamp", /timestamp goes backwards/],
    ["duplicate-timestamp.csv", 4, "timestamp", /timestamp duplicated/],
    ["high-below-low.csv", 3, "high", /high 100 < low 101/],
    ["high-below-close.csv", 4, "high", /high 109 < close 110/],
    ["low-above-open.csv", 5, "low", /low 97 > open 96/],
    ["bad-timestamp.csv", 3, "timestamp", /'yesterday' is not a timestamp/],
    ["negative-volume.csv", 4, "volume", /volume must be ≥ 0/],
  ];

  it.each(CASES)("%s fails at line %i, field %s", async (name, line, field, reason) => {
    const e = await loadError(name);
    expect(e.code).toBe("invalid_data");
    expect(e.message).toContain(`${fixture(name)} line ${line}, field ${field}:`);
    expect(e.message).toMatch(reason);
    expect(e.details).toEqual({ file: fixture(name), line, field });
  });

  it.each(CASES)("%s loads under skipBadRows with one warning", async (name, line, field) => {
    const s = await loadPriceCsv(fixture(name), { skipBadRows: true });
    expect(s.warningCount).toBe(1);
    expect(s.warnings[0]).toMatch(new RegExp(`^line ${line}, field ${field}: .*row skipped$`));
  });

  it("counts several bad rows and reports the gap they leave", async () => {
    await expect(loadPriceCsv(fixture("several-bad-rows.csv"))).rejects.toThrow(/line 4, field close/);
    const s = await loadPriceCsv(fixture("several-bad-rows.csv"), { skipBadRows: true });
    expect(s.warningCount).toBe(3);
    expect(s.warnings.map((w) => w.split(":")[0])).toEqual([
      "line 4, field close",
      "line 5, field timestamp",
      "line 6, field low",
    ]);
    expect(Array.from(s.close)).toEqual([105, 108, 100, 98]);
    expect(s.gaps.map((g) => g.missingPeriods)).toEqual([2]);
  });

  it("gives clear errors for an empty file, a header without rows, no price column, a missing file", async () => {
    expect((await loadError("empty.csv")).message).toMatch(/empty file/);
    expect((await loadError("header-only.csv")).message).toMatch(/no data rows/);
    expect((await loadError("no-price-column.csv")).message).toMatch(/no price column/);
    const missing = await loadError("does-not-exist.csv");
    expect(missing.code).toBe("not_found");
    // A directory opens but cannot be read: still a MarginalError, not a raw Node error.
    expect((await loadError("")).message).toMatch(/cannot read \(EISDIR\)/);
  });
});

describe("loadPriceCsv on vendor variants", () => {
  it("reads capitalised headers without volume and bare dates", async () => {
    const s = await loadPriceCsv(fixture("capitalised-no-volume.csv"));
    expect(s.volume).toBeUndefined();
    expect(Array.from(s.high ?? [])).toEqual([110, 112]);
    expect(s.timestampsMs[0]).toBe(Date.UTC(2024, 0, 1));
  });
  it("reads unix seconds and milliseconds", async () => {
    const sec = await loadPriceCsv(fixture("unix-seconds.csv"));
    expect(Array.from(sec.timestampsMs)).toEqual([0, 1, 2].map((h) => Date.UTC(2024, 0, 1, h)));
    expect(sec.intervalMs).toBe(3_600_000);
    const ms = await loadPriceCsv(fixture("unix-milliseconds.csv"));
    expect(Array.from(ms.timestampsMs)).toEqual([Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 2)]);
  });
  it("reads quoted cells, CRLF line ends and `+00:00` offsets", async () => {
    const s = await loadPriceCsv(fixture("quoted-crlf.csv"));
    expect(Array.from(s.close)).toEqual([100, 101]);
    expect(s.timestampsMs[1]).toBe(Date.UTC(2024, 0, 1, 1));
  });
});

describe("loadPriceCsv streams large files", () => {
  const dir = mkdtempSync(join(tmpdir(), "marginal-stream-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("loads 2 million rows with heap growth far below the file size", async () => {
    const rows = 2_000_000;
    const path = join(dir, "big.csv");
    const out = createWriteStream(path);
    out.write("timestamp,open,high,low,close,volume\n");
    const t0 = Date.UTC(2020, 0, 1);
    let day = "";
    for (let start = 0; start < rows; start += 50_000) {
      let chunk = "";
      for (let i = start; i < start + 50_000; i++) {
        const p = 100 + (i % 1000) / 100;
        // Minute bars: the date part changes once a day, so format it once a day (fast writes).
        if (i % 1440 === 0 || day === "") day = formatTimestampIso(t0 + i * 60_000).slice(0, 11);
        const minuteOfDay = i % 1440;
        const hh = String(Math.floor(minuteOfDay / 60)).padStart(2, "0");
        const mm = String(minuteOfDay % 60).padStart(2, "0");
        chunk += `${day}${hh}:${mm}:00Z,${p},${p + 1},${p - 1},${p + 0.5},${i % 97}\n`;
      }
      if (!out.write(chunk)) await once(out, "drain");
    }
    out.end();
    await once(out, "finish");
    const fileBytes = out.bytesWritten;

    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }, 5);
    const s = await loadPriceCsv(path);
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().heapUsed);

    expect(s.close.length).toBe(rows);
    expect(s.intervalMs).toBe(60_000);
    expect(s.gaps).toEqual([]);
    expect(s.close[rows - 1]).toBe(100 + 999 / 100 + 0.5);
    expect(s.timestampsMs[rows - 1]).toBe(t0 + (rows - 1) * 60_000);
    // The columns live in ArrayBuffers (outside the JS heap) and the text is never held whole,
    // so the heap's peak growth (garbage not yet collected included; ~60 MB measured) stays
    // below the file size (~104 MB), which holding the text even once would exceed.
    console.info(
      `streaming: ${rows} rows, ${(fileBytes / 1e6).toFixed(0)} MB, peak heap growth ${((peak - before) / 1e6).toFixed(0)} MB`,
    );
    expect(peak - before).toBeLessThan(fileBytes);
  }, 60_000); // ~6 s on an idle 2-core machine; generous for a loaded one
});
