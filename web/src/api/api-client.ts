/*
 * The dashboard's HTTP client: JSON over fetch with the API key as a bearer token. An error
 * answer (RFC 9457 problem details) becomes an ApiError carrying the status and the fields the
 * server named, so pages can say what was wrong. `fetchFn` comes in as an argument for tests.
 */

export class ApiError extends Error {
  readonly status: number;
  readonly errors: readonly { field: string; reason: string }[];
  constructor(status: number, message: string, errors: readonly { field: string; reason: string }[] = []) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.errors = errors;
  }
}

export interface ApiClient {
  readonly baseUrl: string;
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
}

type FetchFn = (input: string, init: RequestInit) => Promise<Response>;

function problemMessage(status: number, body: unknown): ApiError {
  if (body !== null && typeof body === "object") {
    const p = body as { title?: unknown; detail?: unknown; errors?: unknown };
    const errors = Array.isArray(p.errors)
      ? p.errors.filter(
          (e): e is { field: string; reason: string } =>
            typeof e?.field === "string" && typeof e?.reason === "string",
        )
      : [];
    const detail =
      typeof p.detail === "string" ? p.detail : typeof p.title === "string" ? p.title : `HTTP ${status}`;
    const named = errors.map((e) => `${e.field}: ${e.reason}`).join("; ");
    return new ApiError(status, named === "" ? detail : `${detail} (${named})`, errors);
  }
  return new ApiError(status, `HTTP ${status}`);
}

/** A person's sentence for an error, with what a 403 means for a key bound to accounts. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError && error.status === 403)
    return "not allowed: this key reads only the accounts it is bound to";
  return error instanceof Error ? error.message : String(error);
}

/** A client for the service at `baseUrl` (e.g. "" for the page's own origin) with `key`. */
export function createApiClient(
  baseUrl: string,
  key: string,
  fetchFn: FetchFn = (i, init) => fetch(i, init),
): ApiClient {
  const request = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const headers: Record<string, string> = { authorization: `Bearer ${key}`, accept: "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    let response: Response;
    try {
      response = await fetchFn(`${baseUrl}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      throw new ApiError(
        0,
        `cannot reach the service: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const text = await response.text();
    let parsed: unknown = null;
    try {
      parsed = text === "" ? null : JSON.parse(text);
    } catch {
      parsed = null;
    }
    if (!response.ok) throw problemMessage(response.status, parsed);
    return parsed as T;
  };
  return {
    baseUrl,
    get: (path) => request("GET", path),
    post: (path, body) => request("POST", path, body),
  };
}
