import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { MarginalError } from "../../core/errors.ts";
import { accountParams, errorResponses, jsonObject, pageQuery, whatIfBody } from "../api-schemas.ts";
import { forbidden } from "../authenticate.ts";
import { accountMargin, jsonSafe, subaccountWhatIf } from "../margin-view.ts";
import { problem, sendProblem } from "../problem-details.ts";
import { canReadAccount } from "../roles.ts";
import type { ServiceContext } from "../service-context.ts";

/*
 * Reading accounts: their sub-accounts, balances, positions and margin (engine figures and the
 * policy breakdown), and what-if for an order. A trader reaches only the accounts its key is
 * bound to; asking for any other account, existing or not, gets the same 403.
 */

const READERS = ["admin", "venue", "liquidator", "trader"] as const;

/** Registers /v1/accounts routes. */
export function registerAccountRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    "/v1/accounts",
    {
      config: { roles: ["admin", "venue", "liquidator"] },
      schema: {
        summary: "List account ids (paged, ascending)",
        querystring: pageQuery,
        response: {
          200: z.object({ accountIds: z.array(z.string()), next: z.string().nullable() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const limit = request.query.limit ?? 100;
      const after = request.query.after;
      const ids = [...ctx.engine.state().accounts.keys()]
        .filter((id) => after === undefined || id > after)
        .sort();
      const page = ids.slice(0, limit);
      return { accountIds: page, next: ids.length > limit ? (page.at(-1) ?? null) : null };
    },
  );

  /** Resolves the account if the caller may read it; otherwise sends the answer and returns undefined. */
  const readable = (
    accountId: string,
    request: import("fastify").FastifyRequest,
    reply: import("fastify").FastifyReply,
  ) => {
    const principal = request.principal!;
    if (!canReadAccount(principal, accountId)) {
      sendProblem(reply, forbidden(request.url));
      return undefined;
    }
    const account = ctx.engine.state().config === null ? undefined : ctx.engine.account(accountId);
    if (account === undefined) {
      // A trader learns nothing from the difference between "not yours" and "absent".
      if (principal.role === "trader") sendProblem(reply, forbidden(request.url));
      else
        sendProblem(
          reply,
          problem(404, "not-found", `no account '${accountId}'`, request.url, [
            { field: "accountId", reason: "unknown" },
          ]),
        );
      return undefined;
    }
    return account;
  };

  r.get(
    "/v1/accounts/:accountId",
    {
      config: { roles: READERS },
      schema: {
        summary: "An account with its sub-accounts, balances and positions",
        params: accountParams,
        response: { 200: jsonObject, ...errorResponses },
      },
    },
    async (request, reply) => {
      const account = readable(request.params.accountId, request, reply);
      if (account === undefined) return reply;
      const margins = accountMargin(ctx.engine, undefined, ctx.marketData, account.subaccounts);
      return reply.send({
        accountId: account.id,
        subaccounts: margins.map(({ policy: _p, policyError: _e, ...rest }) => rest),
      });
    },
  );

  r.get(
    "/v1/accounts/:accountId/margin",
    {
      config: { roles: READERS },
      schema: {
        summary: "Margin of every sub-account: engine figures and the policy breakdown",
        params: accountParams,
        response: { 200: jsonObject, ...errorResponses },
      },
    },
    async (request, reply) => {
      const account = readable(request.params.accountId, request, reply);
      if (account === undefined) return reply;
      return reply.send({
        accountId: account.id,
        asOfMs: ctx.engine.state().clockMs,
        subaccounts: accountMargin(ctx.engine, ctx.riskParams.current(), ctx.marketData, account.subaccounts),
      });
    },
  );

  r.post(
    "/v1/accounts/:accountId/what-if",
    {
      config: { roles: READERS },
      schema: {
        summary: "Margin before and after a hypothetical order, and whether it would be accepted",
        params: accountParams,
        body: whatIfBody,
        response: { 200: jsonObject, ...errorResponses },
      },
    },
    async (request, reply) => {
      const account = readable(request.params.accountId, request, reply);
      if (account === undefined) return reply;
      const body = request.body;
      const view = account.subaccounts.find((s) => s.id === body.subaccountId);
      if (view === undefined) return sendProblem(reply, forbidden(request.url));
      const doc = ctx.riskParams.current();
      if (doc === undefined)
        throw new MarginalError("conflict", "no risk-parameter document is in force", {
          field: "riskParams",
        });
      const result = subaccountWhatIf(ctx.engine, doc, ctx.marketData, view, {
        marketId: body.marketId,
        side: body.side,
        size: Number(body.size),
        price: Number(body.price),
      });
      return reply.send(jsonSafe(result) as Record<string, unknown>);
    },
  );
}
