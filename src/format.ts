import { check, FxnnError, quote } from './errors.js';
import { floatSpecHint } from './float/float-format.js';

/** How codes map to values (THEORY §1). */
export type Encoding = 'twos-complement' | 'symmetric' | 'unsigned';
export type FormatKind = 'Q' | 'SQ' | 'UQ';

/**
 * A fixed-point format: the values k·2^-fracBits for integer codes k in [minCode, maxCode]. Immutable
 * and interned: `parseFormat` returns the same object for the same format, so `===` compares formats.
 */
export interface Format {
  /** Canonical spec, e.g. `Q3.4`. */
  readonly spec: string;
  readonly kind: FormatKind;
  readonly encoding: Encoding;
  /** Integer bits, excluding the sign bit. */
  readonly intBits: number;
  readonly fracBits: number;
  /** Total bits of storage. */
  readonly bits: number;
  readonly minCode: bigint;
  readonly maxCode: bigint;
  /** Number of values, maxCode − minCode + 1. */
  readonly size: bigint;
  /** True when 1 is a value of the format (intBits ≥ 1). */
  readonly hasOne: boolean;
  /** True when codes fit the safe-integer fast path (bits ≤ 26: products stay below 2^53). */
  readonly small: boolean;
}

export const MAX_BITS = 64;
export const FAST_PATH_BITS = 26;

const interned = new Map<string, Format>();

/**
 * The format with the given encoding and bit counts (validated, interned). Two's complement (Q) and
 * unsigned (UQ) formats may have negative integer bits (HLS `ap_fixed<W,I>` with I ≤ 0: every value
 * is below 2^(I−1) in magnitude) or negative fractional bits (I > W: the values are multiples of
 * 2^(I−W)), as HLS allows; symmetric (SQ) formats need both ≥ 0. Such formats are named by their HLS
 * spelling (`ap_fixed<4,-2>`), the others `Qm.n`.
 */
export function makeFormat(kind: FormatKind, intBits: number, fracBits: number): Format {
  const signBit = kind === 'UQ' ? 0 : 1;
  const minimum = kind === 'SQ' ? 0 : Number.NEGATIVE_INFINITY;
  check(
    Number.isInteger(intBits) && intBits >= minimum && Math.abs(intBits) <= 4096,
    () => `format: integer bits must be a whole number${kind === 'SQ' ? ' ≥ 0' : ''}, got ${intBits}`,
    'format',
  );
  check(
    Number.isInteger(fracBits) && fracBits >= minimum && Math.abs(fracBits) <= 4096,
    () => `format: fractional bits must be a whole number${kind === 'SQ' ? ' ≥ 0' : ''}, got ${fracBits}`,
    'format',
  );
  const bits = intBits + fracBits + signBit;
  const plain = intBits >= 0 && fracBits >= 0;
  const spec = plain
    ? `${kind}${intBits}.${fracBits}`
    : `ap_${kind === 'UQ' ? 'u' : ''}fixed<${bits},${intBits + signBit}>`;
  const cached = interned.get(spec);
  if (cached) return cached;
  check(
    bits >= 1 && bits <= MAX_BITS,
    () => `format ${quote(spec)} has ${bits} total bits; fxnn supports 1 to ${MAX_BITS}`,
    'format',
  );
  const magnitude = 1n << BigInt(intBits + fracBits);
  const minCode = kind === 'Q' ? -magnitude : kind === 'SQ' ? -(magnitude - 1n) : 0n;
  const maxCode = magnitude - 1n;
  const format: Format = Object.freeze({
    spec,
    kind,
    encoding: kind === 'Q' ? 'twos-complement' : kind === 'SQ' ? 'symmetric' : 'unsigned',
    intBits,
    fracBits,
    bits,
    minCode,
    maxCode,
    size: maxCode - minCode + 1n,
    hasOne: intBits >= 1 && fracBits >= 0,
    small: bits <= FAST_PATH_BITS && fracBits >= 0,
  } as const);
  interned.set(spec, format);
  return format;
}

/** True for formats of the Qm.n family with m, n ≥ 0 (what the expressivity engine handles). */
export function isPlainFormat(format: Format): boolean {
  return format.intBits >= 0 && format.fracBits >= 0;
}

const SPEC_Q = /^(SQ|UQ|Q)(\d+)\.(\d+)$/i;

/**
 * Parses a format: `Qm.n`, `SQm.n`, `UQm.n`, or an HLS spelling `ap_fixed<W,I[,Q[,O[,N]]]>`
 * (= two's complement with I−1 integer and W−I fractional bits), `ap_ufixed<W,I[,…]>` (unsigned, I
 * integer bits), `ap_int<W>` (= ap_fixed<W,W>), `ap_uint<W>` (= ap_ufixed<W,W>). Only the format is
 * returned; the modes of an HLS spelling are read by `parseFixedType` (fixed-type.ts).
 */
export function parseFormat(spec: string | Format): Format {
  if (typeof spec !== 'string') {
    check(
      typeof spec === 'object' && spec !== null && interned.get(spec.spec) === spec,
      () => `format: expected a spec string or a Format, got ${quote(spec)}`,
      'format',
    );
    return spec;
  }
  const text = spec.trim();
  const q = SPEC_Q.exec(text);
  if (q) {
    const kind = q[1].toUpperCase() as FormatKind;
    const bits = Number(q[2]) + Number(q[3]) + (kind === 'UQ' ? 0 : 1);
    checkBits(text, bits);
    return makeFormat(kind, Number(q[2]), Number(q[3]));
  }
  const hls = parseHlsSpelling(text);
  if (hls) return hls.format;
  throw new FxnnError(
    floatSpecHint(text) ??
      `unknown format ${quote(spec)}: expected Qm.n, SQm.n, UQm.n, ap_fixed<W,I[,Q,O,N]>, ap_ufixed<W,I[,Q,O,N]>, ap_int<W>, ap_uint<W>, or a float format (E4M3, E5M2, fp16, bf16, EeMm, EeMmFN)`,
    'format',
  );
}

/** An HLS type spelling: its format and the mode names written in it (not yet validated). */
export interface HlsSpelling {
  readonly format: Format;
  readonly quantization?: string;
  readonly overflow?: string;
  readonly saturationBits?: number;
}

const SPEC_AP_FIXED = /^ap_(u?)fixed\s*<([^<>]*)>$/i;
const SPEC_AP_INT = /^ap_(u?)int\s*<\s*(\d+)\s*>$/i;

/**
 * Reads `ap_fixed<W,I[,Q[,O[,N]]]>`, `ap_ufixed<…>`, `ap_int<W>`, `ap_uint<W>`; null for other text.
 * W ≥ 1 (ap_fixed's own limit; fxnn stores at most 64 bits), I any integer, N ≥ 0.
 */
export function parseHlsSpelling(text: string): HlsSpelling | null {
  const int = SPEC_AP_INT.exec(text);
  if (int) {
    const width = Number(int[2]);
    checkBits(text, width);
    return { format: int[1] === '' ? makeFormat('Q', width - 1, 0) : makeFormat('UQ', width, 0) };
  }
  const ap = SPEC_AP_FIXED.exec(text);
  if (!ap) return null;
  const unsigned = ap[1] !== '';
  const args = ap[2].split(',').map((a) => a.trim());
  check(
    args.length >= 2 && args.length <= 5,
    () => `format ${quote(text)}: expected ap_${unsigned ? 'u' : ''}fixed<W,I[,Q[,O[,N]]]>`,
    'format',
  );
  const [w, i, quantization, overflow, n] = args;
  check(
    /^\d+$/.test(w),
    () => `format ${quote(text)}: W must be a whole number ≥ 1, got ${quote(w)}`,
    'format',
  );
  check(
    /^[+-]?\d+$/.test(i),
    () => `format ${quote(text)}: I must be a whole number, got ${quote(i)}`,
    'format',
  );
  const width = Number(w);
  const intPart = Number(i);
  checkBits(text, width);
  check(
    Math.abs(intPart) <= 4096,
    () => `format ${quote(text)}: I must be within ±4096, got ${intPart}`,
    'format',
  );
  let saturationBits: number | undefined;
  if (n !== undefined) {
    check(
      /^\d+$/.test(n) && Number(n) <= width,
      () =>
        `format ${quote(text)}: N (saturation bits) must be a whole number 0 … W = ${width}, got ${quote(n)}`,
      'format',
    );
    saturationBits = Number(n);
  }
  const format = unsigned
    ? makeFormat('UQ', intPart, width - intPart)
    : makeFormat('Q', intPart - 1, width - intPart);
  return {
    format,
    ...(quantization !== undefined && quantization !== '' ? { quantization } : {}),
    ...(overflow !== undefined && overflow !== '' ? { overflow } : {}),
    ...(saturationBits !== undefined ? { saturationBits } : {}),
  };
}

/** The total bits of a spec must be 1 to MAX_BITS; the message names the spec as the user wrote it. */
function checkBits(text: string, bits: number): void {
  check(
    bits >= 1 && bits <= MAX_BITS,
    () =>
      `format ${quote(text)} has ${Number.isSafeInteger(bits) ? bits : `more than ${Number.MAX_SAFE_INTEGER}`} total bits; fxnn supports 1 to ${MAX_BITS}`,
    'format',
  );
}

/** Every code of the format in increasing order (enumerate small formats only). */
export function* codesOf(format: Format): Generator<bigint> {
  for (let k = format.minCode; k <= format.maxCode; k++) yield k;
}
