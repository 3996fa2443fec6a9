import { describe, expect, it } from "vitest";
import { ApiError, createApiClient, describeError } from "../../web/src/api/api-client.ts";

type Call = { url: string; init: RequestInit };

function fakeFetch(status: number, body: unknown, calls: Call[]) {
  return async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return new Response(body === undefined ? "" : JSON.stringify(body), {
      status,
      headers: { "content-type": "application/json" },
    });
  };
}

describe("API client", () => {
  it("sends the key as a bearer token and JSON bodies", async () => {
    const calls: Call[] = [];
    const api = createApiClient("http://h", "mgl_k", fakeFetch(200, { ok: 1 }, calls));
    expect(await api.post("/v1/x", { a: "1" })).toEqual({ ok: 1 });
    const headers = calls[0]!.init.headers as Record<string, string>;
    expect(calls[0]!.url).toBe("http://h/v1/x");
    expect(headers.authorization).toBe("Bearer mgl_k");
    expect(headers["content-type"]).toBe("application/json");
    expect(calls[0]!.init.body).toBe('{"a":"1"}');
  });

  it("turns a problem answer into an ApiError naming the fields", async () => {
    const problem = {
      type: "t",
      title: "Bad Request",
      status: 400,
      detail: "invalid request",
      instance: "/v1/x",
      errors: [{ field: "body.size", reason: "must be a decimal string" }],
    };
    const api = createApiClient("", "k", fakeFetch(400, problem, []));
    const error = await api.get("/v1/x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(400);
    expect((error as ApiError).message).toBe("invalid request (body.size: must be a decimal string)");
    expect((error as ApiError).errors).toEqual(problem.errors);
  });

  it("reports an unreachable service as status 0", async () => {
    const api = createApiClient("", "k", async () => {
      throw new TypeError("fetch failed");
    });
    await expect(api.get("/v1/markets")).rejects.toMatchObject({
      status: 0,
      message: "cannot reach the service: fetch failed",
    });
  });

  it("explains a 403 to a person, other errors by their message", () => {
    expect(describeError(new ApiError(403, "not allowed"))).toBe(
      "not allowed: this key reads only the accounts it is bound to",
    );
    expect(describeError(new ApiError(500, "boom"))).toBe("boom");
    expect(describeError("plain")).toBe("plain");
  });
});
