import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifyCertificate } from '../src/engine/certificate.js';
import { completeDigits, digitFanEmitters, digitSigns } from '../src/engine/digit-fan-emitters.js';
import {
  type FeaturePairCertificate,
  findFeaturePairCertificate,
  materializeFeaturePairCertificate,
  verifyFeaturePairCertificate,
} from '../src/engine/feature-pair-certificate.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { decide } from '../src/expressivity/verdict.js';
import { recheckClassical } from './reference-gadget.js';

// Digit fan emitters (docs/theory.md §10.2, "Complete digit sets"): the fan emitters with any complete digit
// set d₀ = 1, d_i ≤ 1 + Σ_{j<i} d_j instead of the powers of two, for σ_F that skips a power of two
// (hard-swish on SQm.1 under nearest-even takes the codes 1, 2, 3, 5, … but never 4).

describe('digitSigns: signed sums of a complete digit set', () => {
  it('reach every y of the range, sum to y, and keep every partial sum within max(S + 1, |y|)', () => {
    const digitSets = fc
      .array(fc.double({ min: 0.05, max: 1, noNaN: true }), { minLength: 0, maxLength: 7 })
      .map((fractions) => {
        const digits = [1];
        let sum = 1;
        for (const f of fractions) {
          const d = Math.max(digits[digits.length - 1], Math.round(f * (sum + 1)));
          digits.push(d);
          sum += d;
        }
        return digits;
      });
    fc.assert(
      fc.property(digitSets, fc.integer({ min: 1, max: 600 }), (digits, reach) => {
        const S = digits.reduce((a, d) => a + d, 0);
        const top = digits[digits.length - 1];
        const c = Math.ceil(reach / top) + 1;
        // plain checks in the loop (expect is slow); the first failure is returned and asserted once
        const failure = (): string | null => {
          for (let y = -reach; y <= reach; y++) {
            if (y === 0) continue;
            const signs = digitSigns(y, digits, S, top, c, false) ?? digitSigns(y, digits, S, top, c, true);
            if (!signs) return `y = ${y}: no signs`;
            const twin = signs.length === digits.length + c + 1;
            const outputs = [...(twin ? [1] : []), ...digits, ...new Array<number>(c).fill(top)];
            if (signs.length !== outputs.length) return `y = ${y}: ${signs.length} signs`;
            let acc = 0;
            const bound = Math.max(S + 1, Math.abs(y));
            for (let j = 0; j < outputs.length; j++) {
              acc += signs[j] * outputs[j];
              if (Math.abs(acc) > bound) return `y = ${y}: partial sum ${j} is ${acc}`;
            }
            if (acc !== y) return `y = ${y}: sum ${acc}`;
          }
          return null;
        };
        expect(failure()).toBeNull();
      }),
      { numRuns: 60, seed: 12 },
    );
  });
});

const hardSwish = (format: string, extra: Record<string, string> = {}) =>
  makeConfiguration({
    format,
    activation: 'hard-swish',
    rounding: 'nearest-even',
    overflow: 'error',
    weights: 'binary',
    ...extra,
  });

describe('digit fan emitters in feature-pair certificates (hard-swish, nearest-even, error, binary)', () => {
  it.each([
    ['SQ3.1', {}],
    ['SQ4.1', {}],
    ['SQ4.1', { accumulation: 'exact', bias: 'first' }],
    ['SQ5.1', { bias: 'first' }],
  ] as const)(
    '%s %o: the certificate with digit fan emitters passes both verifiers and the reference evaluator',
    (format, extra) => {
      const c = hardSwish(format, extra);
      const s = settingOf(c);
      // σ_F skips the code 4 (2.0 ↦ 1.67, 2.5 ↦ 2.29): the powers of two stop at 2, the digits do not
      expect(Array.from(s.sigma)).not.toContain(4);
      const found = findFeaturePairCertificate(s).certificate as FeaturePairCertificate;
      expect(found).not.toBeNull();
      const digits = completeDigits(s, found.e);
      if (typeof digits === 'string') throw new Error(digits);
      const values = digits.digits.map((d) => d.value);
      expect(values.slice(0, 3)).toEqual([1, 2, 3]);
      const emit = digitFanEmitters(s, found.e);
      if (typeof emit === 'string') throw new Error(emit);
      const cert: FeaturePairCertificate = { ...found, ...emit };
      expect(verifyFeaturePairCertificate(s, cert)).toBeNull();
      const full = materializeFeaturePairCertificate(s, cert);
      expect(verifyCertificate(s, full)).toBeNull();
      // every detector on every input, AND, delay, every emitter at 0 and at e: BigInt reference evaluator
      recheckClassical(c, full, s.min, s.max);
      // mutants: a flipped sign, a digit neuron's bias moved by one code; both verifiers refuse each
      const y = s.max - 1;
      const em = cert.emitters[y - s.min];
      const flipped = em.weights.slice();
      flipped[0] = -flipped[0];
      const signMutant = cert.emitters.slice();
      signMutant[y - s.min] = { ...em, weights: flipped };
      const m1 = { ...cert, emitters: signMutant };
      expect(verifyFeaturePairCertificate(s, m1)).toMatch(/gives/);
      expect(verifyCertificate(s, materializeFeaturePairCertificate(s, m1))).not.toBeNull();
      const layer2 = em.gadget.layers[1].slice();
      layer2[1] = { ...layer2[1], bias: layer2[1].bias + 1 };
      const bent = { ...em.gadget, layers: [em.gadget.layers[0], layer2] };
      const biasMutant = cert.emitters.map((e) => (e.gadget === em.gadget ? { ...e, gadget: bent } : e));
      const m2 = { ...cert, emitters: biasMutant };
      expect(verifyFeaturePairCertificate(s, m2)).not.toBeNull();
      expect(verifyCertificate(s, materializeFeaturePairCertificate(s, m2))).not.toBeNull();
    },
  );

  it('say why when there is no digit 1 (σ_F never 0 with binary weights)', () => {
    const s = settingOf(makeConfiguration({ format: 'Q1.3', activation: 'softplus', weights: 'binary' }));
    expect(digitFanEmitters(s, 1)).toMatch(/zero of σ_F/);
  });

  it('SQ13.1 (the sampled cell): universal by a feature-pair certificate whose emitters are digit fans', () => {
    const v = decide(hardSwish('SQ13.1'));
    expect(v.verdict).toBe('universal');
    expect(v.reason).toMatch(/feature-pair certificate/);
    // the powers of two would need about 8,190 copies of 2 per emitter; the digits need at most 19 terms
    expect(v.certificate?.emitter.maxTerms).toBeLessThanOrEqual(19);
  });
});
