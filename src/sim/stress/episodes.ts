import { invalidInput } from "../../core/errors.ts";

/*
 * The crash episodes of ../shared/data (see its README), as UTC windows that include the day
 * before the crash (so positions are open when it starts) and the days after (so liquidations
 * that lag the low are counted). `FROM..TO` (ISO dates, TO inclusive) is any other window.
 */

export interface Episode {
  readonly name: string;
  readonly fromMs: number;
  /** Inclusive. */
  readonly toMs: number;
}

export const EPISODES: Readonly<Record<string, { from: string; to: string; what: string }>> = {
  "2020-03-12": {
    from: "2020-03-11T00:00:00Z",
    to: "2020-03-14T23:59:59Z",
    what: "COVID crash (BTC 7.9k → 3.8k low)",
  },
  "2021-05-19": {
    from: "2021-05-18T00:00:00Z",
    to: "2021-05-21T23:59:59Z",
    what: "China-ban crash (BTC low 30k)",
  },
  "2022-05-luna": { from: "2022-05-07T00:00:00Z", to: "2022-05-13T23:59:59Z", what: "LUNA/UST collapse" },
  "2022-06-3ac": { from: "2022-06-12T00:00:00Z", to: "2022-06-18T23:59:59Z", what: "3AC/Celsius" },
  "2022-11-ftx": { from: "2022-11-06T00:00:00Z", to: "2022-11-10T23:59:59Z", what: "FTX collapse" },
  "2023-03-usdc": { from: "2023-03-10T00:00:00Z", to: "2023-03-13T23:59:59Z", what: "USDC depeg" },
};

/** Resolves an episode name or `FROM..TO` into a UTC window (epoch ms). */
export function resolveEpisode(text: string): Episode {
  const named = EPISODES[text];
  if (named !== undefined) return { name: text, fromMs: Date.parse(named.from), toMs: Date.parse(named.to) };
  const parts = text.split("..");
  if (parts.length === 2) {
    const parse = (s: string, end: boolean) =>
      Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T${end ? "23:59:59" : "00:00:00"}Z` : s);
    const fromMs = parse(parts[0] ?? "", false);
    const toMs = parse(parts[1] ?? "", true);
    if (Number.isFinite(fromMs) && Number.isFinite(toMs) && toMs > fromMs)
      return { name: text, fromMs, toMs };
  }
  throw invalidInput(
    "episode",
    `'${text}' is neither a known episode (${Object.keys(EPISODES).join(", ")}) nor FROM..TO`,
  );
}
