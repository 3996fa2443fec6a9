import type { FastifyBaseLogger } from "fastify";
import type { Engine } from "../engine/create-engine.ts";
import type { KeyRegistry } from "./api-keys.ts";
import type { CommandHost } from "./command-host.ts";
import type { PolicyMarketData } from "./margin-view.ts";
import type { RiskParamsRegistry } from "./risk-params-registry.ts";
import type { Principal } from "./roles.ts";
import type { ServiceMetrics } from "./service-metrics.ts";
import type { SubaccountSummaryCache } from "./subaccount-summary.ts";
import type { TokenBucketLimiter } from "./token-bucket-limiter.ts";
import type { VenueHistory } from "./venue-history.ts";

/** Everything a route handler reaches: the engine (read), the command host (write) and the registries. */
export interface ServiceContext {
  readonly engine: Engine;
  readonly host: CommandHost;
  readonly keys: KeyRegistry;
  readonly riskParams: RiskParamsRegistry;
  readonly metrics: ServiceMetrics;
  readonly limiter: TokenBucketLimiter;
  /** The sub-account table and health bands, cached per engine sequence number. */
  readonly summaries: SubaccountSummaryCache;
  /** Bounded history of markets, the insurance fund and the liquidation feed. */
  readonly history: VenueHistory;
  /** Volatility forecasts and liquidity quotes for the policy margin. */
  readonly marketData: PolicyMarketData;
  /** Wall clock, ms since the epoch. */
  readonly clockMs: () => number;
  /** Whether start-up (recovery) is complete and the store is writable. */
  readonly ready: () => boolean;
  readonly log: FastifyBaseLogger;
}

declare module "fastify" {
  interface FastifyRequest {
    /** The caller, set by the authentication hook on /v1 routes. */
    principal: Principal | undefined;
  }
  interface FastifyContextConfig {
    /** Roles allowed on the route; absent: any authenticated caller. */
    roles?: readonly import("./roles.ts").Role[];
    /** Public route: no key needed. */
    public?: boolean;
  }
}
