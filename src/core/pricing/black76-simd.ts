import { ERFCX_COEFFICIENTS } from "./erfcx-table.ts";
import {
  type Code,
  I32,
  memarg,
  name,
  op,
  section,
  simd,
  simdOp,
  sleb,
  uleb,
  V128,
  vector,
} from "./wasm-encoding.ts";

/*
 * The Black-76 batch kernel as WebAssembly with 128-bit SIMD: two options per instruction, no
 * bounds checks, and none of the per-row overhead V8 leaves in the JavaScript loop (which is
 * compute-bound: it runs at the same speed on L2-resident rows as on 1M rows). The module is
 * assembled here when this file loads (~10 KB of code, compiled in a few ms), from the same
 * formulas, in the same order of operations, as `priceRows` in black76-batch.ts:
 *   - e^x: the fastExp reduction and polynomial, with 2^m built from its exponent bits in two
 *     halves (2^⌊m/2⌋·2^{m−⌊m/2⌋}, both normal, so subnormal results still round once);
 *   - erfcx: the table (ERFCX_COEFFICIENTS) and evaluation order of erfcxNonNegative;
 *   - ln x: fastLog's node table after splitting x = 2^e·m, m ∈ [¾, 3/2), so it covers every
 *     ratio F/K (fastLog falls back to Math.log outside [½, 2)); ln 2 is split in a part whose
 *     product with e is exact and a remainder. For x ∈ [¾, 3/2) (e = 0) it is fastLog exactly.
 * IEEE arithmetic without fused multiply-adds gives the same bits for the same sequence of
 * operations, so results agree with the JavaScript path bit for bit except where ln F/K is
 * taken differently (F/K outside [¾, 3/2): ~1 ulp of ln F/K, which e^{−d₁²/2} turns into up to
 * ~1e-13 relative when d₁² is large). Lanes never interact, so a row's result does not depend
 * on where it sits in the batch.
 *
 * Memory layout: the tables and constants, then per chunk the rows' inputs, which the caller
 * copies in, the outputs, which it copies out, and scratch columns between the passes. Rows
 * with σ√T below MIN_TOTAL_VOL are computed like the others (their values are meaningless)
 * and listed, for the caller to overwrite with the at-expiry limits. Nothing traps on them: a
 * NaN or infinite lane only ever indexes a table through a mask or a bounded quotient.
 *
 * What mattered for speed (1M options, one core of the bench machine, kernel alone): the
 * straightforward translation took ~50 ns/option; building θ from bits instead of converting
 * the kind byte (see `signs`) ~40 → 32; constants in memory, pmax, no i64x2.shr_s and no
 * i32x4.trunc_sat (each an instruction sequence on x64), a shorter erfcx chain and columns off
 * the 4 KiB grid a few ns each. Splitting the loop into passes neither helped nor hurt much
 * once the false dependency was gone; it is kept because it keeps each loop readable.
 */

/**
 * Rows per kernel call. The kernel runs at the same speed from 1K to 16K rows (its passes stream
 * through the columns); the caller's copies in and out get cheaper per row with longer chunks
 * (2K → 16K rows: 52 → 47 ms per 1M options end to end). Memory: ~3.2 MB per instance.
 */
export const SIMD_CHUNK_OPTIONS = 16384;

const ERFCX_AT = 0; // 101 intervals × 8 coefficients
const EXP_FRACTION_AT = ERFCX_AT + 8 * ERFCX_COEFFICIENTS.length; // 2^{j/64}, j = 0..63
const LOG_NODE_AT = EXP_FRACTION_AT + 8 * 64; // ln(j/256), j = 0..512
const INVERSE_NODE_AT = LOG_NODE_AT + 8 * 513; // 256/j, j = 0..512
const CONSTANT_AT = 15360; // f64x2 constants (see `c`)
const CONSTANT_SLOTS = 128;
const EDGE_AT = CONSTANT_AT + 16 * CONSTANT_SLOTS; // i32 row numbers of the at-expiry rows of a chunk
const KIND_AT = EDGE_AT + 4 * SIMD_CHUNK_OPTIONS;
// Columns sit 8·CHUNK + 5 cache lines apart. At a multiple of 4 KiB apart, row i of every
// column maps to the same set of the 8-way L1 cache, and 13 or more columns in use evict each
// other on every access: measured ~1.15× slower.
const COLUMN_BYTES = 8 * SIMD_CHUNK_OPTIONS + 5 * 64;
const COLUMN_AT = KIND_AT + SIMD_CHUNK_OPTIONS + 16;
const INPUT_NAMES = ["forward", "strike", "expiryYears", "vol", "rate"] as const;
const OUTPUT_NAMES = ["price", "delta", "gamma", "vega", "theta", "rho", "vanna", "volga"] as const;
/** Columns: 5 inputs, 8 outputs and 11 scratch columns (see `passes`). */
const COLUMNS = 24;
const PAGES = Math.ceil((COLUMN_AT + COLUMNS * COLUMN_BYTES) / 65536);

function columnAt(column: number): number {
  return COLUMN_AT + column * COLUMN_BYTES;
}

// Locals: parameter 0 is the row count (even); then i32 and v128 locals by name.
const I32_LOCALS = ["row", "at", "edges", "lane0", "lane1", "bits"] as const;
const V128_LOCALS = [
  "sign",
  "f",
  "t",
  "sigma",
  "r",
  "disc",
  "sqrtT",
  "sd",
  "inv",
  "mon",
  "lnm",
  "d1",
  "d2",
  "g1",
  "g2",
  "g2x",
  "mask",
  "z1",
  "z2",
  "e1",
  "e2",
  "cdf1",
  "signDisc",
  "value",
  "dp",
  "vv",
  "invSig",
  "ints",
  "ex",
  "eb",
  "ek",
  "er",
  "ep",
  "ef",
  "em",
  "em1",
  "lx",
  "le",
  "lm",
  "lj",
  "lu",
  "lp",
  "yy",
  "yj",
  "yu",
  "yu2",
] as const;
type Local = (typeof I32_LOCALS)[number] | (typeof V128_LOCALS)[number] | "n";

function localIndex(local: Local): number {
  if (local === "n") return 0;
  const i = (I32_LOCALS as readonly string[]).indexOf(local);
  if (i >= 0) return 1 + i;
  return 1 + I32_LOCALS.length + (V128_LOCALS as readonly string[]).indexOf(local);
}

const get = (local: Local): Code => [op.localGet, ...uleb(localIndex(local))];
const set = (local: Local, value: Code): Code => [...value, op.localSet, ...uleb(localIndex(local))];
const binary =
  (code: number) =>
  (a: Code, b: Code): Code => [...a, ...b, ...simd(code)];
const unary =
  (code: number) =>
  (a: Code): Code => [...a, ...simd(code)];
const add = binary(simdOp.f64x2Add);
const sub = binary(simdOp.f64x2Sub);
const mul = binary(simdOp.f64x2Mul);
const div = binary(simdOp.f64x2Div);
// pmax(a, b) = a < b ? b : a, one instruction (max's NaN and ±0 rules cost ~8 on x64); the
// callers put the bound first, so a NaN argument comes out as the bound.
/** A constant pair given by its i64 bits (no NaN patterns: they would not survive the f64 store). */
function ci(bits: bigint): Code {
  bitsView.setBigInt64(0, bits, true);
  return c(bitsView.getFloat64(0, true));
}
const bitsView = new DataView(new ArrayBuffer(8));
const pmax = binary(simdOp.f64x2Pmax);
const gt = binary(simdOp.f64x2Gt);
const ge = binary(simdOp.f64x2Ge);
const and = binary(simdOp.v128And);
const or = binary(simdOp.v128Or);
const i64Sub = binary(simdOp.i64x2Sub);
const neg = unary(simdOp.f64x2Neg);
const abs = unary(simdOp.f64x2Abs);
const sqrt = unary(simdOp.f64x2Sqrt);
const not = unary(simdOp.v128Not);
const trunc = unary(simdOp.f64x2Trunc);
const nearest = unary(simdOp.f64x2Nearest);
/**
 * A constant pair. V8 rebuilds a v128.const inside the loop each time (~3 instructions), so the
 * constants live in memory and are loaded (one instruction); `constants` collects them while the
 * kernel is assembled, and `createBlack76SimdKernel` writes them at CONSTANT_AT.
 */
const constants: number[] = [];
function c(value: number): Code {
  let slot = constants.findIndex((known) => Object.is(known, value));
  if (slot < 0) {
    slot = constants.length;
    constants.push(value);
  }
  if (slot >= CONSTANT_SLOTS) throw new Error("black76-simd: too many constants");
  return [op.i32Const, 0, ...simd(simdOp.v128Load), ...memarg(4, CONSTANT_AT + 16 * slot)];
}
const i32 = (value: number): Code => [op.i32Const, ...sleb(value)];
const shift = (code: number, a: Code, by: number): Code => [...a, ...i32(by), ...simd(code)];
const bitselect = (ifSet: Code, ifClear: Code, mask: Code): Code => [
  ...ifSet,
  ...ifClear,
  ...mask,
  ...simd(simdOp.v128Bitselect),
];
const load = (column: number): Code => [
  ...get("at"),
  ...simd(simdOp.v128Load),
  ...memarg(3, columnAt(column)),
];
const store = (column: number, value: Code): Code => [
  ...get("at"),
  ...value,
  ...simd(simdOp.v128Store),
  ...memarg(3, columnAt(column)),
];

/** lane0/lane1 := the i32 lanes `first` and `second` of `ints`, masked, shifted to byte offsets. */
function lanes(first: number, second: number, mask: number, byteShift: number): Code {
  const lane = (which: number, into: Local): Code => [
    ...get("ints"),
    ...simd(simdOp.i32x4ExtractLane),
    which,
    ...(mask === 0 ? [] : [...i32(mask), op.i32And]),
    ...i32(byteShift),
    op.i32Shl,
    op.localSet,
    ...uleb(localIndex(into)),
  ];
  return [...lane(first, "lane0"), ...lane(second, "lane1")];
}

/** The f64 at table offset + lane address, for each lane. */
function gather(tableAt: number): Code {
  return [
    ...get("lane1"),
    ...get("lane0"),
    ...simd(simdOp.v128Load64Splat),
    ...memarg(3, tableAt),
    ...simd(simdOp.v128Load64Lane),
    ...memarg(3, tableAt),
    1,
  ];
}

/**
 * Integer-valued f64 lanes (0 ≤ value < 2^31) to i32 lanes 0 and 2 of `ints`: adding 2^52 puts
 * the integer in the low mantissa bits, one addition where i32x4.trunc_sat_f64x2_s_zero costs
 * four instructions on x64 and lengthens the dependency chain.
 */
const toInts = (value: Code): Code => set("ints", add(value, c(4503599627370496)));

/** x·(a₀ + x·(a₁ + … + x·aₙ)), in the order fastExp and fastLog evaluate their polynomials. */
function timesSeries(x: Code, coefficients: readonly number[]): Code {
  let acc = c(coefficients[coefficients.length - 1] as number);
  for (let i = coefficients.length - 2; i >= 0; i--) acc = add(c(coefficients[i] as number), mul(x, acc));
  return mul(x, acc);
}

/** dst := e^x (fastExp). */
function expInto(dst: Local, x: Code): Code {
  const roundingShift = 6755399441055744; // 1.5·2^52
  // 2^e from e + 2^13 (as below): the biased exponent e + 1023 in the exponent field.
  const powerOfTwo = (biased: Code): Code => shift(simdOp.i64x2Shl, i64Sub(biased, ci(8192n - 1023n)), 52);
  return [
    ...set("ex", pmax(c(-746), x)),
    ...set("eb", add(mul(get("ex"), c(92.33248261689366)), c(roundingShift))),
    ...set("ek", sub(get("eb"), c(roundingShift))),
    ...set(
      "er",
      sub(sub(get("ex"), mul(get("ek"), c(0.01083042469326756))), mul(get("ek"), c(2.9815858269852933e-12))),
    ),
    ...set("ep", timesSeries(get("er"), [1, 0.5, 1 / 6, 1 / 24, 1 / 120])),
    // The integer k sits in the low bits of eb: its bits minus those of 1.5·2^52, plus 2^20 so
    // that it is positive (k ≥ −68880) and shifts right without i64x2.shr_s, which x64 lacks
    // (V8 emulates it in 6 instructions). With q = k/64 + 2^14 = m + 2^14 and h = ⌊q/2⌋,
    // 2^m = 2^{⌊m/2⌋}·2^{m − ⌊m/2⌋} = 2^{h − 2^13}·2^{q − h − 2^13}.
    ...set("ints", i64Sub(get("eb"), ci(0x4338000000000000n - (1n << 20n)))),
    ...lanes(0, 2, 63, 3),
    ...set("ef", gather(EXP_FRACTION_AT)),
    ...set("em", shift(simdOp.i64x2ShrU, get("ints"), 6)),
    ...set("em1", shift(simdOp.i64x2ShrU, get("em"), 1)),
    ...set(
      dst,
      mul(
        powerOfTwo(get("em1")),
        mul(powerOfTwo(i64Sub(get("em"), get("em1"))), add(get("ef"), mul(get("ef"), get("ep")))),
      ),
    ),
  ];
}

/** dst := ln x for x > 0 (normal), see the file comment. */
function logInto(dst: Local, x: Code): Code {
  const ln2High = 0.6931471803691238; // 32 significant bits: e·ln2High is exact
  const ln2Low = 1.9082149292705877e-10;
  return [
    ...set("lx", x),
    ...set(
      "le",
      sub(or(shift(simdOp.i64x2ShrU, get("lx"), 52), ci(0x4330000000000000n)), c(4503599627371519)),
    ),
    ...set("lm", or(and(get("lx"), ci(0x000fffffffffffffn)), ci(0x3ff0000000000000n))),
    ...set("mask", ge(get("lm"), c(1.5))),
    ...set("lm", bitselect(mul(get("lm"), c(0.5)), get("lm"), get("mask"))),
    ...set("le", add(get("le"), and(get("mask"), c(1)))),
    ...set("lj", nearest(mul(get("lm"), c(256)))),
    ...toInts(get("lj")),
    ...lanes(0, 2, 0, 3),
    ...set("lu", mul(sub(get("lm"), mul(get("lj"), c(1 / 256))), gather(INVERSE_NODE_AT))),
    ...set("lp", timesSeries(get("lu"), [1, -1 / 2, 1 / 3, -1 / 4, 1 / 5, -1 / 6])),
    ...set(
      dst,
      add(add(mul(get("le"), c(ln2High)), gather(LOG_NODE_AT)), add(mul(get("le"), c(ln2Low)), get("lp"))),
    ),
  ];
}

/** dst := erfcx(x) for x ≥ 0 (erfcxNonNegative, the same operations in the same order). */
function erfcxInto(dst: Local, x: Code): Code {
  const coefficient = (power: number): Code => gather(ERFCX_AT + 8 * power);
  const pair = (low: number): Code => add(coefficient(low), mul(get("yu"), coefficient(low + 1)));
  return [
    ...set("yy", div(c(400), add(c(4), x))),
    ...set("yj", trunc(get("yy"))),
    ...toInts(get("yj")),
    ...lanes(0, 2, 0, 6),
    ...set("yu", sub(mul(c(2), sub(get("yy"), get("yj"))), c(1))),
    ...set("yu2", mul(get("yu"), get("yu"))),
    ...set(dst, add(pair(2), mul(get("yu2"), add(pair(4), mul(get("yu2"), pair(6)))))),
    ...set(dst, add(coefficient(0), mul(get("yu"), add(coefficient(1), mul(get("yu"), get(dst)))))),
  ];
}

/** Appends the row `row + lane` to the at-expiry list. */
function listEdge(lane: number): Code {
  return [
    ...get("edges"),
    ...get("row"),
    ...(lane === 0 ? [] : [...i32(lane), op.i32Add]),
    op.i32Store,
    ...memarg(2, EDGE_AT),
    ...set("edges", [...get("edges"), ...i32(4), op.i32Add]),
  ];
}

function ifNonZero(condition: Code, body: Code): Code {
  return [...condition, op.if, op.voidBlock, ...body, op.end];
}

// Scratch columns, after the 5 inputs and 8 outputs, carry values from one pass to the next.
const [FORWARD, STRIKE, EXPIRY, VOL, RATE] = [0, 1, 2, 3, 4];
const [PRICE, DELTA, GAMMA, VEGA, THETA, RHO, VANNA, VOLGA] = [5, 6, 7, 8, 9, 10, 11, 12];
const [LN_MONEYNESS, DISCOUNT, D1, GAUSSIAN1, GAUSSIAN2, CDF1, CDF2] = [13, 14, 15, 16, 17, 18, 19];
const [MONEYNESS, SQRT_T, INV_STD_DEV, D2] = [20, 21, 22, 23];

/**
 * θ = 1 − 2·kind per lane, built from bits: kind << 63 is the sign bit of ±1.0. Converting the
 * byte with f64.convert_i32_u compiles to cvtsi2sd, which on x64 merges into a scratch register
 * last written at the end of the previous pair, chaining every pair to the one before: measured
 * ~1.2× slower for the whole kernel.
 */
const kindLane = (offset: number): Code => [...get("row"), op.i64Load8U, ...memarg(0, KIND_AT + offset)];
const signs = (): Code =>
  or(
    shift(
      simdOp.i64x2Shl,
      [...kindLane(0), ...simd(simdOp.i64x2Splat), ...kindLane(1), ...simd(simdOp.i64x2ReplaceLane), 1],
      63,
    ),
    ci(0x3ff0000000000000n),
  );

/**
 * The body of priceRows in black76-batch.ts, lane-wise, in four passes over the chunk (ln F/K;
 * discount, d₁, d₂ and the Gaussians; the two tails; the outputs), which pass values through
 * scratch columns that stay in cache.
 */
function passes(minStdDev: number): Code[] {
  const tail = (gaussian: Local, z: Local, into: Local): Code => [
    ...erfcxInto(into, mul(abs(get(z)), c(Math.SQRT1_2))),
    ...set(into, mul(mul(c(0.5), get(gaussian)), get(into))),
  ];
  const cdf = (z: Local, tailOf: Local): Code =>
    bitselect(sub(c(1), get(tailOf)), get(tailOf), gt(get(z), c(0)));
  const logPass = [
    ...set("mon", div(load(FORWARD), load(STRIKE))),
    ...store(MONEYNESS, get("mon")),
    ...logInto("lnm", get("mon")),
    ...store(LN_MONEYNESS, get("lnm")),
  ];
  const gaussianPass = [
    ...set("t", load(EXPIRY)),
    ...expInto("disc", mul(neg(load(RATE)), get("t"))),
    ...store(DISCOUNT, get("disc")),
    ...set("sqrtT", sqrt(get("t"))),
    ...store(SQRT_T, get("sqrtT")),
    ...set("sd", mul(load(VOL), get("sqrtT"))),
    ...set("mask", not(ge(get("sd"), c(minStdDev)))),
    ...ifNonZero(
      [...get("mask"), ...simd(simdOp.i64x2Bitmask), op.localTee, ...uleb(localIndex("bits"))],
      [
        ...ifNonZero([...get("bits"), ...i32(1), op.i32And], listEdge(0)),
        ...ifNonZero([...get("bits"), ...i32(2), op.i32And], listEdge(1)),
      ],
    ),
    ...set("inv", div(c(1), get("sd"))),
    ...store(INV_STD_DEV, get("inv")),
    ...set("d1", add(mul(load(LN_MONEYNESS), get("inv")), mul(c(0.5), get("sd")))),
    ...store(D1, get("d1")),
    ...set("d2", sub(get("d1"), get("sd"))),
    ...store(D2, get("d2")),
    ...expInto("g1", mul(mul(c(-0.5), get("d1")), get("d1"))),
    ...store(GAUSSIAN1, get("g1")),
    ...set("g2", mul(get("g1"), load(MONEYNESS))),
    ...set("mask", not(gt(get("g1"), c(1e-290)))),
    ...ifNonZero(
      [...get("mask"), ...simd(simdOp.v128AnyTrue)],
      [
        ...expInto("g2x", mul(mul(c(-0.5), get("d2")), get("d2"))),
        ...set("g2", bitselect(get("g2x"), get("g2"), get("mask"))),
      ],
    ),
    ...store(GAUSSIAN2, get("g2")),
  ];
  const tailPass = [
    ...set("sign", signs()),
    ...set("d1", load(D1)),
    ...set("z1", mul(get("sign"), get("d1"))),
    ...set("z2", mul(get("sign"), load(D2))),
    ...set("g1", load(GAUSSIAN1)),
    ...set("g2", load(GAUSSIAN2)),
    ...tail("g1", "z1", "e1"),
    ...tail("g2", "z2", "e2"),
    ...store(CDF1, cdf("z1", "e1")),
    ...store(CDF2, cdf("z2", "e2")),
  ];
  const outputPass = [
    ...set("f", load(FORWARD)),
    ...set("t", load(EXPIRY)),
    ...set("sigma", load(VOL)),
    ...set("r", load(RATE)),
    ...set("disc", load(DISCOUNT)),
    ...set("d1", load(D1)),
    ...set("sqrtT", load(SQRT_T)),
    ...set("sd", mul(get("sigma"), get("sqrtT"))),
    ...set("inv", load(INV_STD_DEV)),
    ...set("d2", load(D2)),
    ...set("cdf1", load(CDF1)),
    ...set("signDisc", mul(signs(), get("disc"))),
    ...set(
      "value",
      pmax(c(0), mul(get("signDisc"), sub(mul(get("f"), get("cdf1")), mul(load(STRIKE), load(CDF2))))),
    ),
    ...set("dp", mul(mul(get("disc"), c(0.3989422804014327)), load(GAUSSIAN1))),
    ...set("vv", mul(mul(get("dp"), get("f")), get("sqrtT"))),
    ...set("invSig", mul(get("sqrtT"), get("inv"))),
    ...store(PRICE, get("value")),
    ...store(DELTA, mul(get("signDisc"), get("cdf1"))),
    ...store(GAMMA, div(get("dp"), mul(get("f"), get("sd")))),
    ...store(VEGA, get("vv")),
    ...store(
      THETA,
      sub(
        mul(get("r"), get("value")),
        mul(mul(mul(mul(mul(c(0.5), get("dp")), get("f")), get("sigma")), get("sigma")), get("inv")),
      ),
    ),
    ...store(RHO, mul(neg(get("t")), get("value"))),
    ...store(VANNA, mul(mul(neg(get("dp")), get("d2")), get("invSig"))),
    ...store(VOLGA, mul(mul(mul(get("vv"), get("d1")), get("d2")), get("invSig"))),
  ];
  return [logPass, gaussianPass, tailPass, outputPass];
}

/** `body` for each pair of rows [0, n). */
function overPairs(body: Code): Code {
  return [
    ...set("row", i32(0)),
    ...set("at", i32(0)),
    op.block,
    op.voidBlock,
    op.loop,
    op.voidBlock,
    ...get("row"),
    ...get("n"),
    op.i32GeU,
    op.brIf,
    1,
    ...body,
    ...set("row", [...get("row"), ...i32(2), op.i32Add]),
    ...set("at", [...get("at"), ...i32(16), op.i32Add]),
    op.br,
    0,
    op.end,
    op.end,
  ];
}

/** Checks a pair of rows against the limits; leaves the first bad pair's row in `edges`. */
function validatePair(limits: Black76SimdLimits): Code {
  const within = (column: number, low: number, high: number): Code =>
    and(ge(load(column), c(low)), ge(c(high), load(column)));
  const valuesOk = and(
    and(within(FORWARD, limits.minPrice, limits.maxPrice), within(STRIKE, limits.minPrice, limits.maxPrice)),
    and(
      and(within(EXPIRY, 0, limits.maxExpiryYears), within(VOL, 0, limits.maxVol)),
      within(RATE, -limits.maxAbsRate, limits.maxAbsRate),
    ),
  );
  const kindByte = (offset: number): Code => [...get("row"), op.i32Load8U, ...memarg(0, KIND_AT + offset)];
  return ifNonZero(
    [
      ...valuesOk,
      ...simd(simdOp.i64x2Bitmask),
      ...i32(3),
      op.i32Ne,
      ...kindByte(0),
      ...kindByte(1),
      op.i32Or,
      ...i32(1),
      op.i32GtU,
      op.i32Or,
    ],
    [...set("edges", get("row")), op.br, 2], // out of the if, the loop and its block
  );
}

function functionBody(code: Code): Code {
  const body = [
    ...vector([
      [...uleb(I32_LOCALS.length), I32],
      [...uleb(V128_LOCALS.length), V128],
    ]),
    ...code,
    op.end,
  ];
  return [...uleb(body.length), ...body];
}

/**
 * The module: memory (exported); `price(n) → 4 × at-expiry rows` and `validate(n) → first bad
 * pair's row, or −1`, n even.
 */
function assemble(limits: Black76SimdLimits): Uint8Array<ArrayBuffer> {
  const price = [...passes(limits.minStdDev).flatMap(overPairs), ...get("edges")];
  const validate = [
    ...set("edges", [op.i32Const, ...sleb(-1)]),
    ...overPairs(validatePair(limits)),
    ...get("edges"),
  ];
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector([[0x60, 1, I32, 1, I32]])),
    ...section(3, vector([[0], [0]])),
    ...section(5, vector([[0x00, ...uleb(PAGES)]])),
    ...section(
      7,
      vector([
        [...name("memory"), 0x02, 0],
        [...name("price"), 0x00, 0],
        [...name("validate"), 0x00, 1],
      ]),
    ),
    ...section(10, vector([functionBody(price), functionBody(validate)])),
  ];
  return Uint8Array.from(bytes);
}

/** The input limits of black76-batch.ts, and the σ√T below which a row is at expiry. */
export interface Black76SimdLimits {
  readonly minPrice: number;
  readonly maxPrice: number;
  readonly maxExpiryYears: number;
  readonly maxVol: number;
  readonly maxAbsRate: number;
  readonly minStdDev: number;
}

/** A compiled kernel with its memory, laid out as described above. */
export interface Black76SimdKernel {
  /** Prices rows [0, n) of the chunk (n ≤ SIMD_CHUNK_OPTIONS); returns the count of at-expiry rows listed in `edges`. */
  run(n: number): number;
  /**
   * Checks rows [0, n) of the chunk against the limits: returns −1 if all pass, else a row at or
   * before the first bad one (a pair's first row; with n odd, possibly the padding row n).
   */
  validate(n: number): number;
  readonly kind: Uint8Array;
  readonly inputs: Readonly<Record<(typeof INPUT_NAMES)[number], Float64Array>>;
  readonly outputs: Readonly<Record<(typeof OUTPUT_NAMES)[number], Float64Array>>;
  readonly edges: Int32Array;
}

/**
 * Compiles the kernel, or returns null where WebAssembly or its SIMD is unavailable (the caller
 * then keeps the JavaScript path).
 */
export function createBlack76SimdKernel(limits: Black76SimdLimits): Black76SimdKernel | null {
  if (typeof WebAssembly !== "object") return null;
  const bytes = assemble(limits); // outside the try: a bug here must not pass for a missing feature
  let instance: WebAssembly.Instance;
  try {
    instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
  } catch {
    return null;
  }
  const memory = instance.exports.memory as WebAssembly.Memory;
  const price = instance.exports.price as (n: number) => number;
  const validate = instance.exports.validate as (n: number) => number;
  const buffer = memory.buffer;
  const constantPairs = new Float64Array(buffer, CONSTANT_AT, 2 * CONSTANT_SLOTS);
  for (const [slot, value] of constants.entries()) constantPairs.fill(value, 2 * slot, 2 * slot + 2);
  new Float64Array(buffer, ERFCX_AT, ERFCX_COEFFICIENTS.length).set(ERFCX_COEFFICIENTS);
  const fractions = new Float64Array(buffer, EXP_FRACTION_AT, 64);
  for (let j = 0; j < 64; j++) fractions[j] = 2 ** (j / 64);
  const logNodes = new Float64Array(buffer, LOG_NODE_AT, 513);
  const inverseNodes = new Float64Array(buffer, INVERSE_NODE_AT, 513);
  for (let j = 0; j <= 512; j++) {
    logNodes[j] = Math.log(j / 256);
    inverseNodes[j] = 256 / j;
  }
  const column = (i: number) => new Float64Array(buffer, columnAt(i), SIMD_CHUNK_OPTIONS);
  const inputs = Object.fromEntries(INPUT_NAMES.map((key, i) => [key, column(i)]));
  const outputs = Object.fromEntries(OUTPUT_NAMES.map((key, i) => [key, column(5 + i)]));
  return {
    run: (n) => price(n + (n & 1)) >>> 2,
    validate: (n) => validate(n + (n & 1)),
    kind: new Uint8Array(buffer, KIND_AT, SIMD_CHUNK_OPTIONS + 16),
    inputs: inputs as Black76SimdKernel["inputs"],
    outputs: outputs as Black76SimdKernel["outputs"],
    edges: new Int32Array(buffer, EDGE_AT, SIMD_CHUNK_OPTIONS),
  };
}
