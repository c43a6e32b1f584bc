import { describe, expect, it } from 'vitest';
import { verifyCertificate } from '../src/engine/certificate.js';
import {
  findChainCertificate,
  materializeChainCertificate,
  verifyChainCertificate,
} from '../src/engine/chain-certificate.js';
import { checkDist } from '../src/engine/dist.js';
import { exactAffine } from '../src/engine/exact-affine.js';
import {
  type FeaturePairCertificate,
  findFeaturePairCertificate,
  materializeFeaturePairCertificate,
  verifyFeaturePairCertificate,
} from '../src/engine/feature-pair-certificate.js';
import { featureSteps } from '../src/engine/feature-thresholds.js';
import { sigmaRanges } from '../src/engine/interval-chain.js';
import { lastTermObstruction } from '../src/engine/last-term.js';
import { outputRange } from '../src/engine/output-range.js';
import { type Setting, unary } from '../src/engine/setting.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { recheckClassical } from './reference-gadget.js';

// docs/theory.md §10.9: overflow error with binary weights, where the first layer is σ_F(±x) only.

const options = (format: string, activation: string, extra: Record<string, string> = {}) => ({
  format,
  activation,
  overflow: 'error',
  weights: 'binary',
  ...extra,
});
const setting = (format: string, activation: string, extra: Record<string, string> = {}) =>
  settingOf(makeConfiguration(options(format, activation, extra)));

const modes: Array<Record<string, string>> = [
  { rounding: 'nearest-even', accumulation: 'exact', bias: 'last' },
  { rounding: 'floor', accumulation: 'sequential', bias: 'first' },
  { rounding: 'ceil', accumulation: 'exact', bias: 'first' },
  { rounding: 'nearest-up', accumulation: 'sequential', bias: 'last' },
];

describe('the first layer under error with binary weights (Lemma BE)', () => {
  it('on SQ formats the neurons valid on all of 𝕀 are exactly σ_F(x) and σ_F(−x): brute force', () => {
    for (const m of modes) {
      const s = setting('SQ2.3', 'gelu', m);
      const valid: Array<[number, number]> = [];
      for (const w of s.weights)
        for (let b = s.min; b <= s.max; b++) {
          let ok = true;
          for (let x = s.min; x <= s.max && ok; x++) ok = unary(s, w, x, b) >= s.min;
          if (ok) valid.push([w, b]);
        }
      expect(valid.sort()).toEqual([...featureSteps(sigmaRanges(s))].sort());
      expect(valid.map(([w, b]) => [Math.abs(w), b])).toEqual([
        [s.one, 0],
        [s.one, 0],
      ]);
    }
  });
});

describe('feature thresholds in chain certificates (monotone σ_F)', () => {
  const cells: Array<[string, string, Record<string, string>]> = [
    ['SQ2.4', 'relu', modes[0]],
    ['SQ2.4', 'leaky-relu', modes[1]],
    ['SQ3.3', 'elu', modes[2]],
    ['SQ2.4', 'softplus', modes[3]],
  ];
  for (const [format, activation, m] of cells) {
    it(`${activation} on ${format} (${m.rounding}, ${m.accumulation}, bias ${m.bias}): every chain starts with a feature; the exhaustive verifier agrees`, () => {
      const s = setting(format, activation, m);
      const { certificate } = findChainCertificate(s);
      expect(certificate).not.toBeNull();
      if (!certificate) return;
      expect(verifyChainCertificate(s, certificate)).toBeNull();
      for (const table of [certificate.ge, certificate.le])
        for (const chain of table)
          if (chain) expect(Math.abs(chain[0][0]) === s.one && chain[0][1] === 0).toBe(true);
      expect(verifyCertificate(s, materializeChainCertificate(s, certificate))).toBeNull();
    });
  }

  it('Q formats under exact accumulation: the features are σ_F(x) and σ_F(−1 − x) (leaky-relu on Q3.4, floor, bias first)', () => {
    const s = setting('Q3.4', 'leaky-relu', { rounding: 'floor', accumulation: 'exact', bias: 'first' });
    expect(featureSteps(sigmaRanges(s)).sort()).toEqual(
      [
        [s.one, 0],
        [-s.one, -1],
      ].sort(),
    );
    // sequential accumulation: (−1)⊗min overflows, σ_F(x) is the only feature
    expect(featureSteps(sigmaRanges(setting('Q3.4', 'leaky-relu', { rounding: 'floor' })))).toEqual([
      [s.one, 0],
    ]);
    const { certificate } = findChainCertificate(s);
    expect(certificate).not.toBeNull();
    if (!certificate) return;
    expect(verifyChainCertificate(s, certificate)).toBeNull();
    const firsts = new Set<string>();
    for (const table of [certificate.ge, certificate.le])
      for (const chain of table) if (chain) firsts.add(`${chain[0][0]},${chain[0][1]}`);
    expect([...firsts].sort()).toEqual([`${-s.one},-1`, `${s.one},0`]);
    expect(verifyCertificate(s, materializeChainCertificate(s, certificate))).toBeNull();
  });

  it('relu on SQ2.3 (floor, sequential, bias first): every gadget re-checked with the BigInt reference evaluator', () => {
    const c = makeConfiguration(options('SQ2.3', 'relu', modes[1]));
    const s = settingOf(c);
    const { certificate } = findChainCertificate(s);
    expect(certificate).not.toBeNull();
    if (certificate) recheckClassical(c, materializeChainCertificate(s, certificate), s.min, s.max);
  });
});

describe('feature-pair certificates (docs/theory.md §10.9)', () => {
  const found = (s: Setting): FeaturePairCertificate => {
    const { certificate, tried } = findFeaturePairCertificate(s);
    expect(certificate, tried.join('; ')).not.toBeNull();
    return certificate as FeaturePairCertificate;
  };

  for (const activation of ['gelu', 'silu', 'hard-swish', 'gelu-tanh', 'relu'])
    for (const [k, format] of ['SQ2.3', 'SQ2.4'].entries()) {
      const m = modes[(activation.length + k) % modes.length];
      it(`${activation} on ${format} (${m.rounding}, ${m.accumulation}, bias ${m.bias}): found, verified, and every detector holds on every input`, () => {
        const s = setting(format, activation, m);
        const cert = found(s);
        expect(verifyFeaturePairCertificate(s, cert)).toBeNull();
        expect(verifyCertificate(s, materializeFeaturePairCertificate(s, cert))).toBeNull();
      });
    }

  it('gelu on SQ2.3 (nearest-even, exact): every gadget re-checked with the BigInt reference evaluator', () => {
    const c = makeConfiguration(options('SQ2.3', 'gelu', modes[0]));
    const s = settingOf(c);
    recheckClassical(c, materializeFeaturePairCertificate(s, found(s)), s.min, s.max);
  });

  it('a broken certificate is rejected, and every mutant the verifier accepts passes the exhaustive check', () => {
    const s = setting('SQ2.4', 'silu', modes[1]);
    const cert = found(s);
    const [plus, minus] = cert.features;
    // a feature with a bias overflows at an end
    expect(
      verifyFeaturePairCertificate(s, {
        ...cert,
        features: [{ ...plus, feature: [plus.feature[0], 1] }, minus],
      }),
    ).toMatch(/not valid/);
    // σ_F(x) twice: the pair is not injective (σ_F(x) alone merges the dip)
    expect(verifyFeaturePairCertificate(s, { ...cert, features: [plus, plus] })).toMatch(/injective/);
    expect(verifyFeaturePairCertificate(s, { ...cert, e: 0 })).toMatch(/non-zero/);
    // every level chain's first bias moved by ±1: most are rejected; an accepted one must really hold
    let rejected = 0;
    let accepted = 0;
    for (const [k, L] of cert.features.entries())
      for (const dir of ['ge', 'le'] as const) {
        const table = L[dir];
        for (let i = 0; i < table.length; i += 3) {
          const chain = table[i];
          if (!chain) continue;
          for (const d of [-1, 1]) {
            const moved = [...table];
            moved[i] = [[chain[0][0], chain[0][1] + d], ...chain.slice(1)];
            const L2 = { ...L, [dir]: moved };
            const features: FeaturePairCertificate['features'] = k === 0 ? [L2, minus] : [plus, L2];
            const mutant = { ...cert, features };
            if (verifyFeaturePairCertificate(s, mutant)) rejected++;
            else {
              accepted++;
              expect(verifyCertificate(s, materializeFeaturePairCertificate(s, mutant))).toBeNull();
            }
          }
        }
      }
    expect(rejected).toBeGreaterThan(0);
    expect(rejected + accepted).toBeGreaterThan(20);
  });

  it('no obstruction the engine knows applies where a certificate exists (DIST, output range, last term, affine)', () => {
    let compared = 0;
    for (const format of ['SQ2.0', 'SQ1.2', 'SQ2.2', 'SQ3.1', 'SQ2.3'])
      for (const activation of ['gelu', 'silu', 'relu', 'hard-swish', 'elu', 'leaky-relu'])
        for (const m of modes) {
          const s = setting(format, activation, m);
          const { certificate } = findFeaturePairCertificate(s);
          if (!certificate) continue;
          expect(verifyCertificate(s, materializeFeaturePairCertificate(s, certificate))).toBeNull();
          expect(checkDist(s).holds, `${activation} on ${format}`).toBe(true);
          expect(outputRange(s).largest).toBe(s.size);
          expect(lastTermObstruction(s).applies).toBe(false);
          expect(exactAffine(s)).toBe(false);
          compared++;
        }
    expect(compared).toBeGreaterThan(60);
  });
});
