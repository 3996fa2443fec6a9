import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { errorResponses, idString } from "../api-schemas.ts";
import { forbidden } from "../authenticate.ts";
import { problem, sendProblem } from "../problem-details.ts";
import type { Principal } from "../roles.ts";
import type { ServiceContext } from "../service-context.ts";
import { SUMMARY_PAGE_ROWS_MAX, SUMMARY_QUERY_CHARS_MAX, SUMMARY_SORT_KEYS } from "../subaccount-summary.ts";

/*
 * The venue's accounts at scale: one paged, sorted, searchable table of sub-accounts with their
 * engine margin, and the count of sub-accounts per health band, both from one cached read model
 * (recomputed only when the engine's sequence number moved). Venue-wide readers see every
 * sub-account; a trader sees only those of the accounts its key is bound to, and asking for
 * another account by id gets the same 403 as for one that does not exist.
 */

const READERS = ["admin", "venue", "liquidator", "trader"] as const;

export const summaryQuery = z.strictObject({
  sort: z.enum(SUMMARY_SORT_KEYS).optional().describe("sort key (default health: riskiest first)"),
  order: z.enum(["asc", "desc"]).optional(),
  limit: z.coerce.number().int().min(1).max(SUMMARY_PAGE_ROWS_MAX).optional(),
  after: z
    .string()
    .min(1)
    .max(512)
    .regex(/^[A-Za-z0-9_-]+$/, "a cursor from `next`")
    .optional(),
  q: z
    .string()
    .max(SUMMARY_QUERY_CHARS_MAX)
    .optional()
    .describe("substring of the account or sub-account id"),
  accountId: idString.optional().describe("only the sub-accounts of this account"),
});

export const summaryRow = z.object({
  accountId: z.string(),
  subaccountId: z.string(),
  mode: z.string(),
  equityUsd: z.number(),
  initialMarginUsd: z.number(),
  maintenanceMarginUsd: z.number(),
  freeCollateralUsd: z.number(),
  notionalUsd: z.number(),
  health: z.number().nullable().describe("equity / MM; null without requirement"),
  marginRatio: z.number().nullable().describe("MM / equity; null without requirement or equity ≤ 0"),
  positionsCount: z.number().int(),
  inLiquidation: z.boolean(),
});

export const summaryPage = z.object({
  items: z.array(summaryRow),
  next: z.string().nullable().describe("cursor of the next page (pass as `after`), null on the last"),
  total: z.number().int().describe("rows matching the filter, all pages"),
  asOfSeq: z.number().int(),
  asOfMs: z.number(),
});

export const healthBandsAnswer = z.object({
  bands: z.array(
    z.object({
      label: z.string(),
      fromHealth: z.number().nullable(),
      toHealth: z.number().nullable(),
      count: z.number().int(),
    }),
  ),
  inLiquidation: z.number().int(),
  noRequirement: z.number().int(),
  total: z.number().int(),
  asOfSeq: z.number().int(),
  asOfMs: z.number(),
});

/** The accounts a principal's rows are restricted to (undefined: all). */
function visibleAccounts(principal: Principal): ReadonlySet<string> | undefined {
  return principal.role === "trader" ? principal.accountIds : undefined;
}

/** Registers GET /v1/subaccounts and GET /v1/subaccounts/health-bands. */
export function registerSummaryRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    "/v1/subaccounts",
    {
      config: { roles: READERS },
      schema: {
        summary: "Sub-accounts with their engine margin: paged (keyset cursor), sorted, searchable",
        querystring: summaryQuery,
        response: { 200: summaryPage, ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = request.principal!;
      const query = request.query;
      let accountIds = visibleAccounts(principal);
      if (query.accountId !== undefined) {
        if (accountIds !== undefined && !accountIds.has(query.accountId))
          return sendProblem(reply, forbidden(request.url));
        if (!ctx.engine.state().accounts.has(query.accountId)) {
          // A trader learns nothing from the difference between "not yours" and "absent".
          if (principal.role === "trader") return sendProblem(reply, forbidden(request.url));
          return sendProblem(
            reply,
            problem(404, "not-found", `no account '${query.accountId}'`, request.url, [
              { field: "query.accountId", reason: "unknown" },
            ]),
          );
        }
        accountIds = new Set([query.accountId]);
      }
      return reply.send(
        ctx.summaries.page({
          sort: query.sort ?? "health",
          order: query.order ?? "asc",
          limit: query.limit ?? 100,
          ...(query.after === undefined ? {} : { after: query.after }),
          ...(query.q === undefined ? {} : { q: query.q }),
          ...(accountIds === undefined ? {} : { accountIds }),
        }),
      );
    },
  );

  r.get(
    "/v1/subaccounts/health-bands",
    {
      config: { roles: READERS },
      schema: {
        summary: "Count of sub-accounts per health band (equity / MM), in liquidation, without requirement",
        response: { 200: healthBandsAnswer, ...errorResponses },
      },
    },
    async (request) => ctx.summaries.histogram(visibleAccounts(request.principal!)),
  );
}
