import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifyCertificate } from '../src/engine/certificate.js';
import {
  findChainCertificate,
  materializeChainCertificate,
  verifyChainCertificate,
} from '../src/engine/chain-certificate.js';
import { chainImage, intervalSetting, sigmaRanges } from '../src/engine/interval-chain.js';
import { unary } from '../src/engine/setting.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { recheckClassical } from './reference-gadget.js';

// Chain certificates under overflow wrap (docs/theory.md §10.1): interval images are taken in the no-wrap
// shadow of the setting, so an image is claimed only where no operation wraps anywhere on the interval.

const config = (format: string, activation: string, extra: Record<string, string> = {}) =>
  makeConfiguration({ format, activation, ...extra });

describe('interval images under wrap', () => {
  it('the shadow is the setting itself without wrap, and raises exactly where wrap would wrap', () => {
    const s = settingOf(config('ap_fixed<6,3>', 'sigmoid'));
    const sh = intervalSetting(s);
    expect(sh).not.toBe(s);
    expect(intervalSetting(settingOf(config('Q2.3', 'sigmoid')))).not.toBe(sh);
    for (let a = s.min; a <= s.max; a++)
      for (let b = s.min; b <= s.max; b++) {
        const sum = a + b;
        if (sum >= s.min && sum <= s.max) expect(sh.add(a, b)).toBe(s.add(a, b));
        else expect(Number.isNaN(sh.add(a, b))).toBe(true);
      }
  });

  it('contain every output of a chain on an interval (random chains, wrap, both accumulations and bias orders)', () => {
    const cases = ['relu', 'gelu', 'sigmoid', 'tanh', 'identity'].flatMap((a) =>
      ['ap_fixed<6,3>', 'ap_fixed<5,1>'].flatMap((f) => [
        settingOf(config(f, a)),
        settingOf(config(f, a, { accumulation: 'exact' })),
        settingOf(config(f, a, { bias: 'first', rounding: 'nearest-even' })),
      ]),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: cases.length - 1 }),
        fc.array(fc.tuple(fc.integer(), fc.integer()), { minLength: 1, maxLength: 3 }),
        fc.integer(),
        fc.integer(),
        (k, raw, p, q) => {
          const s = cases[k];
          const code = (v: number) => s.min + (((v % s.size) + s.size) % s.size);
          const steps = raw.map(([w, b]) => [code(w), code(b)] as const);
          const lo = Math.min(code(p), code(q));
          const hi = Math.max(code(p), code(q));
          const img = chainImage(sigmaRanges(s), steps, lo, hi);
          if (img === null) return; // no claim: some step may wrap
          for (let x = lo; x <= hi; x++) {
            let h = x;
            for (const [w, b] of steps) h = unary(s, w, h, b);
            expect(h).toBeGreaterThanOrEqual(img[0]);
            expect(h).toBeLessThanOrEqual(img[1]);
          }
        },
      ),
      { numRuns: 400, seed: 16 },
    );
  });
});

describe('chain certificates under wrap, against the exhaustive verifier and the reference evaluator', () => {
  const cells: Array<[string, string, Record<string, string>]> = [
    ['ap_fixed<6,3>', 'sigmoid', {}],
    ['ap_fixed<6,3>', 'relu', {}],
    ['ap_fixed<6,2>', 'gelu', {}],
    ['ap_fixed<6,3>', 'tanh', { accumulation: 'exact' }],
    ['ap_fixed<6,3>', 'softplus', { bias: 'first' }],
  ];
  for (const [format, activation, extra] of cells) {
    it(`${activation} on ${format} ${JSON.stringify(extra)}: found, and every detector holds on every input`, () => {
      const c = config(format, activation, extra);
      const s = settingOf(c);
      const { certificate } = findChainCertificate(s);
      expect(certificate).not.toBeNull();
      if (!certificate) return;
      expect(verifyChainCertificate(s, certificate)).toBeNull();
      const full = materializeChainCertificate(s, certificate);
      expect(verifyCertificate(s, full)).toBeNull();
      recheckClassical(c, full, s.min, s.max);
    });
  }

  it('a threshold chain that wraps on its interval is rejected by both verifiers', () => {
    const s = settingOf(config('ap_fixed<6,3>', 'sigmoid'));
    const { certificate } = findChainCertificate(s);
    expect(certificate).not.toBeNull();
    if (!certificate) return;
    // x ≥ t through x ⊕ (max − t + 1): every x ≥ t wraps below min, so the chain is wrong there
    const t = 3;
    const ge = certificate.ge.slice();
    const chain = ge[t - s.min] as readonly (readonly [number, number])[];
    ge[t - s.min] = [[s.one, s.max], ...chain.slice(1)];
    const broken = { ...certificate, ge };
    expect(verifyChainCertificate(s, broken)).toMatch(/x ≥ code 3/);
    expect(verifyCertificate(s, materializeChainCertificate(s, broken))).not.toBeNull();
  });

  // binary weights under wrap: cyclic thresholds (docs/theory.md §10.3), arcs from rotations x ↦ ±x ⊕ b
  const binary: Array<[string, string, Record<string, string>]> = [
    ['ap_fixed<6,3>', 'sigmoid', {}],
    ['ap_fixed<6,3>', 'relu', { accumulation: 'exact' }],
    ['ap_fixed<6,3>', 'gelu', { bias: 'first' }],
    ['ap_fixed<6,3>', 'tanh', { rounding: 'nearest-even' }],
  ];
  for (const [format, activation, extra] of binary) {
    it(`${activation} on ${format}, binary weights ${JSON.stringify(extra)}: cyclic chains, checked on every input`, () => {
      const c = config(format, activation, { weights: 'binary', ...extra });
      const s = settingOf(c);
      const { certificate } = findChainCertificate(s);
      expect(certificate?.cyclic).toBeDefined();
      if (!certificate) return;
      expect(verifyChainCertificate(s, certificate)).toBeNull();
      const full = materializeChainCertificate(s, certificate);
      expect(verifyCertificate(s, full)).toBeNull();
      recheckClassical(c, full, s.min, s.max);
      // a rotation by one code too many: U_z gives e on the arc from z + 1, both verifiers reject it
      const z = 2;
      const ge = certificate.ge.slice();
      const chain = ge[z - s.min] as readonly (readonly [number, number])[];
      const b = chain[0][1] === s.min ? s.max : chain[0][1] - 1;
      ge[z - s.min] = [[chain[0][0], b], ...chain.slice(1)];
      const broken = { ...certificate, ge };
      expect(verifyChainCertificate(s, broken)).toMatch(/cyclic chain U of code 2/);
      expect(verifyCertificate(s, materializeChainCertificate(s, broken))).not.toBeNull();
    });
  }
});
