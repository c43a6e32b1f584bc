/**
 * Rounding an exact rational into a float format (docs/float.md §2), the one place where float results
 * are rounded. Statement: for x ≠ 0 let E = ⌊log2|x|⌋ and E' = max(E, emin); the result is
 * N·2^(E'−m) with N = rnd(x·2^(m−E')) (gradual underflow: below 2^emin the unit stays 2^(emin−m)).
 * The result **overflows** iff |N|·2^(E'−m) > max, i.e. iff x rounded with an unbounded exponent range
 * exceeds max (IEEE 754 §7.4). Then `infinity` gives what IEEE 754 gives for the rounding mode (±∞ for
 * nearest modes, ±max toward zero, floor +max/−∞, ceil +∞/−max; NaN in place of ∞ in FN formats),
 * `saturate` ±max, `error` throws. A nonzero x that rounds to 0 keeps its sign.
 */
import { type Rational, scaledToDecimal } from '../core/rational.js';
import { roundQuotient } from '../core/rounding.js';
import { check, FxnnError, quote } from '../errors.js';
import { classify, decodeFinite, encodeFinite, type FloatFormat } from './float-format.js';

export const FLOAT_ROUNDINGS = ['nearest-even', 'nearest-away', 'toward-zero', 'floor', 'ceil'] as const;
export type FloatRounding = (typeof FLOAT_ROUNDINGS)[number];
export const FLOAT_OVERFLOWS = ['infinity', 'saturate', 'error'] as const;
export type FloatOverflow = (typeof FLOAT_OVERFLOWS)[number];

export interface FloatPolicy {
  readonly rounding: FloatRounding;
  readonly overflow: FloatOverflow;
}

export const DEFAULT_FLOAT_POLICY: FloatPolicy = Object.freeze({
  rounding: 'nearest-even',
  overflow: 'infinity',
});

/** Validates the modes of a float policy (`--rounding`, `--overflow`); defaults nearest-even, infinity. */
export function makeFloatPolicy(options: { rounding?: string; overflow?: string } = {}): FloatPolicy {
  const rounding = options.rounding ?? DEFAULT_FLOAT_POLICY.rounding;
  const overflow = options.overflow ?? DEFAULT_FLOAT_POLICY.overflow;
  check(
    (FLOAT_ROUNDINGS as readonly string[]).includes(rounding),
    () =>
      `unknown rounding ${quote(rounding)} for a float format: expected one of ${FLOAT_ROUNDINGS.join(', ')}`,
    'rounding',
  );
  check(
    (FLOAT_OVERFLOWS as readonly string[]).includes(overflow),
    () =>
      `unknown overflow ${quote(overflow)} for a float format: expected one of ${FLOAT_OVERFLOWS.join(', ')}`,
    'overflow',
  );
  return Object.freeze({ rounding: rounding as FloatRounding, overflow: overflow as FloatOverflow });
}

/** A rounded float result: the code (bit pattern) and whether overflow or rounding changed the value. */
export interface FloatResult {
  readonly code: number;
  readonly overflowed: boolean;
  readonly exact: boolean;
}

/** Raised under overflow `error`. */
export class FloatOverflowError extends FxnnError {
  constructor(message: string) {
    super(message, 'overflow');
    this.name = 'OverflowError';
  }
}

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/** The exact decimal of ±N·2^k (k any integer). */
export function scaledDyadicText(N: bigint, k: number): string {
  return k >= 0 ? (N << BigInt(k)).toString() : scaledToDecimal(N * 5n ** BigInt(-k), -k);
}

/** The text of a code: an exact decimal (`-0` for negative zero), `inf`, `-inf` or `nan`. */
export function floatCodeText(code: number, f: FloatFormat): string {
  const c = classify(code, f);
  if (c === 'nan') return 'nan';
  if (c === 'infinite') return code >= f.signBit ? '-inf' : 'inf';
  const { negative, M, q } = decodeFinite(code, f);
  if (M === 0) return negative ? '-0' : '0';
  return scaledDyadicText(BigInt(negative ? -M : M), q);
}

/** The exact value of a finite code (−0 → 0). */
export function floatCodeRational(code: number, f: FloatFormat): Rational {
  const { negative, M, q } = decodeFinite(code, f);
  const s = BigInt(negative ? -M : M);
  return q >= 0 ? { num: s << BigInt(q), den: 1n } : { num: s, den: 1n << BigInt(-q) };
}

/** The result of an overflow of a value of the given sign under the policy (ignoring `error`). */
export function overflowCode(negative: boolean, f: FloatFormat, policy: FloatPolicy): number {
  const sign = negative ? f.signBit : 0;
  const toMax = (): number => sign + f.maxCode;
  const toInf = (): number => sign + (f.fn ? f.nanCode : f.infCode);
  if (policy.overflow === 'saturate') return toMax();
  switch (policy.rounding) {
    case 'toward-zero':
      return toMax();
    case 'floor':
      return negative ? toInf() : toMax();
    case 'ceil':
      return negative ? toMax() : toInf();
    default:
      return toInf();
  }
}

/**
 * Rounds (−1)^negative · p/q (p ≥ 0, q > 0) into the format. p = 0 gives ±0 by `negative` (exact).
 */
export function roundRationalToFloat(
  negative: boolean,
  p: bigint,
  q: bigint,
  f: FloatFormat,
  policy: FloatPolicy,
): FloatResult {
  const sign = negative ? f.signBit : 0;
  if (p === 0n) return { code: sign, overflowed: false, exact: true };
  const m = f.manBits;
  const L = bitLength(p) - bitLength(q);
  // E = ⌊log2(p/q)⌋ is L or L − 1
  const atLeast = L >= 0 ? p >= q << BigInt(L) : p << BigInt(-L) >= q;
  const E = atLeast ? L : L - 1;
  const Eu = Math.max(E, f.emin);
  const s = m - Eu; // N = rnd(p·2^s/q)
  const pp = s >= 0 ? p << BigInt(s) : p;
  const qq = s >= 0 ? q : q << BigInt(-s);
  const r = roundQuotient(negative ? -pp : pp, qq, policy.rounding);
  const N = r.value < 0n ? -r.value : r.value;
  if (N === 0n) return { code: sign, overflowed: false, exact: false };
  if (Eu > f.emax || (Eu === f.emax && N > BigInt(f.maxSignificand))) {
    if (policy.overflow === 'error') {
      throw new FloatOverflowError(
        `overflow: ${negative ? '-' : ''}${exactText(p, q)} rounds to ${scaledDyadicText(negative ? -N : N, Eu - m)} (${policy.rounding}), beyond the range of ${f.spec} [${floatCodeText(f.signBit + f.maxCode, f)}, ${floatCodeText(f.maxCode, f)}]`,
      );
    }
    return { code: overflowCode(negative, f, policy), overflowed: true, exact: false };
  }
  return { code: encodeFinite(negative, Number(N), Eu, f), overflowed: false, exact: r.exact };
}

/** p/q as an exact decimal when it has one (denominator 2^a·5^b), else `p/q`. */
function exactText(p: bigint, q: bigint): string {
  let d = q;
  let twos = 0;
  let fives = 0;
  while (d % 2n === 0n) {
    d /= 2n;
    twos++;
  }
  while (d % 5n === 0n) {
    d /= 5n;
    fives++;
  }
  if (d !== 1n) return `${p}/${q}`;
  const digits = Math.max(twos, fives);
  return scaledToDecimal((p * 10n ** BigInt(digits)) / q, digits);
}

/** Rounds an exact rational (sign from the rational; zero is +0) into the format. */
export function roundRational(x: Rational, f: FloatFormat, policy: FloatPolicy): FloatResult {
  return x.num < 0n
    ? roundRationalToFloat(true, -x.num, x.den, f, policy)
    : roundRationalToFloat(false, x.num, x.den, f, policy);
}
