/**
 * Timestamps seen in market-data CSV files, turned into milliseconds since the Unix epoch (UTC).
 * Accepted: ISO-8601 with `Z` or a numeric offset (`2020-03-12T00:00:00Z`,
 * `2018-01-01 00:00:00+00:00`), a bare date (`2020-03-12`, read as UTC midnight), a date-time
 * without a zone (read as UTC, because every vendor we read exports UTC), and unix epochs as
 * integers in seconds, milliseconds or microseconds (told apart by magnitude, see below).
 */

const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const EPOCH = /^\d{1,16}(?:\.\d+)?$/;

// Magnitude cut-offs for epoch integers: 1e11 seconds is the year 5138 and 1e11 milliseconds is
// 1973, so below 1e11 a number is seconds; below 1e14 milliseconds (1e14 ms is the year 5138);
// above, microseconds (Binance spot exports use microseconds since 2025).
const SECONDS_BELOW = 1e11;
const MILLISECONDS_BELOW = 1e14;

/**
 * Parses one timestamp cell into epoch milliseconds (UTC), or returns `undefined` when the text
 * is not a timestamp this function understands (the caller names the line and field).
 */
export function parseTimestampMs(text: string): number | undefined {
  const cell = text.trim();
  if (cell === "") return undefined;
  if (EPOCH.test(cell)) return epochToMs(Number(cell));
  const m = ISO_DATE.exec(cell);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = h === undefined ? 0 : Number(h);
  const minute = mi === undefined ? 0 : Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return undefined;
  }
  const fractionMs = frac === undefined ? 0 : Math.floor(Number(`0.${frac}`) * 1000);
  const utcMs = Date.UTC(year, month - 1, day, hour, minute, second, fractionMs);
  // Date.UTC silently rolls 31 February into March; a real calendar date survives the round trip.
  if (new Date(utcMs).getUTCDate() !== day) return undefined;
  return utcMs - zoneOffsetMs(zone);
}

function epochToMs(value: number): number {
  if (value < SECONDS_BELOW) return Math.round(value * 1000);
  if (value < MILLISECONDS_BELOW) return Math.round(value);
  return Math.round(value / 1000);
}

function zoneOffsetMs(zone: string | undefined): number {
  if (zone === undefined || zone.toUpperCase() === "Z") return 0;
  const sign = zone.startsWith("-") ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
}

/** Formats epoch milliseconds as ISO-8601 UTC (`2020-03-12T00:00:00Z`, milliseconds only if any). */
export function formatTimestampIso(timestampMs: number): string {
  const iso = new Date(timestampMs).toISOString();
  return iso.endsWith(".000Z") ? `${iso.slice(0, -5)}Z` : iso;
}
