import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dashboardContentType, isReservedPath, registerDashboard } from "../../src/server/serve-dashboard.ts";

/*
 * src/server/serve-dashboard.ts on a bare Fastify app with a fake build: content types, the SPA
 * fallback, API paths kept out of it, and no escape from the folder.
 * (The stream's sub-protocol key is authentication's job: src/server/stream-auth.test.ts.)
 */

let dist: string;
let app: FastifyInstance;

beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), "marginal-dist-"));
  mkdirSync(join(dist, "assets"));
  writeFileSync(join(dist, "index.html"), '<!doctype html><div id="root"></div>');
  writeFileSync(join(dist, "assets/index-abc123.js"), "console.log(1)");
  writeFileSync(join(dist, "assets/index-abc123.css"), "body{}");
  writeFileSync(join(dist, "..", "marginal-secret.txt"), "TOP-SECRET-CONTENT");
  app = Fastify();
  app.get("/", async () => "status page");
  registerDashboard(app, dist);
  await app.ready();
});

afterAll(async () => {
  await app.close();
  rmSync(dist, { recursive: true, force: true });
  rmSync(join(dist, "..", "marginal-secret.txt"), { force: true });
});

describe("serving the dashboard", () => {
  it("serves built files with their content types, hashed assets cached for good", async () => {
    const js = await app.inject({ url: "/assets/index-abc123.js" });
    expect(js.statusCode).toBe(200);
    expect(js.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(js.headers["cache-control"]).toContain("immutable");
    expect(js.body).toBe("console.log(1)");
    const css = await app.inject({ url: "/assets/index-abc123.css" });
    expect(css.headers["content-type"]).toBe("text/css; charset=utf-8");
  });

  it("answers the app's own paths with index.html, uncached", async () => {
    for (const url of ["/overview", "/accounts/demo-trader-00001", "/liquidations?x=1", "/index.html"]) {
      const r = await app.inject({ url });
      expect(r.statusCode, url).toBe(200);
      expect(r.headers["content-type"], url).toBe("text/html; charset=utf-8");
      expect(r.headers["cache-control"], url).toBe("no-cache");
      expect(r.body, url).toContain('<div id="root">');
    }
  });

  it("leaves / to a route that holds it", async () => {
    expect((await app.inject({ url: "/" })).body).toBe("status page");
  });

  it("never answers API paths, missing assets or paths outside the folder with the app", async () => {
    for (const url of [
      "/v1/nope",
      "/v1",
      "/docs/x",
      "/metrics/x",
      "/assets/missing.js",
      "/../marginal-secret.txt",
      "/%2e%2e/marginal-secret.txt",
    ]) {
      const r = await app.inject({ url });
      expect(r.statusCode, url).toBe(404);
      expect(r.body, url).not.toContain("TOP-SECRET-CONTENT");
    }
    expect((await app.inject({ url: "/%E0%A4%A" })).statusCode).toBe(400);
  });

  it("says how to build when the folder has no index.html", async () => {
    const bare = Fastify();
    registerDashboard(bare, join(dist, "nowhere"));
    const r = await bare.inject({ url: "/overview" });
    expect(r.statusCode).toBe(503);
    expect(r.body).toContain("npm run build:web");
    await bare.close();
  });
});

describe("dashboard helpers", () => {
  it("knows reserved paths and content types", () => {
    expect(isReservedPath("/v1/stream")).toBe(true);
    expect(isReservedPath("/v10")).toBe(false);
    expect(isReservedPath("/healthy")).toBe(false);
    expect(dashboardContentType("a.SVG")).toBe("image/svg+xml");
    expect(dashboardContentType("a.bin")).toBe("application/octet-stream");
  });
});
