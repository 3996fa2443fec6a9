import { type MouseEvent, type ReactNode, useEffect, useState } from "react";

/*
 * Client-side navigation over the History API: links change the path without reloading, and
 * the server's SPA fallback answers a reload of any of these paths with the app.
 */

const NAVIGATE_EVENT = "marginal:navigate";

/** Goes to `path` inside the app. */
export function navigate(path: string): void {
  if (path === window.location.pathname) return;
  window.history.pushState(null, "", path);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
  window.scrollTo(0, 0);
}

/** The current path; re-renders on navigation and on back/forward. */
export function usePath(): string {
  const [path, setPath] = useState(window.location.pathname);
  useEffect(() => {
    const on = () => setPath(window.location.pathname);
    window.addEventListener("popstate", on);
    window.addEventListener(NAVIGATE_EVENT, on);
    return () => {
      window.removeEventListener("popstate", on);
      window.removeEventListener(NAVIGATE_EVENT, on);
    };
  }, []);
  return path;
}

export function Link({
  to,
  children,
  className,
  testId,
}: {
  readonly to: string;
  readonly children: ReactNode;
  readonly className?: string;
  readonly testId?: string;
}) {
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} onClick={onClick} className={className} data-testid={testId}>
      {children}
    </a>
  );
}
