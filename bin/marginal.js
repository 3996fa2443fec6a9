#!/usr/bin/env node
// Entry point for the `marginal` command. It runs the bundle that `npm run build` writes to
// dist/ while that bundle is up to date (dist/build-stamp.json; see fresh-bundle.js). Otherwise
// it runs the TypeScript sources through tsx's loader: a fresh clone works after `npm install`
// with no build step, and an edited source is never shadowed by an older bundle.
// MARGINAL_FROM_SOURCE=1 forces the sources.
import { freshBundle } from "./fresh-bundle.js";

const root = new URL("..", import.meta.url);
const bundle =
  process.env.MARGINAL_FROM_SOURCE === "1" ? null : freshBundle(root, new URL("dist/build-stamp.json", root));
if (bundle !== null) await import(bundle.href);
else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("../src/cli/main.ts");
}
