/*
 * The roles an API key can have, and what each may do. A trader key is bound to a list of
 * account ids and reaches only those; a liquidator key is bound to the accounts whose
 * sub-accounts take over positions. The other roles act venue-wide within their job.
 */

export const ROLES = ["admin", "oracle", "venue", "liquidator", "trader"] as const;
export type Role = (typeof ROLES)[number];

/** The authenticated caller of a request. */
export interface Principal {
  readonly keyId: string;
  readonly role: Role;
  /** Accounts a trader or liquidator key is bound to (empty for venue-wide roles). */
  readonly accountIds: ReadonlySet<string>;
  readonly label: string;
}

/** Roles that read any account. */
const VENUE_WIDE_READERS: ReadonlySet<Role> = new Set<Role>(["admin", "venue", "liquidator"]);

/** Whether `principal` may read account `accountId` (traders: only their own). */
export function canReadAccount(principal: Principal, accountId: string): boolean {
  if (VENUE_WIDE_READERS.has(principal.role)) return true;
  return principal.role === "trader" && principal.accountIds.has(accountId);
}

/** Whether `principal` may move money out of (or between sub-accounts of) `accountId`. */
export function canActOnAccount(principal: Principal, accountId: string): boolean {
  if (principal.role === "admin" || principal.role === "venue") return true;
  return principal.role === "trader" && principal.accountIds.has(accountId);
}
