/**
 * A slow, obviously correct reference for rnd and the four operations, written from THEORY §2–3
 * without using fxnn's kernels: exact values are fractions of bigints in real units, rounding is
 * decided by comparing exact distances to the two neighbouring grid points, wrap keeps the low bits
 * with `BigInt.asIntN` / `BigInt.asUintN`. Shared by the foundation tests (not a test file itself).
 */
import fc from 'fast-check';
import { type Format, makeFormat } from '../src/format.js';
import { OVERFLOW_MODES, type Overflow, ROUNDING_MODES, type Rounding } from '../src/policy.js';

/** An exact real number num/den (den > 0, not necessarily in lowest terms). */
export interface Frac {
  num: bigint;
  den: bigint;
}

export function frac(num: bigint, den = 1n): Frac {
  if (den === 0n) throw new Error('frac: zero denominator');
  return den < 0n ? { num: -num, den: -den } : { num, den };
}

/** The real value of code k in format f: k / 2^n. */
export function codeValue(k: bigint, f: Format): Frac {
  return frac(k, 2n ** BigInt(f.fracBits));
}

export function fracEq(a: Frac, b: Frac): boolean {
  return a.num * b.den === b.num * a.den;
}

export type RefOp = 'add' | 'sub' | 'mul' | 'div';

/** The exact real result of a op b. */
export function exactOp(op: RefOp, a: Frac, b: Frac): Frac {
  switch (op) {
    case 'add':
      return frac(a.num * b.den + b.num * a.den, a.den * b.den);
    case 'sub':
      return frac(a.num * b.den - b.num * a.den, a.den * b.den);
    case 'mul':
      return frac(a.num * b.num, a.den * b.den);
    case 'div':
      return frac(a.num * b.den, a.den * b.num);
  }
}

/** The greatest integer ≤ p/q (q > 0), checked by its defining inequalities. */
function floorOf(p: bigint, q: bigint): bigint {
  let k = p / q; // truncates toward zero
  if (k * q > p) k -= 1n;
  if (!(k * q <= p && p < (k + 1n) * q)) throw new Error('floorOf: internal error');
  return k;
}

/** The grid point (as an integer count of steps) that `mode` picks for x·2^n, before overflow. */
export function quantizeRef(x: Frac, f: Format, mode: Rounding): bigint {
  const p = x.num * 2n ** BigInt(f.fracBits); // x·2^n = p/q
  const q = x.den;
  const lo = floorOf(p, q);
  const hi = lo + 1n;
  if (lo * q === p) return lo;
  const positive = p > 0n;
  const dLo = p - lo * q; // distance to lo, times q
  const dHi = hi * q - p; // distance to hi, times q
  switch (mode) {
    case 'floor':
      return lo;
    case 'ceil':
      return hi;
    case 'toward-zero':
      return positive ? lo : hi;
  }
  if (dLo < dHi) return lo;
  if (dHi < dLo) return hi;
  switch (mode) {
    case 'nearest-even':
      return lo % 2n === 0n ? lo : hi;
    case 'nearest-away':
      return positive ? hi : lo;
    case 'nearest-up':
      return hi;
    case 'nearest-down':
      return lo;
    case 'nearest-zero':
      return positive ? lo : hi;
  }
}

export type RefResult = { code: bigint; overflowed: boolean; exact: boolean } | 'overflow-error';

/** rnd(x) = overflow(quantize(x)) with its flags, or 'overflow-error' under overflow mode `error`. */
export function rndRef(x: Frac, f: Format, rounding: Rounding, overflow: Overflow): RefResult {
  const k = quantizeRef(x, f, rounding);
  if (k >= f.minCode && k <= f.maxCode)
    return { code: k, overflowed: false, exact: fracEq(codeValue(k, f), x) };
  let code: bigint;
  if (overflow === 'error') return 'overflow-error';
  if (overflow === 'saturate') code = k < f.minCode ? f.minCode : f.maxCode;
  else if (f.kind === 'Q') code = BigInt.asIntN(f.bits, k);
  else if (f.kind === 'UQ') code = BigInt.asUintN(f.bits, k);
  else throw new Error('wrap is not defined for SQ');
  return { code, overflowed: true, exact: false };
}

/** Random formats of 1 to `maxBits` total bits, all three kinds. */
export function formatArb(maxBits = 64, minBits = 1): fc.Arbitrary<Format> {
  return fc
    .tuple(fc.constantFrom('Q', 'SQ', 'UQ'), fc.integer({ min: minBits, max: maxBits }))
    .chain(([kind, bits]) => {
      const magnitudeBits = kind === 'UQ' ? bits : bits - 1;
      return fc
        .integer({ min: 0, max: magnitudeBits })
        .map((m) => makeFormat(kind as 'Q' | 'SQ' | 'UQ', m, magnitudeBits - m));
    });
}

/** A rounding and an overflow mode valid for the format (no wrap for SQ). */
export function policyArb(f: Format): fc.Arbitrary<{ rounding: Rounding; overflow: Overflow }> {
  const overflows = OVERFLOW_MODES.filter((o) => !(o === 'wrap' && f.kind === 'SQ'));
  return fc.record({ rounding: fc.constantFrom(...ROUNDING_MODES), overflow: fc.constantFrom(...overflows) });
}

export function codeArb(f: Format): fc.Arbitrary<bigint> {
  return fc.bigInt({ min: f.minCode, max: f.maxCode });
}
