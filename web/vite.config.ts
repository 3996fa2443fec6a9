import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/*
 * The dashboard is a static bundle served by `marginal serve` (src/server/serve-dashboard.ts)
 * from web/dist. In development, `npx vite --config web/vite.config.ts` proxies the API to a
 * running service (MARGINAL_URL, default http://127.0.0.1:8080).
 */
const root = fileURLToPath(new URL(".", import.meta.url));
const target = process.env.MARGINAL_URL ?? "http://127.0.0.1:8080";

export default defineConfig({
  root,
  base: "/",
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 800 },
  server: { proxy: { "/v1": { target, ws: true } } },
});
