import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyOverflow, OverflowError, overflowClamp } from '../src/core/overflow.js';
import { roundQuotient, roundQuotientNumber, shiftRounder } from '../src/core/rounding.js';
import { FxnnError } from '../src/errors.js';
import { roundValue } from '../src/fixed.js';
import { type Format, parseFormat } from '../src/format.js';
import { makePolicy, OVERFLOW_MODES, ROUNDING_MODES, type Rounding } from '../src/policy.js';
import { codeValue, type Frac, formatArb, frac, policyArb, quantizeRef, rndRef } from './exact-reference.js';

const NEAREST: Rounding[] = ['nearest-even', 'nearest-away', 'nearest-up', 'nearest-down', 'nearest-zero'];

describe('ties at step 0.5 (Q3.1), every mode, from the definitions', () => {
  // Each x lies exactly halfway between two neighbours of Q3.1 (step 0.5).
  const xs = ['-1.25', '-0.75', '-0.25', '0.25', '0.75', '1.25'];
  const table: Record<Rounding, string[]> = {
    //              -1.25   -0.75   -0.25  0.25   0.75   1.25
    'nearest-even': ['-1', '-1', '0', '0', '1', '1'], // to the even code (−2, −2, 0, 0, 2, 2)
    'nearest-away': ['-1.5', '-1', '-0.5', '0.5', '1', '1.5'], // away from zero
    'nearest-up': ['-1', '-0.5', '0', '0.5', '1', '1.5'], // toward +∞
    'nearest-down': ['-1.5', '-1', '-0.5', '0', '0.5', '1'], // toward −∞
    'nearest-zero': ['-1', '-0.5', '0', '0', '0.5', '1'], // toward zero
    floor: ['-1.5', '-1', '-0.5', '0', '0.5', '1'],
    ceil: ['-1', '-0.5', '0', '0.5', '1', '1.5'],
    'toward-zero': ['-1', '-0.5', '0', '0', '0.5', '1'],
  };
  for (const mode of ROUNDING_MODES) {
    it.each(xs.map((x, i) => [x, table[mode][i]]))(`${mode}: %s → %s`, (x, expected) => {
      for (const overflow of OVERFLOW_MODES) {
        const r = roundValue('Q3.1', x, { rounding: mode, overflow });
        expect(r).toEqual({
          value: expected,
          code: BigInt(Number(expected) * 2),
          overflowed: false,
          exact: false,
        });
      }
    });
  }

  it('the same ties one step further out, in code units of Q5.3 (x = k + 1/2 steps)', () => {
    // −2.5 steps of 0.125: nearest-even −2, away −3, up −2, down −3, zero −2
    const expected: Partial<Record<Rounding, bigint>> = {
      'nearest-even': -2n,
      'nearest-away': -3n,
      'nearest-up': -2n,
      'nearest-down': -3n,
      'nearest-zero': -2n,
    };
    for (const mode of NEAREST) {
      expect(roundValue('Q5.3', '-0.3125', { rounding: mode }).code).toBe(expected[mode]);
    }
  });

  it('values off the tie go to the nearest point in every nearest mode', () => {
    const cases: [string, string, string, string][] = [
      // x, nearest, floor, ceil
      ['-1.1', '-1', '-1.5', '-1'],
      ['-0.6', '-0.5', '-1', '-0.5'],
      ['-0.2', '0', '-0.5', '0'],
      ['0.1', '0', '0', '0.5'],
      ['0.7', '0.5', '0.5', '1'],
      ['1.2500001', '1.5', '1', '1.5'],
      ['-1.2500001', '-1.5', '-1.5', '-1'],
    ];
    for (const [x, nearest, floor, ceil] of cases) {
      for (const mode of NEAREST) expect(roundValue('Q3.1', x, { rounding: mode }).value).toBe(nearest);
      expect(roundValue('Q3.1', x, { rounding: 'floor' }).value).toBe(floor);
      expect(roundValue('Q3.1', x, { rounding: 'ceil' }).value).toBe(ceil);
      expect(roundValue('Q3.1', x, { rounding: 'toward-zero' }).value).toBe(x.startsWith('-') ? ceil : floor);
    }
  });
});

/** [x, rounding, result under saturate, result under wrap]; `error` throws exactly when saturate overflowed. */
type OverflowRow = [string, Rounding, string, string];

function checkOverflowTable(spec: string, rows: OverflowRow[]): void {
  for (const [x, rounding, saturated, wrapped] of rows) {
    const sat = roundValue(spec, x, { rounding, overflow: 'saturate' });
    const wrap = roundValue(spec, x, { rounding, overflow: 'wrap' });
    const overflows = sat.overflowed;
    expect(sat.value, `${x} ${rounding} saturate`).toBe(saturated);
    expect(wrap.value, `${x} ${rounding} wrap`).toBe(wrapped);
    expect(wrap.overflowed).toBe(overflows);
    if (overflows) {
      expect(sat.exact).toBe(false);
      expect(wrap.exact).toBe(false);
      expect(() => roundValue(spec, x, { rounding, overflow: 'error' }), `${x} ${rounding} error`).toThrow(
        OverflowError,
      );
    } else {
      expect(saturated).toBe(wrapped);
      expect(roundValue(spec, x, { rounding, overflow: 'error' }).value).toBe(saturated);
    }
  }
}

describe('overflow tables (saturate / wrap / error)', () => {
  it('Q3.0: range [−8, 7], wrap modulo 16', () => {
    checkOverflowTable('Q3.0', [
      ['7', 'nearest-even', '7', '7'],
      ['-8', 'nearest-even', '-8', '-8'],
      ['8', 'nearest-even', '7', '-8'],
      ['9', 'floor', '7', '-7'],
      ['15', 'ceil', '7', '-1'],
      ['16', 'nearest-even', '7', '0'],
      ['100', 'nearest-even', '7', '4'],
      ['-9', 'nearest-even', '-8', '7'],
      ['-16', 'nearest-even', '-8', '0'],
      ['-17', 'nearest-even', '-8', '-1'],
      ['-100', 'nearest-even', '-8', '-4'],
      // rounding that itself overflows: 7.5 is a tie between 7 and 8
      ['7.5', 'nearest-even', '7', '-8'],
      ['7.5', 'nearest-away', '7', '-8'],
      ['7.5', 'nearest-up', '7', '-8'],
      ['7.5', 'ceil', '7', '-8'],
      ['7.5', 'nearest-down', '7', '7'],
      ['7.5', 'nearest-zero', '7', '7'],
      ['7.5', 'floor', '7', '7'],
      ['7.5', 'toward-zero', '7', '7'],
      ['7.01', 'ceil', '7', '-8'],
      ['7.01', 'nearest-up', '7', '7'],
      ['-8.5', 'nearest-even', '-8', '-8'],
      ['-8.5', 'nearest-away', '-8', '7'],
      ['-8.5', 'nearest-down', '-8', '7'],
      ['-8.5', 'floor', '-8', '7'],
      ['-8.5', 'nearest-up', '-8', '-8'],
      ['-8.5', 'nearest-zero', '-8', '-8'],
      ['-8.5', 'ceil', '-8', '-8'],
      ['-8.5', 'toward-zero', '-8', '-8'],
      ['-8.25', 'floor', '-8', '7'],
      ['-8.25', 'nearest-down', '-8', '-8'],
      ['-8.75', 'nearest-zero', '-8', '7'],
    ]);
  });

  it('UQ4.0: range [0, 15], wrap modulo 16', () => {
    checkOverflowTable('UQ4.0', [
      ['0', 'nearest-even', '0', '0'],
      ['15', 'nearest-even', '15', '15'],
      ['-1', 'nearest-even', '0', '15'],
      ['-16', 'nearest-even', '0', '0'],
      ['-17', 'nearest-even', '0', '15'],
      ['16', 'nearest-even', '15', '0'],
      ['17', 'nearest-even', '15', '1'],
      ['31', 'nearest-even', '15', '15'],
      ['32', 'nearest-even', '15', '0'],
      // rounding that itself overflows below zero: −0.5 is a tie between −1 and 0
      ['-0.5', 'nearest-even', '0', '0'],
      ['-0.5', 'nearest-away', '0', '15'],
      ['-0.5', 'nearest-down', '0', '15'],
      ['-0.5', 'nearest-up', '0', '0'],
      ['-0.5', 'nearest-zero', '0', '0'],
      ['-0.5', 'floor', '0', '15'],
      ['-0.5', 'ceil', '0', '0'],
      ['-0.5', 'toward-zero', '0', '0'],
      ['-0.25', 'floor', '0', '15'],
      ['-0.25', 'nearest-away', '0', '0'],
      ['-1.5', 'nearest-even', '0', '14'],
      // … and above the top: 15.5 is a tie between 15 and 16
      ['15.5', 'nearest-even', '15', '0'],
      ['15.5', 'nearest-away', '15', '0'],
      ['15.5', 'nearest-down', '15', '15'],
      ['15.5', 'floor', '15', '15'],
      ['15.1', 'ceil', '15', '0'],
      ['15.1', 'nearest-even', '15', '15'],
    ]);
  });

  it('SQ saturates to ±max and has no wrap', () => {
    const sq = (x: string, rounding: Rounding = 'nearest-even') =>
      roundValue('SQ3.0', x, { rounding, overflow: 'saturate' });
    expect(sq('-8')).toEqual({ value: '-7', code: -7n, overflowed: true, exact: false });
    expect(sq('-7')).toEqual({ value: '-7', code: -7n, overflowed: false, exact: true });
    expect(sq('-7.5')).toEqual({ value: '-7', code: -7n, overflowed: true, exact: false }); // tie → −8 (even)
    expect(sq('-7.5', 'nearest-zero')).toEqual({ value: '-7', code: -7n, overflowed: false, exact: false });
    expect(sq('8')).toEqual({ value: '7', code: 7n, overflowed: true, exact: false });
    expect(roundValue('SQ0.3', '-1').value).toBe('-0.875');
    expect(() => roundValue('SQ3.0', '-8', { overflow: 'error' })).toThrow(
      'overflow: -8 is outside SQ3.0 [-7, 7]',
    );
    expect(() => roundValue('SQ3.0', '1', { overflow: 'wrap' })).toThrow(
      'overflow "wrap" is not defined for the symmetric format SQ3.0; use saturate or error',
    );
    // the kernels refuse it too (a caller that skipped makePolicy)
    const sq30 = parseFormat('SQ3.0');
    expect(() => applyOverflow(9n, sq30, 'wrap')).toThrow(
      'overflow "wrap" is not defined for the symmetric format',
    );
    expect(() => overflowClamp(sq30, 'wrap')).toThrow(
      'overflow "wrap" is not defined for the symmetric format',
    );
    expect(applyOverflow(5n, sq30, 'wrap')).toEqual({ code: 5n, overflowed: false });
  });

  it('wraps fractional formats on their codes (two’s complement)', () => {
    expect(roundValue('Q3.4', '9.5', { overflow: 'wrap' }).value).toBe('-6.5');
    expect(roundValue('Q0.3', '-1.125', { overflow: 'wrap' }).value).toBe('0.875');
    expect(roundValue('UQ0.2', '-0.25', { overflow: 'wrap' }).value).toBe('0.75');
    expect(roundValue('Q63.0', '9223372036854775808', { overflow: 'wrap' }).value).toBe(
      '-9223372036854775808',
    );
    expect(roundValue('UQ64.0', '-1', { overflow: 'wrap' }).value).toBe('18446744073709551615');
  });

  it('the overflow error names the value and the range', () => {
    expect(() => roundValue('Q3.4', '100', { overflow: 'error' })).toThrow(
      'overflow: 100 is outside Q3.4 [-8, 7.9375]',
    );
    expect(() => roundValue('UQ4.0', '-0.5', { rounding: 'floor', overflow: 'error' })).toThrow(
      'overflow: -1 is outside UQ4.0 [0, 15]',
    );
  });

  it('rejects unknown modes, naming them', () => {
    expect(() => roundValue('Q3.4', '1', { rounding: 'round-half-even' })).toThrow(
      'unknown rounding "round-half-even": expected one of nearest-even, nearest-away, nearest-up, nearest-down, nearest-zero, floor, ceil, toward-zero',
    );
    expect(() => roundValue('Q3.4', '1', { overflow: 'clamp' })).toThrow(
      'unknown overflow "clamp": expected one of saturate, wrap, error',
    );
    expect(() => makePolicy(parseFormat('Q3.4'), { rounding: 'Floor' })).toThrow(FxnnError);
  });
});

/** A random real x near the range of f: a count of 1/q steps, q often 1 or 2 (grid points and ties). */
function nearRangeArb(f: Format): fc.Arbitrary<Frac> {
  const den = fc.oneof(fc.constant(1n), fc.constant(2n), fc.bigInt({ min: 1n, max: 2n ** 70n }));
  return den.chain((q) => {
    const lo = (2n * f.minCode - 3n) * q;
    const hi = (2n * f.maxCode + 3n) * q;
    return fc.bigInt({ min: lo, max: hi }).map((k) => frac(k, q * 2n ** BigInt(f.fracBits)));
  });
}

describe('rnd against the exact-rational reference', () => {
  it('roundValue = reference, with its overflowed and exact flags, over random formats and modes', () => {
    const arb = formatArb().chain((f) => fc.tuple(fc.constant(f), policyArb(f), nearRangeArb(f)));
    fc.assert(
      fc.property(arb, ([f, policy, x]) => {
        const expected = rndRef(x, f, policy.rounding, policy.overflow);
        if (expected === 'overflow-error') {
          expect(() => roundValue(f, x, policy)).toThrow(OverflowError);
          return;
        }
        const r = roundValue(f, x, policy);
        expect({ code: r.code, overflowed: r.overflowed, exact: r.exact }).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('roundQuotient = reference on any p/q', () => {
    const integers = parseFormat('Q7.0'); // quantizeRef with n = 0 is plain integer rounding (no range)
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(2n ** 200n), max: 2n ** 200n }),
        fc.oneof(fc.constant(1n), fc.constant(2n), fc.bigInt({ min: 1n, max: 2n ** 100n })),
        fc.constantFrom(...ROUNDING_MODES),
        (p, q, mode) => {
          const r = roundQuotient(p, q, mode);
          expect(r.value).toBe(quantizeRef(frac(p, q), integers, mode));
          expect(r.exact).toBe(p % q === 0n);
          const twice = roundQuotient(2n * p, 2n * q, mode);
          expect(twice).toEqual(r);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('number kernels = BigInt kernel', () => {
  it('roundQuotientNumber = roundQuotient for safe p and q', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 52), max: 2 ** 52 }),
        fc.oneof(fc.constant(1), fc.constant(2), fc.integer({ min: 1, max: 2 ** 26 })),
        fc.constantFrom(...ROUNDING_MODES),
        (p, q, mode) => {
          const r = roundQuotientNumber(p, q, mode);
          expect(Object.is(r, -0)).toBe(false);
          expect(BigInt(r)).toBe(roundQuotient(BigInt(p), BigInt(q), mode).value);
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('shiftRounder = roundQuotient by 2^shift for |p| ≤ 2^52', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 52), max: 2 ** 52 }),
        fc.integer({ min: 0, max: 26 }),
        fc.constantFrom(...ROUNDING_MODES),
        fc.boolean(),
        (p0, shift, mode, tie) => {
          // half the cases are exact ties k·2^s + 2^(s−1)
          const p = tie && shift > 0 ? Math.trunc(p0 / 2 ** shift) * 2 ** shift + 2 ** (shift - 1) : p0;
          const r = shiftRounder(mode, shift)(p);
          expect(Object.is(r, -0)).toBe(false);
          expect(BigInt(r)).toBe(roundQuotient(BigInt(p), 2n ** BigInt(shift), mode).value);
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('never returns −0', () => {
    for (const mode of ROUNDING_MODES) {
      expect(Object.is(shiftRounder(mode, 4)(-0), 0)).toBe(true);
      expect(Object.is(shiftRounder(mode, 4)(-1), -0)).toBe(false);
      expect(Object.is(shiftRounder(mode, 0)(-0), 0)).toBe(true);
      expect(Object.is(roundQuotientNumber(-0, 3, mode), 0)).toBe(true);
      expect(Object.is(roundQuotientNumber(-1, 3, mode), -0)).toBe(false);
    }
  });

  it('overflowClamp = applyOverflow for small formats', () => {
    const arb = formatArb(26).chain((f) =>
      fc.tuple(
        fc.constant(f),
        policyArb(f),
        fc.bigInt({ min: 4n * f.minCode - 40n, max: 4n * f.maxCode + 40n }),
      ),
    );
    fc.assert(
      fc.property(arb, ([f, policy, code]) => {
        const clamp = overflowClamp(f, policy.overflow);
        if (policy.overflow === 'error' && (code < f.minCode || code > f.maxCode)) {
          expect(() => clamp(Number(code))).toThrow(OverflowError);
          expect(() => applyOverflow(code, f, 'error')).toThrow(OverflowError);
          return;
        }
        const big = applyOverflow(code, f, policy.overflow);
        expect(BigInt(clamp(Number(code)))).toBe(big.code);
        expect(big.overflowed).toBe(code < f.minCode || code > f.maxCode);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('laws of rnd', () => {
  const formatAndPolicy = formatArb().chain((f) => fc.tuple(fc.constant(f), policyArb(f)));

  it('rnd(x) = x for every x ∈ 𝕀, exact and not overflowed', () => {
    const arb = formatAndPolicy.chain(([f, p]) =>
      fc.tuple(fc.constant(f), fc.constant(p), fc.bigInt({ min: f.minCode, max: f.maxCode })),
    );
    fc.assert(
      fc.property(arb, ([f, policy, code]) => {
        const x = codeValue(code, f);
        const r = roundValue(f, { num: x.num, den: x.den }, policy);
        expect(r).toMatchObject({ code, overflowed: false, exact: true });
        expect(roundValue(f, r.value, policy).code).toBe(code); // the printed decimal reads back
      }),
      { numRuns: 2000 },
    );
  });

  it('rnd is monotone under saturate', () => {
    const arb = formatArb().chain((f) =>
      fc.tuple(fc.constant(f), fc.constantFrom(...ROUNDING_MODES), nearRangeArb(f), nearRangeArb(f)),
    );
    fc.assert(
      fc.property(arb, ([f, rounding, x, y]) => {
        const [lo, hi] = x.num * y.den <= y.num * x.den ? [x, y] : [y, x];
        expect(roundValue(f, lo, { rounding }).code <= roundValue(f, hi, { rounding }).code).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('floor ≤ nearest-* ≤ ceil, toward-zero is floor or ceil by sign, exact ⇔ no change', () => {
    const arb = formatArb().chain((f) => fc.tuple(fc.constant(f), nearRangeArb(f)));
    fc.assert(
      fc.property(arb, ([f, x]) => {
        const code = (rounding: Rounding) => roundValue(f, x, { rounding }).code;
        const floor = code('floor');
        const ceil = code('ceil');
        for (const mode of NEAREST) {
          expect(floor <= code(mode) && code(mode) <= ceil).toBe(true);
        }
        expect(code('toward-zero')).toBe(x.num < 0n ? ceil : floor);
        const r = roundValue(f, x, { rounding: 'nearest-even' });
        const back = codeValue(r.code, f);
        expect(r.exact).toBe(back.num * x.den === x.num * back.den);
        if (r.exact) expect(floor).toBe(ceil);
      }),
      { numRuns: 2000 },
    );
  });
});
