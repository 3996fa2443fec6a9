import { type FormEvent, useMemo, useState } from "react";
import { describeError } from "../api/api-client.ts";
import { Link } from "../components/link.tsx";
import { useSession, useVenue } from "../data/use-venue.ts";
import { readsAllAccounts } from "../data/venue-store.ts";
import { type SortKey, viewAccountTable } from "../lib/account-table.ts";
import { formatHealth, formatUsd } from "../lib/format.ts";
import { healthSeverity } from "../lib/health-bands.ts";
import { TRACKED_STORAGE } from "../lib/storage-keys.ts";

/*
 * Every sub-account the key may read, riskiest first by default, searchable, sorted by any
 * figure and paged (the DOM holds one page of rows whatever the population). A trader key
 * cannot list accounts, so a trader adds its own account ids here; the server refuses others.
 */

const PAGE_SIZE = 50;
/** Columns; the last three give way on a phone, where id, health and equity matter most. */
const COLUMNS: readonly { key: SortKey; label: string; numeric: boolean; narrow: boolean }[] = [
  { key: "accountId", label: "Sub-account", numeric: false, narrow: true },
  { key: "health", label: "Health", numeric: true, narrow: true },
  { key: "equityUsd", label: "Equity", numeric: true, narrow: true },
  { key: "maintenanceMarginUsd", label: "MM", numeric: true, narrow: false },
  { key: "freeCollateralUsd", label: "Free collateral", numeric: true, narrow: false },
  { key: "notionalUsd", label: "Notional", numeric: true, narrow: false },
];

function TrackAccount() {
  const { store } = useSession();
  const [id, setId] = useState("");
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await store.trackAccount(id.trim());
      sessionStorage.setItem(TRACKED_STORAGE, JSON.stringify(store.trackedAccounts()));
      setId("");
    } catch (err) {
      setError(describeError(err));
    }
  };
  return (
    <form className="inline-form" onSubmit={submit}>
      <label htmlFor="track-account">Account id</label>
      <input
        id="track-account"
        data-testid="track-account"
        value={id}
        onChange={(e) => setId(e.target.value)}
        placeholder="your account id"
      />
      <button type="submit" disabled={id.trim() === ""} data-testid="track-account-add">
        Add
      </button>
      {error !== null && (
        <span className="error" role="alert" data-testid="track-account-error">
          {error}
        </span>
      )}
    </form>
  );
}

export function AccountsPage() {
  const venue = useVenue();
  const [query, setQuery] = useState("");
  const [sortKey, setSortKey] = useState<SortKey>("health");
  const [descending, setDescending] = useState(false);
  const [page, setPage] = useState(0);
  const view = useMemo(
    () => viewAccountTable(venue.accounts, { query, sortKey, descending, page, pageSize: PAGE_SIZE }),
    [venue.accounts, query, sortKey, descending, page],
  );
  const sortBy = (key: SortKey) => {
    if (key === sortKey) setDescending(!descending);
    else {
      setSortKey(key);
      setDescending(false);
    }
  };
  return (
    <div className="page">
      <h1 className="page-title">Accounts</h1>
      <section className="card">
        <div className="toolbar">
          <input
            type="search"
            data-testid="account-search"
            placeholder="Search account or sub-account id"
            value={query}
            onChange={(e) => {
              setQuery(e.target.value);
              setPage(0);
            }}
          />
          <span className="muted small" data-testid="account-count">
            {view.total} sub-account{view.total === 1 ? "" : "s"}
            {readsAllAccounts(venue.role) && venue.accountsLoaded < venue.accountsTotal
              ? ` · loading ${venue.accountsLoaded}/${venue.accountsTotal}`
              : ""}
          </span>
        </div>
        {!readsAllAccounts(venue.role) && <TrackAccount />}
        <div className="table-wrap">
          <table data-testid="accounts-table" className="accounts">
            <thead>
              <tr>
                {COLUMNS.map((c) => (
                  <th
                    key={c.key}
                    className={`${c.numeric ? "num" : ""} ${c.narrow ? "" : "hide-narrow"}`}
                    aria-sort={sortKey === c.key ? (descending ? "descending" : "ascending") : "none"}
                  >
                    <button
                      type="button"
                      className="sort"
                      onClick={() => sortBy(c.key)}
                      data-testid={`sort-${c.key}`}
                    >
                      {c.label}
                      {sortKey === c.key ? (descending ? " ▼" : " ▲") : ""}
                    </button>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {view.rows.map((r) => (
                <tr
                  key={r.subaccountId}
                  data-testid="account-row"
                  className={r.inLiquidation ? "in-liquidation" : ""}
                >
                  <td>
                    <Link to={`/accounts/${encodeURIComponent(r.accountId)}`} testId="account-link">
                      {r.subaccountId}
                    </Link>
                    {r.inLiquidation && <span className="badge sev-0 small-badge">liquidating</span>}
                  </td>
                  <td className="num">
                    <span className={`health sev-${healthSeverity(r.health, r.inLiquidation)}`}>
                      {formatHealth(r.health)}
                    </span>
                  </td>
                  <td className="num">{formatUsd(r.equityUsd)}</td>
                  <td className="num hide-narrow">{formatUsd(r.maintenanceMarginUsd)}</td>
                  <td className="num hide-narrow">{formatUsd(r.freeCollateralUsd)}</td>
                  <td className="num hide-narrow">{formatUsd(r.notionalUsd)}</td>
                </tr>
              ))}
              {view.rows.length === 0 && (
                <tr>
                  <td colSpan={COLUMNS.length} className="muted">
                    {venue.accountsTotal === 0 && readsAllAccounts(venue.role)
                      ? "Loading accounts…"
                      : "No sub-accounts."}
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
        <div className="pager">
          <button type="button" onClick={() => setPage(view.page - 1)} disabled={view.page === 0}>
            ‹ Previous
          </button>
          <span className="muted small">
            Page {view.page + 1} of {view.pages}
          </span>
          <button type="button" onClick={() => setPage(view.page + 1)} disabled={view.page >= view.pages - 1}>
            Next ›
          </button>
        </div>
      </section>
    </div>
  );
}
