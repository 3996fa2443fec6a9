import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { MarginalError, type MarginalErrorCode } from "../core/errors.ts";

/*
 * RFC 9457 problem details: every error answer is `application/problem+json` with `type`,
 * `title`, `status`, `detail` and `instance`, plus `errors: [{field, reason}]` naming what
 * failed. `type` is a stable URI per kind of problem, so clients branch on it, not on text.
 */

export interface FieldError {
  readonly field: string;
  readonly reason: string;
}

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance: string;
  readonly errors: readonly FieldError[];
  /** Business rejections: the engine's reason code. */
  readonly reason?: string;
  readonly commandId?: string;
}

const TYPE_BASE = "https://marginal.dev/problems/";

const TITLES: Readonly<Record<number, string>> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/** Builds a problem document; `kind` becomes the last segment of `type`. */
export function problem(
  status: number,
  kind: string,
  detail: string,
  instance: string,
  errors: readonly FieldError[] = [],
  extra: { reason?: string; commandId?: string } = {},
): Problem {
  return {
    type: `${TYPE_BASE}${kind}`,
    title: TITLES[status] ?? "Error",
    status,
    detail,
    instance,
    errors,
    ...extra,
  };
}

/** Sends a problem document. */
export function sendProblem(reply: FastifyReply, p: Problem): FastifyReply {
  return reply.code(p.status).type("application/problem+json").send(p);
}

const STATUS_OF_CODE: Readonly<Record<MarginalErrorCode, number>> = {
  invalid_input: 400,
  invalid_data: 400,
  not_found: 404,
  conflict: 409,
  unauthorized: 401,
  forbidden: 403,
  invariant_violated: 500,
  not_converged: 422,
  unsupported: 400,
  unavailable: 503,
  rate_limited: 429,
};

/** Where a validation issue points: `body.amount`, or `body.extra` for an unknown field. */
function validationErrors(error: FastifyError & { validation: unknown[] }): FieldError[] {
  const context = (error as { validationContext?: string }).validationContext ?? "body";
  return error.validation.map((v) => {
    const issue = v as {
      instancePath?: string;
      message?: string;
      keyword?: string;
      params?: { keys?: string[] };
    };
    const path = (issue.instancePath ?? "").split("/").filter((p) => p !== "");
    if (issue.keyword === "unrecognized_keys" && issue.params?.keys !== undefined)
      path.push(issue.params.keys.join(","));
    const field = [context, ...path].join(".");
    const reason = issue.keyword === "unrecognized_keys" ? "unknown field" : (issue.message ?? "invalid");
    return { field, reason };
  });
}

/** Maps any error thrown in a route (or by Fastify's parsers) to a problem document. */
export function problemFromError(error: unknown, request: FastifyRequest): Problem {
  const instance = request.url;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const errors = validationErrors(error);
    return problem(
      400,
      "invalid-input",
      `invalid ${errors[0]?.field ?? "request"}: ${errors[0]?.reason ?? ""}`,
      instance,
      errors,
    );
  }
  if (error instanceof MarginalError) {
    const status = STATUS_OF_CODE[error.code];
    const reason = error.details?.reason;
    const effective = reason === "unavailable" || reason === "overloaded" ? 503 : status;
    const errors = error.field === undefined ? [] : [{ field: error.field, reason: error.message }];
    const detail = effective >= 500 && effective !== 503 ? "internal error" : error.message;
    return problem(effective, error.code.replaceAll("_", "-"), detail, instance, errors);
  }
  const fe = error as Partial<FastifyError>;
  if (fe.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
    return problem(413, "body-too-large", "the request body is larger than allowed", instance, [
      { field: "body", reason: "too large" },
    ]);
  }
  if (fe.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") {
    return problem(415, "unsupported-media-type", "send application/json", instance, [
      { field: "content-type", reason: "unsupported" },
    ]);
  }
  if (fe.code === "FST_ERR_CTP_EMPTY_JSON_BODY") {
    return problem(400, "invalid-input", "the JSON body is empty", instance, [
      { field: "body", reason: "empty" },
    ]);
  }
  if (typeof fe.statusCode === "number" && fe.statusCode >= 400 && fe.statusCode < 500) {
    const field = fe.code?.startsWith("FST_ERR_CTP") || error instanceof SyntaxError ? "body" : "request";
    return problem(fe.statusCode, "bad-request", fe.message ?? "bad request", instance, [
      { field, reason: fe.message ?? "invalid" },
    ]);
  }
  return problem(500, "internal", "internal error", instance);
}
