/**
 * Target functions for `verify` (and the network compiler): expressions rounded correctly into a
 * format, checked against exact rationals and decimal.js at 80 digits; CSV tables and their errors.
 */
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { roundCodeQuotient } from '../src/core/ops.js';
import { type Rational, ratio } from '../src/core/rational.js';
import { FxnnError } from '../src/errors.js';
import { parseFormat } from '../src/format.js';
import { allInputs } from '../src/network/input-space.js';
import { makePolicy, type Overflow, ROUNDING_MODES, type Rounding } from '../src/policy.js';
import { expressionTarget } from '../src/target/target-function.js';
import { parseTargetTable, tableTarget } from '../src/target/target-table.js';
import { codeToDecimal, parseValue } from '../src/value.js';

const Q34 = parseFormat('Q3.4');
const D80 = Decimal.clone({ precision: 80 });

/** rnd(r) by the foundation's one rounding routine. */
function rnd(r: Rational, rounding: Rounding, overflow: Overflow = 'saturate', format = Q34): bigint {
  return roundCodeQuotient(
    r.num << BigInt(format.fracBits),
    r.den,
    format,
    makePolicy(format, { rounding, overflow }),
  ).code;
}

async function codes(
  expr: string,
  rounding: Rounding,
  inputs = 1,
  format = Q34,
  overflow: Overflow = 'saturate',
) {
  const f = await expressionTarget(expr, format, makePolicy(format, { rounding, overflow }), inputs);
  return [...allInputs(format, inputs)].map((p) => f.codeAt(p));
}

describe('exact rational targets', () => {
  it('arithmetic, comparisons, conditionals, min/max/abs/floor/ceil/mod in two inputs, every rounding mode', async () => {
    const expr =
      'x1 * x2 / 3 + (x1 > x2 ? abs(x1 - x2) : min(x1, 2*x2) - max(floor(x1), ceil(x2))) + mod(x1, 0.75)';
    const f = parseFormat('Q1.1'); // 8 values, 64 inputs
    for (const rounding of ROUNDING_MODES) {
      const got = await codes(expr, rounding, 2, f);
      const want = [...allInputs(f, 2)].map(([a, b]) => {
        const A = ratio(a, 2n);
        const B = ratio(b, 2n);
        const fl = (r: Rational) => (r.num >= 0n ? r.num / r.den : -((-r.num + r.den - 1n) / r.den));
        const sub = (p: Rational, q: Rational) => ratio(p.num * q.den - q.num * p.den, p.den * q.den);
        const add = (p: Rational, q: Rational) => ratio(p.num * q.den + q.num * p.den, p.den * q.den);
        const cmp = (p: Rational, q: Rational) => Number(p.num * q.den - q.num * p.den);
        let branch: Rational;
        if (cmp(A, B) > 0) {
          const d = sub(A, B);
          branch = d.num < 0n ? ratio(-d.num, d.den) : d;
        } else {
          const twoB = ratio(2n * B.num, B.den);
          const m = cmp(A, twoB) <= 0 ? A : twoB;
          const flA = ratio(fl(A), 1n);
          const ceB = ratio(-fl(ratio(-B.num, B.den)), 1n);
          branch = sub(m, cmp(flA, ceB) >= 0 ? flA : ceB);
        }
        const three = ratio(A.num * B.num, A.den * B.den * 3n);
        const k = fl(ratio(A.num * 4n, A.den * 3n)); // floor(A / 0.75)
        const mod = sub(A, ratio(3n * k, 4n));
        return rnd(add(add(three, branch), mod), rounding, 'saturate', f);
      });
      expect(got, rounding).toEqual(want);
    }
  });

  it('x is x1 for one input; pi and e are constants; literals are exact decimals', async () => {
    expect(await codes('x + 0.1', 'floor')).toEqual(await codes('x1 + 1/10', 'floor'));
    const f = await expressionTarget(
      '0.30000000000000000000000000000000000001 + 0*x1',
      Q34,
      makePolicy(Q34),
      1,
    );
    expect(f.codeAt([0n])).toBe(5n); // 0.3 = 4.8 steps → 5
    const fl = await expressionTarget(
      '0.3125 - 1e-40 + 0*x1',
      Q34,
      makePolicy(Q34, { rounding: 'floor' }),
      1,
    );
    expect(fl.codeAt([0n])).toBe(4n); // just below 5 steps
  });

  it('values that are rational through irrational-looking operations are decided exactly', async () => {
    for (const rounding of ['floor', 'ceil'] as const) {
      // sqrt(x²) = |x| exactly (a grid value: floor and ceil agree with it; |−8| saturates to 7.9375)
      expect(await codes('sqrt(x1^2)', rounding)).toEqual(
        [...allInputs(Q34, 1)].map(([a]) => (a === -128n ? 127n : a < 0n ? -a : a)),
      );
      // log2 of powers of two, exp(0), cos(0), 8^(1/3)
      const f = await expressionTarget(
        'log2(x1) + exp(0) + cos(0) + 8^(1/3)',
        Q34,
        makePolicy(Q34, { rounding }),
        1,
      );
      expect(f.codeAt([8n])).toBe(rnd(ratio(-1n + 4n, 1n), rounding)); // log2(0.5) + 1 + 1 + 2 = 3
      expect(f.codeAt([64n])).toBe(rnd(ratio(2n + 4n, 1n), rounding)); // log2(4) + 4 = 6
    }
  });
});

describe('transcendental targets, correctly rounded (against decimal.js at 80 digits)', () => {
  const cases: Array<[string, (v: Decimal) => Decimal | null]> = [
    ['exp(x1/2)', (v) => v.div(2).exp()],
    ['tanh(x1)', (v) => v.tanh()],
    ['sigmoid(x1)', (v) => new D80(1).div(new D80(1).plus(v.neg().exp()))],
    ['sin(x1) + cos(2*x1)', (v) => v.sin().plus(v.times(2).cos())],
    ['atan(x1)', (v) => v.atan()],
    ['log(x1)', (v) => (v.gt(0) ? v.ln() : null)],
    ['sqrt(x1)', (v) => (v.gte(0) ? v.sqrt() : null)],
    ['x1 * pi - e', (v) => v.times(D80.acos(-1)).minus(D80.exp(1))],
  ];
  const Q33 = parseFormat('Q3.3');
  for (const [expr, reference] of cases) {
    it(`${expr} on every value of Q3.3, in doubles first and by decimal enclosures alone`, async () => {
      const runs = [
        ...ROUNDING_MODES.map((rounding) => ({ rounding, doubles: true })),
        { rounding: 'floor' as const, doubles: false },
      ];
      const points = [...allInputs(Q33, 1)].map(([a]) => a);
      const reference80 = new Map(points.map((a) => [a, reference(new D80(codeToDecimal(a, Q33)))]));
      for (const { rounding, doubles } of runs) {
        const f = await expressionTarget(expr, Q33, makePolicy(Q33, { rounding }), 1, { doubles });
        for (const a of points) {
          if (!doubles && a % 4n !== 0n) continue; // the decimal path alone: every fourth value
          const want = reference80.get(a)!;
          if (want === null) {
            expect(() => f.codeAt([a])).toThrow(FxnnError);
            continue;
          }
          expect(f.codeAt([a]), `${expr} at ${codeToDecimal(a, Q33)} (${rounding})`).toBe(
            rnd(parseValue(want.toString()), rounding, 'saturate', Q33),
          );
        }
      }
    });
  }

  it('wrap and error apply after rounding', async () => {
    expect(await codes('exp(x1)', 'floor', 1, Q34, 'wrap').then((c) => c[128 + 48])).toBe(
      // exp(3) = 20.0855…: floor → 321 steps, 321 − 256 = 65 (4.0625)
      65n,
    );
    const f = await expressionTarget('exp(x1)', Q34, makePolicy(Q34, { overflow: 'error' }), 1);
    expect(() => f.codeAt([48n])).toThrow(
      'expression "exp(x1)" at x = (3): overflow: 20.0625 is outside Q3.4 [-8, 7.9375]',
    );
  });
});

describe('bad target expressions', () => {
  const policy = makePolicy(Q34);
  const cases: Array<[string, number, string]> = [
    ['x1 +', 1, 'expression "x1 +": unexpected end of the expression'],
    ['x3 + x1', 2, 'expression "x3 + x1": unknown symbol "x3" (the inputs are x1 … x2; constants pi and e)'],
    ['y', 1, 'unknown symbol "y" (the input is x or x1; constants pi and e)'],
    ['gamma(x1)', 1, 'unknown function "gamma" (known: abs, sign'],
    ['atan(x1, 2)', 1, 'atan takes 1 argument, got 2'],
    ['[x1, 2]', 1, 'unexpected character "[" at position 1'],
    ['"a"', 1, 'unexpected character "\\"" at position 1'],
    ['x1.toString()', 1, 'unexpected character "." at position 3'],
    ['2x1', 1, 'missing operator before "x1"'],
  ];
  for (const [expr, d, message] of cases) {
    it(expr, async () => {
      await expect(expressionTarget(expr, Q34, policy, d)).rejects.toThrow(message);
    });
  }

  it('undefined points name the input', async () => {
    const div = await expressionTarget('1 / x1', Q34, policy, 1);
    expect(() => div.codeAt([0n])).toThrow('expression "1 / x1" at x = (0): division by zero');
    const log = await expressionTarget('log(x1)', Q34, policy, 1);
    expect(() => log.codeAt([-16n])).toThrow('expression "log(x1)" at x = (-1): logarithm of a number ≤ 0');
    const cond = await expressionTarget('x1 > 0', Q34, policy, 1);
    expect(() => cond.codeAt([1n])).toThrow('the expression is a condition, not a number');
  });

  it('a value on a rounding boundary reached only through irrational operations cannot be decided', async () => {
    const f = await expressionTarget('exp(x1) - exp(x1)', Q34, makePolicy(Q34, { rounding: 'floor' }), 1);
    expect(() => f.codeAt([16n])).toThrow('cannot decide the rounding with 1536 digits');
  });
});

describe('target tables (CSV)', () => {
  const f = parseFormat('Q0.2'); // values −1, −0.75, …, 0.75
  const values = ['-1', '-0.75', '-0.5', '-0.25', '0', '0.25', '0.5', '0.75'];
  const rows = values.flatMap((a) => values.map((b) => `${a},${b},${a === b ? '0.25' : '0'}`));

  it('reads rows in any order into lexicographic codes; y or y1 as the last header', () => {
    const shuffled = [...rows].reverse();
    for (const header of ['x1,x2,y', ' x1 , x2 , y1 ']) {
      const t = parseTargetTable(`${header}\n${shuffled.join('\n')}\n`, f, 2);
      expect(t.codes.length).toBe(64);
      expect(Array.from(t.codes)).toEqual(values.flatMap((a) => values.map((b) => (a === b ? 1 : 0))));
      expect(tableTarget(t, makePolicy(f)).codeAt([-4n, -4n])).toBe(1n);
    }
  });

  const bad: Array<[string, string, string]> = [
    ['empty', '', 'table: the table is empty'],
    ['wrong header', `x1,y\n${rows.join('\n')}`, 'table line 1: the header must be x1,x2,y, got "x1,y"'],
    ['wrong field count', `x1,x2,y\n${rows[0]},1\n`, 'table line 2: expected 3 fields (x1,x2,y), got 4'],
    [
      'off-grid input',
      `x1,x2,y\n0.3,0,0\n`,
      'table line 2: x1: "0.3" is not a value of Q0.2 (nearest are 0.25 and 0.5)',
    ],
    ['off-grid output', `x1,x2,y\n0,0,2\n`, 'table line 2: y: "2" is outside Q0.2 [-1, 0.75]'],
    [
      'duplicate',
      `x1,x2,y\n${rows.join('\n')}\n0.5,-0.25,0\n`,
      'table line 66: input (0.5, -0.25) is already given on line 53',
    ],
    [
      'missing',
      `x1,x2,y\n${rows.slice(0, 20).join('\n')}\n${rows.slice(21).join('\n')}`,
      'table: no row for input (-0.5, 0); 1 of 64 inputs are missing',
    ],
    ['blank line inside', `x1,x2,y\n${rows[0]}\n\n${rows[1]}`, 'table line 3: empty line'],
  ];
  for (const [what, text, message] of bad) {
    it(what, () => {
      expect(() => parseTargetTable(text, f, 2)).toThrow(message);
    });
  }
});
