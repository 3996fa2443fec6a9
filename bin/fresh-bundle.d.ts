/** See fresh-bundle.js. */
export function freshBundle(rootUrl: URL, stampUrl: URL): URL | null;
