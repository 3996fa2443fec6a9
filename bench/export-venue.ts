/*
 * Writes the bench venue (the columns the re-margin reads, plus the market-level inputs the
 * NumPy peer needs to build its own scenario vectors) and the option batch to one binary file
 * and a JSON description of it, so that bench/numpy_remargin.py memory-maps exactly the bytes the
 * TypeScript kernel computed on.
 */
import { closeSync, openSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { TickTables } from "../src/core/hotpath/tick-tables.ts";
import { yearsToExpiry } from "../src/core/margin/instrument-pricing.ts";
import type { Black76BatchInputs } from "../src/core/pricing/black76-batch.ts";
import { BENCH_RHO, type BenchVenue } from "./synthetic-venue.ts";

type Column = Float64Array | Int32Array | Uint8Array;

function dtypeOf(c: Column): string {
  if (c instanceof Float64Array) return "<f8";
  if (c instanceof Int32Array) return "<i4";
  return "u1";
}

/** Writes the venue and the option batch under `dir`; returns the path of the JSON description. */
export function exportVenue(
  dir: string,
  venue: BenchVenue,
  tables: TickTables,
  options: Black76BatchInputs | null,
): string {
  const { universe: u, book } = venue;
  const n = book.subaccountCount;
  const rows = book.positionRowsUsed;
  const usd = new Float64Array(n);
  const k = u.assetIds.indexOf("USD");
  for (let a = 0; a < n; a++) usd[a] = book.collateral[a * book.assetCount + k]!;
  const fIm = new Float64Array(u.instrumentCount);
  const fMm = new Float64Array(u.instrumentCount);
  const expiryYears = new Float64Array(u.instrumentCount);
  for (let i = 0; i < u.instrumentCount; i++) {
    fIm[i] = u.slotStaticIm[i]!;
    fMm[i] = u.slotStaticMm[i]!;
    expiryYears[i] = u.kind[i] === 3 ? yearsToExpiry(u.expiryMs[i]!, tables.asOfMs) : 0;
  }
  const columns: Record<string, Column> = {
    kind: u.kind,
    contract_size: u.contractSize,
    underlying: u.instrumentUnderlying,
    strike: u.strikeUsd,
    is_call: u.isCall,
    expiry_years: expiryYears,
    index: tables.indexUsd,
    mark: tables.markUsd,
    model_mark: tables.modelMarkUsd,
    vol: tables.optionVolAnnual,
    basis: tables.basisRatio,
    f_im: fIm,
    f_mm: fMm,
    moves: u.moves.subarray(0, u.moveCount[0]!),
    vol_shocks: u.volShocks.subarray(0, u.volShockCount[0]!),
    short_min: u.underlyingShortOptionMinimum,
    maintenance_share: u.underlyingMaintenanceShare,
    pos_count: book.posCount.subarray(0, n),
    mode: book.mode.subarray(0, n),
    usd,
    pos_instrument: book.posInstrument.subarray(0, rows),
    pos_size: book.posSize.subarray(0, rows),
    pos_entry: book.posEntryUsd.subarray(0, rows),
    ...(options === null
      ? {}
      : {
          opt_kind: options.kind,
          opt_forward: options.forward,
          opt_strike: options.strike,
          opt_expiry: options.expiryYears,
          opt_vol: options.vol,
          opt_rate: options.rate,
        }),
  };
  const data = join(dir, "venue.bin");
  const fd = openSync(data, "w");
  const arrays: Record<string, { dtype: string; offset: number; length: number }> = {};
  let offset = 0;
  try {
    for (const [name, c] of Object.entries(columns)) {
      const pad = (8 - (offset % 8)) % 8;
      if (pad > 0) writeSync(fd, new Uint8Array(pad));
      offset += pad;
      arrays[name] = { dtype: dtypeOf(c), offset, length: c.length };
      writeSync(fd, new Uint8Array(c.buffer, c.byteOffset, c.byteLength));
      offset += c.byteLength;
    }
  } finally {
    closeSync(fd);
  }
  const meta = join(dir, "venue.json");
  writeFileSync(
    meta,
    JSON.stringify({ data, accounts: n, underlyings: u.underlyingCount, rho: BENCH_RHO, arrays }, null, 1),
  );
  return meta;
}
