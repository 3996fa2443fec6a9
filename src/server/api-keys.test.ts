import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SqlBackend } from "../store/sql-backend.ts";
import { generateApiKey, openKeyRegistry, parseApiKey } from "./api-keys.ts";
import { openDatabase } from "./open-database.ts";
import { SERVICE_SCHEMA } from "./service-migrations.ts";

let db: SqlBackend;
beforeAll(async () => {
  db = await openDatabase({});
});
afterAll(() => db.close());

describe("API keys", () => {
  it("generates keys of the documented shape", () => {
    const key = generateApiKey();
    expect(key).toMatch(/^mgl_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(parseApiKey(key)?.keyId).toBe(key.slice(4, 20));
    expect(parseApiKey("Bearer nonsense")).toBeUndefined();
  });

  it("stores only a salted hash and authenticates the full key only", async () => {
    const keys = await openKeyRegistry(db);
    const created = await keys.create({
      role: "trader",
      accountIds: ["alice"],
      label: "t",
      createdBy: "test",
    });
    const secret = created.key.slice(21);
    const rows = await db.query(`SELECT * FROM ${SERVICE_SCHEMA}.api_keys WHERE key_id = $1`, [
      created.keyId,
    ]);
    expect(JSON.stringify(rows)).not.toContain(secret);
    expect(String(rows[0]?.hash)).toMatch(/^[0-9a-f]{64}$/);
    const principal = await keys.authenticate(created.key);
    expect(principal?.role).toBe("trader");
    expect([...(principal?.accountIds ?? [])]).toEqual(["alice"]);
    expect(
      await keys.authenticate(created.key.replace(/.$/, (c) => (c === "x" ? "y" : "x"))),
    ).toBeUndefined();
    // Two keys with the same secret get different salts, hence different hashes.
    const again = await keys.create(
      { role: "venue", accountIds: [], label: "", createdBy: "test" },
      `mgl_${"0".repeat(16)}_${secret}`,
    );
    const row2 = await db.query(`SELECT hash FROM ${SERVICE_SCHEMA}.api_keys WHERE key_id = $1`, [
      again.keyId,
    ]);
    expect(row2[0]?.hash).not.toBe(rows[0]?.hash);
  });

  it("survives a reload and forgets a revoked key at once", async () => {
    const keys = await openKeyRegistry(db);
    const created = await keys.create({ role: "oracle", accountIds: [], label: "", createdBy: "test" });
    expect(await keys.authenticate(created.key)).toBeDefined();
    const reloaded = await openKeyRegistry(db);
    expect((await reloaded.authenticate(created.key))?.role).toBe("oracle");
    expect(await reloaded.revoke(created.keyId)).toBe(true);
    expect(await reloaded.authenticate(created.key)).toBeUndefined();
    expect((await openKeyRegistry(db)).list().find((k) => k.keyId === created.keyId)?.revoked).toBe(true);
  });
});
