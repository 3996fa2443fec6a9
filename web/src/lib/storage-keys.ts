/*
 * Names of what the dashboard keeps in the tab's sessionStorage (gone when the tab closes).
 */

/** The API key of the signed-in session. */
export const KEY_STORAGE = "marginal.apiKey";
/** Accounts a trader added to its table, restored after a reload of the tab. */
export const TRACKED_STORAGE = "marginal.trackedAccounts";
