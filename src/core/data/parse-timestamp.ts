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
  const fast = parseCanonicalUtc(text);
  if (fast !== undefined) return fast;
  const cell = text.trim();
  if (cell === "") return undefined;
  if (EPOCH.test(cell)) return epochToMs(Number(cell));
  const m = ISO_DATE.exec(cell);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const fractionMs = frac === undefined ? 0 : Math.floor(Number(`0.${frac}`) * 1000);
  const utcMs = utcMsOf(
    Number(y),
    Number(mo),
    Number(d),
    h === undefined ? 0 : Number(h),
    mi === undefined ? 0 : Number(mi),
    s === undefined ? 0 : Number(s),
  );
  return utcMs === undefined ? undefined : utcMs + fractionMs - zoneOffsetMs(zone);
}

// The canonical `2020-03-12T00:00:00Z` is read without a regular expression: it is what a
// 10-million-row file holds, and this path is several times faster than the general one.
function parseCanonicalUtc(text: string): number | undefined {
  if (
    text.length !== 20 ||
    text.charCodeAt(4) !== 45 ||
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(10) !== 84 ||
    text.charCodeAt(13) !== 58 ||
    text.charCodeAt(16) !== 58 ||
    text.charCodeAt(19) !== 90
  ) {
    return undefined;
  }
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return undefined;
  return utcMsOf(year, month, day, hour, minute, second);
}

/** The non-negative integer in text[start, start+length), or −1 if any char is not a digit. */
function digits(text: string, start: number, length: number): number {
  let value = 0;
  for (let i = start; i < start + length; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    value = value * 10 + c;
  }
  return value;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Epoch ms of a proleptic-Gregorian UTC date-time, or undefined if it is not a real one. */
function utcMsOf(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
): number | undefined {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const monthDays = month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] as number);
  if (day > monthDays) return undefined;
  return ((daysFromCivil(year, month, day) * 24 + hour) * 60 + minute) * 60_000 + second * 1000;
}

/** Days since 1970-01-01 of a civil date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
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
