import { MarginalError } from "../../core/errors.ts";
import { canonicalJson } from "../canonical-json.ts";
import { createEngine, type RiskPath } from "../create-engine.ts";
import { columnarRiskStats } from "./columnar-risk.ts";

/*
 * Reruns a recorded command sequence (e.g. a scenario driver's) on a fresh engine per risk path,
 * so a test can compare the event logs and state hashes of the reference and columnar paths. The
 * columnar run audits every holder it skips against the reference.
 */

export interface RiskPathRun {
  riskPath: RiskPath;
  /** Canonical JSON of the whole event log. */
  logJson: string;
  events: number;
  hash: string;
  /** Columnar path: holders the screen skipped as healthy (0 on the reference path). */
  skipped: number;
  /** Columnar path: sweeps that ran on the screen. */
  screenedSweeps: number;
}

/** Submits `commands` in order to one engine per path; returns each run's log and hash. */
export function rerunOnRiskPaths(commands: readonly unknown[]): RiskPathRun[] {
  return (["reference", "columnar"] as const).map((riskPath) => {
    const engine = createEngine({ riskPath, auditRiskPath: riskPath === "columnar" });
    // A malformed command throws the same error on both paths; the outcome is part of the record.
    const thrown: string[] = [];
    for (const command of commands) {
      try {
        engine.submit(command);
      } catch (error) {
        if (!(error instanceof MarginalError)) throw error;
        thrown.push(error.message);
      }
    }
    const logJson = canonicalJson({ log: engine.log(), thrown });
    const stats = columnarRiskStats(engine.state());
    return {
      riskPath,
      logJson,
      events: engine.log().length,
      hash: engine.stateHash(),
      skipped: stats?.skipped ?? 0,
      screenedSweeps: stats?.screenedSweeps ?? 0,
    };
  });
}
