import { describe, expect, it } from "vitest";
import { splitCsvLine } from "./split-csv-line.ts";

describe("splitCsvLine", () => {
  it("splits plain lines and keeps empty cells", () => {
    expect(splitCsvLine("a,1,,2.5")).toEqual(["a", "1", "", "2.5"]);
  });
  it("handles quoted cells with commas and escaped quotes", () => {
    expect(splitCsvLine('"2024-01-01","1,5","say ""hi"""')).toEqual(["2024-01-01", "1,5", 'say "hi"']);
  });
});
