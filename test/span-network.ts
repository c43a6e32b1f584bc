/**
 * Test helper (not a test file): the network N_f of a modular span certificate (docs/theory.md §10.8,
 * Proposition MS) for d = 1 or 2, as a reference network of src/network, following the proof: blocks of two
 * layers (copies of σ_F(w₁ ⊗ h ⊕ b₁) read with the spanning coefficients), a tree of pair ANDs, an identity
 * output layer.
 */
import { type ModularSpanCertificate, spanCoefficients } from '../src/engine/modular-span-certificate.js';
import type { Setting } from '../src/engine/setting.js';
import type { Configuration } from '../src/expressivity/configuration.js';
import type { Neuron } from '../src/network/network.js';
import { pairAndNetwork, type Spec } from './pair-and-network.js';

/** One block's second-layer neuron: Σ over (source, φ) of φ(source) (each φ : 𝕀 → ℤ/N) plus a constant. */

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
  return pairAndNetwork(cfg, s, c, d, f, (specs) => {
    const b = block(s, c, specs);
    return [b.first, b.second];
  });
}
