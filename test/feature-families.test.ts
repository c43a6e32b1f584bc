/**
 * Lemma FE (docs/theory.md §10.9): feature families for a σ_F that is the identity on the codes ≥ 0 and
 * bounded below by L (relu, leaky-relu, elu on SQ formats), and chain certificates whose threshold chains
 * start with a feature under overflow `error` with **all** weights (toward-zero with sequential accumulation
 * leaves thresholds no gain step serves, §9.5). The lemma's two first steps are checked with the BigInt
 * reference evaluator on every input (which raises on any overflow); certificates are written out for the
 * exhaustive verifier and mutated.
 */
import { describe, expect, it } from 'vitest';
import { verifyCertificate } from '../src/engine/certificate.js';
import {
  type ChainCertificate,
  findChainCertificate,
  materializeChainCertificate,
  verifyChainCertificate,
} from '../src/engine/chain-certificate.js';
import type { Step } from '../src/engine/chain-solver.js';
import { featureFamilyCuts, featureFamilyFloor } from '../src/engine/feature-family-cuts.js';
import { findFeatureThresholds } from '../src/engine/feature-thresholds.js';
import { sigmaRanges } from '../src/engine/interval-chain.js';
import { splitDisjoint } from '../src/engine/rest-chains.js';
import { type Setting, unary } from '../src/engine/setting.js';
import { padThresholdTables } from '../src/engine/threshold-padding.js';
import { type Configuration, makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { gadgetNet, recheckClassical, ref } from './reference-gadget.js';

const config = (format: string, activation: string, m: Record<string, string>): Configuration =>
  makeConfiguration({ format, activation, overflow: 'error', weights: 'all', ...m });

const modes: Array<Record<string, string>> = [
  { rounding: 'toward-zero', accumulation: 'sequential', bias: 'first' },
  { rounding: 'toward-zero', accumulation: 'sequential', bias: 'last' },
  { rounding: 'nearest-zero', accumulation: 'exact', bias: 'first' },
  { rounding: 'floor', accumulation: 'sequential', bias: 'last' },
];

/** The least value of σ_F, read off the table (independent of `featureFamilySplits`). */
const least = (s: Setting) => Math.min(...Array.from(s.sigma));

/**
 * The chain's first two steps as a reference network (hidden layer σ_F(w₁⊗x), output neuron w₂⊗h ⊕ b):
 * its outputs on every input, or null when it raises on some input (overflow `error`).
 */
function twoSteps(c: Configuration, s: Setting, w1: number, w2: number, b: number): number[] | null {
  const net = gadgetNet(
    c,
    { inputs: 1, layers: [[{ bias: 0, edges: [[0, w1]] }]] },
    { weights: [w2], beta: b },
  );
  const out: number[] = [];
  for (let x = s.min; x <= s.max; x++) {
    try {
      out.push(ref(net, [x])[0]);
    } catch {
      return null;
    }
  }
  return out;
}

describe('Lemma FE: the hypotheses', () => {
  it('hold for relu, leaky-relu and elu on SQ formats (L the least value of σ_F), and not for silu, gelu, softplus or on Q formats', () => {
    for (const format of ['SQ1.2', 'SQ2.2', 'SQ2.3', 'SQ3.2'])
      for (const activation of ['relu', 'leaky-relu', 'elu'])
        for (const m of modes) {
          const s = settingOf(config(format, activation, m));
          const L = least(s);
          // brute force: the identity on the codes ≥ 0, within [L, 0] below
          for (let v = s.min; v <= s.max; v++) {
            const y = s.sigma[v - s.min];
            if (v >= 0) expect(y).toBe(v);
            else expect(y >= L && y <= 0).toBe(true);
          }
          expect(featureFamilyFloor(s)).toBe(L);
          // the cuts: 1, and the nearest codes ≤ L + 1 and ≥ −L whose two σ_F ranges are disjoint
          const r = sigmaRanges(s);
          const cuts = featureFamilyCuts(s, r);
          if (!cuts) continue;
          for (const d of cuts) expect(splitDisjoint(s, r, d)).toBe(true);
          expect(cuts[0]).toBe(1);
          expect(cuts.some((d) => d <= L + 1) && cuts.some((d) => d >= -L)).toBe(true);
        }
    for (const activation of ['silu', 'gelu', 'softplus', 'tanh'])
      expect(featureFamilyFloor(settingOf(config('SQ2.3', activation, modes[0]))), activation).toBeNull();
    expect(featureFamilyFloor(settingOf(config('Q2.3', 'elu', modes[0])))).toBeNull();
  });
});

describe('Lemma FE: the two first steps on every input (BigInt reference evaluator)', () => {
  it('inside the served intervals: no overflow and w⊗σ_F(w⊗x) ⊕ (d − t) ≥ d exactly when x ≥ t; just outside: an overflow; the cuts serve every threshold', () => {
    let served = 0;
    let tight = 0;
    for (const format of ['SQ2.2', 'SQ2.3'])
      for (const activation of ['relu', 'elu', 'leaky-relu'])
        for (const m of modes.slice(0, 3)) {
          const c = config(format, activation, m);
          const s = settingOf(c);
          const L = least(s);
          const cuts = featureFamilyCuts(s, sigmaRanges(s));
          expect(cuts, `${activation} ${format}`).not.toBeNull();
          const covered = new Set<number>();
          for (const d of cuts ?? []) {
            // (a) t ≥ 1: σ_F(x) then (1, d − t), for max(1, d) ≤ t ≤ d + L + max
            // (b) t ≤ 0: σ_F(−x) then (−1, d − t), for d − L − max ≤ t ≤ min(0, d)
            const ranges: Array<[number, number, number]> = [
              [s.one, Math.max(1, d), d + L + s.max],
              [-s.one, d - L - s.max, Math.min(0, d)],
            ];
            for (const [w, lo, hi] of ranges) {
              for (let t = Math.max(lo, s.min + 1); t <= Math.min(hi, s.max); t++) {
                const out = twoSteps(c, s, w, w, d - t);
                expect(out, `${activation} ${format} cut ${d} t ${t}`).not.toBeNull();
                for (let x = s.min; x <= s.max; x++)
                  expect((out as number[])[x - s.min] >= d, `x ${x}`).toBe(x >= t);
                covered.add(t);
                served++;
              }
              // the interval's far end is tight: one code further the shift overflows at an end of 𝕀
              const beyond = w > 0 ? hi + 1 : lo - 1;
              const bias = d - beyond;
              const inRange = bias >= s.min && bias <= s.max;
              if (inRange && beyond > s.min && beyond <= s.max && (w > 0 ? beyond >= 1 : beyond <= 0)) {
                expect(twoSteps(c, s, w, w, bias)).toBeNull();
                tight++;
              }
            }
          }
          // x ≥ t for t = min + 1 … max (and so x ≤ t − 1, the same first steps with a lower rest chain)
          for (let t = s.min + 1; t <= s.max; t++)
            expect(covered.has(t), `${activation} ${format} t ${t}`).toBe(true);
        }
    expect(served).toBeGreaterThan(500);
    expect(tight).toBeGreaterThan(10);
  });
});

/** The found certificate with every threshold chain replaced by a feature chain (padded), or null. */
function featureCertificate(s: Setting): ChainCertificate | null {
  const base = findChainCertificate(s).certificate;
  if (!base) return null;
  const r = sigmaRanges(s);
  const tables = findFeatureThresholds(s, r, base.e);
  if (typeof tables === 'string') return null;
  const padded = padThresholdTables(s, r, base.e, tables, base.delay.length, base.and.layers.length);
  if (typeof padded === 'string') return null;
  return { ...base, ge: padded.ge, le: padded.le };
}

const isFeature = (chain: readonly Step[] | null, s: Setting) =>
  chain !== null && Math.abs(chain[0][0]) === s.one && chain[0][1] === 0;

describe('feature-threshold certificates with all weights under error (3–6-bit SQ formats)', () => {
  it('every chain starts with σ_F(±x); the certificate passes the analytic and the exhaustive verifier', () => {
    let found = 0;
    for (const format of ['SQ1.2', 'SQ2.2', 'SQ2.3', 'SQ3.2'])
      for (const activation of ['elu', 'relu', 'leaky-relu'])
        for (const m of modes.slice(0, 2)) {
          const s = settingOf(config(format, activation, m));
          const cert = featureCertificate(s);
          if (!cert) continue;
          found++;
          expect(verifyChainCertificate(s, cert)).toBeNull();
          for (let t = s.min; t <= s.max; t++) {
            if (t > s.min) expect(isFeature(cert.ge[t - s.min], s)).toBe(true);
            if (t < s.max) expect(isFeature(cert.le[t - s.min], s)).toBe(true);
          }
          expect(
            verifyCertificate(s, materializeChainCertificate(s, cert)),
            `${activation} ${format}`,
          ).toBeNull();
        }
    expect(found).toBeGreaterThanOrEqual(16);
  });

  it('elu on SQ2.3 (toward-zero, sequential, bias first): every gadget re-checked with the BigInt reference evaluator', () => {
    const c = config('SQ2.3', 'elu', modes[0]);
    const s = settingOf(c);
    const cert = featureCertificate(s);
    expect(cert).not.toBeNull();
    if (cert) recheckClassical(c, materializeChainCertificate(s, cert), s.min, s.max);
  });

  it('mutants: a feature with a bias or another weight and shifted second steps are rejected or really hold', () => {
    for (const m of modes.slice(0, 2)) {
      const s = settingOf(config('SQ2.3', 'elu', m));
      const cert = featureCertificate(s) as ChainCertificate;
      expect(cert).not.toBeNull();
      let rejected = 0;
      let accepted = 0;
      for (const dir of ['ge', 'le'] as const) {
        const table = cert[dir];
        for (let i = 0; i < table.length; i++) {
          const chain = table[i];
          if (!chain) continue;
          const mutants: Step[][] = [
            [[chain[0][0], 1], ...chain.slice(1)],
            [[chain[0][0], -1], ...chain.slice(1)],
            [[chain[0][0] - Math.sign(chain[0][0]), 0], ...chain.slice(1)],
            [chain[0], [chain[1][0], chain[1][1] + 1], ...chain.slice(2)],
            [chain[0], [chain[1][0], chain[1][1] - 1], ...chain.slice(2)],
          ];
          for (const [k, mutant] of mutants.entries()) {
            const moved = [...table];
            moved[i] = mutant;
            const broken = { ...cert, [dir]: moved };
            const failure = verifyChainCertificate(s, broken);
            // a feature with a bias overflows at an end of 𝕀 (Lemma BE's argument): always rejected
            if (k < 2) expect(failure).not.toBeNull();
            if (failure) rejected++;
            else {
              accepted++;
              expect(verifyCertificate(s, materializeChainCertificate(s, broken))).toBeNull();
            }
          }
        }
      }
      expect(rejected).toBeGreaterThan(200);
      expect(rejected + accepted).toBe(5 * 2 * (s.size - 1));
    }
  });
});

describe('the sweep cell elu SQ7.8 toward-zero error all sequential (docs/theory.md §10.9)', () => {
  it('bias first: a chain certificate, verified; the thresholds next to the ends start with σ_F(±x) and shift onto a split', () => {
    const s = settingOf(config('SQ7.8', 'elu', modes[0]));
    // L = σ_F(min) = −0.99609375 (toward-zero rounds elu(min) ≈ −1 + e⁻¹²⁸ up to −255/256); the cut ≥ 255
    // is 255 (σ_F is the identity there), the cut ≤ −254 the first code below where elu's codes step
    expect(featureFamilyFloor(s)).toBe(-255);
    const cuts = featureFamilyCuts(s, sigmaRanges(s)) as number[];
    expect(cuts[0]).toBe(1);
    expect(cuts).toContain(255);
    expect(cuts.find((d) => d < 0)).toBeLessThanOrEqual(-254);
    const { certificate, tried } = findChainCertificate(s);
    expect(certificate, tried.join('; ')).not.toBeNull();
    const cert = certificate as ChainCertificate;
    expect(verifyChainCertificate(s, cert)).toBeNull();
    for (const [dir, t] of [
      ['ge', s.min + 1],
      ['le', s.min + 1],
      ['ge', s.max],
      ['le', s.max - 1],
    ] as const)
      expect(isFeature(cert[dir][t - s.min], s), `${dir} ${t}`).toBe(true);
  });
});

describe('identity under toward-zero, error, sequential accumulation: no unary chain separates −ε and 0', () => {
  it('brute force on 5–7-bit Q and SQ formats: every unary neuron valid on all of 𝕀 is x ↦ ±x (b = 0) or merges −ε and 0', () => {
    for (const format of ['Q2.2', 'Q2.3', 'Q3.3', 'SQ2.2', 'SQ2.3', 'SQ3.3', 'Q1.4'])
      for (const bias of ['first', 'last']) {
        const s = settingOf(
          config(format, 'identity', { rounding: 'toward-zero', accumulation: 'sequential', bias }),
        );
        let separating = 0;
        for (const w of s.weights)
          for (let b = s.min; b <= s.max; b++) {
            let valid = true;
            const out: number[] = [];
            for (let x = s.min; x <= s.max && valid; x++) {
              const y = unary(s, w, x, b);
              valid = y >= s.min;
              out.push(y);
            }
            if (!valid || out[-1 - s.min] === out[0 - s.min]) continue;
            // the only valid neurons telling −ε from 0 pass 𝕀 through unchanged or mirrored
            expect(Math.abs(w), `${format} w ${w} b ${b}`).toBe(s.one);
            expect(b).toBe(0);
            for (let x = s.min; x <= s.max; x++) expect(out[x - s.min]).toBe(w > 0 ? x : 0 - x + 0);
            separating++;
          }
        // x itself, and on SQ −x as well
        expect(separating, format).toBe(s.min === -s.max ? 2 : 1);
      }
  });
});
