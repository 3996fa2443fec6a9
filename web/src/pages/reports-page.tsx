import { type ChangeEvent, useEffect, useState } from "react";

/*
 * Reports: the self-contained HTML files written by `marginal backtest|optimize|stress --report
 * OUT.html`. The service keeps no report files, so the page opens one from this computer. It is
 * shown in a sandboxed frame (scripts run, but with no access to this page, its key or the API).
 */

export function ReportsPage() {
  const [url, setUrl] = useState<string | null>(null);
  const [name, setName] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(
    () => () => {
      if (url !== null) URL.revokeObjectURL(url);
    },
    [url],
  );

  const open = (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    setError(null);
    if (file === undefined) return;
    if (!/\.html?$/i.test(file.name)) {
      setError(`${file.name}: choose an .html report`);
      return;
    }
    setName(file.name);
    setUrl(URL.createObjectURL(new Blob([file], { type: "text/html" })));
  };

  return (
    <div className="page">
      <h1 className="page-title">Reports</h1>
      <section className="card">
        <p>
          Open a report written by <code>marginal backtest --report out.html</code> (or <code>optimize</code>,{" "}
          <code>stress</code>).
        </p>
        <label className="file-pick">
          <span>Choose a report file</span>
          <input type="file" accept=".html,.htm,text/html" onChange={open} data-testid="report-file" />
        </label>
        {error !== null && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {name !== null && <p className="muted small">Showing {name}</p>}
      </section>
      {url !== null && (
        <iframe
          className="report-frame"
          title={name ?? "report"}
          src={url}
          sandbox="allow-scripts"
          data-testid="report-frame"
        />
      )}
    </div>
  );
}
