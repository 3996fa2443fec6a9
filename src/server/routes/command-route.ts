import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { z } from "zod";
import { commandAccepted, errorResponses } from "../api-schemas.ts";
import { forbidden } from "../authenticate.ts";
import type { CommandBody } from "../command-host.ts";
import { sendCommandResult } from "../command-response.ts";
import { sendProblem } from "../problem-details.ts";
import type { Principal, Role } from "../roles.ts";
import type { ServiceContext } from "../service-context.ts";

/*
 * A route that is one engine command: the body is validated by its schema, its `commandId` (the
 * idempotency key) is split off, the principal is checked when the route says how, the command is
 * executed through the host (acknowledged after its commit) and the result answered as 200 with
 * the events, or as a problem.
 */

const commandResponses = { 200: commandAccepted, ...errorResponses };

type BodyWithoutId<B extends z.ZodType> = Omit<z.infer<B>, "commandId">;

export interface CommandRoute<B extends z.ZodType<{ commandId?: string | undefined }>> {
  path: string;
  roles: Role[];
  summary: string;
  body: B;
  /** The engine command of a request body (its `commandId` removed). */
  command: (body: BodyWithoutId<B>) => CommandBody;
  /** Whether this principal may send this body (403 otherwise); absent: the roles decide alone. */
  allowed?: (principal: Principal, body: BodyWithoutId<B>) => boolean;
}

/** Registers a POST route that executes one engine command. */
export function registerCommandRoute<B extends z.ZodType<{ commandId?: string | undefined }>>(
  app: FastifyInstance,
  ctx: ServiceContext,
  route: CommandRoute<B>,
): void {
  app.withTypeProvider<ZodTypeProvider>().post(
    route.path,
    {
      config: { roles: route.roles },
      schema: { summary: route.summary, body: route.body, response: commandResponses },
    },
    async (request, reply) => {
      const { commandId, ...body } = request.body as z.infer<B>;
      if (route.allowed !== undefined && !route.allowed(request.principal!, body))
        return sendProblem(reply, forbidden(request.url));
      return sendCommandResult(request, reply, await ctx.host.execute(route.command(body), commandId));
    },
  );
}
