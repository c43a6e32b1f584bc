/**
 * Correctly rounded activations into float formats (docs/float.md §5): σ_F(x) = rnd_F(σ(x)) for every
 * finite x, every rounding and overflow mode, every float format (up to 14 exponent bits). The decision
 * machinery is the fixed-point one (docs/activations.md): a rounding of σ(x) into a float format is the
 * fixed-point rounding at the unit 2^(E'−m) of σ(x)'s binade E' = max(⌊log2|σ(x)|⌋, emin), and that
 * rounding is the float rounding for every value of the closed binade [2^E', 2^(E'+1)] (below 2^(emin+1)
 * for E' = emin). Per point, in turn: the exact number path (σ(x) rational), the double path where x is a
 * double (the kernel's bracket of σ(x)·2^(m−E'), accepted only inside that binade, which also fixes the
 * sign of a result that rounds to 0), the small-argument path (exact-rational enclosures for |x| ≤ 2^-12,
 * both ends rounded), the exact rational path, then the decimal fallback at 40, 80, … digits, where far
 * tails (below 2^-8200) beside a head that is a value are decided from codes.
 */
import type { Decimal } from 'decimal.js';
import type { Activation } from '../activations/activation.js';
import { decideDecimal, decideNumber } from '../activations/decide.js';
import { DomainError, Indeterminate, intervalArithmetic } from '../activations/decimal-interval.js';
import { HEAD, TAIL, TINY_SIGN } from '../activations/kernel.js';
import {
  decimalBracket,
  FALLBACK_DIGITS,
  type RoundingStats,
  scaledBracket,
} from '../activations/rounded.js';
import { add, type Rational, sub } from '../core/rational.js';
import { roundQuotientNumber } from '../core/rounding.js';
import { check, FxnnError } from '../errors.js';
import { parseValue } from '../value.js';
import { floatFastOps } from './float-fast.js';
import { decodeFinite, encodeFinite, type FloatFormat, finiteCodesAscending } from './float-format.js';
import {
  FloatOverflowError,
  type FloatPolicy,
  floatCodeText,
  overflowCode,
  roundRational,
} from './float-rounding.js';
import { isFiniteCode } from './float-value.js';

/** Most exponent bits of a float format activations are computed on (every float format: e + m + 1 ≤ 16). */
export const FLOAT_ACTIVATION_MAX_EXP_BITS = 14;

/** Table entry of a point whose σ value overflows under overflow `error`. */
export const FLOAT_OVERFLOW_SENTINEL = -1;

function floorLog2(v: number): number {
  let E = Math.floor(Math.log2(v));
  if (2 ** E > v) E--;
  else if (2 ** (E + 1) <= v) E++;
  return E;
}

/** ⌊log2 |v|⌋ for a nonzero decimal, possibly off by one (the binade search corrects it). */
function decimalFloorLog2(v: Decimal): number {
  const a = v.abs();
  const n = a.toNumber();
  if (n > 0 && Number.isFinite(n) && n >= 2 ** -1000) return floorLog2(n);
  // v = d·10^e with 1 ≤ d < 10: log2 v = e·log2(10) + log2(d)
  const e = a.e;
  const d = a.div(new (a.constructor as typeof Decimal)(10).pow(e)).toNumber();
  return Math.floor(e * Math.log2(10) + Math.log2(d));
}

/** A decided point: the exact σ(x), the signed rounded integer N at the unit 2^(Eu − m), or the code. */
type Decided = { exact: Rational } | { N: bigint; Eu: number; negative: boolean } | { code: number };

/**
 * The code beside a value: σ(x) = value(H) + s·δ with 0 < δ below a quarter of the format's finest
 * spacing near H (H a finite code). Nearest modes give H; the directed modes H or its neighbour on the
 * side of s (codes are ordered like values within a sign; −0 and +0 are the neighbours of ∓min
 * subnormal). A neighbour beyond max is an overflow (IEEE 754: max + δ rounds to max + ulp unbounded).
 */
function besideCode(H: number, s: number, f: FloatFormat, policy: FloatPolicy): number {
  const mag = H & (f.signBit - 1);
  const negative = H >= f.signBit;
  let out = H;
  if (mag === 0) {
    // value s·δ: a nonzero value keeps its sign
    const sign = s < 0 ? f.signBit : 0;
    const away = policy.rounding === (s < 0 ? 'floor' : 'ceil');
    return sign + (away ? 1 : 0);
  }
  const towardZero = s > 0 === negative;
  switch (policy.rounding) {
    case 'floor':
      if (s < 0) out = negative ? H + 1 : H - 1;
      break;
    case 'ceil':
      if (s > 0) out = negative ? H - 1 : H + 1;
      break;
    case 'toward-zero':
      if (towardZero) out = H - 1;
      break;
    default:
      break;
  }
  if ((out & (f.signBit - 1)) > f.maxCode) {
    return policy.overflow === 'error' ? FLOAT_OVERFLOW_SENTINEL : overflowCode(negative, f, policy);
  }
  return out;
}

/**
 * A far tail (`tinyLog2` ≤ emin − m − 2: σ(x) strictly between head and head ± 2^tinyLog2, below a quarter
 * of the least subnormal) decided from codes when the head is 0, x itself or another value of the format:
 * no digits of x or of the head are expanded. Null when the head is not a value.
 */
function farTiny(
  enc: ReturnType<Activation['kernel']['enclose']>,
  x: Rational,
  code: number,
  f: FloatFormat,
  policy: FloatPolicy,
): number | null {
  if (enc.tinySign === 0 || enc.tinyLog2 === undefined || enc.tinyLog2 > f.emin - f.manBits - 2) return null;
  const h = enc.head;
  if (h.num === 0n) return besideCode(0, enc.tinySign, f, policy);
  if (h.num * x.den === x.num * h.den) return besideCode(code, enc.tinySign, f, policy);
  // a small head (±1, −α): is it a value?
  if (h.num > 2n ** 64n || h.den > 2n ** 64n) return null;
  const r = roundRational(h, f, { rounding: 'nearest-even', overflow: 'saturate' });
  return r.exact ? besideCode(r.code, enc.tinySign, f, policy) : null;
}

function checkFormat(act: Activation, f: FloatFormat): void {
  check(
    act.domain === null,
    () => `activation ${act.key} is a lookup table over ${act.domain!.spec}; it has no values on ${f.spec}`,
    'activation',
  );
}

/** The double path: the kernel's estimate at x, bracketed in a binade and decided; null if undecided. */
function doublePath(
  act: Activation,
  f: FloatFormat,
  policy: FloatPolicy,
  x: number,
  scratch: Float64Array,
): Decided | null {
  const kernel = act.kernel;
  if (kernel.estimate === undefined || !kernel.estimate(x, scratch)) return null;
  const head = scratch[HEAD];
  const s = scratch[TINY_SIGN];
  const approx = s !== 0 ? head : head + scratch[TAIL];
  if (!Number.isFinite(approx)) return null;
  if (approx === 0 && s === 0) return null;
  const negative = approx !== 0 ? approx < 0 : s < 0;
  const m = f.manBits;
  let E = approx === 0 ? f.emin : floorLog2(Math.abs(approx));
  for (let attempt = 0; attempt < 3; attempt++) {
    const Eu = Math.max(E, f.emin);
    const b = scaledBracket(scratch, 2 ** (m - Eu));
    if (b === null) return null;
    // σ(x)·2^(m−Eu) must lie in ±[2^m, 2^(m+1)] (±(0, 2^(m+1)] at emin): compare lo, hi with bounds − k
    const big = 2 ** (m + 1) - (negative ? -b.k : b.k);
    const small = Eu > f.emin ? 2 ** m : 0;
    let tooSmall: boolean;
    let tooBig: boolean;
    if (!negative) {
      const bound = small - b.k;
      tooSmall = small > 0 ? b.lo < bound : !(b.lo > bound || (b.lo === bound && b.loOpen));
      tooBig = b.hi > big;
    } else {
      const bound = -small - b.k;
      tooSmall = small > 0 ? b.hi > bound : !(b.hi < bound || (b.hi === bound && b.hiOpen));
      tooBig = b.lo < -big;
    }
    if (tooSmall && tooBig) return null;
    if (tooSmall) {
      if (Eu === f.emin) return null;
      E = Eu - 1;
      continue;
    }
    if (tooBig) {
      E = Eu + 1;
      continue;
    }
    const N = decideNumber(b.k, b.lo, b.hi, b.loOpen, b.hiOpen, policy.rounding);
    if (Number.isNaN(N)) return null;
    return { N: BigInt(N), Eu, negative };
  }
  return null;
}

/** The decimal path at increasing digits (the fixed-point fallback's enclosures and decisions). */
function decimalPath(
  act: Activation,
  f: FloatFormat,
  policy: FloatPolicy,
  x: Rational,
  code: number,
): Decided {
  const m = f.manBits;
  for (const digits of FALLBACK_DIGITS) {
    const ia = intervalArithmetic(digits);
    let enc: ReturnType<typeof act.kernel.enclose>;
    try {
      enc = act.kernel.enclose(x, ia);
    } catch (e) {
      if (e instanceof Indeterminate) continue;
      if (e instanceof DomainError) throw undefinedAt(act, f, code, e);
      throw e;
    }
    const far = farTiny(enc, x, code, f, policy);
    if (far !== null) return { code: far };
    // σ(x) ≈ head + the tail's midpoint, as a decimal (its exponent may leave the double range)
    const headD = ia.rational(enc.head).lo;
    const approxD = enc.tail === null ? headD : ia.Lo.add(headD, ia.Lo.add(enc.tail.lo, enc.tail.hi).div(2));
    const negative = !approxD.isZero() ? approxD.isNegative() : enc.tinySign < 0;
    if (approxD.isZero() && enc.tinySign === 0) {
      const b = decimalBracket(enc, ia, 0);
      if ('exact' in b) return { exact: b.exact };
      continue;
    }
    let E = approxD.isZero() ? f.emin : decimalFloorLog2(approxD);
    for (let attempt = 0; attempt < 4; attempt++) {
      const Eu = Math.max(E, f.emin);
      const n = m - Eu;
      const b = decimalBracket(enc, ia, n);
      if ('exact' in b) {
        const r = b.exact;
        return {
          exact: n >= 0 ? { num: r.num, den: r.den << BigInt(n) } : { num: r.num << BigInt(-n), den: r.den },
        };
      }
      const k = b.k;
      const small = Eu > f.emin ? 2n ** BigInt(m) : 0n;
      const big = 2n ** BigInt(m + 1);
      const D = (v: bigint): Decimal => new ia.Lo(v.toString());
      let tooSmall: boolean;
      let tooBig: boolean;
      if (!negative) {
        const bound = D(small - k);
        tooSmall = small > 0n ? b.lo.lt(bound) : !(b.lo.gt(bound) || (b.lo.eq(bound) && b.loOpen));
        tooBig = b.hi.gt(D(big - k));
      } else {
        const bound = D(-small - k);
        tooSmall = small > 0n ? b.hi.gt(bound) : !(b.hi.lt(bound) || (b.hi.eq(bound) && b.hiOpen));
        tooBig = b.lo.lt(D(-big - k));
      }
      if (tooSmall && tooBig) break;
      if (tooSmall) {
        if (Eu === f.emin) break;
        E = Eu - 1;
        continue;
      }
      if (tooBig) {
        E = Eu + 1;
        continue;
      }
      const N = decideDecimal(k, b.lo, b.hi, b.loOpen, b.hiOpen, policy.rounding);
      if (N === null) break;
      return { N, Eu, negative };
    }
  }
  throw new FxnnError(
    `activation ${act.key}: could not decide the rounding of σ(${floatCodeText(code, f)}) in ${f.spec} with ${FALLBACK_DIGITS[FALLBACK_DIGITS.length - 1]} digits`,
    'activation',
  );
}

function undefinedAt(act: Activation, f: FloatFormat, code: number, e: DomainError): FxnnError {
  return new FxnnError(
    `activation ${act.key} is undefined at x = ${floatCodeText(code, f)} (${e.message})`,
    'activation',
  );
}

function rationalOf(code: number, f: FloatFormat): Rational {
  const { negative, M, q } = decodeFinite(code, f);
  const s = BigInt(negative ? -M : M);
  return q >= 0 ? { num: s << BigInt(q), den: 1n } : { num: s, den: 1n << BigInt(-q) };
}

/**
 * The exact number path: σ(x)·2^n = p/d from `exactScaled` (x = c·2^-n with safe integers c, p, d),
 * rounded with safe-integer arithmetic (scaling by powers of two is exact in doubles, and the quotient
 * is rounded by `roundQuotientNumber` from its exact remainder); NaN when it does not apply.
 */
function exactNumber(
  act: Activation,
  f: FloatFormat,
  policy: FloatPolicy,
  code: number,
  scratch: Float64Array,
): number {
  const scaled = act.kernel.exactScaled;
  if (scaled === undefined) return Number.NaN;
  const { negative, M, q } = decodeFinite(code, f);
  let c = negative ? -M : M;
  let n = -q;
  if (q > 0) {
    if (q > 38) return Number.NaN;
    c *= 2 ** q;
    n = 0;
  }
  if (n > 1000 || !scaled(c, n, scratch)) return Number.NaN;
  const p = scratch[0];
  const d = scratch[1];
  if (!(d > 0) || !Number.isSafeInteger(p) || !Number.isSafeInteger(d) || d > 2 ** 30) return Number.NaN;
  if (p === 0) return 0;
  if ((d & (d - 1)) === 0) {
    const k = floatFastOps(f, policy).roundInteger(p < 0, Math.abs(p), -n - Math.log2(d));
    return k === -1 ? FLOAT_OVERFLOW_SENTINEL : k;
  }
  // σ(x) = P/d·2^-n: E = ⌊log2(P/d)⌋ − n, N = rnd(P·2^j/d) with j = m − E' − n
  const P = Math.abs(p);
  const E0 = Math.floor(Math.log2(P)) - Math.floor(Math.log2(d)) + 1;
  let e = E0;
  while (P * 2 ** -e < d) e--;
  while (P * 2 ** -(e + 1) >= d) e++;
  const m = f.manBits;
  const Eu = Math.max(e - n, f.emin);
  const j = m - Eu - n;
  const num = P * 2 ** Math.max(j, 0);
  const den = d * 2 ** Math.max(-j, 0);
  if (!Number.isSafeInteger(num) || !Number.isSafeInteger(den)) return Number.NaN;
  const N = Math.abs(roundQuotientNumber(p < 0 ? -num : num, den, policy.rounding));
  if (N === 0) return p < 0 ? f.signBit : 0;
  if (Eu > f.emax || (Eu === f.emax && N > f.maxSignificand)) {
    return policy.overflow === 'error' ? FLOAT_OVERFLOW_SENTINEL : overflowCode(p < 0, f, policy);
  }
  return encodeFinite(p < 0, N, Eu, f);
}

/** σ(x) ≈ c·x for small x (the leading coefficient), where the small path may rescale x. */
const PROPORTIONAL: Record<string, Rational> = {
  tanh: { num: 1n, den: 1n },
  silu: { num: 1n, den: 2n },
  gelu: { num: 1n, den: 2n },
  'gelu-tanh': { num: 1n, den: 2n },
  mish: { num: 3n, den: 5n },
};

const TWO64 = 2n ** 64n;

/**
 * σ_F(x) for 0 < |x| ≤ 2^-12 from the exact-rational enclosures of small-argument.ts, or null. Below
 * 2^-64 the digits of x are not expanded (E14M1 reaches 2^-8191):
 * - sigmoid: σ(x) lies strictly between 1/2 and 1/2 ± 2^-65, where no rounding boundary lies (they are
 *   2^-(m+3) apart near 1/2), so σ_F(x) = rnd(1/2 ± 2^-100);
 * - softplus: σ(x) ∈ ln 2 ± |x|, decided by the enclosure at |x| = 2^-64;
 * - σ(x) = c·x·(1 + ρ(x)) with |ρ(x)| ≤ |x| and the sign of ρ fixed on each side of 0 (tanh, silu, gelu,
 *   gelu-tanh, mish, elu with c = α): σ(x) and 2^-j·σ(2^j·x), for 2^j·|x| ∈ [2^-64, 2^-63), both lie in
 *   the open interval between c·x and c·x·(1 ± 2^-63), which holds no rounding boundary (c·x is a grid
 *   point or at least 2^-(m+2)/den(c) away from one, relatively); rounding commutes with the scaling
 *   2^-j while the result stays normal (|c·x| ≥ 2^(emin+1)).
 */
function smallPath(
  act: Activation,
  f: FloatFormat,
  policy: FloatPolicy,
  code: number,
  x: Rational,
): number | null {
  const small = act.kernel.small;
  if (small === undefined) return null;
  const ax = x.num < 0n ? -x.num : x.num;
  if (ax * TWO64 >= x.den) {
    const enc = small(x);
    return enc === null ? null : roundEnds(enc.lo, enc.hi, f, policy);
  }
  const s = x.num < 0n ? -1n : 1n;
  const name = act.name;
  if (name === 'sigmoid') {
    return roundRational({ num: 2n ** 99n + s, den: 2n ** 100n }, f, policy).code;
  }
  if (name === 'softplus') {
    const enc = small({ num: 1n, den: TWO64 });
    if (enc === null) return null;
    const w = { num: 1n, den: TWO64 };
    return roundEnds(sub(enc.lo, w), add(enc.hi, w), f, policy);
  }
  let c = PROPORTIONAL[name];
  if (name === 'elu' && x.num < 0n) {
    const a = parseValue(act.params.alpha ?? '1', 'alpha');
    if (a.den <= 2n ** 20n && a.num !== 0n) c = a;
  }
  if (c === undefined) return null;
  // j with 2^j·|x| ∈ [2^-64, 2^-63): x = code·2^q
  const { M, q } = decodeFinite(code, f);
  const j = -64 - (q + Math.floor(Math.log2(M)));
  const emin = f.emin;
  // |c·x| ≥ 2^(emin+1): ⌊log2|x|⌋ + ⌊log2|c|⌋ − 1 ≥ emin + 1 (a safe lower bound)
  const cLog = bitLen(c.num < 0n ? -c.num : c.num) - bitLen(c.den) - 1;
  if (q + Math.floor(Math.log2(M)) + cLog < emin + 2) {
    const enc = small(x);
    return enc === null ? null : roundEnds(enc.lo, enc.hi, f, policy);
  }
  const xs = x.num < 0n ? -M : M;
  const sh = q + j; // the exponent of the unit of 2^j·x (about −64 − log2 M)
  const enc = small({ num: BigInt(xs), den: 2n ** BigInt(-sh) });
  if (enc === null) return null;
  const R = roundEnds(enc.lo, enc.hi, f, policy);
  if (R === null || R === FLOAT_OVERFLOW_SENTINEL) return null;
  const mag = R & (f.signBit - 1);
  const field = mag >>> f.manBits;
  if (field === 0 || field - j < 1) return null;
  return R - j * 2 ** f.manBits;
}

function bitLen(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/**
 * The code of every value in [lo, hi] (exact rationals) when both ends round alike (rounding is monotone),
 * else null; FLOAT_OVERFLOW_SENTINEL when both overflow under `error`.
 */
function roundEnds(lo: Rational, hi: Rational, f: FloatFormat, policy: FloatPolicy): number | null {
  const at = (v: Rational): number => {
    try {
      return roundRational(v, f, policy).code;
    } catch (e) {
      if (e instanceof FloatOverflowError) return FLOAT_OVERFLOW_SENTINEL;
      throw e;
    }
  };
  const a = at(lo);
  return a === at(hi) ? a : null;
}

/** σ_F at one finite code: the result code, or FLOAT_OVERFLOW_SENTINEL (overflow under `error`). */
function pointCode(
  act: Activation,
  f: FloatFormat,
  policy: FloatPolicy,
  code: number,
  stats: RoundingStats,
  scratch: Float64Array,
): number {
  stats.points++;
  const fast = exactNumber(act, f, policy, code, scratch);
  if (!Number.isNaN(fast)) {
    stats.exact++;
    return fast;
  }
  const { negative: xNeg, M, q } = decodeFinite(code, f);
  // the double path only where x is exactly a double (formats with more than 8 exponent bits reach
  // beyond: there x would round to 0 or ∞)
  const xd = (xNeg ? -M : M) * 2 ** q;
  let d = q >= -1074 && Number.isFinite(xd) ? doublePath(act, f, policy, xd, scratch) : null;
  if (d !== null) stats.double++;
  else {
    const r = rationalOf(code, f);
    const c = smallPath(act, f, policy, code, r);
    if (c !== null) {
      stats.exact++;
      return c;
    }
    let exact: Rational | null;
    try {
      exact = act.kernel.exact(r);
    } catch (e) {
      if (e instanceof DomainError) throw undefinedAt(act, f, code, e);
      throw e;
    }
    if (exact !== null) {
      stats.exact++;
      d = { exact };
    } else {
      stats.fallback++;
      d = decimalPath(act, f, policy, r, code);
    }
  }
  const errorMode = policy.overflow === 'error';
  try {
    if ('code' in d) return d.code;
    if ('exact' in d) return roundRational(d.exact, f, policy).code;
    const N = d.N < 0n ? -d.N : d.N;
    if (d.Eu > f.emax || (d.Eu === f.emax && N > BigInt(f.maxSignificand))) {
      if (errorMode) return FLOAT_OVERFLOW_SENTINEL;
      return overflowCode(d.negative, f, policy);
    }
    return encodeFinite(d.negative, Number(N), d.Eu, f);
  } catch (e) {
    if (e instanceof FloatOverflowError) return FLOAT_OVERFLOW_SENTINEL;
    throw e;
  }
}

const newStats = (): RoundingStats => ({
  points: 0,
  exact: 0,
  double: 0,
  fallback: 0,
  maxDigits: 0,
  millis: 0,
});

export interface FloatActivationTable {
  /** Every finite x code in increasing order of value (−0 omitted). */
  readonly inputs: Int32Array;
  /** σ_F code of each input (FLOAT_OVERFLOW_SENTINEL under `error` where σ(x) overflows). */
  readonly codes: Int32Array;
  /** σ_F code indexed by x code (every code; NaN at NaN and ±∞ inputs: σ(±∞) is not computed). */
  readonly byCode: Int32Array;
  readonly stats: Readonly<RoundingStats>;
}

const cache = new Map<string, FloatActivationTable>();

/** σ_F over every finite x of the format, cached per (activation, format, policy). */
export function floatActivationTable(
  act: Activation,
  f: FloatFormat,
  policy: FloatPolicy,
): FloatActivationTable {
  checkFormat(act, f);
  const key = `${act.key}|${f.spec}|${policy.rounding}|${policy.overflow}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const start = performance.now();
  const stats = newStats();
  const scratch = new Float64Array(4);
  const inputs = finiteCodesAscending(f);
  const codes = new Int32Array(inputs.length);
  const byCode = new Int32Array(2 ** f.bits).fill(f.nanCode);
  for (let i = 0; i < inputs.length; i++) {
    codes[i] = pointCode(act, f, policy, inputs[i], stats, scratch);
    byCode[inputs[i]] = codes[i];
  }
  // σ(−0) = σ(+0)
  byCode[f.signBit] = byCode[0];
  stats.millis = performance.now() - start;
  const table = Object.freeze({ inputs, codes, byCode, stats });
  if (cache.size >= 256) cache.delete(cache.keys().next().value as string);
  cache.set(key, table);
  return table;
}

/** σ_F(x) at one finite code; throws an overflow error under `error`. */
export function floatActivationAt(
  act: Activation,
  f: FloatFormat,
  policy: FloatPolicy,
  code: number,
): number {
  checkFormat(act, f);
  check(
    isFiniteCode(code, f),
    () => `activation ${act.key}: x = ${floatCodeText(code, f)} is not finite`,
    'x',
  );
  const c = pointCode(act, f, policy, code, newStats(), new Float64Array(4));
  if (c === FLOAT_OVERFLOW_SENTINEL) {
    // the exact-path message names the value; otherwise a generic one
    throw new FloatOverflowError(
      `overflow: σ(${floatCodeText(code, f)}) rounds beyond the range of ${f.spec} [${floatCodeText(f.signBit + f.maxCode, f)}, ${floatCodeText(f.maxCode, f)}]`,
    );
  }
  return c;
}
