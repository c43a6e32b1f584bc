/**
 * Small binary floating-point formats (docs/float.md §1): `E4M3` (= OCP E4M3FN), `E5M2` (OCP, IEEE-style),
 * `fp16` (= E5M10, IEEE binary16), `bf16` (= E8M7), any IEEE-style `EeMm` and any `EeMmFN` (no
 * infinities; the all-ones pattern S.1…1.1…1 is the only NaN). Codes are the bit patterns, unsigned
 * integers 0 … 2^bits − 1: sign bit, e exponent bits, m mantissa bits. A finite value is
 * (−1)^s · M · 2^(E − m) with M = 2^m + mantissa and E = field − bias for a normal value, M = mantissa
 * and E = emin = 1 − bias for a subnormal (field 0). Immutable and interned like fixed-point formats.
 */
import { check, FxnnError, quote } from '../errors.js';

export interface FloatFormat {
  /** Canonical spec: `E4M3`, `E5M2`, `fp16`, `bf16`, `E3M4`, `E2M1FN`, … */
  readonly spec: string;
  readonly kind: 'float';
  readonly expBits: number;
  readonly manBits: number;
  /** 1 + expBits + manBits. */
  readonly bits: number;
  readonly bias: number;
  /** No infinities; only the all-ones pattern (either sign) is NaN. */
  readonly fn: boolean;
  /** Least exponent of a normal value, 1 − bias (subnormals share it). */
  readonly emin: number;
  /** Exponent of the largest finite value. */
  readonly emax: number;
  /** Significand M of the largest finite value (2^(m+1) − 1, or 2^(m+1) − 2 in FN formats). */
  readonly maxSignificand: number;
  /** The sign bit, 2^(bits−1). */
  readonly signBit: number;
  /** Codes of the largest finite value, +∞ (−1 when absent) and the canonical (positive, quiet) NaN. */
  readonly maxCode: number;
  readonly infCode: number;
  readonly nanCode: number;
  /** Number of finite codes (+0 and −0 both counted). */
  readonly finiteCodes: number;
  /** True when 1 is a value. */
  readonly hasOne: boolean;
}

/** The rules of the generic spec: e ≥ 2, m ≥ 1, 1 + e + m ≤ 16. */
export const FLOAT_MAX_BITS = 16;

const interned = new Map<string, FloatFormat>();

const ALIASES: Record<string, [number, number, boolean]> = {
  E4M3: [4, 3, true],
  FP16: [5, 10, false],
  BF16: [8, 7, false],
};

function canonicalSpec(e: number, m: number, fn: boolean): string {
  if (e === 4 && m === 3 && fn) return 'E4M3';
  if (e === 5 && m === 10 && !fn) return 'fp16';
  if (e === 8 && m === 7 && !fn) return 'bf16';
  return `E${e}M${m}${fn ? 'FN' : ''}`;
}

/** The float format with e exponent bits, m mantissa bits, FN or IEEE-style (validated, interned). */
export function makeFloatFormat(e: number, m: number, fn: boolean): FloatFormat {
  check(
    !(e === 4 && m === 3 && !fn),
    () => 'format "E4M3" is the OCP format E4M3FN; an IEEE-style E4M3 is not offered',
    'format',
  );
  const spec = canonicalSpec(e, m, fn);
  const cached = interned.get(spec);
  if (cached) return cached;
  check(
    Number.isInteger(e) && e >= 2,
    () => `format ${quote(spec)}: needs at least 2 exponent bits (E2M… to E14M1)`,
    'format',
  );
  check(
    Number.isInteger(m) && m >= 1,
    () => `format ${quote(spec)}: needs at least 1 mantissa bit`,
    'format',
  );
  check(
    1 + e + m <= FLOAT_MAX_BITS,
    () => `format ${quote(spec)} has ${1 + e + m} bits; float formats have at most ${FLOAT_MAX_BITS}`,
    'format',
  );
  // E2M1FN: its all-ones pattern is NaN; with e = 2 and m = 1 an FN format still has values
  const bits = 1 + e + m;
  const bias = 2 ** (e - 1) - 1;
  const allOnes = 2 ** e - 1;
  const emax = (fn ? allOnes : allOnes - 1) - bias;
  const maxMantissa = fn ? 2 ** m - 2 : 2 ** m - 1;
  const maxField = fn ? allOnes : allOnes - 1;
  const signBit = 2 ** (bits - 1);
  const maxCode = maxField * 2 ** m + maxMantissa;
  const infCode = fn ? -1 : allOnes * 2 ** m;
  const nanCode = fn ? allOnes * 2 ** m + 2 ** m - 1 : allOnes * 2 ** m + 2 ** (m - 1);
  const format: FloatFormat = Object.freeze({
    spec,
    kind: 'float',
    expBits: e,
    manBits: m,
    bits,
    bias,
    fn,
    emin: 1 - bias,
    emax,
    maxSignificand: 2 ** m + maxMantissa,
    signBit,
    maxCode,
    infCode,
    nanCode,
    finiteCodes: 2 * (maxCode + 1),
    hasOne: emax >= 0,
  } as const);
  interned.set(spec, format);
  return format;
}

const SPEC = /^E(\d+)M(\d+)(FN(?:UZ)?)?$/i;

/** True when the text names a float format (so commands dispatch on it). */
export function isFloatSpec(spec: unknown): boolean {
  if (typeof spec !== 'string') return typeof spec === 'object' && spec !== null && 'expBits' in spec;
  const text = spec.trim();
  return SPEC.test(text) || text.toUpperCase() in ALIASES;
}

/**
 * The error for a familiar float name fxnn does not offer (`fp32`, `float64`, `fp8`), or null: one
 * line saying what to use instead.
 */
export function floatSpecHint(text: string): string | null {
  const m = /^(?:fp|float|f|bf|bfloat)(\d+)$/i.exec(text.trim());
  if (!m) return null;
  const bits = Number(m[1]);
  if (bits === 8)
    return `format ${quote(text)}: FP8 is two formats, E4M3 (OCP E4M3FN, max 448) and E5M2 (max 57344, ±∞): name one`;
  if (bits > FLOAT_MAX_BITS)
    return `format ${quote(text)}: float formats have at most ${FLOAT_MAX_BITS} bits (fp16, bf16, E4M3, E5M2, EeMm, EeMmFN)`;
  return null;
}

/** Parses `E4M3`, `E5M2`, `fp16`, `bf16`, `EeMm`, `EeMmFN` (case-insensitive). */
export function parseFloatFormat(spec: string | FloatFormat): FloatFormat {
  if (typeof spec !== 'string') {
    check(
      typeof spec === 'object' && spec !== null && interned.get(spec.spec) === spec,
      () => `format: expected a spec string or a FloatFormat, got ${quote(spec)}`,
      'format',
    );
    return spec;
  }
  const text = spec.trim();
  const alias = ALIASES[text.toUpperCase()];
  if (alias) return makeFloatFormat(...alias);
  const match = SPEC.exec(text);
  if (!match) {
    throw new FxnnError(
      `unknown float format ${quote(spec)}: expected E4M3, E5M2, fp16, bf16, EeMm or EeMmFN`,
      'format',
    );
  }
  const e = Number(match[1]);
  const m = Number(match[2]);
  const suffix = (match[3] ?? '').toUpperCase();
  if (suffix === 'FNUZ') {
    throw new FxnnError(
      `format ${quote(text)}: FNUZ formats (no −0, NaN = 0x80) are not supported; use E${e}M${m}FN or E${e}M${m}`,
      'format',
    );
  }
  check(
    e >= 2,
    () => `format ${quote(text)}: needs at least 2 exponent bits (e ≥ 2; E0M… and E1M… are not floats)`,
    'format',
  );
  check(m >= 1, () => `format ${quote(text)}: needs at least 1 mantissa bit (m ≥ 1)`, 'format');
  check(
    1 + e + m <= FLOAT_MAX_BITS,
    () =>
      `format ${quote(text)} has ${1 + e + m} bits (1 + ${e} + ${m}); float formats have at most ${FLOAT_MAX_BITS}`,
    'format',
  );
  // `E4M3` is the OCP format (FN); every other EeMm is IEEE-style
  return makeFloatFormat(e, m, suffix === 'FN' || (e === 4 && m === 3));
}

/** What a code denotes. */
export type FloatClass = 'zero' | 'subnormal' | 'normal' | 'infinite' | 'nan';

export function classify(code: number, f: FloatFormat): FloatClass {
  const mag = code & (f.signBit - 1);
  const field = mag >>> f.manBits;
  const mant = mag & (2 ** f.manBits - 1);
  const allOnes = 2 ** f.expBits - 1;
  if (field === allOnes) {
    if (f.fn) return mant === 2 ** f.manBits - 1 ? 'nan' : 'normal';
    return mant === 0 ? 'infinite' : 'nan';
  }
  if (field === 0) return mant === 0 ? 'zero' : 'subnormal';
  return 'normal';
}

export function isNaNCode(code: number, f: FloatFormat): boolean {
  return classify(code, f) === 'nan';
}

/** A finite code as sign, significand M and exponent of its unit q = E − m (value (−1)^s·M·2^q). */
export function decodeFinite(code: number, f: FloatFormat): { negative: boolean; M: number; q: number } {
  const negative = code >= f.signBit;
  const mag = code & (f.signBit - 1);
  const field = mag >>> f.manBits;
  const mant = mag & (2 ** f.manBits - 1);
  return field === 0
    ? { negative, M: mant, q: f.emin - f.manBits }
    : { negative, M: 2 ** f.manBits + mant, q: field - f.bias - f.manBits };
}

/**
 * The code of (−1)^s·N·2^(E − m) for E ≥ emin and N ≤ 2^(m+1) with the value within the finite range
 * (the caller has applied overflow). N = 2^(m+1) carries into the next binade.
 */
export function encodeFinite(negative: boolean, N: number, E: number, f: FloatFormat): number {
  const m = f.manBits;
  let n = N;
  let e = E;
  if (n === 2 ** (m + 1)) {
    n = 2 ** m;
    e += 1;
  }
  const sign = negative ? f.signBit : 0;
  if (n < 2 ** m) return sign + n; // subnormal or zero (only when E = emin)
  return sign + (e + f.bias) * 2 ** m + (n - 2 ** m);
}

/** Every finite code in increasing order of value, −0 omitted (the inputs of tables). */
export function finiteCodesAscending(f: FloatFormat): Int32Array {
  const out = new Int32Array(f.finiteCodes - 1);
  let i = 0;
  for (let c = f.signBit + f.maxCode; c > f.signBit; c--) out[i++] = c;
  for (let c = 0; c <= f.maxCode; c++) out[i++] = c;
  return out;
}
