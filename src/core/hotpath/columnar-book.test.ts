import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { accountView } from "./account-view.ts";
import {
  applyFillToBook,
  bookPositionCount,
  compactBook,
  createColumnarBook,
  depositToBook,
  openBookSubaccount,
  setBookMode,
  writeBookRow,
} from "./columnar-book.ts";
import { randomFill, randomVenue, seededUniform } from "./random-hotpath-venue.ts";

describe("columnar book", () => {
  const v = randomVenue(11, 0);
  const { universe } = v;

  it("averages the entry on an increase, keeps it on a reduction and restarts it on a flip", () => {
    const book = createColumnarBook(universe, { subaccounts: 1, positions: 1 });
    const a = openBookSubaccount(universe, book, "x", "cross");
    applyFillToBook(universe, book, a, 0, 2, 100);
    // (2·100 + 2·110) / 4 = 105
    expect(applyFillToBook(universe, book, a, 0, 2, 110)).toEqual({
      ok: true,
      sizeAfter: 4,
      entryUsdAfter: 105,
    });
    expect(applyFillToBook(universe, book, a, 0, -1, 90)).toEqual({
      ok: true,
      sizeAfter: 3,
      entryUsdAfter: 105,
    });
    expect(applyFillToBook(universe, book, a, 0, -5, 95)).toEqual({
      ok: true,
      sizeAfter: -2,
      entryUsdAfter: 95,
    });
    const version = book.structureVersion;
    expect(applyFillToBook(universe, book, a, 0, 2, 99)).toEqual({
      ok: true,
      sizeAfter: 0,
      entryUsdAfter: 0,
    });
    expect(book.posCount[a]).toBe(0);
    expect(book.structureVersion).toBe(version + 1);
  });

  it("returns rejections for an isolated second market and an overdrawn withdrawal", () => {
    const book = createColumnarBook(universe, { subaccounts: 1, positions: 1 });
    const a = openBookSubaccount(universe, book, "iso", "isolated");
    expect(applyFillToBook(universe, book, a, 0, 1, 100).ok).toBe(true);
    expect(applyFillToBook(universe, book, a, 1, 1, 100)).toEqual({
      ok: false,
      reason: "isolated_single_market",
    });
    expect(depositToBook(book, a, 0, 10)).toEqual({ ok: true, amountAfter: 10 });
    expect(depositToBook(book, a, 0, -11)).toEqual({ ok: false, reason: "insufficient_collateral" });
    expect(() => applyFillToBook(universe, book, a, 0, Number.NaN, 1)).toThrow(/sizeDelta/);
    expect(() => openBookSubaccount(universe, book, "y", "cross", { paramSetId: "nope" })).toThrow(
      /paramSetId/,
    );
    expect(() => setBookMode(book, a, "cross")).not.toThrow();
  });

  it("keeps every sub-account's positions sorted, netted and equal to a plain map model through growth and compaction", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const rand = seededUniform(seed);
        const book = createColumnarBook(universe, { subaccounts: 1, positions: 1 }, seed % 2 === 0);
        const model: Map<number, number>[] = [];
        for (let step = 0; step < 300; step++) {
          if (model.length === 0 || rand() < 0.05) {
            openBookSubaccount(universe, book, `s${model.length}`, rand() < 0.5 ? "cross" : "portfolio");
            model.push(new Map());
          }
          const a = Math.floor(rand() * model.length);
          const fill = randomFill(rand, { ...v, book }, a);
          const out = applyFillToBook(universe, book, a, fill.instrument, fill.size, fill.priceUsd);
          if (!out.ok) continue;
          const next = (model[a]!.get(fill.instrument) ?? 0) + fill.size;
          if (next === 0) model[a]!.delete(fill.instrument);
          else model[a]!.set(fill.instrument, next);
          if (rand() < 0.02) compactBook(book, Math.floor(rand() * 2));
        }
        let total = 0;
        model.forEach((m, a) => {
          const view = accountView(universe, book, a);
          const expected = [...m.entries()]
            .sort(([x], [y]) => x - y)
            .map(([i, size]) => [universe.marketIds[i], size]);
          expect(view.positions.map((p) => [p.marketId, p.size])).toEqual(expected);
          total += m.size;
        });
        expect(bookPositionCount(book)).toBe(total);
      }),
      { numRuns: 30 },
    );
  });

  it("rewrites a whole row from its owner's state, growing the slot and bumping the structure only when instruments change", () => {
    const book = createColumnarBook(universe, { subaccounts: 2, positions: 2 });
    const a = openBookSubaccount(universe, book, "x", "cross");
    const b = openBookSubaccount(universe, book, "y", "cross");
    applyFillToBook(universe, book, b, 1, 3, 50);
    const collateral = new Float64Array(universe.assetCount).fill(2);
    const v0 = book.structureVersion;
    writeBookRow(book, a, {
      mode: "portfolio",
      paramSet: 0,
      imMultiplier: 1.5,
      collateral,
      instruments: [0, 1, 2, 3, 4],
      sizes: [1, -2, 3, -4, 5],
      entriesUsd: [10, 20, 30, 40, 50],
    });
    expect(book.structureVersion).toBe(v0 + 1);
    expect(book.posCount[a]).toBe(5);
    expect(book.mode[a]).toBe(2);
    expect(book.imMultiplier[a]).toBe(1.5);
    // The one-byte flag the kernel reads before the multiplier follows it.
    expect([book.imMultiplied[a], book.imMultiplied[b]]).toEqual([1, 0]);
    const s = book.posStart[a]!;
    expect([...book.posSize.subarray(s, s + 5)]).toEqual([1, -2, 3, -4, 5]);
    expect(book.collateral[a * book.assetCount]).toBe(2);
    // The neighbour's row is untouched by the relocation.
    const sb = book.posStart[b]!;
    expect([book.posInstrument[sb], book.posSize[sb], book.posEntryUsd[sb]]).toEqual([1, 3, 50]);
    // Same instruments, new sizes: no structure change.
    writeBookRow(book, a, {
      mode: "cross",
      paramSet: 0,
      imMultiplier: 1,
      collateral,
      instruments: [0, 1, 2, 3, 4],
      sizes: [2, -2, 3, -4, 5],
      entriesUsd: [11, 20, 30, 40, 50],
    });
    expect(book.structureVersion).toBe(v0 + 1);
    expect(book.posSize[book.posStart[a]!]).toBe(2);
    expect(book.imMultiplied[a]).toBe(0);
    expect(() =>
      writeBookRow(book, a, {
        mode: "cross",
        paramSet: 0,
        imMultiplier: 1,
        collateral,
        instruments: [2, 1],
        sizes: [1, 1],
        entriesUsd: [1, 1],
      }),
    ).toThrow(/ascending/);
    expect(() =>
      writeBookRow(book, a, {
        mode: "cross",
        paramSet: 0,
        imMultiplier: 1,
        collateral: [-1],
        instruments: [],
        sizes: [],
        entriesUsd: [],
      }),
    ).toThrow(/collateral/);
    // A rejected row leaves the book as it was (validated before the first write).
    expect([book.mode[a], book.posCount[a], book.posSize[book.posStart[a]!]]).toEqual([1, 5, 2]);
  });
});
