import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { formatDecimal } from "../../engine/decimal.ts";
import {
  commandAccepted,
  depositBody,
  errorResponses,
  insuranceContributionBody,
  transferBody,
  withdrawalBody,
} from "../api-schemas.ts";
import { forbidden } from "../authenticate.ts";
import { sendCommandResult } from "../command-response.ts";
import { sendProblem } from "../problem-details.ts";
import { canActOnAccount, type Principal } from "../roles.ts";
import type { ServiceContext } from "../service-context.ts";
import { subaccountOwner } from "../subaccount-owner.ts";

/*
 * Money in and out: deposits (the venue's custody reports them), withdrawals and transfers (a
 * trader on its own sub-accounts, or the venue), insurance-fund contributions (admin) and the
 * fund's balance. Each is one engine command, acknowledged after its commit.
 */

const commandResponses = { 200: commandAccepted, ...errorResponses };

/** Registers the ledger routes. */
export function registerLedgerRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  /** A trader may only touch sub-accounts of its own accounts; an unknown one looks the same. */
  const mayTouch = (principal: Principal, subaccountId: string): boolean => {
    if (principal.role !== "trader") return true;
    const owner = subaccountOwner(ctx.engine, subaccountId);
    return owner !== undefined && canActOnAccount(principal, owner);
  };

  r.post(
    "/v1/deposits",
    {
      config: { roles: ["admin", "venue"] },
      schema: {
        summary: "Credit a deposit (opens the sub-account on first use)",
        body: depositBody,
        response: commandResponses,
      },
    },
    async (request, reply) => {
      const { commandId, ...b } = request.body;
      return sendCommandResult(request, reply, await ctx.host.execute({ type: "deposit", ...b }, commandId));
    },
  );

  r.post(
    "/v1/withdrawals",
    {
      config: { roles: ["admin", "venue", "trader"] },
      schema: {
        summary: "Withdraw collateral (must leave initial margin covered)",
        body: withdrawalBody,
        response: commandResponses,
      },
    },
    async (request, reply) => {
      const { commandId, ...b } = request.body;
      if (!mayTouch(request.principal!, b.subaccountId)) return sendProblem(reply, forbidden(request.url));
      return sendCommandResult(request, reply, await ctx.host.execute({ type: "withdraw", ...b }, commandId));
    },
  );

  r.post(
    "/v1/transfers",
    {
      config: { roles: ["admin", "venue", "trader"] },
      schema: {
        summary: "Move collateral between sub-accounts",
        body: transferBody,
        response: commandResponses,
      },
    },
    async (request, reply) => {
      const { commandId, ...b } = request.body;
      const p = request.principal!;
      if (!mayTouch(p, b.fromSubaccountId) || !mayTouch(p, b.toSubaccountId))
        return sendProblem(reply, forbidden(request.url));
      return sendCommandResult(request, reply, await ctx.host.execute({ type: "transfer", ...b }, commandId));
    },
  );

  r.post(
    "/v1/insurance-fund/contributions",
    {
      config: { roles: ["admin"] },
      schema: {
        summary: "Pay into the insurance fund",
        body: insuranceContributionBody,
        response: commandResponses,
      },
    },
    async (request, reply) => {
      const { commandId, ...b } = request.body;
      return sendCommandResult(
        request,
        reply,
        await ctx.host.execute({ type: "fund_insurance", ...b }, commandId),
      );
    },
  );

  r.get(
    "/v1/insurance-fund",
    {
      schema: {
        summary: "Insurance fund, collected fees and the PnL pool per asset (decimal strings)",
        response: {
          200: z.object({
            insurance: z.record(z.string(), z.string()),
            fees: z.record(z.string(), z.string()),
            pnlPool: z.record(z.string(), z.string()),
          }),
          ...errorResponses,
        },
      },
    },
    async () => venueLedger(ctx),
  );
}

/** The venue's ledger figures as decimal strings per asset. */
export function venueLedger(ctx: ServiceContext): {
  insurance: Record<string, string>;
  fees: Record<string, string>;
  pnlPool: Record<string, string>;
} {
  const state = ctx.engine.state();
  const decimals = (asset: string) => state.config?.assets.get(asset)?.decimals ?? 0;
  const fmt = (m: ReadonlyMap<string, bigint>) =>
    Object.fromEntries(
      [...m].sort(([a], [b]) => (a < b ? -1 : 1)).map(([a, v]) => [a, formatDecimal(v, decimals(a))]),
    );
  return {
    insurance: fmt(state.venue.insurance),
    fees: fmt(state.venue.fees),
    pnlPool: fmt(state.venue.pnlPool),
  };
}
