import { describe, expect, it } from 'vitest';
import {
  EXACT_SPAN_LATE_LIMITS,
  exactSpanApplies,
  findExactSpanCertificate,
  verifyExactSpanCertificate,
} from '../src/engine/exact-span-certificate.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';

// Proposition XS on 512 values (docs/theory.md §10.10, "XS at 512 values"): the lattice search with a larger cap,
// run last by decide; the class found by the 9–16-bit hunt (UQ0.9, nearest-even, wrap, exact).

const s = settingOf(
  makeConfiguration({
    activation: 'tanh',
    format: 'UQ0.9',
    rounding: 'nearest-even',
    overflow: 'wrap',
    accumulation: 'exact',
    bias: 'first',
    weights: 'all',
  } as never),
);

describe('exact span certificates on 512 values', () => {
  it('tanh on UQ0.9: refused by the default limits, found and verified with the late ones (mutants of the same verifier: test/exact-span.test.ts)', () => {
    expect(exactSpanApplies(s)).toMatch(/512 > 256/);
    expect(exactSpanApplies(s, EXACT_SPAN_LATE_LIMITS.maxSize)).toBeNull();
    const c = findExactSpanCertificate(s, undefined, EXACT_SPAN_LATE_LIMITS).certificate;
    expect(c).not.toBeNull();
    if (!c) return;
    expect(verifyExactSpanCertificate(s, c)).toMatch(/512 > 256/);
    expect(verifyExactSpanCertificate(s, c, EXACT_SPAN_LATE_LIMITS.maxSize)).toBeNull();
  });
});
