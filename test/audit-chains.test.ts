/**
 * Adversarial audit of the chain-certificate mechanisms that landed for formats without gain and under
 * wrap (docs/theory.md §9.1–§9.2, §10.3, §11.1–§11.2): the interval proofs of threshold chains (cut
 * families and their one-code mutations), the cyclic proofs, and whole chain certificates whose parts are
 * replaced by amplifier emitters and cut thresholds, on random small configurations in every rounding,
 * the three engine overflow modes, both accumulations and bias orders. Whatever the fast verifiers accept
 * is evaluated on every input (threshold chains, cyclic pairs) or passed to the exhaustive
 * `verifyCertificate`; a one-code mutation is accepted only if the exhaustive check accepts it too.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ROUNDING_MODES } from '../src/core/rounding.js';
import { amplifierEmitters } from '../src/engine/amplifier-emitters.js';
import { verifyCertificate } from '../src/engine/certificate.js';
import {
  type ChainCertificate,
  findChainCertificate,
  materializeChainCertificate,
  thresholdProved,
  verifyChainCertificate,
} from '../src/engine/chain-certificate.js';
import type { Step } from '../src/engine/chain-solver.js';
import { findCutThresholds } from '../src/engine/cut-thresholds.js';
import { cyclicApplies, cyclicChains, cyclicProved } from '../src/engine/cyclic-thresholds.js';
import { chainGadget, runGadget } from '../src/engine/gadget.js';
import { sigmaRanges } from '../src/engine/interval-chain.js';
import type { Setting } from '../src/engine/setting.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';

const ACTS = [
  'identity',
  'relu',
  'leaky-relu',
  'elu',
  'tanh',
  'silu',
  'gelu',
  'hard-swish',
  'mish',
  'gelu-tanh',
];

const noGainArb = fc
  .record({
    m: fc.integer({ min: 0, max: 1 }),
    n: fc.integer({ min: 4, max: 5 }),
    act: fc.constantFrom(...ACTS),
    rounding: fc.constantFrom(...ROUNDING_MODES),
    overflow: fc.constantFrom('saturate', 'wrap', 'error'),
    accumulation: fc.constantFrom('sequential', 'exact'),
    bias: fc.constantFrom('last', 'first'),
  })
  .map((o) =>
    makeConfiguration({
      format: `Q${o.m}.${o.n}`,
      activation: o.act,
      rounding: o.rounding,
      overflow: o.overflow,
      accumulation: o.accumulation,
      bias: o.bias,
    }),
  );

const run = (s: Setting, steps: readonly Step[], x: number) => runGadget(s, chainGadget(steps), [x])[0];

/** Every x: the chain gives e on the inside of the threshold and 0 outside (brute force). */
function computesThreshold(
  s: Setting,
  e: number,
  dir: 'ge' | 'le',
  t: number,
  steps: readonly Step[],
): boolean {
  for (let x = s.min; x <= s.max; x++) {
    const inside = dir === 'ge' ? x >= t : x <= t;
    if (run(s, steps, x) !== (inside ? e : 0)) return false;
  }
  return true;
}

/** The chain with one parameter moved by d codes (kept in range). */
function mutate(s: Setting, steps: readonly Step[], i: number, d: number): Step[] | null {
  const k = Math.floor(i / 2) % steps.length;
  const out = steps.map((x) => [x[0], x[1]] as [number, number]);
  const j = i % 2;
  const v = out[k][j] + d;
  if (v < s.min || v > s.max || (j === 0 && !s.weights.includes(v))) return null;
  out[k][j] = v;
  return out;
}

describe('audit: cut threshold families (§11.2) are proved only where evaluation agrees', () => {
  it('every cut chain and every one-code mutation the interval proof accepts computes its threshold', () => {
    let proved = 0;
    let mutants = 0;
    fc.assert(
      fc.property(noGainArb, fc.nat(), fc.nat(), (c, seedT, seedM) => {
        const s = settingOf(c);
        if (!s.sigma.includes(0)) return;
        const r = sigmaRanges(s);
        for (const e of [1, seedM % 2 === 0 ? -1 : 2]) {
          const cut = findCutThresholds(s, r, e);
          if (typeof cut === 'string') continue;
          for (let k = 0; k < 4; k++) {
            const dir = k % 2 === 0 ? ('ge' as const) : ('le' as const);
            const t = s.min + 1 + ((seedT + 7 * k) % (s.size - 2));
            const chain = (dir === 'ge' ? cut.ge : cut.le)[t - s.min];
            if (!chain) continue;
            if (!thresholdProved(r, e, dir, t, chain)) continue;
            proved++;
            expect(
              computesThreshold(s, e, dir, t, chain),
              `${c.activation.key} ${c.format.spec} ${dir} ${t}`,
            ).toBe(true);
            for (const d of [1, -1]) {
              const moved = mutate(s, chain, seedM + k, d);
              if (!moved || !thresholdProved(r, e, dir, t, moved)) continue;
              mutants++;
              expect(computesThreshold(s, e, dir, t, moved)).toBe(true);
            }
          }
        }
      }),
      { numRuns: 20, seed: 11 },
    );
    expect(proved).toBeGreaterThan(20);
    expect(mutants).toBeGreaterThanOrEqual(0);
  });
});

describe('audit: robustness of the cut search', () => {
  it('a cut at max read downwards is an empty side, not a crash (tanh on Q0.4, e = 2 code)', () => {
    // before the fix: TypeError from r.range(max + 1, max) (the rest chain of a cut at max, kind lower)
    const s = settingOf(makeConfiguration({ format: 'Q0.4', activation: 'tanh' }));
    const r = sigmaRanges(s);
    const cut = findCutThresholds(s, r, 2);
    if (typeof cut !== 'string')
      for (let t = s.min + 1; t <= s.max; t++) {
        const chain = cut.ge[t - s.min];
        if (chain && thresholdProved(r, 2, 'ge', t, chain))
          expect(computesThreshold(s, 2, 'ge', t, chain)).toBe(true);
      }
  });
});

describe('audit: cyclic proofs (§10.3) under wrap', () => {
  it('a pair U_z, L_z the verifier proves is e exactly at z on every input; a shifted first bias is never proved', () => {
    let pairs = 0;
    fc.assert(
      fc.property(
        fc.record({
          kind: fc.constantFrom('Q', 'UQ'),
          m: fc.integer({ min: 1, max: 3 }),
          n: fc.integer({ min: 1, max: 3 }),
          act: fc.constantFrom(...ACTS, 'sigmoid', 'softplus', 'step', 'hard-sigmoid'),
          rounding: fc.constantFrom(...ROUNDING_MODES),
          accumulation: fc.constantFrom('sequential', 'exact'),
          bias: fc.constantFrom('last', 'first'),
          weights: fc.constantFrom('all', 'binary'),
        }),
        fc.nat(),
        (o, seed) => {
          const c = makeConfiguration({
            // UQ: all weights ≥ 0, L_z rotates by +1 (docs/theory.md §10.8)
            format: `${o.kind}${o.m}.${o.n}`,
            activation: o.act,
            rounding: o.rounding,
            overflow: 'wrap',
            accumulation: o.accumulation,
            bias: o.bias,
            weights: o.kind === 'UQ' ? 'all' : o.weights,
          });
          const s = settingOf(c);
          if (!cyclicApplies(s)) return;
          const { certificate } = findChainCertificate(s);
          if (!certificate?.cyclic) return;
          const r = sigmaRanges(s);
          const { e } = certificate;
          const { split, top } = certificate.cyclic;
          const rest = (certificate.ge[0] as Step[]).slice(1);
          for (let k = 0; k < 3; k++) {
            const z = s.min + ((seed + 13 * k) % s.size);
            const [u, l] = cyclicChains(s, split, rest, z, top);
            expect(cyclicProved(s, r, e, split, 'ge', z, u, top)).toBe(true);
            expect(cyclicProved(s, r, e, split, 'le', z, l, top)).toBe(true);
            pairs++;
            for (let x = s.min; x <= s.max; x++) {
              const a = run(s, u, x);
              const b = run(s, l, x);
              expect([0, e]).toContain(a);
              expect([0, e]).toContain(b);
              expect(a === e && b === e, `${c.activation.key} ${c.format.spec} z=${z} x=${x}`).toBe(x === z);
            }
            // the first bias moved by one code is the chain of z ± 1, not of z
            const moved: Step[] = [[u[0][0], u[0][1] === s.max ? s.min : u[0][1] + 1], ...u.slice(1)];
            expect(cyclicProved(s, r, e, split, 'ge', z, moved, top)).toBe(false);
          }
        },
      ),
      { numRuns: 40, seed: 5 },
    );
    expect(pairs).toBeGreaterThan(10);
  });
});

describe('audit: chain certificates with amplifier emitters and cut thresholds (§11.1, §11.2)', () => {
  it('what verifyChainCertificate accepts, mutated or not, the exhaustive verifyCertificate accepts', {
    timeout: 30_000,
  }, () => {
    let accepted = 0;
    let mutatedAccepted = 0;
    let mutatedRejected = 0;
    fc.assert(
      fc.property(noGainArb, fc.nat(), fc.nat(), (c, seedA, seedB) => {
        const s = settingOf(c);
        const { certificate } = findChainCertificate(s);
        if (!certificate) return;
        const amp = amplifierEmitters(s, certificate.e);
        const cut = findCutThresholds(s, sigmaRanges(s), certificate.e);
        let cert: ChainCertificate = certificate;
        if (typeof amp !== 'string') cert = { ...cert, ...amp };
        if (typeof cut !== 'string') cert = { ...cert, ...cut };
        const label = `${c.activation.key} ${c.format.spec} ${c.policy.rounding} ${c.policy.overflow} ${c.accumulation} ${c.bias}`;
        if (verifyChainCertificate(s, cert) !== null) return;
        accepted++;
        expect(verifyCertificate(s, materializeChainCertificate(s, cert)), label).toBeNull();
        // mutations: an emitter's output weight, a neuron of a shared emitter gadget, or a threshold step
        const y = s.min + (seedA % s.size);
        const em = cert.emitters[y - s.min];
        const variants: ChainCertificate[] = [];
        if (em.weights.length > 0) {
          const ws = [...em.weights];
          const j = seedB % ws.length;
          if (ws[j] < s.max) ws[j] += 1;
          else ws[j] -= 1;
          const emitters = cert.emitters.slice();
          emitters[y - s.min] = { ...em, weights: ws };
          variants.push({ ...cert, emitters });
          const g = em.gadget;
          const li = seedB % g.layers.length;
          const layer = g.layers[li];
          const ni = seedA % layer.length;
          const n = layer[ni];
          const bias = n.bias < s.max ? n.bias + 1 : n.bias - 1;
          const layers = g.layers.map((L, i) =>
            i === li ? L.map((m, k) => (k === ni ? { ...m, bias } : m)) : L,
          );
          const gadget = { ...g, layers };
          // every emitter that shares the gadget gets the mutated one (as a real network would)
          variants.push({
            ...cert,
            emitters: cert.emitters.map((x) => (x.gadget === g ? { ...x, gadget } : x)),
          });
        }
        for (const dir of ['ge', 'le'] as const) {
          const table = dir === 'ge' ? cert.ge : cert.le;
          const t = s.min + 1 + (seedB % (s.size - 2));
          const chain = table[t - s.min];
          if (!chain) continue;
          for (const d of [1, -1]) {
            const moved = mutate(s, chain, seedA, d);
            if (!moved) continue;
            const copy = table.slice();
            copy[t - s.min] = moved;
            variants.push(dir === 'ge' ? { ...cert, ge: copy } : { ...cert, le: copy });
          }
        }
        for (const v of variants) {
          if (verifyChainCertificate(s, v) === null) {
            mutatedAccepted++;
            expect(verifyCertificate(s, materializeChainCertificate(s, v)), `mutant of ${label}`).toBeNull();
          } else mutatedRejected++;
        }
      }),
      { numRuns: 30, seed: 3 },
    );
    expect(accepted).toBeGreaterThan(5);
    expect(mutatedRejected).toBeGreaterThan(5);
    expect(mutatedAccepted).toBeGreaterThanOrEqual(0);
  });
});
