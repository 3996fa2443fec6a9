import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  commandAccepted,
  errorResponses,
  fillBody,
  fundingBody,
  jsonObject,
  liquidationBody,
  oracleReportBody,
  pageQuery,
} from "../api-schemas.ts";
import { forbidden } from "../authenticate.ts";
import { sendCommandResult } from "../command-response.ts";
import { liquidationQueue, marketSummary } from "../market-summary.ts";
import { sendProblem } from "../problem-details.ts";
import type { ServiceContext } from "../service-context.ts";
import { subaccountOwner } from "../subaccount-owner.ts";

/*
 * What the venue's other systems send: fills and funding (the matching engine, role venue),
 * price reports (oracle), liquidation take-overs (liquidator, from a sub-account of an account
 * its key is bound to); and what everyone reads: market states and the liquidation queue.
 */

const commandResponses = { 200: commandAccepted, ...errorResponses };

/** Registers the trading routes. */
export function registerTradingRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    "/v1/fills",
    {
      config: { roles: ["venue"] },
      schema: {
        summary: "Settle a fill from the matching engine",
        body: fillBody,
        response: commandResponses,
      },
    },
    async (request, reply) => {
      const { commandId, ...b } = request.body;
      return sendCommandResult(request, reply, await ctx.host.execute({ type: "fill", ...b }, commandId));
    },
  );

  r.post(
    "/v1/funding",
    {
      config: { roles: ["venue"] },
      schema: {
        summary: "Pay one funding period of a perpetual",
        body: fundingBody,
        response: commandResponses,
      },
    },
    async (request, reply) => {
      const { commandId, ...b } = request.body;
      return sendCommandResult(request, reply, await ctx.host.execute({ type: "funding", ...b }, commandId));
    },
  );

  r.post(
    "/v1/oracle-reports",
    {
      config: { roles: ["oracle"] },
      schema: {
        summary: "Report a price from one oracle source",
        body: oracleReportBody,
        response: commandResponses,
      },
    },
    async (request, reply) => {
      const { commandId, ...b } = request.body;
      return sendCommandResult(
        request,
        reply,
        await ctx.host.execute({ type: "oracle_report", ...b }, commandId),
      );
    },
  );

  r.get(
    "/v1/liquidations",
    {
      config: { roles: ["admin", "liquidator"] },
      schema: {
        summary: "The liquidation queue, oldest first",
        querystring: pageQuery,
        response: { 200: jsonObject, ...errorResponses },
      },
    },
    async (request) => ({ queue: liquidationQueue(ctx.engine, request.query.limit ?? 100) }),
  );

  r.post(
    "/v1/liquidations",
    {
      config: { roles: ["liquidator"] },
      schema: {
        summary: "Take over (part of) a position in liquidation",
        body: liquidationBody,
        response: commandResponses,
      },
    },
    async (request, reply) => {
      const { commandId, ...b } = request.body;
      const owner = subaccountOwner(ctx.engine, b.liquidatorSubaccountId);
      if (owner === undefined || !request.principal!.accountIds.has(owner))
        return sendProblem(reply, forbidden(request.url));
      return sendCommandResult(
        request,
        reply,
        await ctx.host.execute({ type: "liquidate", ...b }, commandId),
      );
    },
  );

  r.get(
    "/v1/markets",
    {
      schema: {
        summary: "Underlyings (marks, status, margin multiplier) and markets",
        response: {
          200: z.object({
            underlyings: z.array(z.record(z.string(), z.unknown())),
            markets: z.array(z.record(z.string(), z.unknown())),
          }),
          ...errorResponses,
        },
      },
    },
    async () => marketSummary(ctx.engine),
  );
}
