import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { EngineEvent } from "../../engine/events.ts";
import { errorResponses, idString } from "../api-schemas.ts";
import { subaccountsOfEvent } from "../liquidation-events.ts";
import { problem, sendProblem } from "../problem-details.ts";
import type { Principal } from "../roles.ts";
import type { ServiceContext } from "../service-context.ts";
import { subaccountOwner } from "../subaccount-owner.ts";
import { RECENT_EVENTS_MAX } from "../venue-history.ts";

/*
 * The service's bounded in-memory history (see venue-history.ts): per market the mark, static
 * IM/MM fractions, margin multiplier and state; the insurance fund per asset; and the last
 * events of the liquidation feed. Markets and the fund are public to every role, like their
 * current values; a trader sees only the feed events of its own sub-accounts, reduced to what
 * the stream tells it (type, seq, time, its sub-account).
 */

const marketHistoryAnswer = z.object({
  marketId: z.string(),
  underlying: z.string(),
  intervalMs: z.number().describe("minimum engine time between two points"),
  capacity: z.number().int(),
  atMs: z.array(z.number()).describe("engine time of each point, ms, oldest first"),
  markPriceUsd: z.array(z.number().nullable()),
  initialMarginFraction: z.array(z.number()),
  maintenanceMarginFraction: z.array(z.number()),
  marginMultiplier: z.array(z.number()),
  status: z.array(z.string()),
});

const fundHistoryAnswer = z.object({
  intervalMs: z.number(),
  capacity: z.number().int(),
  assets: z.record(z.string(), z.object({ atMs: z.array(z.number()), amount: z.array(z.number()) })),
});

const sinceQuery = z.strictObject({
  sinceMs: z.coerce
    .number()
    .int()
    .min(0)
    .max(8.64e15)
    .optional()
    .describe("only points at or after this engine time, ms (the newest point may have been updated)"),
});

/** First index of `atMs` (ascending) at or after `sinceMs`. */
function firstAtOrAfter(atMs: readonly number[], sinceMs: number): number {
  let lo = 0;
  let hi = atMs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (atMs[mid]! < sinceMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const recentQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(RECENT_EVENTS_MAX).optional(),
});

/** What a principal sees of a feed event (traders: their side only, reduced). */
function feedView(
  ctx: ServiceContext,
  principal: Principal,
  e: EngineEvent,
): Record<string, unknown> | undefined {
  if (principal.role !== "trader") return e as unknown as Record<string, unknown>;
  const own = subaccountsOfEvent(e).find((s) => {
    const owner = subaccountOwner(ctx.engine, s);
    return owner !== undefined && principal.accountIds.has(owner);
  });
  return own === undefined ? undefined : { type: e.type, seq: e.seq, atMs: e.atMs, subaccountId: own };
}

/** Registers /v1/history/markets/{marketId}, /v1/history/insurance-fund and /v1/events/recent. */
export function registerHistoryRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    "/v1/history/markets/:marketId",
    {
      schema: {
        summary: "Sampled history of a market: mark, IM/MM fractions, margin multiplier, state",
        params: z.strictObject({ marketId: idString }),
        querystring: sinceQuery,
        response: { 200: marketHistoryAnswer, ...errorResponses },
      },
    },
    async (request, reply) => {
      const h = ctx.history.market(request.params.marketId);
      if (h === undefined)
        return sendProblem(
          reply,
          problem(404, "not-found", `no market '${request.params.marketId}'`, request.url, [
            { field: "marketId", reason: "unknown" },
          ]),
        );
      const since = request.query.sinceMs;
      if (since === undefined) return reply.send(h);
      const i = firstAtOrAfter(h.atMs, since);
      return reply.send({
        ...h,
        atMs: h.atMs.slice(i),
        markPriceUsd: h.markPriceUsd.slice(i),
        initialMarginFraction: h.initialMarginFraction.slice(i),
        maintenanceMarginFraction: h.maintenanceMarginFraction.slice(i),
        marginMultiplier: h.marginMultiplier.slice(i),
        status: h.status.slice(i),
      });
    },
  );

  r.get(
    "/v1/history/insurance-fund",
    {
      schema: {
        summary: "Sampled history of the insurance fund per asset",
        querystring: sinceQuery,
        response: { 200: fundHistoryAnswer, ...errorResponses },
      },
    },
    async (request) => {
      const fund = ctx.history.insuranceFund();
      const since = request.query.sinceMs;
      if (since === undefined) return fund;
      const assets: typeof fund.assets = {};
      for (const [asset, s] of Object.entries(fund.assets)) {
        const i = firstAtOrAfter(s.atMs, since);
        assets[asset] = { atMs: s.atMs.slice(i), amount: s.amount.slice(i) };
      }
      return { ...fund, assets };
    },
  );

  r.get(
    "/v1/events/recent",
    {
      schema: {
        summary: "The last liquidation, auction, ADL and insurance events, newest first",
        querystring: recentQuery,
        response: {
          200: z.object({ events: z.array(z.record(z.string(), z.unknown())) }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const principal = request.principal!;
      const limit = request.query.limit ?? 100;
      const events = ctx.history
        .recentEvents(limit, (e) => feedView(ctx, principal, e) !== undefined)
        .map((e) => feedView(ctx, principal, e)!);
      return { events };
    },
  );
}
