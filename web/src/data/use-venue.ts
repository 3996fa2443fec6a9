import { createContext, useContext, useSyncExternalStore } from "react";
import type { ApiClient } from "../api/api-client.ts";
import type { VenueSnapshot, VenueStore } from "./venue-store.ts";

/*
 * React access to the session: the API client and the venue store, provided once by the app;
 * `useVenue` re-renders a page when the store publishes (at most twice a second).
 */

export interface Session {
  readonly api: ApiClient;
  readonly store: VenueStore;
  signOut(): void;
}

export const SessionContext = createContext<Session | null>(null);

/** The signed-in session (only rendered below the sign-in gate). */
export function useSession(): Session {
  const s = useContext(SessionContext);
  if (s === null) throw new Error("useSession outside the signed-in app");
  return s;
}

/** The venue's current snapshot. */
export function useVenue(): VenueSnapshot {
  const { store } = useSession();
  return useSyncExternalStore(store.subscribe, store.snapshot);
}
