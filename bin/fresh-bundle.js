// Whether the bundle `npm run build` wrote is up to date with the sources (used by marginal.js).
import { readFileSync, statSync } from "node:fs";

/**
 * The URL of the bundle's entry (…/marginal.mjs) when the build stamp at `stampUrl` holds: every
 * file the build wrote is there, and every source it was built from still exists and was last
 * modified before the build started. Null otherwise (no build, a half-written or edited one).
 * Paths in the stamp are relative to `rootUrl`, the project directory.
 */
export function freshBundle(rootUrl, stampUrl) {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(stampUrl, "utf8"));
    for (const file of stamp.outputs) statSync(new URL(file, rootUrl));
    for (const file of stamp.inputs)
      if (statSync(new URL(file, rootUrl)).mtimeMs >= stamp.startedMs) return null;
  } catch {
    return null;
  }
  const entry = stamp.outputs.find((file) => file.endsWith("/marginal.mjs"));
  return entry === undefined ? null : new URL(entry, rootUrl);
}
