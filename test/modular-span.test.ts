import { describe, expect, it } from 'vitest';
import { reachableUnary } from '../src/engine/fixpoint.js';
import {
  findModularSpanCertificate,
  type ModularSpanCertificate,
  verifyModularSpanCertificate,
} from '../src/engine/modular-span-certificate.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { decide } from '../src/expressivity/verdict.js';
import { makeNetwork } from '../src/network/network.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';
import { rng } from './shift-span-fixtures.js';
import { networkFor } from './span-network.js';

// Modular span certificates (docs/theory.md §10.8, Proposition MS): unsigned formats, wrap, sequential.
// The certificate is written out as the network N_f of the proof (blocks of two layers, a tree of pair ANDs,
// an identity output layer) and run on every input by the BigInt reference evaluator of src/network.

const config = (format: string, activation: string, rounding: string, bias = 'last') =>
  makeConfiguration({
    format,
    activation,
    rounding,
    overflow: 'wrap',
    accumulation: 'sequential',
    bias,
    weights: 'all',
  } as never);

describe('modular span certificates (unsigned, wrap, sequential)', () => {
  const cells: Array<[string, string, string, string]> = [
    ['UQ0.3', 'relu', 'nearest-up', 'last'],
    ['UQ0.3', 'silu', 'nearest-down', 'first'],
    ['UQ1.2', 'gelu', 'floor', 'last'],
    ['UQ0.4', 'leaky-relu', 'ceil', 'first'],
    ['UQ2.2', 'hard-swish', 'nearest-even', 'last'],
  ];

  it('are found and verified; N_f computes random f on every input (reference evaluator)', () => {
    const random = rng(7);
    for (const [format, activation, rounding, bias] of cells) {
      const cfg = config(format, activation, rounding, bias);
      const s = settingOf(cfg);
      const { certificate } = findModularSpanCertificate(s);
      expect(certificate, `${activation} ${format} ${rounding}`).not.toBeNull();
      if (!certificate) continue;
      expect(verifyModularSpanCertificate(s, certificate)).toBeNull();
      const N = s.size;
      for (const d of N <= 8 ? [1, 2] : [1]) {
        const table = Array.from({ length: N ** d }, () => Math.floor(random() * N));
        const f = (x: number[]) => table[d === 1 ? x[0] : x[0] * N + x[1]];
        const net = networkFor(cfg, s, certificate, d, f);
        for (let i = 0; i < N ** d; i++) {
          const x = d === 1 ? [i] : [Math.floor(i / N), i % N];
          expect(Number(evaluateReference(net, x.map(BigInt))[0]), `${format} ${activation} f(${x})`).toBe(
            f(x),
          );
        }
      }
    }
  });

  it('refuses mutants: a dependent generator, a weight outside W, a wrong pair AND, another mode', () => {
    const cfg = config('UQ0.3', 'relu', 'nearest-up');
    const s = settingOf(cfg);
    const c = findModularSpanCertificate(s).certificate as ModularSpanCertificate;
    const dup = { ...c, generators: [...c.generators.slice(0, -1), c.generators[0]] };
    expect(verifyModularSpanCertificate(s, dup)).toMatch(/dependent/);
    const outside = { ...c, generators: [{ ...c.generators[0], w: 99 }, ...c.generators.slice(1)] };
    expect(verifyModularSpanCertificate(s, outside)).toMatch(/not in W/);
    expect(verifyModularSpanCertificate(s, { ...c, k: 0 })).toMatch(/σ_F/);
    const sat = settingOf(
      makeConfiguration({
        format: 'UQ0.3',
        activation: 'relu',
        rounding: 'nearest-up',
        overflow: 'saturate',
      } as never),
    );
    expect(verifyModularSpanCertificate(sat, c)).toMatch(/wrap/);
    const exact = settingOf(
      makeConfiguration({
        format: 'UQ0.3',
        activation: 'relu',
        rounding: 'nearest-up',
        overflow: 'wrap',
        accumulation: 'exact',
      } as never),
    );
    expect(verifyModularSpanCertificate(exact, c)).toMatch(/sequential/);
  });

  it('a one-coefficient change of N_f breaks it (the coefficients are used, not decorative)', () => {
    const cfg = config('UQ0.3', 'relu', 'nearest-up');
    const s = settingOf(cfg);
    const c = findModularSpanCertificate(s).certificate as ModularSpanCertificate;
    const f = (x: number[]) => (x[0] * 5 + 3) % 8;
    const net = networkFor(cfg, s, c, 1, f);
    const out = net.layers[1].neurons[0];
    const bad = makeNetwork({
      ...net,
      layers: [net.layers[0], { ...net.layers[1], neurons: [{ ...out, bias: (out.bias + 1n) % 8n }] }],
    });
    let wrong = 0;
    for (let x = 0; x < 8; x++) if (Number(evaluateReference(bad, [BigInt(x)])[0]) !== f([x])) wrong++;
    expect(wrong).toBe(8);
  });

  it('agrees with the fixpoint (§4) on 2-bit formats: where it applies, every function 𝕀 → 𝕀 is computed', () => {
    let found = 0;
    let missing = 0;
    for (const format of ['UQ0.2', 'UQ1.1', 'UQ2.0'])
      for (const activation of ['relu', 'silu', 'gelu', 'sigmoid', 'tanh', 'softplus', 'hard-swish'])
        for (const rounding of ['floor', 'ceil', 'nearest-even', 'nearest-up', 'toward-zero'])
          for (const bias of ['last', 'first']) {
            const s = settingOf(config(format, activation, rounding, bias));
            const fix = reachableUnary(s, { distinctSources: true, sigmaOutput: false });
            expect(fix.status).toBe('done');
            if (fix.status !== 'done') continue;
            const { certificate } = findModularSpanCertificate(s);
            if (fix.missing) missing++;
            if (!certificate) continue;
            found++;
            expect(fix.missing, `${activation} ${format} ${rounding} ${bias}`).toBeNull();
          }
    // both sides occur: the check can fail
    expect(found).toBeGreaterThan(10);
    expect(missing).toBeGreaterThan(0);
  });

  it('never contradicts decide on 3-bit unsigned formats (no not-universal verdict where it applies)', () => {
    let found = 0;
    for (const format of ['UQ0.3', 'UQ1.2', 'UQ2.1'])
      for (const activation of ['relu', 'silu', 'gelu', 'sigmoid', 'tanh', 'softplus'])
        for (const rounding of ['floor', 'ceil', 'nearest-even']) {
          const cfg = config(format, activation, rounding);
          const { certificate } = findModularSpanCertificate(settingOf(cfg));
          if (!certificate) continue;
          found++;
          expect(decide(cfg).verdict, `${activation} ${format} ${rounding}`).not.toBe('not-universal');
        }
    expect(found).toBeGreaterThan(10);
  });
});
