/**
 * Test helper (not a test file): the network N_f shared by the span proofs (Propositions MS, SS and XS;
 * docs/theory.md §10.8, §10.10) for d = 1 or 2, built from a certificate's `block` (the layers that compute
 * σ_F(Σ φ(source) + constant) for each spec): d = 1 is one block reading the input; d = 2 is the pair AND
 * σ_F(p + K·[x₁ = a₁] + K·[x₂ = a₂]) of every point (y₂ = σ_F(p + 2K) exactly at x = a), then one block that
 * reads each AND output y₂ as f(a); the last layer applies the identity.
 */
import { type Setting, sigmaOf } from '../src/engine/setting.js';
import { wrapCode } from '../src/engine/shift-span-certificate.js';
import { type Configuration, makeConfiguration } from '../src/expressivity/configuration.js';
import { makeNetwork, type Network, type Neuron } from '../src/network/network.js';

/** One block output: Σ over (source, φ) of φ(source) (φ indexed by code − min) plus a constant. */
export type Spec = { parts: Array<{ src: number; phi: number[] }>; constant: number };

/** N_f for f : 𝕀^d → 𝕀 (codes in, codes out); `block` returns the layers of one block, last layer last. */
export function pairAndNetwork(
  cfg: Configuration,
  s: Setting,
  and: { p: number; k: number },
  d: number,
  f: (x: number[]) => number,
  block: (specs: Spec[]) => Neuron[][],
): Network {
  const N = s.size;
  const identity = makeConfiguration({ format: cfg.format.spec, activation: 'identity' }).activation;
  const ind = (alpha: number, k: number) => [...Array(N).keys()].map((t) => (s.min + t === alpha ? k : 0));
  const blocks: Neuron[][][] = [];
  if (d === 1) {
    blocks.push(
      block([{ parts: [{ src: 0, phi: [...Array(N).keys()].map((x) => f([s.min + x])) }], constant: 0 }]),
    );
  } else {
    const points: number[][] = [];
    for (let a = s.min; a <= s.max; a++) for (let b = s.min; b <= s.max; b++) points.push([a, b]);
    blocks.push(
      block(
        points.map(([a1, a2]) => ({
          parts: [
            { src: 0, phi: ind(a1, and.k) },
            { src: 1, phi: ind(a2, and.k) },
          ],
          constant: and.p,
        })),
      ),
    );
    const y2 = sigmaOf(s, wrapCode(s, and.p + 2 * and.k));
    blocks.push(block([{ parts: points.map((a, i) => ({ src: i, phi: ind(y2, f(a)) })), constant: 0 }]));
  }
  const layers = blocks.flat().map((neurons, i, all) => ({
    activation: i === all.length - 1 ? identity : cfg.activation,
    neurons,
  }));
  return makeNetwork({
    format: cfg.format,
    policy: cfg.policy,
    accumulation: cfg.accumulation,
    bias: cfg.bias,
    inputs: d,
    layers,
  });
}
