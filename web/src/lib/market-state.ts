/*
 * The state of a market as a risk person names it (normal, tightened, reduce-only, halted) from
 * the engine's status (active, reduce_only, halted) and its margin multiplier: an active market
 * whose requirements were raised by the circuit breaker is "tightened".
 */

export interface MarketStateLabel {
  readonly label: "normal" | "tightened" | "reduce-only" | "halted";
  /** Severity for colour: 0 critical … 3 normal. */
  readonly severity: 0 | 1 | 2 | 3;
}

/** The displayed state of an underlying's markets. */
export function marketStateOf(status: string, marginMultiplier: number): MarketStateLabel {
  if (status === "halted") return { label: "halted", severity: 0 };
  if (status === "reduce_only") return { label: "reduce-only", severity: 1 };
  if (marginMultiplier > 1) return { label: "tightened", severity: 2 };
  return { label: "normal", severity: 3 };
}
