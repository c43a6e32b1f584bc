import {
  buildEmitters,
  type Certificate,
  candidateEs,
  type Emitter,
  findAndNot,
  ThresholdFinder,
} from './certificate.js';
import { type Step, solveChain } from './chain-solver.js';
import type { Gadget, GadgetNeuron } from './gadget.js';
import { type LayeredNet, layeredSize } from './layered-net.js';
import { isZeroIdle, kills, type Levels, zeroLevels } from './levels.js';
import { type Setting, unary } from './setting.js';

/** The signal levels of a certificate: active e, idle I (docs/theory.md §8). */
export function levelsOf(cert: Certificate): Levels {
  return { a: cert.e, idle: cert.idle };
}

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
    // a loop, not Math.max(...): compiled networks have hundreds of thousands of nodes
    let depth = 0;
    for (const n of this.nodes) if (n.layer > depth) depth = n.layer;
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
  /** Boxes (box method) or row classes (row method) given a tree. */
  readonly boxes: number;
  readonly method: Method;
}

export type Method = 'boxes' | 'rows' | 'steps';

/**
 * Shared machinery of the constructions: β and emitters, threshold chains, interval detectors (all
 * ending at one layer), AND trees and the output neuron, on a NetBuilder.
 */
class Construction {
  readonly nb: NetBuilder;
  readonly beta: number;
  readonly emitters: readonly Emitter[];
  private readonly finder: ThresholdFinder;
  /** e·[u ∧ ¬v]: interval detectors from two upward thresholds (shared between neighbours), if found. */
  private readonly andNot: Gadget | null;
  private readonly chains = new Map<string, Step[]>();
  private readonly signals = new Map<string, number>();
  private readonly detectors = new Map<string, number>();
  readonly andDepth: number;
  chainDepth = 0;
  readonly outEdges: Array<[number, number]> = [];

  constructor(
    readonly s: Setting,
    readonly cert: Certificate,
    table: Int32Array,
    d: number,
  ) {
    if (cert.delay.layers.length !== 1) throw new Error('the compiler needs a one-layer delay gadget');
    const delay: Step = [cert.delay.layers[0][0].edges[0][1], cert.delay.layers[0][0].bias];
    const counts = new Map<number, number>();
    for (const v of table) counts.set(v, (counts.get(v) ?? 0) + 1);
    const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    let beta = cert.beta;
    let emitters: readonly Emitter[] = cert.emitters;
    for (const [v] of ranked.slice(0, 3)) {
      if (v === cert.beta) break;
      const em = buildEmitters(s, levelsOf(cert), [delay], [], v);
      if (em) {
        beta = v;
        emitters = em.emitters;
        break;
      }
    }
    this.beta = beta;
    this.emitters = emitters;
    this.nb = new NetBuilder(d, delay);
    this.finder = new ThresholdFinder(s, levelsOf(cert), true);
    this.andDepth = cert.and.layers.length;
    this.andNot = findAndNot(s, levelsOf(cert));
  }

  private get gateDepth(): number {
    return this.andNot ? this.andNot.layers.length : this.andDepth;
  }

  chainOf(dir: 'ge' | 'le', t: number): Step[] {
    const key = `${dir}${t}`;
    let c = this.chains.get(key);
    if (!c) {
      const found = this.finder.find(dir, t);
      if (!found) throw new Error(`no threshold gadget for ${dir} ${t}`);
      this.chains.set(key, (c = found));
    }
    return c;
  }

  /** Registers the intervals that will be detected, fixing the common chain depth. */
  plan(intervals: Iterable<readonly [number, number]>): void {
    const { s } = this;
    for (const [lo, hi] of intervals) {
      const chains: Step[][] = [];
      if (lo > s.min) chains.push(this.chainOf('ge', lo));
      if (hi < s.max)
        chains.push(lo > s.min && this.andNot ? this.chainOf('ge', hi + 1) : this.chainOf('le', hi));
      for (const c of chains) this.chainDepth = Math.max(this.chainDepth, c.length);
    }
  }

  get detDepth(): number {
    return this.chainDepth + this.gateDepth;
  }

  private signal(i: number, dir: 'ge' | 'le', t: number): number {
    const key = `${i}${dir}${t}`;
    let id = this.signals.get(key);
    if (id === undefined) this.signals.set(key, (id = this.nb.chain(this.chainOf(dir, t), i, 1)));
    return id;
  }

  /** e·[lo ≤ x_i ≤ hi] at layer detDepth (not for the full range). */
  detector(i: number, lo: number, hi: number): number {
    const key = `${i}:${lo}:${hi}`;
    let id = this.detectors.get(key);
    if (id !== undefined) return id;
    const { s } = this;
    if (lo > s.min && hi < s.max) {
      id = this.andNot
        ? this.nb.gadget(
            this.andNot,
            [this.signal(i, 'ge', lo), this.signal(i, 'ge', hi + 1)],
            this.chainDepth + 1,
          )[0]
        : this.nb.gadget(
            this.cert.and,
            [this.signal(i, 'ge', lo), this.signal(i, 'le', hi)],
            this.chainDepth + 1,
          )[0];
      id = this.nb.at(id, this.detDepth);
    } else {
      id = this.nb.at(lo > s.min ? this.signal(i, 'ge', lo) : this.signal(i, 'le', hi), this.detDepth);
    }
    this.detectors.set(key, id);
    return id;
  }

  /** AND of {0, e} signals at layer `level` (pairwise levels); returns the root and its layer. */
  andTree(parts: number[], level: number): [number, number] {
    let cur = parts;
    while (cur.length > 1) {
      const next: number[] = [];
      for (let k = 0; k + 1 < cur.length; k += 2)
        next.push(this.nb.gadget(this.cert.and, [cur[k], cur[k + 1]], level + 1)[0]);
      if (cur.length % 2 === 1) next.push(this.nb.at(cur[cur.length - 1], level + this.andDepth));
      cur = next;
      level += this.andDepth;
    }
    return [cur[0], level];
  }

  get emitterDepth(): number {
    return Math.max(0, ...this.emitters.map((em) => (em.weights.length > 0 ? em.gadget.layers.length : 0)));
  }

  /** Feeds a {0, e} signal available at `layer` through the emitter of `value` into the output. */
  emit(signal: number, value: number, outLayer: number): void {
    const em = this.emitters[value - this.s.min];
    if (em.weights.length === 0) return;
    const outs =
      em.gadget.layers.length === 0
        ? [this.nb.at(signal, outLayer - 1)]
        : this.nb.gadget(em.gadget, [signal], outLayer - em.gadget.layers.length);
    outs.forEach((o, j) => {
      this.outEdges.push([o, em.weights[j]]);
    });
  }

  finish(d: number, outLayer: number, boxes: number, method: Method): Compilation {
    if (this.outEdges.length === 0) {
      return {
        net: { inputs: d, layers: [[{ bias: this.beta, edges: [] }]] },
        beta: this.beta,
        boxes: 0,
        method,
      };
    }
    this.nb.add(outLayer, this.beta, this.outEdges);
    return { net: this.nb.build(), beta: this.beta, boxes, method };
  }
}

/**
 * The composition lemma (THEORY §5.2) with compression: interval detectors per coordinate (threshold
 * chains shared between intervals, joined by the AND gadget), one AND tree per box, the emitter of the
 * box's value, and one output neuron with bias β (the most frequent value: its points need no tree).
 */
export function compileBoxes(
  s: Setting,
  cert: Certificate,
  table: Int32Array,
  d: number,
  compress: boolean,
): Compilation {
  const c = new Construction(s, cert, table, d);
  const boxes = boxesOf(table, d, s.min, s.size, c.beta, compress).filter(
    (b) => c.emitters[b.value - s.min].weights.length > 0,
  );
  const full = (lo: number, hi: number) => lo === s.min && hi === s.max;
  const intervals: Array<[number, number]> = [];
  for (const b of boxes)
    for (let i = 0; i < d; i++) if (!full(b.lo[i], b.hi[i])) intervals.push([b.lo[i], b.hi[i]]);
  c.plan(intervals);
  // a loop, not Math.max(...boxes): a 2^20-point table has hundreds of thousands of boxes
  let maxCoords = 1;
  for (const b of boxes) {
    let k = 0;
    for (let i = 0; i < d; i++) if (!full(b.lo[i], b.hi[i])) k++;
    if (k > maxCoords) maxCoords = k;
  }
  const treeEnd = c.detDepth + Math.ceil(Math.log2(maxCoords)) * c.andDepth;
  const outLayer = treeEnd + c.emitterDepth + 1;
  for (const b of boxes) {
    const parts: number[] = [];
    for (let i = 0; i < d; i++) if (!full(b.lo[i], b.hi[i])) parts.push(c.detector(i, b.lo[i], b.hi[i]));
    if (parts.length === 0)
      throw new Error('a box covering all of 𝕀^d means f is constant; β alone computes it');
    const [root, level] = c.andTree(parts, c.detDepth);
    c.emit(c.nb.at(root, Math.max(level, treeEnd)), b.value, outLayer);
  }
  return c.finish(d, outLayer, boxes.length, 'boxes');
}

/**
 * Row classes (d ≥ 2): for each row (x1 … x_{d−1}) and each value y ≠ β in it, ONE neuron — the AND
 * gadget's first neuron with its second edge repeated for every column detector C_b(x_d) with
 * f(row, b) = y (at most one C_b is non-zero, and zero terms leave the accumulator unchanged, so the
 * neuron sees exactly what the AND gadget sees) — then the rest of the AND gadget, the emitter of y
 * and the output edge. Column detectors are shared by all rows; row detectors are AND trees of point
 * detectors. Needs an AND gadget whose first layer is one neuron over (u, v).
 */
export function compileRows(
  s: Setting,
  cert: Certificate,
  table: Int32Array,
  d: number,
  transpose = false,
): Compilation | null {
  const and = cert.and;
  if (d < 2 || (transpose && d !== 2) || and.layers[0].length !== 1) return null;
  const first = and.layers[0][0];
  const wu = first.edges.find(([src]) => src === 0)?.[1];
  const wv = first.edges.find(([src]) => src === 1)?.[1];
  if (wu === undefined || wv === undefined || first.edges.length !== 2 || first.edges[0][0] !== 0)
    return null;
  // the column edges of a class neuron are many, at most one active: the idle ones must add exactly
  // nothing (wv ⊗ i = 0 for i ∈ I; always so for I = {0}); rows are merged only if wu kills I too
  if (!kills(s, wv, cert.idle)) return null;
  const mergeRows = kills(s, wu, cert.idle);
  const rest = { inputs: 1, layers: and.layers.slice(1) };
  const c = new Construction(s, cert, table, d);
  const N = s.size;
  const rows = table.length / N;
  // the column coordinate and the table read along it (transposed for d = 2 when asked)
  const colCoord = transpose ? 0 : d - 1;
  const at = (r: number, b: number) => (transpose ? table[b * N + r] : table[r * N + b]);
  const points: Array<[number, number]> = [];
  for (let v = s.min; v <= s.max; v++) points.push([v, v]);
  c.plan(points);
  const rowLevel = c.detDepth + Math.ceil(Math.log2(Math.max(1, d - 1))) * c.andDepth;
  const classEnd = rowLevel + and.layers.length;
  const outLayer = classEnd + c.emitterDepth + 1;
  // rows with identical contents share their class neurons (their detectors are OR-ed in: one is active)
  const groups = new Map<string, number[]>();
  for (let r = 0; r < rows; r++) {
    let key = mergeRows ? '' : `${r}:`;
    for (let b = 0; b < N; b++) key += `${at(r, b)},`;
    const g = groups.get(key);
    if (g) g.push(r);
    else groups.set(key, [r]);
  }
  const rowSignal = (r: number): number => {
    if (transpose) return c.nb.at(c.detector(1, s.min + r, s.min + r), rowLevel);
    const prefix: number[] = [];
    let q = r;
    for (let i = d - 2; i >= 0; i--) {
      prefix.unshift(s.min + (q % N));
      q = Math.floor(q / N);
    }
    const [root, level] = c.andTree(
      prefix.map((x, i) => c.detector(i, x, x)),
      c.detDepth,
    );
    return c.nb.at(root, Math.max(level, rowLevel));
  };
  let classes = 0;
  for (const members of groups.values()) {
    const r0 = members[0];
    const byValue = new Map<number, number[]>();
    for (let b = 0; b < N; b++) {
      const y = at(r0, b);
      if (y === c.beta || c.emitters[y - s.min].weights.length === 0) continue;
      let list = byValue.get(y);
      if (!list) byValue.set(y, (list = []));
      list.push(s.min + b);
    }
    if (byValue.size === 0) continue;
    const rowIds = members.map(rowSignal);
    for (const [y, cols] of byValue) {
      const edges: Array<[number, number]> = rowIds.map((id) => [id, wu]);
      for (const b of cols) edges.push([c.nb.at(c.detector(colCoord, b, b), rowLevel), wv]);
      let sig = c.nb.add(rowLevel + 1, first.bias, edges);
      if (rest.layers.length > 0) sig = c.nb.gadget(rest, [sig], rowLevel + 2)[0];
      c.emit(sig, y, outLayer);
      classes++;
    }
  }
  return c.finish(d, outLayer, classes, 'rows');
}

/** The smallest verified-to-be construction among the methods that apply (boxes; rows for d ≥ 2). */
export function compileTable(
  s: Setting,
  cert: Certificate,
  table: Int32Array,
  d: number,
  compress: boolean,
): Compilation {
  const boxes = compileBoxes(s, cert, table, d, compress);
  if (!compress) return boxes;
  const size = (c: Compilation) => layeredSize(c.net).parameters;
  let best = boxes;
  for (const other of [
    compileRows(s, cert, table, d),
    compileRows(s, cert, table, d, true),
    compileSteps(s, cert, table, d),
  ]) {
    if (other && size(other) < size(best)) best = other;
  }
  return best;
}

interface StepOption {
  readonly type: 'U' | 'L';
  readonly prefix: number; // index into prefixes, −1 for none
  readonly chain: Step[];
}

/**
 * Increments ω⊗e available to the output neuron and shortest accumulator paths between values
 * (breadth-first over acc ⊕ inc, saturation and all), for the telescoping construction.
 */
class IncrementPaths {
  private readonly incs: Array<[number, number]> = [];
  private readonly memo = new Map<number, Map<number, [number, number]>>();
  constructor(
    private readonly s: Setting,
    lv: Levels,
  ) {
    const seen = new Set<number>();
    // only weights that read idle signals as exactly 0 (every weight when I = {0})
    for (const w of s.weights) {
      if (!kills(s, w, lv.idle)) continue;
      const inc = s.mul(w, lv.a);
      if (inc >= s.min && inc !== 0 && !seen.has(inc)) {
        seen.add(inc);
        this.incs.push([inc, w]);
      }
    }
  }
  /** Output weights taking the accumulator from `from` to `to`, or null. */
  path(from: number, to: number): number[] | null {
    let prev = this.memo.get(from);
    if (!prev) {
      prev = new Map([[from, [Number.NaN, 0]]]);
      let frontier = [from];
      while (frontier.length > 0) {
        const next: number[] = [];
        for (const a of frontier) {
          for (const [inc, w] of this.incs) {
            const b = this.s.add(a, inc);
            if (!(b >= this.s.min) || prev.has(b)) continue;
            prev.set(b, [a, w]);
            next.push(b);
          }
        }
        frontier = next;
      }
      this.memo.set(from, prev);
    }
    if (!prev.has(to)) return null;
    const ws: number[] = [];
    for (let v = to; v !== from; ) {
      const [p, w] = prev.get(v)!;
      ws.unshift(w);
      v = p;
    }
    return ws;
  }
}

/**
 * Telescoping (d = 1, sequential accumulation): f(x) = f(c) + Σ increments of threshold signals.
 * Every t with f(t) ≠ f(t−ε) gets one two-level signal — e·[x ≥ t] for t > c, e·[x ≤ t−ε] for
 * t ≤ c — from a threshold chain, optionally after a shared first-layer prefix neuron; the output
 * neuron adds, in order, a constant neuron's path 0 → f(c), then the L terms for t = c, c−ε, …
 * (each the path f(t) → f(t−ε)), then the U terms for t = c+ε, … (f(t−ε) → f(t)). At any input only
 * one side is active and its partial sums are exactly f's values, so no intermediate result leaves
 * the format. β = 0.
 */
export function compileSteps(
  s: Setting,
  cert: Certificate,
  table: Int32Array,
  d: number,
): Compilation | null {
  if (d !== 1 || s.accumulation === 'exact') return null;
  const ramps = compileRamps(s, table, d);
  if (ramps) return ramps;
  let best: Compilation | null = null;
  const size = (c: Compilation) => layeredSize(c.net).parameters;
  // the signal value e matters most here (increments are ω ⊗ e): try the certificate's and 1 (with idle
  // sets, the certificate's levels only)
  const levels = isZeroIdle(levelsOf(cert))
    ? [...new Set([cert.e, ...candidateEs(s).slice(0, 2)])].map(zeroLevels)
    : [levelsOf(cert)];
  for (const lv of levels) {
    const delay = solveChain(s, lv.idle, [lv.a], lv.idle[0], lv.a, {
      minDepth: 1,
      maxDepth: 1,
      beam: 4,
      ...(isZeroIdle(lv) ? {} : { idle: lv.idle }),
    });
    if (!delay) continue;
    const c = compileStepsWith(s, lv, delay[0], table);
    if (c && (!best || size(c) < size(best))) best = c;
  }
  return best;
}

function compileStepsWith(s: Setting, lv: Levels, delay: Step, table: Int32Array): Compilation | null {
  const e = lv.a;
  const K = (() => {
    for (let b = s.min; b <= s.max; b++) if (s.sigma[b - s.min] === e) return b;
    return null;
  })();
  if (K === null) return null;
  const finder = new ThresholdFinder(s, lv, true);
  const prefixes: Step[] = [];
  // shared prefixes pay off through the interval search, which needs a monotone σ_F (cost otherwise)
  if (s.one <= s.max && s.monotone) {
    for (const w0 of [s.one, -s.one]) {
      for (const f of [0, 0.25, -0.25, 0.5, -0.5, 0.75, -0.75]) {
        const b0 = Math.round(f * s.max);
        if (!prefixes.some(([w, b]) => w === w0 && b === b0)) prefixes.push([w0, b0]);
      }
    }
  }
  const f = (x: number) => table[x - s.min];
  const ts: number[] = [];
  for (let t = s.min + 1; t <= s.max; t++) if (f(t) !== f(t - 1)) ts.push(t);
  // options per t and orientation
  const options = new Map<string, StepOption[]>();
  for (const t of ts) {
    for (const type of ['U', 'L'] as const) {
      const list: StepOption[] = [];
      const direct = type === 'U' ? finder.find('ge', t) : finder.find('le', t - 1);
      if (direct) list.push({ type, prefix: -1, chain: direct });
      prefixes.forEach((p, k) => {
        const c = type === 'U' ? finder.find('ge', t, p) : finder.find('le', t - 1, p);
        if (c) list.push({ type, prefix: k, chain: c });
      });
      options.set(`${type}${t}`, list);
    }
  }
  const depthOf = (o: StepOption) => o.chain.length + (o.prefix >= 0 ? 1 : 0);
  let best: { cost: number; D: number; c: number; pick: Map<number, StepOption> } | null = null;
  for (let D = 1; D <= 5; D++) {
    const costOf = (o: StepOption) =>
      depthOf(o) > D ? Number.POSITIVE_INFINITY : 2 * o.chain.length + 2 * (D - depthOf(o));
    const cheapest = (type: 'U' | 'L', t: number) =>
      (options.get(`${type}${t}`) ?? []).reduce<StepOption | null>(
        (a, o) => (costOf(o) < (a ? costOf(a) : Number.POSITIVE_INFINITY) ? o : a),
        null,
      );
    // choose the anchor c minimising L costs for t ≤ c plus U costs for t > c
    const lCost = ts.map((t) => {
      const o = cheapest('L', t);
      return o ? costOf(o) : Number.POSITIVE_INFINITY;
    });
    const uCost = ts.map((t) => {
      const o = cheapest('U', t);
      return o ? costOf(o) : Number.POSITIVE_INFINITY;
    });
    let total = uCost.reduce((a, b) => a + b, 0);
    let bestK = -1;
    let bestTotal = total;
    for (let k = 0; k < ts.length; k++) {
      total += lCost[k] - uCost[k];
      if (total < bestTotal) {
        bestTotal = total;
        bestK = k;
      }
    }
    if (!Number.isFinite(bestTotal)) continue;
    const c = bestK >= 0 ? ts[bestK] : s.min;
    const pick = new Map<number, StepOption>();
    for (const t of ts) pick.set(t, cheapest(t <= c ? 'L' : 'U', t)!);
    const used = new Set([...pick.values()].map((o) => o.prefix).filter((k) => k >= 0));
    const cost = bestTotal + 2 * used.size;
    if (!best || cost < best.cost) best = { cost, D, c, pick };
  }
  if (!best) return null;
  const { D, c, pick } = best;
  const nb = new NetBuilder(1, delay);
  const prefixIds = new Map<number, number>();
  const outEdges: Array<[number, number]> = [];
  const anchor = new IncrementPaths(s, lv);
  const start = anchor.path(0, f(c));
  if (!start) return null;
  // one edge per source: every increment of a path reads its own copy of the signal's last neuron
  for (const w of start) outEdges.push([nb.add(D, K, []), w]);
  const ordered = [
    ...ts.filter((t) => t <= c).sort((a, b) => b - a),
    ...ts.filter((t) => t > c).sort((a, b) => a - b),
  ];
  for (const t of ordered) {
    const o = pick.get(t)!;
    let src = 0;
    let layer = 1;
    if (o.prefix >= 0) {
      let id = prefixIds.get(o.prefix);
      if (id === undefined) {
        const [w0, b0] = prefixes[o.prefix];
        prefixIds.set(o.prefix, (id = nb.add(1, b0, [[0, w0]])));
      }
      src = id;
      layer = 2;
    }
    const path = o.type === 'L' ? anchor.path(f(t), f(t - 1)) : anchor.path(f(t - 1), f(t));
    if (!path) return null;
    const body = o.chain.length > 1 ? nb.chain(o.chain.slice(0, -1), src, layer) : src;
    const [w1, b1] = o.chain[o.chain.length - 1];
    const lastLayer = layer + o.chain.length - 1;
    for (const w of path) outEdges.push([nb.at(nb.add(lastLayer, b1, [[body, w1]]), D), w]);
  }
  nb.add(D + 1, 0, outEdges);
  return { net: nb.build(), beta: 0, boxes: ts.length, method: 'steps' };
}

/** A binary max-heap of (gain, key) pairs. */
class GainHeap {
  private readonly items: Array<[number, number]> = [];
  get size(): number {
    return this.items.length;
  }
  top(): number {
    return this.items[0][0];
  }
  push(gain: number, key: number): void {
    const a = this.items;
    a.push([gain, key]);
    for (let i = a.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (a[p][0] >= a[i][0]) break;
      [a[p], a[i]] = [a[i], a[p]];
      i = p;
    }
  }
  pop(): [number, number] {
    const a = this.items;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l][0] > a[m][0]) m = l;
        if (r < a.length && a[r][0] > a[m][0]) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }
}

/** σ_F is relu on codes: 0 for pre-activations ≤ 0, the pre-activation itself above 0. */
function reluShaped(s: Setting): boolean {
  for (let p = s.min; p <= s.max; p++) if (s.sigma[p - s.min] !== Math.max(0, p)) return false;
  return true;
}

/**
 * Per-setting tables of the ramp construction: shift prefixes σ_F(±x ⊕ b0), the ramps σ_F(g⊗p ⊕ b)
 * on them (monotone in x, not constant), the smallest positive weight saturating each value, and for
 * each product the smallest signal level (and weight) giving it.
 */
interface RampTables {
  readonly prefixes: ReadonlyArray<{ w: number; b: number; values: Int32Array }>;
  readonly ramps: ReadonlyArray<{ prefix: number; g: number; b: number; values: Int32Array; up: boolean }>;
  /** wsat[h − min]: the smallest w > 0 with w ⊗ h = max, or 0. */
  readonly wsat: Int32Array;
  /** level[p − min], omega[p − min]: the smallest level v ≥ 1 and a weight ω with ω ⊗ v = p (0: none). */
  readonly level: Int32Array;
  readonly omega: Int32Array;
}

const rampCache = new WeakMap<Setting, RampTables>();

function rampTables(s: Setting): RampTables {
  const cached = rampCache.get(s);
  if (cached) return cached;
  const N = s.size;
  const prefixes: Array<{ w: number; b: number; values: Int32Array }> = [];
  const stride = Math.max(1, Math.floor(N / 8));
  // gains ±1 shift x; gains ±(1 − ε) also tell min from min + ε, where ±1 ⊗ x saturates
  for (const w of [s.one, -s.one, s.one - 1, 1 - s.one]) {
    if (w < s.min || w > s.max || w === 0) continue;
    const near = Math.abs(w) !== s.one;
    for (let b = s.min; b <= s.max; b += near ? 4 * stride : stride) {
      const values = new Int32Array(N);
      for (let x = s.min; x <= s.max; x++) values[x - s.min] = unary(s, w, x, b);
      prefixes.push({ w, b, values });
    }
  }
  const gains = [s.one, 2 * s.one, 4 * s.one, s.max, -s.one, -2 * s.one, -4 * s.one, s.min].filter(
    (g, i, all) => g >= s.min && g <= s.max && g !== 0 && all.indexOf(g) === i,
  );
  const ramps: Array<{ prefix: number; g: number; b: number; values: Int32Array; up: boolean }> = [];
  const seen = new Set<string>();
  prefixes.forEach((p, k) => {
    for (const g of gains) {
      for (let b = s.min; b <= s.max; b++) {
        const values = new Int32Array(N);
        let up = true;
        let down = true;
        for (let i = 0; i < N; i++) {
          const v = unary(s, g, p.values[i], b);
          values[i] = v;
          if (i > 0) {
            if (v < values[i - 1]) up = false;
            if (v > values[i - 1]) down = false;
          }
        }
        if (up === down) continue; // constant or not monotone
        // the same ramp (by a fingerprint; a collision only drops a candidate) from another prefix or
        // gain: keep the first
        const key = `${values[0]},${values.indexOf(values[N - 1])},${values.lastIndexOf(values[0])},${values[N >> 1]},${values[N >> 2]},${values[(3 * N) >> 2]}`;
        let sig = 0;
        for (let i = 0; i < N; i++) sig = (Math.imul(sig, 31) + values[i]) | 0;
        if (seen.has(`${key}:${sig}`)) continue;
        seen.add(`${key}:${sig}`);
        ramps.push({ prefix: k, g, b, values, up });
      }
    }
  });
  const wsat = new Int32Array(N);
  for (let h = s.min; h <= s.max; h++) {
    for (let w = 1; w <= s.max; w++) {
      if (s.mul(w, h) === s.max) {
        wsat[h - s.min] = w;
        break;
      }
    }
  }
  const level = new Int32Array(N);
  const omega = new Int32Array(N);
  for (let v = 1; v <= s.max; v++) {
    for (let w = s.min; w <= s.max; w++) {
      const p = s.mul(w, v);
      if (!(p >= s.min) || level[p - s.min] !== 0) continue;
      level[p - s.min] = v;
      omega[p - s.min] = w;
    }
  }
  const out = { prefixes, ramps, wsat, level, omega };
  rampCache.set(s, out);
  return out;
}

/**
 * A short run (at most `limit`, greedy) of output terms ω ⊗ v with levels 1 ≤ v ≤ vmax taking the accumulator
 * from `from` to `to` under the real ⊕, as [v, ω] pairs, or null.
 */
function levelPath(
  s: Setting,
  T: RampTables,
  from: number,
  to: number,
  vmax: number,
  limit = 8,
): Array<[number, number]> | null {
  if (from === to) return [];
  if (limit === 0) return null;
  const usable = (p: number) => p !== 0 && T.level[p - s.min] !== 0 && T.level[p - s.min] <= vmax;
  const term = (p: number): [number, number] => [T.level[p - s.min], T.omega[p - s.min]];
  for (let p = s.min; p <= s.max; p++) if (usable(p) && s.add(from, p) === to) return [term(p)];
  if (limit === 1) return null;
  // otherwise the first term moves as close to `to` as the levels allow
  let bestP = 0;
  for (let q = s.min; q <= s.max; q++) {
    if (!usable(q)) continue;
    const mid = s.add(from, q);
    if (mid >= s.min && (bestP === 0 || Math.abs(to - mid) < Math.abs(to - s.add(from, bestP)))) bestP = q;
  }
  if (bestP === 0) return null;
  const rest = levelPath(s, T, s.add(from, bestP), to, vmax, limit - 1);
  return rest ? [term(bestP), ...rest] : null;
}

/**
 * Ramps (d = 1, relu-shaped σ_F, saturating overflow, sequential accumulation): telescoping as in
 * `compileSteps`, with each threshold ONE neuron σ_F(w ⊗ r(x) ⊕ b) on a shared ramp r. A ramp is
 * monotone in x; where w ⊗ r(x) saturates at max (every x on the threshold's side, since r is
 * monotone) the neuron outputs v = σ_F(max ⊕ b), and where w ⊗ r(x) ⊕ b ≤ 0 (the other side) it outputs
 * 0: a two-level signal whose level v is free up to how far the ramp climbs across the threshold.
 * Layers: shift prefixes σ_F(±x ⊕ b0), ramps σ_F(g ⊗ p ⊕ b), threshold neurons, the output. Each
 * output term ω ⊗ v comes from its own threshold neuron (one edge per pair of neurons); a jump larger
 * than one term allows takes two neurons on the same ramp. Ramps are chosen greedily (lazy gains).
 */
export function compileRamps(s: Setting, table: Int32Array, d: number): Compilation | null {
  if (d !== 1 || s.accumulation === 'exact' || s.weightSet !== 'all') return null;
  if (s.policy.overflow !== 'saturate' || !reluShaped(s)) return null;
  // the candidate ramps are |𝕀|-long tables, about 90·|𝕀| of them: formats up to 8 bits
  if (s.size > 256) return null;
  const T = rampTables(s);
  const f = (x: number) => table[x - s.min];
  const ts: number[] = [];
  for (let t = s.min + 1; t <= s.max; t++) if (f(t) !== f(t - 1)) ts.push(t);
  if (ts.length === 0) return null;
  const INF = 1000;
  // per threshold and orientation: the ramps serving it, with the largest level each allows
  type Serve = { ramp: number; vmax: number; w: number; cost: number };
  const serveOf = (t: number, type: 'U' | 'L'): Serve[] => {
    const on = (type === 'U' ? t : t - 1) - s.min;
    const off = (type === 'U' ? t - 1 : t) - s.min;
    const [from, to] = type === 'U' ? [f(t - 1), f(t)] : [f(t), f(t - 1)];
    const out: Serve[] = [];
    const memo = new Map<number, number>();
    T.ramps.forEach((r, k) => {
      if (r.up !== (type === 'U')) return;
      const hOn = r.values[on];
      const hOff = r.values[off];
      if (hOn === hOff) return;
      const w = T.wsat[hOn - s.min];
      if (w === 0) return;
      const preOff = s.mul(w, hOff);
      const bmax = Math.min(s.max, -preOff);
      if (bmax < s.min) return;
      const vmax = Math.min(s.max, s.add(s.max, bmax));
      if (vmax < 1) return;
      let cost = memo.get(vmax);
      if (cost === undefined) {
        const path = levelPath(s, T, from, to, vmax);
        memo.set(vmax, (cost = path ? 3 * path.length : INF));
      }
      if (cost < INF) out.push({ ramp: k, vmax, w, cost });
    });
    return out;
  };
  const serveU = new Map<number, Serve[]>();
  const serveL = new Map<number, Serve[]>();
  for (const t of ts) {
    serveU.set(t, serveOf(t, 'U'));
    serveL.set(t, serveOf(t, 'L'));
  }
  const anchorPath = (c: number) => levelPath(s, T, 0, f(c), s.max);
  type Plan = { cost: number; c: number; pick: Map<number, Serve> };
  let best: Plan | null = null;
  const anchors = new Set<number>([s.min, s.max, 0]);
  for (const c of anchors) {
    if (c < s.min || c > s.max) continue;
    const start = anchorPath(c);
    if (!start) continue;
    // ramp → [(t, cost)] for this anchor's orientations
    const byRamp = new Map<number, Array<[number, Serve]>>();
    for (const t of ts) {
      for (const sv of (t <= c ? serveL : serveU).get(t)!) {
        let list = byRamp.get(sv.ramp);
        if (!list) byRamp.set(sv.ramp, (list = []));
        list.push([t, sv]);
      }
    }
    const cur = new Map<number, number>(ts.map((t) => [t, INF]));
    const pick = new Map<number, Serve>();
    const prefixUsed = new Set<number>();
    const rampCost = (k: number) => 2 + (prefixUsed.has(T.ramps[k].prefix) ? 0 : 2);
    const gainOf = (k: number) => {
      let g = -rampCost(k);
      for (const [t, sv] of byRamp.get(k)!) g += Math.max(0, cur.get(t)! - sv.cost);
      return g;
    };
    // lazy greedy on a max-heap of gains: a popped gain is recomputed; if it fell below the next
    // gain, the ramp goes back in with its new gain
    const heap = new GainHeap();
    for (const k of byRamp.keys()) heap.push(gainOf(k), k);
    while (heap.size > 0) {
      const [g0, k] = heap.pop();
      const g = gainOf(k);
      if (g < g0 && heap.size > 0 && g < heap.top()) {
        heap.push(g, k);
        continue;
      }
      if (g <= 0) break;
      prefixUsed.add(T.ramps[k].prefix);
      for (const [t, sv] of byRamp.get(k)!) {
        if (sv.cost < cur.get(t)!) {
          cur.set(t, sv.cost);
          pick.set(t, sv);
        }
      }
    }
    if (pick.size !== ts.length) continue;
    const used = new Set([...pick.values()].map((sv) => sv.ramp));
    const prefixes = new Set([...used].map((k) => T.ramps[k].prefix));
    let cost = 2 * used.size + 2 * prefixes.size + 2 * start.length;
    for (const t of ts) cost += cur.get(t)!;
    if (!best || cost < best.cost) best = { cost, c, pick };
  }
  if (!best) return null;
  const { c, pick } = best;
  const nb = new NetBuilder(1, [s.one, 0]);
  const prefixIds = new Map<number, number>();
  const rampIds = new Map<number, number>();
  const rampId = (k: number): number => {
    let id = rampIds.get(k);
    if (id === undefined) {
      const r = T.ramps[k];
      let p = prefixIds.get(r.prefix);
      if (p === undefined) {
        const pr = T.prefixes[r.prefix];
        prefixIds.set(r.prefix, (p = nb.add(1, pr.b, [[0, pr.w]])));
      }
      rampIds.set(k, (id = nb.add(2, r.b, [[p, r.g]])));
    }
    return id;
  };
  const outEdges: Array<[number, number]> = [];
  for (const [v, w] of anchorPath(c)!) outEdges.push([nb.add(3, v, []), w]);
  const ordered = [
    ...ts.filter((t) => t <= c).sort((a, b) => b - a),
    ...ts.filter((t) => t > c).sort((a, b) => a - b),
  ];
  for (const t of ordered) {
    const sv = pick.get(t)!;
    const type = t <= c ? 'L' : 'U';
    const path =
      type === 'U' ? levelPath(s, T, f(t - 1), f(t), sv.vmax) : levelPath(s, T, f(t), f(t - 1), sv.vmax);
    if (!path) return null;
    const ramp = T.ramps[sv.ramp];
    const on = type === 'U' ? (x: number) => x >= t : (x: number) => x <= t - 1;
    for (const [v, w] of path) {
      const b = v - s.max;
      // the threshold neuron, checked on every input (the search above reasons on the boundary only)
      for (let x = s.min; x <= s.max; x++) {
        if (unary(s, sv.w, ramp.values[x - s.min], b) !== (on(x) ? v : 0)) return null;
      }
      outEdges.push([nb.add(3, b, [[rampId(sv.ramp), sv.w]]), w]);
    }
  }
  nb.add(4, 0, outEdges);
  return { net: nb.build(), beta: 0, boxes: ts.length, method: 'steps' };
}
