import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { MarginalError } from "../core/errors.ts";

/*
 * Marginal's own files (the examples, the dashboard build, the shared data beside the clone),
 * found from the running module. A path relative to `import.meta.url` holds only in the sources:
 * `npm run build` bundles every module into dist/marginal.mjs, one directory level for all of
 * them. Both the sources (src/<layer>/…) and the bundle (dist/) sit below the project directory,
 * so walking up to the package.json named "marginal" finds it from either.
 */

const PACKAGE_NAME = "marginal";
let root: string | undefined;

function isProjectDir(dir: string): boolean {
  try {
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: unknown };
    return pkg.name === PACKAGE_NAME;
  } catch {
    return false; // no package.json here, or not one we can read
  }
}

/** The project directory: the nearest ancestor of this module holding Marginal's package.json. */
export function projectRoot(): string {
  if (root !== undefined) return root;
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    if (isProjectDir(dir)) {
      root = dir;
      return dir;
    }
    if (dirname(dir) === dir)
      throw new MarginalError(
        "invariant_violated",
        `no package.json named "${PACKAGE_NAME}" above ${start}: the sources or the bundle were moved out of the project`,
      );
  }
}

/** A path inside the project directory (`..` reaches its siblings, such as ../shared). */
export function projectPath(...parts: string[]): string {
  return join(projectRoot(), ...parts);
}
