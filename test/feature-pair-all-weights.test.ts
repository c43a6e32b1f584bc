import { describe, expect, it } from 'vitest';
import { BUILTIN_ACTIVATIONS } from '../src/activations/activation.js';
import { verifyCertificate } from '../src/engine/certificate.js';
import { checkDist } from '../src/engine/dist.js';
import { exactAffine } from '../src/engine/exact-affine.js';
import {
  type FeaturePairCertificate,
  findFeaturePairCertificate,
  materializeFeaturePairCertificate,
  verifyFeaturePairCertificate,
} from '../src/engine/feature-pair-certificate.js';
import { lastTermObstruction } from '../src/engine/last-term.js';
import { outputRange } from '../src/engine/output-range.js';
import { type Setting, unary } from '../src/engine/setting.js';
import { unaryTieMerge } from '../src/engine/unary-tie-merge.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { decide } from '../src/expressivity/verdict.js';
import { recheckClassical } from './reference-gadget.js';

// docs/theory.md §10.9, "Feature pairs with all weights": Proposition FP under overflow error with all
// weights (silu, hard-swish, mish on SQm.1, sequential, nearest-even/-away/-zero), and the remark that under
// nearest-away no unary chain valid on all of 𝕀 computes x ≥ −1 there.

const options = (
  format: string,
  activation: string,
  rounding: string,
  bias = 'last',
  accumulation = 'sequential',
) => ({
  format,
  activation,
  rounding,
  overflow: 'error',
  weights: 'all',
  accumulation,
  bias,
});
const setting = (
  format: string,
  activation: string,
  rounding: string,
  bias = 'last',
  accumulation = 'sequential',
) => settingOf(makeConfiguration(options(format, activation, rounding, bias, accumulation)));

const found = (s: Setting): FeaturePairCertificate => {
  const { certificate, tried } = findFeaturePairCertificate(s);
  expect(certificate, tried.join('; ')).not.toBeNull();
  return certificate as FeaturePairCertificate;
};

const ROUNDINGS = ['nearest-even', 'nearest-away', 'nearest-zero'];

describe('feature-pair certificates with all weights (the SQ3.1 cells of silu and hard-swish)', () => {
  for (const activation of ['silu', 'hard-swish'])
    for (const [k, rounding] of ROUNDINGS.entries()) {
      const bias = (activation.length + k) % 2 === 0 ? 'last' : 'first';
      it(`${activation} on SQ3.1 (${rounding}, sequential, bias ${bias}): found, verified, every detector holds on every input`, () => {
        const s = setting('SQ3.1', activation, rounding, bias);
        const cert = found(s);
        expect(verifyFeaturePairCertificate(s, cert)).toBeNull();
        // the features are σ_F(x) and σ_F(−x)
        expect(cert.features.map((L) => L.feature)).toEqual([
          [s.one, 0],
          [-s.one, 0],
        ]);
        expect(verifyCertificate(s, materializeFeaturePairCertificate(s, cert))).toBeNull();
      });
    }

  it('silu on SQ3.1 (nearest-away, bias last) and hard-swish (nearest-even, bias first): every gadget re-checked with the BigInt reference evaluator', () => {
    for (const [activation, rounding, bias] of [
      ['silu', 'nearest-away', 'last'],
      ['hard-swish', 'nearest-even', 'first'],
    ]) {
      const c = makeConfiguration(options('SQ3.1', activation, rounding, bias));
      const s = settingOf(c);
      recheckClassical(c, materializeFeaturePairCertificate(s, found(s)), s.min, s.max);
    }
  });

  it('mutants: a level chain step moved by one code is rejected, or the written-out certificate still holds', () => {
    const s = setting('SQ3.1', 'silu', 'nearest-away');
    const cert = found(s);
    const [plus, minus] = cert.features;
    expect(verifyFeaturePairCertificate(s, { ...cert, features: [plus, plus] })).toMatch(/injective/);
    expect(
      verifyFeaturePairCertificate(s, {
        ...cert,
        features: [{ ...plus, feature: [plus.feature[0], 1] }, minus],
      }),
    ).toMatch(/not valid/);
    let rejected = 0;
    let accepted = 0;
    for (const [k, L] of cert.features.entries())
      for (const dir of ['ge', 'le'] as const) {
        const table = L[dir];
        for (let i = 0; i < table.length; i += 2) {
          const chain = table[i];
          if (!chain) continue;
          const last = chain.length - 1;
          for (const [at, part, d] of [
            [0, 1, -1],
            [0, 1, 1],
            [last, 0, 1],
            [last, 1, -1],
          ] as const) {
            const moved = [...table];
            const steps = chain.map((st) => [...st] as [number, number]);
            steps[at][part] += d;
            moved[i] = steps;
            const L2 = { ...L, [dir]: moved };
            const mutant = {
              ...cert,
              features: (k === 0 ? [L2, minus] : [plus, L2]) as typeof cert.features,
            };
            if (verifyFeaturePairCertificate(s, mutant)) rejected++;
            else {
              accepted++;
              expect(verifyCertificate(s, materializeFeaturePairCertificate(s, mutant))).toBeNull();
            }
          }
        }
      }
    expect(rejected).toBeGreaterThan(10);
    expect(rejected + accepted).toBeGreaterThan(40);
  });

  it('decide: silu on SQ3.1 nearest-away sequential is universal by a feature-pair certificate with all weights', () => {
    const v = decide(makeConfiguration(options('SQ3.1', 'silu', 'nearest-away')));
    expect(v.verdict).toBe('universal');
    expect(v.reason).toMatch(/^a feature-pair certificate with all weights/);
  }, 30_000);
});

describe('Remark NA: nearest-away on SQm.1, no unary chain tells −1 from x ≤ −2 (docs/theory.md §10.9)', () => {
  // every unary neuron valid on all of 𝕀 (brute force over every weight and bias) maps −1 and some x ≤ −2
  // to one value, and 1 and some x ≥ 2 to one value: no chain starting with it computes x ≥ −1 or x ≥ 2
  const firstStepsMerge = (s: Setting): number => {
    let valid = 0;
    for (const w of s.weights)
      for (let b = s.min; b <= s.max; b++) {
        const f: number[] = [];
        for (let x = s.min; x <= s.max; x++) f.push(unary(s, w, x, b));
        if (!f.every((y) => y >= s.min && y <= s.max)) continue;
        valid++;
        const at = (x: number) => f[x - s.min];
        const low = f.slice(0, -1 - s.min); // x = min … −2
        const high = f.slice(2 - s.min); // x = 2 … max
        expect(low.includes(at(-1)), `(${w}, ${b}) keeps −1 apart`).toBe(true);
        expect(high.includes(at(1)), `(${w}, ${b}) keeps 1 apart`).toBe(true);
      }
    return valid;
  };

  for (const [activation, format] of [
    ['silu', 'SQ3.1'],
    ['hard-swish', 'SQ3.1'],
    ['hard-swish', 'SQ4.1'],
    ['silu', 'SQ5.1'],
  ])
    it(`${activation} on ${format}: every valid first step merges −1 with some x ≤ −2 and 1 with some x ≥ 2`, () => {
      for (const bias of ['last', 'first']) {
        const s = setting(format, activation, 'nearest-away', bias);
        expect(unaryTieMerge(s)).not.toBeNull();
        // σ_F(±x) and the halvings ±½ ⊗ x ⊕ b
        expect(firstStepsMerge(s)).toBeGreaterThan(4);
      }
    });

  it('the hypotheses checked by unaryTieMerge imply the merge (every built-in on SQ1.1 … SQ3.1, both weight sets)', () => {
    let applied = 0;
    for (const format of ['SQ1.1', 'SQ2.1', 'SQ3.1'])
      for (const activation of BUILTIN_ACTIVATIONS)
        for (const weights of ['all', 'binary'])
          for (const bias of ['last', 'first']) {
            const s = settingOf(
              makeConfiguration({ ...options(format, activation, 'nearest-away', bias), weights }),
            );
            if (unaryTieMerge(s) === null) continue;
            applied++;
            firstStepsMerge(s);
          }
    // sigmoid, hard-sigmoid, step from SQ1.1, silu and hard-swish from SQ2.1
    expect(applied).toBeGreaterThanOrEqual(4 * (3 * 3 + 2 * 2));
  });

  it('refused outside its hypotheses: mish (σ_F(1) ≠ σ_F(2)), nearest-even, exact accumulation, Q3.1, SQ3.2, saturate', () => {
    expect(unaryTieMerge(setting('SQ4.1', 'mish', 'nearest-away'))).toBeNull();
    expect(unaryTieMerge(setting('SQ3.1', 'silu', 'nearest-even'))).toBeNull();
    expect(unaryTieMerge(setting('SQ3.1', 'silu', 'nearest-away', 'last', 'exact'))).toBeNull();
    expect(unaryTieMerge(setting('SQ3.2', 'silu', 'nearest-away'))).toBeNull();
    expect(
      unaryTieMerge(settingOf(makeConfiguration({ ...options('Q3.1', 'silu', 'nearest-away') }))),
    ).toBeNull();
    expect(
      unaryTieMerge(
        settingOf(makeConfiguration({ ...options('SQ3.1', 'silu', 'nearest-away'), overflow: 'saturate' })),
      ),
    ).toBeNull();
    expect(unaryTieMerge(setting('SQ3.1', 'silu', 'nearest-away'))).toBe(-4);
    expect(unaryTieMerge(setting('SQ3.1', 'hard-swish', 'nearest-away'))).toBe(-5);
  });
});

describe('feature-pair certificates with all weights on tiny formats', () => {
  it('wherever one exists (SQ1.1 … SQ2.2, sequential), the written-out certificate holds on every input and no obstruction applies', () => {
    let found = 0;
    for (const format of ['SQ1.1', 'SQ2.1', 'SQ1.2', 'SQ2.2'])
      for (const activation of ['silu', 'hard-swish', 'mish', 'gelu'])
        for (const rounding of ['nearest-even', 'nearest-away', 'floor'])
          for (const bias of ['last', 'first']) {
            const s = setting(format, activation, rounding, bias);
            const { certificate } = findFeaturePairCertificate(s);
            if (!certificate) continue;
            found++;
            expect(verifyCertificate(s, materializeFeaturePairCertificate(s, certificate))).toBeNull();
            expect(checkDist(s).holds).toBe(true);
            expect(outputRange(s).largest).toBe(s.size);
            expect(lastTermObstruction(s).applies).toBe(false);
            expect(exactAffine(s)).toBe(false);
          }
    expect(found).toBeGreaterThan(20);
  }, 60_000);
});
