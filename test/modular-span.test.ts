import { describe, expect, it } from 'vitest';
import { reachableUnary } from '../src/engine/fixpoint.js';
import {
  findModularSpanCertificate,
  type ModularSpanCertificate,
  spanCoefficients,
  verifyModularSpanCertificate,
} from '../src/engine/modular-span-certificate.js';
import { type Setting, sigmaOf } from '../src/engine/setting.js';
import { type Configuration, makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { decide } from '../src/expressivity/verdict.js';
import { makeNetwork, type Neuron } from '../src/network/network.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';

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

/** One block's second-layer neuron: Σ over (source, φ) of φ(source) (each φ : 𝕀 → ℤ/N) plus a constant. */
type Spec = { parts: Array<{ src: number; phi: number[] }>; constant: number };

/** Writes a block: its first layer (copies of σ_F(w₁ ⊗ h ⊕ b₁)) and second layer (one neuron per spec). */
function block(s: Setting, c: ModularSpanCertificate, specs: Spec[]): { first: Neuron[]; second: Neuron[] } {
  const first: Neuron[] = [];
  const second: Neuron[] = [];
  for (const spec of specs) {
    const edges: Array<readonly [number, bigint]> = [];
    let bias = spec.constant;
    for (const { src, phi } of spec.parts) {
      const k = spanCoefficients(s, c, phi);
      bias += k[0];
      c.generators.forEach((g, j) => {
        for (let copy = 0; copy < k[j + 1]; copy++) {
          edges.push([first.length, BigInt(g.w)]);
          first.push({ bias: BigInt(g.b1), edges: [[src, BigInt(g.w1)]] });
        }
      });
    }
    second.push({ bias: BigInt(((bias % s.size) + s.size) % s.size), edges });
  }
  return { first, second };
}

/** N_f for f : 𝕀^d → 𝕀 (d = 1 or 2) as a reference network, following the proof of Proposition MS. */
function networkFor(
  cfg: Configuration,
  s: Setting,
  c: ModularSpanCertificate,
  d: number,
  f: (x: number[]) => number,
) {
  const N = s.size;
  const identity = makeConfiguration({ format: cfg.format.spec, activation: 'identity' }).activation;
  const layers: Array<{ activation: typeof identity; neurons: Neuron[] }> = [];
  const points: number[][] = d === 1 ? [...Array(N).keys()].map((x) => [x]) : [];
  if (d === 2) for (let a = 0; a < N; a++) for (let b = 0; b < N; b++) points.push([a, b]);
  const ind = (alpha: number, k: number, plus = 0) =>
    [...Array(N).keys()].map((t) => (t === alpha ? k : 0) + plus);
  if (d === 1) {
    const out = block(s, c, [
      { parts: [{ src: 0, phi: [...Array(N).keys()].map((x) => f([x])) }], constant: 0 },
    ]);
    layers.push(
      { activation: cfg.activation, neurons: out.first },
      { activation: identity, neurons: out.second },
    );
  } else {
    // the pair AND of every point: σ_F(p + K·[x₁ = a₁] + K·[x₂ = a₂]) is y₂ = σ_F(p + 2K) iff x = a
    const and = block(
      s,
      c,
      points.map(([a1, a2]) => ({
        parts: [
          { src: 0, phi: ind(a1, c.k) },
          { src: 1, phi: ind(a2, c.k) },
        ],
        constant: c.p,
      })),
    );
    const y2 = sigmaOf(s, (c.p + 2 * c.k) % N);
    const out = block(s, c, [{ parts: points.map((a, i) => ({ src: i, phi: ind(y2, f(a)) })), constant: 0 }]);
    layers.push(
      { activation: cfg.activation, neurons: and.first },
      { activation: cfg.activation, neurons: and.second },
      { activation: cfg.activation, neurons: out.first },
      { activation: identity, neurons: out.second },
    );
  }
  return makeNetwork({
    format: cfg.format,
    policy: cfg.policy,
    accumulation: cfg.accumulation,
    bias: cfg.bias,
    inputs: d,
    layers,
  });
}

function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

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
