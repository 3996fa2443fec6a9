/*
 * Enforces the layering of DESIGN.md on imports: a module may import only from its own layer or
 * from layers below it, and `core` stays pure (no node: built-ins, no wall clock, no
 * unseeded randomness). Run by `npm run lint`; exits non-zero with one line per violation.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), "..");
const RANK: Record<string, number> = { core: 0, engine: 1, store: 2, sim: 3, server: 4, cli: 5 };

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...walk(path));
    else if (/\.tsx?$/.test(name)) out.push(path);
  }
  return out;
}

function layerOf(path: string): string | undefined {
  const rel = relative(join(ROOT, "src"), path);
  if (rel.startsWith("..")) return undefined;
  return rel.split(sep)[0];
}

const violations: string[] = [];
for (const file of walk(join(ROOT, "src"))) {
  const layer = layerOf(file);
  if (layer === undefined || RANK[layer] === undefined) continue;
  const text = readFileSync(file, "utf8");
  const isTest = file.endsWith(".test.ts");
  for (const match of text.matchAll(
    /(?:import|export)[^'"]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g,
  )) {
    const spec = match[1] ?? match[2] ?? "";
    const where = `${relative(ROOT, file)}: imports '${spec}'`;
    if (spec.startsWith(".")) {
      const target = layerOf(resolve(dirname(file), spec));
      if (target !== undefined && (RANK[target] ?? 99) > (RANK[layer] ?? -1)) {
        violations.push(`${where} — ${layer} must not depend on ${target}`);
      }
      if (target === "server" && layer !== "server" && layer !== "cli")
        violations.push(`${where} — only cli may use server`);
    } else if (layer === "core" && !isTest && spec.startsWith("node:")) {
      violations.push(`${where} — core is pure: no Node built-ins`);
    }
  }
  if (layer === "core" && !isTest && /\bDate\.now\(|\bMath\.random\(|new Date\(\)/.test(text)) {
    violations.push(`${relative(ROOT, file)} — core is pure: no wall clock or unseeded randomness`);
  }
}
if (violations.length > 0) {
  process.stderr.write(`${violations.join("\n")}\n${violations.length} layering violation(s)\n`);
  process.exit(1);
}
process.stdout.write("layers: ok\n");
