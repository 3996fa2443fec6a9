import { useCallback, useEffect, useMemo, useState } from "react";
import { createApiClient } from "./api/api-client.ts";
import type { MeResponse } from "./api/api-types.ts";
import { openStream, streamUrlFor } from "./api/stream-client.ts";
import { Link, usePath } from "./components/link.tsx";
import { type Session, SessionContext, useSession, useVenue } from "./data/use-venue.ts";
import { VenueStore, whoAmI } from "./data/venue-store.ts";
import { parseRoute } from "./lib/router.ts";
import { KEY_STORAGE } from "./lib/storage-keys.ts";
import { AccountPage } from "./pages/account-page.tsx";
import { AccountsPage } from "./pages/accounts-page.tsx";
import { LiquidationsPage } from "./pages/liquidations-page.tsx";
import { OverviewPage } from "./pages/overview-page.tsx";
import { ReportsPage } from "./pages/reports-page.tsx";
import { RiskParamsPage } from "./pages/risk-params-page.tsx";
import { SignInPage } from "./pages/sign-in-page.tsx";

/*
 * The app shell: the sign-in gate, then the navigation and the page of the current path. One
 * session per signed-in key: an API client, a venue store that polls, and the stream that
 * feeds prices and liquidation events into the store.
 */

const NAV: readonly { path: string; label: string; page: string }[] = [
  { path: "/overview", label: "Overview", page: "overview" },
  { path: "/accounts", label: "Accounts", page: "accounts" },
  { path: "/liquidations", label: "Liquidations", page: "liquidations" },
  { path: "/risk", label: "Risk parameters", page: "risk" },
  { path: "/reports", label: "Reports", page: "reports" },
];

function startSession(key: string, me: MeResponse, signOut: () => void): Session & { close(): void } {
  const api = createApiClient("", key);
  const store = new VenueStore({ api });
  store.setIdentity(me);
  store.start();
  const stream = openStream({
    url: streamUrlFor(window.location),
    key,
    onMessage: (m) => store.applyStreamMessage(m),
    onStatus: (s) => store.setStreamStatus(s),
  });
  stream.subscribe({ op: "subscribe", channel: "prices" });
  stream.subscribe({ op: "subscribe", channel: "markets" });
  stream.subscribe({ op: "subscribe", channel: "liquidations" });
  return {
    api,
    store,
    signOut,
    close() {
      stream.close();
      store.stop();
    },
  };
}

function Shell() {
  const path = usePath();
  const route = parseRoute(path);
  const venue = useVenue();
  const session = useSession();
  return (
    <div className="shell">
      <header className="topbar">
        <Link to="/overview" className="brand">
          Marginal
        </Link>
        <nav className="nav" aria-label="Pages">
          {NAV.map((n) => (
            <Link
              key={n.path}
              to={n.path}
              className={
                route.page === n.page || (n.page === "accounts" && route.page === "account") ? "active" : ""
              }
              testId={`nav-${n.page}`}
            >
              {n.label}
            </Link>
          ))}
        </nav>
        <div className="session">
          <span className={`dot ${venue.stream}`} title={`stream ${venue.stream}`} />
          <span className="muted small" data-testid="role">
            {venue.role ?? ""}
          </span>
          <button type="button" className="link-button" onClick={session.signOut} data-testid="sign-out">
            Sign out
          </button>
        </div>
      </header>
      {venue.lastError !== null && (
        <div className="banner" role="status">
          {venue.lastError}
        </div>
      )}
      <main>
        {route.page === "overview" && <OverviewPage />}
        {route.page === "accounts" && <AccountsPage />}
        {route.page === "account" && <AccountPage accountId={route.accountId} />}
        {route.page === "liquidations" && <LiquidationsPage />}
        {route.page === "risk" && <RiskParamsPage />}
        {route.page === "reports" && <ReportsPage />}
        {route.page === "not-found" && (
          <div className="page">
            <h1 className="page-title">Not found</h1>
            <p>
              No page at <code>{route.path}</code>. <Link to="/overview">Go to the overview</Link>.
            </p>
          </div>
        )}
      </main>
    </div>
  );
}

export function App() {
  const [session, setSession] = useState<(Session & { close(): void }) | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // Closing the session's stream and polls is the effect's cleanup below, on any change of session.
  const signOut = useCallback(() => {
    sessionStorage.removeItem(KEY_STORAGE);
    setSession(null);
  }, []);

  const signIn = useCallback(
    async (key: string) => {
      setBusy(true);
      setError(null);
      try {
        const me = await whoAmI(createApiClient("", key));
        sessionStorage.setItem(KEY_STORAGE, key);
        setSession(startSession(key, me, signOut));
      } catch (e) {
        sessionStorage.removeItem(KEY_STORAGE);
        setError(e instanceof Error ? e.message : String(e));
      } finally {
        setBusy(false);
      }
    },
    [signOut],
  );

  useEffect(() => {
    const saved = sessionStorage.getItem(KEY_STORAGE);
    if (saved !== null) void signIn(saved);
  }, [signIn]);

  useEffect(() => () => session?.close(), [session]);

  const value = useMemo(() => session, [session]);
  if (value === null) return <SignInPage onSignIn={(k) => void signIn(k)} error={error} busy={busy} />;
  return (
    <SessionContext.Provider value={value}>
      <Shell />
    </SessionContext.Provider>
  );
}
