import { launchChromium } from "./headless-chromium.ts";

/*
 * How many API requests one open dashboard tab makes: signs in at `url` with `key` in headless
 * Chromium, opens each page given, and counts the requests to /v1 (WebSocket excluded) over
 * the measuring window. Used for the figures in docs/dashboard.md:
 *
 *   node --import tsx test/e2e/measure-request-rate.ts http://127.0.0.1:PORT KEY 30 /overview /accounts
 *
 * Prints one JSON line per page: requests per second, and the paths most asked for.
 */

const [url, key, secondsText = "30", ...paths] = process.argv.slice(2);
if (url === undefined || key === undefined) {
  console.error("usage: measure-request-rate.ts URL KEY [SECONDS] [PATH…]");
  process.exit(2);
}
const seconds = Number(secondsText);
const chromium = await launchChromium();
try {
  for (const path of paths.length === 0 ? ["/overview", "/accounts"] : paths) {
    const page = await chromium.context.newPage();
    await page.goto(`${url}${path}`);
    await page.getByTestId("api-key").fill(key);
    await page.getByTestId("sign-in").click();
    await page.getByTestId("role").waitFor({ timeout: 30_000 });
    // Settle: the first answers (the histories, the feed's seed) are not the steady rate.
    await page.waitForTimeout(5000);
    const counts = new Map<string, number>();
    let total = 0;
    page.on("request", (r) => {
      const u = new URL(r.url());
      if (!u.pathname.startsWith("/v1/") || u.pathname === "/v1/stream") return;
      total += 1;
      const route = u.pathname.replace(/\/v1\/accounts\/[^/]+/, "/v1/accounts/{id}");
      counts.set(route, (counts.get(route) ?? 0) + 1);
    });
    await page.waitForTimeout(seconds * 1000);
    const top = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 6);
    console.log(
      JSON.stringify({
        path,
        seconds,
        requestsPerSecond: Number((total / seconds).toFixed(2)),
        top: Object.fromEntries(top),
      }),
    );
    await page.close();
  }
} finally {
  await chromium.close();
}
