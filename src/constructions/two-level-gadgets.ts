/**
 * Two-level tables through gadgets (docs/construction.md, "Two-level tables through gadgets"): the
 * two-level table of `two-level.ts` for any σ_F with σ_F(b0) = 0 for some bias b0 (gelu, silu, elu,
 * mish, tanh, identity, leaky-relu, softplus and sigmoid where σ_F has a zero), overflow saturate, all
 * weights, 1 a value, d = 2. Each coordinate gets saturating steps (`saturating-steps.ts`, exact
 * two-level signals for every threshold), and from them window neurons (`window-neuron.ts`): one-hot
 * column indicators I_c = one·[x2 = c] and row gates G_r = one·[x1 ≠ r], exact on every value. Per row
 * r, a few "kind" neurons R = σ_F(Σ_c w_c ⊗ I_c ⊕ Σ_j γ_j ⊗ G_r^(j) ⊕ b), read by the output with a
 * weight ω: a kind (ω, b) carries the entries T it can make, T = ω ⊗ σ_F(w ⊗ one ⊕ b) for some w, and
 * ω ⊗ σ_F(b) = 0 (a column it does not carry adds nothing). Outside its row the gate copies (weights
 * γ = min, min, then max, ε) saturate the sum to min (and climb back to 0): each neuron's outside
 * pre-activations are computed for every column it carries and checked to be killed by ω. Inside its
 * row a neuron sees exactly its entry's term (zero terms change nothing, docs/theory.md §8 Lemma A), so
 * the output adds exactly T, or nothing for a zero entry.
 */
import { layeredSize } from '../engine/layered-net.js';
import { contributesNothing } from '../engine/levels.js';
import { neuron, type Setting } from '../engine/setting.js';
import type { Compilation, Construction, Target } from './compilation.js';
import { NetBuilder } from './net-builder.js';
import { reluShaped } from './relu-shaped.js';
import { type SatStep, SaturatingSteps } from './saturating-steps.js';
import { findWindow } from './window-neuron.js';

/** Gate patterns, cheapest first: the weights of the gate copies read after the entries. */
function gatePatterns(s: Setting): number[][] {
  return [[s.min], [s.min, s.min], [s.min, s.min, s.max, 1]];
}

/** A kind: output weight ω and bias b, with inv[T − min] = a weight w making T (or NaN). */
interface Kind {
  readonly omega: number;
  readonly b: number;
  readonly inv: Float64Array;
}

const kindCache = new WeakMap<Setting, Kind[]>();

/** The candidate output weights: all weights on small formats, a spread of gains above. */
function omegaCandidates(s: Setting): number[] {
  if (s.size <= 512) {
    const out: number[] = [];
    for (let w = s.min; w <= s.max; w++) if (w !== 0) out.push(w);
    // the ±one first: they make the most entries on near-identity σ_F
    return out.sort((a, b) => Math.abs(Math.abs(a) - s.one) - Math.abs(Math.abs(b) - s.one));
  }
  const out = new Set<number>();
  for (const m of [1, 2, 3, 4, 6, 8, 12, 16]) {
    for (let p = s.one; p >= 1 && p <= s.max * 16; p *= 2) {
      const w = Math.round((p * m) / 4);
      for (const v of [w, -w]) if (v >= s.min && v <= s.max && v !== 0) out.add(v);
    }
  }
  out.add(s.min);
  out.add(s.max);
  return [...out].sort((a, b) => Math.abs(Math.abs(a) - s.one) - Math.abs(Math.abs(b) - s.one));
}

/** Every kind (ω, b) with ω ⊗ σ_F(b) = 0, and the entries it makes. */
function kindsOf(s: Setting): Kind[] {
  const hit = kindCache.get(s);
  if (hit) return hit;
  const biases: number[] = [];
  if (s.sigma[-s.min] === 0) biases.push(0);
  // the largest zero of σ_F below 0 (a wider range of entries above it) and min
  for (let p = -1; p >= s.min; p--) {
    if (s.sigma[p - s.min] === 0) {
      if (!biases.includes(p)) biases.push(p);
      break;
    }
  }
  const kinds: Kind[] = [];
  const values = new Float64Array(s.size);
  for (const b of biases) {
    for (let w = s.min; w <= s.max; w++) values[w - s.min] = neuron(s, [w], [s.one], b);
    for (const omega of omegaCandidates(s)) {
      if (!contributesNothing(s, omega, neuron(s, [], [], b))) continue;
      const inv = new Float64Array(s.size).fill(Number.NaN);
      let any = false;
      for (let w = s.min; w <= s.max; w++) {
        const v = values[w - s.min];
        if (!(v >= s.min)) continue;
        const t = s.accumulation === 'exact' ? s.roundWide(omega * v) : s.mul(omega, v);
        if (t === 0 || !(t >= s.min) || !Number.isNaN(inv[t - s.min])) continue;
        inv[t - s.min] = w;
        any = true;
      }
      if (any) kinds.push({ omega, b, inv });
    }
  }
  kindCache.set(s, kinds);
  return kinds;
}

/** One row neuron: its kind, its entries (column index, weight) and its gate pattern. */
interface RowNeuron {
  readonly kind: Kind;
  readonly entries: Array<[number, number]>;
  readonly pattern: number[];
}

/**
 * The row neurons of one row (entries[c] the table value at column c): a greedy cover of the nonzero
 * entries by kinds, each neuron with the cheapest gate pattern whose outside pre-activations ω kills.
 * Null when some entry has no kind or no pattern works.
 */
function rowNeurons(s: Setting, kinds: readonly Kind[], entries: ArrayLike<number>): RowNeuron[] | null {
  const left = new Set<number>();
  for (let c = 0; c < entries.length; c++) if (entries[c] !== 0) left.add(c);
  const out: RowNeuron[] = [];
  const patterns = gatePatterns(s);
  const usedKinds = new Set<Kind>();
  while (left.size > 0) {
    let best: Kind | null = null;
    let bestCount = 0;
    for (const k of kinds) {
      if (usedKinds.has(k)) continue;
      let n = 0;
      for (const c of left) if (!Number.isNaN(k.inv[entries[c] - s.min])) n++;
      if (n > bestCount) {
        best = k;
        bestCount = n;
      }
    }
    if (!best) return null;
    usedKinds.add(best);
    const es: Array<[number, number]> = [];
    for (const c of [...left]) {
      const w = best.inv[entries[c] - s.min];
      if (Number.isNaN(w)) continue;
      es.push([c, w]);
      left.delete(c);
    }
    // outside the row: the active column's term (or none) then the gate copies at one
    let pattern: number[] | null = null;
    for (const p of patterns) {
      const ones = p.map(() => s.one);
      const killed = (ws: number[], hs: number[]) =>
        contributesNothing(s, best!.omega, neuron(s, [...ws, ...p], [...hs, ...ones], best!.b));
      let ok = killed([], []);
      for (let i = 0; i < es.length && ok; i++) ok = killed([es[i][1]], [s.one]);
      if (ok) {
        pattern = p;
        break;
      }
    }
    if (!pattern) return null;
    out.push({ kind: best, entries: es, pattern });
  }
  return out;
}

/** Steps for the thresholds of one coordinate, padded to one depth, or null. */
function stepsFor(ss: SaturatingSteps, thresholds: readonly number[]): { steps: SatStep[]; depth: number } | null {
  const steps: SatStep[] = [];
  for (const t of thresholds) {
    const st = ss.step(t);
    if (!st) return null;
    steps.push(st);
  }
  let depth = 0;
  for (const st of steps) depth = Math.max(depth, st.chain.length);
  for (let i = 0; i < steps.length; i++) {
    while (steps[i].chain.length < depth) {
      const p = ss.pad(steps[i]);
      if (!p) return null;
      steps[i] = p;
    }
  }
  return { steps, depth };
}

/**
 * Windows over the steps of one coordinate (values v_0 < … < v_{n−1}, step i at threshold v_{i+1}):
 * per value its indicator one·[x = v] and its gate one·[x ≠ v] as window neurons (ws, b) over the
 * steps (i − 1, i) around it, or null.
 */
interface Windows {
  readonly ind: Array<{ src: number[]; ws: readonly number[]; b: number }>;
  readonly gate: Array<{ src: number[]; ws: readonly number[]; b: number }>;
}

function windowsFor(s: Setting, steps: readonly SatStep[], n: number, wantGates: boolean): Windows | null {
  const ind: Windows['ind'] = [];
  const gate: Windows['gate'] = [];
  for (let i = 0; i < n; i++) {
    const src: number[] = [];
    const states: number[][] = [];
    // steps below (threshold v_i, index i − 1) and above (threshold v_{i+1}, index i)
    const lo = i > 0 ? steps[i - 1] : null;
    const hi = i < n - 1 ? steps[i] : null;
    if (lo) src.push(i - 1);
    if (hi) src.push(i);
    const st = (below: boolean, inside: boolean): number[] => {
      const v: number[] = [];
      if (lo) v.push(below ? lo.lb : lo.la);
      if (hi) v.push(inside || below ? hi.lb : hi.la);
      return v;
    };
    if (lo) states.push(st(true, false));
    states.push(st(false, true));
    if (hi) states.push(st(false, false));
    const targetsOf = (gateOf: boolean) =>
      states.map((_, k) => {
        const isInside = (lo ? k === 1 : k === 0) !== gateOf;
        return isInside ? s.one : 0;
      });
    const wi = findWindow(s, states, targetsOf(false));
    if (!wi) return null;
    ind.push({ src, ws: wi.ws, b: wi.b });
    if (wantGates) {
      const wg = findWindow(s, states, targetsOf(true));
      if (!wg) return null;
      gate.push({ src, ws: wg.ws, b: wg.b });
    }
  }
  return { ind, gate };
}

/** The setting hypotheses (docs/construction.md, "Two-level tables through gadgets"). */
export function gadgetTwoLevelApplies(s: Setting): boolean {
  return (
    s.weightSet === 'all' &&
    s.policy.overflow === 'saturate' &&
    s.one <= s.max &&
    s.sigma.includes(0) &&
    !reluShaped(s)
  );
}

/** A built network and its size, cached per table (plan and build share it). */
const built = new WeakMap<Int32Array, { d: number; s: Setting; c: Compilation | null }>();

function buildOrCached(t: Target): Compilation | null {
  const hit = built.get(t.table);
  if (hit && hit.d === t.d && hit.s === t.s) return hit.c;
  const c = gadgetTwoLevelApplies(t.s) && t.d === 2 ? buildTwo(t.s, t.table) : null;
  built.set(t.table, { d: t.d, s: t.s, c });
  return c;
}

/** The two-level network for d = 2 (rows x1, columns x2). */
function buildTwo(s: Setting, table: Int32Array): Compilation | null {
  const N = s.size;
  const kinds = kindsOf(s);
  // the row neurons first: they decide how many gate copies each row needs
  const rows: RowNeuron[][] = [];
  for (let r = 0; r < N; r++) {
    const rn = rowNeurons(s, kinds, table.subarray(r * N, (r + 1) * N));
    if (!rn) return null;
    rows.push(rn);
  }
  const ss = new SaturatingSteps(s);
  const thresholds = Array.from({ length: N - 1 }, (_, i) => s.min + 1 + i);
  const st = stepsFor(ss, thresholds);
  if (!st) return null;
  const win = windowsFor(s, st.steps, N, true);
  if (!win) return null;
  const D = st.depth;
  const nb = new NetBuilder(2, [0, 0]);
  // steps of both coordinates, layers 1..D
  const stepIds: number[][] = [[], []];
  for (const coord of [0, 1]) {
    for (const step of st.steps) {
      let id = coord;
      step.chain.forEach(([w, b], k) => {
        id = nb.add(k + 1, b, [[id, w]]);
      });
      stepIds[coord].push(id);
    }
  }
  const windowNode = (coord: number, w: { src: number[]; ws: readonly number[]; b: number }) =>
    nb.add(
      D + 1,
      w.b,
      w.src.map((i, k) => [stepIds[coord][i], w.ws[k]] as [number, number]),
    );
  const I = win.ind.map((w) => windowNode(1, w));
  const out: Array<[number, number]> = [];
  let neurons = 0;
  for (let r = 0; r < N; r++) {
    const rn = rows[r];
    if (rn.length === 0) continue;
    let copies = 0;
    for (const n of rn) copies = Math.max(copies, n.pattern.length);
    const G = Array.from({ length: copies }, () => windowNode(0, win.gate[r]));
    for (const n of rn) {
      const edges: Array<[number, number]> = n.entries.map(([c, w]) => [I[c], w]);
      n.pattern.forEach((g, j) => {
        edges.push([G[j], g]);
      });
      out.push([nb.add(D + 2, n.kind.b, edges), n.kind.omega]);
      neurons++;
    }
  }
  if (out.length === 0) return null;
  nb.add(D + 3, 0, out);
  return { net: nb.build(), beta: 0, boxes: neurons, method: 'two-level-gadgets' };
}

/** The parameters of the network (built once and cached), or null when the construction does not apply. */
export function planTwoLevelGadgets(t: Target): number | null {
  if (!gadgetTwoLevelApplies(t.s) || t.d !== 2) return null;
  const c = buildOrCached(t);
  return c ? layeredSize(c.net).parameters : null;
}

export const twoLevelGadgets: Construction = {
  name: 'two-level-gadgets',
  summary:
    'any σ_F with a zero: saturating steps, one-hot columns and row gates, per row a few kind neurons (d = 2)',
  plan: planTwoLevelGadgets,
  build: buildOrCached,
};
