import { buildEmitters, type Certificate, type Emitter, ThresholdFinder } from './certificate.js';
import type { Step } from './chain-solver.js';
import type { Gadget, GadgetNeuron } from './gadget.js';
import type { LayeredNet } from './layered-net.js';
import type { Setting } from './setting.js';

/** A box of 𝕀^d (inclusive code intervals per coordinate) on which the target is constant. */
export interface Box {
  readonly lo: readonly number[];
  readonly hi: readonly number[];
  readonly value: number;
}

/**
 * Cuts a table over 𝕀^d (codes, lexicographic with x1 slowest) into boxes on which it is constant,
 * leaving out the points equal to `beta` (THEORY §5.2, compression by quantized cubes): runs along the
 * last coordinate, merged along the one before it when consecutive rows repeat a run exactly. With
 * `compress` false every point other than β is its own box.
 */
export function boxesOf(
  table: Int32Array,
  d: number,
  min: number,
  size: number,
  beta: number,
  compress: boolean,
): Box[] {
  const rows = table.length / size;
  const runsByRow: Box[][] = [];
  for (let r = 0; r < rows; r++) {
    const prefix: number[] = [];
    let rest = r;
    for (let i = d - 2; i >= 0; i--) {
      prefix.unshift(min + (rest % size));
      rest = Math.floor(rest / size);
    }
    const runs: Box[] = [];
    let j = 0;
    while (j < size) {
      const v = table[r * size + j];
      let k = j;
      while (compress && k + 1 < size && table[r * size + k + 1] === v) k++;
      if (v !== beta) runs.push({ lo: [...prefix, min + j], hi: [...prefix, min + k], value: v });
      j = k + 1;
    }
    runsByRow.push(runs);
  }
  if (!compress || d < 2) return runsByRow.flat();
  // merge a run with the identical run (same columns, value, other coordinates) of the previous row
  const out: Box[] = [];
  const open = new Map<string, { lo: number[]; hi: number[]; value: number }>();
  for (let r = 0; r < rows; r++) {
    const next = new Map<string, { lo: number[]; hi: number[]; value: number }>();
    for (const run of runsByRow[r]) {
      const outer = run.lo.slice(0, d - 2).join(',');
      const key = `${outer}|${run.lo[d - 1]},${run.hi[d - 1]},${run.value}`;
      const prev = open.get(key);
      if (prev && prev.hi[d - 2] === run.lo[d - 2] - 1) {
        prev.hi[d - 2] = run.lo[d - 2];
        next.set(key, prev);
        open.delete(key);
      } else next.set(key, { lo: [...run.lo], hi: [...run.hi], value: run.value });
    }
    for (const b of open.values()) out.push(b);
    open.clear();
    for (const [k, v] of next) open.set(k, v);
  }
  for (const b of open.values()) out.push(b);
  return out;
}

interface Node {
  readonly layer: number;
  readonly bias: number;
  readonly edges: Array<[number, number]>;
}

/**
 * Builds a layered network from nodes placed at layers, inserting delay neurons (the certificate's
 * one-step P, valid on {0, e} signals) where an edge skips layers; delays of one source are shared.
 */
class NetBuilder {
  readonly nodes: Node[] = [];
  private readonly delays = new Map<string, number>();
  constructor(
    readonly inputs: number,
    private readonly delay: Step,
  ) {
    for (let i = 0; i < inputs; i++) this.nodes.push({ layer: 0, bias: 0, edges: [] });
  }
  layerOf(id: number): number {
    return this.nodes[id].layer;
  }
  /** A signal `id` carried to `layer` (delays inserted as needed). */
  at(id: number, layer: number): number {
    let cur = id;
    while (this.nodes[cur].layer < layer) {
      const key = `${cur}`;
      let d = this.delays.get(key);
      if (d === undefined) {
        d = this.add(this.nodes[cur].layer + 1, this.delay[1], [[cur, this.delay[0]]]);
        this.delays.set(key, d);
      }
      cur = d;
    }
    return cur;
  }
  add(layer: number, bias: number, edges: Array<[number, number]>): number {
    for (const [src] of edges) {
      if (this.nodes[src].layer !== layer - 1)
        throw new Error('NetBuilder: edge must come from the previous layer');
    }
    this.nodes.push({ layer, bias, edges });
    return this.nodes.length - 1;
  }
  /** A gadget applied to input signals (each carried to the gadget's first layer). */
  gadget(g: Gadget, sources: readonly number[], firstLayer: number): number[] {
    let cur = sources.map((src) => this.at(src, firstLayer - 1));
    g.layers.forEach((layer, i) => {
      cur = layer.map((n: GadgetNeuron) =>
        this.add(
          firstLayer + i,
          n.bias,
          n.edges.map(([src, w]) => [cur[src], w] as [number, number]),
        ),
      );
    });
    return cur;
  }
  chain(steps: readonly Step[], source: number, firstLayer: number): number {
    return this.gadget(
      { inputs: 1, layers: steps.map(([w, b]) => [{ bias: b, edges: [[0, w]] }]) },
      [source],
      firstLayer,
    )[0];
  }
  /** Materialises layers 1..last; node ids map to positions in their layer. */
  build(): LayeredNet {
    const depth = Math.max(...this.nodes.map((n) => n.layer));
    const position = new Map<number, number>();
    const layers: GadgetNeuron[][] = Array.from({ length: depth }, () => []);
    this.nodes.forEach((n, id) => {
      if (n.layer === 0) {
        position.set(id, id);
        return;
      }
      position.set(id, layers[n.layer - 1].length);
      layers[n.layer - 1].push(n as unknown as GadgetNeuron);
    });
    return {
      inputs: this.inputs,
      layers: layers.map((layer) =>
        layer.map((n) => ({
          bias: n.bias,
          edges: (n as unknown as Node).edges.map(([src, w]) => [position.get(src)!, w] as const),
        })),
      ),
    };
  }
}

/** What the compiler reports besides the network. */
export interface Compilation {
  readonly net: LayeredNet;
  readonly beta: number;
  readonly boxes: number;
}

/**
 * The composition lemma (THEORY §5.2) with compression: interval detectors per coordinate (threshold
 * chains shared between intervals, joined by the AND gadget), one AND tree per box, the emitter of the
 * box's value, and one output neuron with bias β (the most frequent value: its points need no tree).
 */
export function compileTable(
  s: Setting,
  cert: Certificate,
  table: Int32Array,
  d: number,
  compress: boolean,
): Compilation {
  const { e } = cert;
  if (cert.delay.layers.length !== 1) throw new Error('the compiler needs a one-layer delay gadget');
  const delay: Step = [cert.delay.layers[0][0].edges[0][1], cert.delay.layers[0][0].bias];
  // β: the most frequent value, when emitters exist for it
  const counts = new Map<number, number>();
  for (const v of table) counts.set(v, (counts.get(v) ?? 0) + 1);
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  let beta = cert.beta;
  let emitters: readonly Emitter[] = cert.emitters;
  for (const [v] of ranked.slice(0, 3)) {
    if (v === cert.beta) break;
    const em = buildEmitters(s, e, [delay], [], v);
    if (em) {
      beta = v;
      emitters = em.emitters;
      break;
    }
  }
  const boxes = boxesOf(table, d, s.min, s.size, beta, compress);
  const nb = new NetBuilder(d, delay);
  const finder = new ThresholdFinder(s, e);
  const chainCache = new Map<string, Step[]>();
  const chainOf = (dir: 'ge' | 'le', t: number): Step[] => {
    const key = `${dir}${t}`;
    let c = chainCache.get(key);
    if (!c) {
      const found = finder.find(dir, t);
      if (!found) throw new Error(`no threshold gadget for ${dir} ${t}`);
      chainCache.set(key, (c = found));
    }
    return c;
  };
  const andG = cert.and;
  const andDepth = andG.layers.length;
  // threshold signals per (coordinate, dir, t), shared between detectors
  const signals = new Map<string, number>();
  const signal = (i: number, dir: 'ge' | 'le', t: number): number => {
    const key = `${i}${dir}${t}`;
    let id = signals.get(key);
    if (id === undefined) signals.set(key, (id = nb.chain(chainOf(dir, t), i, 1)));
    return id;
  };
  // interval detectors per (coordinate, lo, hi): all end at layer detDepth
  const full = (lo: number, hi: number) => lo === s.min && hi === s.max;
  let chainDepth = 0;
  for (const b of boxes) {
    for (let i = 0; i < d; i++) {
      if (b.lo[i] > s.min) chainDepth = Math.max(chainDepth, chainOf('ge', b.lo[i]).length);
      if (b.hi[i] < s.max) chainDepth = Math.max(chainDepth, chainOf('le', b.hi[i]).length);
    }
  }
  const detDepth = chainDepth + andDepth;
  const detectors = new Map<string, number>();
  const detector = (i: number, lo: number, hi: number): number => {
    const key = `${i}:${lo}:${hi}`;
    let id = detectors.get(key);
    if (id !== undefined) return id;
    if (lo > s.min && hi < s.max) {
      const u = signal(i, 'ge', lo);
      const l = signal(i, 'le', hi);
      id = nb.gadget(andG, [u, l], chainDepth + 1)[0];
    } else {
      id = nb.at(lo > s.min ? signal(i, 'ge', lo) : signal(i, 'le', hi), detDepth);
    }
    detectors.set(key, id);
    return id;
  };
  // AND trees: pairwise levels; every tree ends at treeEnd
  const maxCoords = Math.max(1, ...boxes.map((b) => b.lo.filter((lo, i) => !full(lo, b.hi[i])).length));
  const levels = Math.ceil(Math.log2(maxCoords));
  const treeEnd = detDepth + levels * andDepth;
  const emDepth = Math.max(0, ...emitters.map((em) => (em.weights.length > 0 ? em.gadget.layers.length : 0)));
  const outLayer = treeEnd + emDepth + 1;
  const outEdges: Array<[number, number]> = [];
  const alwaysOn = (): number => {
    // a box covering every coordinate's full range: a constant e signal at treeEnd
    throw new Error('a box covering all of 𝕀^d means f is constant; β alone computes it');
  };
  for (const b of boxes) {
    const em = emitters[b.value - s.min];
    if (em.weights.length === 0) continue;
    let parts = [];
    for (let i = 0; i < d; i++) if (!full(b.lo[i], b.hi[i])) parts.push(detector(i, b.lo[i], b.hi[i]));
    if (parts.length === 0) parts = [alwaysOn()];
    let level = detDepth;
    while (parts.length > 1) {
      const next: number[] = [];
      for (let k = 0; k + 1 < parts.length; k += 2)
        next.push(nb.gadget(andG, [parts[k], parts[k + 1]], level + 1)[0]);
      if (parts.length % 2 === 1) next.push(parts[parts.length - 1]);
      parts = next;
      level += andDepth;
    }
    const tree = nb.at(parts[0], treeEnd);
    let outs: number[];
    if (em.gadget.layers.length === 0) outs = [nb.at(tree, outLayer - 1)];
    else outs = nb.gadget(em.gadget, [tree], outLayer - em.gadget.layers.length);
    outs.forEach((o, j) => outEdges.push([o, em.weights[j]]));
  }
  if (outEdges.length === 0) {
    // f ≡ β: a single identity neuron with bias β reading nothing
    return { net: { inputs: d, layers: [[{ bias: beta, edges: [] }]] }, beta, boxes: 0 };
  }
  nb.add(outLayer, beta, outEdges);
  return { net: nb.build(), beta, boxes: boxes.length };
}
