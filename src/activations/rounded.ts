import type { Decimal } from 'decimal.js';
import { roundCodeQuotient } from '../core/ops.js';
import { OverflowError, overflowWith } from '../core/overflow.js';
import { type Rational, ratio, sub } from '../core/rational.js';
import { roundQuotient, roundQuotientNumber } from '../core/rounding.js';
import { check, FxnnError } from '../errors.js';
import { beyondNumber, hugeForWrap, wrapsBeyondRange } from '../expression/decide-enclosure.js';
import type { Format } from '../format.js';
import type { Policy } from '../policy.js';
import { codeToDecimal } from '../value.js';
import type { Activation } from './activation.js';
import { decideDecimal, decideNumber } from './decide.js';
import {
  DomainError,
  Indeterminate,
  type Interval,
  type IntervalArithmetic,
  intervalArithmetic,
} from './decimal-interval.js';
import { type Enclosure, ERR, HEAD, TAIL, TINY, TINY_SIGN } from './kernel.js';

/** Table entry for a point whose σ value overflows under overflow mode `error`. */
export const OVERFLOW_SENTINEL = 0x7fffffff;

/** Largest format (in bits) `activationTable` builds. */
export const MAX_TABLE_BITS = 24;

/** Digits of the decimal fallback, tried in turn; beyond the last one σ_F(x) is reported undecidable. */
export const FALLBACK_DIGITS = [40, 80, 160, 320, 640, 1280, 2560, 5000] as const;

/** How the points of a table (or of `apply` calls) were decided. */
export interface RoundingStats {
  /** Points computed. */
  points: number;
  /** Decided exactly with rationals (σ(x) rational: piecewise-linear activations, σ(0), …). */
  exact: number;
  /** Decided by the double path. */
  double: number;
  /** Needed the decimal fallback. */
  fallback: number;
  /** Largest number of digits the fallback needed (0 if never used). */
  maxDigits: number;
  /** Milliseconds spent building (tables only). */
  millis: number;
}

export interface RoundedActivation {
  readonly activation: Activation;
  readonly format: Format;
  readonly policy: Policy;
  /** σ_F(x) for the code of x; throws OverflowError under overflow `error` when σ(x) overflows. */
  apply(code: bigint): bigint;
  /** How the points computed so far by `apply` were decided (table points are counted in the table's stats). */
  readonly stats: Readonly<RoundingStats>;
}

const newStats = (): RoundingStats => ({
  points: 0,
  exact: 0,
  double: 0,
  fallback: 0,
  maxDigits: 0,
  millis: 0,
});

/**
 * σ(x) for x = code·2^-n rounded to an integer code (before overflow). The double path decides when
 * its bracket lies inside one rounding cell; points where σ(x) is rational are rounded exactly; the
 * rest go to the decimal fallback at increasing precision.
 */
const SAFE = 2n ** 53n;

/**
 * The number paths for a safe-integer code c (x = c·2^-n): the exact number kernel, then the double
 * estimate decided by its bracket. Returns the rounded integer code (before overflow), or NaN when
 * neither decides. Counts what it decides in `stats`.
 */
function roundPointNumber(
  act: Activation,
  format: Format,
  policy: Policy,
  c: number,
  stats: RoundingStats,
  scratch: Float64Array,
): number {
  const kernel = act.kernel;
  const n = format.fracBits;
  const mode = policy.rounding;
  if (kernel.exactScaled !== undefined && n <= 30 && kernel.exactScaled(c, n, scratch)) {
    stats.exact++;
    return roundQuotientNumber(scratch[0], scratch[1], mode);
  }
  if (kernel.bracket !== undefined) {
    if (n > 60) return Number.NaN;
    const v = kernel.bracket(c / 2 ** n);
    if (v === null) return Number.NaN;
    const lo = v.lo * 2 ** n;
    const hi = v.hi * 2 ** n;
    let r = Number.NaN;
    if (Math.abs(lo) < 2 ** 52 && Math.abs(hi) < 2 ** 52) {
      r = decideNumber(0, lo, hi, v.loOpen === true, v.hiOpen === true, mode);
    }
    if (Number.isNaN(r)) {
      const beyond = beyondNumber(lo, hi, format, policy.overflow);
      if (beyond !== undefined) r = beyond === 'above' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    }
    if (!Number.isNaN(r)) stats.double++;
    return r;
  }
  if (kernel.estimate === undefined || n > 60) return Number.NaN;
  const scale = 2 ** n;
  if (!kernel.estimate(c / scale, scratch)) return Number.NaN;
  const b = scaledBracket(scratch, scale);
  const r = b === null ? Number.NaN : decideNumber(b.k, b.lo, b.hi, b.loOpen, b.hiOpen, mode);
  if (!Number.isNaN(r)) stats.double++;
  return r;
}

/** σ(x)·scale lies in k + [lo, hi] (each end open or closed); k an integer, lo and hi doubles. */
export interface Bracket {
  readonly k: number;
  readonly lo: number;
  readonly hi: number;
  readonly loOpen: boolean;
  readonly hiOpen: boolean;
}

/**
 * The bracket of σ(x)·scale from a kernel's double estimate in `scratch` (scale a power of two), or
 * null when head·scale is beyond 2^52. Shared by fixed-point tables (scale 2^fracBits) and float
 * formats (scale 2^(m − E) for the binade E of σ(x)).
 */
export function scaledBracket(scratch: Float64Array, scale: number): Bracket | null {
  const H = scratch[HEAD] * scale;
  if (!(Math.abs(H) < 2 ** 52)) return null;
  const k = Math.floor(H);
  const f = H - k;
  const s = scratch[TINY_SIGN];
  if (s !== 0) {
    // σ(x)·scale lies strictly between H and H ± TINY·scale; the moved end is pushed outward by at
    // least one ulp so that rounding the subtraction cannot pull it back to f
    // a larger bound is a weaker true claim: keep tau a positive double where TINY·scale underflows
    // (float formats with more than 8 exponent bits scale by 2^(m − E) down to 2^-8200)
    const tau = Math.max(TINY * scale, 2 ** -1074);
    const step = f === 0 ? tau : Math.max(tau, f * 2 ** -52);
    return s < 0
      ? { k, lo: f - step, hi: f, loOpen: false, hiOpen: true }
      : { k, lo: f, hi: f + step, loOpen: true, hiOpen: false };
  }
  const g = f + scratch[TAIL] * scale;
  const e = scratch[ERR] * scale;
  const err = e + 2 ** -50 * (Math.abs(g) + e) + 2 ** -1000;
  return { k, lo: g - err, hi: g + err, loOpen: false, hiOpen: false };
}

/**
 * The bracket of σ(x)·2^n (n any integer) from a decimal enclosure: k + [lo, hi] with k a bigint, or
 * the exact rational σ(x)·2^n when the enclosure is a single decimal.
 */
export function decimalBracket(
  enc: Enclosure,
  ia: IntervalArithmetic,
  n: number,
): { k: bigint; lo: Decimal; hi: Decimal; loOpen: boolean; hiOpen: boolean } | { exact: Rational } {
  const H =
    n >= 0 ? ratio(enc.head.num << BigInt(n), enc.head.den) : ratio(enc.head.num, enc.head.den << BigInt(-n));
  const k = floorRational(H);
  const f = sub(H, { num: k, den: 1n });
  const F = ia.rational(f);
  if (enc.tinySign !== 0) {
    const tau =
      enc.tinyLog2 === undefined ? ia.scale2(ia.point(TINY), n) : ia.scale2(ia.point(1), enc.tinyLog2 + n);
    return enc.tinySign < 0
      ? { k, lo: ia.Lo.sub(F.lo, tau.hi), hi: F.hi, loOpen: false, hiOpen: F.lo.eq(F.hi) }
      : { k, lo: F.lo, hi: ia.Hi.add(F.hi, tau.hi), loOpen: F.lo.eq(F.hi), hiOpen: false };
  }
  const P = ia.add(F, ia.scale2(enc.tail!, n));
  if (P.lo.eq(P.hi)) {
    const p = decimalToRational(P.lo);
    return { exact: ratio(k * p.den + p.num, p.den) };
  }
  return { k, lo: P.lo, hi: P.hi, loOpen: false, hiOpen: false };
}

/**
 * σ(x) for x = code·2^-n rounded to an integer code (before overflow): the number paths when the
 * code is a safe integer, else (or when they do not decide) the exact rational, else the decimal
 * fallback at increasing precision.
 */
function roundPoint(
  act: Activation,
  format: Format,
  policy: Policy,
  code: bigint,
  stats: RoundingStats,
  scratch: Float64Array,
): bigint {
  stats.points++;
  if (code > -SAFE && code < SAFE) {
    const r = roundPointNumber(act, format, policy, Number(code), stats, scratch);
    if (!Number.isNaN(r)) return fromNumber(r, format);
  }
  return roundPointSlow(act, format, policy, code, stats);
}

/**
 * A rounded code from the number paths: ±∞ stands for "beyond the range" (decided without the
 * value's digits, never under wrap), given as maxCode + 1 or minCode − 1, which overflow.
 */
function fromNumber(r: number, format: Format): bigint {
  if (r === Number.POSITIVE_INFINITY) return format.maxCode + 1n;
  if (r === Number.NEGATIVE_INFINITY) return format.minCode - 1n;
  return BigInt(r);
}

/** The exact rational path, then the decimal fallback. */
function roundPointSlow(
  act: Activation,
  format: Format,
  policy: Policy,
  code: bigint,
  stats: RoundingStats,
): bigint {
  const n = format.fracBits;
  const x = ratio(code, 1n << BigInt(n));
  let exact: Rational | null;
  try {
    exact = act.kernel.exact(x);
  } catch (e) {
    if (e instanceof DomainError) throw undefinedAt(act, format, code, e);
    throw e;
  }
  if (exact !== null) {
    stats.exact++;
    return roundQuotient(exact.num << BigInt(n), exact.den, policy.rounding).value;
  }
  stats.fallback++;
  return fallback(act, format, policy, x, stats);
}

function undefinedAt(act: Activation, format: Format, code: bigint, e: DomainError): FxnnError {
  return new FxnnError(
    `activation ${act.key} is undefined at x = ${codeToDecimal(code, format)} (${e.message})`,
    'activation',
  );
}

function floorRational(r: Rational): bigint {
  let q = r.num / r.den;
  if (r.num < 0n && q * r.den !== r.num) q -= 1n;
  return q;
}

function fallback(
  act: Activation,
  format: Format,
  policy: Policy,
  x: Rational,
  stats: RoundingStats,
): bigint {
  const n = format.fracBits;
  const scale = 1n << BigInt(n);
  let last: Interval | null = null;
  for (const digits of FALLBACK_DIGITS) {
    const ia = intervalArithmetic(digits);
    let enc: ReturnType<typeof act.kernel.enclose>;
    try {
      enc = act.kernel.enclose(x, ia);
    } catch (e) {
      if (e instanceof Indeterminate) continue;
      if (e instanceof DomainError) throw undefinedAt(act, format, (x.num * scale) / x.den, e);
      throw e;
    }
    stats.maxDigits = Math.max(stats.maxDigits, digits);
    // σ(x)·2^n = H + tail·2^n with H = k + f exact, 0 ≤ f < 1
    const H = ratio(enc.head.num * scale, enc.head.den);
    const k = floorRational(H);
    const f = sub(H, { num: k, den: 1n });
    const F = ia.rational(f);
    let result: bigint | null;
    if (enc.tinySign !== 0) {
      const tau = ia.scale2(ia.point(TINY), n);
      result =
        enc.tinySign < 0
          ? decideDecimal(k, ia.Lo.sub(F.lo, tau.hi), F.hi, false, F.lo.eq(F.hi), policy.rounding)
          : decideDecimal(k, F.lo, ia.Hi.add(F.hi, tau.hi), F.lo.eq(F.hi), false, policy.rounding);
    } else {
      const P = ia.add(F, ia.scale2(enc.tail!, n));
      last = P;
      if (wrapsBeyondRange(policy.overflow)) {
        // the code needs every integer digit: give up at once when even the most digits cannot hold them
        const huge = hugeForWrap(P, format, FALLBACK_DIGITS[FALLBACK_DIGITS.length - 1]);
        if (huge !== null) {
          const where = codeToDecimal(x.num * (scale / x.den), format);
          throw new FxnnError(`activation ${act.key} at x = ${where} in ${format.spec}: ${huge}`, 'overflow');
        }
      } else {
        // beyond the range: overflow whatever the digits (rounding is monotone and fixes integers)
        if (P.lo.gte((format.maxCode + 1n - k).toString())) return format.maxCode + 1n;
        if (P.hi.lte((format.minCode - 1n - k).toString())) return format.minCode - 1n;
      }
      if (P.lo.eq(P.hi) && P.lo.isFinite() && P.lo.e < 6000) {
        // the enclosure is a single decimal: σ(x) is exactly k + P, round it exactly
        const p = decimalToRational(P.lo);
        const v = ratio(k * p.den + p.num, p.den);
        return roundQuotient(v.num, v.den, policy.rounding).value;
      }
      result = decideDecimal(k, P.lo, P.hi, P.loOpen === true, P.hiOpen === true, policy.rounding);
    }
    if (result !== null) return result;
  }
  const top = FALLBACK_DIGITS[FALLBACK_DIGITS.length - 1];
  const where = codeToDecimal(x.num * (scale / x.den), format);
  if (last !== null && wrapsBeyondRange(policy.overflow)) {
    const huge = hugeForWrap(last, format, top);
    if (huge !== null) {
      throw new FxnnError(`activation ${act.key} at x = ${where} in ${format.spec}: ${huge}`, 'overflow');
    }
  }
  throw new FxnnError(
    `activation ${act.key}: could not decide the rounding of σ(${codeToDecimal(x.num * (scale / x.den), format)}) in ${format.spec} ` +
      `with ${FALLBACK_DIGITS[FALLBACK_DIGITS.length - 1]} digits (the value lies within 10^-${FALLBACK_DIGITS[FALLBACK_DIGITS.length - 1] - 10} of a rounding boundary)`,
    'activation',
  );
}

function decimalToRational(d: Decimal): Rational {
  const [mant, expText] = d.toExponential().split('e');
  const [ip, fp = ''] = mant.split('.');
  const digits = BigInt(`${ip}${fp}`);
  const e = Number(expText) - fp.length;
  return e >= 0 ? ratio(digits * 10n ** BigInt(e), 1n) : ratio(digits, 10n ** BigInt(-e));
}

interface Entry {
  table?: Int32Array;
  stats?: RoundingStats;
  rounded?: RoundedActivation;
}

const MAX_ENTRIES = 512;
const cache = new Map<string, Entry>();

function entryFor(act: Activation, format: Format, policy: Policy): Entry {
  const id = `${act.key}|${format.spec}|${policy.rounding}|${policy.overflow}|${policy.saturationBits ?? 0}`;
  let e = cache.get(id);
  if (!e) {
    if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
    e = {};
    cache.set(id, e);
  }
  return e;
}

function checkDomain(act: Activation, format: Format): void {
  check(
    act.domain === null || act.domain === format,
    () => `activation ${act.key} is a lookup table over ${act.domain!.spec}, not ${format.spec}`,
    'format',
  );
}

/** Brings a rounded integer into the format; under `error` an overflow gives null. */
function overflowCode(c: bigint, format: Format, policy: Policy): bigint | null {
  const inRange = c >= format.minCode && c <= format.maxCode;
  // saturate-symmetric also moves the most negative code of a two's complement format
  if (inRange && !(policy.overflow === 'saturate-symmetric' && c === format.minCode)) return c;
  if (policy.overflow === 'error') return null;
  return roundCodeQuotient(c, 1n, format, policy).code;
}

/**
 * The rounded activation σ_F(x) = rnd(σ(x)), correctly rounded in the policy's rounding and overflow
 * modes. Cached per (activation key, format, policy).
 */
export function roundedActivation(act: Activation, format: Format, policy: Policy): RoundedActivation {
  checkDomain(act, format);
  const entry = entryFor(act, format, policy);
  if (entry.rounded) return entry.rounded;
  const stats = newStats();
  const scratch = new Float64Array(4);
  const memo = new Map<bigint, bigint | null>();
  const rounded: RoundedActivation = Object.freeze({
    activation: act,
    format,
    policy,
    stats,
    apply(code: bigint): bigint {
      check(
        code >= format.minCode && code <= format.maxCode,
        () => `activation ${act.key}: code ${code} is not a code of ${format.spec}`,
        'code',
      );
      let out: bigint | null | undefined;
      if (entry.table !== undefined) {
        const t = entry.table[Number(code - format.minCode)];
        out = t === OVERFLOW_SENTINEL ? null : BigInt(t);
      } else {
        out = memo.get(code);
        if (out === undefined) {
          out = overflowCode(roundPoint(act, format, policy, code, stats, scratch), format, policy);
          if (memo.size < 1 << 16) memo.set(code, out);
        }
      }
      if (out === null) {
        const c = roundPoint(act, format, policy, code, newStats(), scratch);
        // maxCode + 1 (minCode − 1) also stands for any value beyond the range: say "≥" ("≤")
        const bound = c === format.maxCode + 1n ? 'above' : c === format.minCode - 1n ? 'below' : undefined;
        throw new OverflowError(c, format, bound);
      }
      return out;
    },
  });
  entry.rounded = rounded;
  return rounded;
}

/**
 * σ_F code for every code minCode..maxCode (index = code − minCode), for formats of at most 24 bits.
 * Under overflow `error` a point whose σ value overflows holds OVERFLOW_SENTINEL. Cached.
 */
export function activationTable(act: Activation, format: Format, policy: Policy): Int32Array {
  return activationTableInfo(act, format, policy).table;
}

/** `activationTable` with how its points were decided and how long it took to build. */
export function activationTableInfo(
  act: Activation,
  format: Format,
  policy: Policy,
): { table: Int32Array; stats: Readonly<RoundingStats> } {
  checkDomain(act, format);
  check(
    format.bits <= MAX_TABLE_BITS,
    () =>
      `activation table: ${format.spec} has ${format.bits} bits; tables are built for at most ${MAX_TABLE_BITS} bits`,
    'format',
  );
  const entry = entryFor(act, format, policy);
  if (entry.table && entry.stats) return { table: entry.table, stats: entry.stats };
  const start = performance.now();
  const stats = newStats();
  const scratch = new Float64Array(4);
  const min = Number(format.minCode);
  const size = Number(format.size);
  const table = new Int32Array(size);
  // saturate-symmetric: the most negative code of a two's complement format is an overflow too
  const symmetric = policy.overflow === 'saturate-symmetric' && format.kind === 'Q';
  const lo = Number(format.minCode) + (symmetric ? 1 : 0);
  const hi = Number(format.maxCode);
  for (let i = 0; i < size; i++) {
    stats.points++;
    const v = roundPointNumber(act, format, policy, min + i, stats, scratch);
    if (v >= lo && v <= hi) {
      table[i] = v;
      continue;
    }
    // out of range, beyond it (±∞), or undecided (NaN): codes as BigInt, which may exceed 2^53
    const c = Number.isNaN(v)
      ? roundPointSlow(act, format, policy, BigInt(min + i), stats)
      : fromNumber(v, format);
    if (c >= BigInt(lo) && c <= format.maxCode) table[i] = Number(c);
    else {
      const o = overflowCode(c, format, policy);
      table[i] = o === null ? OVERFLOW_SENTINEL : Number(o);
    }
  }
  stats.millis = performance.now() - start;
  entry.table = table;
  entry.stats = stats;
  return { table, stats };
}

/**
 * rnd(σ(x)) into `format` for an exact rational x that need not be a value of `format` (the
 * activation layers of network JSON version 2 read one type and write another): the activation's
 * exact value when it has one, else the decimal-interval fallback, rounded correctly; then the
 * policy's overflow. Under overflow `error` an overflow throws `OverflowError`.
 */
export function roundActivationAt(
  act: Activation,
  x: Rational,
  format: Format,
  policy: Policy,
): { code: bigint; overflowed: boolean } {
  check(
    act.domain === null,
    () => `activation ${act.key} is a lookup table over ${act.domain!.spec}; it cannot read other types`,
    'activation',
  );
  const stats = newStats();
  let exact: Rational | null;
  try {
    exact = act.kernel.exact(x);
  } catch (e) {
    if (e instanceof DomainError) {
      throw new FxnnError(
        `activation ${act.key} is undefined at x = ${x.num}/${x.den} (${e.message})`,
        'activation',
      );
    }
    throw e;
  }
  const n = format.fracBits;
  let k: bigint;
  if (exact !== null) {
    k =
      n >= 0
        ? roundQuotient(exact.num << BigInt(n), exact.den, policy.rounding).value
        : roundQuotient(exact.num, exact.den << BigInt(-n), policy.rounding).value;
  } else {
    check(n >= 0, () => `activation ${act.key}: ${format.spec} has negative fractional bits`, 'format');
    k = fallback(act, format, policy, x, stats);
  }
  return overflowWith(k, format, policy);
}
