/*
 * Display formatting for the dashboard. Every formatter takes a value in the unit its name says
 * and returns text for a person; a missing or non-finite value shows as an em dash, never as
 * "NaN" or "Infinity". Formatting is fixed to en-US so screenshots and tests do not depend on
 * the browser's locale.
 */

export const MISSING = "—";

const usd2 = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  maximumFractionDigits: 2,
  minimumFractionDigits: 2,
});
const usdCompact = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  notation: "compact",
  maximumFractionDigits: 2,
});

/** A USD amount (float, dollars) as "$1,234.56"; null or non-finite as "—". */
export function formatUsd(amountUsd: number | null | undefined): string {
  if (amountUsd === null || amountUsd === undefined || !Number.isFinite(amountUsd)) return MISSING;
  return usd2.format(amountUsd);
}

/** A USD amount (float, dollars) in compact form ("$1.25M") for tight table cells and axes. */
export function formatUsdCompact(amountUsd: number | null | undefined): string {
  if (amountUsd === null || amountUsd === undefined || !Number.isFinite(amountUsd)) return MISSING;
  return usdCompact.format(amountUsd);
}

/** A fraction (0.05) as a percentage ("5.00%"), with `digits` decimals. */
export function formatPercent(fraction: number | null | undefined, digits = 2): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return MISSING;
  return `${(fraction * 100).toFixed(digits)}%`;
}

/**
 * Health (equity / MM, dimensionless) as "1.23×". The API sends null when there is no
 * requirement (no positions): that account cannot be liquidated, shown as "∞".
 */
export function formatHealth(health: number | null | undefined): string {
  if (health === null) return "∞";
  if (health === undefined || !Number.isFinite(health)) return MISSING;
  if (health >= 1000) return ">999×";
  return `${health.toFixed(2)}×`;
}

/**
 * An exact decimal string from the API ("61075.0099", "-1.5") with thousands separators,
 * digits kept as sent: the string is never parsed into a float.
 */
export function formatDecimalString(text: string | null | undefined): string {
  if (text === null || text === undefined || !/^-?\d+(\.\d+)?$/.test(text)) return MISSING;
  const negative = text.startsWith("-");
  const [int = "0", frac] = (negative ? text.slice(1) : text).split(".");
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${negative ? "-" : ""}${grouped}${frac === undefined ? "" : `.${frac}`}`;
}

/**
 * An integer amount in smallest units (a decimal string such as "1500000") as a decimal string
 * with `decimals` places ("1.500000"), exactly, through bigint.
 */
export function formatUnits(units: string, decimals: number): string {
  if (!/^-?\d+$/.test(units)) return MISSING;
  const negative = units.startsWith("-");
  const digits = (negative ? units.slice(1) : units).padStart(decimals + 1, "0");
  const int = digits.slice(0, digits.length - decimals).replace(/^0+(?=\d)/, "");
  const frac = decimals === 0 ? "" : `.${digits.slice(digits.length - decimals)}`;
  return `${negative && /[1-9]/.test(digits) ? "-" : ""}${int}${frac}`;
}

/** A price in USD (float) with precision that suits its size: 61,075.01, 3.0644, 0.0012345. */
export function formatPriceUsd(priceUsd: number | null | undefined): string {
  if (priceUsd === null || priceUsd === undefined || !Number.isFinite(priceUsd)) return MISSING;
  const abs = Math.abs(priceUsd);
  const digits = abs >= 1000 ? 2 : abs >= 1 ? 4 : 6;
  return priceUsd.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A price in USD (float) for a chart axis: short, thousands compacted ("62.5k", "3,165", "169.3"). */
export function formatPriceAxis(priceUsd: number | null | undefined): string {
  if (priceUsd === null || priceUsd === undefined || !Number.isFinite(priceUsd)) return MISSING;
  const abs = Math.abs(priceUsd);
  if (abs >= 10_000) return `${(priceUsd / 1000).toLocaleString("en-US", { maximumFractionDigits: 2 })}k`;
  if (abs >= 100) return priceUsd.toLocaleString("en-US", { maximumFractionDigits: 1 });
  return priceUsd.toLocaleString("en-US", { maximumSignificantDigits: 4 });
}

/** A time (Unix epoch, ms) as "HH:MM:SS" in UTC. */
export function formatTimeUtc(atMs: number | null | undefined): string {
  if (atMs === null || atMs === undefined || !Number.isFinite(atMs)) return MISSING;
  return new Date(atMs).toISOString().slice(11, 19);
}

/** A time (Unix epoch, ms) as "2026-11-25 18:03:04 UTC". */
export function formatDateTimeUtc(atMs: number | null | undefined): string {
  if (atMs === null || atMs === undefined || !Number.isFinite(atMs)) return MISSING;
  return `${new Date(atMs).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}
