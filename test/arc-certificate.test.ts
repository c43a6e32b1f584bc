import { describe, expect, it } from 'vitest';
import {
  type ArcCertificate,
  arcDetector,
  findArcCertificate,
  materializeArcCertificate,
  verifyArcCertificate,
} from '../src/engine/arc-certificate.js';
import { deepGadgetOutputBias, verifyDeepGadgetCertificate } from '../src/engine/deep-gadget-certificate.js';
import { type Gadget, parallel, runGadget, stack } from '../src/engine/gadget.js';
import type { Setting } from '../src/engine/setting.js';
import { type Configuration, makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { toNetwork } from '../src/expressivity/construct.js';
import { decide } from '../src/expressivity/verdict.js';
import type { Network } from '../src/network/network.js';
import { NetworkOverflowError } from '../src/network/network-overflow-error.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';

// Arc certificates (docs/theory.md §8.13, Proposition ARC): two-valued σ_F tables under wrap, detectors that
// AND arcs of ℤ/N. The class found by the 9–16-bit hunt: hard-sigmoid on Qm.0, ceil, wrap, binary weights.

const hs = (format: string, accumulation: string, bias: string, overflow = 'wrap'): Configuration =>
  makeConfiguration({
    activation: 'hard-sigmoid',
    format,
    rounding: 'ceil',
    overflow,
    weights: 'binary',
    accumulation,
    bias,
  } as never);

const ORDERS: Array<[string, string]> = [
  ['sequential', 'last'],
  ['sequential', 'first'],
  ['exact', 'last'],
  ['exact', 'first'],
];

function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return (n: number) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
}

function onInput(g: Gadget, k: number, d: number): Gadget {
  const [first, ...rest] = g.layers;
  return {
    inputs: d,
    layers: [
      first.map((n) => ({ bias: n.bias, edges: n.edges.map(([, w]) => [k, w] as [number, number]) })),
      ...rest,
    ],
  };
}

/**
 * N_f of the modular composition lemma (§8.9) for d = 1 or 2 from the written-out certificate: per point z
 * with k_{f(z)} > 0, the detectors of its coordinates, the AND (d = 2), k copies of P; one identity output
 * neuron with bias β_f (or `beta`).
 */
function compile(
  c: Configuration,
  s: Setting,
  arc: ArcCertificate,
  d: number,
  f: number[],
  beta?: number,
): Network {
  const cert = materializeArcCertificate(s, arc);
  const cc = cert.certificate;
  let g: Gadget | null = null;
  const weights: number[] = [];
  const points: number[][] = [];
  for (let x1 = s.min; x1 <= s.max; x1++)
    if (d === 1) points.push([x1]);
    else for (let x2 = s.min; x2 <= s.max; x2++) points.push([x1, x2]);
  points.forEach((z, idx) => {
    const em = cc.emitters[f[idx] - s.min];
    if (em.weights.length === 0) return;
    let tree: Gadget =
      d === 1
        ? cc.detectors[z[0] - s.min]
        : parallel(onInput(cc.detectors[z[0] - s.min], 0, 2), onInput(cc.detectors[z[1] - s.min], 1, 2));
    if (d === 2) tree = stack(tree, cc.and);
    tree = stack(tree, em.gadget);
    g = g ? parallel(g, tree) : tree;
    weights.push(...em.weights);
  });
  // β_f ≡ −Σ_z k_{f(z)}·T(u, ι): deepGadgetOutputBias sums over the list of values given
  const b = beta ?? deepGadgetOutputBias(s, cert, f);
  const output = { bias: b, edges: weights.map((w, j) => [j, w] as [number, number]) };
  const layers = g ? [...(g as Gadget).layers, [output]] : [[output]];
  return toNetwork(c, { inputs: d, layers });
}

/** Inputs where N_f differs from f (a raise counts), on the BigInt reference evaluator. */
function wrongInputs(s: Setting, net: Network, d: number, f: number[]): number {
  let wrong = 0;
  let idx = 0;
  for (let x1 = s.min; x1 <= s.max; x1++)
    for (let x2 = d === 1 ? 0 : s.min; x2 <= (d === 1 ? 0 : s.max); x2++) {
      const input = d === 1 ? [BigInt(x1)] : [BigInt(x1), BigInt(x2)];
      try {
        if (Number(evaluateReference(net, input)[0]) !== f[idx]) wrong++;
      } catch (e) {
        if (!(e instanceof NetworkOverflowError)) throw e;
        wrong++;
      }
      idx++;
    }
  return wrong;
}

const certOf = (s: Setting): ArcCertificate => {
  const found = findArcCertificate(s);
  if (!found.certificate) throw new Error(`no arc certificate: ${found.tried.join('; ')}`);
  return found.certificate;
};

describe('arc certificates (docs/theory.md §8.13)', () => {
  it('hard-sigmoid Qm.0 ceil wrap binary, m = 2…7, every accumulation and bias order: found, and accepted by the exhaustive verifier of §8.11', () => {
    for (let m = 2; m <= 7; m++)
      for (const [acc, bias] of ORDERS) {
        const s = settingOf(hs(`Q${m}.0`, acc, bias));
        const cert = certOf(s);
        expect(verifyArcCertificate(s, cert)).toBeNull();
        expect(
          verifyDeepGadgetCertificate(s, materializeArcCertificate(s, cert)),
          `Q${m}.0 ${acc} ${bias}`,
        ).toBeNull();
      }
  });

  it('N_f computes random tables on every input (d = 1 on Q2.0–Q4.0 and Q5.0 once, d = 2 on Q2.0 and Q3.0; BigInt reference evaluator)', () => {
    const r = rng(11);
    for (const [acc, bias] of ORDERS)
      for (let m = 2; m <= (acc === 'exact' && bias === 'first' ? 5 : 4); m++) {
        const c = hs(`Q${m}.0`, acc, bias);
        const s = settingOf(c);
        const cert = certOf(s);
        for (const d of m <= 3 ? [1, 2] : [1]) {
          const f = Array.from({ length: s.size ** d }, () => s.min + r(s.size));
          expect(wrongInputs(s, compile(c, s, cert, d, f), d, f), `Q${m}.0 ${acc} ${bias} d=${d}`).toBe(0);
        }
      }
  });

  it('the arc literal lemma: σ_F(1 ⊗ x ⊕ b) = σ_F((x + b) mod N) for every x and b (Q6.0, and a table on Q2.3)', () => {
    for (const [acc, bias] of ORDERS) {
      const s = settingOf(hs('Q6.0', acc, bias));
      const q = settingOf(
        makeConfiguration({
          activation: 'sigmoid',
          format: 'Q2.3',
          rounding: 'floor',
          overflow: 'wrap',
          weights: 'binary',
          accumulation: acc,
          bias,
        } as never),
      );
      for (const t of [s, q]) {
        const N = t.size;
        let bad = 0;
        for (let b = t.min; b <= t.max; b++)
          for (let x = t.min; x <= t.max; x++) {
            const got = runGadget(t, { inputs: 1, layers: [[{ bias: b, edges: [[0, t.one]] }]] }, [x])[0];
            const red = t.min + ((((x + b - t.min) % N) + N) % N);
            if (got !== t.sigma[red - t.min]) bad++;
          }
        expect(bad).toBe(0);
      }
    }
  });

  it('two-valued arc tables of every start, length and pair of levels on Q3.0: whatever is found passes the exhaustive verifier', () => {
    const base = settingOf(hs('Q3.0', 'sequential', 'last'));
    let found = 0;
    let refused = 0;
    for (const [acc, bias] of [ORDERS[0], ORDERS[3]]) {
      const s0 = settingOf(hs('Q3.0', acc, bias));
      for (let start = base.min; start <= base.max; start++)
        for (let L = 1; L < base.size; L++)
          for (const [a, iota] of [
            [1, 0],
            [-1, 2],
            [3, 0],
            [0, 2],
          ]) {
            const sigma = new Float64Array(base.size);
            for (let i = 0; i < base.size; i++)
              sigma[i] = (((i + base.min - start) % base.size) + base.size) % base.size < L ? a : iota;
            const s: Setting = { ...s0, sigma };
            const res = findArcCertificate(s);
            if (!res.certificate) {
              refused++;
              continue;
            }
            found++;
            expect(verifyDeepGadgetCertificate(s, materializeArcCertificate(s, res.certificate))).toBeNull();
          }
    }
    // the even difference (0, 2) has no unit with binary weights; arcs of 1 or 2 gaps need k ≤ 8 literals
    expect(found).toBeGreaterThan(150);
    expect(refused).toBeGreaterThan(0);
  });

  it('rejects mutants: a literal bias moved, the AND bias moved, a wrong δ⁻¹, saturate, a table with two arcs', () => {
    const r = rng(5);
    const c = hs('Q4.0', 'sequential', 'last');
    const s = settingOf(c);
    const cert = certOf(s);
    const z = 3;
    const biases = cert.biases.slice();
    biases[(z - s.min) * cert.fanIn] += 1;
    const moved: ArcCertificate = { ...cert, biases };
    expect(verifyArcCertificate(s, moved)).toMatch(/D_3/);
    expect(verifyDeepGadgetCertificate(s, materializeArcCertificate(s, moved))).toMatch(/D_3/);
    // N_f of the moved certificate: f is max at z and min elsewhere, so a detector that also fires elsewhere
    // (or not at z) shows
    const f = Array.from({ length: s.size }, (_, i) => (i + s.min === z ? s.max : s.min));
    expect(wrongInputs(s, compile(c, s, moved, 1, f), 1, f)).toBeGreaterThan(0);
    expect(wrongInputs(s, compile(c, s, cert, 1, f), 1, f)).toBe(0);
    expect(verifyArcCertificate(s, { ...cert, andBias: cert.andBias + 1 })).toMatch(/AND/);
    expect(
      verifyArcCertificate(s, { ...cert, unit: { ...cert.unit, inverse: cert.unit.inverse + 2 } }),
    ).toMatch(/δ/);
    const sat = settingOf(hs('Q4.0', 'sequential', 'last', 'saturate'));
    expect(verifyArcCertificate(sat, cert)).toMatch(/wrap/);
    expect(findArcCertificate(sat).certificate).toBeNull();
    const two = new Float64Array(s.size).map((_, i) => (i % 4 === 0 ? 1 : 0));
    expect(findArcCertificate({ ...s, sigma: two }).certificate).toBeNull();
    expect(verifyArcCertificate({ ...s, sigma: two }, cert)).toMatch(/σ_F/);
    // β_f moved by one code: wrong on every input
    const g = Array.from({ length: s.size }, () => s.min + r(s.size));
    const beta = deepGadgetOutputBias(s, materializeArcCertificate(s, cert), g);
    expect(wrongInputs(s, compile(c, s, cert, 1, g, beta === s.max ? s.min : beta + 1), 1, g)).toBe(s.size);
    // a detector is one literal layer and the AND neuron
    expect(arcDetector(s, cert, z).layers.map((l) => l.length)).toEqual([cert.fanIn, 1]);
  });

  it('decide settles the class at 6 to 16 bits (it was undetermined; the deep gadget search stops at 32 values)', () => {
    for (const format of ['Q5.0', 'Q10.0', 'Q15.0']) {
      const v = decide(hs(format, 'exact', 'first'));
      expect(v.verdict, format).toBe('universal');
      expect(v.reason).toMatch(/arc certificate/);
    }
  });
});
