import { canonicalJson, parseCanonicalJson } from "./canonical-json.ts";

/**
 * How the store turns one kind of record (command, event, result, snapshot) into text and
 * back. The store itself is engine-agnostic: it never looks inside a record.
 */
export interface JsonCodec<T> {
  /** Canonical JSON text of the record. */
  encode(value: T): string;
  /** The record back from its stored text. */
  decode(text: string): T;
}

export interface JsonCodecOptions<T> {
  /** Property names whose values are bigints (written as decimal strings). */
  readonly bigintKeys?: readonly string[];
  /**
   * Checks the parsed JSON and narrows it to `T` (for example a zod schema's `parse`).
   * Without it, decoding trusts the log: it was written by this codec.
   */
  readonly parse?: (json: unknown) => T;
}

/** A codec over canonical JSON with bigints as decimal strings (see `canonicalJson`). */
export function jsonCodec<T>(options: JsonCodecOptions<T> = {}): JsonCodec<T> {
  const bigintKeys = options.bigintKeys ?? [];
  const parse = options.parse ?? ((json: unknown) => json as T);
  return {
    encode: (value) => canonicalJson(value),
    decode: (text) => parse(parseCanonicalJson(text, bigintKeys)),
  };
}
