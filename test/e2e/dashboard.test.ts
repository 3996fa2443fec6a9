import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Page } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiCall, type DemoServer, REPO_ROOT, startDemoServer } from "./demo-server.ts";
import { chromiumAvailable, type HeadlessChromium, launchChromium } from "./headless-chromium.ts";

/*
 * The dashboard end to end: `marginal serve --demo` in a child process, the dashboard built
 * from web/ and served by it, Debian's Chromium headless. A person's path through it: sign in,
 * watch prices move, page/search/sort the accounts table (server-side), open the riskiest account, price an order with what-if, see a liquidation
 * arrive in the feed, and find that a trader key reaches only its own account. Figures the
 * browser shows are checked against the API's own answers, read independently by the test.
 * Screenshots of every page at a desktop and a phone width go to test/e2e/screenshots/.
 */

const SCREENSHOTS = join(REPO_ROOT, "test/e2e/screenshots");
const DESKTOP = { width: 1440, height: 900 };
const NARROW = { width: 390, height: 844 };

const hasChromium = chromiumAvailable();
if (!hasChromium) {
  console.warn(
    "\n⚠️  E2E DASHBOARD TESTS SKIPPED: /usr/bin/chromium is missing (apt-get install -y chromium; .ci/run installs it).\n",
  );
}

interface AccountAnswer {
  accountId: string;
  subaccounts: {
    subaccountId: string;
    engine: { health: number | null };
    positions: unknown[];
    inLiquidation: boolean;
  }[];
}

/** "$1,234.56" or "-$1,234.56" → -1234.56 */
function usdOf(text: string): number {
  const n = Number(text.replace(/[$,\s]/g, ""));
  if (!Number.isFinite(n)) throw new Error(`not a USD amount: '${text}'`);
  return n;
}

/** "1.39×" → 1.39; "∞" → Infinity */
function healthOf(text: string): number {
  if (text.trim() === "∞") return Number.POSITIVE_INFINITY;
  return Number(text.replace(/[×>\s]/g, ""));
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.setViewportSize(DESKTOP);
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize(NARROW);
  // Charts follow their container through a ResizeObserver: give them a frame to redraw.
  await page.waitForTimeout(700);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-narrow.png`), fullPage: true });
  await page.setViewportSize(DESKTOP);
}

async function signIn(page: Page, server: DemoServer, key: string, path = "/overview"): Promise<void> {
  await page.goto(`${server.url}${path}`);
  await page.getByTestId("api-key").fill(key);
  await page.getByTestId("sign-in").click();
  await page.getByTestId("role").waitFor({ state: "visible", timeout: 20_000 });
}

describe.skipIf(!hasChromium)("dashboard in headless Chromium against marginal serve --demo", () => {
  let server: DemoServer;
  let chromium: HeadlessChromium;
  let page: Page;
  let riskiestAccountId = "";
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    // The service serves web/dist: build it from the sources under test.
    await build({ configFile: join(REPO_ROOT, "web/vite.config.ts"), logLevel: "warn" });
    [server, chromium] = await Promise.all([
      startDemoServer({ accounts: 400, hoursPerSecond: 2, timeoutMs: 90_000 }),
      launchChromium(),
    ]);
    page = await chromium.context.newPage();
    page.on("pageerror", (e) => pageErrors.push(e.message));
  }, 150_000);

  afterAll(async () => {
    await chromium?.close();
    await server?.stop();
  }, 30_000);

  it("serves the app at its paths, and API paths stay API answers", async () => {
    for (const path of ["/overview", "/accounts/anything", "/liquidations"]) {
      const r = await fetch(`${server.url}${path}`);
      expect(r.status, path).toBe(200);
      expect(r.headers.get("content-type"), path).toContain("text/html");
      expect(await r.text(), path).toContain('<div id="root">');
    }
    const api = await fetch(`${server.url}/v1/no-such-route`, {
      headers: { authorization: `Bearer ${server.adminKey}` },
    });
    expect(api.status).toBe(404);
    expect(api.headers.get("content-type")).toContain("application/problem+json");
    expect((await fetch(`${server.url}/assets/missing-file.js`)).status).toBe(404);
  });

  it("refuses a wrong key and signs in with the admin key", async () => {
    await page.goto(`${server.url}/overview`);
    await page.getByTestId("api-key").fill("mgl_0000000000000000_not-a-real-secret");
    await page.getByTestId("sign-in").click();
    await expect
      .poll(() => page.getByTestId("sign-in-error").textContent(), { timeout: 20_000 })
      .toContain("does not accept");
    await signIn(page, server, server.adminKey);
    expect(await page.getByTestId("role").textContent()).toBe("admin");
  }, 60_000);

  it("shows live prices that change, and the venue's figures as the API reports them", async () => {
    const mark = page.getByTestId("mark-BTC");
    await expect.poll(() => mark.textContent(), { timeout: 20_000 }).toMatch(/^\d/);
    const first = await mark.textContent();
    await expect.poll(() => mark.textContent(), { timeout: 30_000, interval: 250 }).not.toBe(first);
    // The insurance fund shown is the API's (it moves only on liquidations: read both close together).
    const fund = await apiCall<{ insurance: Record<string, string> }>(
      server,
      server.adminKey,
      "GET",
      "/v1/insurance-fund",
    );
    const usdc = Number(fund.insurance.USDC);
    await expect
      .poll(
        async () => Number((await page.getByTestId("insurance-fund").textContent())?.replace(/[^\d.]/g, "")),
        { timeout: 10_000 },
      )
      .toBeGreaterThan(usdc * 0.9);
    // One state badge per underlying of the venue.
    const markets = await apiCall<{ underlyings: unknown[] }>(server, server.adminKey, "GET", "/v1/markets");
    expect(await page.getByTestId("market-state").count()).toBe(markets.underlyings.length);
    // The price chart accumulates points as the marks arrive.
    await expect
      .poll(async () => Number(await page.getByTestId("price-chart-BTC").getAttribute("data-points")), {
        timeout: 10_000,
      })
      .toBeGreaterThan(3);
  }, 90_000);

  it("pages, searches and sorts the accounts table on the server", async () => {
    await page.getByTestId("nav-accounts").click();
    // The server counts the whole population at once (400 traders + liquidator + maker).
    await expect
      .poll(async () => (await page.getByTestId("account-count").textContent()) ?? "", { timeout: 20_000 })
      .toMatch(/^40\d sub-accounts$/);
    expect(await page.getByTestId("page-position").textContent()).toBe("Page 1 of 9");
    // Paging is checked on a key that the demo does not move (health changes every second, so
    // pages by health may legitimately overlap between two requests): ids, in order, no overlap.
    await page.getByTestId("sort-accountId").click();
    await expect
      .poll(
        async () => {
          const ids = await page.getByTestId("account-link").allTextContents();
          return ids.length === 50 && ids.every((id, i) => i === 0 || ids[i - 1]! < id);
        },
        { timeout: 10_000 },
      )
      .toBe(true);
    const firstPage = await page.getByTestId("account-link").allTextContents();
    expect(firstPage.length).toBe(50);
    await page.getByTestId("page-next").click();
    await expect.poll(() => page.getByTestId("page-position").textContent()).toBe("Page 2 of 9");
    await expect
      .poll(async () => (await page.getByTestId("account-link").allTextContents())[0] ?? "", {
        timeout: 10_000,
      })
      .not.toBe(firstPage[0]);
    const secondPage = await page.getByTestId("account-link").allTextContents();
    expect(secondPage.length).toBe(50);
    expect(secondPage.filter((id) => firstPage.includes(id))).toEqual([]);
    expect(secondPage[0]! > firstPage[firstPage.length - 1]!).toBe(true);
    await page.getByTestId("page-previous").click();
    await expect.poll(() => page.getByTestId("page-position").textContent()).toBe("Page 1 of 9");
    // Search: the server's answer for the same text.
    await page.getByTestId("account-search").fill("trader-0001");
    await expect
      .poll(async () => (await page.getByTestId("account-link").allTextContents()).sort(), {
        timeout: 10_000,
      })
      .toEqual(Array.from({ length: 10 }, (_, i) => `demo-trader-0001${i}-main`));
    await page.getByTestId("sort-accountId").click();
    await expect
      .poll(() => page.getByTestId("account-link").first().textContent(), { timeout: 10_000 })
      .toBe("demo-trader-00010-main");
    await page.getByTestId("account-search").fill("");
    await page.getByTestId("sort-health").click();
    await expect.poll(() => page.getByTestId("account-link").count(), { timeout: 10_000 }).toBe(50);
  }, 60_000);

  it("opens the riskiest account from the table sorted by health", async () => {
    expect(await page.locator('th[aria-sort="ascending"]').textContent()).toContain("Health");
    const rowsShown = () =>
      page.evaluate(() =>
        Array.from(document.querySelectorAll('[data-testid="account-row"]')).map((tr) => ({
          liquidating: tr.classList.contains("in-liquidation"),
          health: tr.querySelector("td:nth-child(2)")?.textContent ?? "",
        })),
      );
    // The page is the server's, riskiest first (in liquidation, then by health): wait for the
    // answer to the health sort.
    await expect
      .poll(
        async () => {
          const rows = await rowsShown();
          const rest = rows.filter((r) => !r.liquidating).map((r) => healthOf(r.health));
          const liquidatingFirst = rows.every(
            (r, i) => i === 0 || !r.liquidating || rows[i - 1]!.liquidating,
          );
          return rows.length === 50 && liquidatingFirst && rest.every((x, i) => i === 0 || x >= rest[i - 1]!);
        },
        { timeout: 10_000 },
      )
      .toBe(true);
    await screenshot(page, "accounts");

    const link = page.getByTestId("account-link").first();
    const subaccountId = (await link.textContent()) ?? "";
    await link.click();
    await page.getByTestId("subaccount").first().waitFor({ timeout: 20_000 });
    riskiestAccountId = (await page.getByTestId("account-title").textContent()) ?? "";
    expect(subaccountId.startsWith(riskiestAccountId)).toBe(true);

    // Independently: the account's health (API, now) is among the lowest of the population.
    const ids = (
      await apiCall<{ accountIds: string[] }>(server, server.adminKey, "GET", "/v1/accounts?limit=1000")
    ).accountIds;
    const all = await Promise.all(
      ids.map((id) => apiCall<AccountAnswer>(server, server.adminKey, "GET", `/v1/accounts/${id}`)),
    );
    const population = all.flatMap((a) =>
      a.subaccounts.map((s) => ({
        accountId: a.accountId,
        health: s.engine.health ?? Number.POSITIVE_INFINITY,
      })),
    );
    const sorted = population.map((p) => p.health).sort((a, b) => a - b);
    const mine = population.find((p) => p.accountId === riskiestAccountId)!;
    // The table is up to one refresh cycle old and the demo moves two synthetic hours a second:
    // the account is in the lowest decile now, unless a liquidation has meanwhile reduced or
    // closed its risk (the riskiest account is exactly the one the demo's liquidator takes on),
    // which the venue's recent liquidation events then show.
    const recent = await apiCall<unknown>(server, server.adminKey, "GET", "/v1/events/recent?limit=500");
    const liquidatedMeanwhile = JSON.stringify(recent).includes(`"${riskiestAccountId}"`);
    if (!liquidatedMeanwhile) {
      expect(mine.health).toBeLessThanOrEqual(sorted[Math.floor(sorted.length * 0.1)]!);
    }
    expect(Number.isFinite(mine.health)).toBe(true);
    // Its figures are on the page, and health = equity / MM as shown. The page refreshes every
    // 2 s, so the three are read in one synchronous pass over the DOM.
    const shown = await page.evaluate(() =>
      ["equity", "maintenance-margin", "health"].map(
        (id) => document.querySelector(`[data-testid="${id}"]`)?.textContent ?? "",
      ),
    );
    const [equity, mm, shownHealth] = [usdOf(shown[0]!), usdOf(shown[1]!), healthOf(shown[2]!)];
    expect(shownHealth).toBeCloseTo(equity / mm, 1);
    expect(await page.getByTestId("liquidation-price").count()).toBeGreaterThan(0);
  }, 120_000);

  it("prices an order with what-if before placing it, as the API does", async () => {
    const form = page.getByTestId("what-if").first();
    const marketId = await form.getByTestId("what-if-market").inputValue();
    // A validation error names the field and sends nothing.
    await form.getByTestId("what-if-size").fill("-1");
    await form.getByTestId("what-if-run").click();
    await expect.poll(() => form.getByTestId("what-if-errors").textContent()).toContain("size");

    // The riskiest account may be liquidated by the demo while we look at it; a comparison is
    // only meaningful when its positions did not change between the page's what-if and the
    // API's, so try again (a few times) when they did.
    const positionsOf = async () => {
      const a = await apiCall<AccountAnswer>(
        server,
        server.adminKey,
        "GET",
        `/v1/accounts/${riskiestAccountId}`,
      );
      return {
        subaccountId: a.subaccounts[0]!.subaccountId,
        positions: JSON.stringify(a.subaccounts.map((s) => s.positions)),
      };
    };
    let compared = false;
    for (let attempt = 0; attempt < 4 && !compared; attempt++) {
      const before = await positionsOf();
      const markets = await apiCall<{ markets: { marketId: string; markPriceUsd: number }[] }>(
        server,
        server.adminKey,
        "GET",
        "/v1/markets",
      );
      const price = markets.markets.find((m) => m.marketId === marketId)!.markPriceUsd.toFixed(2);
      await form.getByTestId("what-if-side").selectOption("buy");
      await form.getByTestId("what-if-size").fill("2");
      await form.getByTestId("what-if-price").fill(price);
      await form.getByTestId("what-if-run").click();
      await form.getByTestId("what-if-result").waitFor({ timeout: 20_000 });
      const shownAfterIm = usdOf(
        (await form.getByTestId("what-if-after-initial-margin").textContent()) ?? "",
      );
      const verdict = (await form.getByTestId("what-if-verdict").textContent()) ?? "";
      const api = await apiCall<{ after: { initialMarginUsd: number }; accepted: boolean }>(
        server,
        server.adminKey,
        "POST",
        `/v1/accounts/${riskiestAccountId}/what-if`,
        { subaccountId: before.subaccountId, marketId, side: "buy", size: "2", price },
      );
      const after = await positionsOf();
      if (after.positions !== before.positions) continue;
      // Marks move between the two requests: equal within a few percent.
      expect(Math.abs(shownAfterIm - api.after.initialMarginUsd)).toBeLessThanOrEqual(
        0.05 * api.after.initialMarginUsd + 1,
      );
      expect(verdict.startsWith(api.accepted ? "Would be accepted" : "Would be rejected")).toBe(true);
      compared = true;
    }
    expect(compared, "the account's positions kept changing during every what-if attempt").toBe(true);
    await screenshot(page, "account");
  }, 90_000);

  it("shows a liquidation in the live feed", async () => {
    await page.getByTestId("nav-liquidations").click();
    await expect
      .poll(() => page.getByTestId("stream-status").textContent(), { timeout: 20_000 })
      .toBe("stream live");
    // The demo's leveraged traders are liquidated within tens of seconds of synthetic moves.
    await page
      .locator('[data-testid="feed-item"][data-kind="liquidation"]')
      .first()
      .waitFor({ timeout: 90_000 });
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    const started = Number(/^marginal_liquidations_total (\d+)/m.exec(metrics)?.[1] ?? "0");
    expect(started).toBeGreaterThan(0);
    await screenshot(page, "liquidations");
  }, 120_000);

  it("shows the risk-parameter document, its history and the diff of a proposal", async () => {
    const current = await apiCall<{ markets: Record<string, { policy: Record<string, unknown> }> }>(
      server,
      server.adminKey,
      "GET",
      "/v1/risk-params",
    );
    const next = structuredClone(current);
    const btc = next.markets["BTC-PERP"]!.policy;
    btc.maintenanceFraction = 0.03;
    await apiCall(server, server.adminKey, "POST", "/v1/risk-params/proposals", {
      document: next,
      note: "e2e: raise BTC-PERP maintenance",
    });
    await page.getByTestId("nav-risk").click();
    await page.getByText("v2", { exact: true }).click({ timeout: 20_000 });
    const diff = page.getByTestId("risk-diff");
    await expect
      .poll(() => diff.textContent(), { timeout: 10_000 })
      .toContain("markets.BTC-PERP.policy.maintenanceFraction");
    expect(await diff.textContent()).toContain("0.03");
    expect(await page.getByTestId("risk-document").textContent()).toContain('"BTC-PERP"');
    await screenshot(page, "risk-parameters");
  }, 60_000);

  it("opens a report written by marginal backtest in the Reports page", async () => {
    const btc = join(REPO_ROOT, "../shared/data/daily/BTCUSDT.csv");
    let file = {
      name: "inline.html",
      mimeType: "text/html",
      buffer: Buffer.from("<!doctype html><title>r</title><h1>Inline report</h1>"),
    };
    let heading = "Inline report";
    if (existsSync(btc)) {
      // A real report: the backtest CLI on real daily BTC closes (about two seconds).
      const out = join(mkdtempSync(join(tmpdir(), "marginal-report-")), "backtest.html");
      execFileSync(
        process.execPath,
        [
          join(REPO_ROOT, "bin/marginal.js"),
          "backtest",
          "--input",
          btc,
          "--params",
          join(REPO_ROOT, "examples/sim/backtest-risk-params.json"),
          "--report",
          out,
        ],
        { cwd: REPO_ROOT, stdio: "ignore" },
      );
      file = { name: "backtest.html", mimeType: "text/html", buffer: readFileSync(out) };
      rmSync(dirname(out), { recursive: true, force: true });
      heading = "Margin policy backtest";
    } else {
      console.warn(
        `\n⚠️  ../shared/data is absent: the Reports page is tested with an inline HTML file instead of a backtest report (${btc}).\n`,
      );
    }
    await page.getByTestId("nav-reports").click();
    await page.getByTestId("report-file").setInputFiles(file);
    const frame = page.frameLocator('[data-testid="report-frame"]');
    await expect.poll(() => frame.locator("h1").first().textContent(), { timeout: 15_000 }).toBe(heading);
    await screenshot(page, "reports");
  }, 60_000);

  it("lets a trader key see its own account and no other", async () => {
    const ids = (
      await apiCall<{ accountIds: string[] }>(server, server.adminKey, "GET", "/v1/accounts?limit=1000")
    ).accountIds.filter((id) => id.startsWith("demo-trader-"));
    const own = ids[0]!;
    const other = ids[1]!;
    const created = await apiCall<{ key: string }>(server, server.adminKey, "POST", "/v1/keys", {
      role: "trader",
      accountIds: [own],
      label: "e2e trader",
    });

    const trader = await chromium.context.newPage();
    trader.on("pageerror", (e) => pageErrors.push(e.message));
    await signIn(trader, server, created.key, "/accounts");
    expect(await trader.getByTestId("role").textContent()).toBe("trader");
    // The key's own accounts come from /v1/me and the table from the server: nothing to type.
    await expect
      .poll(() => trader.getByTestId("account-link").allTextContents(), { timeout: 20_000 })
      .toEqual([`${own}-main`]);
    expect(await trader.getByTestId("own-accounts").textContent()).toContain(own);
    // Searching for another trader finds nothing: the server shows a trader only its own.
    await trader.getByTestId("account-search").fill(other);
    await expect.poll(() => trader.getByTestId("account-count").textContent()).toBe("0 sub-accounts");
    await trader.getByTestId("account-search").fill("");
    await expect
      .poll(() => trader.getByTestId("account-link").allTextContents(), { timeout: 10_000 })
      .toEqual([`${own}-main`]);
    await screenshot(trader, "trader-accounts");
    // A reload keeps the sign-in (this tab's sessionStorage).
    await trader.reload();
    await expect
      .poll(() => trader.getByTestId("account-link").allTextContents(), { timeout: 20_000 })
      .toEqual([`${own}-main`]);

    await trader.goto(`${server.url}/accounts/${other}`);
    await expect
      .poll(() => trader.getByTestId("account-error").textContent(), { timeout: 20_000 })
      .toContain("not allowed");
    expect(await trader.getByTestId("subaccount").count()).toBe(0);
    // The liquidation queue is not a trader's to see.
    await trader.getByTestId("nav-liquidations").click();
    expect(await trader.getByTestId("liquidation-queue").count()).toBe(0);
    // Its feed holds only its own sub-account's events (often none: then this holds vacuously).
    await trader.waitForTimeout(2000);
    for (const sub of await trader.locator('[data-testid="feed-item"] .feed-sub').allTextContents())
      expect(sub).toBe(`${own}-main`);
    await trader.getByTestId("sign-out").click();
    await trader.getByTestId("api-key").waitFor({ timeout: 10_000 });
    await trader.close();
  }, 90_000);

  it("starts the charts and the feed with the service's history at sign-in", async () => {
    const fresh = await chromium.context.newPage();
    fresh.on("pageerror", (e) => pageErrors.push(e.message));
    // The history grows with the demo's engine time: on a fast machine this test may start before
    // it holds 20 points, so wait (bounded) for them, as the overview test does.
    const marketHistory = () =>
      apiCall<{ atMs: number[] }>(server, server.adminKey, "GET", "/v1/history/markets/BTC-PERP");
    await expect
      .poll(async () => (await marketHistory()).atMs.length, { timeout: 30_000, interval: 250 })
      .toBeGreaterThan(20);
    const history = await marketHistory();
    expect(history.atMs.length).toBeGreaterThan(20);
    await signIn(fresh, server, server.adminKey, "/overview");
    // Within a few seconds of sign-in the chart holds the service's points, not one per second since.
    await expect
      .poll(async () => Number(await fresh.getByTestId("price-chart-BTC").getAttribute("data-points")), {
        timeout: 5000,
      })
      .toBeGreaterThanOrEqual(history.atMs.length);
    // The histogram is the server's count of the whole population.
    const bands = await apiCall<{ total: number }>(
      server,
      server.adminKey,
      "GET",
      "/v1/subaccounts/health-bands",
    );
    await expect
      .poll(() => fresh.getByTestId("health-histogram-total").textContent(), { timeout: 5000 })
      .toBe(`${bands.total} sub-accounts`);
    // The feed starts with the recent liquidations (one happened above), before any new one.
    await fresh.getByTestId("nav-liquidations").click();
    await expect.poll(() => fresh.getByTestId("feed-item").count(), { timeout: 5000 }).toBeGreaterThan(0);
    await fresh.close();
  }, 60_000);

  it("shows the overview with its histories, without a page error", async () => {
    await page.getByTestId("nav-overview").click();
    await page.getByTestId("underlying-BTC").waitFor();
    // The history grows with the demo's engine time (two hours a second): on a loaded machine it
    // may still be short when the page opens, so wait (bounded) for more than 20 points.
    const points = () =>
      page
        .getByTestId("price-chart-BTC")
        .getAttribute("data-points")
        .then((v) => Number(v));
    const deadline = Date.now() + 30_000;
    while ((await points()) <= 20 && Date.now() < deadline) await page.waitForTimeout(250);
    expect(await points()).toBeGreaterThan(20);
    await screenshot(page, "overview");
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
