import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideDecimal, decideNumber } from '../src/activations/decide.js';
import { type Interval, intervalArithmetic } from '../src/activations/decimal-interval.js';
import { ERR, HEAD, TAIL, TINY, TINY_SIGN } from '../src/activations/kernel.js';
import {
  NORMAL_TAIL_DOUBLE_REL,
  normalTailDouble,
  normalTailInterval,
} from '../src/activations/normal-tail.js';
import { fromDouble, ratio, toDecimalString } from '../src/core/rational.js';
import { parseActivation } from '../src/index.js';

const REF = Decimal.clone({ precision: 120, toExpNeg: -9e15, toExpPos: 9e15, minE: -9e15, maxE: 9e15 });
const exactDecimal = (v: number) => new REF(toDecimalString(fromDouble(v)));

function contains(i: Interval, v: Decimal.Value): boolean {
  return i.lo.lte(v) && i.hi.gte(v);
}

describe('decimal interval arithmetic', () => {
  const ia = intervalArithmetic(50);
  const narrow = (i: Interval) =>
    i.hi
      .minus(i.lo)
      .abs()
      .lte(new REF(10).pow(-45).times(i.hi.abs().plus(1e-300)));

  it('encloses exp, expm1, ln, log1p, sqrt and π tightly (against decimal.js at 120 digits)', () => {
    const samples = ['0', '1e-30', '-0.3', '0.49', '0.5', '2.75', '-17.125', '300', '-745.5', '1e-8'];
    for (const s of samples) {
      const x = ia.point(s);
      const v = new REF(s);
      expect([s, contains(ia.exp(x), REF.exp(v))]).toEqual([s, true]);
      const em1 = ia.expm1(x);
      expect([s, contains(em1, REF.exp(v).minus(1))]).toEqual([s, true]);
      if (!v.isZero()) expect([s, narrow(em1)]).toEqual([s, true]);
      if (v.gt(-1)) {
        const l = ia.log1p(x);
        if (!v.isZero()) expect([s, contains(l, REF.ln(v.plus(1))), narrow(l)]).toEqual([s, true, true]);
      }
      if (v.gt(0)) {
        expect([s, contains(ia.ln(x), REF.ln(v)), narrow(ia.ln(x))]).toEqual([s, true, true]);
        expect([s, contains(ia.sqrt(x), REF.sqrt(v))]).toEqual([s, true]);
      }
    }
    expect(contains(ia.pi(), REF.acos(-1))).toBe(true);
    expect(narrow(ia.pi())).toBe(true);
    expect(contains(ia.ln2(), REF.ln(2))).toBe(true);
  });

  it('keeps relative precision for tiny log1p and expm1 arguments', () => {
    const l = ia.log1p(ia.point('1e-200'));
    expect(contains(l, new REF('1e-200').minus(new REF('1e-400').div(2)))).toBe(true);
    expect(narrow(l)).toBe(true);
  });
});

describe('the normal tail Q(x) = Φ(−x)', () => {
  it(`double version: relative error within 2^${Math.log2(NORMAL_TAIL_DOUBLE_REL)} on [0, 36]`, () => {
    const ia = intervalArithmetic(40);
    const xs: number[] = [];
    for (let k = 0; k <= 36 * 4; k++) xs.push(k / 4);
    fc.sample(fc.double({ min: 0, max: 36, noNaN: true }), { numRuns: 40, seed: 7 }).forEach((x) => {
      xs.push(Math.round(x * 2 ** 20) / 2 ** 20);
    });
    let worst = 0;
    for (const x of xs) {
      const q = normalTailInterval(exactDecimal(x), ia);
      const d = exactDecimal(normalTailDouble(x));
      const rel = Decimal.max(d.minus(q.lo).abs(), d.minus(q.hi).abs()).div(q.lo).toNumber();
      worst = Math.max(worst, rel);
    }
    expect(worst).toBeLessThan(NORMAL_TAIL_DOUBLE_REL);
    expect(worst).toBeGreaterThan(0); // the comparison is real
  });

  it('interval version (series below 2, continued fraction above) agrees with erf by its Maclaurin series', () => {
    // independent reference: Q(x) = (1 − erf(x/√2))/2, erf by its alternating series at 120 digits
    const erf = (z: Decimal) => {
      const z2 = z.times(z);
      let power = z;
      let sum = z;
      for (let k = 1; k < 400; k++) {
        power = power.times(z2).div(k).neg();
        sum = sum.plus(power.div(2 * k + 1));
      }
      return sum.times(2).div(REF.sqrt(REF.acos(-1)));
    };
    const ia = intervalArithmetic(50);
    for (const x of ['0.5', '1', '1.999', '2', '3.25', '5', '7.5']) {
      const q = new REF(1).minus(erf(new REF(x).div(REF.sqrt(2)))).div(2);
      const enc = normalTailInterval(new Decimal(x), ia);
      expect([x, contains(enc, q), enc.hi.minus(enc.lo).div(q).lt(1e-45)]).toEqual([x, true, true]);
    }
  });
});

describe('double estimates of the built-ins stay within their stated error', () => {
  const names = [
    'sigmoid',
    'tanh',
    'softplus',
    'silu',
    'mish',
    'gelu',
    'gelu-tanh',
    'elu',
    'elu:alpha=0.3',
    'elu:alpha=0.5',
  ];
  it.each(names)('%s', (name) => {
    const act = parseActivation(name);
    const ia = intervalArithmetic(40);
    const out = new Float64Array(4);
    const points: number[] = [];
    for (let k = -100; k <= 100; k++) points.push(k / 2);
    fc.sample(fc.tuple(fc.integer({ min: -(2 ** 23), max: 2 ** 23 - 1 }), fc.integer({ min: 0, max: 20 })), {
      numRuns: name === 'gelu' ? 60 : 150,
      seed: 11,
    }).forEach(([k, n]) => {
      points.push(k / 2 ** n);
    });
    let worst = 0;
    for (const x of points) {
      if (!act.kernel.estimate!(x, out)) continue;
      const enc = act.kernel.enclose(fromDouble(x), ia);
      const head = new REF(toDecimalString(enc.head));
      if (out[TINY_SIGN] !== 0) {
        expect([x, exactDecimal(out[HEAD]).eq(head) || enc.tail !== null]).toEqual([x, true]);
        if (enc.tail !== null) {
          // claimed: σ(x) − head has sign TINY_SIGN and magnitude below TINY
          const t = out[TINY_SIGN] < 0 ? enc.tail.hi : enc.tail.lo;
          const signed = !t.isZero() && (out[TINY_SIGN] < 0 ? t.isNegative() : t.isPositive());
          expect([x, signed, enc.tail.lo.abs().lt(TINY)]).toEqual([x, true, true]);
        }
        continue;
      }
      const value: Interval =
        enc.tail === null
          ? { lo: head, hi: head }
          : { lo: head.plus(enc.tail.lo), hi: head.plus(enc.tail.hi) };
      const est = exactDecimal(out[HEAD]).plus(exactDecimal(out[TAIL]));
      const err = exactDecimal(out[ERR]);
      const off = Decimal.max(est.minus(value.lo).abs(), est.minus(value.hi).abs());
      expect([name, x, off.lte(err)]).toEqual([name, x, true]);
      if (!err.isZero()) worst = Math.max(worst, off.div(err).toNumber());
    }
    // the stated bounds are conservative: observed errors use a small part of them
    expect(worst).toBeLessThan(0.5);
  });
});

describe('deciding a bracket', () => {
  it('decides only brackets strictly inside one rounding cell (open ends may touch)', () => {
    expect(decideNumber(10, 0.2, 0.3, false, false, 'floor')).toBe(10);
    expect(decideNumber(10, 0.2, 0.3, false, false, 'ceil')).toBe(11);
    expect(decideNumber(10, 0.2, 0.3, false, false, 'nearest-even')).toBe(10);
    expect(decideNumber(10, 0.6, 0.7, false, false, 'nearest-zero')).toBe(11);
    expect(decideNumber(-10, 0.2, 0.3, false, false, 'toward-zero')).toBe(-9);
    expect(decideNumber(10, -1e-300, 0, false, true, 'floor')).toBe(9);
    expect(decideNumber(10, -1e-300, 0, false, false, 'floor')).toBeNaN();
    expect(decideNumber(10, 0.5 - 2 ** -53, 0.5, false, true, 'nearest-away')).toBe(10);
    expect(decideNumber(10, 0.5, 0.5 + 2 ** -53, true, false, 'nearest-down')).toBe(11);
    expect(decideNumber(10, 0.4, 0.6, false, false, 'nearest-even')).toBeNaN();
    expect(decideNumber(10, 0.9, 1.1, false, false, 'floor')).toBeNaN();
    const d = (v: string) => new Decimal(v);
    expect(decideDecimal(-5n, d('-1e-900'), d('0'), false, true, 'floor')).toBe(-6n);
    expect(decideDecimal(-5n, d('-1e-900'), d('0'), false, true, 'toward-zero')).toBe(-5n);
    expect(decideDecimal(3n, d('0.49'), d('0.51'), false, false, 'nearest-even')).toBeNull();
    expect(decideDecimal(3n, d('0.51'), d('0.52'), false, false, 'nearest-even')).toBe(4n);
    void ratio;
  });
});

describe('small arguments: tiny double estimates and exact-rational enclosures', () => {
  // independent reference: the definitions in decimal.js at 140 digits (erf by its Maclaurin series);
  // for 2^-60 ≤ |x| ≤ 2^-12 the enclosures are wider than 2^-300 > 10^-91, so 140 digits resolve them
  const D = Decimal.clone({ precision: 140, toExpNeg: -9e15, toExpPos: 9e15, minE: -9e15, maxE: 9e15 });
  const PI = D.acos(-1);
  const sigmoid = (x: Decimal) => new D(1).div(D.exp(x.neg()).plus(1));
  const phi = (x: Decimal) => {
    // Φ(x) = 1/2 + (1/√(2π))·Σ (−1)^k x^(2k+1) / (2^k k! (2k+1))
    let sum = new D(0);
    let pow = x; // x^(2k+1) / (2^k k!)
    for (let k = 0; k < 200; k++) {
      const term = pow.div(2 * k + 1);
      sum = k % 2 === 0 ? sum.plus(term) : sum.minus(term);
      if (term.abs().lt(new D(10).pow(-160))) break;
      pow = pow
        .times(x)
        .times(x)
        .div(2 * (k + 1));
    }
    return sum.div(D.sqrt(PI.times(2))).plus(0.5);
  };
  const refs: Record<string, (x: Decimal) => Decimal> = {
    sigmoid,
    tanh: (x) => D.tanh(x),
    softplus: (x) => D.ln(D.exp(x).plus(1)),
    silu: (x) => x.times(sigmoid(x)),
    // tanh(ln(1 + E)) = E(E+2)/(E(E+2)+2), E = eˣ
    mish: (x) => {
      const e = D.exp(x);
      const w = e.times(e.plus(2));
      return x.times(w).div(w.plus(2));
    },
    gelu: (x) => x.times(phi(x)),
    // x(1 + tanh y)/2 = x·sigmoid(2y)
    'gelu-tanh': (x) =>
      x.times(
        sigmoid(
          D.sqrt(new D(2).div(PI))
            .times(x.plus(new D('0.044715').times(x.pow(3))))
            .times(2),
        ),
      ),
    elu: (x) => D.exp(x).minus(1),
    'elu:alpha=0.5': (x) => D.exp(x).minus(1).times(0.5),
    'elu:alpha=0.3': (x) => D.exp(x).minus(1).times(0.3),
  };
  const points: number[] = [];
  for (let k = 12; k <= 60; k += 2) for (const j of [0, 1, 3, 5, 7]) points.push((1 + j / 8) * 2 ** (-k - 1));
  points.push(2 ** -12);
  fc.sample(fc.tuple(fc.integer({ min: 1, max: 2 ** 20 }), fc.integer({ min: 12, max: 40 })), {
    numRuns: 40,
    seed: 5,
  }).forEach(([c, k]) => {
    points.push(Math.min(c * 2 ** (-k - 20), 2 ** -12));
  });
  it.each(Object.keys(refs))('%s', (name) => {
    const act = parseActivation(name);
    const out = new Float64Array(4);
    let estimates = 0;
    let enclosures = 0;
    for (const p of points)
      for (const x of [p, -p]) {
        if (name.startsWith('elu') && x > 0) continue;
        const X = new D(toDecimalString(fromDouble(x)));
        const want = refs[name](X);
        if (act.kernel.estimate!(x, out) && out[TINY_SIGN] === 0) {
          const est = new D(toDecimalString(fromDouble(out[HEAD]))).plus(
            new D(toDecimalString(fromDouble(out[TAIL]))),
          );
          const err = new D(toDecimalString(fromDouble(out[ERR])));
          expect([name, x, est.minus(want).abs().lte(err)]).toEqual([name, x, true]);
          estimates++;
        }
        const small = act.kernel.small!(fromDouble(x));
        expect([name, x, small !== null]).toEqual([name, x, true]);
        const lo = new D(small!.lo.num.toString()).div(small!.lo.den.toString());
        const hi = new D(small!.hi.num.toString()).div(small!.hi.den.toString());
        expect([name, x, lo.lte(want), hi.gte(want)]).toEqual([name, x, true, true]);
        enclosures++;
      }
    expect(enclosures).toBeGreaterThan(150);
    if (name !== 'softplus' && name !== 'mish' && name !== 'elu:alpha=0.3')
      expect(estimates).toBeGreaterThan(150);
  });
});
