/**
 * Test helper (not a test file): the network N_f of a modular span certificate (docs/theory.md §10.8,
 * Proposition MS) for d = 1 or 2, as a reference network of src/network, following the proof: blocks of two
 * layers (copies of σ_F(w₁ ⊗ h ⊕ b₁) read with the spanning coefficients), a tree of pair ANDs, an identity
 * output layer.
 */
import { type ModularSpanCertificate, spanCoefficients } from '../src/engine/modular-span-certificate.js';
import { type Setting, sigmaOf } from '../src/engine/setting.js';
import { type Configuration, makeConfiguration } from '../src/expressivity/configuration.js';
import { makeNetwork, type Neuron } from '../src/network/network.js';

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
export function networkFor(
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
