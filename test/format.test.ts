import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FxnnError } from '../src/errors.js';
import { formatFacts } from '../src/fixed.js';
import { codesOf, type Format, MAX_BITS, makeFormat, parseFormat } from '../src/format.js';
import { formatArb } from './exact-reference.js';

function errorOf(f: () => unknown): FxnnError {
  try {
    f();
  } catch (e) {
    if (e instanceof FxnnError) return e;
    throw e;
  }
  throw new Error('expected an FxnnError');
}

describe('format facts (THEORY §1)', () => {
  it.each([
    // spec, encoding, bits, minCode, maxCode, min, max, step, count, hasOne
    ['Q3.4', 'twos-complement', 8, -128n, 127n, '-8', '7.9375', '0.0625', '256', true],
    ['SQ3.4', 'symmetric', 8, -127n, 127n, '-7.9375', '7.9375', '0.0625', '255', true],
    ['UQ3.4', 'unsigned', 7, 0n, 127n, '0', '7.9375', '0.0625', '128', true],
    ['UQ4.0', 'unsigned', 4, 0n, 15n, '0', '15', '1', '16', true],
    ['Q3.0', 'twos-complement', 4, -8n, 7n, '-8', '7', '1', '16', true],
    ['Q3.1', 'twos-complement', 5, -16n, 15n, '-8', '7.5', '0.5', '32', true],
    ['Q0.7', 'twos-complement', 8, -128n, 127n, '-1', '0.9921875', '0.0078125', '256', false],
    ['Q0.0', 'twos-complement', 1, -1n, 0n, '-1', '0', '1', '2', false],
    ['SQ0.0', 'symmetric', 1, 0n, 0n, '0', '0', '1', '1', false],
    ['UQ0.1', 'unsigned', 1, 0n, 1n, '0', '0.5', '0.5', '2', false],
    ['UQ1.0', 'unsigned', 1, 0n, 1n, '0', '1', '1', '2', true],
    [
      'Q63.0',
      'twos-complement',
      64,
      -(2n ** 63n),
      2n ** 63n - 1n,
      '-9223372036854775808',
      '9223372036854775807',
      '1',
      '18446744073709551616',
      true,
    ],
    [
      'UQ0.64',
      'unsigned',
      64,
      0n,
      2n ** 64n - 1n,
      '0',
      '0.9999999999999999999457898913757247782996273599565029144287109375',
      '0.0000000000000000000542101086242752217003726400434970855712890625',
      '18446744073709551616',
      false,
    ],
  ] as const)('%s', (spec, encoding, bits, minCode, maxCode, min, max, step, count, hasOne) => {
    const f = parseFormat(spec);
    expect(f.spec).toBe(spec);
    expect(f.encoding).toBe(encoding);
    expect(f.bits).toBe(bits);
    expect(f.minCode).toBe(minCode);
    expect(f.maxCode).toBe(maxCode);
    expect(f.hasOne).toBe(hasOne);
    expect(f.small).toBe(bits <= 26);
    const facts = formatFacts(spec);
    expect(facts).toMatchObject({ spec, encoding, bits, min, max, step, count, hasOne });
    expect(facts.minCode).toBe(minCode.toString());
    expect(facts.maxCode).toBe(maxCode.toString());
  });

  it('holds the §1 code ranges for every kind and every width 1..64', () => {
    fc.assert(
      fc.property(formatArb(), (f) => {
        const mag = 2n ** BigInt(f.intBits + f.fracBits);
        const expected = {
          Q: [-mag, mag - 1n, f.intBits + f.fracBits + 1],
          SQ: [-(mag - 1n), mag - 1n, f.intBits + f.fracBits + 1],
          UQ: [0n, mag - 1n, f.intBits + f.fracBits],
        }[f.kind];
        expect([f.minCode, f.maxCode, f.bits]).toEqual(expected);
        expect(f.size).toBe(f.maxCode - f.minCode + 1n);
        expect(f.size).toBe(f.kind === 'SQ' ? 2n ** BigInt(f.bits) - 1n : 2n ** BigInt(f.bits));
        expect(f.bits >= 1 && f.bits <= MAX_BITS).toBe(true);
        expect(f.small).toBe(f.bits <= 26);
        // 1 ∈ 𝕀 ⇔ the code 2^n lies in the range ⇔ m ≥ 1
        const one = 2n ** BigInt(f.fracBits);
        expect(f.hasOne).toBe(one <= f.maxCode);
        expect(f.hasOne).toBe(f.intBits >= 1);
        expect(parseFormat(f.spec)).toBe(f);
      }),
      { numRuns: 500 },
    );
  });

  it('enumerates the codes of a small format in order', () => {
    expect([...codesOf(parseFormat('SQ1.0'))]).toEqual([-1n, 0n, 1n]);
    expect([...codesOf(parseFormat('UQ0.2'))]).toEqual([0n, 1n, 2n, 3n]);
  });
});

describe('interning and aliases', () => {
  it('returns the same frozen object for the same format', () => {
    const f = parseFormat('Q3.4');
    expect(parseFormat('Q3.4')).toBe(f);
    expect(parseFormat('q3.4')).toBe(f);
    expect(parseFormat('  Q3.4 ')).toBe(f);
    expect(parseFormat('Q03.04')).toBe(f);
    expect(makeFormat('Q', 3, 4)).toBe(f);
    expect(parseFormat(f)).toBe(f);
    expect(Object.isFrozen(f)).toBe(true);
    expect(() => {
      (f as { bits: number }).bits = 9;
    }).toThrow(TypeError);
    expect(parseFormat('SQ3.4')).not.toBe(f);
    expect(parseFormat('UQ3.4')).not.toBe(f);
  });

  it.each([
    ['ap_fixed<8,4>', 'Q3.4'],
    ['ap_fixed<16,6>', 'Q5.10'],
    ['ap_fixed< 16 , 6 >', 'Q5.10'],
    ['AP_FIXED<8,4>', 'Q3.4'],
    ['ap_fixed<1,1>', 'Q0.0'],
    ['ap_fixed<8,8>', 'Q7.0'],
    ['ap_fixed<64,1>', 'Q0.63'],
    ['ap_ufixed<8,4>', 'UQ4.4'],
    ['ap_ufixed<8,0>', 'UQ0.8'],
    ['ap_ufixed<1,1>', 'UQ1.0'],
    // HLS allows I ≤ 0 and I > W (docs/model.md): named by their HLS spelling
    ['ap_fixed<8,0>', 'ap_fixed<8,0>'],
    ['ap_fixed<8,-2>', 'ap_fixed<8,-2>'],
    ['ap_fixed<4,8>', 'ap_fixed<4,8>'],
    ['ap_ufixed<4,5>', 'ap_ufixed<4,5>'],
    ['ap_fixed<8,3,AP_RND,AP_SAT>', 'Q2.5'],
    ['ap_int<8>', 'Q7.0'],
    ['ap_uint<8>', 'UQ8.0'],
    ['ap_ufixed<64,64>', 'UQ64.0'],
  ])('%s is %s (the same object)', (alias, spec) => {
    expect(parseFormat(alias)).toBe(parseFormat(spec));
    expect(parseFormat(alias).spec).toBe(spec);
  });

  it('ap_fixed<W,I> has W total bits and I integer bits including the sign', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), fc.boolean(), fc.nat(), (w, unsigned, r) => {
        const i = unsigned ? r % (w + 1) : 1 + (r % w);
        const f = parseFormat(`ap_${unsigned ? 'u' : ''}fixed<${w},${i}>`);
        expect(f.bits).toBe(w);
        expect(f.fracBits).toBe(w - i);
        expect(f.kind).toBe(unsigned ? 'UQ' : 'Q');
      }),
      { numRuns: 300 },
    );
  });
});

describe('bad format specs', () => {
  it.each([
    ['Q3', 'unknown format "Q3"'],
    ['Q3.', 'unknown format "Q3."'],
    ['Q-1.4', 'unknown format "Q-1.4"'],
    ['Q3.4.5', 'unknown format "Q3.4.5"'],
    ['X3.4', 'unknown format "X3.4"'],
    ['float32', 'format "float32": float formats have at most 16 bits'],
    ['', 'unknown format ""'],
    ['ap_fixed<8>', 'format "ap_fixed<8>": expected ap_fixed<W,I[,Q[,O[,N]]]>'],
    ['ap_fixed<8,4,AP_RND,AP_WRAP,9>', 'N (saturation bits) must be a whole number 0 … W = 8'],
    ['Q64.0', 'format "Q64.0" has 65 total bits; fxnn supports 1 to 64'],
    ['Q32.32', 'format "Q32.32" has 65 total bits; fxnn supports 1 to 64'],
    ['SQ0.64', 'format "SQ0.64" has 65 total bits; fxnn supports 1 to 64'],
    ['UQ65.0', 'format "UQ65.0" has 65 total bits; fxnn supports 1 to 64'],
    ['UQ0.0', 'format "UQ0.0" has 0 total bits; fxnn supports 1 to 64'],
    ['ap_fixed<65,1>', 'format "ap_fixed<65,1>" has 65 total bits; fxnn supports 1 to 64'],
    ['ap_ufixed<0,0>', 'format "ap_ufixed<0,0>" has 0 total bits; fxnn supports 1 to 64'],
    ['ap_fixed<8,x>', 'format "ap_fixed<8,x>": I must be a whole number'],
  ])('%j → %s', (spec, message) => {
    const e = errorOf(() => parseFormat(spec));
    expect(e.message).toContain(message);
    expect(e.parameter).toBe('format');
    expect(e.message).not.toContain('\n');
  });

  it('parseFormat rejects what is neither a spec nor a Format', () => {
    expect(errorOf(() => parseFormat(8 as unknown as string)).message).toBe(
      'format: expected a spec string or a Format, got "8"',
    );
    expect(errorOf(() => parseFormat({ spec: 'Q3.4' } as unknown as Format)).message).toBe(
      'format: expected a spec string or a Format, got "[object Object]"',
    );
  });

  it('makeFormat rejects bad bit counts', () => {
    expect(errorOf(() => makeFormat('SQ', -1, 3)).message).toBe(
      'format: integer bits must be a whole number ≥ 0, got -1',
    );
    expect(errorOf(() => makeFormat('Q', 1, 1.5)).message).toBe(
      'format: fractional bits must be a whole number, got 1.5',
    );
    expect(makeFormat('Q', -1, 3).spec).toBe('ap_fixed<3,0>');
    expect(errorOf(() => makeFormat('UQ', 40, 30)).message).toBe(
      'format "UQ40.30" has 70 total bits; fxnn supports 1 to 64',
    );
  });

  it('every accepted width is 1..64 bits', () => {
    for (let bits = 1; bits <= 64; bits++) {
      const formats: Format[] = [
        parseFormat(`Q${bits - 1}.0`),
        parseFormat(`Q0.${bits - 1}`),
        parseFormat(`SQ${bits - 1}.0`),
        parseFormat(`UQ${bits}.0`),
        parseFormat(`UQ0.${bits}`),
      ];
      for (const f of formats) expect(f.bits).toBe(bits);
    }
  });
});
