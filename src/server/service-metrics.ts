import { Counter, Gauge, Histogram, Registry } from "prom-client";

/*
 * The Prometheus metrics of one service instance, in its own registry (so tests can run several
 * servers in one process). Latencies are in seconds, as Prometheus convention wants.
 */

export interface ServiceMetrics {
  readonly registry: Registry;
  /** Oracle report received → every holder of the underlying re-margined (engine submit), s. */
  readonly tickToMarginSeconds: Histogram;
  /** One append (command + events) from submit to durable commit, s. */
  readonly dbCommitSeconds: Histogram;
  /** Engine events applied (rate() of it is events/s). */
  readonly eventsTotal: Counter;
  /** Commands by type and outcome. */
  readonly commandsTotal: Counter<"type" | "status">;
  /** Liquidations started. */
  readonly liquidationsTotal: Counter;
  /** Insurance fund per asset, in asset units. */
  readonly insuranceFund: Gauge<"asset">;
  /** Open WebSocket subscribers. */
  readonly streamSubscribers: Gauge;
  /** WebSocket clients dropped for being slow. */
  readonly streamDroppedTotal: Counter;
}

const LATENCY_BUCKETS_SECONDS = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1,
];

/** Creates the metrics in a fresh registry, with Node's default process metrics. */
export function createServiceMetrics(): ServiceMetrics {
  const registry = new Registry();
  const registers = [registry];
  return {
    registry,
    tickToMarginSeconds: new Histogram({
      name: "marginal_tick_to_margin_seconds",
      help: "Oracle report to re-margined holders (engine), seconds",
      buckets: LATENCY_BUCKETS_SECONDS,
      registers,
    }),
    dbCommitSeconds: new Histogram({
      name: "marginal_db_commit_seconds",
      help: "Command append to durable commit (group commit), seconds",
      buckets: LATENCY_BUCKETS_SECONDS,
      registers,
    }),
    eventsTotal: new Counter({ name: "marginal_events_total", help: "Engine events applied", registers }),
    commandsTotal: new Counter({
      name: "marginal_commands_total",
      help: "Commands by type and outcome",
      labelNames: ["type", "status"],
      registers,
    }),
    liquidationsTotal: new Counter({
      name: "marginal_liquidations_total",
      help: "Liquidations started",
      registers,
    }),
    insuranceFund: new Gauge({
      name: "marginal_insurance_fund",
      help: "Insurance fund balance per asset, in asset units",
      labelNames: ["asset"],
      registers,
    }),
    streamSubscribers: new Gauge({
      name: "marginal_stream_subscribers",
      help: "Open WebSocket clients",
      registers,
    }),
    streamDroppedTotal: new Counter({
      name: "marginal_stream_dropped_total",
      help: "WebSocket clients dropped for back-pressure",
      registers,
    }),
  };
}
