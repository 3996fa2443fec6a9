import { describe, expect, it } from "vitest";
import { chiSquareCdf, chiSquareSurvival } from "./chi-square.ts";

describe("chi-square", () => {
  it("χ²(2) has survival e^(−x/2) exactly", () => {
    for (const x of [0.1, 1, 2, 10, 30]) expect(chiSquareSurvival(x, 2)).toBeCloseTo(Math.exp(-x / 2), 14);
  });

  it("χ²(1) 95% critical value is 1.959964² = 3.841459", () => {
    expect(chiSquareSurvival(3.841458820694124, 1)).toBeCloseTo(0.05, 13);
    expect(chiSquareCdf(3.841458820694124, 1)).toBeCloseTo(0.95, 13);
  });

  it("survival is 1 at and below zero", () => {
    expect(chiSquareSurvival(0, 1)).toBe(1);
    expect(chiSquareSurvival(-1, 1)).toBe(1);
  });
});
