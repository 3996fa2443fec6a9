import { type FormEvent, useState } from "react";
import type { AccountResponse, PolicyMargin, SubaccountMargin, WhatIfResponse } from "../api/api-types.ts";
import { BarList } from "../components/bar-list.tsx";
import { Link } from "../components/link.tsx";
import { usePolled } from "../data/use-polled.ts";
import { useSession, useVenue } from "../data/use-venue.ts";
import { formatDecimalString, formatHealth, formatPriceUsd, formatUsd } from "../lib/format.ts";
import { healthSeverity } from "../lib/health-bands.ts";
import { validateWhatIf } from "../lib/what-if-form.ts";

/*
 * One account: per sub-account the engine's figures (what liquidation acts on), positions with
 * their liquidation prices, the policy's margin breakdown as bars, and a what-if form that
 * prices an order's margin before it is placed. Refreshed every two seconds.
 */

function Figure({
  label,
  value,
  testId,
  tone,
}: {
  readonly label: string;
  readonly value: string;
  readonly testId?: string;
  readonly tone?: string;
}) {
  return (
    <div>
      <dt>{label}</dt>
      <dd data-testid={testId} className={tone}>
        {value}
      </dd>
    </div>
  );
}

function breakdownLabel(b: PolicyMargin["breakdown"][number]): string {
  const where = b.marketId ?? b.underlying ?? b.asset;
  return where === undefined ? b.component : `${b.component} · ${where}`;
}

function WhatIfForm({ accountId, sub }: { readonly accountId: string; readonly sub: SubaccountMargin }) {
  const { api } = useSession();
  const venue = useVenue();
  const markets = (venue.markets?.markets ?? []).filter((m) => !m.settled);
  const first = sub.positions[0]?.marketId ?? markets.find((m) => m.kind === "perp")?.marketId ?? "";
  const [marketId, setMarketId] = useState(first);
  const [side, setSide] = useState("buy");
  const [size, setSize] = useState("");
  const [price, setPrice] = useState("");
  const [errors, setErrors] = useState<readonly { field: string; reason: string }[]>([]);
  const [result, setResult] = useState<WhatIfResponse | null>(null);
  const [busy, setBusy] = useState(false);
  const mark = markets.find((m) => m.marketId === marketId)?.markPriceUsd ?? null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    // An empty price means "at the mark", rounded to a plain decimal string the API accepts.
    const priceText = price.trim() === "" && mark !== null ? mark.toFixed(mark >= 1 ? 2 : 6) : price;
    const v = validateWhatIf({ subaccountId: sub.subaccountId, marketId, side, size, price: priceText });
    if (!v.ok) {
      setErrors(v.errors);
      setResult(null);
      return;
    }
    setErrors([]);
    setBusy(true);
    try {
      setResult(
        await api.post<WhatIfResponse>(`/v1/accounts/${encodeURIComponent(accountId)}/what-if`, v.body),
      );
    } catch (err) {
      setResult(null);
      setErrors([{ field: "order", reason: err instanceof Error ? err.message : String(err) }]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card what-if" data-testid="what-if">
      <h3>What-if: margin after an order</h3>
      <form className="what-if-form" onSubmit={submit}>
        <label>
          Market
          <select value={marketId} onChange={(e) => setMarketId(e.target.value)} data-testid="what-if-market">
            {markets.map((m) => (
              <option key={m.marketId} value={m.marketId}>
                {m.marketId}
              </option>
            ))}
          </select>
        </label>
        <label>
          Side
          <select value={side} onChange={(e) => setSide(e.target.value)} data-testid="what-if-side">
            <option value="buy">buy</option>
            <option value="sell">sell</option>
          </select>
        </label>
        <label>
          Size
          <input
            value={size}
            onChange={(e) => setSize(e.target.value)}
            inputMode="decimal"
            placeholder="e.g. 0.5"
            data-testid="what-if-size"
          />
        </label>
        <label>
          Price (USD)
          <input
            value={price}
            onChange={(e) => setPrice(e.target.value)}
            inputMode="decimal"
            placeholder={mark === null ? "" : `mark ${formatPriceUsd(mark)}`}
            data-testid="what-if-price"
          />
        </label>
        <button type="submit" disabled={busy} data-testid="what-if-run">
          {busy ? "Pricing…" : "Price the order"}
        </button>
      </form>
      {errors.length > 0 && (
        <ul className="error" role="alert" data-testid="what-if-errors">
          {errors.map((e) => (
            <li key={e.field}>
              {e.field}: {e.reason}
            </li>
          ))}
        </ul>
      )}
      {result !== null && (
        <div data-testid="what-if-result">
          <p className={result.accepted ? "ok" : "error"} data-testid="what-if-verdict">
            {result.accepted ? "Would be accepted" : "Would be rejected"} ({result.reason.replace(/_/g, " ")})
          </p>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th />
                  <th className="num">Before</th>
                  <th className="num">After</th>
                </tr>
              </thead>
              <tbody>
                {(
                  [
                    ["Equity", (m: PolicyMargin) => formatUsd(m.equityUsd)],
                    ["Initial margin", (m: PolicyMargin) => formatUsd(m.initialMarginUsd)],
                    ["Maintenance margin", (m: PolicyMargin) => formatUsd(m.maintenanceMarginUsd)],
                    ["Free collateral", (m: PolicyMargin) => formatUsd(m.freeCollateralUsd)],
                    ["Health", (m: PolicyMargin) => formatHealth(m.health)],
                  ] as const
                ).map(([label, f]) => (
                  <tr key={label}>
                    <td>{label}</td>
                    <td className="num">{f(result.before)}</td>
                    <td
                      className="num"
                      data-testid={`what-if-after-${label.replace(/ /g, "-").toLowerCase()}`}
                    >
                      {f(result.after)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </section>
  );
}

function SubaccountSection({
  accountId,
  sub,
}: {
  readonly accountId: string;
  readonly sub: SubaccountMargin;
}) {
  const e = sub.engine;
  const policy = sub.policy ?? null;
  const liq = new Map((policy?.positions ?? []).map((p) => [p.marketId, p]));
  const breakdown = (policy?.breakdown ?? []).filter(
    (b) => b.amountUsd !== 0 || (b.maintenanceUsd ?? 0) !== 0,
  );
  return (
    <section className="subaccount" data-testid="subaccount">
      <h2>
        {sub.subaccountId} {sub.inLiquidation && <span className="badge sev-0">in liquidation</span>}
      </h2>
      <div className="grid two">
        <section className="card">
          <dl className="figures">
            <Figure label="Equity" value={formatUsd(e.equityUsd)} testId="equity" />
            <Figure label="Initial margin" value={formatUsd(e.initialMarginUsd)} testId="initial-margin" />
            <Figure
              label="Maintenance margin"
              value={formatUsd(e.maintenanceMarginUsd)}
              testId="maintenance-margin"
            />
            <Figure label="Free collateral" value={formatUsd(e.freeCollateralUsd)} testId="free-collateral" />
            <Figure
              label="Health"
              value={formatHealth(e.health)}
              testId="health"
              tone={`health sev-${healthSeverity(e.health, sub.inLiquidation)}`}
            />
            <Figure label="Notional" value={formatUsd(e.notionalUsd)} />
          </dl>
          <p className="muted small">
            Balances:{" "}
            {Object.entries(sub.balances)
              .map(([a, v]) => `${formatDecimalString(v)} ${a}`)
              .join(", ") || "—"}
          </p>
        </section>
        <section className="card">
          <h3>Margin breakdown (policy IM)</h3>
          {breakdown.length === 0 ? (
            <p className="muted">{sub.policyError ?? "No requirement."}</p>
          ) : (
            <BarList
              testId="breakdown"
              bars={breakdown.map((b) => ({
                label: breakdownLabel(b),
                value: b.amountUsd,
                display: formatUsd(b.amountUsd),
                tone: "sev-2",
              }))}
            />
          )}
          {policy !== null && (
            <p className="muted small">
              Policy IM {formatUsd(policy.initialMarginUsd)} · MM {formatUsd(policy.maintenanceMarginUsd)} ·
              health {formatHealth(policy.health)}
            </p>
          )}
        </section>
      </div>
      <section className="card">
        <h3>Positions</h3>
        <div className="table-wrap">
          <table data-testid="positions">
            <thead>
              <tr>
                <th>Market</th>
                <th className="num">Size</th>
                <th className="num">Entry</th>
                <th className="num">Mark</th>
                <th className="num">Unrealised PnL</th>
                <th className="num">IM</th>
                <th className="num">Liquidation price</th>
              </tr>
            </thead>
            <tbody>
              {sub.positions.map((p) => {
                const r = liq.get(p.marketId);
                return (
                  <tr key={p.marketId}>
                    <td>{p.marketId}</td>
                    <td className="num">{formatDecimalString(p.size)}</td>
                    <td className="num">{formatPriceUsd(p.entryPriceUsd)}</td>
                    <td className="num">{formatPriceUsd(p.markPriceUsd)}</td>
                    <td className="num">{formatUsd(r?.unrealizedPnlUsd)}</td>
                    <td className="num">{formatUsd(r?.initialMarginUsd)}</td>
                    <td className="num" data-testid="liquidation-price">
                      {formatPriceUsd(r?.liquidationPrice)}
                    </td>
                  </tr>
                );
              })}
              {sub.positions.length === 0 && (
                <tr>
                  <td colSpan={7} className="muted">
                    No open positions.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      </section>
      <WhatIfForm accountId={accountId} sub={sub} />
    </section>
  );
}

export function AccountPage({ accountId }: { readonly accountId: string }) {
  const { api } = useSession();
  const margin = usePolled(
    () => api.get<AccountResponse>(`/v1/accounts/${encodeURIComponent(accountId)}/margin`),
    2000,
    accountId,
  );
  return (
    <div className="page">
      <p className="crumbs">
        <Link to="/accounts">← Accounts</Link>
      </p>
      <h1 className="page-title" data-testid="account-title">
        {accountId}
      </h1>
      {margin.error !== null && (
        <p className="error" role="alert" data-testid="account-error">
          {margin.error}
        </p>
      )}
      {margin.value === null && margin.error === null && <p className="muted">Loading…</p>}
      {margin.value?.subaccounts.map((s) => (
        <SubaccountSection key={s.subaccountId} accountId={accountId} sub={s} />
      ))}
    </div>
  );
}
