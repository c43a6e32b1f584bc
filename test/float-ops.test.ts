import { describe, expect, it } from 'vitest';
import { FxnnError } from '../src/errors.js';
import { floatFastOps } from '../src/float/float-fast.js';
import { classify, makeFloatFormat, parseFloatFormat } from '../src/float/float-format.js';
import { floatFormatFacts, operateFloat, roundFloat } from '../src/float/float-front.js';
import { floatOp } from '../src/float/float-ops.js';
import {
  FLOAT_OVERFLOWS,
  FLOAT_ROUNDINGS,
  type FloatPolicy,
  roundRational,
} from '../src/float/float-rounding.js';
import { mulberry32 } from '../src/prng.js';
import { type Fr, isNaNRef, type Mode, type Ovf, refFormat, refOp, refRound } from './float-reference.js';

const POLICIES: FloatPolicy[] = FLOAT_ROUNDINGS.flatMap((rounding) =>
  FLOAT_OVERFLOWS.map((overflow) => ({ rounding, overflow })),
);

function ours(run: () => { code: number }): number | 'error' {
  try {
    return run().code;
  } catch (e) {
    if (e instanceof FxnnError && e.message.startsWith('overflow')) return 'error';
    throw e;
  }
}

describe('float formats', () => {
  it('has the facts of the issue', () => {
    const e4 = floatFormatFacts('E4M3');
    expect([e4.bits, e4.bias, e4.minSubnormal, e4.minNormal, e4.max, e4.finiteValues, e4.hasOne]).toEqual([
      8,
      7,
      '0.001953125',
      '0.015625',
      '448',
      253,
      true,
    ]);
    expect(floatFormatFacts('E4M3FN')).toEqual(e4);
    expect(parseFloatFormat('e4m3fn')).toBe(parseFloatFormat('E4M3'));
    const e5 = floatFormatFacts('E5M2');
    expect([e5.bias, e5.max, e5.minSubnormal, e5.finiteValues, e5.infinities]).toEqual([
      15,
      '57344',
      '0.0000152587890625',
      247,
      true,
    ]);
    expect(floatFormatFacts('fp16').max).toBe('65504');
    expect(parseFloatFormat('E5M10')).toBe(parseFloatFormat('fp16'));
    expect(floatFormatFacts('bf16').max).toBe((255n * 2n ** 120n).toString());
    expect(parseFloatFormat('E8M7')).toBe(parseFloatFormat('bf16'));
    expect(floatFormatFacts('E2M1FN').max).toBe('4'); // not OCP MXFP4's E2M1 (max 6)
    expect(floatFormatFacts('E2M1').max).toBe('3');
    expect(floatFormatFacts('E3M4').finiteValues).toBe(2 * 7 * 16 - 1);
  });

  it('refuses bad specs with one clear error each', () => {
    expect(() => parseFloatFormat('E0M3')).toThrow(/at least 2 exponent bits/);
    expect(() => parseFloatFormat('E1M3')).toThrow(/at least 2 exponent bits/);
    expect(() => parseFloatFormat('E4M0')).toThrow(/at least 1 mantissa bit/);
    expect(() => parseFloatFormat('E9M9')).toThrow(/19 bits .* at most 16/);
    expect(() => parseFloatFormat('E4M3FNUZ')).toThrow(/FNUZ formats .* not supported/);
    expect(() => makeFloatFormat(4, 3, false)).toThrow(/OCP format E4M3FN/);
    expect(() => roundFloat('E4M3', '1', { rounding: 'nearest-up' })).toThrow(/unknown rounding/);
    expect(() => roundFloat('E4M3', '1', { overflow: 'wrap' })).toThrow(/unknown overflow/);
    expect(() => operateFloat('E4M3', 'add', 'inf', '1')).toThrow(/has no infinities/);
    expect(() => operateFloat('E4M3', 'add', '0.3', '1')).toThrow(/nearest are 0.28125 and 0.3125/);
  });
});

describe('the rules of the issue', () => {
  const r = (x: string, o: { rounding?: string; overflow?: string } = {}) => roundFloat('E4M3', x, o).value;
  it('E4M3: 464 → 448, above 464 overflows', () => {
    expect(r('464')).toBe('448');
    expect(r('464.0001')).toBe('nan');
    expect(r('465')).toBe('nan');
    expect(r('-465')).toBe('nan');
    expect(r('465', { overflow: 'saturate' })).toBe('448');
    expect(r('-465', { overflow: 'saturate' })).toBe('-448');
    expect(() => r('465', { overflow: 'error' })).toThrow(/overflow: 465 rounds to 480/);
    expect(r('479', { rounding: 'toward-zero' })).toBe('448'); // rounds to 448: no overflow
    expect(roundFloat('E4M3', '479', { rounding: 'toward-zero' }).overflowed).toBe(false);
  });
  it('under infinity each rounding mode gives what IEEE 754 gives', () => {
    const e5 = (x: string, rounding: string) => roundFloat('E5M2', x, { rounding }).value;
    expect(['nearest-even', 'nearest-away', 'toward-zero', 'floor', 'ceil'].map((m) => e5('1e6', m))).toEqual(
      ['inf', 'inf', '57344', '57344', 'inf'],
    );
    expect(
      ['nearest-even', 'nearest-away', 'toward-zero', 'floor', 'ceil'].map((m) => e5('-1e6', m)),
    ).toEqual(['-inf', '-inf', '-57344', '-inf', '-57344']);
    expect(r('1000', { rounding: 'ceil' })).toBe('nan');
    expect(r('-1000', { rounding: 'ceil' })).toBe('-448');
  });
  it('signed zeros', () => {
    expect(r('1e-9')).toBe('0');
    expect(r('-1e-9')).toBe('-0');
    expect(r('-1e-9', { rounding: 'floor' })).toBe('-0.001953125');
    const op = (o: string, a: string, b: string, rounding = 'nearest-even') =>
      operateFloat('E5M2', o, a, b, { rounding }).value;
    expect(op('sub', '1.5', '1.5')).toBe('0');
    expect(op('sub', '1.5', '1.5', 'floor')).toBe('-0');
    expect(op('add', '0', '-0')).toBe('0');
    expect(op('add', '0', '-0', 'floor')).toBe('-0');
    expect(op('add', '-0', '-0')).toBe('-0');
    expect(op('sub', '-0', '0', 'ceil')).toBe('-0');
    expect(op('mul', '-0', '3')).toBe('-0');
    expect(op('mul', '-0', '-3')).toBe('0');
    expect(op('div', '1', '-0')).toBe('-inf');
    expect(op('div', '-1', '-0')).toBe('inf');
    expect(op('div', '0', '0')).toBe('nan');
    expect(op('div', '0', '-2')).toBe('-0');
    expect(op('sub', 'inf', 'inf')).toBe('nan');
    expect(op('mul', 'inf', '0')).toBe('nan');
    expect(op('mul', '-inf', '2')).toBe('-inf');
    expect(op('div', '2', 'inf')).toBe('0');
    expect(operateFloat('E4M3', 'div', '1', '-0').value).toBe('nan');
    expect(operateFloat('E4M3', 'div', '1', '-0', { overflow: 'saturate' }).value).toBe('-448');
    expect(operateFloat('E4M3', 'mul', '1.5', '-0.3125').value).toBe('-0.46875');
    // a product below half the least subnormal keeps its sign
    expect(operateFloat('E4M3', 'mul', '0.001953125', '-0.25').value).toBe('-0');
  });
});

/** A random exact real near the format's values: grid points, midpoints, ties, tiny and huge values. */
function randomReal(rand: () => number, f: ReturnType<typeof refFormat>): Fr {
  const vs = f.values;
  const i = Math.floor(rand() * (vs.length - 1));
  const a = vs[i];
  const b = vs[i + 1];
  const k = rand();
  let t: Fr;
  if (k < 0.15) t = { num: 0n, den: 1n };
  else if (k < 0.35)
    t = { num: 1n, den: 2n }; // a tie
  else if (k < 0.45)
    t = { num: 2n ** 40n + 1n, den: 2n ** 41n }; // just above a tie
  else if (k < 0.55) t = { num: 2n ** 40n - 1n, den: 2n ** 41n };
  else t = { num: BigInt(Math.floor(rand() * 1e9)), den: 1000000000n };
  // a + t·(b − a)
  const d = { num: b.num * a.den - a.num * b.den, den: a.den * b.den };
  let x = { num: a.num * d.den * t.den + t.num * d.num * a.den, den: a.den * d.den * t.den };
  if (rand() < 0.05) x = { num: x.num * 7n, den: x.den * 3n }; // beyond max sometimes
  if (rand() < 0.05) x = { num: x.num, den: x.den * 2n ** 30n }; // far below the least subnormal
  return rand() < 0.5 ? { num: -x.num, den: x.den } : x;
}

const SPECS: Array<[string, number, number, boolean]> = [
  ['E4M3', 4, 3, true],
  ['E5M2', 5, 2, false],
  ['E3M4', 3, 4, false],
  ['E2M1FN', 2, 1, true],
  ['E2M3', 2, 3, false],
  ['E3M2FN', 3, 2, true],
  ['fp16', 5, 10, false],
  ['bf16', 8, 7, false],
  ['E6M5FN', 6, 5, true],
  ['E10M5', 10, 5, false],
];

describe('rounding agrees with the enumerating reference', () => {
  for (const [spec, e, m, fn] of SPECS) {
    it(`${spec}: 3000 reals × every rounding and overflow mode`, () => {
      const f = parseFloatFormat(spec);
      const ref = refFormat(e, m, fn);
      const rand = mulberry32(e * 100 + m);
      let n = 0;
      for (let i = 0; i < 3000; i++) {
        const x = randomReal(rand, ref);
        for (const p of POLICIES) {
          const want = refRound(ref, x, p.rounding as Mode, p.overflow as Ovf);
          const got = ours(() => roundRational(x, f, p));
          if (typeof want === 'number' && isNaNRef(want, ref)) expect(classify(got as number, f)).toBe('nan');
          else if (got !== want)
            expect({ x: `${x.num}/${x.den}`, ...p, got }).toEqual({
              x: `${x.num}/${x.den}`,
              ...p,
              got: want,
            });
          n++;
        }
      }
      expect(n).toBe(3000 * 15);
    });
  }
});

/** Compares floatOp with the reference on one case; returns 1 (for counting). */
function checkOp(
  f: ReturnType<typeof parseFloatFormat>,
  ref: ReturnType<typeof refFormat>,
  op: 'add' | 'sub' | 'mul' | 'div',
  a: number,
  b: number,
  p: FloatPolicy,
): number {
  const want = refOp(ref, op, a, b, p.rounding as Mode, p.overflow as Ovf);
  const got = ours(() => floatOp(op, a, b, f, p));
  const nan = want === 'nan' || (typeof want === 'number' && isNaNRef(want, ref));
  if (nan ? !(typeof got === 'number' && classify(got, f) === 'nan') : got !== want) {
    expect({ op, a, b, ...p, got }).toEqual({ op, a, b, ...p, got: want });
  }
  return 1;
}

describe('operations agree with the exact-rational reference', () => {
  it('E4M3 and E5M2: every pair of codes (NaN and ∞ too), each op, modes in turn', () => {
    let n = 0;
    for (const [spec, e, m, fn] of [SPECS[0], SPECS[1]]) {
      const f = parseFloatFormat(spec);
      const ref = refFormat(e, m, fn);
      let k = 0;
      for (let a = 0; a < 256; a++)
        for (let b = 0; b < 256; b++)
          for (const op of ['add', 'mul', 'div'] as const) n += checkOp(f, ref, op, a, b, POLICIES[k++ % 15]);
    }
    expect(n).toBe(2 * 65536 * 3);
  }, 60_000);

  for (const [spec, e, m, fn] of SPECS.slice(2)) {
    it(`${spec}: random pairs, every op and mode`, () => {
      const f = parseFloatFormat(spec);
      const ref = refFormat(e, m, fn);
      const rand = mulberry32(7 + e * 31 + m);
      const size = 2 ** f.bits;
      let n = 0;
      for (let i = 0; i < 1500; i++) {
        const a = Math.floor(rand() * size);
        // b near a often, for cancellation, ties and x − x
        const b = rand() < 0.3 ? (a + Math.floor(rand() * 5) - 2 + size) % size : Math.floor(rand() * size);
        const p = POLICIES[i % 15];
        for (const op of ['add', 'sub', 'mul', 'div'] as const) n += checkOp(f, ref, op, a, b, p);
        n += checkOp(f, ref, 'sub', a, a, p);
      }
      expect(n).toBe(1500 * 5);
    });
  }
});

describe('the fast path equals the exact path', () => {
  it('every pair of codes of E4M3, E5M2, E2M1FN, each op, modes in turn', () => {
    let n = 0;
    for (const spec of ['E4M3', 'E5M2', 'E2M1FN']) {
      const f = parseFloatFormat(spec);
      const size = 2 ** f.bits;
      for (const op of ['add', 'sub', 'mul', 'div'] as const)
        for (let a = 0; a < size; a++)
          for (let b = 0; b < size; b++) {
            const p = POLICIES[(a * 7 + b) % 15];
            const fast = floatFastOps(f, p);
            const slow = ours(() => floatOp(op, a, b, f, p));
            const got = ours(() => ({ code: fast[op](a, b) }));
            if (
              got !== slow &&
              !(classify(slow as number, f) === 'nan' && classify(got as number, f) === 'nan')
            )
              expect({ spec, op, a, b, ...p, got }).toEqual({ spec, op, a, b, ...p, got: slow });
            n++;
          }
    }
    expect(n).toBe(4 * (65536 * 2 + 256));
  }, 120_000);

  for (const spec of ['fp16', 'bf16', 'E2M13', 'E14M1', 'E6M9FN']) {
    it(`${spec}: random pairs, every op, modes in turn`, () => {
      const f = parseFloatFormat(spec);
      const rand = mulberry32(f.bits * 13 + f.manBits);
      const size = 2 ** f.bits;
      for (let i = 0; i < (f.expBits > 10 ? 2000 : 8000); i++) {
        const a = Math.floor(rand() * size);
        const b = i % 4 === 0 ? (a + Math.floor(rand() * 9) - 4 + size) % size : Math.floor(rand() * size);
        const p = POLICIES[i % 15];
        const fast = floatFastOps(f, p);
        for (const op of ['add', 'sub', 'mul', 'div'] as const) {
          const slow = ours(() => floatOp(op, a, b, f, p));
          const got = ours(() => ({ code: fast[op](a, b) }));
          if (
            got !== slow &&
            !(classify(slow as number, f) === 'nan' && classify(got as number, f) === 'nan')
          )
            expect({ spec, op, a, b, ...p, got }).toEqual({ spec, op, a, b, ...p, got: slow });
        }
      }
    });
  }
});
