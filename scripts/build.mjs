// Bundles Marginal with esbuild (packages stay external, resolved from node_modules), so that the
// command, the service and the bench run compiled JavaScript in plain Node processes.
//
//   node scripts/build.mjs [cli] [bench] [--outdir DIR]     (no target: cli)
//
// cli:   src/cli/main.ts → dist/marginal.mjs, which bin/marginal.js runs while it is up to date
//        (dist/build-stamp.json lists the sources it was built from and when); --outdir moves it.
// bench: bench/run.ts and bench/engine-tick.ts → bench/.build/ (`npm run bench`).
// Each target also bundles the re-margin pools' workers under the names the pools load
// (remargin-pool.ts and sync-remargin-pool.ts resolve "./remargin-worker-entry.mjs" etc. next to
// the module that starts them, which is the bundle), so bundled pools start bundled workers.
//
// Why not run everything under the tsx loader: Node 20's module hooks detach an ArrayBuffer while
// loading, which clears V8's process-wide "no ArrayBuffer was ever detached" assumption; from
// then on every typed-array access in optimised code also checks for a detached buffer. Under
// tsx the plain memory sum (the bench's stream bound) ran ~25% slower and the re-margin kernel
// ~8% slower than the same code bundled (BENCHMARKS.md, session 5). Start-up is faster too: the
// command's --help takes ~0.3 s bundled against ~0.9 s under tsx.

import { renameSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const { values, positionals } = parseArgs({
  options: { outdir: { type: "string" } },
  allowPositionals: true,
});
const targets = positionals.length === 0 ? ["cli"] : positionals;
for (const t of targets)
  if (t !== "cli" && t !== "bench") throw new Error(`unknown build target "${t}" (cli or bench)`);
if (values.outdir !== undefined && targets.length !== 1) throw new Error("--outdir takes exactly one target");

const WORKERS = {
  "remargin-worker-entry": "src/engine/hotpath/remargin-worker.ts",
  "sync-remargin-worker-entry": "src/engine/hotpath/sync-remargin-worker.ts",
};
const ENTRIES = {
  cli: { marginal: "src/cli/main.ts", ...WORKERS },
  bench: { run: "bench/run.ts", "engine-tick": "bench/engine-tick.ts", ...WORKERS },
};
const OUTDIRS = { cli: "dist", bench: "bench/.build" };

for (const target of targets) {
  const outdir = resolve(root, values.outdir ?? OUTDIRS[target]);
  const stampPath = join(outdir, "build-stamp.json");
  // No stamp while the files are rewritten: bin/marginal.js runs the sources meanwhile.
  if (target === "cli") rmSync(stampPath, { force: true });
  const startedMs = Date.now();
  const result = await build({
    absWorkingDir: root,
    entryPoints: ENTRIES[target],
    outdir,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    metafile: true,
    logLevel: "warning",
  });
  if (target === "cli") {
    // The sources this bundle holds, for bin/marginal.js: the bundle is stale once any of them
    // is gone or was modified at or after the build started. Written last, and atomically, so
    // that a half-written build is never taken for a fresh one.
    const inputs = Object.keys(result.metafile.inputs)
      .filter((p) => !p.startsWith("node_modules/"))
      .sort();
    const outputs = Object.keys(result.metafile.outputs).sort();
    const stamp = { startedMs, outputs, inputs };
    writeFileSync(`${stampPath}.tmp`, `${JSON.stringify(stamp, null, 1)}\n`);
    renameSync(`${stampPath}.tmp`, stampPath);
  }
}
