import { Decimal as DecimalJs } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dyadicToDecimal, type Rational, toDecimalString } from '../src/core/rational.js';
import { FxnnError } from '../src/errors.js';
import { parseFormat } from '../src/format.js';
import { codeToDecimal, exactCode, parseValue } from '../src/value.js';

/** decimal.js at high precision is the independent reference for decimal text. */
const Decimal = DecimalJs.clone({ precision: 10_000 });

function gcd(a: bigint, b: bigint): bigint {
  let [x, y] = [a < 0n ? -a : a, b < 0n ? -b : b];
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** A rational in lowest terms with positive denominator, for comparisons. */
function lowest(num: bigint, den: bigint): Rational {
  const s = den < 0n ? -1n : 1n;
  const g = gcd(num, den) || 1n;
  return { num: (s * num) / g, den: (s * den) / g };
}

function decimalReference(text: string): Rational {
  const [n, d] = new Decimal(text).toFraction();
  return lowest(BigInt(n.toFixed()), BigInt(d.toFixed()));
}

/** The exact value of a finite double from its IEEE 754 bits: (−1)^s · m · 2^(e−1075). */
function doubleReference(x: number): Rational {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const sign = bits >> 63n ? -1n : 1n;
  const biased = (bits >> 52n) & 0x7ffn;
  const fraction = bits & (2n ** 52n - 1n);
  const mantissa = biased === 0n ? fraction : fraction + 2n ** 52n;
  const e = (biased === 0n ? 1n : biased) - 1075n;
  return e >= 0n ? lowest(sign * mantissa * 2n ** e, 1n) : lowest(sign * mantissa, 2n ** -e);
}

function errorOf(f: () => unknown): FxnnError {
  try {
    f();
  } catch (e) {
    if (e instanceof FxnnError) return e;
    throw e;
  }
  throw new Error('expected an FxnnError');
}

describe('parseValue: exact decimals, integers, fractions, numbers', () => {
  it.each([
    ['0', 0n, 1n],
    ['-0', 0n, 1n],
    ['-0.000', 0n, 1n],
    ['1.', 1n, 1n],
    ['-1.', -1n, 1n],
    ['.5', 1n, 2n],
    ['-.5', -1n, 2n],
    ['+3', 3n, 1n],
    ['1e-3', 1n, 1000n],
    ['-1e-3', -1n, 1000n],
    ['-2.5E+2', -250n, 1n],
    ['2.5e2', 250n, 1n],
    ['-0.1', -1n, 10n],
    ['0.0625', 1n, 16n],
    ['  7  ', 7n, 1n],
    ['1/3', 1n, 3n],
    ['-1/3', -1n, 3n],
    ['1/-3', -1n, 3n],
    ['-6/-4', 3n, 2n],
    ['6 / 4', 3n, 2n],
    ['+2/4', 1n, 2n],
    ['123456789012345678901234567890', 123456789012345678901234567890n, 1n],
  ])('%j = %d/%d', (text, num, den) => {
    expect(parseValue(text)).toEqual({ num, den });
  });

  it('reads long decimals exactly', () => {
    const pi = '3.14159265358979323846264338327950288';
    expect(parseValue(pi)).toEqual(decimalReference(pi));
    const v35 = parseValue(pi);
    expect((v35.num * 10n ** 35n) % v35.den).toBe(0n);
    expect((v35.num * 10n ** 35n) / v35.den).toBe(314159265358979323846264338327950288n);
    const long = `-0.${'7'.repeat(150_000)}5`; // beyond any exponent limit, still exact
    const v = parseValue(long);
    const scale = 10n ** 150_001n;
    expect((v.num * scale) % v.den === 0n).toBe(true);
    expect((v.num * scale) / v.den === -BigInt(`${'7'.repeat(150_000)}5`)).toBe(true);
    expect(scale % v.den === 0n && v.den < scale).toBe(true); // reduced by the common factor 5^k
  });

  it('agrees with decimal.js on random decimal text', () => {
    const text = fc
      .tuple(
        fc.constantFrom('', '+', '-'),
        fc.stringMatching(/^[0-9]{0,30}$/),
        fc.option(fc.stringMatching(/^[0-9]{0,30}$/)),
        fc.option(
          fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), fc.integer({ min: 0, max: 60 })),
        ),
      )
      .filter(([, int, fracPart]) => int.length > 0 || (fracPart ?? '').length > 0)
      .map(
        ([sign, int, fracPart, exp]) =>
          `${sign}${int}${fracPart === null ? '' : `.${fracPart}`}${exp === null ? '' : `${exp[0]}${exp[1]}${exp[2]}`}`,
      );
    fc.assert(
      fc.property(text, (s) => {
        expect(parseValue(s)).toEqual(decimalReference(s));
      }),
      { numRuns: 2000 },
    );
  });

  it('takes the exact binary value of JS numbers, and bigints', () => {
    expect(parseValue(0.1)).toEqual({ num: 3602879701896397n, den: 36028797018963968n });
    expect(parseValue(-0.75)).toEqual({ num: -3n, den: 4n });
    expect(parseValue(-0)).toEqual({ num: 0n, den: 1n });
    expect(parseValue(2 ** 70)).toEqual({ num: 2n ** 70n, den: 1n });
    expect(parseValue(5e-324)).toEqual({ num: 1n, den: 2n ** 1074n });
    expect(parseValue(-12n)).toEqual({ num: -12n, den: 1n });
    expect(parseValue({ num: 6n, den: -4n })).toEqual({ num: -3n, den: 2n });
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        expect(parseValue(x)).toEqual(doubleReference(x));
      }),
      { numRuns: 1000 },
    );
  });

  it.each([
    ['NaN', 'value: "NaN" is not a number'],
    ['Infinity', 'value: "Infinity" is not a number'],
    ['-Infinity', 'value: "-Infinity" is not a number'],
    ['', 'value: "" is not a number'],
    ['   ', 'value: "   " is not a number'],
    ['.', 'value: "." is not a number'],
    ['-', 'value: "-" is not a number'],
    ['+', 'value: "+" is not a number'],
    ['e3', 'value: "e3" is not a number'],
    ['1e', 'value: "1e" is not a number'],
    ['1e+', 'value: "1e+" is not a number'],
    ['1..2', 'value: "1..2" is not a number'],
    ['--1', 'value: "--1" is not a number'],
    ['0x10', 'value: "0x10" is not a number'],
    ['1_000', 'value: "1_000" is not a number'],
    ['abc', 'value: "abc" is not a number'],
    ['1.5/2', 'value: "1.5/2" is not a number'],
    ['1/', 'value: "1/" is not a number'],
    ['1/0', 'value: "1/0" has a zero denominator'],
    ['1e100001', 'value: "1e100001" has an exponent beyond ±100000'],
    ['1e-100001', 'value: "1e-100001" has an exponent beyond ±100000'],
  ])('%j → error', (text, message) => {
    const e = errorOf(() => parseValue(text));
    expect(e.message).toContain(message);
    expect(e.parameter).toBe('value');
  });

  it('rejects non-finite numbers and other types, naming the parameter', () => {
    expect(errorOf(() => parseValue(Number.NaN, 'weight')).message).toBe(
      'weight: NaN is not a finite number',
    );
    expect(errorOf(() => parseValue(Number.POSITIVE_INFINITY)).message).toBe(
      'value: Infinity is not a finite number',
    );
    expect(errorOf(() => parseValue(Number.NEGATIVE_INFINITY)).message).toBe(
      'value: -Infinity is not a finite number',
    );
    expect(errorOf(() => parseValue({ num: 1n, den: 0n })).message).toBe('value: zero denominator');
    expect(errorOf(() => parseValue(null as unknown as string)).message).toBe(
      'value: expected a number or a string, got object',
    );
    expect(errorOf(() => parseValue(true as unknown as string)).message).toBe(
      'value: expected a number or a string, got boolean',
    );
  });
});

describe('printing values', () => {
  it('prints k·2^-n as its exact decimal (against decimal.js)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
        fc.integer({ min: 0, max: 70 }),
        (k, n) => {
          const expected = new Decimal(k.toString()).div(new Decimal(2).pow(n));
          const text = dyadicToDecimal(k, n);
          expect(new Decimal(text).eq(expected)).toBe(true);
          expect(text).toBe(expected.toFixed()); // no exponent, no trailing zeros
          expect(toDecimalString({ num: k, den: 2n ** BigInt(n) })).toBe(k === 0n ? '0' : expected.toFixed());
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('prints codes of formats', () => {
    const q = parseFormat('Q3.4');
    expect(codeToDecimal(-12n, q)).toBe('-0.75');
    expect(codeToDecimal(-1n, q)).toBe('-0.0625');
    expect(codeToDecimal(0n, q)).toBe('0');
    expect(codeToDecimal(127n, q)).toBe('7.9375');
    expect(codeToDecimal(-128n, q)).toBe('-8');
    expect(toDecimalString({ num: 1n, den: 3n })).toBe('1/3');
    expect(toDecimalString({ num: -7n, den: 40n })).toBe('-0.175');
  });
});

describe('exactCode: values that must lie in the format', () => {
  const q = parseFormat('Q3.4');

  it('gives the code of a value of the format, in any spelling', () => {
    for (const [text, code] of [
      ['-0.75', -12n],
      ['-3/4', -12n],
      ['-7.5e-1', -12n],
      ['7.9375', 127n],
      ['-8', -128n],
      ['0', 0n],
    ] as const) {
      expect(exactCode(text, q)).toBe(code);
    }
    expect(exactCode(-0.75, q)).toBe(-12n);
    expect(exactCode(3n, q)).toBe(48n);
    expect(exactCode({ num: -3n, den: 4n }, q)).toBe(-12n);
  });

  it('names the nearest values when the value is not on the grid', () => {
    expect(errorOf(() => exactCode('0.3', q, 'weight')).message).toBe(
      'weight: "0.3" is not a value of Q3.4 (nearest are 0.25 and 0.3125)',
    );
    expect(errorOf(() => exactCode('-0.3', q)).message).toBe(
      'value: "-0.3" is not a value of Q3.4 (nearest are -0.3125 and -0.25)',
    );
    expect(errorOf(() => exactCode('7.99', q)).message).toBe(
      'value: "7.99" is not a value of Q3.4 (nearest is 7.9375)',
    );
    expect(errorOf(() => exactCode('-8.01', q)).message).toBe(
      'value: "-8.01" is not a value of Q3.4 (nearest is -8)',
    );
    expect(errorOf(() => exactCode('8', q, 'a')).message).toBe('a: "8" is outside Q3.4 [-8, 7.9375]');
    expect(errorOf(() => exactCode({ num: 1n, den: 3n }, q)).message).toBe(
      'value: 1/3 is not a value of Q3.4 (nearest are 0.3125 and 0.375)',
    );
    expect(errorOf(() => exactCode(0.1, q)).message).toBe(
      'value: 0.1 is not a value of Q3.4 (nearest are 0.0625 and 0.125)',
    );
    expect(errorOf(() => exactCode('-0.5', parseFormat('UQ2.2'), 'b')).message).toBe(
      'b: "-0.5" is outside UQ2.2 [0, 3.75]',
    );
    expect(errorOf(() => exactCode('-8', parseFormat('SQ3.4'))).message).toBe(
      'value: "-8" is outside SQ3.4 [-7.9375, 7.9375]',
    );
  });
});
