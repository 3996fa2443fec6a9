import { z } from "zod";
import { ROLES } from "./roles.ts";

/*
 * Request and response schemas of the HTTP API, declared once: Fastify validates with them and
 * @fastify/swagger publishes them at /docs. Requests are strict (an unknown field is a 400).
 * Exact amounts, sizes and prices are decimal strings; a JSON number there is refused, so no
 * amount ever passes through a float. Lengths are bounded everywhere.
 */

/** A non-negative decimal string: at most 30 integer and 18 fractional digits. */
export const decimalString = z
  .string()
  .max(49)
  .regex(/^(0|[1-9]\d{0,29})(\.\d{1,18})?$/, 'must be a decimal string such as "12.5" (no exponent, no sign)')
  .describe("exact decimal as a string");
export const idString = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:/-]+$/, "letters, digits and _ . : / - only");
export const commandId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\x21-\x7e]+$/, "printable ASCII without spaces")
  .describe("client idempotency key: a retry with the same id is answered, not re-applied");

export const depositBody = z.strictObject({
  accountId: idString,
  subaccountId: idString,
  asset: idString,
  amount: decimalString,
  commandId: commandId.optional(),
});
export const withdrawalBody = z.strictObject({
  subaccountId: idString,
  asset: idString,
  amount: decimalString,
  commandId: commandId.optional(),
});
export const transferBody = z.strictObject({
  fromSubaccountId: idString,
  toSubaccountId: idString,
  asset: idString,
  amount: decimalString,
  commandId: commandId.optional(),
});
export const fillBody = z.strictObject({
  marketId: idString,
  takerSide: z.enum(["buy", "sell"]),
  makerSubaccountId: idString,
  takerSubaccountId: idString,
  size: decimalString,
  price: decimalString,
  makerFee: decimalString,
  takerFee: decimalString,
  commandId: commandId.optional(),
});
export const fundingBody = z.strictObject({
  marketId: idString,
  /** Fraction of notional for the period; positive: longs pay shorts. A rate, not an amount. */
  ratePerPeriod: z.number().finite().min(-1).max(1),
  commandId: commandId.optional(),
});
export const oracleReportBody = z.strictObject({
  underlying: idString,
  source: idString,
  price: decimalString,
  confidence: decimalString,
  publishedAtMs: z.number().int().min(0).max(8.64e15),
  commandId: commandId.optional(),
});
export const liquidationBody = z.strictObject({
  liquidatorSubaccountId: idString,
  subaccountId: idString,
  marketId: idString,
  size: decimalString,
  commandId: commandId.optional(),
});
export const insuranceContributionBody = z.strictObject({
  asset: idString,
  amount: decimalString,
  commandId: commandId.optional(),
});
export const whatIfBody = z.strictObject({
  subaccountId: idString,
  marketId: idString,
  side: z.enum(["buy", "sell"]),
  size: decimalString,
  price: decimalString,
});
export const proposalBody = z.strictObject({
  document: z.record(z.string(), z.unknown()),
  note: z.string().max(1000).optional(),
});
export const createKeyBody = z.strictObject({
  role: z.enum(ROLES),
  accountIds: z.array(idString).max(64).optional(),
  label: z.string().max(200).optional(),
});

export const accountParams = z.strictObject({ accountId: idString });
export const keyParams = z.strictObject({ keyId: z.string().regex(/^[0-9a-f]{16}$/) });
export const versionParams = z.strictObject({
  versionId: z.coerce
    .number()
    .int()
    .min(1)
    .max(2 ** 31 - 1),
});
export const pageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  after: idString.optional(),
});

export const commandAccepted = z.object({
  status: z.enum(["accepted", "duplicate"]),
  commandId: z.string(),
  /** Sequence numbers of the command's events in the log (absent when it had none). */
  firstSeq: z.number().int().nullable(),
  lastSeq: z.number().int().nullable(),
  events: z.array(z.record(z.string(), z.unknown())),
});

export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  instance: z.string(),
  errors: z.array(z.object({ field: z.string(), reason: z.string() })),
  reason: z.string().optional(),
  commandId: z.string().optional(),
});

/** Error answers every authenticated route may give. */
export const errorResponses = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  404: problemSchema,
  409: problemSchema,
  422: problemSchema,
  429: problemSchema,
  503: problemSchema,
};

/** A JSON object answer whose shape is documented in docs/service.md (margin, what-if, versions). */
export const jsonObject = z.looseObject({});
