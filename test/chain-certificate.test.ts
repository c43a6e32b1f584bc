import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Budget } from '../src/engine/budget.js';
import { verifyCertificate } from '../src/engine/certificate.js';
import {
  findChainCertificate,
  linearUnitChainCertificate,
  materializeChainCertificate,
  verifyChainCertificate,
} from '../src/engine/chain-certificate.js';
import { chainImage, sigmaRanges } from '../src/engine/interval-chain.js';
import { linearUnitCondition } from '../src/engine/linear-unit-condition.js';
import { unary } from '../src/engine/setting.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { decide } from '../src/expressivity/verdict.js';

const setting = (format: string, activation: string, extra: Record<string, string> = {}) =>
  settingOf(makeConfiguration({ format, activation, ...extra }));

describe('interval images (docs/theory.md §9)', () => {
  it('contain every output of a chain on an interval, for monotone and non-monotone σ_F', () => {
    const cases = ['relu', 'gelu', 'sigmoid', 'silu', 'mish'].flatMap((a) =>
      ['Q2.3', 'Q3.2', 'Q0.5'].map((f) => setting(f, a)),
    );
    cases.push(
      setting('Q2.3', 'gelu', { accumulation: 'exact' }),
      setting('Q2.3', 'tanh', { overflow: 'error' }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: cases.length - 1 }),
        fc.array(fc.tuple(fc.integer(), fc.integer()), { minLength: 1, maxLength: 4 }),
        fc.integer(),
        fc.integer(),
        (k, raw, p, q) => {
          const s = cases[k];
          const code = (v: number) => s.min + (((v % s.size) + s.size) % s.size);
          const steps = raw.map(([w, b]) => [code(w), code(b)] as const);
          const lo = Math.min(code(p), code(q));
          const hi = Math.max(code(p), code(q));
          const img = chainImage(sigmaRanges(s), steps, lo, hi);
          for (let x = lo; x <= hi; x++) {
            let h = x;
            for (const [w, b] of steps) h = unary(s, w, h, b);
            if (img === null) continue; // no claim: some step may be invalid
            expect(h).toBeGreaterThanOrEqual(img[0]);
            expect(h).toBeLessThanOrEqual(img[1]);
          }
        },
      ),
      { numRuns: 300, seed: 12 },
    );
  });
});

describe('chain certificates against the exhaustive verifier', () => {
  const cells: Array<[string, string, string]> = [
    ['Q3.4', 'relu', 'all'],
    ['Q3.4', 'sigmoid', 'all'],
    ['Q2.4', 'gelu', 'all'],
    ['Q2.4', 'tanh', 'all'],
    ['Q2.4', 'elu', 'binary'],
    ['Q3.3', 'identity', 'all'],
    ['Q2.5', 'silu', 'all'],
  ];
  for (const [format, activation, weights] of cells) {
    it(`${activation} on ${format}, ${weights} weights: found, and every detector holds on every input`, () => {
      const s = setting(format, activation, { weights });
      const { certificate } = findChainCertificate(s);
      expect(certificate).not.toBeNull();
      if (!certificate) return;
      expect(verifyChainCertificate(s, certificate)).toBeNull();
      // the independent check: every gadget of the materialized certificate on its whole domain
      expect(verifyCertificate(s, materializeChainCertificate(s, certificate))).toBeNull();
    });
  }

  for (const [format, activation, extra] of [
    ['Q2.3', 'relu', {}],
    ['Q3.3', 'identity', { accumulation: 'exact' }],
    ['Q2.4', 'elu', { bias: 'first', rounding: 'floor' }],
  ] as const) {
    it(`the linear-unit certificate as chains: ${activation} on ${format}`, () => {
      const s = setting(format, activation, extra);
      const cert = linearUnitChainCertificate(s, linearUnitCondition(s));
      expect(cert).not.toBeNull();
      if (!cert) return;
      expect(verifyChainCertificate(s, cert)).toBeNull();
      expect(verifyCertificate(s, materializeChainCertificate(s, cert))).toBeNull();
    });
  }

  it('the interval verifier rejects a broken threshold chain', () => {
    const s = setting('Q3.4', 'relu');
    const { certificate } = findChainCertificate(s);
    expect(certificate).not.toBeNull();
    if (!certificate) return;
    const t = 5;
    const ge = certificate.ge.slice();
    const chain = ge[t - s.min] as readonly (readonly [number, number])[];
    ge[t - s.min] = [[chain[0][0], chain[0][1] + 1], ...chain.slice(1)];
    const broken = { ...certificate, ge };
    expect(verifyChainCertificate(s, broken)).toMatch(/x ≥ code 5/);
    expect(verifyCertificate(s, materializeChainCertificate(s, broken))).not.toBeNull();
  });
});

describe('budgets', () => {
  it('a spent budget gives undetermined naming it, never a crash', () => {
    const c = makeConfiguration({ format: 'Q7.8', activation: 'sigmoid' });
    const v = decide(c, { budget: 1e-6 });
    expect(v.verdict).toBe('undetermined');
    expect(v.reason).toMatch(/budget/);
  });

  it('Budget.spend throws once the work is over', () => {
    const b = new Budget(1, 100, 10);
    b.spend(5, 'x');
    expect(() => b.spend(6, 'the test')).toThrow(/the test exceeded the work budget/);
  });
});
