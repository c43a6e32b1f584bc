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
   * the identity output layer (its pre-activation is G). What copies of G add up is the output neuron's
   * sum without its bias, `generatorRaw`: Σ w ⊗ h modulo N (sequential), or the exact Σ w·h in product
   * units (exact accumulation, where the sum of all copies is rounded once).
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

/**
 * R(z), the output neuron's sum without its bias, on every code z: Σ w ⊗ h reduced modulo N (sequential), or
 * the exact Σ w·h in product units, 2n fraction bits, before its one rounding (exact accumulation). Copies
 * of G read by one neuron add their R; the neuron adds its bias and (exact) rounds the total once.
 */
export function generatorRaw(s: Setting, g: ShiftGenerator): Float64Array {
  const N = s.size;
  const exact = s.accumulation === 'exact';
  // layer by layer: one table over all z per neuron (hidden layers apply σ_F)
  let prev: Float64Array[] = g.firstBiases.map((c) => {
    const t = new Float64Array(N);
    for (let z = 0; z < N; z++) t[z] = sigmaOf(s, s.add(s.min + z, c));
    return t;
  });
  const layers = g.rest.layers;
  for (let l = 0; l < layers.length - 1; l++) {
    prev = layers[l].map((n) => {
      const ws = n.edges.map(([, w]) => w);
      const src = n.edges.map(([i]) => prev[i]);
      const hs = new Array<number>(ws.length).fill(0);
      const t = new Float64Array(N);
      for (let z = 0; z < N; z++) {
        for (let i = 0; i < src.length; i++) hs[i] = src[i][z];
        t[z] = sigmaOf(s, preActivation(s, ws, hs, n.bias));
      }
      return t;
    });
  }
  const out = new Float64Array(N);
  for (const [i, w] of layers[layers.length - 1][0].edges) {
    const h = prev[i];
    for (let z = 0; z < N; z++) out[z] = exact ? out[z] + w * h[z] : (out[z] + s.mul(w, h[z])) % N;
  }
  if (!exact) for (let z = 0; z < N; z++) out[z] = (out[z] + N) % N;
  return out;
}

/**
 * The scale 2^e at which the shifts of R are taken (docs/theory.md §10.10, (H1)): e = 0 under sequential
 * accumulation; under exact accumulation the largest e ≤ n with 2^e dividing every R(z). The modulus of the
 * span is then M = N·2^(n − e) (exact) or N (sequential).
 */
export function generatorScale(s: Setting, raw: Float64Array): number {
  if (s.accumulation !== 'exact') return 0;
  const n = s.format.fracBits;
  let e = n;
  for (let z = 0; z < raw.length && e > 0; z++) {
    let r = Math.abs(raw[z]);
    if (r === 0) continue;
    let v = 0;
    while (v < e && r % 2 === 0) {
      r /= 2;
      v++;
    }
    e = Math.min(e, v);
  }
  return e;
}

/** (H1): Σ_z R(z)/2^e is odd (R, e as above; NaN anywhere fails). */
export function generatorOddSum(s: Setting, g: ShiftGenerator): boolean {
  const raw = generatorRaw(s, g);
  if (raw.some((r) => !Number.isFinite(r))) return false;
  const e = generatorScale(s, raw);
  let parity = 0;
  for (const r of raw) parity ^= Math.abs(r / 2 ** e) % 2;
  return parity === 1;
}

/**
 * G on every code z = 0..N − 1 under wrap (index z, pre-activation code min + z), from the readout sums: the output
 * neuron adds its bias β and, under exact accumulation, rounds once; NaN where a value is invalid. The
 * layer-by-layer evaluation of `generatorValue`'s semantics (tests compare the two on every code).
 */
export function generatorTable(s: Setting, g: ShiftGenerator): Float64Array {
  const raw = generatorRaw(s, g);
  const beta = g.rest.layers[g.rest.layers.length - 1][0].bias;
  const N = s.size;
  return raw.map((r) =>
    s.accumulation === 'exact'
      ? s.roundWide(beta * s.one + r)
      : Number.isFinite(r)
        ? s.min + ((((beta + r - s.min) % N) + N) % N)
        : Number.NaN,
  );
}

/** The depth of a block built from g: its first layer, rest's hidden layers and the combined output neuron. */
export function generatorDepth(g: ShiftGenerator): number {
  return 1 + g.rest.layers.length;
}

/**
 * Neurons of one copy of g (first layer and rest's hidden layers; the output neuron is shared by the
 * block) and its parameters (edges and biases of those neurons, plus the output neuron's edges).
 */
export function generatorCopySize(g: ShiftGenerator): { neurons: number; parameters: number } {
  let neurons = g.firstBiases.length;
  let parameters = 2 * g.firstBiases.length; // one edge (weight w₁) and one bias each
  const layers = g.rest.layers;
  for (let l = 0; l < layers.length; l++) {
    const last = l === layers.length - 1;
    for (const n of layers[l]) {
      if (!last) neurons++;
      parameters += n.edges.length + (last ? 0 : 1);
    }
  }
  return { neurons, parameters };
}

/**
 * Null when g is a well-formed generator of s, else the first defect: every bias a code, every weight in W,
 * every edge reading a neuron of the layer before, distinct sources in each neuron, one output neuron.
 */
export function generatorDefect(s: Setting, g: ShiftGenerator): string | null {
  const weights = new Set(s.weights);
  const isCode = (c: number) => Number.isInteger(c) && c >= s.min && c <= s.max;
  if (g.firstBiases.length === 0) return 'the generator has no first-layer neuron';
  for (const c of g.firstBiases) if (!isCode(c)) return `first-layer bias ${c} is not a code`;
  const layers = g.rest.layers;
  if (layers.length === 0) return 'the generator has no output layer';
  if (g.rest.inputs !== g.firstBiases.length)
    return `rest reads ${g.rest.inputs} neurons, the first layer has ${g.firstBiases.length}`;
  let width = g.firstBiases.length;
  for (let l = 0; l < layers.length; l++) {
    const last = l === layers.length - 1;
    if (last && layers[l].length !== 1) return `the output layer has ${layers[l].length} neurons, not 1`;
    for (const n of layers[l]) {
      if (!isCode(n.bias)) return `bias ${n.bias} in layer ${l + 1} is not a code`;
      const sources = new Set<number>();
      for (const [i, w] of n.edges) {
        if (!(Number.isInteger(i) && i >= 0 && i < width)) return `an edge in layer ${l + 1} reads ${i}`;
        if (sources.has(i)) return `a neuron in layer ${l + 1} reads source ${i} twice`;
        sources.add(i);
        if (!weights.has(w)) return `weight ${w} in layer ${l + 1} is not in W`;
      }
    }
    width = layers[l].length;
  }
  return null;
}

/** G(z) = w ⊗ σ_F(z): one first-layer neuron read with w (no output bias). */
export function oneLayerGenerator(w: number): ShiftGenerator {
  return { firstBiases: [0], rest: { inputs: 1, layers: [[{ bias: 0, edges: [[0, w]] }]] } };
}

/** G(z) = w ⊗ σ_F(w₂ ⊗ σ_F(z) ⊕ b₂): two layers, read with w. */
export function twoLayerGenerator(w2: number, b2: number, w: number): ShiftGenerator {
  return {
    firstBiases: [0],
    rest: {
      inputs: 1,
      layers: [[{ bias: b2, edges: [[0, w2]] }], [{ bias: 0, edges: [[0, w]] }]],
    },
  };
}
