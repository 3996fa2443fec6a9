import { marketStateOf } from "../lib/market-state.ts";

/** The state of a market as a coloured badge, with the engine's reason beside it. */
export function StatusBadge({
  status,
  marginMultiplier,
  reason,
}: {
  readonly status: string;
  readonly marginMultiplier: number;
  readonly reason: string;
}) {
  const s = marketStateOf(status, marginMultiplier);
  return (
    <span className="state">
      <span className={`badge sev-${s.severity}`} data-testid="market-state">
        {s.label}
      </span>
      <span className="muted small">{reason.replace(/_/g, " ")}</span>
    </span>
  );
}
