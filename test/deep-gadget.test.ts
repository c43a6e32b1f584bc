import { describe, expect, it } from 'vitest';
import { alternatingObstruction } from '../src/engine/alternating-layers.js';
import { unlimitedBudget } from '../src/engine/budget.js';
import {
  type DeepGadgetCertificate,
  deepGadgetOutputBias,
  findDeepGadgetCertificate,
  verifyDeepGadgetCertificate,
} from '../src/engine/deep-gadget-certificate.js';
import { type Gadget, parallel, stack } from '../src/engine/gadget.js';
import type { Setting } from '../src/engine/setting.js';
import { type Configuration, makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { toNetwork } from '../src/expressivity/construct.js';
import { decide } from '../src/expressivity/verdict.js';
import { makeNetwork, type Network } from '../src/network/network.js';
import { NetworkOverflowError } from '../src/network/network-overflow-error.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';

// Deep gadget certificates (docs/theory.md §8.11) and Lemma AL (§10.7) on the 3-bit cells they settle.

const cfg = (
  activation: string,
  format: string,
  overflow: string,
  weights: string,
  rounding: string,
  accumulation: string,
  bias: string,
): Configuration =>
  makeConfiguration({ activation, format, overflow, weights, rounding, accumulation, bias } as never);

function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return (n: number) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
}

/** A 1-input gadget moved onto input `k` of a `d`-input network. */
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
 * N_f of §8.3 (kill mode) or §8.9 (modular mode) for d = 1 or 2: per point z with a non-empty emitter, the
 * detectors of its coordinates, A over them (d = 2), the emitter; one identity output neuron with bias β
 * (β_f in modular mode, or `beta` when given).
 */
function compile(
  c: Configuration,
  s: Setting,
  cert: DeepGadgetCertificate,
  d: number,
  f: number[],
  beta?: number,
): Network {
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
  const b = beta ?? deepGadgetOutputBias(s, cert, f);
  const output = { bias: b, edges: weights.map((w, j) => [j, w] as [number, number]) };
  const layers = g ? [...(g as Gadget).layers, [output]] : [[output]];
  return toNetwork(c, { inputs: d, layers });
}

/** How many inputs N_f gets wrong (a raise counts as wrong). */
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

// one cell of each class of docs/theory.md §10.6 ("the 3-bit cells of tiny3")
const CELLS: Array<Parameters<typeof cfg>> = [
  ['hard-swish', 'Q0.2', 'saturate', 'all', 'toward-zero', 'exact', 'last'],
  ['hard-swish', 'Q0.2', 'wrap', 'all', 'toward-zero', 'sequential', 'first'],
  ['hard-swish', 'SQ0.2', 'error', 'all', 'toward-zero', 'exact', 'first'],
  ['hard-swish', 'SQ2.0', 'error', 'all', 'floor', 'sequential', 'last'],
  ['hard-sigmoid', 'Q0.2', 'wrap', 'all', 'nearest-even', 'sequential', 'last'],
  ['hard-sigmoid', 'Q0.2', 'wrap', 'all', 'nearest-even', 'exact', 'first'],
  ['hard-sigmoid', 'Q1.1', 'wrap', 'binary', 'nearest-down', 'exact', 'last'],
  ['hard-sigmoid', 'Q2.0', 'wrap', 'binary', 'ceil', 'sequential', 'first'],
];

describe('deep gadget certificates (docs/theory.md §8.11)', () => {
  it('are found and verified on one cell of each class, and N_f computes random tables (d = 1, 2; BigInt reference)', () => {
    const r = rng(7);
    const modes = new Set<string>();
    for (const args of CELLS) {
      const c = cfg(...args);
      const s = settingOf(c);
      const found = findDeepGadgetCertificate(s, unlimitedBudget());
      const cert = found.certificate;
      expect(cert, args.join(' ')).not.toBeNull();
      if (!cert) continue;
      modes.add(cert.mode);
      expect(verifyDeepGadgetCertificate(s, cert)).toBeNull();
      for (const d of [1, 2]) {
        const n = s.size ** d;
        const f = Array.from({ length: n }, () => s.min + r(s.size));
        const net = compile(c, s, cert, d, f);
        expect(wrongInputs(s, net, d, f), `${args.join(' ')} d=${d}`).toBe(0);
      }
    }
    expect([...modes].sort()).toEqual(['kill', 'modular']);
  });

  it('rejects mutated certificates, whose N_f then computes a wrong function', () => {
    const r = rng(3);
    // kill mode: β moved by one code; two detectors swapped
    {
      const c = cfg('hard-swish', 'Q0.2', 'wrap', 'all', 'toward-zero', 'sequential', 'first');
      const s = settingOf(c);
      const cert = findDeepGadgetCertificate(s, unlimitedBudget()).certificate;
      if (!cert) throw new Error('no certificate');
      const cc = cert.certificate;
      const movedBeta: DeepGadgetCertificate = {
        ...cert,
        certificate: { ...cc, beta: cc.beta === s.max ? s.min : cc.beta + 1 },
      };
      expect(verifyDeepGadgetCertificate(s, movedBeta)).not.toBeNull();
      const f = Array.from({ length: s.size }, () => s.min + r(s.size));
      expect(wrongInputs(s, compile(c, s, movedBeta, 1, f), 1, f)).toBeGreaterThan(0);
      const swapped = [...cc.detectors];
      [swapped[0], swapped[1]] = [swapped[1], swapped[0]];
      const swap: DeepGadgetCertificate = { ...cert, certificate: { ...cc, detectors: swapped } };
      expect(verifyDeepGadgetCertificate(s, swap)).toMatch(/detector/);
      const g = [s.min, s.max, ...Array.from({ length: s.size - 2 }, () => s.min)];
      expect(wrongInputs(s, compile(c, s, swap, 1, g), 1, g)).toBeGreaterThan(0);
      // a delay whose depth does not divide the AND's (P twice, depth 4, AND depth 2) is refused
      const deep: DeepGadgetCertificate = {
        ...cert,
        certificate: { ...cc, delay: stack(cc.delay, cc.delay) },
      };
      expect(verifyDeepGadgetCertificate(s, deep)).toMatch(/does not divide/);
    }
    // modular mode: β_f moved by one code makes N_f wrong on every input; the mode is refused under saturate
    {
      const c = cfg('hard-sigmoid', 'Q0.2', 'wrap', 'all', 'nearest-even', 'exact', 'last');
      const s = settingOf(c);
      const cert = findDeepGadgetCertificate(s, unlimitedBudget()).certificate;
      if (!cert) throw new Error('no certificate');
      expect(cert.mode).toBe('modular');
      const f = Array.from({ length: s.size }, () => s.min + r(s.size));
      const beta = deepGadgetOutputBias(s, cert, f);
      expect(wrongInputs(s, compile(c, s, cert, 1, f, beta), 1, f)).toBe(0);
      const moved = beta === s.max ? s.min : beta + 1;
      expect(wrongInputs(s, compile(c, s, cert, 1, f, moved), 1, f)).toBe(s.size);
      const sat = settingOf(cfg('hard-sigmoid', 'Q0.2', 'saturate', 'all', 'nearest-even', 'exact', 'last'));
      expect(verifyDeepGadgetCertificate(sat, cert)).toMatch(/wrap/);
      const badUnit: DeepGadgetCertificate = {
        ...cert,
        unit: cert.unit && { ...cert.unit, inverse: cert.unit.inverse + 2 },
      };
      expect(verifyDeepGadgetCertificate(s, badUnit)).not.toBeNull();
    }
  });

  it('runs on 32 values with binary weights (the code max is bit 31 of the detector masks)', () => {
    const c = cfg('hard-sigmoid', 'Q4.0', 'wrap', 'binary', 'ceil', 'sequential', 'last');
    const s = settingOf(c);
    const cert = findDeepGadgetCertificate(s, unlimitedBudget()).certificate;
    expect(cert).not.toBeNull();
    if (!cert) return;
    expect(verifyDeepGadgetCertificate(s, cert)).toBeNull();
    const r = rng(11);
    const f = Array.from({ length: s.size }, () => s.min + r(s.size));
    expect(wrongInputs(s, compile(c, s, cert, 1, f), 1, f)).toBe(0);
    // all weights stop at 16 values
    const all = settingOf(cfg('hard-swish', 'UQ0.5', 'wrap', 'all', 'nearest-even', 'exact', 'last'));
    expect(findDeepGadgetCertificate(all, unlimitedBudget()).tried[0]).toMatch(/more than 16 values/);
  });

  it('decide answers universal with the deep gadget certificate on the cells it settles', () => {
    for (const args of [CELLS[1], CELLS[6]]) {
      const v = decide(cfg(...args));
      expect(v.verdict, args.join(' ')).toBe('universal');
      expect(v.reason).toContain('deep gadget certificate');
    }
  });
});

describe('Lemma AL: alternating layers (docs/theory.md §10.7)', () => {
  it('applies to hard-swish on Q0.2 under toward-zero, saturate, sequential, and nowhere its hypotheses fail', () => {
    for (const bias of ['last', 'first'])
      expect(
        alternatingObstruction(
          settingOf(cfg('hard-swish', 'Q0.2', 'saturate', 'all', 'toward-zero', 'sequential', bias)),
        ),
      ).toEqual([-1, 0, 1]);
    // exact accumulation: w · h ≠ 0 for w ≠ −1 (positive weights read positively); wrap: ⊕ is not monotone
    expect(
      alternatingObstruction(
        settingOf(cfg('hard-swish', 'Q0.2', 'saturate', 'all', 'toward-zero', 'exact', 'last')),
      ),
    ).toBeNull();
    expect(
      alternatingObstruction(
        settingOf(cfg('hard-swish', 'Q0.2', 'wrap', 'all', 'toward-zero', 'sequential', 'last')),
      ),
    ).toBeNull();
    // relu: w ⊗ h grows with h for w > 0
    expect(
      alternatingObstruction(
        settingOf(cfg('relu', 'Q2.2', 'saturate', 'all', 'toward-zero', 'sequential', 'last')),
      ),
    ).toBeNull();
  });

  it('random networks (BigInt reference evaluator) are monotone on the chain, in the direction of their depth', () => {
    const r = rng(21);
    let checked = 0;
    for (const bias of ['last', 'first']) {
      const c = cfg('hard-swish', 'Q0.2', 'saturate', 'all', 'toward-zero', 'sequential', bias);
      const s = settingOf(c);
      const chain = alternatingObstruction(s);
      if (!chain) throw new Error('Lemma AL does not apply');
      const code = () => BigInt(s.min + r(s.size));
      for (let trial = 0; trial < 150; trial++) {
        const depth = 1 + r(4);
        const widths = [...Array.from({ length: depth }, () => 1 + r(3)), 1];
        let prev = 1;
        const layers = widths.map((w, li) => {
          const layer = {
            activation:
              li === widths.length - 1
                ? cfg('identity', 'Q0.2', 'saturate', 'all', 'toward-zero', 'sequential', bias).activation
                : c.activation,
            neurons: Array.from({ length: w }, () => ({
              bias: code(),
              // the weight −1 most of the time: the only one that reads σ_F's values at all
              edges: [...Array(prev).keys()]
                .filter(() => r(3) > 0)
                .map((j) => [j, r(2) ? BigInt(s.min) : code()] as const),
            })),
          };
          prev = w;
          return layer;
        });
        const net = makeNetwork({
          format: c.format,
          policy: c.policy,
          accumulation: c.accumulation,
          bias: c.bias,
          inputs: 1,
          layers,
        });
        const [a, b2, c3] = chain.map((x) => Number(evaluateReference(net, [BigInt(x)])[0]));
        const up = a <= b2 && b2 <= c3;
        const down = a >= b2 && b2 >= c3;
        expect(up || down, `network of depth ${depth}: ${a}, ${b2}, ${c3}`).toBe(true);
        // the direction is the depth's: hidden layers alternate, the output layer reverses once more
        if (a !== c3) expect(depth % 2 === 1 ? a <= c3 : a >= c3).toBe(true);
        checked++;
      }
      const v = decide(c);
      expect(v.verdict).toBe('not-universal');
      expect(v.reason).toContain('Lemma AL');
    }
    expect(checked).toBe(300);
  });
});
