import type { Engine } from "../engine/create-engine.ts";

/** The account that owns a sub-account, or undefined when it does not exist. */
export function subaccountOwner(engine: Engine, subaccountId: string): string | undefined {
  const state = engine.state();
  const index = state.subaccountIndex.get(subaccountId);
  return index === undefined ? undefined : state.subaccounts[index]?.accountId;
}
