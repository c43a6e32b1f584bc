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
