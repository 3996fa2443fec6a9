import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildHolderIndex, clearTickChanges, collectAffectedSubaccounts } from "./holder-index.ts";
import { randomVenue, seededUniform } from "./random-hotpath-venue.ts";
import { prepareTickTables } from "./tick-tables.ts";

describe("holder index", () => {
  it("collects exactly the holders of changed instruments and assets, ascending, and leaves marks clear", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.integer({ min: 0, max: 3 }),
        (seed, offset) => {
          const v = randomVenue(seed, 50);
          const { universe, book } = v;
          const tables = prepareTickTables(universe, v.market);
          clearTickChanges(tables);
          const rand = seededUniform(seed);
          if (offset % 2 === 0) {
            for (let i = 0; i < universe.instrumentCount; i++)
              tables.changedInstrument[i] = rand() < 0.2 ? 1 : 0;
            for (let k = 0; k < universe.assetCount; k++) tables.changedAsset[k] = rand() < 0.3 ? 1 : 0;
          } else {
            // One instrument alone (the copy shortcut).
            tables.changedInstrument[Math.floor(rand() * universe.instrumentCount)] = 1;
          }
          // A view at an odd byte offset exercises the unaligned head and tail of the word scan.
          const marks = new Uint8Array(book.subaccountCount + 8).subarray(
            offset,
            offset + book.subaccountCount,
          );
          const out = new Int32Array(book.subaccountCount);
          const n = collectAffectedSubaccounts(buildHolderIndex(universe, book), tables, marks, out);
          const expected: number[] = [];
          for (let a = 0; a < book.subaccountCount; a++) {
            let hit = false;
            for (let r = book.posStart[a]!; r < book.posStart[a]! + book.posCount[a]!; r++)
              if (tables.changedInstrument[book.posInstrument[r]!] === 1) hit = true;
            for (let k = 0; k < book.assetCount; k++)
              if (tables.changedAsset[k] === 1 && book.collateral[a * book.assetCount + k] !== 0) hit = true;
            if (hit) expected.push(a);
          }
          expect(Array.from(out.subarray(0, n))).toEqual(expected);
          expect(marks.every((m) => m === 0)).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
  });
});
