/**
 * Steps (docs/construction.md, "The compiler", item 3): for d = 1 and sequential accumulation,
 * f(x) = f(c) + the increments of threshold signals, taken in an order whose partial sums are values of f.
 */
import { type Certificate, candidateEs, ThresholdFinder } from '../engine/certificate.js';
import { type Step, solveChain } from '../engine/chain-solver.js';
import { layeredSize } from '../engine/layered-net.js';
import { isZeroIdle, kills, type Levels, zeroLevels } from '../engine/levels.js';
import type { Setting } from '../engine/setting.js';
import { type Compilation, levelsOf } from './compilation.js';
import { NetBuilder } from './net-builder.js';
import { compileRamps } from './ramps.js';

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

/** Threshold finders per setting and levels: their chains depend on neither the table nor the seed. */
const finders = new WeakMap<Setting, Map<string, ThresholdFinder>>();

function finderFor(s: Setting, lv: Levels): ThresholdFinder {
  let m = finders.get(s);
  if (!m) finders.set(s, (m = new Map()));
  const key = `${lv.a}:${lv.idle.join(',')}`;
  let f = m.get(key);
  if (!f) m.set(key, (f = new ThresholdFinder(s, lv, true)));
  return f;
}

function compileStepsWith(s: Setting, lv: Levels, delay: Step, table: Int32Array): Compilation | null {
  const e = lv.a;
  const K = (() => {
    for (let b = s.min; b <= s.max; b++) if (s.sigma[b - s.min] === e) return b;
    return null;
  })();
  if (K === null) return null;
  const finder = finderFor(s, lv);
  const prefixes: Step[] = [];
  // shared prefixes pay off through the interval search, which needs a monotone σ_F (cost otherwise)
  if (s.one <= s.max && s.monotone) {
    // weights and biases are codes of the format: on an unsigned format neither −1 nor a negative bias is
    // (they gave the network format's `error:` on UQ1.2 under wrap, after the network was built)
    for (const w0 of [s.one, -s.one]) {
      if (w0 < s.min) continue;
      for (const f of [0, 0.25, -0.25, 0.5, -0.5, 0.75, -0.75]) {
        const b0 = Math.round(f * s.max);
        if (b0 < s.min) continue;
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
