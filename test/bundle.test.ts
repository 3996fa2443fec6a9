import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshBundle } from "../bin/fresh-bundle.js";
import { startDemoServer } from "./e2e/demo-server.ts";

/*
 * `npm run build` (scripts/build.mjs): the command bundled into one file with its re-margin
 * workers, which bin/marginal.js runs while it is up to date. Built here into a directory of its
 * own inside the project, one level down like dist/ (the bundle finds the project's files by
 * walking up to its package.json, and its packages in node_modules), so the suite never touches
 * dist/.
 */
const root = fileURLToPath(new URL("..", import.meta.url));
const rootUrl = pathToFileURL(root);
let outDir = "";

beforeAll(() => {
  // One level below the project, as dist/ is: a path relative to a source module's own
  // location (src/<layer>/…) would miss from here.
  outDir = mkdtempSync(join(root, ".build-test-"));
  const build = spawnSync(process.execPath, ["scripts/build.mjs", "cli", "--outdir", outDir], {
    cwd: root,
    encoding: "utf8",
    timeout: 120_000,
  });
  expect(build.status, build.stderr).toBe(0);
});

afterAll(() => {
  if (outDir !== "") rmSync(outDir, { recursive: true, force: true });
});

describe("scripts/build.mjs cli", () => {
  it("writes the bundle, both worker entries and a stamp of its sources", () => {
    const stamp = JSON.parse(readFileSync(join(outDir, "build-stamp.json"), "utf8")) as {
      startedMs: number;
      outputs: string[];
      inputs: string[];
    };
    const rel = relative(root, outDir);
    expect(stamp.outputs.sort()).toEqual(
      ["marginal.mjs", "remargin-worker-entry.mjs", "sync-remargin-worker-entry.mjs"].map(
        (f) => `${rel}/${f}`,
      ),
    );
    for (const f of stamp.outputs) expect(existsSync(join(root, f))).toBe(true);
    expect(stamp.inputs).toContain("src/cli/main.ts");
    expect(stamp.inputs).toContain("src/core/hotpath/remargin-kernel.ts");
    expect(stamp.inputs).toContain("src/engine/hotpath/sync-remargin-worker.ts");
    expect(stamp.inputs.some((f) => f.includes("node_modules") || f.endsWith(".test.ts"))).toBe(false);
    expect(stamp.startedMs).toBeLessThanOrEqual(Date.now());
    // Just built from these sources: fresh, and its entry is the bundle.
    expect(freshBundle(rootUrl, pathToFileURL(join(outDir, "build-stamp.json")))?.href).toBe(
      pathToFileURL(join(outDir, "marginal.mjs")).href,
    );
    // The bundle loads no TypeScript loader.
    expect(readFileSync(join(outDir, "marginal.mjs"), "utf8")).not.toContain("tsx/esm");
  });

  it("runs the command from the bundle", () => {
    const run = spawnSync(process.execPath, [join(outDir, "marginal.mjs"), "--version"], {
      cwd: tmpdir(),
      encoding: "utf8",
    });
    expect(run.status, run.stderr).toBe(0);
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
    expect(run.stdout.trim()).toBe(pkg.version);
  });

  it("serves the demo venue from the bundle, from another directory, with two re-margin threads", async () => {
    const server = await startDemoServer({
      accounts: 40,
      hoursPerSecond: 1,
      timeoutMs: 60_000,
      entry: join(outDir, "marginal.mjs"),
      extraArgs: ["--remargin-threads", "2"],
      cwd: tmpdir(),
    });
    try {
      // The demo venue's risk parameters (examples/) were found from the bundle: it is ready.
      expect((await fetch(`${server.url}/health`)).status).toBe(200);
      expect((await fetch(`${server.url}/ready`)).status).toBe(200);
    } finally {
      expect(await server.stop(), server.output()).toBe(0);
    }
  });

  it("runs from the sources under tsx when asked to", () => {
    const run = spawnSync(process.execPath, [join(root, "bin", "marginal.js"), "--version"], {
      cwd: tmpdir(),
      encoding: "utf8",
      env: { ...process.env, MARGINAL_FROM_SOURCE: "1" },
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe("bin/fresh-bundle.js", () => {
  function fakeProject(): { dir: string; url: URL; stamp: URL } {
    const dir = mkdtempSync(join(tmpdir(), "marginal-stamp-"));
    mkdirSync(join(dir, "src"));
    mkdirSync(join(dir, "dist"));
    writeFileSync(join(dir, "src", "a.ts"), "");
    writeFileSync(join(dir, "dist", "marginal.mjs"), "");
    writeFileSync(join(dir, "dist", "worker.mjs"), "");
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(dir, "src", "a.ts"), past, past);
    writeFileSync(
      join(dir, "dist", "build-stamp.json"),
      JSON.stringify({
        startedMs: Date.now() - 30_000,
        outputs: ["dist/marginal.mjs", "dist/worker.mjs"],
        inputs: ["src/a.ts"],
      }),
    );
    return {
      dir,
      url: pathToFileURL(`${dir}/`),
      stamp: pathToFileURL(join(dir, "dist", "build-stamp.json")),
    };
  }

  it("takes a bundle built after its sources", () => {
    const p = fakeProject();
    expect(freshBundle(p.url, p.stamp)?.href).toBe(pathToFileURL(join(p.dir, "dist", "marginal.mjs")).href);
    rmSync(p.dir, { recursive: true });
  });

  it("refuses it when a source changed after the build started", () => {
    const p = fakeProject();
    const now = new Date();
    utimesSync(join(p.dir, "src", "a.ts"), now, now);
    expect(freshBundle(p.url, p.stamp)).toBeNull();
    rmSync(p.dir, { recursive: true });
  });

  it("refuses it when a source or an output is gone, or there is no stamp", () => {
    const p = fakeProject();
    rmSync(join(p.dir, "src", "a.ts"));
    expect(freshBundle(p.url, p.stamp)).toBeNull();
    const q = fakeProject();
    rmSync(join(q.dir, "dist", "worker.mjs"));
    expect(freshBundle(q.url, q.stamp)).toBeNull();
    rmSync(join(q.dir, "dist", "build-stamp.json"));
    expect(freshBundle(q.url, q.stamp)).toBeNull();
    rmSync(p.dir, { recursive: true });
    rmSync(q.dir, { recursive: true });
  });
});
