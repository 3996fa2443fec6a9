import type { RiskParams } from "../core/margin/risk-params.ts";
import type { Engine } from "./../engine/create-engine.ts";
import { parseEngineConfig } from "../engine/engine-config.ts";
import type { CommandHost, HostResult } from "./command-host.ts";
import { engineConfigFromRiskParams, engineFractions } from "./engine-config-from-risk-params.ts";

/*
 * Puts an applied risk-parameter document into force in the engine: an unconfigured engine is
 * configured with the venue the document describes; a configured one gets an
 * `update_risk_params` command for every listed market whose static fractions changed. Markets
 * the engine does not list cannot be added at run time and are reported.
 */

export interface EngineUpdate {
  readonly configured: boolean;
  readonly updatedMarkets: readonly string[];
  readonly notListed: readonly string[];
  readonly rejected: readonly { readonly marketId: string; readonly reason: string }[];
}

/** Issues the engine commands for `doc` through the host (each durable before the next). */
export async function applyRiskParamsToEngine(
  engine: Engine,
  host: CommandHost,
  doc: RiskParams,
  appliedBy: string,
): Promise<EngineUpdate> {
  const state = engine.state();
  if (state.config === null) {
    const { config, skipped } = engineConfigFromRiskParams(doc);
    parseEngineConfig(config);
    const result = await host.execute({ type: "configure", config }, `configure-${appliedBy}-${Date.now()}`);
    return {
      configured: result.status === "accepted",
      updatedMarkets: [],
      notListed: skipped.map((s) => s.marketId),
      rejected: result.status === "rejected" ? [{ marketId: "*", reason: result.reason }] : [],
    };
  }
  const updated: string[] = [];
  const notListed: string[] = [];
  const rejected: { marketId: string; reason: string }[] = [];
  for (const [marketId, m] of Object.entries(doc.markets).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const runtime = state.markets.get(marketId);
    if (runtime === undefined) {
      notListed.push(marketId);
      continue;
    }
    const f = engineFractions(m.policy);
    if (
      f.initialMarginFraction === runtime.initialMarginFraction &&
      f.maintenanceMarginFraction === runtime.maintenanceMarginFraction
    )
      continue;
    const result: HostResult = await host.execute({ type: "update_risk_params", marketId, ...f });
    if (result.status === "rejected") rejected.push({ marketId, reason: result.reason });
    else updated.push(marketId);
  }
  return { configured: false, updatedMarkets: updated, notListed, rejected };
}
