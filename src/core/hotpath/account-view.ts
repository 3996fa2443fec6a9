import type { CollateralInput, PositionInput, SubaccountInput } from "../margin/types.ts";
import { type ColumnarBook, MODE_NAMES } from "./columnar-book.ts";
import type { HotpathUniverse } from "./hotpath-universe.ts";

/*
 * The object view of one sub-account of the columnar book: the `SubaccountInput` the reference
 * margin code (and every object API) takes. It is built on demand from the columns, so the book
 * stays the single source of truth; zero collateral balances are left out.
 */

/** The sub-account at dense index `a` as a `SubaccountInput` (sizes in contracts, prices in USD). */
export function accountView(universe: HotpathUniverse, book: ColumnarBook, a: number): SubaccountInput {
  const positions: PositionInput[] = [];
  const s = book.posStart[a]!;
  for (let r = s; r < s + book.posCount[a]!; r++) {
    positions.push({
      marketId: universe.marketIds[book.posInstrument[r]!]!,
      size: book.posSize[r]!,
      entryPrice: book.posEntryUsd[r]!,
    });
  }
  const collateral: CollateralInput[] = [];
  for (let k = 0; k < book.assetCount; k++) {
    const amount = book.collateral[a * book.assetCount + k]!;
    if (amount !== 0) collateral.push({ asset: universe.assetIds[k]!, amount });
  }
  const imMultiplier = book.imMultiplier[a]!;
  const ps = book.paramSet[a]!;
  const settings = {
    ...(imMultiplier === 1 ? {} : { imMultiplier }),
    ...(ps === 0 ? {} : { paramSetId: universe.paramSetIds[ps - 1]! }),
  };
  return {
    id: book.ids[a]!,
    mode: MODE_NAMES[book.mode[a]!]!,
    positions,
    collateral,
    ...(Object.keys(settings).length === 0 ? {} : { settings }),
  };
}
