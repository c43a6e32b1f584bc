/**
 * N_f of the span certificates (docs/theory.md §10.8 Proposition MS, §10.10 Propositions SS and XS;
 * docs/construction.md, "Certificates the compiler cannot cut into boxes"), for d = 1 or 2, following the
 * proofs: a block computes σ_F(Σ φ(source) + constant) for any φ : 𝕀 → ℤ/N (copies of the certificate's
 * first-layer neurons read with spanning coefficients); d = 1 is one block reading the input; d = 2 is the
 * pair AND σ_F(p + K·[x₁ = a₁] + K·[x₂ = a₂]) of every point a (y₂ = σ_F(p + 2K) exactly at x = a), then one
 * block that reads each AND output y₂ as f(a). The last layer is the identity output (`toNetwork`).
 */

import { type ExactSpanCertificate, exactSpanCoefficients } from '../engine/exact-span-certificate.js';
import type { GadgetNeuron } from '../engine/gadget.js';
import type { LayeredNet } from '../engine/layered-net.js';
import { type ModularSpanCertificate, spanCoefficients } from '../engine/modular-span-certificate.js';
import { type Setting, sigmaOf } from '../engine/setting.js';
import { generatorDepth } from '../engine/shift-generator.js';
import {
  firstLayerMap,
  type ShiftSpanCertificate,
  shiftCoefficients,
  singletonCover,
  wrapCode,
} from '../engine/shift-span-certificate.js';
import { FxnnError } from '../errors.js';
import { COMPOSITION_MAX_NEURONS } from './point-composition.js';

/** One block output: Σ over (source, φ) of φ(source) (φ indexed by code − min) plus a constant. */
export interface SpanSpec {
  readonly parts: ReadonlyArray<{ src: number; phi: readonly number[] }>;
  readonly constant: number;
}

type Neuron = { bias: number; edges: Array<readonly [number, number]> };
/** The layers of one block for its specs (one output neuron per spec in the last layer). */
export type SpanBlock = (specs: readonly SpanSpec[]) => Neuron[][];

/** N_f for a table over 𝕀^d (d = 1 or 2, x1 slowest) from a span certificate's block and pair AND. */
export function spanNetwork(
  s: Setting,
  and: { p: number; k: number },
  d: number,
  table: Int32Array,
  block: SpanBlock,
): LayeredNet & { readonly trees: number } {
  if (d > 2) throw new Error('the span certificates’ networks are written for d ≤ 2');
  const N = s.size;
  const ind = (alpha: number, k: number) =>
    Array.from({ length: N }, (_, t) => (s.min + t === alpha ? k : 0));
  const blocks: Neuron[][][] = [];
  if (d === 1) {
    blocks.push(block([{ parts: [{ src: 0, phi: Array.from(table) }], constant: 0 }]));
  } else {
    const points: Array<[number, number]> = [];
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
    blocks.push(block([{ parts: points.map((_, i) => ({ src: i, phi: ind(y2, table[i]) })), constant: 0 }]));
  }
  // trees: the pair ANDs (one per point) for d = 2, the one block for d = 1
  return { inputs: d, layers: blocks.flat() as GadgetNeuron[][], trees: d === 1 ? 1 : N * N };
}

/**
 * The block of a certificate whose first layer is copies of terms σ_F(w₁ ⊗ h ⊕ b₁) read with w (Propositions MS
 * and XS): `coefficients(φ)` gives the copies of each term and the bias that together compute φ.
 */
function termCopiesBlock(
  s: Setting,
  terms: ReadonlyArray<{ b1: number; w1: number; w: number }>,
  coefficients: (phi: number[]) => { bias: number; copies: readonly number[] },
  kind: string,
): SpanBlock {
  return (specs) => {
    const first: Neuron[] = [];
    const second: Neuron[] = [];
    for (const spec of specs) {
      const edges: Array<readonly [number, number]> = [];
      let bias = spec.constant;
      for (const { src, phi } of spec.parts) {
        const k = coefficients([...phi]);
        bias += k.bias;
        bound(first.length + k.copies.reduce((a, b) => a + b, 0), kind);
        terms.forEach((t, j) => {
          for (let copy = 0; copy < k.copies[j]; copy++) {
            edges.push([first.length, t.w]);
            first.push({ bias: t.b1, edges: [[src, t.w1]] });
          }
        });
      }
      second.push({ bias: wrapCode(s, bias), edges });
    }
    keepOne(first, terms[0] && { b1: terms[0].b1, w1: terms[0].w1 });
    return [first, second];
  };
}

/** Proposition MS's block: copies of σ_F(w₁ ⊗ h ⊕ b₁) read with w, then one neuron per spec. */
export function modularSpanBlock(s: Setting, c: ModularSpanCertificate): SpanBlock {
  return termCopiesBlock(
    s,
    c.generators,
    (phi) => {
      const k = spanCoefficients(s, c, phi);
      return { bias: k[0], copies: k.slice(1) };
    },
    'modular span',
  );
}

/** Proposition XS's block: k_j copies of each term's σ_F(w₁·h + b₁) read with w, then one neuron per spec. */
export function exactSpanBlock(s: Setting, c: ExactSpanCertificate): SpanBlock {
  return termCopiesBlock(s, c.terms, (phi) => exactSpanCoefficients(s, c, phi), 'exact span');
}

/** Proposition SS's block: copies of the generator G (first-layer biases shifted by b), one neuron per spec. */
export function shiftSpanBlock(s: Setting, c: ShiftSpanCertificate): SpanBlock {
  const N = s.size;
  const g = c.generator;
  const D = generatorDepth(g);
  const cover = singletonCover(s, c.fibreWeights);
  const maps = c.fibreWeights.map((w1) => firstLayerMap(s, w1));
  return (specs) => {
    const layers: Neuron[][] = Array.from({ length: D }, () => []);
    for (const spec of specs) {
      const edges: Array<readonly [number, number]> = [];
      for (const { src, phi } of spec.parts) {
        c.fibreWeights.forEach((w1, j) => {
          // q_j(u_j(x)) = φ(x) on the codes x assigned to w₁ (alone in their fibre), 0 elsewhere
          const q = new Array<number>(N).fill(0);
          for (let x = 0; x < N; x++) if (cover[x] === j) q[maps[j][x] - s.min] = phi[x];
          const k = shiftCoefficients(s, g, q);
          bound(layers[0].length + k.reduce((a, b) => a + b, 0) * g.firstBiases.length, 'shift span');
          for (let b = 0; b < N; b++)
            for (let copy = 0; copy < k[b]; copy++) {
              let offsets = g.firstBiases.map((cj) => {
                layers[0].push({ bias: wrapCode(s, cj + b), edges: [[src, w1]] });
                return layers[0].length - 1;
              });
              g.rest.layers.forEach((layer, l) => {
                const last = l === g.rest.layers.length - 1;
                const next: number[] = [];
                for (const n of layer) {
                  const e = n.edges.map(([i, w]) => [offsets[i], w] as const);
                  if (last) edges.push(...e);
                  else {
                    layers[l + 1].push({ bias: n.bias, edges: e });
                    next.push(layers[l + 1].length - 1);
                  }
                }
                offsets = next;
              });
            }
        });
      }
      layers[D - 1].push({ bias: wrapCode(s, spec.constant), edges });
    }
    // every φ zero (f ≡ 0): the hidden layers need a neuron each; one copy of G that nothing reads
    if (layers[0].length === 0) {
      let offsets = g.firstBiases.map((cj) => {
        layers[0].push({ bias: wrapCode(s, cj), edges: [[0, c.fibreWeights[0]]] });
        return layers[0].length - 1;
      });
      g.rest.layers.forEach((layer, l) => {
        if (l === g.rest.layers.length - 1) return;
        const next: number[] = [];
        for (const n of layer) {
          layers[l + 1].push({ bias: n.bias, edges: n.edges.map(([i, w]) => [offsets[i], w] as const) });
          next.push(layers[l + 1].length - 1);
        }
        offsets = next;
      });
    }
    return layers;
  };
}

/** Every φ zero (e.g. f ≡ 0): a layer needs a neuron, so one first-layer neuron that nothing reads. */
function keepOne(first: Neuron[], t: { b1: number; w1: number } | undefined): void {
  if (first.length === 0 && t) first.push({ bias: t.b1, edges: [[0, t.w1]] });
}

/** Refuses a block of more than COMPOSITION_MAX_NEURONS first-layer neurons (checked before they are written). */
function bound(neurons: number, kind: string): void {
  if (neurons > COMPOSITION_MAX_NEURONS)
    throw new FxnnError(
      `the ${kind} network needs ${neurons} first-layer neurons (copies of its terms), more than the ${COMPOSITION_MAX_NEURONS} the composition writes`,
      'format',
    );
}
