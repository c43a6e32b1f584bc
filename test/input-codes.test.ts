/** The fast text → code path of `eval --inputs` against the exact BigInt path, on random decimals. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { roundRational } from '../src/core/ops.js';
import { parseFixedType } from '../src/fixed-type.js';
import { textToCode } from '../src/network/input-codes.js';
import { exactCode, parseValue } from '../src/value.js';

const TYPES = [
  'ap_fixed<16,6>',
  'ap_fixed<8,3,AP_RND,AP_SAT>',
  'ap_fixed<12,2,AP_RND_CONV>',
  'ap_ufixed<10,4,AP_TRN_ZERO,AP_SAT>',
  'Q3.4',
  'ap_fixed<20,0,AP_RND_ZERO,AP_SAT_SYM>',
  'ap_fixed<6,8>',
];

function exact(text: string, spec: string, round: boolean): number | string {
  const t = parseFixedType(spec);
  try {
    if (!round) return Number(exactCode(text, t.format));
    const v = parseValue(text);
    return Number(roundRational(v.num, v.den, t.format, t.policy).code);
  } catch {
    return 'error';
  }
}

function fast(text: string, spec: string, round: boolean): number | string {
  try {
    return textToCode(text, parseFixedType(spec), round, 'x');
  } catch {
    return 'error';
  }
}

describe('textToCode', () => {
  it('equals the exact path on random decimals (ties, exact values, exponents, long digit strings)', () => {
    const text = fc.oneof(
      fc
        .tuple(fc.integer({ min: -100000, max: 100000 }), fc.integer({ min: 0, max: 8 }))
        .map(([m, e]) => (m / 10 ** e).toFixed(e)),
      fc
        .tuple(fc.integer({ min: -4096, max: 4096 }), fc.integer({ min: 0, max: 12 }))
        .map(([k, f]) => String(k / 2 ** f)),
      fc
        .tuple(fc.integer({ min: -4096, max: 4096 }), fc.integer({ min: 0, max: 12 }))
        .map(([k, f]) => `${(k + 0.5) / 2 ** f}`),
      fc.double({ min: -40, max: 40, noNaN: true }).map((x) => String(x)),
      fc.double({ min: -40, max: 40, noNaN: true }).map((x) => x.toExponential(7)),
      fc.constantFrom(
        '0',
        '-0',
        '+1.5',
        '.5',
        '5.',
        '1e1',
        '0.0009765625',
        '0.00048828125',
        '7.999999999999999999999',
        '1e-30',
        'abc',
        '1.2.3',
        '',
        '-',
      ),
    );
    fc.assert(
      fc.property(text, fc.constantFrom(...TYPES), fc.boolean(), (t, spec, round) => {
        expect(fast(t, spec, round), `${t} in ${spec} round=${round}`).toBe(exact(t, spec, round));
      }),
      { numRuns: 20000, seed: 9 },
    );
  });
});
