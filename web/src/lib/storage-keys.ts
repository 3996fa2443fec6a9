/*
 * Names of what the dashboard keeps in the tab's sessionStorage (gone when the tab closes).
 */

/** The API key of the signed-in session. */
export const KEY_STORAGE = "marginal.apiKey";
