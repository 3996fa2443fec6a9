import { useEffect, useState } from "react";
import { Link } from "../components/link.tsx";
import { useSession, useVenue } from "../data/use-venue.ts";
import { readsAllAccounts } from "../data/venue-store.ts";
import type { SortKey } from "../lib/account-table.ts";
import { formatHealth, formatUsd } from "../lib/format.ts";
import { healthSeverity } from "../lib/health-bands.ts";

/*
 * Every sub-account the key may read, riskiest first by default, searchable, sorted by any
 * figure and paged, all by the server (GET /v1/subaccounts): the page holds one page of rows
 * whatever the population, and refreshes it every two seconds while it is open. A trader key
 * sees its own accounts (the server knows which).
 */

/** Columns; the last three give way on a phone, where id, health and equity matter most. */
const COLUMNS: readonly { key: SortKey; label: string; numeric: boolean; narrow: boolean }[] = [
  { key: "accountId", label: "Sub-account", numeric: false, narrow: true },
  { key: "health", label: "Health", numeric: true, narrow: true },
  { key: "equityUsd", label: "Equity", numeric: true, narrow: true },
  { key: "maintenanceMarginUsd", label: "MM", numeric: true, narrow: false },
  { key: "freeCollateralUsd", label: "Free collateral", numeric: true, narrow: false },
  { key: "notionalUsd", label: "Notional", numeric: true, narrow: false },
];

/** Typing pauses this long before the search goes to the server, ms. */
const SEARCH_DEBOUNCE_MS = 250;

export function AccountsPage() {
  const venue = useVenue();
  const { store } = useSession();
  const [search, setSearch] = useState("");
  const [sortKey, setSortKey] = useState<SortKey>("health");
  const [descending, setDescending] = useState(false);

  useEffect(() => {
    const id = setTimeout(
      () => store.setAccountsQuery({ sortKey, descending, search }),
      search === "" ? 0 : SEARCH_DEBOUNCE_MS,
    );
    return () => clearTimeout(id);
  }, [store, sortKey, descending, search]);
  // Nothing is polled for the table once the page closes.
  useEffect(() => () => store.setAccountsQuery(null), [store]);

  const sortBy = (key: SortKey) => {
    if (key === sortKey) setDescending(!descending);
    else {
      setSortKey(key);
      setDescending(false);
    }
  };
  const view = venue.accountsPage;
  const rows = view?.rows ?? [];
  return (
    <div className="page">
      <h1 className="page-title">Accounts</h1>
      <section className="card">
        <div className="toolbar">
          <input
            type="search"
            data-testid="account-search"
            placeholder="Search account or sub-account id"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
          <span className="muted small" data-testid="account-count">
            {view === null ? "loading…" : `${view.total} sub-account${view.total === 1 ? "" : "s"}`}
          </span>
        </div>
        {!readsAllAccounts(venue.role) && (
          <p className="muted small" data-testid="own-accounts">
            Your accounts: {venue.accountIds.join(", ") || "none"}
          </p>
        )}
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
              {rows.map((r) => (
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
              {rows.length === 0 && (
                <tr>
                  <td colSpan={COLUMNS.length} className="muted">
                    {view === null ? "Loading accounts…" : "No sub-accounts."}
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
        <div className="pager">
          <button
            type="button"
            data-testid="page-previous"
            onClick={() => store.turnAccountsPage(-1)}
            disabled={view === null || view.page === 0}
          >
            ‹ Previous
          </button>
          <span className="muted small" data-testid="page-position">
            Page {(view?.page ?? 0) + 1} of {view?.pages ?? 1}
          </span>
          <button
            type="button"
            data-testid="page-next"
            onClick={() => store.turnAccountsPage(1)}
            disabled={view === null || !view.hasNext}
          >
            Next ›
          </button>
        </div>
      </section>
    </div>
  );
}
