import { invalidInput } from "../core/errors.ts";

const DECIMAL_RE = /^(-)?(\d+)(?:\.(\d+))?$/;

/**
 * Parses a decimal string ("123.45") into a bigint scaled by 10^decimals (12345n at 2 decimals),
 * exactly, never through a JS number. More fractional digits than `decimals` is an error (no
 * silent rounding at the edge); `field` names the input in the error.
 */
export function parseDecimal(text: string, decimals: number, field: string): bigint {
  const match = DECIMAL_RE.exec(text);
  if (match === null) throw invalidInput(field, `'${text}' is not a decimal number`);
  const [, minus, whole = "0", fraction = ""] = match;
  if (fraction.length > decimals) {
    throw invalidInput(field, `'${text}' has more than ${decimals} decimal places`);
  }
  const scaled = BigInt(whole + fraction.padEnd(decimals, "0"));
  return minus === undefined ? scaled : -scaled;
}

/** Formats a bigint scaled by 10^decimals as a decimal string, trailing zeros trimmed. */
export function formatDecimal(value: bigint, decimals: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(decimals + 1, "0");
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = digits.slice(digits.length - decimals).replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction === "" ? "" : `.${fraction}`}`;
}

/** 10^n as a bigint. */
export function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}
