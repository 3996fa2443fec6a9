/*
 * The app's routes: plain paths (served by the SPA fallback), parsed into a tagged value so
 * that pages switch on it. No router library: five pages and one parameter.
 */

export type Route =
  | { readonly page: "overview" }
  | { readonly page: "accounts" }
  | { readonly page: "account"; readonly accountId: string }
  | { readonly page: "liquidations" }
  | { readonly page: "risk" }
  | { readonly page: "reports" }
  | { readonly page: "not-found"; readonly path: string };

/** The route of a URL path ("/accounts/demo-trader-00001" → account page). */
export function parseRoute(path: string): Route {
  const clean = path.replace(/\/+$/, "") || "/";
  if (clean === "/" || clean === "/overview") return { page: "overview" };
  if (clean === "/accounts") return { page: "accounts" };
  const account = /^\/accounts\/([^/]+)$/.exec(clean);
  if (account !== null) {
    try {
      return { page: "account", accountId: decodeURIComponent(account[1]!) };
    } catch {
      return { page: "not-found", path };
    }
  }
  if (clean === "/liquidations") return { page: "liquidations" };
  if (clean === "/risk") return { page: "risk" };
  if (clean === "/reports") return { page: "reports" };
  return { page: "not-found", path };
}

/** The URL path of a route. */
export function pathOf(route: Route): string {
  switch (route.page) {
    case "overview":
      return "/overview";
    case "account":
      return `/accounts/${encodeURIComponent(route.accountId)}`;
    case "not-found":
      return route.path;
    default:
      return `/${route.page}`;
  }
}
