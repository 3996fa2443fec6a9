import { describe, expect, it } from "vitest";
import { validateSchemaName } from "./schema-name.ts";

describe("validateSchemaName", () => {
  it("accepts plain lower-case identifiers", () => {
    expect(validateSchemaName("marginal")).toBe("marginal");
    expect(validateSchemaName(`_${"a".repeat(62)}`)).toHaveLength(63);
  });
  it.each([["Marginal"], ["1abc"], ["a-b"], ['x"; DROP TABLE y; --'], [""], ["a".repeat(64)]])(
    "refuses %s (it is spliced into SQL)",
    (name) => {
      expect(() => validateSchemaName(name)).toThrow(/^schema: must match/);
    },
  );
});
