import type { LayeredNet } from './layered-net.js';
import { type Setting, sigmaOf } from './setting.js';

/**
 * An exact evaluator for the compiler's networks that only touches neurons with a non-zero input.
 * Exact, not an approximation: w ⊗ 0 = 0 and a ⊕ 0 = a in every mode (THEORY §4), so a neuron's
 * accumulation over its non-zero sources, in edge order, equals the full accumulation; a neuron with
 * no non-zero source outputs its constant `baseline` σ_F(acc of the bias alone).
 */
export class SparseEvaluator {
  private readonly baseline: Float64Array[];
  private readonly alwaysOn: number[][];
  /** For each layer ℓ ≥ 1 and source j in layer ℓ−1: the (target, edge index, weight) triples. */
  private readonly fanout: Array<Array<Array<[number, number, number]>>>;

  constructor(
    private readonly s: Setting,
    private readonly net: LayeredNet,
  ) {
    const L = net.layers.length;
    this.baseline = [];
    this.alwaysOn = [];
    this.fanout = [];
    for (let l = 0; l < L; l++) {
      const layer = net.layers[l];
      const last = l === L - 1;
      const base = new Float64Array(layer.length);
      const on: number[] = [];
      const prevSize = l === 0 ? net.inputs : net.layers[l - 1].length;
      const fan: Array<Array<[number, number, number]>> = Array.from({ length: prevSize }, () => []);
      layer.forEach((n, i) => {
        const pre = this.accumulate([], [], n.bias);
        base[i] = last ? pre : sigmaOf(s, pre);
        if (base[i] !== 0) on.push(i);
        n.edges.forEach(([src, w], k) => fan[src].push([i, k, w]));
      });
      this.baseline.push(base);
      this.alwaysOn.push(on);
      this.fanout.push(fan);
    }
  }

  private accumulate(ws: number[], hs: number[], b: number): number {
    const s = this.s;
    if (s.accumulation === 'exact') {
      let p = b * s.one;
      for (let i = 0; i < ws.length; i++) p += ws[i] * hs[i];
      return s.roundWide(p);
    }
    let acc = s.bias === 'first' ? b : 0;
    for (let i = 0; i < ws.length; i++) acc = s.add(acc, s.mul(ws[i], hs[i]));
    return s.bias === 'first' ? acc : s.add(acc, b);
  }

  /** The outputs (codes; NaN marks an overflow under overflow `error`) at one input. */
  evaluate(input: readonly number[]): number[] {
    const { net } = this;
    // active values of the current layer: index → value (non-zero only)
    let active = new Map<number, number>();
    input.forEach((v, i) => {
      if (v !== 0) active.set(i, v);
    });
    const L = net.layers.length;
    for (let l = 0; l < L; l++) {
      const layer = net.layers[l];
      const last = l === L - 1;
      const touched = new Map<number, Array<[number, number, number]>>();
      for (const [src, v] of active) {
        for (const [t, k, w] of this.fanout[l][src]) {
          let list = touched.get(t);
          if (!list) touched.set(t, (list = []));
          list.push([k, w, v]);
        }
      }
      const next = new Map<number, number>();
      for (const i of this.alwaysOn[l]) if (!touched.has(i)) next.set(i, this.baseline[l][i]);
      for (const [t, list] of touched) {
        list.sort((a, b) => a[0] - b[0]);
        const pre = this.accumulate(
          list.map((x) => x[1]),
          list.map((x) => x[2]),
          layer[t].bias,
        );
        const out = last ? pre : sigmaOf(this.s, pre);
        if (out !== 0) next.set(t, out);
      }
      active = next;
    }
    const outs = new Array<number>(net.layers[L - 1].length).fill(0);
    for (const [i, v] of active) outs[i] = v;
    return outs;
  }
}
