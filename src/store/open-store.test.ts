import { describe, expect, it } from "vitest";
import { openStore } from "./open-store.ts";

describe("openStore", () => {
  it("refuses two sources at once", async () => {
    await expect(openStore({ dataDir: "/nonexistent", databaseUrl: "postgresql://x/y" })).rejects.toThrow(
      /databaseUrl: give at most one of/,
    );
    await expect(openStore({ databaseUrl: "" })).rejects.toThrow(/databaseUrl: is empty/);
  });

  it("fails at open when the PostgreSQL server is unreachable", async () => {
    // Port 1 on localhost: nothing listens there, the connection is refused at once.
    await expect(openStore({ databaseUrl: "postgresql://u@127.0.0.1:1/db" })).rejects.toThrow(/ECONNREFUSED/);
  });
  // Opening a PGlite data directory, re-opening it and appending is covered by crash-safety.test.ts.
});
