import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { parseActivation } from '../src/activations/activation.js';
import { floatActivationAt } from '../src/float/float-activation.js';
import { classify, parseFloatFormat } from '../src/float/float-format.js';
import { FLOAT_ROUNDINGS, floatCodeText, makeFloatPolicy } from '../src/float/float-rounding.js';
import { type Fr, type Mode, refDecode, refFormat, refRound } from './float-reference.js';

/**
 * Activations on formats with more than 8 exponent bits (values from 2^-8191 to 2^8192) against an
 * independent reference written here: an exact-rational bracket [lo, hi] of σ(x) from the definitions in
 * decimal.js at 100 digits (tail forms where σ(x) approaches 1, x or 0), Taylor polynomials of degree 7
 * with a crude remainder |x|^8 for |x| ≤ 2^-40, and for |x| > 2^14 the bounds of the tails
 * (e^-|x| < 2^-9000): rounding is monotone, so when the enumerating reference (float-reference.ts) rounds
 * both ends alike, that is σ_F(x). Bracket ends strictly inside an open interval (head, head ± 2^-9000)
 * stand for it: no rounding boundary of a format of at most 16 bits lies strictly inside such an interval
 * next to a grid point head (boundaries are multiples of 2^-8192).
 */
const D = Decimal.clone({ precision: 100, toExpNeg: -9e15, toExpPos: 9e15, minE: -9e15, maxE: 9e15 });
const fr = (num: bigint, den = 1n): Fr => (den < 0n ? { num: -num, den: -den } : { num, den });
const addF = (a: Fr, b: Fr): Fr => fr(a.num * b.den + b.num * a.den, a.den * b.den);
const mulF = (a: Fr, b: Fr): Fr => fr(a.num * b.num, a.den * b.den);
const powF = (a: Fr, n: number): Fr => fr(a.num ** BigInt(n), a.den ** BigInt(n));
const absF = (a: Fr): Fr => fr(a.num < 0n ? -a.num : a.num, a.den);
const negF = (a: Fr): Fr => fr(-a.num, a.den);
const two = (k: number): Fr => (k >= 0 ? fr(2n ** BigInt(k)) : fr(1n, 2n ** BigInt(-k)));
const FAR = two(-9000);
const FAR2 = two(-9001);

/** The exact fraction of a decimal. */
function decFr(d: Decimal): Fr {
  const [mant, exp] = d.toExponential().split('e');
  const [ip, fp = ''] = mant.split('.');
  const digits = BigInt(ip + fp);
  const e = Number(exp) - fp.length;
  return e >= 0 ? fr(digits * 10n ** BigInt(e)) : fr(digits, 10n ** BigInt(-e));
}

/** v·(1 ± 10^-90) as a bracket (v computed to 100 digits, relative error far below 10^-90). */
function around(v: Decimal): [Fr, Fr] {
  const a = decFr(v.times(new D(1).minus('1e-90')));
  const b = decFr(v.times(new D(1).plus('1e-90')));
  return v.isNegative() ? [b, a] : [a, b];
}
/** head + t·(1 ± 10^-90) for a tail t computed with relative precision. */
function headTail(head: Fr, t: Decimal): [Fr, Fr] {
  const [a, b] = around(t);
  return [addF(head, a), addF(head, b)];
}
/** Σ c_i x^i ± |x|^8 (Taylor of degree 7, remainder bound 1·|x|^8 for |x| ≤ 2^-40). */
function taylor(x: Fr, coeffs: Fr[]): [Fr, Fr] {
  let p = fr(0n);
  coeffs.forEach((c, i) => {
    p = addF(p, mulF(c, powF(x, i)));
  });
  const r = powF(absF(x), 8);
  return [addF(p, negF(r)), addF(p, r)];
}
const T_TANH = [fr(0n), fr(1n), fr(0n), fr(-1n, 3n), fr(0n), fr(2n, 15n), fr(0n), fr(-17n, 315n)];
const T_SIGMOID = [
  fr(1n, 2n),
  fr(1n, 4n),
  fr(0n),
  fr(-1n, 48n),
  fr(0n),
  fr(1n, 480n),
  fr(0n),
  fr(-17n, 80640n),
];
const T_EXPM1 = [
  fr(0n),
  fr(1n),
  fr(1n, 2n),
  fr(1n, 6n),
  fr(1n, 24n),
  fr(1n, 120n),
  fr(1n, 720n),
  fr(1n, 5040n),
];

type Ref = (x: Fr, X: () => Decimal, big: number) => [Fr, Fr] | null;
const ONE = fr(1n);
const ZERO = fr(0n);
/** big: ⌊log2 |x|⌋. */
const refs: Record<string, Ref> = {
  sigmoid: (x, X, big) => {
    const pos = x.num > 0n;
    if (big > 14) return pos ? [addF(ONE, negF(FAR)), addF(ONE, negF(FAR2))] : [FAR2, FAR];
    if (big < -40) return taylor(x, T_SIGMOID);
    const u = D.exp(X().abs().neg());
    const t = u.div(u.plus(1));
    return pos ? headTail(ONE, t.neg()) : around(t);
  },
  tanh: (x, X, big) => {
    const pos = x.num > 0n;
    if (big > 14)
      return pos
        ? [addF(ONE, negF(FAR)), addF(ONE, negF(FAR2))]
        : [addF(negF(ONE), FAR2), addF(negF(ONE), FAR)];
    if (big < -40) return taylor(x, T_TANH);
    if (big < 0) return around(D.tanh(X()));
    const u = D.exp(X().abs().times(-2));
    const t = u.times(2).div(u.plus(1));
    return pos ? headTail(ONE, t.neg()) : headTail(negF(ONE), t);
  },
  softplus: (x, X, big) => {
    const pos = x.num > 0n;
    if (big > 14) return pos ? [addF(x, FAR2), addF(x, FAR)] : [FAR2, FAR];
    if (big < -40) {
      // ln 2 + x/2 + x²/8 ± x⁴ (ln 2 to 100 digits)
      const [l0, l1] = around(D.ln(2));
      const p = addF(mulF(fr(1n, 2n), x), mulF(fr(1n, 8n), powF(x, 2)));
      const r = powF(absF(x), 4);
      return [addF(addF(l0, p), negF(r)), addF(addF(l1, p), r)];
    }
    const u = D.exp(X().abs().neg());
    if (u.gte('1e-30')) return headTail(pos ? x : ZERO, D.ln(u.plus(1)));
    // ln(1 + u) ∈ (u − u²/2, u) (100 digits cannot hold 1 + u)
    const [a, b] = around(u);
    const head = pos ? x : ZERO;
    return [addF(head, addF(a, negF(mulF(b, b)))), addF(head, b)];
  },
  silu: (x, X, big) => {
    const pos = x.num > 0n;
    if (big > 14) return pos ? [addF(x, negF(FAR)), addF(x, negF(FAR2))] : [negF(FAR), negF(FAR2)];
    if (big < -40) {
      const [a, b] = taylor(x, T_SIGMOID);
      return pos ? [mulF(x, a), mulF(x, b)] : [mulF(x, b), mulF(x, a)];
    }
    const u = D.exp(X().abs().neg());
    const t = X().times(u).div(u.plus(1));
    return pos ? headTail(x, t.neg()) : around(t);
  },
  elu: (x, X, big) => {
    if (x.num >= 0n) return [x, x];
    if (big > 14) return [addF(negF(ONE), FAR2), addF(negF(ONE), FAR)];
    if (big < -40) return taylor(x, T_EXPM1);
    if (big >= 0) return headTail(negF(ONE), D.exp(X()));
    return around(D.exp(X()).minus(1));
  },
};

/** Sampled codes: extremes of the format, both signs, and a spread of binades (seeded). */
function samples(e: number, m: number, count: number): number[] {
  const bits = 1 + e + m;
  const allOnes = 2 ** e - 1;
  const out = new Set<number>();
  const at = (field: number, mant: number) => field * 2 ** m + mant;
  for (const field of [0, 1, 2, allOnes - 1])
    for (const mant of [0, 1, 2 ** m - 1]) {
      const c = at(field, mant);
      if (c !== 0) out.add(c);
    }
  let s = 0x2545f491 + e * 31 + m;
  for (let i = 0; i < count; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    out.add(s % 2 ** (bits - 1));
  }
  // around 2^±14, 2^±40, 2^±64 (the reference's and the kernels' thresholds)
  const bias = 2 ** (e - 1) - 1;
  for (const E of [-64, -41, -40, -13, 0, 9, 10, 12, 13, 14, 15])
    if (E + bias >= 1 && E + bias < allOnes) for (const mant of [0, 2 ** m - 1]) out.add(at(E + bias, mant));
  const list = [...out];
  return [...list, ...list.map((c) => c + 2 ** (bits - 1))];
}

describe.each([
  ['E9M6', 9, 6, false],
  ['E11M4', 11, 4, false],
  ['E12M3FN', 12, 3, true],
  ['E14M1', 14, 1, false],
] as const)('activations on %s against an independent exact-rational bracket', (spec, e, m, fn) => {
  const f = parseFloatFormat(spec);
  const rf = refFormat(e, m, fn);
  const codes = samples(e, m, e > 12 ? 16 : 40);
  for (const name of Object.keys(refs)) {
    it(`${name}: sampled codes incl. extremes, every rounding`, () => {
      const act = parseActivation(name);
      let decided = 0;
      for (const code of codes) {
        const x = refDecode(code, e, m, fn);
        if (x === null || typeof x === 'string' || (x.num === 0n && code !== 0)) continue;
        if (x.num === 0n) continue;
        const big = x.num.toString(2).length - x.den.toString(2).length;
        const X = () => new D(x.num.toString()).div(x.den.toString());
        const bracket = refs[name](x, X, big);
        if (bracket === null) continue;
        for (const rounding of FLOAT_ROUNDINGS) {
          const lo = refRound(rf, bracket[0], rounding as Mode, 'infinity');
          const hi = refRound(rf, bracket[1], rounding as Mode, 'infinity');
          if (lo !== hi) continue;
          const got = floatActivationAt(act, f, makeFloatPolicy({ rounding }), code);
          const same = got === lo || (classify(got, f) === 'nan' && classify(lo as number, f) === 'nan');
          if (!same) {
            expect({ x: floatCodeText(code, f), rounding, got: floatCodeText(got, f) }).toEqual({
              x: floatCodeText(code, f),
              rounding,
              got: floatCodeText(lo as number, f),
            });
          }
          decided++;
        }
      }
      // the reference decides nearly every point (its brackets are 10^-90 wide or far tails)
      expect(decided).toBeGreaterThan(codes.length * 4);
    }, 60_000);
  }
});
