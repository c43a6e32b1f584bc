/**
 * A slow, obviously correct reference for float formats, written from the text and IEEE 754
 * without fxnn's float kernels: every finite value of the format is enumerated (decoded bit by bit),
 * a real number is rounded by binary search among them with exact fraction comparisons, the mode's rule
 * picks between the two neighbours, and overflow is read off the one grid point beyond max that an
 * unbounded exponent range would add. Shared by the float tests (not a test file itself).
 */

export interface Fr {
  num: bigint;
  den: bigint;
}
const fr = (num: bigint, den = 1n): Fr => (den < 0n ? { num: -num, den: -den } : { num, den });
const cmp = (a: Fr, b: Fr): number => {
  const d = a.num * b.den - b.num * a.den;
  return d < 0n ? -1 : d > 0n ? 1 : 0;
};

export interface RefFormat {
  e: number;
  m: number;
  fn: boolean;
  bits: number;
  /** Positive finite values in increasing order (0 first), then the virtual point beyond max. */
  values: Fr[];
  /** Code of each positive value (the virtual point: −1); significand parity for ties. */
  codes: number[];
  even: boolean[];
}

/** Decodes a code by the definition: sign, exponent field, mantissa field; null for ∞ and NaN. */
export function refDecode(code: number, e: number, m: number, fn: boolean): Fr | null | 'inf' | '-inf' {
  const bias = 2 ** (e - 1) - 1;
  const sign = Math.floor(code / 2 ** (e + m)) % 2;
  const field = Math.floor(code / 2 ** m) % 2 ** e;
  const mant = code % 2 ** m;
  if (field === 2 ** e - 1) {
    if (fn && mant === 2 ** m - 1) return null;
    if (!fn) return mant === 0 ? (sign ? '-inf' : 'inf') : null;
  }
  let M: bigint;
  let E: number;
  if (field === 0) {
    M = BigInt(mant);
    E = 1 - bias - m;
  } else {
    M = BigInt(2 ** m + mant);
    E = field - bias - m;
  }
  const v = E >= 0 ? fr(M * 2n ** BigInt(E)) : fr(M, 2n ** BigInt(-E));
  return sign ? fr(-v.num, v.den) : v;
}

const cache = new Map<string, RefFormat>();

export function refFormat(e: number, m: number, fn: boolean): RefFormat {
  const key = `${e},${m},${fn}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const values: Fr[] = [];
  const codes: number[] = [];
  const even: boolean[] = [];
  for (let c = 0; c < 2 ** (e + m); c++) {
    const v = refDecode(c, e, m, fn);
    if (v === null || typeof v === 'string') continue;
    values.push(v);
    codes.push(c);
    even.push(c % 2 === 0);
  }
  // the next point an unbounded exponent would give: max + its ulp
  const last = codes[codes.length - 1];
  const field = Math.floor(last / 2 ** m);
  const bias = 2 ** (e - 1) - 1;
  const ulpExp = field - bias - m;
  const ulp = ulpExp >= 0 ? fr(2n ** BigInt(ulpExp)) : fr(1n, 2n ** BigInt(-ulpExp));
  const max = values[values.length - 1];
  values.push(fr(max.num * ulp.den + ulp.num * max.den, max.den * ulp.den));
  codes.push(-1);
  // IEEE: max + ulp = 2^(emax+1), significand 1.000 (even); FN: mantissa all ones (odd)
  even.push(!fn);
  const f = { e, m, fn, bits: 1 + e + m, values, codes, even };
  cache.set(key, f);
  return f;
}

export type Mode = 'nearest-even' | 'nearest-away' | 'toward-zero' | 'floor' | 'ceil';
export type Ovf = 'infinity' | 'saturate' | 'error';

/** The code of +∞ (or NaN in FN formats) with a sign. */
function infOrNaN(f: RefFormat, negative: boolean): number {
  const s = negative ? 2 ** (f.e + f.m) : 0;
  return s + (f.fn ? 2 ** (f.e + f.m) - 1 : (2 ** f.e - 1) * 2 ** f.m);
}

/** rnd of the exact x with a sign for zero (`negZero`); 'error' where overflow `error` throws. */
export function refRound(f: RefFormat, x: Fr, mode: Mode, ovf: Ovf, negZero = false): number | 'error' {
  const negative = x.num < 0n || (x.num === 0n && negZero);
  const s = negative ? 2 ** (f.e + f.m) : 0;
  const a = fr(x.num < 0n ? -x.num : x.num, x.den);
  const vs = f.values;
  // largest index with values[i] ≤ a (capped at the virtual point)
  let lo = 0;
  let hi = vs.length - 1;
  if (cmp(a, vs[hi]) >= 0) lo = hi;
  else {
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (cmp(vs[mid], a) <= 0) lo = mid;
      else hi = mid;
    }
  }
  let pick: number;
  if (cmp(vs[lo], a) === 0 || lo === vs.length - 1) pick = lo;
  else {
    const up = lo + 1;
    const below = fr(a.num * vs[lo].den - vs[lo].num * a.den, a.den * vs[lo].den);
    const above = fr(vs[up].num * a.den - a.num * vs[up].den, a.den * vs[up].den);
    const c = cmp(below, above);
    switch (mode) {
      case 'toward-zero':
        pick = lo;
        break;
      case 'floor':
        pick = negative ? up : lo;
        break;
      case 'ceil':
        pick = negative ? lo : up;
        break;
      default:
        pick = c < 0 ? lo : c > 0 ? up : mode === 'nearest-away' ? up : f.even[lo] ? lo : up;
    }
  }
  if (pick === vs.length - 1) {
    // overflow
    if (ovf === 'error') return 'error';
    const maxCode = s + f.codes[vs.length - 2];
    if (ovf === 'saturate') return maxCode;
    if (mode === 'toward-zero') return maxCode;
    if (mode === 'floor') return negative ? infOrNaN(f, true) : maxCode;
    if (mode === 'ceil') return negative ? maxCode : infOrNaN(f, false);
    return infOrNaN(f, negative);
  }
  return s + f.codes[pick];
}

/** NaN codes compare equal whatever their sign and payload. */
export function isNaNRef(code: number, f: RefFormat): boolean {
  return refDecode(code, f.e, f.m, f.fn) === null;
}

/** IEEE 754 a op b from the definitions: specials by the standard's tables, finite results rounded once. */
export function refOp(
  f: RefFormat,
  op: 'add' | 'sub' | 'mul' | 'div',
  a: number,
  b: number,
  mode: Mode,
  ovf: Ovf,
): number | 'error' | 'nan' {
  const va = refDecode(a, f.e, f.m, f.fn);
  const vb0 = refDecode(b, f.e, f.m, f.fn);
  if (va === null || vb0 === null) return 'nan';
  const signBit = 2 ** (f.e + f.m);
  const sa = a >= signBit;
  let sb = b >= signBit;
  let vb = vb0;
  if (op === 'sub') {
    sb = !sb;
    vb = typeof vb === 'string' ? (vb === 'inf' ? '-inf' : 'inf') : fr(-vb.num, vb.den);
  }
  const inf = (neg: boolean) => (neg ? signBit : 0) + (2 ** f.e - 1) * 2 ** f.m;
  const zero = (neg: boolean) => (neg ? signBit : 0);
  if (op === 'add' || op === 'sub') {
    if (typeof va === 'string' && typeof vb === 'string') return va === vb ? inf(sa) : 'nan';
    if (typeof va === 'string') return inf(sa);
    if (typeof vb === 'string') return inf(sb);
    const sum = fr(va.num * vb.den + vb.num * va.den, va.den * vb.den);
    if (sum.num === 0n) {
      if (va.num === 0n && vb.num === 0n && sa === sb) return zero(sa);
      return zero(mode === 'floor');
    }
    return refRound(f, sum, mode, ovf);
  }
  const neg = sa !== sb;
  if (op === 'mul') {
    if (typeof va === 'string' || typeof vb === 'string') {
      if ((typeof va !== 'string' && va.num === 0n) || (typeof vb !== 'string' && vb.num === 0n))
        return 'nan';
      return inf(neg);
    }
    const p = fr(va.num * vb.num, va.den * vb.den);
    if (p.num === 0n) return zero(neg);
    return refRound(f, p, mode, ovf);
  }
  if (typeof va === 'string') return typeof vb === 'string' ? 'nan' : inf(neg);
  if (typeof vb === 'string') return zero(neg);
  if (vb.num === 0n) {
    if (va.num === 0n) return 'nan';
    if (ovf === 'saturate') return (neg ? signBit : 0) + f.codes[f.values.length - 2];
    return f.fn ? 'nan' : inf(neg);
  }
  const q = fr(va.num * vb.den, va.den * vb.num);
  if (q.num === 0n) return zero(neg);
  return refRound(f, q, mode, ovf, neg);
}
