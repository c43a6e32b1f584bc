import { describe, expect, it } from 'vitest';
import { checkDist } from '../src/engine/dist.js';
import { exactAffine } from '../src/engine/exact-affine.js';
import {
  type ExactSpanCertificate,
  exactSpanCoefficients,
  exactTermVector,
  findExactSpanCertificate,
  ModularLattice,
  verifyExactSpanCertificate,
} from '../src/engine/exact-span-certificate.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { decide } from '../src/expressivity/verdict.js';
import { makeNetwork } from '../src/network/network.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';
import { exactSpanNetworkFor } from './exact-span-network.js';

// Exact span certificates (docs/theory.md §10.10, Proposition XS): wrap, exact accumulation. The certificate
// is written out as the network N_f of the proof and run on every input by the BigInt reference evaluator.

const config = (format: string, activation: string, rounding: string, bias = 'last', weights = 'all') =>
  makeConfiguration({
    format,
    activation,
    rounding,
    overflow: 'wrap',
    accumulation: 'exact',
    bias,
    weights,
  } as never);

function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

function runs(cfg: ReturnType<typeof config>, c: ExactSpanCertificate, d: number, random: () => number) {
  const s = settingOf(cfg);
  const N = s.size;
  const table = Array.from({ length: N ** d }, () => s.min + Math.floor(random() * N));
  const f = (x: number[]) => table[d === 1 ? x[0] - s.min : (x[0] - s.min) * N + (x[1] - s.min)];
  const net = exactSpanNetworkFor(cfg, s, c, d, f);
  let wrong = 0;
  for (let i = 0; i < N ** d; i++) {
    const x = d === 1 ? [s.min + i] : [s.min + Math.floor(i / N), s.min + (i % N)];
    if (Number(evaluateReference(net, x.map(BigInt))[0]) !== f(x)) wrong++;
  }
  return wrong;
}

describe('exact span certificates (wrap, exact accumulation)', () => {
  it('the lattice: membership agrees with brute-force spans over ℤ/16 on 3 coordinates', () => {
    const random = rng(3);
    for (let trial = 0; trial < 30; trial++) {
      const gens = Array.from({ length: 1 + Math.floor(random() * 3) }, () =>
        Array.from({ length: 3 }, () => Math.floor(random() * 16)),
      );
      const lat = new ModularLattice(3, 16);
      for (const g of gens) lat.add(g);
      // brute force: every combination Σ k_i·g_i (k_i < 16) modulo 16
      const span = new Set<string>();
      const ks = new Array<number>(gens.length).fill(0);
      for (;;) {
        const v = [0, 1, 2].map((j) => gens.reduce((a, g, i) => a + ks[i] * g[j], 0) % 16);
        span.add(v.join(','));
        let i = 0;
        while (i < ks.length && ++ks[i] === 16) ks[i++] = 0;
        if (i === ks.length) break;
      }
      expect(2 ** lat.log2Size()).toBeCloseTo(span.size, 6);
      for (let v = 0; v < 16 ** 3; v += 7) {
        const w = [v % 16, (v >> 4) % 16, v >> 8];
        expect(lat.contains(w)).toBe(span.has(w.join(',')));
      }
    }
  });

  it('are found and verified on UQ0.4 under nearest-even (the 4-bit class); N_f computes random f (d = 1)', () => {
    const random = rng(11);
    for (const activation of ['identity', 'relu', 'sigmoid', 'tanh', 'silu', 'hard-sigmoid', 'hard-swish']) {
      const cfg = config('UQ0.4', activation, 'nearest-even', activation === 'relu' ? 'first' : 'last');
      const s = settingOf(cfg);
      const { certificate } = findExactSpanCertificate(s);
      expect(certificate, activation).not.toBeNull();
      if (!certificate) continue;
      expect(verifyExactSpanCertificate(s, certificate)).toBeNull();
      expect(runs(cfg, certificate, 1, random), `${activation} UQ0.4`).toBe(0);
    }
  });

  it('N_f computes random f on every input: other roundings, signed formats, d = 2', () => {
    const random = rng(5);
    const cells: Array<[string, string, string, string, number[]]> = [
      ['UQ0.2', 'relu', 'nearest-even', 'all', [1, 2]],
      ['UQ1.1', 'sigmoid', 'nearest-even', 'all', [1, 2]],
      ['UQ0.3', 'sigmoid', 'nearest-even', 'all', [1]],
      ['UQ0.3', 'hard-sigmoid', 'nearest-even', 'all', [1]],
      ['UQ0.3', 'silu', 'nearest-up', 'all', [1]],
      ['Q1.1', 'relu', 'nearest-away', 'all', [1, 2]],
      ['Q1.2', 'tanh', 'nearest-even', 'all', [1]],
      ['Q2.2', 'silu', 'nearest-zero', 'all', [1]],
      ['UQ1.3', 'softplus', 'ceil', 'all', [1]],
    ];
    let built = 0;
    for (const [format, activation, rounding, weights, ds] of cells) {
      const cfg = config(format, activation, rounding, 'last', weights);
      const s = settingOf(cfg);
      const { certificate } = findExactSpanCertificate(s);
      expect(certificate, `${activation} ${format} ${rounding}`).not.toBeNull();
      if (!certificate) continue;
      expect(verifyExactSpanCertificate(s, certificate)).toBeNull();
      for (const d of ds) {
        expect(runs(cfg, certificate, d, random), `${activation} ${format} ${rounding} d = ${d}`).toBe(0);
        built++;
      }
    }
    expect(built).toBe(12);
  });

  it('coefficients: β·2^n + Σ k_j·t_j ≡ 2^n·φ (mod N·2^n) on every code, recomputed independently', () => {
    const random = rng(9);
    const s = settingOf(config('UQ0.4', 'identity', 'nearest-even'));
    const c = findExactSpanCertificate(s).certificate as ExactSpanCertificate;
    const vectors = c.terms.map((t) => exactTermVector(s, t) as number[]);
    for (let trial = 0; trial < 20; trial++) {
      const phi = Array.from({ length: 16 }, () => Math.floor(random() * 16));
      const k = exactSpanCoefficients(s, c, phi);
      for (let x = 0; x < 16; x++) {
        const sum = k.bias * 16 + vectors.reduce((a, v, j) => a + k.copies[j] * v[x], 0);
        expect(((sum % 256) + 256) % 256).toBe(16 * phi[x]);
      }
    }
  });

  it('refuses mutants: a dropped term, a weight outside W, a wrong pair AND, another mode', () => {
    const cfg = config('UQ0.4', 'identity', 'nearest-even');
    const s = settingOf(cfg);
    const c = findExactSpanCertificate(s).certificate as ExactSpanCertificate;
    // every term is needed (the search keeps a term only when the lattice grows, and stops at the first
    // span that holds the targets): dropping the last one loses some 2^n·e_c
    expect(verifyExactSpanCertificate(s, { ...c, terms: c.terms.slice(0, -1) })).toMatch(/span/);
    const outside = { ...c, terms: [{ ...c.terms[0], w: 99 }, ...c.terms.slice(1)] };
    expect(verifyExactSpanCertificate(s, outside)).toMatch(/not in W/);
    expect(verifyExactSpanCertificate(s, { ...c, k: 0 })).toMatch(/K/);
    const sat = settingOf(
      makeConfiguration({
        format: 'UQ0.4',
        activation: 'identity',
        overflow: 'saturate',
        accumulation: 'exact',
      }),
    );
    expect(verifyExactSpanCertificate(sat, c)).toMatch(/wrap/);
    const seq = settingOf(makeConfiguration({ format: 'UQ0.4', activation: 'identity', overflow: 'wrap' }));
    expect(verifyExactSpanCertificate(seq, c)).toMatch(/exact/);
    // one bias of N_f moved by one code: every output moves
    const f = (x: number[]) => (x[0] * 5 + 3) % 16;
    const net = exactSpanNetworkFor(cfg, s, c, 1, f);
    const out = net.layers[1].neurons[0];
    const bad = makeNetwork({
      ...net,
      layers: [net.layers[0], { ...net.layers[1], neurons: [{ ...out, bias: (out.bias + 1n) % 16n }] }],
    });
    let wrong = 0;
    for (let x = 0; x < 16; x++) if (Number(evaluateReference(bad, [BigInt(x)])[0]) !== f([x])) wrong++;
    expect(wrong).toBe(16);
  });

  it('never meets an obstruction: where it is found DIST holds and Proposition EA fails; EA formats get none', () => {
    let found = 0;
    let none = 0;
    for (const format of [
      'UQ0.2',
      'UQ1.1',
      'UQ2.0',
      'UQ0.3',
      'UQ2.1',
      'UQ3.0',
      'Q1.1',
      'Q2.0',
      'Q0.3',
      'Q3.0',
    ])
      for (const activation of ['identity', 'relu', 'sigmoid', 'softplus', 'hard-swish', 'step'])
        for (const rounding of ['floor', 'nearest-even', 'toward-zero']) {
          const s = settingOf(config(format, activation, rounding));
          const { certificate } = findExactSpanCertificate(s);
          if (exactAffine(s)) expect(certificate, `${activation} ${format} ${rounding}`).toBeNull();
          if (!certificate) {
            none++;
            continue;
          }
          found++;
          expect(checkDist(s).holds, `${activation} ${format} ${rounding}`).toBe(true);
        }
    expect(found).toBeGreaterThan(50);
    expect(none).toBeGreaterThan(10);
  });

  it('decides the 4-bit class: relu UQ0.4 nearest-even exact wrap is universal by this certificate', () => {
    const v = decide(config('UQ0.4', 'relu', 'nearest-even', 'first'));
    expect(v.verdict).toBe('universal');
    expect(v.reason).toMatch(/Proposition XS/);
  });
});
