import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classify, type FloatFormat, parseFloatFormat } from '../src/float/float-format.js';
import { floatMulKernel } from '../src/float/float-mul-kernel.js';
import { floatOp } from '../src/float/float-ops.js';
import { FLOAT_ROUNDINGS, type FloatPolicy } from '../src/float/float-rounding.js';

/**
 * The ⊗ kernel of IEEE-style formats (float-mul-kernel.ts) against the exact BigInt path (floatOp, itself
 * checked against the enumerating reference in float-ops.test.ts): fast-check properties on formats whose
 * deep underflow needs the shift clamp (bf16, E11M4, E14M1, E6M9) and formats that do not (fp16, E3M12,
 * E2M13, E4M4), every rounding mode under `infinity` and `saturate`; every pair of E4M4 codes with the
 * policies in turn. Operands are drawn to hit the hard cases (zeros of both signs, subnormals, least and
 * largest normals, ∞, NaN, significands 1.0, 1.1, 1.0…01, 1.1…1 whose products fall on ties and next to
 * them, exponents paired at the overflow threshold and across the subnormal range), and each property
 * checks that the draws produced ties, overflows, subnormal results, signed zeros and NaN results.
 */
const POLICIES: FloatPolicy[] = FLOAT_ROUNDINGS.flatMap((rounding) =>
  (['infinity', 'saturate'] as const).map((overflow) => ({ rounding, overflow })),
);

const same = (got: number, want: number, f: FloatFormat): boolean =>
  got === want || (classify(got, f) === 'nan' && classify(want, f) === 'nan');

/** A code built from a sign, an exponent field and a mantissa, each drawn from the hard cases or at random. */
function codeArb(f: FloatFormat, field?: fc.Arbitrary<number>): fc.Arbitrary<number> {
  const m = f.manBits;
  const top = 2 ** f.expBits - 1;
  const fields = fc.oneof(
    fc.constantFrom(0, 1, 2, f.bias - 1, f.bias, f.bias + 1, top - 1, top),
    fc.integer({ min: 0, max: top }),
  );
  const mants = fc.oneof(
    fc.constantFrom(
      ...[0, 1, 2 ** (m - 1), 2 ** (m - 1) + 1, 2 ** m - 1, 2 ** m - 2].filter((t) => t < 2 ** m),
    ),
    fc.integer({ min: 0, max: 2 ** m - 1 }),
  );
  return fc
    .tuple(fc.boolean(), field ?? fields, mants)
    .map(([neg, e, t]) => (neg ? f.signBit : 0) + Math.max(0, Math.min(top, e)) * 2 ** m + t);
}

/** Pairs: uniform codes, or b's field placed so that the product lands at a threshold of a's. */
function pairArb(f: FloatFormat): fc.Arbitrary<[number, number]> {
  const m = f.manBits;
  const bias = f.bias;
  const uniform = fc.integer({ min: 0, max: 2 ** f.bits - 1 });
  const paired = codeArb(f).chain((a) => {
    const fa = Math.floor((a & (f.signBit - 1)) / 2 ** m);
    // field sums near the overflow threshold, the least normal, the least subnormal and below it
    const targets = [f.emax + bias, f.emin + bias, f.emin - m + bias, f.emin - m - 2 + bias].map(
      (t) => t + bias - fa,
    );
    const field = fc
      .tuple(fc.constantFrom(...targets), fc.integer({ min: -2, max: 2 }))
      .map(([t, d]) => t + d);
    return codeArb(f, field).map((b): [number, number] => [a, b]);
  });
  return fc.oneof(fc.tuple(uniform, uniform), fc.tuple(codeArb(f), codeArb(f)), paired);
}

describe.each(['fp16', 'bf16', 'E3M12', 'E11M4', 'E14M1', 'E2M13', 'E6M9', 'E4M4'])(
  '⊗ kernel of %s',
  (spec) => {
    const f = parseFloatFormat(spec);
    it('equals the exact path in every rounding mode under infinity and saturate (fast-check)', () => {
      const seen = { tie: 0, overflow: 0, subnormal: 0, negZero: 0, nan: 0, inf: 0 };
      POLICIES.forEach((p, i) => {
        const mul = floatMulKernel(f, p);
        expect(mul).toBeDefined();
        fc.assert(
          fc.property(pairArb(f), ([a, b]) => {
            const want = floatOp('mul', a, b, f, p);
            const got = mul?.(a, b) ?? -1;
            if (!same(got, want.code, f)) return false;
            const kind = classify(want.code, f);
            if (want.overflowed) seen.overflow++;
            if (kind === 'subnormal') seen.subnormal++;
            if (want.code === f.signBit) seen.negZero++;
            if (kind === 'nan') seen.nan++;
            if (kind === 'infinite') seen.inf++;
            // a tie: the two nearest modes disagree
            if (p.rounding === 'nearest-even') {
              const away = floatOp('mul', a, b, f, { ...p, rounding: 'nearest-away' });
              if (away.code !== want.code) seen.tie++;
            }
            return true;
          }),
          { numRuns: 1500, seed: 4242 + i },
        );
      });
      for (const [what, count] of Object.entries(seen))
        expect({ what, hit: count > 0 }).toEqual({ what, hit: true });
    }, 60_000);
  },
);

describe('⊗ kernel: scope and exhaustive check', () => {
  it('declines FN formats, 8-bit formats and overflow error', () => {
    const p: FloatPolicy = { rounding: 'nearest-even', overflow: 'infinity' };
    expect(floatMulKernel(parseFloatFormat('E6M9FN'), p)).toBeUndefined();
    expect(floatMulKernel(parseFloatFormat('E5M2'), p)).toBeUndefined();
    expect(floatMulKernel(parseFloatFormat('fp16'), { ...p, overflow: 'error' })).toBeUndefined();
  });

  it('equals the exact path on every pair of E4M4 codes (9 bits), the 10 policies in turn', () => {
    const f = parseFloatFormat('E4M4');
    const kernels = POLICIES.map((p) => floatMulKernel(f, p));
    let bad = 0;
    for (let a = 0; a < 512; a++)
      for (let b = 0; b < 512; b++) {
        const i = (a * 512 + b) % POLICIES.length;
        const want = floatOp('mul', a, b, f, POLICIES[i]).code;
        const got = kernels[i]?.(a, b) ?? -1;
        if (!same(got, want, f) && bad++ < 5)
          expect({ a, b, ...POLICIES[i], got }).toEqual({ a, b, ...POLICIES[i], got: want });
      }
    expect(bad).toBe(0);
  }, 60_000);
});
