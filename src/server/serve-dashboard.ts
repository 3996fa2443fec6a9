import { existsSync, readFileSync, statSync } from "node:fs";
import { extname, join, resolve, sep } from "node:path";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { projectPath } from "../store/project-files.ts";
import { problem, sendProblem } from "./problem-details.ts";

/*
 * Serves the dashboard (web/, built by `npm run build:web` into web/dist) from the service:
 * the built files with their content types, and index.html for every other non-API path so
 * that the single-page app's own routes (/accounts/…, /liquidations) survive a reload.
 * (The dashboard's stream key, sent as a WebSocket sub-protocol, is read by authenticate.ts.)
 */

/** Where `npm run build:web` writes the dashboard. */
export const DEFAULT_DASHBOARD_DIST_DIR = projectPath("web", "dist");

/** Paths that belong to the API or to operations: never answered with the app. */
const RESERVED_PREFIXES = ["/v1", "/docs", "/health", "/ready", "/metrics"];

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

/** Largest file served, bytes: the bundle is far smaller; anything bigger is not ours. */
const FILE_BYTES_MAX = 16 * 1024 * 1024;

/** The content type of a file name, by extension (binary default). */
export function dashboardContentType(fileName: string): string {
  return CONTENT_TYPES[extname(fileName).toLowerCase()] ?? "application/octet-stream";
}

/** Whether a URL path belongs to the API or operations rather than to the app. */
export function isReservedPath(path: string): boolean {
  return RESERVED_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`) || path.startsWith(`${p}?`));
}

function notBuiltPage(distDir: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Marginal dashboard</title></head>
<body style="font-family:system-ui,sans-serif;margin:2rem"><h1>The dashboard is not built</h1>
<p>No <code>index.html</code> in <code>${distDir.replace(/[&<>]/g, "")}</code>. Run <code>npm run build:web</code> and reload.</p></body></html>`;
}

/**
 * Registers GET routes that serve `distDir` (the built dashboard) with an SPA fallback to its
 * index.html. `/` is served only if no other
 * route holds it (the plain status page may). Call before `app.ready()`.
 */
export function registerDashboard(app: FastifyInstance, distDir: string): void {
  const root = resolve(distDir);
  const indexPath = join(root, "index.html");

  const sendIndex = (reply: FastifyReply) => {
    if (!existsSync(indexPath))
      return reply.code(503).type("text/html; charset=utf-8").send(notBuiltPage(root));
    return reply
      .header("cache-control", "no-cache")
      .type("text/html; charset=utf-8")
      .send(readFileSync(indexPath));
  };

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const path = (request.url.split("?")[0] ?? "/").split("#")[0] ?? "/";
    if (isReservedPath(path))
      return sendProblem(reply, problem(404, "not-found", "no such route", request.url));
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return sendProblem(
        reply,
        problem(400, "bad-request", "malformed path", request.url, [
          { field: "path", reason: "bad percent-encoding" },
        ]),
      );
    }
    const file = resolve(root, `.${decoded}`);
    // A path that leaves the folder (../) is never a file of the app.
    const inside = file === root || file.startsWith(`${root}${sep}`);
    if (inside && file !== root && existsSync(file)) {
      const stat = statSync(file);
      if (stat.isFile() && stat.size <= FILE_BYTES_MAX) {
        // Vite puts content hashes in the names under assets/: they never change.
        const immutable = decoded.startsWith("/assets/");
        return reply
          .header("cache-control", immutable ? "public, max-age=31536000, immutable" : "no-cache")
          .type(dashboardContentType(file))
          .send(readFileSync(file));
      }
    }
    // A missing asset is a 404; any other path is a route of the app.
    if (extname(decoded) !== "")
      return sendProblem(reply, problem(404, "not-found", "no such file", request.url));
    return sendIndex(reply);
  };

  const options = { config: { public: true }, schema: { hide: true } };
  if (!app.hasRoute({ method: "GET", url: "/" })) app.get("/", options, handler);
  app.get("/*", options, handler);
}
