import { binomialCdf } from "../dist/binomial.ts";
import { checkCounts } from "./kupiec-pof.ts";

export type TrafficLightZone = "green" | "yellow" | "red";

/** Cumulative-probability bounds of the Basel (1996) traffic light. */
export const GREEN_BELOW = 0.95;
export const YELLOW_BELOW = 0.9999;

/**
 * Basel traffic-light zone scaled to any sample size: with X ~ Bin(n, 1 − confidence), the zone
 * is green while P(X ≤ exceptions) < 0.95, yellow while < 0.9999, red beyond. At n = 250 and
 * 99% this reproduces the Basel table: green 0–4, yellow 5–9, red 10 or more.
 */
export function trafficLight(observations: number, exceptions: number, confidence: number): TrafficLightZone {
  checkCounts(observations, exceptions);
  const cumulative = binomialCdf(exceptions, observations, 1 - confidence);
  if (cumulative < GREEN_BELOW) return "green";
  if (cumulative < YELLOW_BELOW) return "yellow";
  return "red";
}
