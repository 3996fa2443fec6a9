import { createHash } from "node:crypto";
import type { EngineState } from "./engine-state.ts";
import { canonicalJson, snapshot } from "./snapshot.ts";

/** sha256 (hex) of the canonical snapshot: equal states give equal hashes on every machine. */
export function stateHash(state: EngineState): string {
  return createHash("sha256")
    .update(canonicalJson(snapshot(state)))
    .digest("hex");
}
