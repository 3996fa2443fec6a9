/*
 * The what-if order form's validation, mirroring the API's rules (src/server/api-schemas.ts)
 * so that a person sees which field is wrong before anything is sent: size and price are
 * positive decimal strings without sign or exponent, at most 18 decimals.
 */

export interface WhatIfForm {
  readonly subaccountId: string;
  readonly marketId: string;
  readonly side: string;
  readonly size: string;
  readonly price: string;
}

export interface WhatIfBody {
  readonly subaccountId: string;
  readonly marketId: string;
  readonly side: "buy" | "sell";
  readonly size: string;
  readonly price: string;
}

export type WhatIfValidation =
  | { readonly ok: true; readonly body: WhatIfBody }
  | { readonly ok: false; readonly errors: readonly { field: string; reason: string }[] };

const DECIMAL = /^(0|[1-9]\d{0,29})(\.\d{1,18})?$/;

function positiveDecimal(field: string, text: string): { field: string; reason: string } | null {
  const t = text.trim();
  if (t === "") return { field, reason: "is required" };
  if (!DECIMAL.test(t))
    return {
      field,
      reason: "must be a decimal number such as 1.5 (no sign, no exponent, at most 18 decimals)",
    };
  if (!/[1-9]/.test(t)) return { field, reason: "must be greater than zero" };
  return null;
}

/** Validates the form; on success the body to POST to /v1/accounts/{id}/what-if. */
export function validateWhatIf(form: WhatIfForm): WhatIfValidation {
  const errors: { field: string; reason: string }[] = [];
  if (form.subaccountId === "") errors.push({ field: "subaccountId", reason: "choose a sub-account" });
  if (form.marketId === "") errors.push({ field: "marketId", reason: "choose a market" });
  if (form.side !== "buy" && form.side !== "sell")
    errors.push({ field: "side", reason: "must be buy or sell" });
  for (const e of [positiveDecimal("size", form.size), positiveDecimal("price", form.price)])
    if (e !== null) errors.push(e);
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    body: {
      subaccountId: form.subaccountId,
      marketId: form.marketId,
      side: form.side as "buy" | "sell",
      size: form.size.trim(),
      price: form.price.trim(),
    },
  };
}
