/**
 * Test helper (not a test file): the network N_f of a shift span certificate (docs/theory.md §10.10,
 * Proposition SS) for d = 1 or 2, as a reference network of src/network, following the proof: blocks of
 * copies of the generator (first-layer biases c_j + b, first-layer weight w₁ from the fibre set, G's hidden
 * layers) read by one combined neuron per block output, a tree of pair ANDs, an identity output layer.
 */
import type { Setting } from '../src/engine/setting.js';
import { generatorDepth } from '../src/engine/shift-generator.js';
import {
  firstLayerMap,
  type ShiftSpanCertificate,
  shiftCoefficients,
  singletonCover,
  wrapCode,
} from '../src/engine/shift-span-certificate.js';
import type { Configuration } from '../src/expressivity/configuration.js';
import type { Neuron } from '../src/network/network.js';
import { pairAndNetwork, type Spec } from './pair-and-network.js';

/**
 * One block output neuron: Σ over (source, φ) of φ(source) (each φ : 𝕀 → ℤ/N, indexed by code − min) plus a
 * constant. Codes are min..max (unsigned 0..N − 1 or signed −N/2..N/2 − 1), the residues ℤ/N.
 */

/** A block: D − 1 layers of copies (first layer, G's hidden layers) and the combined neurons (one per spec). */
function block(s: Setting, c: ShiftSpanCertificate, specs: Spec[]): Neuron[][] {
  const N = s.size;
  const g = c.generator;
  const D = generatorDepth(g);
  const layers: Neuron[][] = Array.from({ length: D }, () => []);
  const cover = singletonCover(s, c.fibreWeights);
  const maps = c.fibreWeights.map((w1) => firstLayerMap(s, w1));
  for (const spec of specs) {
    const edges: Array<readonly [number, bigint]> = [];
    for (const { src, phi } of spec.parts) {
      c.fibreWeights.forEach((w1, j) => {
        // q_j(u_j(x)) = φ(x) on the codes x assigned to w₁ (alone in their fibre), 0 elsewhere
        const q = new Array<number>(N).fill(0);
        for (let x = 0; x < N; x++) if (cover[x] === j) q[maps[j][x] - s.min] = phi[x];
        const k = shiftCoefficients(s, g, q);
        for (let b = 0; b < N; b++)
          for (let copy = 0; copy < k[b]; copy++) {
            // one copy of G with every first-layer bias shifted by b
            let offsets = g.firstBiases.map((cj) => {
              layers[0].push({ bias: BigInt(wrapCode(s, cj + b)), edges: [[src, BigInt(w1)]] });
              return layers[0].length - 1;
            });
            g.rest.layers.forEach((layer, l) => {
              const last = l === g.rest.layers.length - 1;
              const next: number[] = [];
              for (const n of layer) {
                const e = n.edges.map(([i, w]) => [offsets[i], BigInt(w)] as const);
                if (last) edges.push(...e);
                else {
                  layers[l + 1].push({ bias: BigInt(n.bias), edges: e });
                  next.push(layers[l + 1].length - 1);
                }
              }
              offsets = next;
            });
          }
      });
    }
    layers[D - 1].push({ bias: BigInt(wrapCode(s, spec.constant)), edges });
  }
  return layers;
}

/** N_f for f : 𝕀^d → 𝕀 (d = 1 or 2) as a reference network, following the proof of Proposition SS. */
export function shiftNetworkFor(
  cfg: Configuration,
  s: Setting,
  c: ShiftSpanCertificate,
  d: number,
  f: (x: number[]) => number,
) {
  return pairAndNetwork(cfg, s, c, d, f, (specs) => block(s, c, specs));
}
