import diff from "microdiff";
import type { RiskParams } from "./risk-params.ts";

/*
 * The difference between two risk-parameter documents, for governance review: every changed,
 * added or removed field with its dotted path and both values, sorted by path so the output is
 * stable. Built on microdiff (a structural diff) over the parsed documents.
 */

export interface ParamChange {
  readonly kind: "added" | "removed" | "changed";
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

/** Field-level changes from document `a` to document `b`, sorted by path. */
export function diffRiskParams(a: RiskParams, b: RiskParams): ParamChange[] {
  const out: ParamChange[] = diff(a, b).map((d) => {
    const path = d.path.map(String).join(".");
    if (d.type === "CREATE") return { kind: "added", path, after: d.value };
    if (d.type === "REMOVE") return { kind: "removed", path, before: d.oldValue };
    return { kind: "changed", path, before: d.oldValue, after: d.value };
  });
  return out.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
}
