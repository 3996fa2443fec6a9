import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import fastifyWebsocket from "@fastify/websocket";
import Fastify, { type FastifyInstance, type FastifyServerOptions } from "fastify";
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import { assertInvariant } from "../core/errors.ts";
import { checkConservation } from "../engine/check-conservation.ts";
import type { Command } from "../engine/commands.ts";
import type { Engine } from "../engine/create-engine.ts";
import { formatDecimal } from "../engine/decimal.ts";
import type { EngineEvent } from "../engine/events.ts";
import type { EngineSnapshot } from "../engine/snapshot.ts";
import type { JsonCodec } from "../store/json-codec.ts";
import { openStore } from "../store/open-store.ts";
import type { SqlBackend } from "../store/sql-backend.ts";
import { type KeyRegistry, openKeyRegistry } from "./api-keys.ts";
import { installAuthentication } from "./authenticate.ts";
import { type CommandHost, createCommandHost, type EngineStore, type StoredResult } from "./command-host.ts";
import type { PolicyMarketData } from "./margin-view.ts";
import { openDatabase } from "./open-database.ts";
import { problem, problemFromError, sendProblem } from "./problem-details.ts";
import { recoverEngine } from "./recover-engine.ts";
import { openRiskParamsRegistry, type RiskParamsRegistry } from "./risk-params-registry.ts";
import { registerAccountRoutes } from "./routes/account-routes.ts";
import { registerGovernanceRoutes } from "./routes/governance-routes.ts";
import { registerHistoryRoutes } from "./routes/history-routes.ts";
import { registerIdentityRoutes } from "./routes/identity-routes.ts";
import { registerLedgerRoutes, venueLedger } from "./routes/ledger-routes.ts";
import { registerOperationsRoutes } from "./routes/operations-routes.ts";
import { registerSummaryRoutes } from "./routes/summary-routes.ts";
import { registerTradingRoutes } from "./routes/trading-routes.ts";
import { DEFAULT_DASHBOARD_DIST_DIR, registerDashboard } from "./serve-dashboard.ts";
import type { ServiceContext } from "./service-context.ts";
import { createServiceMetrics, type ServiceMetrics } from "./service-metrics.ts";
import { createStreamHub, type StreamHub } from "./stream-hub.ts";
import { createSubaccountSummaryCache } from "./subaccount-summary.ts";
import { createTokenBucketLimiter } from "./token-bucket-limiter.ts";
import { createVenueHistory, type VenueHistoryOptions } from "./venue-history.ts";

/*
 * Assembles the service: database (PGlite or PostgreSQL), event store, engine recovered from
 * it (latest snapshot + replay, conservation checked), key and risk-parameter registries, the
 * command host, the stream hub and the Fastify app with its routes, OpenAPI at /docs and the
 * problem-details error handler. `close` drains in-flight commits before releasing anything.
 */

export interface ServiceOptions {
  /** PostgreSQL connection string (wins over dataDir). */
  readonly databaseUrl?: string;
  /** PGlite data directory; in memory when neither is given. */
  readonly dataDir?: string;
  /** A full admin key to install if absent (MARGINAL_ADMIN_KEY). */
  readonly adminKey?: string;
  /** Fastify logger option: false (tests), true, or pino options. */
  readonly logger?: FastifyServerOptions["logger"];
  readonly clockMs?: () => number;
  /** Volatility forecasts per underlying and liquidity quotes per market for the policy margin. */
  readonly marketData?: Partial<PolicyMarketData>;
  /** Requests per second and burst per API key. */
  readonly rateLimit?: { readonly ratePerSecond: number; readonly burst: number };
  /** Largest request body, bytes. */
  readonly bodyLimitBytes?: number;
  readonly snapshotEveryEvents?: number;
  readonly streamEvaluateEveryMs?: number;
  /** Title of the status page. */
  readonly title?: string;
  /** Sampling interval (engine time), points per series and feed events of the history. */
  readonly history?: VenueHistoryOptions;
  /** Threads of the engine's re-margin pass per sweep (default 1: the service's thread only). */
  readonly remarginThreads?: number;
  /** Called when memory and log can no longer agree (default: log it; the caller exits). */
  readonly onFatal?: (error: unknown) => void;
}

export interface Service {
  readonly app: FastifyInstance;
  readonly ctx: ServiceContext;
  readonly engine: Engine;
  readonly host: CommandHost;
  readonly keys: KeyRegistry;
  readonly riskParams: RiskParamsRegistry;
  readonly metrics: ServiceMetrics;
  readonly hub: StreamHub;
  readonly store: EngineStore;
  /** An admin key generated at this start (no admin existed): print it once. */
  readonly generatedAdminKey: string | undefined;
  readonly recovery: { readonly snapshotSeq: number; readonly replayedEvents: number };
  /** Drains in-flight commits, then closes the server, the store and the database. */
  close(): Promise<void>;
}

export const DEFAULT_BODY_LIMIT_BYTES = 64 * 1024;

/**
 * Plain JSON that keeps key order. The engine hashes its snapshot with JSON.stringify, so key
 * order is part of the state hash (the venue config travels inside the `configured` event);
 * the store's default canonical JSON sorts keys, which would make a recovered engine hash
 * differently from the live one. Engine records carry no bigints (amounts are strings).
 */
function orderPreservingJson<T>(): JsonCodec<T> {
  return { encode: (value) => JSON.stringify(value), decode: (text) => JSON.parse(text) as T };
}

async function bootstrapAdmin(keys: KeyRegistry, adminKey: string | undefined): Promise<string | undefined> {
  if (adminKey !== undefined && adminKey !== "") {
    const existing = await keys.authenticate(adminKey);
    if (existing === undefined)
      await keys.create(
        { role: "admin", accountIds: [], label: "bootstrap", createdBy: "MARGINAL_ADMIN_KEY" },
        adminKey,
      );
    return undefined;
  }
  if (keys.hasAdmin()) return undefined;
  const created = await keys.create({
    role: "admin",
    accountIds: [],
    label: "bootstrap",
    createdBy: "first start",
  });
  return created.key;
}

/** Opens the database, recovers the engine and builds the HTTP app (not yet listening). */
export async function createService(options: ServiceOptions = {}): Promise<Service> {
  const db: SqlBackend = await openDatabase({
    ...(options.databaseUrl === undefined ? {} : { databaseUrl: options.databaseUrl }),
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
  });
  const store: EngineStore = await openStore<Command, EngineEvent, EngineSnapshot, StoredResult>({
    backend: db,
    codecs: {
      command: orderPreservingJson(),
      event: orderPreservingJson(),
      snapshot: orderPreservingJson(),
      result: orderPreservingJson(),
    },
    limits: {
      maxEventsPerCommand: 100_000,
      maxRecordBytes: 8 * 1024 * 1024,
      maxBatchBytes: 32 * 1024 * 1024,
    },
  });
  const recovered = await recoverEngine(
    store,
    options.remarginThreads === undefined ? {} : { remarginThreads: options.remarginThreads },
  );
  const { engine } = recovered;
  const conservation = checkConservation(engine.state());
  assertInvariant(
    conservation.ok,
    `money is not conserved after recovery: ${JSON.stringify(conservation.assets, (_k, v) => (typeof v === "bigint" ? v.toString() : v))}`,
  );

  const keys = await openKeyRegistry(db);
  const generatedAdminKey = await bootstrapAdmin(keys, options.adminKey);
  const riskParams = await openRiskParamsRegistry(db);
  const metrics = createServiceMetrics();
  const clockMs = options.clockMs ?? Date.now;
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    // Request ids in logs; the default would trust a client header.
    requestIdHeader: false,
  });
  let fatal = false;
  const host = createCommandHost({
    engine,
    store,
    metrics,
    clockMs,
    ...(options.snapshotEveryEvents === undefined
      ? {}
      : { snapshotEveryEvents: options.snapshotEveryEvents }),
    onFatal: (error) => {
      fatal = true;
      app.log.fatal(
        { err: error },
        "commit failed after the engine applied a command; restart to recover from the log",
      );
      options.onFatal?.(error);
    },
  });
  const hub = createStreamHub({
    engine,
    metrics,
    ...(options.streamEvaluateEveryMs === undefined
      ? {}
      : { evaluateEveryMs: options.streamEvaluateEveryMs }),
  });
  const updateGauges = () => {
    const state = engine.state();
    for (const [asset, units] of state.venue.insurance) {
      metrics.insuranceFund.set(
        { asset },
        Number(formatDecimal(units, state.config?.assets.get(asset)?.decimals ?? 0)),
      );
    }
  };
  updateGauges();
  const history = createVenueHistory(engine, options.history ?? {});
  host.onCommitted((command, events) => {
    for (const e of events) if (e.type === "liquidation_started") metrics.liquidationsTotal.inc();
    updateGauges();
    history.record(events);
    try {
      hub.publish(command, events);
    } catch (error) {
      app.log.error({ err: error }, "stream publish failed");
    }
  });

  const ctx: ServiceContext = {
    engine,
    host,
    keys,
    riskParams,
    metrics,
    limiter: createTokenBucketLimiter(options.rateLimit ?? { ratePerSecond: 2000, burst: 4000 }),
    summaries: createSubaccountSummaryCache(engine),
    history,
    marketData: { volAnnual: options.marketData?.volAnnual ?? {}, quotes: options.marketData?.quotes ?? {} },
    clockMs,
    ready: () => host.accepting() && !fatal,
    log: app.log,
  };

  // The API speaks JSON only: any other body is a 415, not a string handed to a schema.
  app.removeContentTypeParser("text/plain");
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler((error, request, reply) => {
    const p = problemFromError(error, request);
    if (p.status >= 500 && p.status !== 503) request.log.error({ err: error }, "request failed");
    return sendProblem(reply, p);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, problem(404, "not-found", "no such route", request.url)),
  );
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: "Marginal API",
        description: "Margin engine service: accounts, ledger, fills, oracle, margin, liquidation",
        version: "1",
      },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: "/docs" });
  await app.register(fastifyWebsocket, { options: { maxPayload: 4096 } });
  installAuthentication(app, ctx);
  registerAccountRoutes(app, ctx);
  registerSummaryRoutes(app, ctx);
  registerIdentityRoutes(app, ctx);
  registerHistoryRoutes(app, ctx);
  registerLedgerRoutes(app, ctx);
  registerTradingRoutes(app, ctx);
  registerGovernanceRoutes(app, ctx);
  registerOperationsRoutes(app, ctx, store, options.title ?? "Marginal venue");
  registerDashboard(app, DEFAULT_DASHBOARD_DIST_DIR);
  app.get("/v1/stream", { websocket: true, schema: { hide: true } }, (socket, request) => {
    hub.attach(socket, request.principal!);
  });
  await app.ready();

  let closed = false;
  return {
    app,
    ctx,
    engine,
    host,
    keys,
    riskParams,
    metrics,
    hub,
    store,
    generatedAdminKey,
    recovery: { snapshotSeq: recovered.snapshotSeq, replayedEvents: recovered.replayedEvents },
    async close() {
      if (closed) return;
      closed = true;
      await host.drain();
      hub.close();
      await app.close();
      await store.close();
      await db.close();
      engine.close();
    },
  };
}

export { venueLedger };
