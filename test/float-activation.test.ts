import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseActivation } from '../src/activations/activation.js';
import { floatActivationAt, floatActivationTable } from '../src/float/float-activation.js';
import { classify, parseFloatFormat } from '../src/float/float-format.js';
import { floatCodeText, makeFloatPolicy } from '../src/float/float-rounding.js';
import { exactFloatCode } from '../src/float/float-value.js';

/**
 * Float activation tables against test/fixtures/float-activations (generate.py: mpmath at 60/120 digits
 * with tail forms, exact fractions; written independently of src/): E4M3, E5M2, E3M4 on every finite x,
 * fp16 on a sample of x (the full 65,536-point fp16 tables run in bench/float.bench.ts), every rounding.
 */
interface Fixture {
  format: string;
  x: number[];
  tables: Record<string, Record<string, number[]>>;
}
const dir = join(import.meta.dirname, 'fixtures', 'float-activations');

describe.each(['E4M3', 'E5M2', 'E3M4', 'fp16'])('reference tables of %s', (spec) => {
  const file = join(dir, `${spec}.json`);
  const fixture: Fixture = JSON.parse(readFileSync(file, 'utf8'));
  const f = parseFloatFormat(spec);
  it('covers the finite inputs in increasing order (fp16: a sample)', () => {
    expect(existsSync(file)).toBe(true);
    if (spec !== 'fp16')
      expect(fixture.x).toEqual(
        Array.from(floatActivationTable(parseActivation('relu'), f, makeFloatPolicy()).inputs),
      );
    expect(Object.keys(fixture.tables).length).toBe(14);
  });
  for (const name of Object.keys(fixture.tables)) {
    it(`${name}: every rounding mode`, () => {
      const act = parseActivation(name);
      for (const rounding of Object.keys(fixture.tables[name])) {
        const policy = makeFloatPolicy({ rounding });
        const want = fixture.tables[name][rounding];
        const got =
          spec === 'fp16'
            ? fixture.x.map((c) => floatActivationAt(act, f, policy, c))
            : Array.from(floatActivationTable(act, f, policy).codes);
        const i = got.findIndex(
          (c, j) => c !== want[j] && !(classify(c, f) === 'nan' && classify(want[j], f) === 'nan'),
        );
        if (i >= 0) {
          const x = floatCodeText(fixture.x[i], f);
          expect({ x, rounding, got: floatCodeText(got[i], f) }).toEqual({
            x,
            rounding,
            got: floatCodeText(want[i], f),
          });
        }
      }
    });
  }
});

describe('zeros and signs', () => {
  const f = parseFloatFormat('E4M3');
  const at = (name: string, x: string, rounding = 'nearest-even') =>
    floatCodeText(
      floatActivationAt(parseActivation(name), f, makeFloatPolicy({ rounding }), exactFloatCode(x, f)),
      f,
    );
  it('gelu(−448) is −0 in E4M3; an exact zero is +0', () => {
    expect(at('gelu', '-448')).toBe('-0');
    expect(at('gelu', '-448', 'floor')).toBe('-0.001953125');
    expect(at('gelu', '-448', 'ceil')).toBe('-0');
    expect(at('relu', '-448')).toBe('0');
    expect(at('gelu', '0')).toBe('0');
    expect(at('gelu', '-0')).toBe('0');
    expect(at('silu', '-448')).toBe('-0');
    expect(at('sigmoid', '-448')).toBe('0');
    expect(at('sigmoid', '-448', 'ceil')).toBe('0.001953125');
    expect(at('tanh', '448', 'floor')).toBe('0.9375');
  });
  it('refuses infinite points', () => {
    expect(() => exactFloatCode('inf', parseFloatFormat('E5M2'), 'x', true)).toThrow(
      /x: "inf" is not finite/,
    );
  });
});
