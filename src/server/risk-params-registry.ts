import { MarginalError } from "../core/errors.ts";
import { diffRiskParams, type ParamChange } from "../core/margin/diff-risk-params.ts";
import { parseRiskParams, type RiskParams } from "../core/margin/risk-params.ts";
import type { SqlBackend } from "../store/sql-backend.ts";
import { SERVICE_SCHEMA } from "./service-migrations.ts";

/*
 * Governance of the risk-parameter document: a change is first proposed (validated, stored with
 * its diff against the document in force), then applied by an admin. Every version keeps who
 * proposed and who applied it, when, and the field-level diff, so the history answers "who
 * changed the BTC maintenance fraction, when, from what to what".
 */

export type VersionStatus = "proposed" | "applied" | "superseded";

export interface RiskParamsVersion {
  readonly versionId: number;
  readonly status: VersionStatus;
  readonly document: RiskParams;
  /** Changes from the document in force when it was proposed. */
  readonly diff: readonly ParamChange[];
  readonly proposedBy: string;
  readonly proposedAtMs: number;
  readonly appliedBy: string | null;
  readonly appliedAtMs: number | null;
  readonly note: string;
}

export interface RiskParamsRegistry {
  /** The document in force, or undefined before the first one is applied. */
  current(): RiskParams | undefined;
  propose(document: unknown, proposedBy: string, note: string): Promise<RiskParamsVersion>;
  /** Marks a proposal applied (the previous one superseded); the diff is recomputed against it. */
  apply(
    versionId: number,
    appliedBy: string,
  ): Promise<{ version: RiskParamsVersion; previous: RiskParams | undefined }>;
  history(limit: number): Promise<RiskParamsVersion[]>;
}

/** Versions returned by one history query, at most. */
export const HISTORY_LIMIT_MAX = 500;
/** Open proposals at once. */
const PROPOSALS_MAX = 100;

function diffFrom(previous: RiskParams | undefined, next: RiskParams): ParamChange[] {
  return previous === undefined
    ? [{ kind: "added", path: "", after: `document version ${next.version}` }]
    : diffRiskParams(previous, next);
}

function toVersion(row: Record<string, unknown>): RiskParamsVersion {
  const ms = (v: unknown) => (v === null || v === undefined ? null : new Date(String(v)).getTime());
  return {
    versionId: Number(row.version_id),
    status: String(row.status) as VersionStatus,
    document: parseRiskParams(JSON.parse(String(row.document))),
    diff: JSON.parse(String(row.diff)) as ParamChange[],
    proposedBy: String(row.proposed_by),
    proposedAtMs: ms(row.proposed_at) ?? 0,
    appliedBy: row.applied_by === null || row.applied_by === undefined ? null : String(row.applied_by),
    appliedAtMs: ms(row.applied_at),
    note: String(row.note),
  };
}

/** Loads the document in force and returns the registry. */
export async function openRiskParamsRegistry(db: SqlBackend): Promise<RiskParamsRegistry> {
  const s = SERVICE_SCHEMA;
  const columns =
    "version_id, status, document, diff, proposed_by, proposed_at, applied_by, applied_at, note";
  const rows = await db.query(
    `SELECT ${columns} FROM ${s}.risk_params WHERE status = 'applied' ORDER BY version_id DESC LIMIT 1`,
  );
  let current: RiskParams | undefined = rows[0] === undefined ? undefined : toVersion(rows[0]).document;

  return {
    current: () => current,
    async propose(document, proposedBy, note) {
      const parsed = parseRiskParams(document);
      const open = await db.query(
        `SELECT count(*)::int AS n FROM ${s}.risk_params WHERE status = 'proposed'`,
      );
      if (Number(open[0]?.n ?? 0) >= PROPOSALS_MAX) {
        throw new MarginalError("conflict", `at most ${PROPOSALS_MAX} open proposals`, { field: "document" });
      }
      const diff = diffFrom(current, parsed);
      const inserted = await db.query(
        `INSERT INTO ${s}.risk_params (status, document, diff, proposed_by, note) VALUES ('proposed', $1, $2, $3, $4) RETURNING ${columns}`,
        [JSON.stringify(parsed), JSON.stringify(diff), proposedBy, note],
      );
      return toVersion(inserted[0]!);
    },
    async apply(versionId, appliedBy) {
      const previous = current;
      const version = await db.transaction(async (tx) => {
        const found = await tx.query(
          `SELECT ${columns} FROM ${s}.risk_params WHERE version_id = $1 FOR UPDATE`,
          [versionId],
        );
        const row = found[0];
        if (row === undefined || row.status !== "proposed") {
          throw new MarginalError("not_found", `no open proposal ${versionId}`, { field: "versionId" });
        }
        const doc = toVersion(row).document;
        await tx.query(`UPDATE ${s}.risk_params SET status = 'superseded' WHERE status = 'applied'`);
        const updated = await tx.query(
          `UPDATE ${s}.risk_params SET status = 'applied', applied_by = $2, applied_at = now(), diff = $3 WHERE version_id = $1 RETURNING ${columns}`,
          [versionId, appliedBy, JSON.stringify(diffFrom(previous, doc))],
        );
        return toVersion(updated[0]!);
      });
      current = version.document;
      return { version, previous };
    },
    async history(limit) {
      const n = Math.min(Math.max(1, Math.trunc(limit)), HISTORY_LIMIT_MAX);
      const found = await db.query(
        `SELECT ${columns} FROM ${s}.risk_params ORDER BY version_id DESC LIMIT $1`,
        [n],
      );
      return found.map(toVersion);
    },
  };
}
