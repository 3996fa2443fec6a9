import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { problem, sendProblem } from "./problem-details.ts";
import type { ServiceContext } from "./service-context.ts";

/*
 * Authentication and role checks for /v1. `Authorization: Bearer <key>` is required; a missing,
 * malformed, unknown or revoked key gets the same 401.
 *
 * Browsers cannot set an Authorization header on a WebSocket, so a WebSocket upgrade without one
 * may offer its key as the sub-protocol `marginal.bearer.<key>` (beside `marginal.v1`, which
 * the server selects and echoes: a browser closes a socket whose server picks none of its
 * protocols). Only upgrade requests are read this way, and an Authorization header always wins;
 * the key is then checked exactly like a header key. A known key over its rate limit gets a
 * 429 with Retry-After. A route lists the roles it admits in `config.roles`; any other role
 * gets a 403 that says nothing about the resource.
 */

const BEARER = /^Bearer ([\x21-\x7e]{1,200})$/;

/** Sub-protocol prefix under which a browser sends its API key on the stream. */
export const STREAM_KEY_PROTOCOL_PREFIX = "marginal.bearer.";

/** The API key offered as a WebSocket sub-protocol (`Sec-WebSocket-Protocol` list), if any. */
export function streamKeyFromProtocols(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  for (const raw of header.split(",")) {
    const p = raw.trim();
    if (p.startsWith(STREAM_KEY_PROTOCOL_PREFIX) && p.length > STREAM_KEY_PROTOCOL_PREFIX.length) {
      return p.slice(STREAM_KEY_PROTOCOL_PREFIX.length);
    }
  }
  return undefined;
}

/** The key a request presents: its Authorization header, else (WebSocket upgrades only) a sub-protocol key. */
export function presentedKey(headers: FastifyRequest["headers"]): string | undefined {
  const header = headers.authorization;
  if (header !== undefined) return BEARER.exec(header)?.[1];
  if (String(headers.upgrade ?? "").toLowerCase() !== "websocket") return undefined;
  const protocols = headers["sec-websocket-protocol"];
  return streamKeyFromProtocols(Array.isArray(protocols) ? protocols.join(",") : protocols);
}

/** Installs the hooks on `app` (routes under /v1 that are not marked public). */
export function installAuthentication(app: FastifyInstance, ctx: ServiceContext): void {
  app.decorateRequest("principal", undefined);
  app.addHook("onRequest", async (request: FastifyRequest, reply: FastifyReply) => {
    const config = request.routeOptions.config;
    if (config.public === true || !request.url.startsWith("/v1")) return;
    const key = presentedKey(request.headers);
    const principal = key === undefined || key.length > 200 ? undefined : await ctx.keys.authenticate(key);
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
