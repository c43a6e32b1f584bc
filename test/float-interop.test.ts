import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFloatFormat } from '../src/float/float-format.js';
import { conventionPolicy, floatValueTable, parseFloatValueTable } from '../src/float/float-interop.js';
import { floatCodeText } from '../src/float/float-rounding.js';
import { parseFloatInput, roundFloatInput } from '../src/float/float-value.js';

const f = parseFloatFormat('E4M3');
const cast = (x: string, convention: string) =>
  floatCodeText(roundFloatInput(parseFloatInput(x), f, conventionPolicy(convention)).code, f);

describe('conventions of ml_dtypes and ONNX Cast (docs/float.md §7)', () => {
  it('465, inf, subnormals and −0 in E4M3', () => {
    expect(
      ['464', '465', 'inf', '-inf', '0.001953125', '1e-9', '-1e-9', '-0', 'nan'].map((x) =>
        cast(x, 'ml_dtypes'),
      ),
    ).toEqual(['448', 'nan', 'nan', 'nan', '0.001953125', '0', '-0', '-0', 'nan']);
    expect(
      ['464', '465', 'inf', '-inf', '0.001953125', '1e-9', '-1e-9', '-0'].map((x) =>
        cast(x, 'onnx-saturate'),
      ),
    ).toEqual(['448', '448', '448', '-448', '0.001953125', '0', '-0', '-0']);
    expect(cast('465', 'onnx-nosat')).toBe('nan');
    const e5 = parseFloatFormat('E5M2');
    const c5 = (x: string, c: string) =>
      floatCodeText(roundFloatInput(parseFloatInput(x), e5, conventionPolicy(c)).code, e5);
    expect([
      c5('1e6', 'ml_dtypes'),
      c5('inf', 'ml_dtypes'),
      c5('1e6', 'onnx-saturate'),
      c5('inf', 'onnx-saturate'),
    ]).toEqual(['inf', 'inf', '57344', '57344']);
    expect(() => conventionPolicy('torch')).toThrow(/unknown convention "torch"/);
  });

  it('value tables: written, read back, checked row by row', () => {
    const table = floatValueTable(f);
    expect(table.split('\n')[1]).toBe('0,0');
    expect(table).toContain('\n126,448\n127,nan\n128,-0\n');
    expect(() => parseFloatValueTable(f, table)).not.toThrow();
    // ml_dtypes' repr spellings: 'nan', '-nan', '-0'; rows in any order
    const mlRows = table
      .trim()
      .split('\n')
      .slice(1)
      .reverse()
      .map((r) => r.replace(',nan', ',-nan').replace(/,(\d)/, ',$1'));
    expect(() => parseFloatValueTable(f, `code,value\n${mlRows.join('\n')}`)).not.toThrow();
    expect(() => parseFloatValueTable(f, table.replace('\n126,448\n', '\n126,480\n'))).toThrow(
      /row 128: code 126 is 448 in E4M3, the table says "480"/,
    );
    expect(() => parseFloatValueTable(f, table.replace('\n128,-0\n', '\n128,0\n'))).toThrow(/code 128 is -0/);
    expect(() => parseFloatValueTable(f, table.replace('\n5,', '\n#5,'))).toThrow(
      /1 of the 256 codes of E4M3 are missing/,
    );
  });
});

/**
 * ONNX Runtime's own Cast (onnxruntime-node 1.30, CPU), recorded by bench/float-onnx-cast.ts in
 * test/fixtures/onnx-cast-fp8.json: float32 → FLOAT8E4M3FN / FLOAT8E5M2 with saturate 1 and 0, then
 * back to float32. Inputs: every value, every tie and its float32 neighbours, past max, tiny, ±0, NaN,
 * ±inf, random float32 patterns.
 */
describe('the conventions against ONNX Runtime’s Cast (recorded outputs)', () => {
  const fixture = JSON.parse(
    readFileSync(join(import.meta.dirname, 'fixtures', 'onnx-cast-fp8.json'), 'utf8'),
  ) as { onnxruntime: Record<string, string>; casts: Record<string, Record<string, number[]>> };
  const f32 = (bits: number[]) => new Float32Array(Uint32Array.from(bits).buffer);
  const same = (a: number, b: number) => (Number.isNaN(a) && Number.isNaN(b)) || Object.is(a, b);
  const fxnnCast = (x: number, spec: string, convention: string): number => {
    const g = parseFloatFormat(spec);
    const text = floatCodeText(roundFloatInput(parseFloatInput(x), g, conventionPolicy(convention)).code, g);
    if (text === 'nan') return Number.NaN;
    if (text.endsWith('inf')) return text.startsWith('-') ? -Infinity : Infinity;
    return text === '-0' ? -0 : Number(text);
  };

  for (const spec of ['E4M3', 'E5M2'])
    for (const saturate of [1, 0]) {
      it(`${spec}, saturate=${saturate}: every recorded cast`, () => {
        expect(fixture.onnxruntime.node).toBe('1.30.0');
        const xs = f32(fixture.casts[spec].x);
        const ys = f32(fixture.casts[spec][`saturate${saturate}`]);
        expect(xs.length).toBeGreaterThan(2000);
        let deviations = 0;
        for (let i = 0; i < xs.length; i++) {
          const x = xs[i];
          const a = Math.abs(x);
          // ONNX Runtime 1.30 without saturation, where it departs from rounding-then-overflow
          // (docs/float.md §7): E4M3FN 480 ≤ |x| < 496 → ±448, E5M2 61440 ≤ |x| < 65536 → NaN
          let want = fxnnCast(x, spec, saturate ? 'onnx-saturate' : 'onnx-nosat');
          if (!saturate && spec === 'E4M3' && a >= 480 && a < 496) {
            expect(want).toBeNaN();
            want = x < 0 ? -448 : 448;
            deviations++;
          }
          if (!saturate && spec === 'E5M2' && a >= 61440 && a < 65536) {
            expect(Math.abs(want)).toBe(Number.POSITIVE_INFINITY);
            want = Number.NaN;
            deviations++;
          }
          if (!same(ys[i], want)) expect({ x, ort: ys[i] }).toEqual({ x, ort: want });
        }
        expect(deviations > 0).toBe(saturate === 0);
      });
    }
});

describe('the rows of the ONNX Cast specification (opset 19; [x] = x rounded to the mantissa width)', () => {
  // [x] > FLT_MAX: 465 → [465] = 480 > 448 in E4M3FN; 61440 = 57344 + ulp/2 → [x] = 65536 (tie to even)
  // > 57344 in E5M2. Below: 464 → [464] = 448 (tie to even), 61439 → 57344 (RNE).
  const rows: Array<[string, string, string, string]> = [
    // spec, x, saturate=1, saturate=0
    ['E4M3', '0', '0', '0'],
    ['E4M3', '-0', '-0', '-0'],
    ['E4M3', 'nan', 'nan', 'nan'],
    ['E4M3', 'inf', '448', 'nan'],
    ['E4M3', '-inf', '-448', 'nan'],
    ['E4M3', '465', '448', 'nan'],
    ['E4M3', '-465', '-448', 'nan'],
    ['E4M3', '464', '448', '448'],
    ['E5M2', '0', '0', '0'],
    ['E5M2', '-0', '-0', '-0'],
    ['E5M2', 'nan', 'nan', 'nan'],
    ['E5M2', 'inf', '57344', 'inf'],
    ['E5M2', '-inf', '-57344', '-inf'],
    ['E5M2', '61440', '57344', 'inf'],
    ['E5M2', '-61440', '-57344', '-inf'],
    ['E5M2', '61439', '57344', '57344'],
  ];
  it.each(rows)('%s: %s → %s (saturate=1), %s (saturate=0)', (spec, x, sat, nosat) => {
    const g = parseFloatFormat(spec);
    const cast1 = (c: string) =>
      floatCodeText(roundFloatInput(parseFloatInput(x), g, conventionPolicy(c)).code, g);
    expect([cast1('onnx-saturate'), cast1('onnx-nosat')]).toEqual([sat, nosat]);
  });
});
