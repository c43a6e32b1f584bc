import type { LayeredNet } from './layered-net.js';
import { contributesNothing } from './levels.js';
import type { Setting } from './setting.js';

interface SparseLayer {
  readonly size: number;
  readonly bias: Float64Array;
  /** σ_F(acc of the bias alone) (or the bias itself in the output layer): the output with no active source. */
  readonly baseline: Float64Array;
  /** Neurons whose baseline is non-zero. */
  readonly alwaysOn: Int32Array;
  /** CSR fan-out of the previous layer: for source j, entries fanStart[j] … fanStart[j+1]−1. */
  readonly fanStart: Int32Array;
  readonly fanTarget: Int32Array;
  readonly fanEdge: Int32Array;
  readonly fanWeight: Float64Array;
  readonly last: boolean;
}

/**
 * An exact evaluator for the compiler's networks that only touches neurons with a non-zero input.
 * Exact, not an approximation: w ⊗ 0 = 0 and a ⊕ 0 = a in every mode (THEORY §4), so a neuron's
 * accumulation over its non-zero sources, in edge order, equals the full accumulation; a neuron with
 * no non-zero source outputs its constant baseline σ_F(acc of the bias alone). Typed arrays, no
 * allocation per input.
 */
export class SparseEvaluator {
  private readonly layers: SparseLayer[];
  private readonly inputs: number;
  /** Per layer and neuron: the bit mask of the inputs it depends on (d ≤ 30). */
  private readonly deps: Int32Array[];
  /** Factored mode: per layer, CSR fan-out restricted to targets depending on ≥ 2 inputs. */
  private multiFan: Array<{
    start: Int32Array;
    target: Int32Array;
    edge: Int32Array;
    weight: Float64Array;
  }> | null = null;
  /**
   * Factored mode: per layer, input i, value index: the single-input neurons feeding a multi-input one
   * whose value differs from their rest value.
   */
  private singles: Array<Array<Array<{ idx: Int32Array; val: Float64Array }>>> | null = null;
  /**
   * Factored mode: the rest state, per layer and neuron: for a single-input neuron its most frequent value
   * over its input's values, for a multi-input (or constant) neuron its value when every single-input
   * neuron is at rest. At a point, only neurons whose value differs from rest are listed, so gadgets whose
   * neurons are non-zero when idle (idle-set certificates, elu's AND chains) cost nothing.
   */
  private rest: Float64Array[] | null = null;
  /** Factored mode: per layer, CSR per target: its edges from sources whose rest value is non-zero. */
  private restSrc: Array<{
    start: Int32Array;
    src: Int32Array;
    edge: Int32Array;
    weight: Float64Array;
  }> | null = null;
  private srcStamp: Int32Array;
  // scratch
  private activeIdx: Int32Array;
  private activeVal: Float64Array;
  private nextIdx: Int32Array;
  private nextVal: Float64Array;
  private stamp: Int32Array;
  private slot: Int32Array;
  private gen = 0;
  private entK: Int32Array;
  private count: Int32Array;
  private touched: Int32Array;
  private entW: Float64Array;
  private entV: Float64Array;

  constructor(
    private readonly s: Setting,
    private readonly net: LayeredNet,
  ) {
    const L = net.layers.length;
    this.inputs = net.inputs;
    let prevDeps = Int32Array.from({ length: net.inputs }, (_, i) => (net.inputs <= 30 ? 1 << i : -1));
    this.deps = net.layers.map((layer) => {
      const d = Int32Array.from(layer, (n) => n.edges.reduce((m, [src]) => m | prevDeps[src], 0));
      prevDeps = d;
      return d;
    });
    let maxWidth = net.inputs;
    let maxFan = 1;
    this.layers = net.layers.map((layer, l) => {
      const prevSize = l === 0 ? net.inputs : net.layers[l - 1].length;
      maxWidth = Math.max(maxWidth, layer.length);
      const last = l === L - 1;
      const bias = new Float64Array(layer.length);
      const baseline = new Float64Array(layer.length);
      const on: number[] = [];
      const counts = new Int32Array(prevSize + 1);
      layer.forEach((n, i) => {
        bias[i] = n.bias;
        const pre = this.finish(this.start(n.bias), n.bias);
        baseline[i] = last ? pre : this.sig(pre);
        if (baseline[i] !== 0) on.push(i);
        for (const [src] of n.edges) counts[src + 1]++;
      });
      for (let j = 0; j < prevSize; j++) counts[j + 1] += counts[j];
      const total = counts[prevSize];
      maxFan = Math.max(maxFan, total);
      const fanTarget = new Int32Array(total);
      const fanEdge = new Int32Array(total);
      const fanWeight = new Float64Array(total);
      const fill = counts.slice(0, prevSize);
      layer.forEach((n, i) => {
        n.edges.forEach(([src, w], k) => {
          const at = fill[src]++;
          fanTarget[at] = i;
          fanEdge[at] = k;
          fanWeight[at] = w;
        });
      });
      return {
        size: layer.length,
        bias,
        baseline,
        alwaysOn: Int32Array.from(on),
        fanStart: counts,
        fanTarget,
        fanEdge,
        fanWeight,
        last,
      };
    });
    this.activeIdx = new Int32Array(maxWidth);
    this.activeVal = new Float64Array(maxWidth);
    this.nextIdx = new Int32Array(maxWidth);
    this.nextVal = new Float64Array(maxWidth);
    this.stamp = new Int32Array(maxWidth);
    this.slot = new Int32Array(maxWidth);
    this.entK = new Int32Array(maxFan);
    this.count = new Int32Array(maxWidth);
    this.touched = new Int32Array(maxWidth);
    this.entW = new Float64Array(maxFan);
    this.entV = new Float64Array(maxFan);
    this.srcStamp = new Int32Array(Math.max(maxWidth, net.inputs));
  }

  /**
   * Prepares the factored evaluation (exact as well): a neuron that depends on one input only is
   * tabulated over that input's |𝕀| values once, so evaluating a point only computes the neurons that
   * depend on two or more inputs. `values` lists the codes of one coordinate.
   */
  factor(values: readonly number[]): void {
    const d = this.inputs;
    if (d > 30) return;
    const single = (m: number) => m !== 0 && (m & (m - 1)) === 0;
    const multi = (m: number) => !single(m); // constants (no input) are computed each time too
    this.multiFan = this.layers.map((layer, l) => {
      const keep: number[] = [];
      const prevSize = layer.fanStart.length - 1;
      const start = new Int32Array(prevSize + 1);
      for (let j = 0; j < prevSize; j++) {
        for (let f = layer.fanStart[j]; f < layer.fanStart[j + 1]; f++)
          if (multi(this.deps[l][layer.fanTarget[f]])) keep.push(f);
        start[j + 1] = keep.length;
      }
      return {
        start,
        target: Int32Array.from(keep, (f) => layer.fanTarget[f]),
        edge: Int32Array.from(keep, (f) => layer.fanEdge[f]),
        weight: Float64Array.from(keep, (f) => layer.fanWeight[f]),
      };
    });
    const feedsMulti = this.layers.map((_, l) =>
      l + 1 < this.layers.length
        ? (j: number) => this.multiFan![l + 1].start[j + 1] > this.multiFan![l + 1].start[j]
        : () => false,
    );
    // per layer and input i: the single-input neurons of input i that feed a multi-input neuron
    const singleOf = this.layers.map((layer, l) =>
      Array.from({ length: d }, (_, i) => {
        const list: number[] = [];
        for (let t = 0; t < layer.size; t++) if (this.deps[l][t] === 1 << i && feedsMulti[l](t)) list.push(t);
        return Int32Array.from(list);
      }),
    );
    // The rest value of a single-input neuron: its most frequent value over the input's values (a
    // Boyer–Moore majority vote; any choice is exact, a frequent one leaves few neurons to visit). It is
    // 0 for gadgets idle at 0, and the idle value for idle-set certificates (docs/theory.md §8), whose
    // neurons are never 0.
    const probe = new Array<number>(d).fill(0);
    const seen = this.layers.map((layer) => new Float64Array(layer.size));
    const seenStamp = this.layers.map((layer) => new Int32Array(layer.size));
    let probeGen = 0;
    const valuesAt = (i: number, x: number, use: (l: number, t: number, v: number) => void) => {
      probe.fill(0);
      probe[i] = x;
      probeGen++;
      this.run(probe, (l, idx, val, n) => {
        for (let a = 0; a < n; a++) {
          seen[l][idx[a]] = val[a];
          seenStamp[l][idx[a]] = probeGen;
        }
        for (const t of singleOf[l][i]) use(l, t, seenStamp[l][t] === probeGen ? seen[l][t] : 0);
      });
    };
    const cand = this.layers.map((layer) => new Float64Array(layer.size));
    const votes = this.layers.map((layer) => new Int32Array(layer.size));
    for (let i = 0; i < d; i++) {
      for (const x of values) {
        valuesAt(i, x, (l, t, v) => {
          if (votes[l][t] === 0) {
            cand[l][t] = v;
            votes[l][t] = 1;
          } else votes[l][t] += cand[l][t] === v ? 1 : -1;
        });
      }
    }
    // the rest state: single-input neurons at their rest value, every other neuron accumulated from its
    // sources' rest values
    this.rest = [];
    for (let l = 0; l < this.layers.length; l++) {
      const layer = this.layers[l];
      const prev = l === 0 ? new Float64Array(d) : this.rest[l - 1];
      const r = new Float64Array(layer.size);
      this.net.layers[l].forEach((n, t) => {
        if (single(this.deps[l][t])) {
          r[t] = cand[l][t];
          return;
        }
        let acc = this.start(n.bias);
        for (const [src, w] of n.edges) if (prev[src] !== 0) acc = this.step(acc, w, prev[src]);
        const pre = this.finish(acc, n.bias);
        r[t] = layer.last ? pre : this.sig(pre);
      });
      this.rest.push(r);
    }
    this.restSrc = this.layers.map((_, l) => {
      const start = new Int32Array(this.layers[l].size + 1);
      const src: number[] = [];
      const edge: number[] = [];
      const weight: number[] = [];
      this.net.layers[l].forEach((n, t) => {
        if (l > 0 && multi(this.deps[l][t])) {
          n.edges.forEach(([j, w], k) => {
            // a source at rest whose term is exactly nothing (w ⊗ h = 0, or w · h = 0 in the wide sum)
            // leaves the accumulator unchanged (docs/theory.md §8, Lemma A): idle-set emitters
            if (contributesNothing(this.s, w, this.rest![l - 1][j])) return;
            src.push(j);
            edge.push(k);
            weight.push(w);
          });
        }
        start[t + 1] = src.length;
      });
      return {
        start,
        src: Int32Array.from(src),
        edge: Int32Array.from(edge),
        weight: Float64Array.from(weight),
      };
    });
    // per layer, input and value: the single-input neurons (feeding a multi-input one) away from rest
    this.singles = this.layers.map(() =>
      Array.from({ length: d }, () => [] as Array<{ idx: Int32Array; val: Float64Array }>),
    );
    this.xi = new Int32Array(d);
    let lo = values[0];
    let hi = values[0];
    for (const v of values) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    this.xiMin = lo;
    this.xiOf = new Int32Array(hi - lo + 1).fill(-1);
    values.forEach((v, k) => {
      this.xiOf[v - this.xiMin] = k;
    });
    const rest = this.rest;
    for (let i = 0; i < d; i++) {
      for (const x of values) {
        const keepIdx: number[][] = this.layers.map(() => []);
        const keepVal: number[][] = this.layers.map(() => []);
        valuesAt(i, x, (l, t, v) => {
          if (v !== rest[l][t]) {
            keepIdx[l].push(t);
            keepVal[l].push(v);
          }
        });
        for (let l = 0; l < this.layers.length; l++) {
          this.singles[l][i].push({ idx: Int32Array.from(keepIdx[l]), val: Float64Array.from(keepVal[l]) });
        }
      }
    }
  }

  /** Factored mode scratch: the value index of each coordinate at the current point. */
  private xi: Int32Array = new Int32Array(0);
  /** Factored mode: per coordinate, the code → value index table (offset by `xiMin`). */
  private xiOf: Int32Array = new Int32Array(0);
  private xiMin = 0;
  private nTouched = 0;

  /**
   * Factored evaluation at one point. Allocation-free (verification calls it up to 2^20 times): the
   * per-point state lives in the scratch arrays, and the two passes (count, then place) are plain loops
   * over the changed sources, not closures.
   */
  private evaluateFactored(input: ArrayLike<number>): number {
    const singles = this.singles!;
    const fan = this.multiFan!;
    const rest = this.rest!;
    const d = this.inputs;
    const xi = this.xi;
    for (let i = 0; i < d; i++) xi[i] = this.xiOf[input[i] - this.xiMin];
    // multi-input neurons of the previous layer whose value differs from rest (none for the inputs)
    let nMulti = 0;
    for (let l = 0; l < this.layers.length; l++) {
      const layer = this.layers[l];
      const mf = fan[l];
      const rs = this.restSrc![l];
      this.gen++;
      const gen = this.gen;
      // the changed sources: inputs ≠ 0, active single-input neurons, changed multi-input neurons
      if (l > 0) {
        for (let i = 0; i < d; i++) {
          const list = singles[l - 1][i][xi[i]];
          for (let a = 0; a < list.idx.length; a++) this.srcStamp[list.idx[a]] = gen;
        }
        for (let a = 0; a < nMulti; a++) this.srcStamp[this.activeIdx[a]] = gen;
      }
      this.nTouched = 0;
      for (let pass = 0; pass < 2; pass++) {
        if (l === 0) {
          for (let i = 0; i < d; i++) if (input[i] !== 0) this.visit(mf, i, pass, input[i], gen);
        } else {
          for (let i = 0; i < d; i++) {
            const list = singles[l - 1][i][xi[i]];
            for (let a = 0; a < list.idx.length; a++) this.visit(mf, list.idx[a], pass, list.val[a], gen);
          }
          for (let a = 0; a < nMulti; a++) this.visit(mf, this.activeIdx[a], pass, this.activeVal[a], gen);
          // a touched neuron also reads its unchanged sources whose rest value is non-zero
          const prevRest = rest[l - 1];
          for (let i = 0; i < this.nTouched; i++) {
            const t = this.touched[i];
            for (let q = rs.start[t]; q < rs.start[t + 1]; q++) {
              const j = rs.src[q];
              if (this.srcStamp[j] === gen) continue;
              if (pass === 0) {
                this.count[t]++;
              } else {
                const at = this.count[t]++;
                this.entK[at] = rs.edge[q];
                this.entW[at] = rs.weight[q];
                this.entV[at] = prevRest[j];
              }
            }
          }
        }
        if (pass === 0) {
          let off = 0;
          for (let i = 0; i < this.nTouched; i++) {
            const t = this.touched[i];
            this.slot[t] = off;
            off += this.count[t];
            this.count[t] = this.slot[t];
          }
        }
      }
      // evaluate the touched neurons; keep those that leave their rest value
      let nNext = 0;
      for (let i = 0; i < this.nTouched; i++) {
        const t = this.touched[i];
        const out = this.bucketValue(layer, t);
        if (out !== rest[l][t]) {
          this.nextIdx[nNext] = t;
          this.nextVal[nNext++] = out;
        }
      }
      this.swapActive();
      nMulti = nNext;
      if (layer.last) {
        // the output neuron depends on one input only: it was tabulated, so run the plain path
        if ((this.deps[l][0] & (this.deps[l][0] - 1)) === 0 && this.deps[l][0] !== 0) {
          return this.run(input);
        }
        for (let a = 0; a < nMulti; a++) if (this.activeIdx[a] === 0) return this.activeVal[a];
        return rest[l][0];
      }
    }
    return 0;
  }

  /**
   * One changed source `src` (value `v`) of the factored path: pass 0 counts its multi-input targets
   * (stamping the newly touched ones), pass 1 places its entries in their targets' buckets.
   */
  private visit(
    mf: { start: Int32Array; target: Int32Array; edge: Int32Array; weight: Float64Array },
    src: number,
    pass: number,
    v: number,
    gen: number,
  ): void {
    for (let f = mf.start[src]; f < mf.start[src + 1]; f++) {
      const t = mf.target[f];
      if (pass === 0) {
        if (this.stamp[t] !== gen) {
          this.stamp[t] = gen;
          this.count[t] = 0;
          this.touched[this.nTouched++] = t;
        }
        this.count[t]++;
      } else {
        const at = this.count[t]++;
        this.entK[at] = mf.edge[f];
        this.entW[at] = mf.weight[f];
        this.entV[at] = v;
      }
    }
  }

  /** Swaps the active and next lists (no array literal: this runs once per layer and point). */
  private swapActive(): void {
    const idx = this.activeIdx;
    this.activeIdx = this.nextIdx;
    this.nextIdx = idx;
    const val = this.activeVal;
    this.activeVal = this.nextVal;
    this.nextVal = val;
  }

  /** One touched neuron's value from its bucket (ordered by edge index here). */
  private bucketValue(layer: SparseLayer, t: number): number {
    const from = this.slot[t];
    const to = this.count[t];
    sortBucket(this.entK, this.entW, this.entV, from, to);
    const b = layer.bias[t];
    let acc = this.start(b);
    for (let k = from; k < to; k++) acc = this.step(acc, this.entW[k], this.entV[k]);
    const pre = this.finish(acc, b);
    return layer.last ? pre : this.sig(pre);
  }

  /**
   * Evaluates the touched neurons from their buckets (each ordered by edge index), writing the non-zero
   * outputs to the next active list; returns how many.
   */
  private evaluateBuckets(layer: SparseLayer, nTouched: number): number {
    let nNext = 0;
    for (let i = 0; i < nTouched; i++) {
      const t = this.touched[i];
      const out = this.bucketValue(layer, t);
      if (out !== 0) {
        this.nextIdx[nNext] = t;
        this.nextVal[nNext++] = out;
      }
    }
    return nNext;
  }

  /** The term w ⊗ h (w · h in the wide sum) is exactly nothing. */
  private none(w: number, h: number): boolean {
    return this.s.accumulation === 'exact' ? w * h === 0 : this.s.mul(w, h) === 0;
  }

  private sig(code: number): number {
    const v = this.s.sigma[code - this.s.min];
    return v === undefined ? Number.NaN : v;
  }
  private start(b: number): number {
    const s = this.s;
    return s.accumulation === 'exact' ? b * s.one : s.bias === 'first' ? b : 0;
  }
  private step(acc: number, w: number, h: number): number {
    const s = this.s;
    return s.accumulation === 'exact' ? acc + w * h : s.add(acc, s.mul(w, h));
  }
  private finish(acc: number, b: number): number {
    const s = this.s;
    return s.accumulation === 'exact' ? s.roundWide(acc) : s.bias === 'first' ? acc : s.add(acc, b);
  }

  /** The first output (code; NaN marks an overflow under overflow `error`) at one input. */
  evaluate(input: ArrayLike<number>): number {
    return this.singles ? this.evaluateFactored(input) : this.run(input);
  }

  private run(
    input: ArrayLike<number>,
    hook?: (l: number, idx: Int32Array, val: Float64Array, n: number) => void,
  ): number {
    let nActive = 0;
    for (let i = 0; i < input.length; i++) {
      if (input[i] !== 0) {
        this.activeIdx[nActive] = i;
        this.activeVal[nActive++] = input[i];
      }
    }
    let result = 0;
    for (let l = 0; l < this.layers.length; l++) {
      const layer = this.layers[l];
      // bucket the active entries by target (counting pass, then placement), then order each bucket by edge
      this.gen++;
      const gen = this.gen;
      let nTouched = 0;
      // a term that is exactly nothing (w ⊗ h = 0; w · h = 0 in the wide sum) leaves its target's
      // accumulator unchanged (Lemma A of docs/theory.md §8) and is skipped: idle-set signals are never 0
      for (let a = 0; a < nActive; a++) {
        const src = this.activeIdx[a];
        const v = this.activeVal[a];
        for (let f = layer.fanStart[src]; f < layer.fanStart[src + 1]; f++) {
          if (this.none(layer.fanWeight[f], v)) continue;
          const t = layer.fanTarget[f];
          if (this.stamp[t] !== gen) {
            this.stamp[t] = gen;
            this.count[t] = 0;
            this.touched[nTouched++] = t;
          }
          this.count[t]++;
        }
      }
      let off = 0;
      for (let i = 0; i < nTouched; i++) {
        const t = this.touched[i];
        this.slot[t] = off;
        off += this.count[t];
        this.count[t] = this.slot[t];
      }
      for (let a = 0; a < nActive; a++) {
        const src = this.activeIdx[a];
        const v = this.activeVal[a];
        for (let f = layer.fanStart[src]; f < layer.fanStart[src + 1]; f++) {
          if (this.none(layer.fanWeight[f], v)) continue;
          const t = layer.fanTarget[f];
          const at = this.count[t]++;
          this.entK[at] = layer.fanEdge[f];
          this.entW[at] = layer.fanWeight[f];
          this.entV[at] = v;
        }
      }
      let nNext = this.evaluateBuckets(layer, nTouched);
      for (let a = 0; a < layer.alwaysOn.length; a++) {
        const t = layer.alwaysOn[a];
        if (this.stamp[t] === this.gen) continue;
        this.nextIdx[nNext] = t;
        this.nextVal[nNext++] = layer.baseline[t];
      }
      this.swapActive();
      nActive = nNext;
      hook?.(l, this.activeIdx, this.activeVal, nActive);
      if (layer.last) {
        result = 0;
        for (let a = 0; a < nActive; a++) if (this.activeIdx[a] === 0) result = this.activeVal[a];
      }
    }
    return result;
  }
}

/**
 * Sorts one bucket by edge index (entries from … to−1 of the three parallel arrays), in place and without allocation: insertion sort for the usual handful
 * of entries, heapsort for large buckets (an output neuron reading thousands of never-zero idle-set
 * emitters). A bucket holds each edge index at most once, so stability does not matter.
 */
export function sortBucket(k: Int32Array, w: Float64Array, v: Float64Array, from: number, to: number): void {
  const n = to - from;
  if (n > 48) {
    for (let i = (n >> 1) - 1; i >= 0; i--) siftDown(k, w, v, from, i, n);
    for (let end = n - 1; end > 0; end--) {
      swapEntries(k, w, v, from, from + end);
      siftDown(k, w, v, from, 0, end);
    }
    return;
  }
  for (let i = from + 1; i < to; i++) {
    const ki = k[i];
    if (ki >= k[i - 1]) continue;
    const wi = w[i];
    const vi = v[i];
    let j = i - 1;
    while (j >= from && k[j] > ki) {
      k[j + 1] = k[j];
      w[j + 1] = w[j];
      v[j + 1] = v[j];
      j--;
    }
    k[j + 1] = ki;
    w[j + 1] = wi;
    v[j + 1] = vi;
  }
}

/** Max-heap sift-down of entry `root` in the heap of `n` entries starting at `base`. */
function siftDown(
  k: Int32Array,
  w: Float64Array,
  v: Float64Array,
  base: number,
  root: number,
  n: number,
): void {
  let r = root;
  for (;;) {
    let c = 2 * r + 1;
    if (c >= n) return;
    if (c + 1 < n && k[base + c + 1] > k[base + c]) c++;
    if (k[base + r] >= k[base + c]) return;
    swapEntries(k, w, v, base + r, base + c);
    r = c;
  }
}

function swapEntries(k: Int32Array, w: Float64Array, v: Float64Array, p: number, q: number): void {
  const kp = k[p];
  k[p] = k[q];
  k[q] = kp;
  const wp = w[p];
  w[p] = w[q];
  w[q] = wp;
  const vp = v[p];
  v[p] = v[q];
  v[q] = vp;
}
