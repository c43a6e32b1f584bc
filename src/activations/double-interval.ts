import { NORMAL_TAIL_DOUBLE_REL, normalTailDouble } from './normal-tail.js';

/**
 * Interval arithmetic on doubles with outward widening, the fast path of expression activations.
 * Every computed end is pushed outward by 2^-50 of its magnitude (plus 2^-1070): at least twice an
 * ulp, which covers the correctly rounded + − × ÷ √ and V8's libm functions (fdlibm ports, < 1 ulp).
 * Anything this arithmetic cannot bound (a divisor interval containing 0, a domain problem, an
 * overflow) gives null, and the caller falls back to exact rationals or decimal intervals.
 */
export interface DInterval {
  readonly lo: number;
  readonly hi: number;
}

const REL = 2 ** -50;
const ABS = 2 ** -1070;

const down = (v: number) => v - Math.abs(v) * REL - ABS;
const up = (v: number) => v + Math.abs(v) * REL + ABS;

function make(lo: number, hi: number): DInterval | null {
  const l = down(lo);
  const h = up(hi);
  return Number.isFinite(l) && Number.isFinite(h) && l <= h ? { lo: l, hi: h } : null;
}

export const dPoint = (v: number): DInterval => ({ lo: v, hi: v });

export function dAdd(a: DInterval, b: DInterval): DInterval | null {
  return make(a.lo + b.lo, a.hi + b.hi);
}

export function dSub(a: DInterval, b: DInterval): DInterval | null {
  return make(a.lo - b.hi, a.hi - b.lo);
}

export function dNeg(a: DInterval): DInterval {
  return { lo: -a.hi, hi: -a.lo };
}

export function dMul(a: DInterval, b: DInterval): DInterval | null {
  const p = [a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi];
  return make(Math.min(...p), Math.max(...p));
}

export function dDiv(a: DInterval, b: DInterval): DInterval | null {
  if (b.lo <= 0 && b.hi >= 0) return null;
  const p = [a.lo / b.lo, a.lo / b.hi, a.hi / b.lo, a.hi / b.hi];
  return make(Math.min(...p), Math.max(...p));
}

export function dAbs(a: DInterval): DInterval {
  if (a.lo >= 0) return a;
  if (a.hi <= 0) return dNeg(a);
  return { lo: 0, hi: Math.max(-a.lo, a.hi) };
}

/** An increasing function applied at both ends, with extra relative error `rel` and absolute error `abs`. */
export function dUp(a: DInterval, f: (v: number) => number, rel = 0, abs = 0): DInterval | null {
  const lo = f(a.lo);
  const hi = f(a.hi);
  if (!(lo <= hi)) return null;
  return make(lo - Math.abs(lo) * rel - abs, hi + Math.abs(hi) * rel + abs);
}

/** A decreasing function applied at both ends. */
export function dDown(a: DInterval, f: (v: number) => number, rel = 0, abs = 0): DInterval | null {
  return dUp(dNeg(a), (v) => f(-v), rel, abs);
}

export function dPowInt(a: DInterval, n: number): DInterval | null {
  if (n === 0) return dPoint(1);
  let base: DInterval | null = n % 2 === 0 ? dAbs(a) : a;
  let acc: DInterval | null = null;
  for (let m = n; m > 0 && base !== null; m >>= 1) {
    if (m & 1) acc = acc === null ? base : dMul(acc, base);
    if (acc === null) return null;
    if (m > 1) base = dMul(base, base);
  }
  return acc;
}

/** σ(v) = 1/(1+e^(−v)) without overflow. */
export function sigmoidDouble(v: number): number {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

/** ln(1+e^v) without overflow. */
export function softplusDouble(v: number): number {
  return v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v));
}

/** erfc(v) = 2·Q(v√2) (relative error about NORMAL_TAIL_DOUBLE_REL for v ≥ 0). */
export function erfcDouble(v: number): number {
  return v >= 0 ? 2 * normalTailDouble(v * Math.SQRT2) : 2 - 2 * normalTailDouble(-v * Math.SQRT2);
}

export function erfDouble(v: number): number {
  if (v === 0) return 0;
  return v > 0 ? 1 - 2 * normalTailDouble(v * Math.SQRT2) : 2 * normalTailDouble(-v * Math.SQRT2) - 1;
}

/**
 * Extra error allowed for erf/erfc, relative to the computed tail 2Q: the tail's bound plus the
 * rounding of v√2 (relative sensitivity of Q about v²). erfc's value is ≥ 2Q's; erf = ±(1 − 2Q) gets it
 * as an absolute error.
 */
export function erfRel(a: DInterval): number {
  const m = Math.max(Math.abs(a.lo), Math.abs(a.hi));
  return 16 * NORMAL_TAIL_DOUBLE_REL + (2 * m * m + 4) * 2 ** -51;
}
