import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  postgresUnavailableReason,
  startTestPostgres,
  type TestPostgres,
} from "../../../test/support/postgres.ts";
import { createService, type Service, type ServiceOptions } from "../create-service.ts";
import { DEMO_RISK_PARAMS_PATH, exampleMarketQuotes } from "../demo-venue.ts";

/*
 * Test helpers for the service: where its database lives (a PGlite directory or a database on a
 * throwaway PostgreSQL cluster), a tiny HTTP client over Fastify's inject, and a venue set up
 * the way an operator would: the example document applied, keys for every role, BTC priced.
 */

export type DatabaseKind = "pglite" | "postgres";

export interface DatabaseTarget {
  readonly kind: DatabaseKind;
  /** Options that open (and re-open) the same database. */
  readonly options: Pick<ServiceOptions, "dataDir" | "databaseUrl">;
  dispose(): Promise<void>;
}

/** Why `kind` cannot run here, or undefined. */
export function databaseUnavailableReason(kind: DatabaseKind): string | undefined {
  return kind === "postgres" ? postgresUnavailableReason() : undefined;
}

let server: TestPostgres | undefined;
/** A fresh in-memory PGlite database (for suites that never restart the service). */
export function memoryDatabaseTarget(): DatabaseTarget {
  return { kind: "pglite", options: {}, dispose: async () => {} };
}

/** A fresh database of `kind` (PostgreSQL: one throwaway cluster per test file). */
export async function openDatabaseTarget(kind: DatabaseKind): Promise<DatabaseTarget> {
  if (kind === "pglite") {
    const dir = mkdtempSync(join(tmpdir(), "marginal-svc-"));
    return {
      kind,
      options: { dataDir: dir },
      dispose: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  server ??= await startTestPostgres();
  if (server === undefined) throw new Error("PostgreSQL is not available");
  const databaseUrl = await server.createDatabase();
  return { kind, options: { databaseUrl }, dispose: async () => {} };
}

/** Stops the file's PostgreSQL cluster, if one was started. */
export async function stopTestPostgres(): Promise<void> {
  await server?.stop();
  server = undefined;
}

export interface Reply {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly text: string;
  readonly contentType: string;
}

export interface ApiClient {
  get(url: string): Promise<Reply>;
  post(url: string, payload?: unknown): Promise<Reply>;
  del(url: string): Promise<Reply>;
  /** A raw body with a content type (malformed JSON tests). */
  raw(method: "POST", url: string, body: string, contentType?: string): Promise<Reply>;
}

/** A client for `service` presenting `key` (or none). */
export function apiClient(service: Service, key: string | undefined): ApiClient {
  const headers: Record<string, string> = key === undefined ? {} : { authorization: `Bearer ${key}` };
  const send = async (
    method: "GET" | "POST" | "DELETE",
    url: string,
    payload?: unknown,
    contentType?: string,
  ): Promise<Reply> => {
    const r = await service.app.inject({
      method,
      url,
      headers: contentType === undefined ? headers : { ...headers, "content-type": contentType },
      ...(payload === undefined ? {} : { payload: payload as string }),
    });
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(r.body) as Record<string, unknown>;
    } catch {
      // Not JSON (HTML, metrics text): the text is there.
    }
    return { status: r.statusCode, body, text: r.body, contentType: String(r.headers["content-type"] ?? "") };
  };
  return {
    get: (url) => send("GET", url),
    post: (url, payload) => send("POST", url, payload ?? {}),
    del: (url) => send("DELETE", url),
    raw: (method, url, body, contentType = "application/json") => send(method, url, body, contentType),
  };
}

export interface Venue {
  readonly service: Service;
  readonly keys: Readonly<Record<"admin" | "oracle" | "venue" | "liquidator" | "alice" | "bob", string>>;
  readonly as: (who: keyof Venue["keys"] | "anonymous") => ApiClient;
  /** Reports `priceUsd` for BTC from all three sources. */
  priceBtc(priceUsd: string): Promise<void>;
}

/** The example document as a plain object. */
export function exampleDocument(): Record<string, unknown> {
  return JSON.parse(readFileSync(DEMO_RISK_PARAMS_PATH, "utf8")) as Record<string, unknown>;
}

/** Opens a service on `options` and sets up the example venue through the API. */
export async function setUpVenue(options: ServiceOptions, clock: { nowMs: number }): Promise<Venue> {
  const service = await createService({
    ...options,
    clockMs: () => clock.nowMs,
    streamEvaluateEveryMs: 20,
    marketData: { volAnnual: { BTC: 0.5, ETH: 0.7, SOL: 0.9 }, quotes: exampleMarketQuotes() },
  });
  const adminKey = service.generatedAdminKey!;
  const admin = apiClient(service, adminKey);
  const proposal = await admin.post("/v1/risk-params/proposals", {
    document: exampleDocument(),
    note: "venue launch",
  });
  if (proposal.status !== 201) throw new Error(`proposal failed: ${proposal.text}`);
  const applied = await admin.post(`/v1/risk-params/proposals/${String(proposal.body.versionId)}/apply`);
  if (applied.status !== 200) throw new Error(`apply failed: ${applied.text}`);
  const key = async (role: string, accountIds?: string[]) => {
    const r = await admin.post("/v1/keys", {
      role,
      ...(accountIds === undefined ? {} : { accountIds }),
      label: role,
    });
    if (r.status !== 201) throw new Error(`key failed: ${r.text}`);
    return String(r.body.key);
  };
  const keys = {
    admin: adminKey,
    oracle: await key("oracle"),
    venue: await key("venue"),
    liquidator: await key("liquidator", ["liq"]),
    alice: await key("trader", ["alice"]),
    bob: await key("trader", ["bob"]),
  };
  const as = (who: keyof typeof keys | "anonymous") =>
    apiClient(service, who === "anonymous" ? undefined : keys[who]);
  const priceBtc = async (priceUsd: string) => {
    for (const source of ["feed-a", "feed-b", "feed-c"]) {
      clock.nowMs += 1;
      const r = await as("oracle").post("/v1/oracle-reports", {
        underlying: "BTC",
        source,
        price: priceUsd,
        confidence: "0",
        publishedAtMs: clock.nowMs,
      });
      if (r.status !== 200) throw new Error(`oracle report failed: ${r.text}`);
    }
  };
  return { service, keys, as, priceBtc };
}
