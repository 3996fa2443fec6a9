import type { MarginMode } from "../core/margin/types.ts";
import { marksValidForAt } from "./advance-time.ts";
import { type CommandContext, findSubaccount, type Rejection, reject } from "./command-context.ts";
import type { Command } from "./commands.ts";
import { configOf, type EngineState, type SubaccountState } from "./engine-state.ts";
import type { Planned } from "./ledger-commands.ts";
import { reviewSubaccount } from "./liquidation-sweep.ts";
import { computeRisk } from "./subaccount-risk.ts";

/*
 * Per-sub-account margin settings, each set by a command and recorded as an event:
 * - the margin mode (isolated, cross, portfolio), chosen when the sub-account opens and changed
 *   only when it is flat or, with positions, when it still meets IM under the new mode (so a
 *   switch can never be used to release margin the account needs);
 * - the trader's own stricter margin, an IM multiplier ≥ 1 (it only ever restricts new risk,
 *   so it needs no check);
 * - the venue-assigned parameter set of the policy document (the venue's decision: the account
 *   is re-checked for liquidation at once under it).
 */

type SetMarginMode = Extract<Command, { type: "set_margin_mode" }>;
type SetImMultiplier = Extract<Command, { type: "set_im_multiplier" }>;
type AssignParamSet = Extract<Command, { type: "assign_param_set" }>;

/** Whether the venue can margin a sub-account in `mode` (portfolio needs the core policy). */
export function modeSupported(state: EngineState, mode: MarginMode): Rejection | null {
  if (mode === "portfolio" && configOf(state).riskPolicy === null)
    return reject("mode_unsupported", "portfolio mode needs the venue's core margin policy (riskPolicy)");
  return null;
}

function checkModeChange(
  state: EngineState,
  s: SubaccountState,
  mode: MarginMode,
  atMs: number,
): Rejection | null {
  if (s.mode === mode) return reject("invalid_input", `mode: ${s.id} is already ${mode}`);
  const unsupported = modeSupported(state, mode);
  if (unsupported !== null) return unsupported;
  if (s.liquidation !== null) return reject("in_liquidation", `${s.id} is being liquidated`);
  if (s.positions.size === 0) return null;
  if (mode === "isolated" && s.positions.size > 1)
    return reject("isolated_single_market", `${s.id} holds ${s.positions.size} markets; isolated holds one`);
  if (!marksValidForAt(state, s, atMs))
    return reject("price_unavailable", "a market of this sub-account has no valid price");
  const risk = computeRisk(state, {
    balances: s.balances,
    positions: s.positions,
    mode,
    settings: s.settings,
  });
  if (risk.equityUsd < risk.initialMarginUsd)
    return reject(
      "insufficient_margin",
      `in ${mode} mode equity ${risk.equityUsd.toFixed(2)} USD would be below IM ${risk.initialMarginUsd.toFixed(2)} USD`,
    );
  return null;
}

export function planSetMarginMode(ctx: CommandContext, c: SetMarginMode): Planned {
  const s = findSubaccount(ctx.state, c.subaccountId);
  if (s === undefined) return reject("unknown_subaccount", `unknown sub-account ${c.subaccountId}`);
  const problem = checkModeChange(ctx.state, s, c.mode, c.atMs);
  if (problem !== null) return problem;
  return () => {
    ctx.emit({ type: "margin_mode_changed", subaccountId: s.id, mode: c.mode });
    reviewSubaccount(ctx, s);
  };
}

export function planSetImMultiplier(ctx: CommandContext, c: SetImMultiplier): Planned {
  const s = findSubaccount(ctx.state, c.subaccountId);
  if (s === undefined) return reject("unknown_subaccount", `unknown sub-account ${c.subaccountId}`);
  if (s.settings.imMultiplier === c.imMultiplier)
    return reject("invalid_input", `imMultiplier: already ${c.imMultiplier}`);
  return () =>
    ctx.emit({
      type: "subaccount_settings_changed",
      subaccountId: s.id,
      imMultiplier: c.imMultiplier,
      paramSetId: s.settings.paramSetId,
    });
}

export function planAssignParamSet(ctx: CommandContext, c: AssignParamSet): Planned {
  const s = findSubaccount(ctx.state, c.subaccountId);
  if (s === undefined) return reject("unknown_subaccount", `unknown sub-account ${c.subaccountId}`);
  const policy = configOf(ctx.state).riskPolicy;
  if (c.paramSetId !== null && policy?.params.paramSets?.[c.paramSetId] === undefined)
    return reject("unknown_param_set", `paramSetId: the policy document has no set '${c.paramSetId}'`);
  if (s.settings.paramSetId === c.paramSetId)
    return reject("invalid_input", `paramSetId: already ${String(c.paramSetId)}`);
  return () => {
    ctx.emit({
      type: "subaccount_settings_changed",
      subaccountId: s.id,
      imMultiplier: s.settings.imMultiplier,
      paramSetId: c.paramSetId,
    });
    reviewSubaccount(ctx, s);
  };
}
