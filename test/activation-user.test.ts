import { describe, expect, it } from 'vitest';
import { roundCodeQuotient } from '../src/core/ops.js';
import {
  activationTable,
  activationZeroIn,
  BUILTIN_ACTIVATIONS,
  codeToDecimal,
  exprActivation,
  FxnnError,
  lutActivation,
  lutFromCsv,
  makePolicy,
  parseActivation,
  parseFormat,
  ROUNDING_MODES,
  ratio,
  roundedActivation,
} from '../src/index.js';

const q34 = parseFormat('Q3.4');
const pol = (rounding = 'nearest-even', overflow = 'saturate') => makePolicy(q34, { rounding, overflow });

function csvOf(name: string, y: (x: number) => string, format = q34): string {
  const rows = ['x,y'];
  for (let c = format.minCode; c <= format.maxCode; c++)
    rows.push(`${codeToDecimal(c, format)},${y(Number(c))}`);
  void name;
  return rows.join('\n');
}

describe('parseActivation', () => {
  it('knows every built-in, with parameters as text, key form or object, and canonical keys', () => {
    expect(BUILTIN_ACTIVATIONS).toHaveLength(14);
    for (const name of BUILTIN_ACTIVATIONS) expect(parseActivation(name).name).toBe(name);
    const a = parseActivation('leaky-relu');
    expect(a.key).toBe('leaky-relu(alpha=1/100)');
    expect(a.params).toEqual({ alpha: '0.01' });
    expect(a.json).toEqual({ name: 'leaky-relu', alpha: '0.01' });
    expect(parseActivation('leaky-relu:alpha=0.01').key).toBe(a.key);
    expect(parseActivation({ name: 'leaky-relu', alpha: '1/100' }).key).toBe(a.key);
    expect(parseActivation(a.key).key).toBe(a.key);
    expect(parseActivation(a)).toBe(a);
    expect(parseActivation('leaky-relu:alpha=0.02').key).toBe('leaky-relu(alpha=1/50)');
    expect(parseActivation({ name: 'elu', alpha: 0.5 }).key).toBe('elu(alpha=1/2)');
    expect(parseActivation('relu').json).toBe('relu');
    expect(parseActivation(' ReLU ').key).toBe('relu');
  });

  it('declares what is known: monotone, range, zero', () => {
    expect(parseActivation('sigmoid').monotone).toBe(true);
    expect(parseActivation('silu').monotone).toBe(false);
    expect(parseActivation('leaky-relu:alpha=-1/2').monotone).toBe(false);
    expect(parseActivation('sigmoid').zero).toBeNull();
    expect(parseActivation('softplus').zero).toBeNull();
    for (const name of ['relu', 'elu', 'silu', 'mish', 'gelu', 'gelu-tanh', 'tanh', 'identity']) {
      expect(parseActivation(name).zero).toEqual(ratio(0n, 1n));
    }
    expect(parseActivation('sigmoid').range.text).toBe('(0, 1)');
    expect(parseActivation('elu').range.lower).toEqual({
      value: ratio(-1n, 1n),
      exact: true,
      attained: false,
    });
    expect(parseActivation('hard-swish').range.lower?.value).toEqual(ratio(-3n, 8n));
  });

  it('finds a zero of σ among the values of a format', () => {
    expect(activationZeroIn(parseActivation('relu'), q34)).toBe(0n);
    expect(activationZeroIn(parseActivation('sigmoid'), q34)).toBeNull();
    expect(activationZeroIn(parseActivation('hard-sigmoid'), q34)).toBe(-48n);
    expect(activationZeroIn(parseActivation('hard-sigmoid'), parseFormat('Q1.4'))).toBeNull();
    expect(activationZeroIn(parseActivation('step'), q34)).toBe(-1n);
    expect(activationZeroIn(parseActivation('step'), parseFormat('UQ3.4'))).toBeNull();
    expect(activationZeroIn(exprActivation('x*x - 1/4'), q34)).toBeNull();
  });

  it.each([
    ['swish', /unknown activation "swish"/],
    [{ name: 'softmax' }, /unknown activation "softmax"/],
    ['leaky-relu:alpha=abc', /leaky-relu alpha: "abc" is not a number/],
    ['leaky-relu:beta=1', /unknown parameter "beta"/],
    ['relu:alpha=1', /relu takes no parameters/],
    ['leaky-relu:alpha=1,alpha=2', /given twice/],
    ['leaky-relu:alpha', /expected parameters as name=value/],
    [{ name: 'elu', alpha: '1/0' }, /zero denominator/],
    [{ name: 'elu', alpha: true }, /expected a number or a decimal string/],
    [42, /expected a name or an object/],
    [{ alpha: '1' }, /"name" string/],
    ['lut', /given as objects/],
    ['relu!!', /expected a name like relu/],
  ])('rejects %j', (spec, message) => {
    expect(() => parseActivation(spec)).toThrow(FxnnError);
    expect(() => parseActivation(spec)).toThrow(message);
  });
});

describe('expression activations', () => {
  it('x*sigmoid(x) is SiLU and the piecewise leaky form is leaky-relu, in every rounding', () => {
    for (const rounding of ROUNDING_MODES) {
      expect(Array.from(activationTable(exprActivation('x*sigmoid(x)'), q34, pol(rounding)))).toEqual(
        Array.from(activationTable(parseActivation('silu'), q34, pol(rounding))),
      );
      expect(Array.from(activationTable(exprActivation('x >= 0 ? x : 0.01*x'), q34, pol(rounding)))).toEqual(
        Array.from(activationTable(parseActivation('leaky-relu'), q34, pol(rounding))),
      );
    }
  });

  it('matches gelu, tanh and softplus written with erf, exp and log1p', () => {
    const f = parseFormat('Q2.3');
    const p = makePolicy(f, { rounding: 'floor' });
    const pairs: Array<[string, string]> = [
      ['x/2*(1+erf(x/sqrt(2)))', 'gelu'],
      ['(exp(x)-exp(-x))/(exp(x)+exp(-x))', 'tanh'],
      ['log1p(exp(x))', 'softplus'],
      ['x*tanh(log(1+exp(x)))', 'mish'],
      ['x > 0 ? x : expm1(x)', 'elu'],
    ];
    for (const [e, name] of pairs) {
      expect([e, Array.from(activationTable(exprActivation(e), f, p))]).toEqual([
        e,
        Array.from(activationTable(parseActivation(name), f, p)),
      ]);
    }
  });

  it('rounds rational expressions exactly (ties included)', () => {
    for (const rounding of ROUNDING_MODES) {
      const t = activationTable(exprActivation('x/3 + 1/32'), q34, pol(rounding));
      for (let c = q34.minCode; c <= q34.maxCode; c++) {
        // (c/16)/3 + 1/32 = (2c + 3)/96, in code units (2c + 3)/6
        const expected = roundCodeQuotient(2n * c + 3n, 6n, q34, pol(rounding)).code;
        expect(t[Number(c - q34.minCode)]).toBe(Number(expected));
      }
    }
  });

  it('has a canonical key, a JSON form and a zero when σ(0) = 0', () => {
    const e = exprActivation('x * sigmoid( x )');
    expect(e.key).toBe('expr(x * sigmoid(x))');
    expect(e.json).toEqual({ name: 'expr', expr: 'x * sigmoid(x)' });
    expect(parseActivation(e.json).key).toBe(e.key);
    expect(parseActivation('expr:x^2').key).toBe('expr(x ^ 2)');
    expect(e.zero).toEqual(ratio(0n, 1n));
    expect(exprActivation('x + 1').zero).toBeNull();
  });

  it.each([
    ['x +* 2', /expected a value before "\*"/],
    ['y + 1', /unknown symbol "y"/],
    ['foo(x)', /unknown function "foo"/],
    ['max()', /max takes at least 1 argument, got 0/],
    ['f(x) + x', /unknown function "f"/],
    ['x = 1', /unexpected character "=" at position 3/],
    ['"text"', /unexpected character/],
    ['x.toString()', /unexpected character "\." at position 2/],
    ['', /non-empty expression/],
  ])('rejects the expression %j', (text, message) => {
    expect(() => exprActivation(text)).toThrow(FxnnError);
    expect(() => exprActivation(text)).toThrow(message);
  });

  it.each([
    ['log(x)', 'x = -8', 'logarithm'],
    ['1/x', 'x = 0', 'division by zero'],
    ['sqrt(x - 1)', 'x = -8', 'square root'],
    ['log(exp(x) - 1)', 'x = -8', 'logarithm'],
    ['x^(-1)', 'x = 0', '0 to a negative power'],
    ['(x < 0) + 1', 'x = -8', 'used as a number'],
  ])('says where %s is undefined', (text, point, why) => {
    const act = exprActivation(text);
    expect(() => activationTable(act, q34, pol())).toThrow(FxnnError);
    try {
      activationTable(act, q34, pol());
    } catch (e) {
      expect((e as Error).message).toContain(`undefined at ${point}`);
      expect((e as Error).message).toContain(why);
    }
  });

  it('evaluates expressions on wide formats through the decimal path', () => {
    const f = parseFormat('Q20.40');
    const r = roundedActivation(exprActivation('x*sigmoid(x)'), f, makePolicy(f, { rounding: 'floor' }));
    const s = roundedActivation(parseActivation('silu'), f, makePolicy(f, { rounding: 'floor' }));
    for (const code of [123456789012345n, -98765432109n, 3n, 2n ** 44n + 7n])
      expect(r.apply(code)).toBe(s.apply(code));
  });
});

describe('lookup-table activations', () => {
  it('a LUT written from a table reproduces it; LUT values off the grid are rounded exactly', () => {
    const relu = activationTable(parseActivation('relu'), q34, pol());
    const lut = lutFromCsv(
      q34,
      csvOf('relu', (c) => codeToDecimal(BigInt(Math.max(c, 0)), q34)),
    );
    expect(Array.from(activationTable(lut, q34, pol()))).toEqual(Array.from(relu));
    expect(lut.monotone).toBe(true);
    expect(lut.zero).toEqual(ratio(0n, 1n));
    expect(lut.domain).toBe(q34);
    const third = lutFromCsv(
      q34,
      csvOf('third', (c) => `${c}/48`),
    );
    for (const rounding of ROUNDING_MODES) {
      const t = activationTable(third, q34, pol(rounding));
      for (let c = q34.minCode; c <= q34.maxCode; c++) {
        expect(t[Number(c - q34.minCode)]).toBe(Number(roundCodeQuotient(c, 3n, q34, pol(rounding)).code));
      }
    }
  });

  it('accepts rows in any order, comments and blank lines; its key names the content; JSON round-trips', () => {
    const rows = csvOf('id', (c) => codeToDecimal(BigInt(c), q34))
      .split('\n')
      .slice(1)
      .reverse();
    const lut = lutFromCsv(q34, `# identity\n\n${rows.join('\n')}\n`);
    expect(Array.from(activationTable(lut, q34, pol()))).toEqual(
      Array.from(activationTable(parseActivation('identity'), q34, pol())),
    );
    expect(lut.key).toMatch(/^lut\(Q3\.4;sha256=[0-9a-f]{16}\)$/);
    const back = parseActivation(lut.json);
    expect(back.key).toBe(lut.key);
    const other = lutActivation(
      q34,
      Array.from({ length: 256 }, () => ratio(1n, 1n)),
    );
    expect(other.key).not.toBe(lut.key);
  });

  it('is defined on its own format only', () => {
    const lut = lutFromCsv(
      q34,
      csvOf('relu', () => '0'),
    );
    const other = parseFormat('Q2.4');
    expect(() => activationTable(lut, other, makePolicy(other))).toThrow(/lookup table over Q3.4, not Q2.4/);
  });

  const good = csvOf('relu', () => '0').split('\n');
  it.each([
    ['a missing row', [...good.slice(0, 10), ...good.slice(11)], /no row for x = -7.4375/],
    ['a duplicate row', [...good, '0.5,1'], /row 258: duplicate x = "0.5" \(already given in row 138\)/],
    [
      'an off-grid x',
      [...good.slice(0, 5), '0.3,1', ...good.slice(5)],
      /row 6: x: "0.3" is not a value of Q3.4/,
    ],
    ['an x outside the format', [...good, '8,1'], /row 258: x: "8" is outside Q3.4/],
    ['a bad y', [...good.slice(0, 3), '-7.875,abc', ...good.slice(4)], /row 4: y: "abc" is not a number/],
    ['a row with three fields', [...good.slice(0, 3), '1,2,3'], /row 4: expected "x,y", got 3 fields/],
  ])('rejects a CSV with %s, naming the row', (_what, lines, message) => {
    expect(() => lutFromCsv(q34, lines.join('\n'))).toThrow(FxnnError);
    expect(() => lutFromCsv(q34, lines.join('\n'))).toThrow(message);
  });

  it('rejects malformed JSON forms', () => {
    expect(() => parseActivation({ name: 'lut', format: 'Q3.4' })).toThrow(/expected \{ name: "lut"/);
    expect(() => parseActivation({ name: 'lut', format: 'Q0.1', y: '0,1,2' })).toThrow(
      /expected 4 values \(one per value of Q0.1\), got 3/,
    );
    expect(() => parseActivation({ name: 'lut', format: 'Q0.1', y: '0,x' })).toThrow(/value 2: y: "x"/);
  });
});
