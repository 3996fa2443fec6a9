import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { errorResponses } from "../api-schemas.ts";
import { ROLES } from "../roles.ts";
import type { ServiceContext } from "../service-context.ts";

/*
 * "Who am I": the key presenting the request, its role and (for keys bound to accounts) the
 * accounts it reaches, so that a client needs no probing to know what it may show.
 */

export const meAnswer = z.object({
  keyId: z.string(),
  role: z.enum(ROLES),
  label: z.string(),
  accountIds: z.array(z.string()).optional().describe("accounts a trader or liquidator key is bound to"),
});

/** Registers GET /v1/me (any valid key). */
export function registerIdentityRoutes(app: FastifyInstance, _ctx: ServiceContext): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    "/v1/me",
    {
      schema: {
        summary: "The calling key: id, role, label and bound accounts",
        response: { 200: meAnswer, ...errorResponses },
      },
    },
    async (request) => {
      const p = request.principal!;
      const bound = p.role === "trader" || p.role === "liquidator";
      return {
        keyId: p.keyId,
        role: p.role,
        label: p.label,
        ...(bound ? { accountIds: [...p.accountIds].sort() } : {}),
      };
    },
  );
}
