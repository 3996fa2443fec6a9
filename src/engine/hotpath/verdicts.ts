import type { ColumnarBook } from "../../core/hotpath/columnar-book.ts";
import type { MarginColumns } from "../../core/hotpath/margin-columns.ts";

/*
 * The sweep screen's verdict byte of a re-margined row (columnar-risk.ts): 1 when the row's
 * review would do nothing, i.e. clearly healthy, or clearly staying in liquidation, judged on the
 * kernel's results with the engine's own corrections (per-asset haircut, debts, breaker
 * multiplier) and a safety margin that only has to absorb float rounding. Columns only, so the
 * thread that has just re-margined a block of rows (the engine's or a pool worker) computes their
 * verdicts while the rows are still in its cache.
 */

/** Relative and absolute safety margins of the screen (float rounding is ~1e-14 relative). */
const RELATIVE_MARGIN = 1e-7;
const ABSOLUTE_MARGIN_USD = 1e-6;

/** Slots of `VerdictColumns.scalars`. */
export const VERDICT_MULTIPLIER = 0;
export const VERDICT_TARGET_HEALTH = 1;

/** The mirror's columns a verdict reads and writes (shared when a worker pool computes them). */
export interface VerdictColumns {
  /** Per sub-account: 1 when the mirror represents it exactly enough to be screened. */
  readonly eligible: Uint8Array;
  readonly inLiquidation: Uint8Array;
  readonly insuranceDrawn: Uint8Array;
  /** Negative balances per sub-account × asset, in asset units (≤ 0). */
  readonly debt: Float64Array;
  /** Per asset: engine value of one unit minus the kernel's, gross value per unit, engine price. */
  readonly assetAdjustUsd: Float64Array;
  readonly assetGrossUsd: Float64Array;
  readonly assetPriceUsd: Float64Array;
  /** [VERDICT_MULTIPLIER]: the breaker multiplier; [VERDICT_TARGET_HEALTH]: the liquidation target. */
  readonly scalars: Float64Array;
  /** Out: the verdict bytes. */
  readonly verdict: Uint8Array;
}

/**
 * Verdicts of rows[from..to) from the kernel's results, every float in locals (passing doubles
 * to a call that is not inlined boxes each of them).
 */
export function computeVerdicts(
  v: VerdictColumns,
  book: ColumnarBook,
  out: MarginColumns,
  rows: Int32Array,
  from: number,
  to: number,
): void {
  // The result records (margin-columns.ts: equity at a·4, MM at a·4 + 2).
  const res = out.results;
  const eligible = v.eligible;
  const inLiquidation = v.inLiquidation;
  const insuranceDrawn = v.insuranceDrawn;
  const posCount = book.posCount;
  const coll = book.collateral;
  const debt = v.debt;
  const adjust = v.assetAdjustUsd;
  const grossPerUnit = v.assetGrossUsd;
  const price = v.assetPriceUsd;
  const verdict = v.verdict;
  const nA = book.assetCount;
  const multiplier = v.scalars[VERDICT_MULTIPLIER]!;
  const targetHealth = v.scalars[VERDICT_TARGET_HEALTH]!;
  for (let x = from; x < to; x++) {
    const a = rows[x]!;
    let ok = false;
    const n = posCount[a]!;
    const liquidating = inLiquidation[a] === 1;
    if (eligible[a] === 1 && (n > 0 || !liquidating)) {
      if (n === 0) ok = true;
      else {
        // The engine's equity: the kernel's with each asset revalued at the engine's haircut,
        // and the debts.
        let equity = res[a * 4]!;
        let gross = 0;
        for (let k = 0; k < nA; k++) {
          const amount = coll[a * nA + k]!;
          const owed = debt[a * nA + k]!;
          if (amount !== 0) {
            equity += amount * adjust[k]!;
            gross += amount * grossPerUnit[k]!;
          }
          if (owed !== 0) {
            equity += owed * price[k]!;
            gross -= owed * grossPerUnit[k]!;
          }
        }
        const kernelMm = res[a * 4 + 2]!;
        if (!liquidating) {
          // Clearly healthy.
          const mm = kernelMm * multiplier;
          if (Number.isFinite(equity) && Number.isFinite(mm)) {
            const margin = RELATIVE_MARGIN * (Math.abs(equity) + mm + gross) + ABSOLUTE_MARGIN_USD;
            ok = equity - margin >= 0 && equity - margin >= mm + margin;
          }
        } else if (Number.isFinite(equity) && Number.isFinite(kernelMm)) {
          // Clearly staying in liquidation: solvent, and below the target health (or in debt
          // to the insurance fund).
          const margin =
            RELATIVE_MARGIN * (Math.abs(equity) + kernelMm * multiplier + gross) + ABSOLUTE_MARGIN_USD;
          ok =
            equity - margin >= 0 &&
            (insuranceDrawn[a] === 1 || equity + margin < targetHealth * kernelMm - margin);
        }
      }
    }
    verdict[a] = ok ? 1 : 0;
  }
}
