import { createHash, randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";
import { invalidInput, MarginalError } from "../core/errors.ts";
import type { SqlBackend } from "../store/sql-backend.ts";
import { type Principal, ROLES, type Role } from "./roles.ts";
import { SERVICE_SCHEMA } from "./service-migrations.ts";

/*
 * API keys: `mgl_<keyId>_<secret>`. Only a salted scrypt hash of the secret is stored; the key
 * is shown once, at creation. Verification looks the key id up, recomputes scrypt and compares
 * in constant time. scrypt is deliberately slow (~tens of ms), so a verified key is cached in
 * memory by the SHA-256 of the whole key; revoking a key drops it from the cache. An unknown
 * key id still costs one scrypt, so timing does not reveal which ids exist.
 */

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;
const HASH_BYTES = 32;
const KEY_PATTERN = /^mgl_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
/** Verified keys kept in memory. */
const CACHE_ENTRIES_MAX = 10_000;
/** Keys in one venue (a limit like every other). */
export const API_KEYS_MAX = 100_000;
/** Accounts one trader or liquidator key may be bound to. */
export const ACCOUNTS_PER_KEY_MAX = 64;

interface KeyRecord {
  readonly keyId: string;
  readonly role: Role;
  readonly accountIds: readonly string[];
  readonly label: string;
  readonly salt: Buffer;
  readonly hash: Buffer;
  readonly createdBy: string;
  readonly createdAtMs: number;
  revoked: boolean;
}

export interface KeyInfo {
  readonly keyId: string;
  readonly role: Role;
  readonly accountIds: readonly string[];
  readonly label: string;
  readonly createdBy: string;
  readonly createdAtMs: number;
  readonly revoked: boolean;
}

export interface CreatedKey extends KeyInfo {
  /** The full key: shown once, never stored. */
  readonly key: string;
}

export interface KeyRegistry {
  /** The caller behind a presented key, or undefined (unknown, malformed, revoked). */
  authenticate(presented: string): Promise<Principal | undefined>;
  create(
    input: { role: Role; accountIds: readonly string[]; label: string; createdBy: string },
    secret?: string,
  ): Promise<CreatedKey>;
  revoke(keyId: string): Promise<boolean>;
  list(): KeyInfo[];
  /** Whether an active admin key exists. */
  hasAdmin(): boolean;
}

const info = (r: KeyRecord): KeyInfo => ({
  keyId: r.keyId,
  role: r.role,
  accountIds: r.accountIds,
  label: r.label,
  createdBy: r.createdBy,
  createdAtMs: r.createdAtMs,
  revoked: r.revoked,
});

/** Parses `mgl_<id>_<secret>` into its parts, or undefined when it is not a key. */
export function parseApiKey(presented: string): { keyId: string; secret: string } | undefined {
  const m = KEY_PATTERN.exec(presented);
  return m === null ? undefined : { keyId: m[1]!, secret: m[2]! };
}

/** A fresh random key (128-bit id space is not needed: 64-bit id, 256-bit secret). */
export function generateApiKey(): string {
  return `mgl_${randomBytes(8).toString("hex")}_${randomBytes(32).toString("base64url")}`;
}

/** Loads every key from the service tables and returns the registry over them. */
export async function openKeyRegistry(db: SqlBackend): Promise<KeyRegistry> {
  const s = SERVICE_SCHEMA;
  const records = new Map<string, KeyRecord>();
  const rows = await db.query(
    `SELECT key_id, role, account_ids, label, salt, hash, created_by, created_at, revoked_at FROM ${s}.api_keys`,
  );
  for (const row of rows) {
    records.set(String(row.key_id), {
      keyId: String(row.key_id),
      role: String(row.role) as Role,
      accountIds: JSON.parse(String(row.account_ids)) as string[],
      label: String(row.label),
      salt: Buffer.from(String(row.salt), "hex"),
      hash: Buffer.from(String(row.hash), "hex"),
      createdBy: String(row.created_by),
      createdAtMs: new Date(String(row.created_at)).getTime(),
      revoked: row.revoked_at !== null && row.revoked_at !== undefined,
    });
  }
  const cache = new Map<string, Principal>();
  const dummySalt = randomBytes(16);
  const digest = (key: string) => createHash("sha256").update(key).digest("hex");

  return {
    async authenticate(presented) {
      const cacheKey = digest(presented);
      const cached = cache.get(cacheKey);
      if (cached !== undefined) return cached;
      const parts = parseApiKey(presented);
      if (parts === undefined) return undefined;
      const record = records.get(parts.keyId);
      const computed = await scryptAsync(parts.secret, record?.salt ?? dummySalt, HASH_BYTES);
      if (record === undefined || record.revoked || !timingSafeEqual(computed, record.hash)) return undefined;
      const principal: Principal = {
        keyId: record.keyId,
        role: record.role,
        accountIds: new Set(record.accountIds),
        label: record.label,
      };
      if (cache.size >= CACHE_ENTRIES_MAX) cache.clear();
      cache.set(cacheKey, principal);
      return principal;
    },
    async create(input, secretKey) {
      if (!ROLES.includes(input.role)) throw invalidInput("role", `must be one of ${ROLES.join(", ")}`);
      if (records.size >= API_KEYS_MAX)
        throw new MarginalError("conflict", `at most ${API_KEYS_MAX} keys`, { field: "role" });
      const key = secretKey ?? generateApiKey();
      const parts = parseApiKey(key);
      if (parts === undefined)
        throw invalidInput("key", "must look like mgl_<16 hex>_<43 base64url characters>");
      if (records.has(parts.keyId))
        throw new MarginalError("conflict", "key id already exists", { field: "key" });
      const salt = randomBytes(16);
      const hash = await scryptAsync(parts.secret, salt, HASH_BYTES);
      const createdAtMs = Date.now();
      await db.query(
        `INSERT INTO ${s}.api_keys (key_id, role, account_ids, label, salt, hash, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, to_timestamp($8::double precision / 1000))`,
        [
          parts.keyId,
          input.role,
          JSON.stringify(input.accountIds),
          input.label,
          salt.toString("hex"),
          hash.toString("hex"),
          input.createdBy,
          createdAtMs,
        ],
      );
      const record: KeyRecord = { ...input, keyId: parts.keyId, salt, hash, createdAtMs, revoked: false };
      records.set(parts.keyId, record);
      return { ...info(record), key };
    },
    async revoke(keyId) {
      const record = records.get(keyId);
      if (record === undefined || record.revoked) return false;
      await db.query(`UPDATE ${s}.api_keys SET revoked_at = now() WHERE key_id = $1`, [keyId]);
      record.revoked = true;
      for (const [k, p] of cache) if (p.keyId === keyId) cache.delete(k);
      return true;
    },
    list: () => [...records.values()].map(info).sort((a, b) => a.createdAtMs - b.createdAtMs),
    hasAdmin: () => [...records.values()].some((r) => r.role === "admin" && !r.revoked),
  };
}
