import { invalidInput } from "../../core/errors.ts";

const UNIT_MS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * Parses a duration such as `1d`, `24h`, `30m` or `2w` into milliseconds. Used for the
 * liquidation horizon of the backtest; `field` names the option in the error.
 */
export function parseDurationMs(text: string, field = "horizon"): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([mhdw])\s*$/i.exec(text);
  if (match === null) throw invalidInput(field, `'${text}' is not a duration like 1d, 24h or 30m`);
  const value = Number(match[1]);
  const unit = UNIT_MS[(match[2] ?? "").toLowerCase()] ?? 0;
  const ms = value * unit;
  if (!(ms > 0)) throw invalidInput(field, "must be a positive duration");
  return ms;
}
