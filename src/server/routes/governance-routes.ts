import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { MarginalError } from "../../core/errors.ts";
import {
  createKeyBody,
  errorResponses,
  jsonObject,
  keyParams,
  pageQuery,
  proposalBody,
  versionParams,
} from "../api-schemas.ts";
import { applyRiskParamsToEngine } from "../apply-risk-params-to-engine.ts";
import { problem, sendProblem } from "../problem-details.ts";
import type { ServiceContext } from "../service-context.ts";

/*
 * Administration: API keys (created with the full key shown once, listed without secrets,
 * revoked) and the risk-parameter document (read by every role; proposed, applied and audited
 * by admins, each change recorded with who, when and the diff).
 */

/** Registers the admin routes. */
export function registerGovernanceRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const admin = { roles: ["admin"] as const };
  const who = (request: { principal: { keyId: string; label: string } | undefined }) =>
    `${request.principal!.label || "key"}:${request.principal!.keyId}`;

  r.post(
    "/v1/keys",
    {
      config: admin,
      schema: {
        summary: "Create an API key (the key is shown only in this answer)",
        body: createKeyBody,
        response: { 201: jsonObject, ...errorResponses },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const accountIds = b.accountIds ?? [];
      if ((b.role === "trader" || b.role === "liquidator") && accountIds.length === 0) {
        throw new MarginalError(
          "invalid_input",
          "a trader or liquidator key must be bound to at least one account",
          { field: "body.accountIds" },
        );
      }
      const created = await ctx.keys.create({
        role: b.role,
        accountIds,
        label: b.label ?? "",
        createdBy: who(request),
      });
      return reply.code(201).send({ ...created });
    },
  );

  r.get(
    "/v1/keys",
    {
      config: admin,
      schema: { summary: "List keys (no secrets)", response: { 200: jsonObject, ...errorResponses } },
    },
    async () => ({ keys: ctx.keys.list() }),
  );

  r.delete(
    "/v1/keys/:keyId",
    {
      config: admin,
      schema: {
        summary: "Revoke a key",
        params: keyParams,
        response: { 200: jsonObject, ...errorResponses },
      },
    },
    async (request, reply) => {
      const revoked = await ctx.keys.revoke(request.params.keyId);
      if (!revoked)
        return sendProblem(
          reply,
          problem(404, "not-found", "no active key with this id", request.url, [
            { field: "keyId", reason: "unknown" },
          ]),
        );
      return reply.send({ keyId: request.params.keyId, revoked: true });
    },
  );

  r.get(
    "/v1/risk-params",
    {
      schema: {
        summary: "The risk-parameter document in force",
        response: { 200: jsonObject, ...errorResponses },
      },
    },
    async (request, reply) => {
      const doc = ctx.riskParams.current();
      if (doc === undefined)
        return sendProblem(reply, problem(404, "not-found", "no document applied yet", request.url));
      return reply.send(doc);
    },
  );

  r.post(
    "/v1/risk-params/proposals",
    {
      config: admin,
      // A venue document can be larger than an ordinary command.
      bodyLimit: 1024 * 1024,
      schema: {
        summary: "Propose a document (validated; answered with its diff)",
        body: proposalBody,
        response: { 201: jsonObject, ...errorResponses },
      },
    },
    async (request, reply) => {
      const version = await ctx.riskParams.propose(
        request.body.document,
        who(request),
        request.body.note ?? "",
      );
      return reply.code(201).send({ ...version });
    },
  );

  r.post(
    "/v1/risk-params/proposals/:versionId/apply",
    {
      config: admin,
      schema: {
        summary: "Apply a proposal: it comes into force in the engine",
        params: versionParams,
        response: { 200: jsonObject, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { version } = await ctx.riskParams.apply(request.params.versionId, who(request));
      const engine = await applyRiskParamsToEngine(
        ctx.engine,
        ctx.host,
        version.document,
        request.principal!.keyId,
      );
      request.log.info(
        { versionId: version.versionId, by: version.appliedBy, changes: version.diff.length },
        "risk parameters applied",
      );
      return reply.send({ version, engine });
    },
  );

  r.get(
    "/v1/risk-params/history",
    {
      config: admin,
      schema: {
        summary: "Every proposed and applied version with who, when and the diff",
        querystring: pageQuery,
        response: { 200: jsonObject, ...errorResponses },
      },
    },
    async (request) => ({ versions: await ctx.riskParams.history(request.query.limit ?? 50) }),
  );
}
