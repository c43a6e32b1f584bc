/**
 * Exact value ranges through an MLP chain (docs/import.md "profile"): vectors of intervals
 * [lo, hi] / den with BigInt numerators over one common denominator. On a data row the intervals are
 * points and every dense, relu, leaky-relu and quantizer step is exact rational arithmetic (float32
 * weights are dyadic; decimal inputs share the denominator 2^a·5^b); sigmoid and tanh are not
 * rational, so their values are enclosed on the grid 2^-64, outward by a relative 2^-40 beyond the
 * double result (Math.exp/Math.tanh are accurate to a few ulps). Over an input box the same
 * arithmetic is interval arithmetic: every bound is guaranteed.
 */
import { type Rational, ratio } from '../core/rational.js';
import { roundQuotient } from '../core/rounding.js';
import type { ChainStep, MlpChain } from './mlp-chain.js';

export interface IntervalVector {
  readonly lo: bigint[];
  readonly hi: bigint[];
  readonly den: bigint;
}

/** The ranges seen at one step: per quantity [min, max] as numerators over `den`. */
export interface StepRanges {
  input: [Rational, Rational] | null;
  product: [Rational, Rational] | null;
  accum: [Rational, Rational] | null;
  result: [Rational, Rational] | null;
}

const SIGMA_SHIFT = 64n;
const SIGMA_DEN = 1n << SIGMA_SHIFT;

function lessRat(a: Rational, b: Rational): boolean {
  return a.num * b.den < b.num * a.den;
}

/** Widens [min, max] to hold [lo, hi]/den. */
function widen(
  range: [Rational, Rational] | null,
  lo: bigint,
  hi: bigint,
  den: bigint,
): [Rational, Rational] {
  const l = ratio(lo, den);
  const h = ratio(hi, den);
  if (!range) return [l, h];
  return [lessRat(l, range[0]) ? l : range[0], lessRat(range[1], h) ? h : range[1]];
}

/** The common denominator of rationals (all dyadic-decimal: a product of their denominators' lcm). */
function lcm(a: bigint, b: bigint): bigint {
  let x = a;
  let y = b;
  while (y !== 0n) [x, y] = [y, x % y];
  return (a / x) * b;
}

/** Scaled integer weights of a dense step: W·E exactly, with E the lcm of the denominators. */
interface ScaledDense {
  readonly w: bigint[][];
  readonly b: bigint[];
  readonly scale: bigint;
}

export class RangePropagation {
  private readonly scaled: Array<ScaledDense | null>;
  readonly ranges: StepRanges[];
  constructor(readonly chain: MlpChain) {
    this.scaled = chain.steps.map((s) => {
      if (s.kind !== 'dense') return null;
      let scale = 1n;
      for (const row of s.weights) for (const w of row) scale = lcm(scale, w.den);
      for (const b of s.bias) scale = lcm(scale, b.den);
      return {
        w: s.weights.map((row) => row.map((w) => (w.num * scale) / w.den)),
        b: s.bias.map((b) => (b.num * scale) / b.den),
        scale,
      };
    });
    this.ranges = chain.steps.map(() => ({ input: null, product: null, accum: null, result: null }));
  }

  /** Propagates one interval vector (a data row: lo = hi) and widens the ranges. */
  run(x: IntervalVector): IntervalVector {
    let v = x;
    this.chain.steps.forEach((step, k) => {
      const r = this.ranges[k];
      for (let i = 0; i < v.lo.length; i++) r.input = widen(r.input, v.lo[i], v.hi[i], v.den);
      v = this.step(step, k, v, r);
      for (let i = 0; i < v.lo.length; i++) r.result = widen(r.result, v.lo[i], v.hi[i], v.den);
    });
    return v;
  }

  private step(step: ChainStep, k: number, v: IntervalVector, r: StepRanges): IntervalVector {
    if (step.kind === 'dense') {
      const s = this.scaled[k]!;
      const den = v.den * s.scale;
      const lo: bigint[] = [];
      const hi: bigint[] = [];
      for (let j = 0; j < step.outputs; j++) {
        // bias first, then each product in input order (hls4ml's order): every partial sum is tracked
        let aLo = s.b[j] * v.den;
        let aHi = aLo;
        r.accum = widen(r.accum, aLo, aHi, den);
        const row = s.w[j];
        for (let i = 0; i < step.inputs; i++) {
          const w = row[i];
          const p = w * v.lo[i];
          const q = w * v.hi[i];
          // biome-ignore lint/complexity/useMathMinMax: bigint (Math.min takes numbers)
          const pLo = p < q ? p : q;
          // biome-ignore lint/complexity/useMathMinMax: bigint
          const pHi = p < q ? q : p;
          r.product = widen(r.product, pLo, pHi, den);
          aLo += pLo;
          aHi += pHi;
          r.accum = widen(r.accum, aLo, aHi, den);
        }
        lo.push(aLo);
        hi.push(aHi);
      }
      return { lo, hi, den };
    }
    if (step.kind === 'quant') {
      const q = step.quant;
      const e = q.exponent;
      const den = e >= 0 ? 1n : 1n << BigInt(-e);
      const at = (n: bigint): bigint => {
        let value: Rational = ratio(n, v.den);
        if (q.kind === 'bipolar') return (value.num >= 0n ? 1n : -1n) * (e >= 0 ? 1n << BigInt(e) : 1n);
        if (q.kind === 'trunc') {
          const pre = q.preExponent ?? 0;
          const c = roundAt(value, pre, 'nearest-even');
          value = pre >= 0 ? { num: c << BigInt(pre), den: 1n } : ratio(c, 1n << BigInt(-pre));
        }
        let c = roundAt(value, e, q.rounding);
        if (c < q.min) c = q.min;
        if (c > q.max) c = q.max;
        return e >= 0 ? c << BigInt(e) : c;
      };
      // quantizers are monotone: the image of [lo, hi] is [q(lo), q(hi)]
      return { lo: v.lo.map(at), hi: v.hi.map(at), den };
    }
    switch (step.activation) {
      case 'relu':
        return { lo: v.lo.map((x) => (x > 0n ? x : 0n)), hi: v.hi.map((x) => (x > 0n ? x : 0n)), den: v.den };
      case 'leaky-relu': {
        const a = step.alpha!;
        const den = v.den * a.den;
        const f = (x: bigint) => (x >= 0n ? x * a.den : x * a.num);
        // monotone for alpha ≥ 0; for negative alpha take both ends
        const lo = v.lo.map((x, i) => {
          const p = f(x);
          const q = f(v.hi[i]);
          // biome-ignore lint/complexity/useMathMinMax: bigint
          return a.num >= 0n ? p : p < q ? p : q;
        });
        const hi = v.hi.map((x, i) => {
          const p = f(x);
          const q = f(v.lo[i]);
          // biome-ignore lint/complexity/useMathMinMax: bigint
          return a.num >= 0n ? p : p > q ? p : q;
        });
        return { lo, hi, den };
      }
      default: {
        const fn = step.activation === 'sigmoid' ? (t: number) => 1 / (1 + Math.exp(-t)) : Math.tanh;
        const enclose = (n: bigint, up: boolean): bigint => {
          const t = toDouble(n, v.den, up);
          const y = fn(t);
          const slack = Math.abs(y) * 2 ** -40 + 2 ** -1000;
          const bound = up ? y + slack : y - slack;
          const scaled = bound * 2 ** 64;
          return up ? BigInt(Math.ceil(scaled)) : BigInt(Math.floor(scaled));
        };
        // σ is increasing: [σ(lo), σ(hi)], each end enclosed outward
        return {
          lo: v.lo.map((x) => enclose(x, false)),
          hi: v.hi.map((x) => enclose(x, true)),
          den: SIGMA_DEN,
        };
      }
    }
  }
}

/** n/den as a double rounded toward −∞ (up = false) or +∞ (up = true), by one ulp of slack. */
function toDouble(n: bigint, den: bigint, up: boolean): number {
  const v = Number(n) / Number(den);
  const exact = Number.isFinite(v) ? v : Number(ratioToDouble(n, den));
  const ulp = Math.abs(exact) * 2 ** -50 + 2 ** -1070;
  return up ? exact + ulp : exact - ulp;
}

function ratioToDouble(n: bigint, den: bigint): number {
  const shift = BigInt(Math.max(0, den.toString(2).length - 1000));
  return Number(n >> shift) / Number(den >> shift);
}

function roundAt(x: Rational, e: number, mode: Parameters<typeof roundQuotient>[2]): bigint {
  const p = e >= 0 ? x.num : x.num << BigInt(-e);
  const q = e >= 0 ? x.den << BigInt(e) : x.den;
  return roundQuotient(p, q, mode).value;
}

/** A data row as a point interval vector over the common denominator `den` (a multiple of each den). */
export function pointVector(x: readonly Rational[], den: bigint): IntervalVector {
  const v = x.map((r) => (r.num * den) / r.den);
  return { lo: v, hi: [...v], den };
}

/** The common denominator of all input values. */
export function commonDenominator(rows: ReadonlyArray<readonly Rational[]>): bigint {
  let d = 1n;
  for (const row of rows) for (const r of row) d = lcm(d, r.den);
  return d;
}
