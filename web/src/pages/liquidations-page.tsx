import { Link } from "../components/link.tsx";
import { useVenue } from "../data/use-venue.ts";
import { formatTimeUtc, formatUsd } from "../lib/format.ts";

/*
 * Liquidations: the queue as it stands (oldest first, the order take-overs follow; admin and
 * liquidator keys) and the live feed of liquidations, auction take-overs, ADL and insurance
 * events from the stream, newest first.
 */

const KIND_TONE: Readonly<Record<string, string>> = {
  liquidation: "sev-0",
  auction: "sev-2",
  adl: "sev-0",
  insurance: "sev-1",
  penalty: "sev-2",
  absorbed: "sev-0",
  ended: "sev-3",
  queue: "sev-1",
};

export function LiquidationsPage() {
  const venue = useVenue();
  return (
    <div className="page">
      <h1 className="page-title">Liquidations</h1>
      <div className="grid two">
        <section className="card">
          <header className="card-head">
            <h2>Queue</h2>
            <span className="muted small">
              {venue.queue === null ? "" : `${venue.queue.length} in liquidation`}
            </span>
          </header>
          {venue.queue === null ? (
            <p className="muted">The queue is visible to admin and liquidator keys.</p>
          ) : (
            <div className="table-wrap">
              <table data-testid="liquidation-queue">
                <thead>
                  <tr>
                    <th>Sub-account</th>
                    <th>Since (UTC)</th>
                    <th className="num">Equity</th>
                    <th className="num">MM</th>
                  </tr>
                </thead>
                <tbody>
                  {venue.queue.map((q) => (
                    <tr key={q.subaccountId}>
                      <td>
                        <Link to={`/accounts/${encodeURIComponent(q.accountId)}`}>{q.subaccountId}</Link>
                      </td>
                      <td>{formatTimeUtc(q.startedAtMs)}</td>
                      <td className="num">{formatUsd(q.equityUsd)}</td>
                      <td className="num">{formatUsd(q.maintenanceMarginUsd)}</td>
                    </tr>
                  ))}
                  {venue.queue.length === 0 && (
                    <tr>
                      <td colSpan={4} className="muted">
                        Empty: nobody is being liquidated.
                      </td>
                    </tr>
                  )}
                </tbody>
              </table>
            </div>
          )}
        </section>
        <section className="card">
          <header className="card-head">
            <h2>Feed</h2>
            <span
              className={`badge ${venue.stream === "live" ? "sev-3" : "sev-1"}`}
              data-testid="stream-status"
            >
              stream {venue.stream}
            </span>
          </header>
          <ol className="feed" data-testid="liquidation-feed">
            {venue.feed.map((f) => (
              <li key={f.id} data-testid="feed-item" data-kind={f.kind}>
                <span className="muted small">{formatTimeUtc(f.atMs)}</span>
                <span className={`badge ${KIND_TONE[f.kind] ?? ""}`}>{f.kind}</span>
                <span className="feed-sub">{f.subaccountId}</span>
                <span className="feed-text">{f.text}</span>
              </li>
            ))}
            {venue.feed.length === 0 && <li className="muted">No recent liquidation events.</li>}
          </ol>
        </section>
      </div>
    </div>
  );
}
