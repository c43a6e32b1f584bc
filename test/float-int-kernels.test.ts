import { describe, expect, it } from 'vitest';
import { FxnnError } from '../src/errors.js';
import { floatFastOps } from '../src/float/float-fast.js';
import { classify, parseFloatFormat } from '../src/float/float-format.js';
import { floatOp } from '../src/float/float-ops.js';
import { FLOAT_OVERFLOWS, FLOAT_ROUNDINGS, type FloatPolicy } from '../src/float/float-rounding.js';
import { mulberry32 } from '../src/prng.js';

/**
 * The int32 kernels of ⊗ ⊕ ⊖ (float-int-kernels.ts, the fast path of 9–16-bit formats) against the exact
 * BigInt path (floatOp, itself checked against the enumerating reference in float-ops.test.ts) on
 * 100,000 pairs per format, every rounding and overflow mode in turn. Half the codes are uniform; the
 * other half are built to hit the hard cases: zeros of both signs, subnormals, the least and largest
 * normals, NaN and ∞, and significands with few bits set (1.0, 1.1, 1.0…01, 1.1…1), whose products and
 * sums land on ties and next to them; exponents are paired so that products reach the overflow threshold
 * and the subnormal range and sums cancel or are far apart.
 */
const POLICIES: FloatPolicy[] = FLOAT_ROUNDINGS.flatMap((rounding) =>
  FLOAT_OVERFLOWS.map((overflow) => ({ rounding, overflow })),
);

function ours<T>(run: () => T): T | 'error' {
  try {
    return run();
  } catch (e) {
    if (e instanceof FxnnError && e.message.startsWith('overflow')) return 'error';
    throw e;
  }
}

describe.each(['fp16', 'bf16', 'E6M9FN', 'E3M12', 'E11M4'])('int32 kernels of %s', (spec) => {
  const f = parseFloatFormat(spec);
  const m = f.manBits;
  const e = f.expBits;
  const bias = f.bias;
  it('⊗ ⊕ ⊖ equal the exact path on 100,000 pairs (hard cases and uniform), modes in turn', () => {
    const rand = mulberry32(f.bits * 7919 + m);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    const mants = [0, 1, 2 ** (m - 1), 2 ** (m - 1) + 1, 2 ** m - 1, 2 ** m - 2];
    const fields = [0, 1, 2, 2 ** e - 2, 2 ** e - 1, bias, bias + 1, bias - 1];
    const hard = (field?: number): number => {
      const fld = field ?? (rand() < 0.5 ? pick(fields) : Math.floor(rand() * 2 ** e));
      const mant = rand() < 0.6 ? pick(mants) : Math.floor(rand() * 2 ** m);
      return (rand() < 0.5 ? f.signBit : 0) + Math.min(fld, 2 ** e - 1) * 2 ** m + mant;
    };
    let cases = 0;
    let inexact = 0;
    for (let i = 0; i < 100_000; i++) {
      let a: number;
      let b: number;
      if (i % 2 === 0) {
        a = Math.floor(rand() * 2 ** f.bits);
        b = Math.floor(rand() * 2 ** f.bits);
      } else {
        a = hard();
        // exponent fields whose sum (products) or difference (sums) sits at a threshold
        const fa = Math.floor((a & (f.signBit - 1)) / 2 ** m);
        const target = pick([
          bias + f.emax - fa + bias, // product near max
          bias + f.emin - fa + bias, // product near the least normal
          bias + f.emin - m - fa + bias, // product near the least subnormal
          fa, // equal exponents: cancellation
          fa - m - 1,
          fa - m - 2,
          fa - m - 3,
          fa + m + 4,
        ]);
        b = hard(Math.max(0, Math.min(2 ** e - 1, target - bias)));
        if (rand() < 0.3) b = hard(Math.max(0, Math.min(2 ** e - 1, target)));
      }
      const p = POLICIES[i % 15];
      const fast = floatFastOps(f, p);
      for (const op of ['mul', 'add', 'sub'] as const) {
        const r = ours(() => floatOp(op, a, b, f, p));
        const slow = r === 'error' ? r : r.code;
        const got = ours(() => fast[op](a, b));
        if (got !== slow && !(classify(slow as number, f) === 'nan' && classify(got as number, f) === 'nan'))
          expect({ spec, op, a, b, ...p, got }).toEqual({ spec, op, a, b, ...p, got: slow });
        if (r !== 'error' && !r.exact) inexact++;
        cases++;
      }
    }
    expect(cases).toBe(300_000);
    expect(inexact).toBeGreaterThan(50_000);
  }, 60_000);
});
