import { useState } from "react";
import type { ParamChange, RiskParamsVersion } from "../api/api-types.ts";
import { usePolled } from "../data/use-polled.ts";
import { useSession, useVenue } from "../data/use-venue.ts";
import { formatDateTimeUtc } from "../lib/format.ts";

/*
 * Risk parameters: the document in force (every role), and for admin keys its history, each
 * version with who proposed and applied it, when, and the field-level diff from its
 * predecessor as the server computed it.
 */

const show = (v: unknown): string => (v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v));

function DiffTable({ diff }: { readonly diff: readonly ParamChange[] }) {
  if (diff.length === 0) return <p className="muted">No changes.</p>;
  return (
    <div className="table-wrap">
      <table className="diff" data-testid="risk-diff">
        <thead>
          <tr>
            <th>Change</th>
            <th>Field</th>
            <th>Before</th>
            <th>After</th>
          </tr>
        </thead>
        <tbody>
          {diff.map((c) => (
            <tr key={`${c.kind}:${c.path}`} className={`diff-${c.kind}`}>
              <td>{c.kind}</td>
              <td className="mono">{c.path || "(document)"}</td>
              <td className="mono before">{show(c.before)}</td>
              <td className="mono after">{show(c.after)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function RiskParamsPage() {
  const { api } = useSession();
  const venue = useVenue();
  const current = usePolled(() => api.get<Record<string, unknown>>("/v1/risk-params"), 10_000, "current");
  const isAdmin = venue.role === "admin";
  const history = usePolled(
    () =>
      isAdmin
        ? api.get<{ versions: RiskParamsVersion[] }>("/v1/risk-params/history?limit=100")
        : Promise.resolve({ versions: [] }),
    10_000,
    `history-${isAdmin}`,
  );
  const [open, setOpen] = useState<number | null>(null);
  const versions = history.value?.versions ?? [];
  return (
    <div className="page">
      <h1 className="page-title">Risk parameters</h1>
      <div className="grid two wide-right">
        <section className="card">
          <h2>History</h2>
          {!isAdmin && <p className="muted">The history is visible to admin keys.</p>}
          {history.error !== null && <p className="error">{history.error}</p>}
          <ol className="versions" data-testid="risk-history">
            {versions.map((v) => (
              <li key={v.versionId}>
                <button
                  type="button"
                  className="version"
                  onClick={() => setOpen(open === v.versionId ? null : v.versionId)}
                  aria-expanded={open === v.versionId}
                >
                  <strong>v{v.versionId}</strong>{" "}
                  <span className={`badge ${v.status === "applied" ? "sev-3" : "sev-none"}`}>{v.status}</span>{" "}
                  <span className="muted small">
                    {v.diff.length} change{v.diff.length === 1 ? "" : "s"} · proposed by {v.proposedBy}{" "}
                    {formatDateTimeUtc(v.proposedAtMs)}
                    {v.appliedBy === null
                      ? ""
                      : ` · applied by ${v.appliedBy} ${formatDateTimeUtc(v.appliedAtMs)}`}
                  </span>
                </button>
                {v.note !== "" && <p className="muted small">{v.note}</p>}
                {open === v.versionId && <DiffTable diff={v.diff} />}
              </li>
            ))}
          </ol>
        </section>
        <section className="card">
          <h2>Document in force</h2>
          {current.error !== null && <p className="error">{current.error}</p>}
          <pre className="json" data-testid="risk-document">
            {current.value === null ? "…" : JSON.stringify(current.value, null, 2)}
          </pre>
        </section>
      </div>
    </div>
  );
}
