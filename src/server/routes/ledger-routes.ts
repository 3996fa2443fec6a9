import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { formatDecimal } from "../../engine/decimal.ts";
import {
  depositBody,
  errorResponses,
  insuranceContributionBody,
  transferBody,
  withdrawalBody,
} from "../api-schemas.ts";
import { canActOnAccount, type Principal } from "../roles.ts";
import type { ServiceContext } from "../service-context.ts";
import { subaccountOwner } from "../subaccount-owner.ts";
import { registerCommandRoute } from "./command-route.ts";

/*
 * Money in and out: deposits (the venue's custody reports them), withdrawals and transfers (a
 * trader on its own sub-accounts, or the venue), insurance-fund contributions (admin) and the
 * fund's balance. Each is one engine command, acknowledged after its commit.
 */

/** Registers the ledger routes. */
export function registerLedgerRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  /** A trader may only touch sub-accounts of its own accounts; an unknown one looks the same. */
  const mayTouch = (principal: Principal, subaccountId: string): boolean => {
    if (principal.role !== "trader") return true;
    const owner = subaccountOwner(ctx.engine, subaccountId);
    return owner !== undefined && canActOnAccount(principal, owner);
  };

  registerCommandRoute(app, ctx, {
    path: "/v1/deposits",
    roles: ["admin", "venue"],
    summary: "Credit a deposit (opens the sub-account on first use)",
    body: depositBody,
    command: (b) => ({ type: "deposit", ...b }),
  });

  registerCommandRoute(app, ctx, {
    path: "/v1/withdrawals",
    roles: ["admin", "venue", "trader"],
    summary: "Withdraw collateral (must leave initial margin covered)",
    body: withdrawalBody,
    command: (b) => ({ type: "withdraw", ...b }),
    allowed: (p, b) => mayTouch(p, b.subaccountId),
  });

  registerCommandRoute(app, ctx, {
    path: "/v1/transfers",
    roles: ["admin", "venue", "trader"],
    summary: "Move collateral between sub-accounts",
    body: transferBody,
    command: (b) => ({ type: "transfer", ...b }),
    allowed: (p, b) => mayTouch(p, b.fromSubaccountId) && mayTouch(p, b.toSubaccountId),
  });

  registerCommandRoute(app, ctx, {
    path: "/v1/insurance-fund/contributions",
    roles: ["admin"],
    summary: "Pay into the insurance fund",
    body: insuranceContributionBody,
    command: (b) => ({ type: "fund_insurance", ...b }),
  });

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
