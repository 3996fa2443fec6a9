import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/**
 * The uPlot browser bundle and stylesheet (from node_modules/uplot/dist), read once, to be
 * inlined into the report so it opens with no network.
 */
export function uplotAssets(): { readonly js: string; readonly css: string } {
  const require = createRequire(import.meta.url);
  const dist = dirname(require.resolve("uplot"));
  return {
    js: readFileSync(join(dist, "uPlot.iife.min.js"), "utf8"),
    css: readFileSync(join(dist, "uPlot.min.css"), "utf8"),
  };
}
