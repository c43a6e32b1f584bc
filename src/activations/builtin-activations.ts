import {
  add,
  compare,
  div,
  fromDouble,
  mul,
  neg,
  ONE,
  type Rational,
  ratio,
  toDecimalString,
  toNumber,
  ZERO,
} from '../core/rational.js';
import type { Activation, ActivationRange, Bound } from './activation.js';
import type { Interval, IntervalArithmetic } from './decimal-interval.js';
import {
  type ActivationKernel,
  DOUBLE_REL,
  type Enclosure,
  ERR,
  HEAD,
  TAIL,
  TINY_FAR_LOG2,
  TINY_SIGN,
} from './kernel.js';
import { NORMAL_TAIL_DOUBLE_REL, normalTailDouble, normalTailInterval } from './normal-tail.js';
import { smallArgumentEnclosure } from './small-argument.js';

/**
 * The built-in activations of THEORY §3 with their exact definitions (PyTorch conventions) and their
 * evaluation kernels: exact rationals where σ(x) is rational, a double estimate with a stated error
 * bound, and a rigorous decimal enclosure, both in tail forms that keep relative precision (see
 * docs/activations.md for every formula and bound).
 */
export const BUILTIN_NAMES = [
  'identity',
  'relu',
  'leaky-relu',
  'elu',
  'sigmoid',
  'tanh',
  'softplus',
  'silu',
  'mish',
  'gelu',
  'gelu-tanh',
  'hard-sigmoid',
  'hard-swish',
  'step',
] as const;
export type BuiltinName = (typeof BUILTIN_NAMES)[number];

/** Parameters each built-in takes, with defaults. */
export const BUILTIN_PARAMS: Readonly<Record<string, Readonly<Record<string, Rational>>>> = {
  'leaky-relu': { alpha: ratio(1n, 100n) },
  elu: { alpha: ONE },
};

const HALF = ratio(1n, 2n);
const R = (p: bigint, q = 1n): Rational => ratio(p, q);
const isNeg = (x: Rational) => x.num < 0n;
const isPos = (x: Rational) => x.num > 0n;
/** x ≥ t for a rational x and an integer t. */
const atLeast = (x: Rational, t: number) => x.num >= BigInt(t) * x.den;
const atMost = (x: Rational, t: number) => x.num <= BigInt(t) * x.den;

const bound = (value: Rational, exact: boolean, attained: boolean): Bound => ({ value, exact, attained });
const range = (lower: Bound | null, upper: Bound | null, text: string): ActivationRange => ({
  lower,
  upper,
  text,
});

interface Spec {
  formula: string;
  monotone: boolean;
  range: ActivationRange;
  zero: Rational | null;
  zeroBelow: { at: Rational; inclusive: boolean } | null;
  kernel: ActivationKernel;
}

/** Writes p/q for the number fast path when both are safe integers. */
function pq(out: Float64Array, p: number, q: number): boolean {
  if (!Number.isSafeInteger(p) || !Number.isSafeInteger(q)) return false;
  out[0] = p;
  out[1] = q;
  return true;
}

/** σ(0)·2^n = v·2^n for a rational v = num/den (transcendental activations at their rational point). */
function atZero(v: Rational): (c: number, n: number, out: Float64Array) => boolean {
  const num = Number(v.num);
  const den = Number(v.den);
  return (c, n, out) => c === 0 && pq(out, num * 2 ** n, den);
}

/** Rational (piecewise-linear) activations: always exact; `scaled` gives σ(x)·2^n = p/q on numbers. */
function rationalKernel(
  f: (x: Rational) => Rational,
  scaled: (c: number, n: number, out: Float64Array) => boolean,
): ActivationKernel {
  return {
    exact: f,
    exactScaled: scaled,
    enclose: (x, ia) => ({ head: f(x), tail: ia.point(0), tinySign: 0 }),
  };
}

/** clamp(c + 3·2^n, 0, 6·2^n): 6·2^n·hard-sigmoid(x) in code units. */
const hardSigmoidScaled = (c: number, n: number) => Math.min(Math.max(c + 3 * 2 ** n, 0), 6 * 2 ** n);

/** σ(x) strictly between head and head ± 2^TINY_FAR_LOG2 (the decimal enclosures' far tails). */
const tinyFar = (head: Rational, sign: -1 | 1): Enclosure => ({
  head,
  tail: null,
  tinySign: sign,
  tinyLog2: TINY_FAR_LOG2,
});
const withTail = (head: Rational, tail: Interval): Enclosure => ({ head, tail, tinySign: 0 });

/** Writes a double estimate; returns true. */
function put(out: Float64Array, head: number, tail: number, err: number, tinySign = 0): boolean {
  out[HEAD] = head;
  out[TAIL] = tail;
  out[ERR] = err;
  out[TINY_SIGN] = tinySign;
  return true;
}

/**
 * Tiny arguments (docs/activations.md "Tiny arguments"): for 2^-1000 ≤ |x| ≤ SMALL the double path uses
 * the leading Taylor terms with a proved remainder, so that σ(x) keeps an exact head on the grid point it
 * approaches (1/2, x, x/2) and a tail with relative precision. Remainders (h = |x|): sigmoid
 * |σ(x) − 1/2 − x/4 + x³/48| ≤ h⁵/16 (Cauchy: |σ| ≤ 1/sin 2 < 1.1 on the disc of radius 2 around x,
 * σ − 1/2 odd); tanh |tanh x − x + x³/3| ≤ 2h⁵ (|tanh| ≤ 1.72 on the disc of radius 1); Φ(x) − 1/2 is
 * an alternating series with decreasing terms, |Φ(x) − 1/2 − (x − x³/6)/√(2π)| ≤ h⁵/40; eˣ − 1 − x − x²/2 − x³/6
 * for x < 0 likewise ≤ h⁴/24. The terms are computed with relative error below 2^-48 (gelu-tanh's y, with
 * its rounded constants, below 2^-46).
 */
const SMALL = 2 ** -12;
const TINY_FLOOR = 2 ** -1000;
const INV_SQRT_2PI = 0.3989422804014327;

/** σ(x) = u/(1+u) for u = e^(−|x|) (the logistic tail), as an interval. */
function logisticTail(u: Interval, ia: IntervalArithmetic): Interval {
  return ia.div(u, ia.add(ia.point(1), u));
}

const sigmoid: Spec = {
  formula: '1/(1+e^(−x))',
  monotone: true,
  range: range(bound(ZERO, true, false), bound(ONE, true, false), '(0, 1)'),
  zero: null,
  zeroBelow: null,
  kernel: {
    small: (x) => smallArgumentEnclosure('sigmoid', x),
    exact: (x) => (x.num === 0n ? HALF : null),
    exactScaled: atZero(HALF),
    estimate: (x, out) => {
      const h = Math.abs(x);
      if (h <= SMALL && h >= TINY_FLOOR) {
        // 1/2 + x/4 − x³/48, remainder ≤ h⁵/16
        const t = x / 4 - (x * x * x) / 48;
        return put(out, 0.5, t, (h * h * h * h * h) / 16 + Math.abs(t) * 2 ** -48);
      }
      if (x >= 0) {
        if (x >= 650) return put(out, 1, 0, 0, -1);
        const u = Math.exp(-x);
        const t = -u / (1 + u);
        return put(out, 1, t, -t * DOUBLE_REL);
      }
      if (x <= -650) return put(out, 0, 0, 0, 1);
      const u = Math.exp(x);
      const t = u / (1 + u);
      return put(out, 0, t, t * DOUBLE_REL);
    },
    enclose: (x, ia) => {
      if (x.num === 0n) return withTail(HALF, ia.point(0));
      if (isPos(x)) {
        if (atLeast(x, 5720)) return tinyFar(ONE, -1);
        return withTail(ONE, ia.neg(logisticTail(ia.exp(ia.neg(ia.rational(x))), ia)));
      }
      if (atMost(x, -5720)) return tinyFar(ZERO, 1);
      return withTail(ZERO, logisticTail(ia.exp(ia.rational(x)), ia));
    },
  },
};

const tanh: Spec = {
  formula: '(e^x − e^(−x))/(e^x + e^(−x))',
  monotone: true,
  range: range(bound(R(-1n), true, false), bound(ONE, true, false), '(−1, 1)'),
  zero: ZERO,
  zeroBelow: null,
  kernel: {
    small: (x) => smallArgumentEnclosure('tanh', x),
    exact: (x) => (x.num === 0n ? ZERO : null),
    exactScaled: atZero(ZERO),
    estimate: (x, out) => {
      const h = Math.abs(x);
      if (h <= SMALL && h >= TINY_FLOOR) {
        // x − x³/3, remainder ≤ 2h⁵
        const t = -(x * x * x) / 3;
        return put(out, x, t, 2 * (h * h * h * h * h) + Math.abs(t) * 2 ** -48);
      }
      if (x > -0.5 && x < 0.5) {
        const t = Math.tanh(x);
        return put(out, 0, t, Math.abs(t) * DOUBLE_REL);
      }
      const s = x > 0 ? 1 : -1;
      if (s * x >= 325) return put(out, s, 0, 0, -s);
      const u = Math.exp(-2 * s * x);
      const t = (-s * 2 * u) / (1 + u);
      return put(out, s, t, Math.abs(t) * DOUBLE_REL);
    },
    enclose: (x, ia) => {
      // built only when needed: x may have thousands of digits beyond the far cutoffs
      const X = () => ia.rational(x);
      if (x.num === 0n) return withTail(ZERO, ia.point(0));
      if (compare(x, HALF) < 0 && compare(x, neg(HALF)) > 0) {
        // tanh x = expm1(2x)/(expm1(2x) + 2): relative precision near 0
        const m = ia.expm1(ia.scale2(X(), 1));
        return withTail(ZERO, ia.div(m, ia.add(m, ia.point(2))));
      }
      const s = isPos(x) ? 1 : -1;
      const head = R(BigInt(s));
      if (s > 0 ? atLeast(x, 2860) : atMost(x, -2860)) return tinyFar(head, s > 0 ? -1 : 1);
      // tanh x = s·(1 − 2u/(1+u)), u = e^(−2|x|)
      const u = ia.exp(ia.scale2(s > 0 ? ia.neg(X()) : X(), 1));
      const t = ia.scale2(logisticTail(u, ia), 1);
      return withTail(head, s > 0 ? ia.neg(t) : t);
    },
  },
};

const softplus: Spec = {
  formula: 'ln(1+e^x)',
  monotone: true,
  range: range(bound(ZERO, true, false), null, '(0, ∞)'),
  zero: null,
  zeroBelow: null,
  kernel: {
    small: (x) => smallArgumentEnclosure('softplus', x),
    exact: () => null,
    estimate: (x, out) => {
      if (x >= 0) {
        if (x >= 650) return put(out, x, 0, 0, 1);
        const t = Math.log1p(Math.exp(-x));
        return put(out, x, t, t * DOUBLE_REL);
      }
      if (x <= -650) return put(out, 0, 0, 0, 1);
      const t = Math.log1p(Math.exp(x));
      return put(out, 0, t, t * DOUBLE_REL);
    },
    enclose: (x, ia) => {
      // built only when needed: x may have thousands of digits beyond the far cutoffs
      const X = () => ia.rational(x);
      if (!isNeg(x)) {
        if (atLeast(x, 5720)) return tinyFar(x, 1);
        return withTail(x, ia.log1p(ia.exp(ia.neg(X()))));
      }
      if (atMost(x, -5720)) return tinyFar(ZERO, 1);
      return withTail(ZERO, ia.log1p(ia.exp(X())));
    },
  },
};

const silu: Spec = {
  formula: 'x·sigmoid(x)',
  monotone: false,
  range: range(bound(R(-2785n, 10000n), false, true), null, '[−0.27846…, ∞)'),
  zero: ZERO,
  zeroBelow: null,
  kernel: {
    small: (x) => smallArgumentEnclosure('silu', x),
    exact: (x) => (x.num === 0n ? ZERO : null),
    exactScaled: atZero(ZERO),
    estimate: (x, out) => {
      const h = Math.abs(x);
      if (h <= SMALL && h >= TINY_FLOOR) {
        // x·σ(x) = x/2 + x²/4 − x⁴/48, remainder ≤ h·h⁵/16
        const x2 = x * x;
        const t = x2 / 4 - (x2 * x2) / 48;
        return put(out, x / 2, t, (x2 * x2 * x2) / 16 + Math.abs(t) * 2 ** -48);
      }
      if (x >= 0) {
        // x − x·σ(−x)
        if (x >= 660) return put(out, x, 0, 0, -1);
        const u = Math.exp(-x);
        const t = (-x * u) / (1 + u);
        return put(out, x, t, -t * DOUBLE_REL);
      }
      if (x <= -660) return put(out, 0, 0, 0, -1);
      const u = Math.exp(x);
      const t = (x * u) / (1 + u);
      return put(out, 0, t, -t * DOUBLE_REL);
    },
    enclose: (x, ia) => {
      // built only when needed: x may have thousands of digits beyond the far cutoffs
      const X = () => ia.rational(x);
      if (x.num === 0n) return withTail(ZERO, ia.point(0));
      if (isPos(x)) {
        if (atLeast(x, 11440)) return tinyFar(x, -1);
        return withTail(x, ia.neg(ia.mul(X(), logisticTail(ia.exp(ia.neg(X())), ia))));
      }
      if (atMost(x, -11440)) return tinyFar(ZERO, -1);
      return withTail(ZERO, ia.mul(X(), logisticTail(ia.exp(X()), ia)));
    },
  },
};

const mish: Spec = {
  formula: 'x·tanh(softplus(x))',
  monotone: false,
  range: range(bound(R(-3089n, 10000n), false, true), null, '[−0.30884…, ∞)'),
  zero: ZERO,
  zeroBelow: null,
  kernel: {
    small: (x) => smallArgumentEnclosure('mish', x),
    // tanh(ln(1+E)) = E(E+2)/(E(E+2)+2) with E = e^x; 1 − that = 2u²/(1+2u+2u²) with u = e^(−x)
    exact: (x) => (x.num === 0n ? ZERO : null),
    exactScaled: atZero(ZERO),
    estimate: (x, out) => {
      if (x >= 0) {
        if (x >= 330) return put(out, x, 0, 0, -1);
        const u = Math.exp(-x);
        const t = (-x * 2 * u * u) / (1 + 2 * u + 2 * u * u);
        return put(out, x, t, -t * DOUBLE_REL);
      }
      if (x <= -660) return put(out, 0, 0, 0, -1);
      const e = Math.exp(x);
      const p = e * (e + 2);
      const t = (x * p) / (p + 2);
      return put(out, 0, t, -t * DOUBLE_REL);
    },
    enclose: (x, ia) => {
      // built only when needed: x may have thousands of digits beyond the far cutoffs
      const X = () => ia.rational(x);
      if (x.num === 0n) return withTail(ZERO, ia.point(0));
      if (isPos(x)) {
        if (atLeast(x, 5720)) return tinyFar(x, -1);
        const u = ia.exp(ia.neg(X()));
        const u2 = ia.scale2(ia.mul(u, u), 1);
        const den = ia.add(ia.add(ia.point(1), ia.scale2(u, 1)), u2);
        return withTail(x, ia.neg(ia.mul(X(), ia.div(u2, den))));
      }
      if (atMost(x, -11440)) return tinyFar(ZERO, -1);
      const e = ia.exp(X());
      const p = ia.mul(e, ia.add(e, ia.point(2)));
      return withTail(ZERO, ia.mul(X(), ia.div(p, ia.add(p, ia.point(2)))));
    },
  },
};

const gelu: Spec = {
  formula: 'x·Φ(x) = x(1+erf(x/√2))/2',
  monotone: false,
  range: range(bound(R(-17n, 100n), false, true), null, '[−0.16997…, ∞)'),
  zero: ZERO,
  zeroBelow: null,
  kernel: {
    small: (x) => smallArgumentEnclosure('gelu', x),
    exact: (x) => (x.num === 0n ? ZERO : null),
    exactScaled: atZero(ZERO),
    estimate: (x, out) => {
      const h = Math.abs(x);
      if (h <= SMALL && h >= TINY_FLOOR) {
        // x·Φ(x) = x/2 + x²(1 − x²/6)/√(2π), remainder ≤ h·h⁵/40 (stated twice that)
        const x2 = x * x;
        const t = x2 * INV_SQRT_2PI * (1 - x2 / 6);
        return put(out, x / 2, t, (x2 * x2 * x2) / 20 + Math.abs(t) * 2 ** -48);
      }
      // x ≥ 0: x − x·Q(x); x < 0: x·Q(−x), Q(t) = Φ(−t)
      const a = Math.abs(x);
      if (a >= 36) return put(out, Math.max(x, 0), 0, 0, -1);
      const t = -a * normalTailDouble(a);
      // the tail's own bound, and a²·2^-53 for the rounding of x² when x has more than 26 bits
      return put(out, Math.max(x, 0), t, -t * (DOUBLE_REL + NORMAL_TAIL_DOUBLE_REL + a * a * 2 ** -53));
    },
    enclose: (x, ia) => {
      if (x.num === 0n) return withTail(ZERO, ia.point(0));
      const a = isNeg(x) ? neg(x) : x;
      const head = isNeg(x) ? ZERO : x;
      if (atLeast(a, 108)) return tinyFar(head, -1);
      const A = ia.rational(a);
      return withTail(head, ia.neg(ia.mul(A, normalTailInterval(A.lo, ia))));
    },
  },
};

const GELU_TANH_K = ratio(44715n, 1000000n);
const GELU_TANH_K_D = 0.044715;
const SQRT_2_OVER_PI = 0.7978845608028654;

const geluTanh: Spec = {
  formula: 'x(1+tanh(√(2/π)(x+0.044715x³)))/2',
  monotone: false,
  range: range(bound(R(-1701n, 10000n), false, true), null, '[−0.17004…, ∞)'),
  zero: ZERO,
  zeroBelow: null,
  kernel: {
    small: (x) => smallArgumentEnclosure('gelu-tanh', x),
    // x(1+tanh y)/2 = x·σ(2y): x ≥ 0: x − x·σ(−2y); x < 0: x·σ(2y)
    exact: (x) => (x.num === 0n ? ZERO : null),
    exactScaled: atZero(ZERO),
    estimate: (x, out) => {
      const a = Math.abs(x);
      if (a <= SMALL && a >= TINY_FLOOR) {
        // x·σ(2y) = x/2 + x(y/2 − y³/6), remainder ≤ h·|2y|⁵/16 ≤ 2h⁶ (|y| ≤ h)
        const y = SQRT_2_OVER_PI * (x + GELU_TANH_K_D * x * x * x);
        const t = x * (y / 2 - (y * y * y) / 6);
        const a2 = a * a;
        return put(out, x / 2, t, 2 * a2 * a2 * a2 + Math.abs(t) * 2 ** -46);
      }
      // |x| > 2^25: 2|y| > 2^69, so |x|·σ(−2|y|) < 2^-900 (up to |x| < 2^(2^60))
      if (a > 2 ** 25) return put(out, Math.max(x, 0), 0, 0, -1);
      const y2 = 2 * SQRT_2_OVER_PI * (a + GELU_TANH_K_D * a * a * a); // 2|y|, relative error ≤ 2^-50
      if (y2 >= 660) return put(out, Math.max(x, 0), 0, 0, -1);
      const u = Math.exp(-y2);
      const t = (-a * u) / (1 + u);
      return put(out, Math.max(x, 0), t, -t * (DOUBLE_REL + y2 * 2 ** -49));
    },
    enclose: (x, ia) => {
      if (x.num === 0n) return withTail(ZERO, ia.point(0));
      const a = isNeg(x) ? neg(x) : x;
      const head = isNeg(x) ? ZERO : x;
      // a ≥ 45 gives 2|y| ≥ 0.0713a³ > 6490, so a·e^(−2|y|) < e^(−5720) < 2^-8252
      if (atLeast(a, 45)) return tinyFar(head, -1);
      const A = ia.rational(a);
      const c = ia.sqrt(ia.div(ia.point(2), ia.pi()));
      const inner = ia.add(A, ia.mul(ia.rational(GELU_TANH_K), ia.powInt(A, 3)));
      const y2 = ia.scale2(ia.mul(c, inner), 1);
      const u = ia.exp(ia.neg(y2));
      return withTail(head, ia.neg(ia.mul(A, logisticTail(u, ia))));
    },
  },
};

const identity: Spec = {
  formula: 'x',
  monotone: true,
  range: range(null, null, '(−∞, ∞)'),
  zero: ZERO,
  zeroBelow: null,
  kernel: rationalKernel(
    (x) => x,
    (c, _n, out) => pq(out, c, 1),
  ),
};

const relu: Spec = {
  formula: 'max(0, x)',
  monotone: true,
  range: range(bound(ZERO, true, true), null, '[0, ∞)'),
  zero: ZERO,
  zeroBelow: { at: ZERO, inclusive: true },
  kernel: rationalKernel(
    (x) => (isNeg(x) ? ZERO : x),
    (c, _n, out) => pq(out, Math.max(c, 0), 1),
  ),
};

const hardSigmoid: Spec = {
  formula: 'clamp(x+3, 0, 6)/6',
  monotone: true,
  range: range(bound(ZERO, true, true), bound(ONE, true, true), '[0, 1]'),
  zero: R(-3n),
  zeroBelow: { at: R(-3n), inclusive: true },
  kernel: rationalKernel(hardSigmoidExact, (c, n, out) => pq(out, hardSigmoidScaled(c, n), 6)),
};

function hardSigmoidExact(x: Rational): Rational {
  if (atMost(x, -3)) return ZERO;
  if (atLeast(x, 3)) return ONE;
  return div(add(x, R(3n)), R(6n));
}

const hardSwish: Spec = {
  formula: 'x·hard-sigmoid(x)',
  monotone: false,
  range: range(bound(R(-3n, 8n), true, true), null, '[−3/8, ∞)'),
  zero: ZERO,
  zeroBelow: { at: R(-3n), inclusive: true },
  kernel: rationalKernel(
    (x) => mul(x, hardSigmoidExact(x)),
    (c, n, out) => pq(out, c * hardSigmoidScaled(c, n), 6 * 2 ** n),
  ),
};

const step: Spec = {
  formula: 'x ≥ 0 ? 1 : 0',
  monotone: true,
  range: range(bound(ZERO, true, true), bound(ONE, true, true), '{0, 1}'),
  zero: R(-1n),
  zeroBelow: { at: ZERO, inclusive: false },
  kernel: rationalKernel(
    (x) => (isNeg(x) ? ZERO : ONE),
    (c, n, out) => pq(out, c >= 0 ? 2 ** n : 0, 1),
  ),
};

function leakyRelu(alpha: Rational): Spec {
  const neg0 = alpha.num === 0n;
  const alphaSafe = Number.isSafeInteger(Number(alpha.num)) && Number.isSafeInteger(Number(alpha.den));
  return {
    formula: 'x ≥ 0 ? x : αx',
    monotone: alpha.num >= 0n,
    range: alpha.num > 0n ? range(null, null, '(−∞, ∞)') : range(bound(ZERO, true, true), null, '[0, ∞)'),
    zero: ZERO,
    zeroBelow: neg0 ? { at: ZERO, inclusive: true } : null,
    kernel: rationalKernel(
      (x) => (isNeg(x) ? mul(alpha, x) : x),
      (c, _n, out) =>
        c >= 0 ? pq(out, c, 1) : alphaSafe && pq(out, Number(alpha.num) * c, Number(alpha.den)),
    ),
  };
}

function elu(alpha: Rational): Spec {
  const alphaD = toNumber(alpha);
  // the head −α of the far-left tail must be an exact double
  const alphaExact =
    Number.isFinite(alphaD) && Math.abs(alphaD) < 2 ** 30 && compare(fromDouble(alphaD), alpha) === 0;
  const small = Math.abs(alphaD) < 2 ** 30;
  // α = ±2^j (|j| ≤ 30): αx is exact for the arguments of the tiny branch
  const alphaPow2 =
    alphaExact &&
    alphaD !== 0 &&
    Number.isInteger(Math.log2(Math.abs(alphaD))) &&
    Math.abs(alphaD) >= 2 ** -30;
  const negAlpha = neg(alpha);
  return {
    formula: 'x > 0 ? x : α(e^x − 1)',
    monotone: alpha.num >= 0n,
    range:
      alpha.num > 0n
        ? range(bound(negAlpha, true, false), null, `(${toDecimalString(negAlpha)}, ∞)`)
        : range(bound(ZERO, true, true), null, '[0, ∞)'),
    zero: ZERO,
    zeroBelow: alpha.num === 0n ? { at: ZERO, inclusive: true } : null,
    kernel: {
      small: (x) => smallArgumentEnclosure('elu', x, alpha),
      exact: (x) => (!isNeg(x) ? x : alpha.num === 0n ? ZERO : null),
      exactScaled: (c, _n, out) => (c >= 0 ? pq(out, c, 1) : alpha.num === 0n && pq(out, 0, 1)),
      estimate: (x, out) => {
        if (x >= 0 || !small) return false;
        if (alphaPow2 && x >= -SMALL && x <= -(2 ** -960)) {
          // α(x + x²/2 + x³/6), remainder ≤ |α|h⁴/24 (stated twice that); αx exact (α a power of two)
          const x2 = x * x;
          const t = alphaD * (x2 / 2 + (x2 * x) / 6);
          return put(out, alphaD * x, t, (Math.abs(alphaD) * x2 * x2) / 12 + Math.abs(t) * 2 ** -48);
        }
        const s = alphaD > 0 ? 1 : -1;
        if (alphaExact && x <= -0.5) {
          // α(e^x − 1) = −α + α·e^x
          if (x <= -650) return put(out, -alphaD, 0, 0, s);
          const t = alphaD * Math.exp(x);
          return put(out, -alphaD, t, Math.abs(t) * DOUBLE_REL);
        }
        const t = alphaD * Math.expm1(x);
        return put(out, 0, t, Math.abs(t) * DOUBLE_REL);
      },
      enclose: (x, ia) => {
        if (!isNeg(x)) return withTail(x, ia.point(0));
        const A = ia.rational(alpha);
        if (compare(x, neg(HALF)) <= 0) {
          if (atMost(x, -5740) && small) return tinyFar(negAlpha, alpha.num > 0n ? 1 : -1);
          return withTail(negAlpha, ia.mul(A, ia.exp(ia.rational(x))));
        }
        return withTail(ZERO, ia.mul(A, ia.expm1(ia.rational(x))));
      },
    },
  };
}

/** Renders an exact parameter: a decimal when it terminates, else p/q. */
export function paramText(r: Rational): string {
  return toDecimalString(r);
}

/** Key form of a parameter: the integer or the fraction p/q in lowest terms. */
function paramKey(r: Rational): string {
  return r.den === 1n ? r.num.toString() : `${r.num}/${r.den}`;
}

/** The built-in activation `name` with validated exact parameters (defaults filled in by the caller). */
export function makeBuiltin(name: BuiltinName, params: Readonly<Record<string, Rational>>): Activation {
  let spec: Spec;
  switch (name) {
    case 'identity':
      spec = identity;
      break;
    case 'relu':
      spec = relu;
      break;
    case 'leaky-relu':
      spec = leakyRelu(params.alpha);
      break;
    case 'elu':
      spec = elu(params.alpha);
      break;
    case 'sigmoid':
      spec = sigmoid;
      break;
    case 'tanh':
      spec = tanh;
      break;
    case 'softplus':
      spec = softplus;
      break;
    case 'silu':
      spec = silu;
      break;
    case 'mish':
      spec = mish;
      break;
    case 'gelu':
      spec = gelu;
      break;
    case 'gelu-tanh':
      spec = geluTanh;
      break;
    case 'hard-sigmoid':
      spec = hardSigmoid;
      break;
    case 'hard-swish':
      spec = hardSwish;
      break;
    default:
      spec = step;
  }
  const names = Object.keys(params).sort();
  const key =
    names.length === 0 ? name : `${name}(${names.map((p) => `${p}=${paramKey(params[p])}`).join(',')})`;
  const shown: Record<string, string> = {};
  for (const p of names) shown[p] = paramText(params[p]);
  return Object.freeze({
    name,
    key,
    params: Object.freeze(shown),
    monotone: spec.monotone,
    json: names.length === 0 ? name : Object.freeze({ name, ...shown }),
    formula: spec.formula,
    range: spec.range,
    zero: spec.zero,
    zeroBelow: spec.zeroBelow,
    domain: null,
    kernel: spec.kernel,
  });
}
