/**
 * Settled activations (docs/construction.md, "Two-level tables through periodic columns", "Settled σ_F"):
 * a neuron followed by r − 1 stages h ↦ σ_F(one ⊗ h ⊕ 0) computes σ_F^r of its pre-activation, in every
 * rounding, overflow mode, accumulation and bias order.
 *
 * Statement. For every code h, one ⊗ h = h (the product one·h/one is the integer h: nothing to round,
 * no overflow), ⊕ 0 changes nothing, and the exact accumulator sees 0·one + one·h = h·one, rounded to h.
 * So the stage is h ↦ σ_F(h), and a neuron with its r − 1 stages is a neuron whose activation is σ_F^r.
 * A construction may therefore be searched and checked in the setting whose table is σ_F^r
 * (`settledSetting`) and built with `StagedBuilder`, which gives every hidden neuron of layer L its
 * r_L − 1 stages; the output layer (identity, no σ_F) gets none. A layer may settle less than the
 * search assumed (r_L < r) when what the next layers compute from its values is the same: the
 * construction checks that on every state (two-level-periodic.ts, `layerStages`). Leaky-relu on
 * `ap_fixed<16,6>` (AP_TRN): σ_F(p) = ⌊p/100⌋ below 0, σ_F³(p) = max(p, −1): a low plateau of 32,768 codes.
 */
import type { Step } from '../engine/chain-solver.js';
import type { GadgetNeuron } from '../engine/gadget.js';
import type { LayeredNet } from '../engine/layered-net.js';
import type { Setting } from '../engine/setting.js';
import type { NetBuilder } from './net-builder.js';

/** The setting whose σ is σ_F^r (r ≥ 1; r = 1 returns s itself); NaN stays NaN. */
export function settledSetting(s: Setting, r: number): Setting {
  if (r === 1) return s;
  const sigma = new Float64Array(s.sigma);
  for (let i = 1; i < r; i++) {
    for (let j = 0; j < sigma.length; j++) {
      const v = sigma[j];
      sigma[j] = v >= s.min ? s.sigma[v - s.min] : Number.NaN;
    }
  }
  let monotone = !Number.isNaN(sigma[0]);
  for (let i = 1; i < sigma.length && monotone; i++) monotone = sigma[i] >= sigma[i - 1];
  return { ...s, sigma, monotone };
}

/** The least run [min, E] of equal σ values: its length in codes. */
export function lowPlateau(s: Setting): number {
  let end = 0;
  while (end + 1 < s.sigma.length && s.sigma[end + 1] === s.sigma[0]) end++;
  return end + 1;
}

/**
 * A NetBuilder seen through settled activations: every hidden neuron of layer L (L = 1, 2, …) computes
 * σ_F^{r_L} (`rs[L − 1]`), placed on the real layer 1 + r_1 + … + r_{L−1} with its r_L − 1 stages
 * (weight one, bias 0) above it; `output` places the identity output neuron of the layer after the last
 * hidden one without stages. Ids are those of the last stage.
 */
export class StagedBuilder {
  private readonly starts: number[];
  constructor(
    readonly nb: NetBuilder,
    readonly rs: readonly number[],
    private readonly one: number,
  ) {
    this.starts = [1];
    for (const r of rs) this.starts.push(this.starts[this.starts.length - 1] + r);
  }
  private real(layer: number): number {
    if (layer < 1 || layer > this.starts.length) throw new Error(`StagedBuilder: no layer ${layer}`);
    return this.starts[layer - 1];
  }
  add(layer: number, bias: number, edges: Array<[number, number]>): number {
    if (layer > this.rs.length) throw new Error(`StagedBuilder: layer ${layer} is not hidden`);
    let id = this.nb.add(this.real(layer), bias, edges);
    for (let i = 1; i < this.rs[layer - 1]; i++) id = this.nb.add(this.real(layer) + i, 0, [[id, this.one]]);
    return id;
  }
  output(layer: number, bias: number, edges: Array<[number, number]>): number {
    return this.nb.add(this.real(layer), bias, edges);
  }
  chain(steps: readonly Step[], source: number, firstLayer: number): number {
    let id = source;
    steps.forEach(([w, b], i) => {
      id = this.add(firstLayer + i, b, [[id, w]]);
    });
    return id;
  }
  /** The layer (in settled neurons) of a hidden neuron's last stage (0 for an input). */
  layerOf(id: number): number {
    const real = this.nb.layerOf(id);
    if (real === 0) return 0;
    let l = 1;
    while (l < this.starts.length && this.starts[l] <= real) l++;
    return l;
  }
}

/**
 * The least r in 2 … 4 with σ_F^r relu on codes (σ_F^r(p) = max(p, 0) for every p), and that setting;
 * null when there is none (leaky-relu away from floor rounding: ⌈p/100⌉, rnd(p/100) or toward zero go
 * to 0 in three stages; with floor they end on −1).
 */
export function settledRelu(s: Setting): { t: Setting; r: number } | null {
  for (let r = 2; r <= 4; r++) {
    const t = settledSetting(s, r);
    let relu = true;
    for (let i = 0; i < t.sigma.length && relu; i++) relu = t.sigma[i] === Math.max(s.min + i, 0);
    if (relu) return { t, r };
  }
  return null;
}

/**
 * The network whose every hidden neuron is followed by r − 1 stages σ_F(one ⊗ h ⊕ 0) (one neuron each,
 * reading only it): by the lemma above it computes with σ_F what `net` computes with σ_F^r.
 */
export function expandNet(net: LayeredNet, r: number, one: number): LayeredNet {
  const layers: GadgetNeuron[][] = [];
  net.layers.forEach((layer, i) => {
    layers.push(layer.map((n) => ({ bias: n.bias, edges: n.edges.map(([src, w]) => [src, w] as const) })));
    if (i === net.layers.length - 1) return;
    for (let k = 1; k < r; k++) layers.push(layer.map((_, j) => ({ bias: 0, edges: [[j, one] as const] })));
  });
  return { inputs: net.inputs, layers };
}
