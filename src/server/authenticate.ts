import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { problem, sendProblem } from "./problem-details.ts";
import type { ServiceContext } from "./service-context.ts";

/*
 * Authentication and role checks for /v1. `Authorization: Bearer <key>` is required; a missing,
 * malformed, unknown or revoked key gets the same 401. A known key over its rate limit gets a
 * 429 with Retry-After. A route lists the roles it admits in `config.roles`; any other role
 * gets a 403 that says nothing about the resource.
 */

const BEARER = /^Bearer ([\x21-\x7e]{1,200})$/;

/** Installs the hooks on `app` (routes under /v1 that are not marked public). */
export function installAuthentication(app: FastifyInstance, ctx: ServiceContext): void {
  app.decorateRequest("principal", undefined);
  app.addHook("onRequest", async (request: FastifyRequest, reply: FastifyReply) => {
    const config = request.routeOptions.config;
    if (config.public === true || !request.url.startsWith("/v1")) return;
    const header = request.headers.authorization ?? "";
    const m = BEARER.exec(header);
    const principal = m === null ? undefined : await ctx.keys.authenticate(m[1]!);
    if (principal === undefined) {
      reply.header("WWW-Authenticate", 'Bearer realm="marginal"');
      return sendProblem(
        reply,
        problem(401, "unauthorized", "a valid API key is required", request.url, [
          { field: "authorization", reason: "missing or invalid key" },
        ]),
      );
    }
    const waitMs = ctx.limiter.take(principal.keyId, ctx.clockMs());
    if (waitMs > 0) {
      reply.header("Retry-After", String(Math.ceil(waitMs / 1000)));
      return sendProblem(
        reply,
        problem(429, "rate-limited", "too many requests for this key", request.url, [
          { field: "authorization", reason: "rate limit" },
        ]),
      );
    }
    request.principal = principal;
    const roles = config.roles;
    if (roles !== undefined && !roles.includes(principal.role))
      return sendProblem(reply, forbidden(request.url));
  });
}

/** The one denial answer: the same for "not your account" and "no such account". */
export function forbidden(instance: string) {
  return problem(403, "forbidden", "not allowed", instance);
}
