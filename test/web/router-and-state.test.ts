import { describe, expect, it } from "vitest";
import { marketStateOf } from "../../web/src/lib/market-state.ts";
import { parseRoute, pathOf, type Route } from "../../web/src/lib/router.ts";

describe("routes", () => {
  it("parses the app's paths and round-trips them", () => {
    expect(parseRoute("/")).toEqual({ page: "overview" });
    expect(parseRoute("/accounts/")).toEqual({ page: "accounts" });
    expect(parseRoute("/accounts/demo%20x")).toEqual({ page: "account", accountId: "demo x" });
    expect(parseRoute("/accounts/%E0%A4%A")).toEqual({ page: "not-found", path: "/accounts/%E0%A4%A" });
    expect(parseRoute("/nope").page).toBe("not-found");
    const routes: Route[] = [
      { page: "overview" },
      { page: "accounts" },
      { page: "account", accountId: "a/b c" },
      { page: "liquidations" },
      { page: "risk" },
      { page: "reports" },
    ];
    for (const r of routes) expect(parseRoute(pathOf(r))).toEqual(r);
  });
});

describe("market state labels", () => {
  it("maps the engine's status and multiplier to the four states", () => {
    expect(marketStateOf("active", 1)).toEqual({ label: "normal", severity: 3 });
    expect(marketStateOf("active", 1.26)).toEqual({ label: "tightened", severity: 2 });
    expect(marketStateOf("reduce_only", 1.26)).toEqual({ label: "reduce-only", severity: 1 });
    expect(marketStateOf("halted", 1)).toEqual({ label: "halted", severity: 0 });
  });
});
