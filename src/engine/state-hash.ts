import { createHash } from "node:crypto";
import { canonicalJson } from "./canonical-json.ts";
import type { EngineState } from "./engine-state.ts";
import { snapshot } from "./snapshot.ts";

/**
 * sha256 (hex) of the snapshot's canonical JSON (sorted keys, bigints as decimal strings): a
 * function of the state's content only, so equal states give equal hashes on every machine, and
 * a snapshot or config whose keys were reordered in transit (a store that sorts keys) restores to
 * the same hash.
 */
export function stateHash(state: EngineState): string {
  return createHash("sha256")
    .update(canonicalJson(snapshot(state)))
    .digest("hex");
}
