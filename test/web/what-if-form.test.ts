import { describe, expect, it } from "vitest";
import { validateWhatIf } from "../../web/src/lib/what-if-form.ts";

const form = { subaccountId: "s", marketId: "BTC-PERP", side: "buy", size: "0.5", price: "61075.01" };

describe("what-if form validation", () => {
  it("accepts a complete order and trims it into the API body", () => {
    expect(validateWhatIf({ ...form, size: " 2 " })).toEqual({
      ok: true,
      body: { ...form, size: "2", side: "buy" },
    });
  });

  it("names each wrong field, with the reason", () => {
    const v = validateWhatIf({ subaccountId: "", marketId: "", side: "hold", size: "-1", price: "1e5" });
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.errors.map((e) => e.field)).toEqual(["subaccountId", "marketId", "side", "size", "price"]);
    expect(v.errors.find((e) => e.field === "size")?.reason).toMatch(/no sign/);
  });

  it("refuses zero, empty and over-precise sizes", () => {
    for (const size of ["0", "0.000", "", "1.0000000000000000001", "01"]) {
      expect(validateWhatIf({ ...form, size }).ok, size).toBe(false);
    }
  });
});
