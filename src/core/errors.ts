/**
 * The one error class of Marginal. A short message for people, a machine-readable `code`, the
 * failing `field` (a dotted path such as `markets.BTC-PERP.maintenanceFraction`) where there is
 * one, free-form `details`, and the cause chain. Expected business outcomes are returned values,
 * not errors; this class is for bad input at a boundary and for broken invariants.
 */
export type MarginalErrorCode =
  | "invalid_input"
  | "invalid_data"
  | "not_found"
  | "conflict"
  | "unauthorized"
  | "forbidden"
  | "invariant_violated"
  | "not_converged"
  | "unavailable"
  | "rate_limited"
  | "unsupported";

export interface MarginalErrorOptions {
  readonly field?: string;
  readonly details?: Readonly<Record<string, unknown>>;
  readonly cause?: unknown;
}

export class MarginalError extends Error {
  override readonly name = "MarginalError";
  readonly code: MarginalErrorCode;
  readonly field: string | undefined;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: MarginalErrorCode, message: string, options: MarginalErrorOptions = {}) {
    super(options.field === undefined ? message : `${options.field}: ${message}`, {
      cause: options.cause,
    });
    this.code = code;
    this.field = options.field;
    this.details = options.details;
  }
}

/** Throws a loud `invariant_violated` error when `condition` is false. */
export function assertInvariant(condition: boolean, message: string): asserts condition {
  if (!condition) throw new MarginalError("invariant_violated", message);
}

/** Shorthand for a located bad-input error. */
export function invalidInput(
  field: string,
  reason: string,
  details?: Record<string, unknown>,
): MarginalError {
  return new MarginalError("invalid_input", reason, details === undefined ? { field } : { field, details });
}
