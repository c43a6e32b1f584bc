/**
 * Test helper (not a test file): the network N_f of an exact span certificate (docs/theory.md §10.10,
 * Proposition XS) for d = 1 or 2, as a reference network of src/network, following the proof: blocks of two
 * layers (k_j copies of each term's first-layer neuron σ_F(w₁·h + b₁), each read once with the term's
 * readout weight w, into one neuron whose exact sum is 2^n·φ), a tree of pair ANDs, an identity output layer.
 */
import { type ExactSpanCertificate, exactSpanCoefficients } from '../src/engine/exact-span-certificate.js';
import type { Setting } from '../src/engine/setting.js';
import { wrapCode } from '../src/engine/shift-span-certificate.js';
import type { Configuration } from '../src/expressivity/configuration.js';
import type { Neuron } from '../src/network/network.js';
import { pairAndNetwork, type Spec } from './pair-and-network.js';

/** One block neuron: Σ over (source, φ) of φ(source) (φ indexed by code − min) plus a constant. */

function block(s: Setting, c: ExactSpanCertificate, specs: Spec[]): { first: Neuron[]; second: Neuron[] } {
  const first: Neuron[] = [];
  const second: Neuron[] = [];
  for (const spec of specs) {
    const edges: Array<readonly [number, bigint]> = [];
    let bias = spec.constant;
    for (const { src, phi } of spec.parts) {
      const k = exactSpanCoefficients(s, c, phi);
      bias += k.bias;
      c.terms.forEach((t, j) => {
        for (let copy = 0; copy < k.copies[j]; copy++) {
          edges.push([first.length, BigInt(t.w)]);
          first.push({ bias: BigInt(t.b1), edges: [[src, BigInt(t.w1)]] });
        }
      });
    }
    second.push({ bias: BigInt(wrapCode(s, bias)), edges });
  }
  // every φ zero (e.g. f ≡ 0): a layer needs a neuron, so one copy of the first term that nothing reads
  const t0 = c.terms[0];
  if (first.length === 0 && t0) first.push({ bias: BigInt(t0.b1), edges: [[0, BigInt(t0.w1)]] });
  return { first, second };
}

/** N_f for f : 𝕀^d → 𝕀 (d = 1 or 2; codes in, codes out) following the proof of Proposition XS. */
export function exactSpanNetworkFor(
  cfg: Configuration,
  s: Setting,
  c: ExactSpanCertificate,
  d: number,
  f: (x: number[]) => number,
) {
  return pairAndNetwork(cfg, s, c, d, f, (specs) => {
    const b = block(s, c, specs);
    return [b.first, b.second];
  });
}
