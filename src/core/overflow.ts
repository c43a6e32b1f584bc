import { FxnnError } from '../errors.js';
import type { Format } from '../format.js';
import type { Overflow, Policy } from '../policy.js';
import { dyadicToDecimal } from './rational.js';

/**
 * Raised under overflow mode `error` when a result leaves the format's range. `beyond` says the
 * code is only a bound (the value is at least max + ε, or at most min − ε, and was not computed).
 */
export class OverflowError extends FxnnError {
  constructor(code: bigint, format: Format, beyond?: 'above' | 'below') {
    const what =
      beyond === undefined
        ? dyadicToDecimal(code, format.fracBits)
        : `a value ${beyond === 'above' ? '≥' : '≤'} ${dyadicToDecimal(code, format.fracBits)}`;
    super(
      `overflow: ${what} is outside ${format.spec} ` +
        `[${dyadicToDecimal(format.minCode, format.fracBits)}, ${dyadicToDecimal(format.maxCode, format.fracBits)}]`,
      'overflow',
    );
    this.name = 'OverflowError';
  }
}

/** `wrap` keeps low bits of a two's complement or unsigned code; SQ has no such encoding. */
function wrapOnSymmetric(format: Format, mode: Overflow): FxnnError {
  return new FxnnError(
    `overflow "${mode}" is not defined for the symmetric format ${format.spec}; use saturate or error`,
    'overflow',
  );
}

/**
 * Brings an integer code (already rounded to the format's grid) into the format's range (THEORY §2,
 * docs/model.md "Overflow"). The single overflow step of every operation, activation and cast:
 * - `saturate` clamps to [min, max] (±max for SQ);
 * - `saturate-zero` gives 0 for any code outside the range (AP_SAT_ZERO);
 * - `saturate-symmetric` clamps to [−max, max]: the most negative code of a two's complement format
 *   is an overflow too (AP_SAT_SYM; for unsigned formats it is `saturate`);
 * - `wrap` keeps the low `bits` bits (two's complement for Q, modulo 2^bits for UQ); with N =
 *   `saturationBits` > 0 and an overflow, ap_fixed's AP_WRAP with N: for Q the sign bit becomes the
 *   sign of the exact code and the N−1 bits below it its complement; for UQ the top N bits become 1;
 * - `wrap-sign-magnitude` (AP_WRAP_SM, Q only): the wrapped bits, complemented where ap_fixed's
 *   overflow_adjust complements them (stated bit by bit in docs/model.md);
 * - `error` throws.
 * `overflowed` is true when the code was outside the range (or, for `saturate-symmetric`, was min).
 */
export function applyOverflow(
  code: bigint,
  format: Format,
  mode: Overflow,
  saturationBits = 0,
): { code: bigint; overflowed: boolean } {
  if (code >= format.minCode && code <= format.maxCode) {
    if (mode === 'saturate-symmetric' && code === format.minCode && format.kind === 'Q') {
      return { code: -format.maxCode, overflowed: true };
    }
    return { code, overflowed: false };
  }
  switch (mode) {
    case 'saturate':
      return { code: code < format.minCode ? format.minCode : format.maxCode, overflowed: true };
    case 'saturate-symmetric':
      return {
        code: code > format.maxCode ? format.maxCode : format.kind === 'UQ' ? 0n : -format.maxCode,
        overflowed: true,
      };
    case 'saturate-zero':
      return { code: 0n, overflowed: true };
    case 'wrap':
    case 'wrap-sign-magnitude': {
      if (format.kind === 'SQ') throw wrapOnSymmetric(format, mode);
      return { code: wrapBits(code, format, mode, saturationBits), overflowed: true };
    }
    default:
      throw new OverflowError(code, format);
  }
}

/** The bit pattern arithmetic of `wrap` and `wrap-sign-magnitude` for a code outside the range. */
function wrapBits(code: bigint, format: Format, mode: Overflow, n: number): bigint {
  const w = BigInt(format.bits);
  const modulus = 1n << w;
  const mask = modulus - 1n;
  let v = code & mask; // the low W bits (BigInt & is two's complement on negatives)
  const bit = (x: bigint, i: number) => (x >> BigInt(i)) & 1n;
  const setRange = (x: bigint, lo: number, hi: number, ones: boolean): bigint => {
    if (hi < lo) return x;
    const m = ((1n << BigInt(hi - lo + 1)) - 1n) << BigInt(lo);
    return ones ? x | m : x & ~m;
  };
  const top = format.bits - 1;
  const negative = code < 0n;
  if (format.kind === 'UQ') {
    // ap_ufixed AP_WRAP with N: bits W−N … W−1 set to 1 (for overflow and underflow alike).
    if (n > 0) v = setRange(v, format.bits - n, top, true);
    return v;
  }
  if (mode === 'wrap') {
    if (n > 0) {
      v = negative ? v | (1n << BigInt(top)) : v & ~(1n << BigInt(top));
      if (n > 1) v = setRange(v, format.bits - n, top - 1, !negative);
    }
  } else if (n === 0) {
    // AP_WRAP_SM, N = 0: when bit W of the exact code differs from the wrapped sign bit, complement.
    if (bit(code, format.bits) !== bit(v, top)) v = ~v & mask;
  } else {
    if (n === 1) {
      if ((negative ? 1n : 0n) !== bit(v, top)) v = ~v & mask;
    } else {
      if (bit(v, format.bits - n) === (negative ? 1n : 0n)) v = ~v & mask;
      v = setRange(v, format.bits - n, top - 1, !negative);
    }
    v = negative ? v | (1n << BigInt(top)) : v & ~(1n << BigInt(top));
  }
  return v >= modulus >> 1n ? v - modulus : v;
}

/** `applyOverflow` with a policy's mode and saturation bits. */
export function overflowWith(
  code: bigint,
  format: Format,
  policy: Policy,
): { code: bigint; overflowed: boolean } {
  return applyOverflow(code, format, policy.overflow, policy.saturationBits ?? 0);
}

/**
 * The number kernel of `applyOverflow` for small formats; returns the code (overflow is not
 * reported). Modes beyond saturate/wrap/error go through the BigInt definition for out-of-range
 * codes only (in-range codes return at once), so both paths follow one definition.
 */
export function overflowClamp(format: Format, mode: Overflow, saturationBits = 0): (code: number) => number {
  const min = Number(format.minCode);
  const max = Number(format.maxCode);
  switch (mode) {
    case 'saturate':
      return (c) => Math.min(Math.max(c, min), max);
    case 'wrap': {
      if (format.kind === 'SQ') throw wrapOnSymmetric(format, mode);
      if (saturationBits > 0) break;
      const modulus = 2 ** format.bits;
      return (c) => {
        if (c >= min && c <= max) return c;
        let low = (c - min) % modulus;
        if (low < 0) low += modulus;
        return low + min;
      };
    }
    case 'error':
      return (c) => {
        if (c < min || c > max) throw new OverflowError(BigInt(c), format);
        return c;
      };
    default:
      break;
  }
  if (mode === 'wrap-sign-magnitude' && format.kind === 'SQ') throw wrapOnSymmetric(format, mode);
  const low = mode === 'saturate-symmetric' && format.kind === 'Q' ? min + 1 : min;
  return (c) =>
    c >= low && c <= max ? c : Number(applyOverflow(BigInt(c), format, mode, saturationBits).code);
}
