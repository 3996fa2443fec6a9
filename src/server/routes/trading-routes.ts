import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  errorResponses,
  fillBody,
  fundingBody,
  jsonObject,
  liquidationBody,
  oracleReportBody,
  pageQuery,
} from "../api-schemas.ts";
import { liquidationQueue, marketSummary } from "../market-summary.ts";
import type { ServiceContext } from "../service-context.ts";
import { subaccountOwner } from "../subaccount-owner.ts";
import { registerCommandRoute } from "./command-route.ts";

/*
 * What the venue's other systems send: fills and funding (the matching engine, role venue),
 * price reports (oracle), liquidation take-overs (liquidator, from a sub-account of an account
 * its key is bound to); and what everyone reads: market states and the liquidation queue.
 */

/** Registers the trading routes. */
export function registerTradingRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  registerCommandRoute(app, ctx, {
    path: "/v1/fills",
    roles: ["venue"],
    summary: "Settle a fill from the matching engine",
    body: fillBody,
    command: (b) => ({ type: "fill", ...b }),
  });

  registerCommandRoute(app, ctx, {
    path: "/v1/funding",
    roles: ["venue"],
    summary: "Pay one funding period of a perpetual",
    body: fundingBody,
    command: (b) => ({ type: "funding", ...b }),
  });

  registerCommandRoute(app, ctx, {
    path: "/v1/oracle-reports",
    roles: ["oracle"],
    summary: "Report a price from one oracle source",
    body: oracleReportBody,
    command: (b) => ({ type: "oracle_report", ...b }),
  });

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

  registerCommandRoute(app, ctx, {
    path: "/v1/liquidations",
    roles: ["liquidator"],
    summary: "Take over (part of) a position in liquidation",
    body: liquidationBody,
    command: (b) => ({ type: "liquidate", ...b }),
    // From a sub-account of an account the key is bound to.
    allowed: (p, b) => {
      const owner = subaccountOwner(ctx.engine, b.liquidatorSubaccountId);
      return owner !== undefined && p.accountIds.has(owner);
    },
  });

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
