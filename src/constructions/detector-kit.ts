/**
 * Shared pieces of the certificate constructions (docs/construction.md, "The compiler", items 1–2): β
 * and the emitters, threshold chains, interval detectors, AND trees and the output sum.
 */
import {
  buildEmitters,
  type Certificate,
  type Emitter,
  findAndNot,
  ThresholdFinder,
} from '../engine/certificate.js';
import type { Step } from '../engine/chain-solver.js';
import type { Gadget } from '../engine/gadget.js';
import type { Setting } from '../engine/setting.js';
import { type Compilation, levelsOf, type Method } from './compilation.js';
import { NetBuilder } from './net-builder.js';

/**
 * Shared machinery of the constructions: β and emitters, threshold chains, interval detectors (all
 * ending at one layer), AND trees and the output neuron, on a NetBuilder.
 */
export class DetectorKit {
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
