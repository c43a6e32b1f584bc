/**
 * Shift generators (docs/theory.md §10.10, Proposition SS): the unary functions G of a pre-activation z
 * that a block of layers computes when every first-layer neuron is σ_F(z ⊕ c_j).
 *
 * Statement used by the shift span certificate. Overflow `wrap`, codes 0..N − 1 (N = 2^bits). A first-layer
 * neuron with one edge of weight w₁ from h and bias c has pre-activation (u(h) + c) mod N, where
 * u(h) = w₁ ⊗ h (sequential, either bias order) or rnd(w₁·h) (exact accumulation: b·2^n + w₁·h rounds to
 * b + rnd(w₁·h), since adding a multiple of 2^n commutes with every rounding). So the block with biases
 * c_j + b computes G((u(h) + b) mod N) for every shift b: the family {G(· + b)} is available in every layer.
 * `generatorValue` evaluates G with the setting's own ⊗, ⊕ and σ_F; the certificate checks Σ_z G(z) odd.
 *
 * Pure integer kernel on number codes.
 */
import type { LayeredNet } from './layered-net.js';
import { preActivation, type Setting, sigmaOf } from './setting.js';

export interface ShiftGenerator {
  /** Biases c_j of the first-layer neurons σ_F(z ⊕ c_j). */
  readonly firstBiases: readonly number[];
  /**
   * The layers after the first: `rest.inputs` = `firstBiases.length`, edges index the previous layer
   * (the first layer for rest's first layer); hidden layers apply σ_F, the last layer (one neuron) is
   * the identity output layer (its pre-activation is G). Under exact accumulation the output neuron's
   * weights must be multiples of 2^fracBits (integer values), so that sums of copies of G stay exact.
   */
  readonly rest: LayeredNet;
}

/** G(z) on a pre-activation code z (NaN where a value is invalid). */
export function generatorValue(s: Setting, g: ShiftGenerator, z: number): number {
  let h: number[] = g.firstBiases.map((c) => sigmaOf(s, s.add(z, c)));
  const layers = g.rest.layers;
  for (let l = 0; l < layers.length; l++) {
    const last = l === layers.length - 1;
    h = layers[l].map((n) => {
      const pre = preActivation(
        s,
        n.edges.map(([, w]) => w),
        n.edges.map(([i]) => h[i]),
        n.bias,
      );
      return last ? pre : sigmaOf(s, pre);
    });
  }
  return h[0];
}

/** G on every code z = 0..N − 1. */
export function generatorTable(s: Setting, g: ShiftGenerator): Int32Array {
  const t = new Int32Array(s.size);
  for (let z = 0; z < s.size; z++) t[z] = generatorValue(s, g, s.min + z);
  return t;
}
