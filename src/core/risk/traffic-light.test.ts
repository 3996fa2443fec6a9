import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { trafficLight } from "./traffic-light.ts";

const reference = JSON.parse(
  readFileSync(fileURLToPath(new URL("../../../test/fixtures/risk/reference.json", import.meta.url)), "utf8"),
) as { trafficLight: { n: number; confidence: number; greenMax: number; yellowMax: number }[] };

describe("trafficLight", () => {
  it("reproduces the Basel 250-day table at 99%: green 0–4, yellow 5–9, red 10+", () => {
    const zones = Array.from({ length: 13 }, (_, x) => trafficLight(250, x, 0.99));
    expect(zones).toEqual([...Array(5).fill("green"), ...Array(5).fill("yellow"), ...Array(3).fill("red")]);
  });

  it("scales to other sample sizes and confidences as R's pbinom does", () => {
    for (const z of reference.trafficLight) {
      const label = `n=${z.n} c=${z.confidence}`;
      expect(trafficLight(z.n, z.greenMax, z.confidence), label).toBe("green");
      expect(trafficLight(z.n, z.greenMax + 1, z.confidence), label).toBe("yellow");
      expect(trafficLight(z.n, z.yellowMax, z.confidence), label).toBe("yellow");
      expect(trafficLight(z.n, z.yellowMax + 1, z.confidence), label).toBe("red");
    }
  });
});
