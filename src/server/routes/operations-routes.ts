import type { FastifyInstance } from "fastify";
import type { EngineStore } from "../command-host.ts";
import { problem, sendProblem } from "../problem-details.ts";
import type { ServiceContext } from "../service-context.ts";
import { renderStatusPage } from "../status-page.ts";
import { venueLedger } from "./ledger-routes.ts";

/*
 * Operations endpoints, public (no key): liveness, readiness (recovered and accepting
 * commands), Prometheus metrics, and the HTML status page at `/`.
 */

/** Registers /health, /ready, /metrics and /. */
export function registerOperationsRoutes(
  app: FastifyInstance,
  ctx: ServiceContext,
  store: EngineStore,
  title: string,
): void {
  const open = { public: true };
  app.get("/health", { config: open, schema: { hide: true } }, async () => ({ status: "ok" }));
  app.get("/ready", { config: open, schema: { hide: true } }, async (request, reply) => {
    if (!ctx.ready())
      return sendProblem(reply, problem(503, "not-ready", "not accepting commands", request.url));
    const stats = store.stats();
    return reply.send({
      status: "ready",
      backend: stats.backend,
      seq: ctx.engine.state().seq,
      queuedAppends: stats.queued,
    });
  });
  app.get("/metrics", { config: open, schema: { hide: true } }, async (_request, reply) => {
    const text = await ctx.metrics.registry.metrics();
    return reply.type(ctx.metrics.registry.contentType).send(text);
  });
  app.get("/status", { config: open, schema: { hide: true } }, async (_request, reply) =>
    reply.type("text/html; charset=utf-8").send(renderStatusPage(ctx.engine, venueLedger(ctx), title)),
  );
}
