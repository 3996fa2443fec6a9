/*
 * Horizontal bars for categorical figures (the health histogram, the margin breakdown): plain
 * HTML so labels wrap on narrow screens and stay readable by tests and screen readers.
 */

export interface Bar {
  readonly label: string;
  readonly value: number;
  readonly display: string;
  /** CSS class for colour (e.g. "sev-0" … "sev-3"). */
  readonly tone?: string;
}

export function BarList({ bars, testId }: { readonly bars: readonly Bar[]; readonly testId?: string }) {
  const max = Math.max(0, ...bars.map((b) => Math.abs(b.value)));
  return (
    <div className="bar-list" data-testid={testId}>
      {bars.map((b) => (
        <div className="bar-row" key={b.label}>
          <span className="bar-label">{b.label}</span>
          <span className="bar-track">
            <span
              className={`bar-fill ${b.tone ?? ""}`}
              style={{ width: `${max === 0 ? 0 : (Math.abs(b.value) / max) * 100}%` }}
            />
          </span>
          <span className="bar-value">{b.display}</span>
        </div>
      ))}
    </div>
  );
}
