/*
 * The few pieces of the WebAssembly binary format that `black76-simd.ts` needs to assemble its
 * kernel when the module loads: LEB128 integers, sections, and the opcodes it uses (core and
 * the fixed-width SIMD proposal, standard since 2021). Code is built as plain byte arrays; an
 * expression is the bytes that leave its value on the operand stack, so nesting calls writes
 * the post-order a stack machine wants. No assembler dependency: the binary format is simple
 * and this subset small, and V8 validates the result when it compiles it.
 */

export type Code = number[];

/** Unsigned LEB128. */
export function uleb(value: number): Code {
  const bytes: Code = [];
  let rest = value >>> 0;
  do {
    const low = rest & 0x7f;
    rest >>>= 7;
    bytes.push(rest === 0 ? low : low | 0x80);
  } while (rest !== 0);
  return bytes;
}

/** Signed LEB128 of a 32-bit integer. */
export function sleb(value: number): Code {
  const bytes: Code = [];
  let rest = value | 0;
  for (;;) {
    const low = rest & 0x7f;
    rest >>= 7;
    const done = (rest === 0 && (low & 0x40) === 0) || (rest === -1 && (low & 0x40) !== 0);
    bytes.push(done ? low : low | 0x80);
    if (done) return bytes;
  }
}

/** A section: id, byte length, content. */
export function section(id: number, content: Code): Code {
  return [id, ...uleb(content.length), ...content];
}

/** A vector: element count, then the elements' bytes. */
export function vector(items: Code[]): Code {
  return [...uleb(items.length), ...items.flat()];
}

/** A name (ASCII only here). */
export function name(text: string): Code {
  const bytes = Array.from(text, (ch) => ch.charCodeAt(0));
  return [...uleb(bytes.length), ...bytes];
}

/** Value types. */
export const I32 = 0x7f;
export const V128 = 0x7b;

/** Core opcodes used by the kernel. */
export const op = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Load8U: 0x2d,
  i64Load8U: 0x31,
  i32Store: 0x36,
  i32Const: 0x41,
  i32Ne: 0x47,
  i32GtU: 0x4b,
  i32GeU: 0x4f,
  i32Add: 0x6a,
  i32And: 0x71,
  i32Or: 0x72,
  i32Shl: 0x74,
  voidBlock: 0x40,
} as const;

/** SIMD opcodes (after the 0xfd prefix), as numbers; `simd` LEB-encodes them. */
export const simdOp = {
  v128Load: 0x00,
  v128Load64Splat: 0x0a,
  v128Store: 0x0b,
  v128Const: 0x0c,
  i32x4ExtractLane: 0x1b,
  i64x2Splat: 0x12,
  f64x2Splat: 0x14,
  i64x2ReplaceLane: 0x1e,
  f64x2Lt: 0x49,
  f64x2Gt: 0x4a,
  f64x2Ge: 0x4c,
  v128Not: 0x4d,
  v128And: 0x4e,
  v128Or: 0x50,
  v128Bitselect: 0x52,
  v128AnyTrue: 0x53,
  v128Load64Lane: 0x57,
  f64x2Trunc: 0x7a,
  f64x2Nearest: 0x94,
  i64x2Bitmask: 0xc4,
  i64x2Shl: 0xcb,
  i64x2ShrU: 0xcd,
  i64x2Sub: 0xd1,
  f64x2Abs: 0xec,
  f64x2Neg: 0xed,
  f64x2Sqrt: 0xef,
  f64x2Add: 0xf0,
  f64x2Sub: 0xf1,
  f64x2Mul: 0xf2,
  f64x2Div: 0xf3,
  f64x2Pmax: 0xf7,
} as const;

export function simd(code: number): Code {
  return [0xfd, ...uleb(code)];
}

/** A memory argument: log2 of the alignment hint, then the static offset. */
export function memarg(alignLog2: number, offset: number): Code {
  return [...uleb(alignLog2), ...uleb(offset)];
}

const scratch = new DataView(new ArrayBuffer(16));

/** v128.const with both f64 lanes equal to `value`. */
export function f64x2Const(value: number): Code {
  scratch.setFloat64(0, value, true);
  scratch.setFloat64(8, value, true);
  return [...simd(simdOp.v128Const), ...Array.from(new Uint8Array(scratch.buffer))];
}

/** v128.const with both i64 lanes equal to `value`. */
export function i64x2Const(value: bigint): Code {
  scratch.setBigInt64(0, value, true);
  scratch.setBigInt64(8, value, true);
  return [...simd(simdOp.v128Const), ...Array.from(new Uint8Array(scratch.buffer))];
}
