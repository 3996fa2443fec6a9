import { BarList } from "../components/bar-list.tsx";
import { StatusBadge } from "../components/status-badge.tsx";
import { TimeChart } from "../components/time-chart.tsx";
import { useVenue } from "../data/use-venue.ts";
import type { UnderlyingView } from "../data/venue-store.ts";
import { readsAllAccounts } from "../data/venue-store.ts";
import {
  formatDecimalString,
  formatPercent,
  formatPriceAxis,
  formatPriceUsd,
  formatUsdCompact,
} from "../lib/format.ts";
import { HISTOGRAM_LABELS, histogramOfBands } from "../lib/health-bands.ts";

/*
 * The venue at a glance: per underlying the mark, its volatility, the state of its markets and
 * the effective IM/MM fractions with their history (requirements rising into a crash show as a
 * step up of the lines), the insurance fund over time, open interest, and how many sub-accounts
 * sit in each health band (counted by the server over every sub-account the key may read). The
 * charts run on engine time and start with the service's history.
 */

const PRICE_COLORS = ["#2563eb"];
const FRACTION_COLORS = ["#d97706", "#dc2626"];
const FUND_COLORS = ["#059669"];
const PRICE_LABELS = ["mark (USD)"];
const FRACTION_LABELS = ["IM fraction", "MM fraction"];
const FUND_LABELS = ["insurance fund"];
const fmtPct = (v: number) => formatPercent(v, 1);
const TONES = ["sev-0", "sev-1", "sev-1", "sev-2", "sev-3", "sev-3", "sev-0", "sev-none"];

function UnderlyingCard({ u, version }: { readonly u: UnderlyingView; readonly version: number }) {
  const im = u.imFraction;
  const mm = u.mmFraction;
  return (
    <section className="card underlying" data-testid={`underlying-${u.underlying}`}>
      <header className="card-head">
        <h2>{u.underlying}</h2>
        <StatusBadge status={u.status} marginMultiplier={u.marginMultiplier} reason={u.statusReason} />
      </header>
      <dl className="figures">
        <div>
          <dt>Mark</dt>
          <dd data-testid={`mark-${u.underlying}`}>{u.mark === null ? "—" : formatDecimalString(u.mark)}</dd>
        </div>
        <div>
          <dt title="EWMA (λ = 0.94) standard deviation of log returns between mark updates">Vol / update</dt>
          <dd>{formatPercent(u.volPerUpdate, 3)}</dd>
        </div>
        <div>
          <dt title={`Effective fractions of ${u.referenceMarketId ?? "—"}, including the margin multiplier`}>
            IM / MM
          </dt>
          <dd>
            {formatPercent(im, 2)} / {formatPercent(mm, 2)}
          </dd>
        </div>
        <div>
          <dt>Multiplier</dt>
          <dd>{u.marginMultiplier.toFixed(2)}×</dd>
        </div>
      </dl>
      <h3 className="chart-title">Mark</h3>
      <TimeChart
        series={u.markHistory}
        version={version}
        labels={PRICE_LABELS}
        colors={PRICE_COLORS}
        formatValue={formatPriceUsd}
        formatAxis={formatPriceAxis}
        height={140}
        testId={`price-chart-${u.underlying}`}
      />
      <h3 className="chart-title">Requirements ({u.referenceMarketId ?? "—"})</h3>
      <TimeChart
        series={u.fractionHistory}
        version={version}
        labels={FRACTION_LABELS}
        colors={FRACTION_COLORS}
        formatValue={fmtPct}
        height={140}
      />
    </section>
  );
}

export function OverviewPage() {
  const venue = useVenue();
  const histogram = venue.healthBands === null ? [] : histogramOfBands(venue.healthBands);
  const insurance = venue.insurance === null ? [] : Object.entries(venue.insurance.insurance);
  const markets = venue.markets?.markets ?? [];
  const showsAccounts = readsAllAccounts(venue.role);
  return (
    <div className="page">
      <h1 className="page-title">Overview</h1>
      {venue.underlyings.length === 0 && <p className="muted">Waiting for the first market answer…</p>}
      <div className="grid underlyings">
        {venue.underlyings.map((u) => (
          <UnderlyingCard key={u.underlying} u={u} version={venue.version} />
        ))}
      </div>
      <div className="grid two">
        <section className="card">
          <header className="card-head">
            <h2>Insurance fund</h2>
            <span className="big" data-testid="insurance-fund">
              {insurance.map(([asset, v]) => `${formatDecimalString(v)} ${asset}`).join(" · ") || "—"}
            </span>
          </header>
          <TimeChart
            series={venue.insuranceHistory}
            version={venue.version}
            labels={FUND_LABELS}
            colors={FUND_COLORS}
            formatValue={formatUsdCompact}
            height={160}
          />
          {venue.insurance !== null && (
            <p className="muted small">
              Fees collected:{" "}
              {Object.entries(venue.insurance.fees)
                .map(([a, v]) => `${formatDecimalString(v)} ${a}`)
                .join(", ") || "—"}
            </p>
          )}
        </section>
        <section className="card">
          <header className="card-head">
            <h2>Accounts by health</h2>
            <span className="muted small" data-testid="health-histogram-total">
              {venue.healthBands === null
                ? "loading…"
                : `${venue.healthBands.total} sub-accounts${showsAccounts ? "" : " (yours)"}`}
            </span>
          </header>
          <BarList
            testId="health-histogram"
            bars={HISTOGRAM_LABELS.map((label, i) => ({
              label,
              value: histogram[i] ?? 0,
              display: String(histogram[i] ?? 0),
              tone: TONES[i] ?? "",
            }))}
          />
          <p className="muted small">
            Health = equity ÷ maintenance margin; below 1 the account is liquidatable.
          </p>
        </section>
      </div>
      <section className="card">
        <h2>Markets</h2>
        <div className="table-wrap">
          <table data-testid="markets-table">
            <thead>
              <tr>
                <th>Market</th>
                <th className="hide-narrow">Kind</th>
                <th className="num">Mark</th>
                <th className="num">IM</th>
                <th className="num">MM</th>
                <th className="num">Open interest</th>
              </tr>
            </thead>
            <tbody>
              {markets.map((m) => {
                const k =
                  venue.markets?.underlyings.find((u) => u.underlying === m.underlying)?.marginMultiplier ??
                  1;
                return (
                  <tr key={m.marketId}>
                    <td>{m.marketId}</td>
                    <td className="hide-narrow">{m.kind}</td>
                    <td className="num">{formatPriceUsd(m.markPriceUsd)}</td>
                    <td className="num">{formatPercent(m.initialMarginFraction * k)}</td>
                    <td className="num">{formatPercent(m.maintenanceMarginFraction * k)}</td>
                    <td className="num">{formatDecimalString(m.openInterest)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}
