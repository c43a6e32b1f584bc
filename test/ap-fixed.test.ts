/**
 * ap_fixed semantics against an independent model written from the documented definitions
 * (UG1399 "Quantization Modes"/"Overflow Modes", ap_fixed_base.h's quantization_adjust and
 * overflow_adjust read as bit-string rules): exact rationals, bits as arrays of 0/1.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyOverflow, overflowClamp } from '../src/core/overflow.js';
import { roundValue } from '../src/fixed.js';
import { parseFixedType } from '../src/fixed-type.js';
import { parseFormat } from '../src/format.js';

const QS = ['AP_RND', 'AP_RND_ZERO', 'AP_RND_MIN_INF', 'AP_RND_INF', 'AP_RND_CONV', 'AP_TRN', 'AP_TRN_ZERO'];
const OS = ['AP_SAT', 'AP_SAT_ZERO', 'AP_SAT_SYM', 'AP_WRAP', 'AP_WRAP_SM'];

/** floor(p/q) for q > 0. */
function floorDiv(p: bigint, q: bigint): bigint {
  const d = p / q;
  return p % q !== 0n && p < 0n ? d - 1n : d;
}

/** Quantization of t = p/q (q > 0) to an integer, by the UG's definition of each mode. */
function quantize(p: bigint, q: bigint, mode: string): bigint {
  const fl = floorDiv(p, q);
  const rem = p - fl * q; // 0 ≤ rem < q: t = fl + rem/q
  const negative = p < 0n;
  const cmpHalf = 2n * rem === q ? 0 : 2n * rem < q ? -1 : 1;
  const up = (b: boolean) => (b ? fl + 1n : fl);
  switch (mode) {
    case 'AP_TRN':
      return fl;
    case 'AP_TRN_ZERO':
      return up(negative && rem !== 0n);
    case 'AP_RND': // half toward +∞
      return up(rem !== 0n && cmpHalf >= 0);
    case 'AP_RND_ZERO': // half toward 0
      return up(cmpHalf > 0 || (cmpHalf === 0 && negative));
    case 'AP_RND_MIN_INF': // half toward −∞
      return up(cmpHalf > 0);
    case 'AP_RND_INF': // half away from 0
      return up(cmpHalf > 0 || (cmpHalf === 0 && !negative));
    default: // AP_RND_CONV: half to even
      return up(cmpHalf > 0 || (cmpHalf === 0 && (fl & 1n) === 1n));
  }
}

/** Bits b[0] (LSB) … b[W−1] of the low W bits of k. */
function bitsOf(k: bigint, w: number): number[] {
  return Array.from({ length: w }, (_, i) => Number((k >> BigInt(i)) & 1n));
}
function bitsValue(b: number[], signed: boolean): bigint {
  let v = 0n;
  b.forEach((x, i) => {
    if (x) v += 1n << BigInt(i);
  });
  return signed && b[b.length - 1] === 1 ? v - (1n << BigInt(b.length)) : v;
}

/** The code of x = p/q in ap_[u]fixed<W,I,Q,O,N>: quantize, then overflow as UG1399 / overflow_adjust state it. */
function apReference(
  p: bigint,
  q: bigint,
  w: number,
  i: number,
  signed: boolean,
  qm: string,
  om: string,
  n: number,
): bigint {
  const f = w - i;
  const k = f >= 0 ? quantize(p << BigInt(f), q, qm) : quantize(p, q << BigInt(-f), qm);
  const lo = signed ? -(1n << BigInt(w - 1)) : 0n;
  const hi = signed ? (1n << BigInt(w - 1)) - 1n : (1n << BigInt(w)) - 1n;
  const over = k > hi;
  const under = k < lo || (om === 'AP_SAT_SYM' && signed && k === lo);
  if (!over && !under) return k;
  if (om === 'AP_SAT') return over ? hi : lo;
  if (om === 'AP_SAT_ZERO') return 0n;
  if (om === 'AP_SAT_SYM') return over ? hi : signed ? -hi : 0n;
  const b = bitsOf(k, w);
  const s = k < 0n ? 1 : 0;
  if (om === 'AP_WRAP') {
    if (n === 0) return bitsValue(b, signed);
    if (signed) {
      b[w - 1] = s; // the sign of the source
      for (let j = w - n; j <= w - 2; j++) b[j] = 1 - s; // N−1 bits below it: saturated
    } else {
      for (let j = w - n; j <= w - 1; j++) b[j] = 1;
    }
    return bitsValue(b, signed);
  }
  // AP_WRAP_SM (signed only)
  const flip = () => {
    for (let j = 0; j < w; j++) b[j] = 1 - b[j];
  };
  if (n === 0) {
    const lD = Number((k >> BigInt(w)) & 1n);
    if (lD !== b[w - 1]) {
      flip();
      b[w - 1] = lD;
    }
  } else {
    if (n === 1 && s !== b[w - 1]) flip();
    else if (n > 1) {
      if (b[w - n] === s) flip();
      for (let j = w - n; j <= w - 2; j++) b[j] = 1 - s;
    }
    b[w - 1] = s;
  }
  return bitsValue(b, true);
}

function spelling(w: number, i: number, signed: boolean, qm: string, om: string, n: number): string {
  return `ap_${signed ? '' : 'u'}fixed<${w},${i},${qm},${om},${n}>`;
}

describe('ap_fixed spellings', () => {
  it('carry ap_fixed defaults AP_TRN, AP_WRAP (the issue example)', () => {
    expect(roundValue('ap_fixed<8,3>', '0.99').value).toBe('0.96875');
    expect(roundValue('ap_fixed<8,3>', '100').value).toBe('-4');
    // Qm.n keeps fxnn's defaults (nearest-even, saturate)
    expect(roundValue('Q2.5', '0.99').value).toBe('1');
    expect(roundValue('Q2.5', '100').value).toBe('3.96875');
    // --rounding/--overflow override, AP names accepted as mode names
    expect(roundValue('ap_fixed<8,3>', '0.99', { rounding: 'AP_RND' }).value).toBe('1');
    expect(roundValue('ap_fixed<8,3>', '100', { overflow: 'saturate' }).value).toBe('3.96875');
    expect(roundValue('Q2.5', '0.99', { rounding: 'AP_TRN' }).value).toBe('0.96875');
  });

  it('UG1399 overflow examples (ap_[u]fixed<4,4,AP_RND,O>)', () => {
    const cases: Array<[string, string, string]> = [
      ['ap_fixed<4,4,AP_RND,AP_SAT>', '19', '7'],
      ['ap_fixed<4,4,AP_RND,AP_SAT>', '-19', '-8'],
      ['ap_ufixed<4,4,AP_RND,AP_SAT>', '19', '15'],
      ['ap_ufixed<4,4,AP_RND,AP_SAT>', '-19', '0'],
      ['ap_fixed<4,4,AP_RND,AP_SAT_ZERO>', '19', '0'],
      ['ap_fixed<4,4,AP_RND,AP_SAT_ZERO>', '-19', '0'],
      ['ap_ufixed<4,4,AP_RND,AP_SAT_ZERO>', '-19', '0'],
      ['ap_fixed<4,4,AP_RND,AP_SAT_SYM>', '19', '7'],
      ['ap_fixed<4,4,AP_RND,AP_SAT_SYM>', '-19', '-7'],
      ['ap_ufixed<4,4,AP_RND,AP_SAT_SYM>', '19', '15'],
      ['ap_ufixed<4,4,AP_RND,AP_SAT_SYM>', '-19', '0'],
      ['ap_fixed<4,4,AP_RND,AP_WRAP>', '31', '-1'],
      ['ap_fixed<4,4,AP_RND,AP_WRAP>', '-19', '-3'],
      ['ap_ufixed<4,4,AP_RND,AP_WRAP>', '19', '3'],
      ['ap_ufixed<4,4,AP_RND,AP_WRAP>', '-19', '13'],
    ];
    for (const [spec, x, y] of cases) expect(roundValue(spec, x).value, `${spec} = ${x}`).toBe(y);
  });

  it('ap_int, ap_uint, I ≤ 0 and I > W', () => {
    expect(parseFormat('ap_int<8>').spec).toBe('Q7.0');
    expect(parseFormat('ap_uint<8>').spec).toBe('UQ8.0');
    expect(roundValue('ap_int<4>', '9').value).toBe('-7');
    expect(parseFormat('ap_fixed<4,-2>').spec).toBe('ap_fixed<4,-2>');
    expect(roundValue('ap_fixed<4,-2>', '0.2').value).toBe('-0.0625');
    expect(roundValue('ap_fixed<4,6>', '100').value).toBe('-28');
    expect(roundValue('ap_ufixed<4,0,AP_RND>', '0.5').value).toBe('0.5');
  });

  it('rejects what ap_fixed rejects, in one line naming the spelling', () => {
    expect(() => parseFixedType('ap_ufixed<8,3,AP_RND,AP_WRAP_SM>')).toThrow(/not defined for the unsigned/);
    expect(() => parseFixedType('ap_fixed<8,3,AP_SAT>')).toThrow(/quantization mode "AP_SAT"/);
    expect(() => parseFixedType('ap_fixed<0,3>')).toThrow(/total bits/);
    expect(() => parseFixedType('ap_fixed<8,3,AP_TRN,AP_WRAP,9>')).toThrow(/N \(saturation bits\)/);
    expect(() => parseFixedType('ap_fixed<8>')).toThrow(/ap_fixed<W,I/);
  });

  it('agrees with the independent model on random types, modes and values', () => {
    const arb = fc
      .record({
        w: fc.integer({ min: 1, max: 12 }),
        i: fc.integer({ min: -4, max: 16 }),
        signed: fc.boolean(),
        qm: fc.constantFrom(...QS),
        om: fc.constantFrom(...OS),
        n: fc.integer({ min: 0, max: 12 }),
        p: fc.bigInt({ min: -(1n << 40n), max: 1n << 40n }),
        e: fc.integer({ min: 0, max: 30 }),
      })
      .filter((r) => r.n <= r.w && !(r.om === 'AP_WRAP_SM' && !r.signed))
      .map((r) => ({ ...r, n: r.om.startsWith('AP_WRAP') ? r.n : 0 }));
    fc.assert(
      fc.property(arb, ({ w, i, signed, qm, om, n, p, e }) => {
        const spec = spelling(w, i, signed, qm, om, n);
        const q = 1n << BigInt(e);
        const got = roundValue(spec, `${p}/${q}`).code;
        expect(got, `${spec} ← ${p}/2^${e}`).toBe(apReference(p, q, w, i, signed, qm, om, n));
      }),
      { numRuns: 3000, seed: 14 },
    );
  });

  it('activation tables and apply follow saturate-symmetric (the most negative code becomes −max)', async () => {
    const { activationTable, roundedActivation } = await import('../src/activations/rounded.js');
    const { parseActivation } = await import('../src/activations/activation.js');
    const { format, policy } = parseFixedType('ap_fixed<4,4,AP_TRN,AP_SAT_SYM>');
    const id = parseActivation('identity');
    expect(Array.from(activationTable(id, format, policy).slice(0, 3))).toEqual([-7, -7, -6]);
    expect(roundedActivation(id, format, policy).apply(-8n)).toBe(-7n);
  });

  it('the number kernel overflowClamp follows applyOverflow for every mode', () => {
    for (const spec of [
      'ap_fixed<6,2,AP_TRN,AP_WRAP,3>',
      'ap_fixed<5,5,AP_TRN,AP_WRAP_SM>',
      'ap_fixed<5,5,AP_TRN,AP_WRAP_SM,2>',
      'ap_fixed<5,1,AP_TRN,AP_SAT_SYM>',
      'ap_ufixed<5,1,AP_TRN,AP_SAT_ZERO>',
      'ap_ufixed<5,1,AP_TRN,AP_WRAP,2>',
    ]) {
      const { format, policy } = parseFixedType(spec);
      const clamp = overflowClamp(format, policy.overflow, policy.saturationBits);
      for (let c = -300; c <= 300; c++) {
        const ref = applyOverflow(BigInt(c), format, policy.overflow, policy.saturationBits).code;
        expect(clamp(c), `${spec} code ${c}`).toBe(Number(ref));
      }
    }
  });
});
