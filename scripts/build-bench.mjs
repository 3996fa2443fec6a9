// Bundles the hot-path bench into bench/.build/ (esbuild; packages stay external, resolved from
// node_modules) so that `npm run bench` times compiled JavaScript in plain Node processes.
//
// Why not run it under the tsx loader like the rest of the project: Node 20's module hooks
// detach an ArrayBuffer while loading, which clears V8's process-wide "no ArrayBuffer was ever
// detached" assumption; from then on every typed-array access in optimised code also checks
// for a detached buffer. Under tsx the plain memory sum (the bench's stream bound) ran ~25%
// slower and the kernel ~8% slower than the same code bundled (BENCHMARKS.md, session 5), so a
// tsx run understates the memory bound and flatters every ratio against it.
//
// The worker entries are built under the names the pools load (remargin-pool.ts and
// sync-remargin-pool.ts resolve "./remargin-worker-entry.mjs" etc. next to the bundle), so the
// bundled pools start bundled workers, with no loader either.

import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
await build({
  absWorkingDir: root,
  entryPoints: {
    run: "bench/run.ts",
    "engine-tick": "bench/engine-tick.ts",
    "remargin-worker-entry": "src/engine/hotpath/remargin-worker.ts",
    "sync-remargin-worker-entry": "src/engine/hotpath/sync-remargin-worker.ts",
  },
  outdir: "bench/.build",
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  logLevel: "warning",
});
