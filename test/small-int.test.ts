import { describe, expect, it } from 'vitest';
import { amplifierEmitters } from '../src/engine/amplifier-emitters.js';
import { verifyCertificate } from '../src/engine/certificate.js';
import {
  chainDetector,
  findChainCertificate,
  materializeChainCertificate,
  thresholdProved,
  verifyChainCertificate,
} from '../src/engine/chain-certificate.js';
import { findCutThresholds } from '../src/engine/cut-thresholds.js';
import { cyclicProved } from '../src/engine/cyclic-thresholds.js';
import { runGadget } from '../src/engine/gadget.js';
import { sigmaRanges } from '../src/engine/interval-chain.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { decide } from '../src/expressivity/verdict.js';
import { gadgetNet, recheckClassical, ref } from './reference-gadget.js';

// Formats without gain (Q0.n, Q1.n; docs/theory.md §11): amplifier emitters (fan-in instead of gain) and
// cut threshold families (heads of gain 2^−k onto a cut of σ_F). On 6–7-bit analogues they replace the
// parts the chain search found; the whole certificate is checked again by the exhaustive verifier, every
// gadget by the BigInt reference evaluator, and the exhaustive engine's verdict agrees (universal).

const cells: Array<[string, string, Record<string, string>]> = [
  ['Q0.5', 'relu', {}],
  ['Q0.5', 'tanh', {}],
  ['Q0.5', 'identity', { accumulation: 'exact' }],
  ['Q0.5', 'elu', { bias: 'first' }],
  ['Q0.5', 'hard-swish', {}],
  ['Q0.5', 'gelu', { accumulation: 'exact' }],
  ['Q1.4', 'tanh', {}],
];

describe('formats without gain: amplifier emitters and cut thresholds', () => {
  for (const [format, activation, extra] of cells) {
    it(`${activation} on ${format} ${JSON.stringify(extra)}: both parts verified by both verifiers and the reference evaluator; the exhaustive verdict agrees`, () => {
      const c = makeConfiguration({ format, activation, ...extra });
      const s = settingOf(c);
      const { certificate } = findChainCertificate(s);
      expect(certificate).not.toBeNull();
      if (!certificate) return;
      const amp = amplifierEmitters(s, certificate.e);
      const cut = findCutThresholds(s, sigmaRanges(s), certificate.e);
      if (typeof amp === 'string') throw new Error(amp);
      if (typeof cut === 'string') throw new Error(cut);
      // a real amplifier: a first layer of copies, one fan-in neuron per output, every output 0 at 0
      const some = amp.emitters.find((em) => em.weights.length > 0);
      expect(some?.gadget.layers.length).toBe(2);
      expect(some?.gadget.layers[1][0].edges.length).toBeGreaterThan(1);
      const cert = { ...certificate, ...amp, ...cut };
      expect(verifyChainCertificate(s, cert)).toBeNull();
      const full = materializeChainCertificate(s, cert);
      expect(verifyCertificate(s, full)).toBeNull();
      recheckClassical(c, full, s.min, s.max);
      // the exhaustive engine (formats of at most 256 values) says universal too
      expect(decide(c).verdict).toBe('universal');

      // an output weight moved by one code gives another y: both verifiers reject it
      const y = s.min + 3;
      const em = cert.emitters[y - s.min];
      const moved = [...em.weights];
      moved[0] += moved[0] === s.max ? -1 : 1;
      const emitters = cert.emitters.slice();
      emitters[y - s.min] = { ...em, weights: moved };
      const badEmitter = { ...cert, emitters };
      expect(verifyChainCertificate(s, badEmitter)).toMatch(new RegExp(`E_${y} gives`));
      expect(verifyCertificate(s, materializeChainCertificate(s, badEmitter))).not.toBeNull();
    });
  }

  it('a cut threshold chain with its head bias moved by one code is rejected by the interval proof and by evaluation', () => {
    const s = settingOf(makeConfiguration({ format: 'Q0.7', activation: 'tanh' }));
    const cut = findCutThresholds(s, sigmaRanges(s), 1);
    if (typeof cut === 'string') throw new Error(cut);
    const r = sigmaRanges(s);
    const run = (steps: ReadonlyArray<readonly [number, number]>, x: number) =>
      runGadget(s, { inputs: 1, layers: steps.map(([w, b]) => [{ bias: b, edges: [[0, w]] }]) }, [x])[0];
    let rejected = 0;
    for (const t of [-40, -3, 0, 5, 60]) {
      const chain = cut.ge[t - s.min] as Array<readonly [number, number]>;
      expect(thresholdProved(r, 1, 'ge', t, chain)).toBe(true);
      // the proof agrees with evaluation on every input
      for (let x = s.min; x <= s.max; x++) expect(run(chain, x), `U_${t}(${x})`).toBe(x >= t ? 1 : 0);
      for (const d of [1, -1]) {
        const moved = [[chain[0][0], chain[0][1] + d] as const, ...chain.slice(1)];
        let wrong = false;
        for (let x = s.min; x <= s.max; x++) if (run(moved, x) !== (x >= t ? 1 : 0)) wrong = true;
        // a chain that now computes another function is never proved
        if (wrong) {
          rejected++;
          expect(thresholdProved(r, 1, 'ge', t, moved)).toBe(false);
        }
      }
    }
    expect(rejected).toBeGreaterThan(0);
  });

  it('16-bit-family formats: Q0.12 elu and tanh and Q0.11 relu are universal with a verified chain certificate', () => {
    for (const [format, activation] of [
      ['Q0.12', 'elu'],
      ['Q0.12', 'tanh'],
      ['Q0.11', 'relu'],
    ]) {
      const c = makeConfiguration({ format, activation });
      const v = decide(c);
      expect(v.verdict, `${activation} on ${format}: ${v.reason}`).toBe('universal');
      expect(v.reason).toMatch(/chain certificate/);
    }
  });

  it('amplifier emitters say why when σ_F(0) ≠ 0', () => {
    const s = settingOf(makeConfiguration({ format: 'Q0.6', activation: 'sigmoid' }));
    expect(amplifierEmitters(s, 1)).toMatch(/σ_F\(0\) = 0/);
  });
});

describe('hard-swish with binary weights on ap_fixed<16,6> (wrap): active value −ε and a wide-beam cyclic rest chain', () => {
  it('is a verified cyclic chain certificate; sampled detectors are e exactly at z on all 65,536 inputs (engine) and on samples (reference evaluator)', () => {
    const c = makeConfiguration({ format: 'ap_fixed<16,6>', activation: 'hard-swish', weights: 'binary' });
    const s = settingOf(c);
    const { certificate } = findChainCertificate(s);
    expect(certificate).not.toBeNull();
    if (!certificate) return;
    expect(certificate.e).toBe(-1);
    expect(certificate.cyclic).toBeDefined();
    expect(verifyChainCertificate(s, certificate)).toBeNull();
    for (const z of [s.min, -3073, -1, 0, 1, 12345, s.max]) {
      const d = chainDetector(s, certificate, z);
      for (let x = s.min; x <= s.max; x++) {
        const got = runGadget(s, d, [x])[0];
        if (got !== (x === z ? -1 : 0)) expect(got, `D_${z}(${x})`).toBe(x === z ? -1 : 0);
      }
      const net = gadgetNet(c, d);
      for (const x of [z - 1, z, z + 1, s.min, s.max, 0, -3072, 7777])
        if (x >= s.min && x <= s.max)
          expect(ref(net, [x])[0], `reference D_${z}(${x})`).toBe(x === z ? -1 : 0);
    }
    // the rest chain moved by one code in its last bias no longer sends the sides to −ε and 0
    const r = sigmaRanges(s);
    const split = certificate.cyclic?.split as number;
    const chain = certificate.ge[0] as Array<readonly [number, number]>;
    const moved = chain.map((st, i) => (i === chain.length - 1 ? ([st[0], st[1] + 1] as const) : st));
    expect(cyclicProved(s, r, -1, split, 'ge', s.min, moved)).toBe(false);
  });
});

describe('amplifier emitters, inverted first layer (floor rounding reads ε as 0)', () => {
  for (const extra of [{}, { accumulation: 'exact' }] as const) {
    it(`relu on Q0.5 with floor ${JSON.stringify(extra)}: every emitter gives its y at e and 0 at 0 (reference evaluator)`, () => {
      const c = makeConfiguration({ format: 'Q0.5', activation: 'relu', rounding: 'floor', ...extra });
      const s = settingOf(c);
      const amp = amplifierEmitters(s, 1);
      if (typeof amp === 'string') throw new Error(amp);
      const g = amp.emitters.find((em) => em.weights.length > 0)?.gadget;
      // inverted: the first neuron is not 0 at 0 (its bias is not 0)
      expect(g?.layers[0][0].bias).not.toBe(0);
      for (let y = s.min; y <= s.max; y++) {
        const em = amp.emitters[y - s.min];
        if (em.weights.length === 0) {
          expect(y).toBe(amp.beta);
          continue;
        }
        expect(ref(gadgetNet(c, em.gadget), [0]).every((v) => v === 0)).toBe(true);
        const net = gadgetNet(c, em.gadget, { weights: em.weights, beta: amp.beta });
        expect(ref(net, [1])[0], `E_${y}(e)`).toBe(y);
        expect(ref(net, [0])[0], `E_${y}(0)`).toBe(0);
      }
    });
  }
});
