import type { Engine } from "../engine/create-engine.ts";
import { liquidationQueue, marketSummary } from "./market-summary.ts";

/*
 * The plain HTML page at `/`: markets, marks, the insurance fund and counts, refreshed every
 * two seconds, so whoever opens the printed URL sees a live venue before the dashboard exists.
 * Every value is escaped; the page has no script.
 */

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const th = head.map((h) => `<th>${escapeHtml(h)}</th>`).join("");
  const trs = rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join("")}</tr>`).join("");
  return `<table><thead><tr>${th}</tr></thead><tbody>${trs}</tbody></table>`;
}

const fmt = (x: number | null, digits = 2) =>
  x === null || !Number.isFinite(x) ? "—" : x.toLocaleString("en-US", { maximumFractionDigits: digits });

/** Renders the status page from the engine's current state. */
export function renderStatusPage(
  engine: Engine,
  venueLedger: { insurance: Record<string, string>; fees: Record<string, string> },
  title: string,
): string {
  const state = engine.state();
  const { underlyings, markets } = marketSummary(engine);
  const inLiquidation = state.subaccounts.filter((s) => s.liquidation !== null).length;
  const queue = liquidationQueue(engine, 10);
  const clock = state.clockMs > 0 ? new Date(state.clockMs).toISOString() : "—";
  const body =
    state.config === null
      ? "<p>The venue is not configured yet: an admin applies a risk-parameter document (POST /v1/risk-params/proposals, then …/apply).</p>"
      : [
          "<h2>Underlyings</h2>",
          table(
            ["underlying", "mark (USD)", "valid", "status", "margin multiplier"],
            underlyings.map((u) => [
              u.underlying,
              u.mark ?? "—",
              String(u.markValid),
              `${u.status}${u.statusReason ? ` (${u.statusReason})` : ""}`,
              fmt(u.marginMultiplier),
            ]),
          ),
          "<h2>Markets</h2>",
          table(
            ["market", "kind", "mark (USD)", "IM", "MM", "open interest"],
            markets.map((m) => [
              m.marketId,
              m.kind,
              fmt(m.markPriceUsd),
              fmt(m.initialMarginFraction, 4),
              fmt(m.maintenanceMarginFraction, 4),
              m.openInterest,
            ]),
          ),
          "<h2>Venue</h2>",
          table(
            ["figure", "value"],
            [
              ["accounts", String(state.accounts.size)],
              ["sub-accounts", String(state.subaccounts.length)],
              ["in liquidation now", String(inLiquidation)],
              ["events (seq)", String(state.seq)],
              ["engine clock", clock],
              ...Object.entries(venueLedger.insurance).map(([a, v]) => [`insurance fund (${a})`, v]),
              ...Object.entries(venueLedger.fees).map(([a, v]) => [`fees collected (${a})`, v]),
            ],
          ),
          "<h2>Liquidation queue (oldest first)</h2>",
          queue.length === 0
            ? "<p>empty</p>"
            : table(
                ["sub-account", "since", "equity (USD)", "MM (USD)"],
                queue.map((q) => [
                  q.subaccountId,
                  new Date(q.startedAtMs).toISOString(),
                  fmt(q.equityUsd),
                  fmt(q.maintenanceMarginUsd),
                ]),
              ),
        ].join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="2">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse;margin-bottom:1rem}td,th{border:1px solid #ccc;padding:.25rem .6rem;text-align:right}th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}</style>
</head><body><h1>${escapeHtml(title)}</h1>
<p>API: <a href="/docs">/docs</a> · <a href="/health">/health</a> · <a href="/ready">/ready</a> · <a href="/metrics">/metrics</a> · WebSocket <code>/v1/stream</code></p>
${body}
</body></html>`;
}
