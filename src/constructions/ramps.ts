/**
 * Ramps (docs/construction.md, "The compiler", item 3, Ramps): the telescoping of `steps.ts` for relu
 * with saturation (d = 1, ≤ 8 bits), each threshold one neuron on a shared ramp with a free output level.
 */
import { type Setting, unary } from '../engine/setting.js';
import type { Compilation } from './compilation.js';
import { GainHeap } from './gain-heap.js';
import { NetBuilder } from './net-builder.js';
import { reluShaped } from './relu-shaped.js';

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
