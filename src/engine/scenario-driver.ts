import { MarginalError } from "../core/errors.ts";
import { checkConservation } from "./check-conservation.ts";
import { createEngine, type Engine, type EngineOptions, type SubmitResult } from "./create-engine.ts";
import { demoConfig } from "./demo-config.ts";
import type { EngineConfig } from "./engine-config.ts";
import type { EngineEvent } from "./events.ts";

/*
 * A small driver for scenario scripts and examples: a fake clock, automatic command ids, and
 * shorthands for the common commands. After every event it recounts the money (conservation),
 * so a scenario cannot pass while leaking.
 */

export class ScenarioDriver {
  readonly engine: Engine;
  nowMs: number;
  private counter = 0;
  /** Every command submitted through this driver's engine, in order (to rerun on another risk path). */
  readonly commands: unknown[] = [];
  /** Drivers created since the last `drainCreated` (test files cross-check them after each test). */
  private static created: ScenarioDriver[] = [];

  constructor(
    startMs = Date.UTC(2026, 0, 5),
    config: EngineConfig = demoConfig(),
    options: Pick<EngineOptions, "riskPath" | "auditRiskPath"> = {},
  ) {
    const inner = createEngine(options);
    this.engine = {
      ...inner,
      submit: (command) => {
        this.commands.push(command);
        return inner.submit(command);
      },
    };
    ScenarioDriver.created.push(this);
    this.engine.subscribe((event) => {
      const conservation = checkConservation(this.engine.state());
      if (!conservation.ok) {
        throw new MarginalError(
          "invariant_violated",
          `money not conserved after event ${event.seq} (${event.type})`,
          {
            details: { conservation },
          },
        );
      }
    });
    this.nowMs = startMs;
    this.accept({ type: "configure", config });
  }

  /** Returns and forgets the drivers created since the last call. */
  static drainCreated(): ScenarioDriver[] {
    const list = ScenarioDriver.created;
    ScenarioDriver.created = [];
    return list;
  }

  /** Moves the fake clock forward by `ms`. */
  wait(ms: number): this {
    this.nowMs += ms;
    return this;
  }

  /** Submits a command with the next id and the current time (both overridable). */
  send(command: Record<string, unknown>): SubmitResult {
    this.counter += 1;
    return this.engine.submit({ id: `cmd-${this.counter}`, atMs: this.nowMs, ...command });
  }

  /** Submits and requires acceptance; returns the events. */
  accept(command: Record<string, unknown>): EngineEvent[] {
    const result = this.send(command);
    if (result.status !== "accepted") {
      throw new MarginalError(
        "conflict",
        `expected acceptance of ${String(command.type)}: ${JSON.stringify(result)}`,
        {
          details: { result },
        },
      );
    }
    return result.events;
  }

  /** Every configured source reports `price` (± a small spread) for the underlying, now. */
  price(price: number, underlying = "BTC", sources = ["alpha", "beta", "gamma"]): EngineEvent[] {
    const events: EngineEvent[] = [];
    for (const source of sources) {
      events.push(
        ...this.accept({
          type: "oracle_report",
          underlying,
          source,
          price: price.toFixed(2),
          confidence: (price * 0.001).toFixed(2),
          publishedAtMs: this.nowMs,
        }),
      );
    }
    return events;
  }

  deposit(
    subaccountId: string,
    amount: string,
    asset = "USDC",
    accountId = subaccountId.split("/")[0]!,
  ): EngineEvent[] {
    return this.accept({ type: "deposit", accountId, subaccountId, asset, amount });
  }

  /** A fill where `buyer` is the taker. */
  trade(
    marketId: string,
    buyer: string,
    seller: string,
    size: string,
    price: string,
    fee = "0",
  ): SubmitResult {
    return this.send({
      type: "fill",
      marketId,
      takerSide: "buy",
      takerSubaccountId: buyer,
      makerSubaccountId: seller,
      size,
      price,
      makerFee: fee,
      takerFee: fee,
    });
  }
}

/** The event types of a list, for readable assertions. */
export function typesOf(events: readonly EngineEvent[]): string[] {
  return events.map((e) => e.type);
}
