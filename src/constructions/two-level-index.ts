/**
 * Two-level tables over a rounded block index (relu, d = 1; proof: docs/construction.md, "Two-level
 * tables", "d = 1: a rounded block index"). Hypotheses those of two-level.ts (σ_F relu on codes, overflow
 * saturate, all weights, 2·one ≤ max), the bias last or exact accumulation, and the checks below passing.
 *
 * **Statement.** Let y = relu(w1 ⊗ x ⊕ c1) (w1 > 0, a power of two below one): y is non-decreasing in x,
 * so its level sets are B runs of consecutive codes, the blocks (rows), with values y_0 < … < y_{B−1}.
 * Let v1 = relu((−k·one) ⊗ y ⊕ k·y_m) = k·(y_m − y)⁺ and v2 = relu((k·one) ⊗ y ⊕ (−k·y_m)) = k·(y − y_m)⁺
 * (y_m the value of y at x = 0), h1 = relu(x), h2 = relu(x ⊕ max), K = relu(one) and the corner step
 * Y = λ·[x = min], and rem = relu(min ⊗ K ⊕ h2 ⊕ ω1 ⊗ v1 ⊕ h1 ⊕ ω2 ⊗ v2 ⊕ κ ⊗ Y ⊕ β) (edges in this order).
 * If rem takes distinct values on the codes of every block (checked on all of 𝕀 from the definitions),
 * the columns are its values 0 … R − 1. Let I_c = one·[rem = c] (bumps.ts), and gates G_q on ramps of
 * shifts of y (carried one layer) with G_q = 0 on block q and G_q ∈ [one, max], min ⊗ G_q = min on every
 * other block (checked on the B values of y). Then the row neurons of two-level.ts over the grid
 * (block, rem) — per block its positive, negative and min entries over the I_c, one gate edge (G_q, min),
 * bias 0 — and the output neuron compute the table on every input: at x in block q with rem(x) = c only
 * I_c is one and every gate but G_q is in [one, max], pulling its neurons' sums to at most max + min < 0
 * (the gating lemma, unchanged as min ⊗ G = min), while block q's neurons sum exactly their entry at
 * (q, c), which is f(x) because rem is injective on block q.
 * **Size.** Everything but the rows is O(B + R): 24 for y, its delay, v1, v2, h1, h2 and their delays,
 * K and rem, 4 for the corner step; 2 per shift and per ramp and 3 per gate (2 at the ends); the bumps of rem
 * (5 per column). The rows cost one edge per nonzero entry and 3 per (block, sign class). This replaces
 * the per-block steps, remainder edge, delays and windows of two-level.ts (12 per block) by about 5.
 */
import { layeredSize } from '../engine/layered-net.js';
import { neuron, preActivation, type Setting, unary } from '../engine/setting.js';
import { type BumpRecipe, buildBumps } from './bumps.js';
import type { Compilation, Construction, Target } from './compilation.js';
import { NetBuilder } from './net-builder.js';
import {
  addRows,
  remBumps,
  rowsCost,
  type ShallowRecipe,
  shallowRecipe,
  twoLevelApplies,
} from './two-level.js';
import { type GateRecipe, gateRecipe } from './wide-gates.js';

/** The shared part of the construction for one setting: index, remainder, columns and gates. */
export interface IndexRecipe {
  readonly w1: number;
  readonly c1: number;
  /** v1 = relu(a1 ⊗ y ⊕ b1) (a1 < 0), v2 = relu(a2 ⊗ y ⊕ b2) (a2 > 0), both 0 at y = y(0). */
  readonly a1: number;
  readonly b1: number;
  readonly a2: number;
  readonly b2: number;
  readonly corner: ShallowRecipe;
  /** The remainder's weights on v1, v2 and the corner step, and its bias. */
  readonly omega1: number;
  readonly omega2: number;
  readonly kappa: number;
  readonly beta: number;
  readonly B: number;
  /** Rows: B, or B − 1 when the two end blocks (disjoint columns) share row 0. */
  readonly rows: number;
  readonly R: number;
  /** Block and column of every position p = x − min. */
  readonly block: Int32Array;
  readonly col: Int32Array;
  readonly gates: GateRecipe;
  readonly fine: BumpRecipe;
  /** Parameters of everything but the row neurons and the output bias. */
  readonly cost: number;
}

/** h1 = relu(x), h2 = relu(x ⊕ max) at position p (x = min + p). */
const h1At = (s: Setting, p: number) => unary(s, s.one, s.min + p, 0);
const h2At = (s: Setting, p: number) => unary(s, s.one, s.min + p, s.max);

/**
 * The candidate index recipes of a setting: every w1 = 2^a < one whose blocks have about √N/4 to 8·√N
 * codes, k the least power of two with F·one/k ≤ max (F = one/w1, the nominal block length), ω1 = F·one/k
 * and ω2 = −ω1 (so ω1 ⊗ v1 + ω2 ⊗ v2 = F·(y_m − y) where no product saturates); each remainder checked
 * injective on every block (all N inputs), with its columns' bumps and the gates.
 */
export function indexRecipes(s: Setting): IndexRecipe[] {
  const N = s.size;
  const one = s.one;
  if (s.accumulation === 'sequential' && s.bias === 'first') return [];
  const corner = shallowRecipe(s, [1]);
  if (!corner) return [];
  const sqrt = Math.sqrt(N);
  const out: IndexRecipe[] = [];
  for (let w1 = 1; w1 < one; w1 *= 2) {
    const c1 = -s.mul(w1, s.min);
    if (!(c1 >= s.min && c1 <= s.max)) continue;
    const y = new Float64Array(N);
    for (let p = 0; p < N; p++) y[p] = unary(s, w1, s.min + p, c1);
    // the values of y (y is non-decreasing in x: w1 > 0, monotone rounding, saturating ⊕, relu)
    const yvals: number[] = [y[0]];
    for (let p = 1; p < N; p++) if (y[p] !== y[p - 1]) yvals.push(y[p]);
    const ym = y[-s.min];
    // v = relu(±a ⊗ (y − ym)): a = k·one scales (v steps by k per value of y), a = one/c coarsens
    // (v steps by 1 per c values of y)
    const weights: Array<{ a: number; dv: number; F: number }> = [];
    for (let k = 1; k * one <= s.max; k *= 2) weights.push({ a: k * one, dv: k, F: one / w1 });
    for (let c = 2; c <= 4; c *= 2)
      if (Number.isInteger(one / c)) weights.push({ a: one / c, dv: 1, F: (c * one) / w1 });
    for (const { a, dv, F } of weights) {
      if (F < sqrt / 4 || F > 8 * sqrt) continue;
      // ω1 ⊗ v1 + ω2 ⊗ v2 ≈ F·(ym − y)/… per block: exact where F·one/dv is a weight, else off by at
      // most one ε per block (the columns then spread a little; the check below decides)
      const ideal = (F * one) / dv;
      if (!Number.isInteger(ideal) || ideal > -s.min) continue;
      const omega1 = Math.min(s.max, ideal);
      const omega2 = Math.max(s.min, -ideal);
      const b1 = -s.mul(-a, ym);
      const b2 = -s.mul(a, ym);
      if (b1 < s.min || b1 > s.max || b2 < s.min || b2 > s.max) continue;
      const v1 = new Float64Array(N);
      const v2 = new Float64Array(N);
      for (let p = 0; p < N; p++) {
        v1[p] = unary(s, -a, y[p], b1);
        v2[p] = unary(s, a, y[p], b2);
      }
      // blocks: the runs of equal (v1, v2), unions of level sets of y
      const starts: number[] = [0];
      for (let p = 1; p < N; p++) if (v1[p] !== v1[p - 1] || v2[p] !== v2[p - 1]) starts.push(p);
      const B = starts.length;
      if (B < 3) continue;
      const rec = finish(s, corner, y, yvals, v1, v2, starts, omega1, omega2);
      if (rec) out.push({ ...rec, w1, c1, a1: -a, b1, a2: a, b2 });
    }
  }
  return out;
}

/** The remainder, its corner weight, the columns' bumps and the gates of one index, or null. */
function finish(
  s: Setting,
  corner: ShallowRecipe,
  y: Float64Array,
  yvals: readonly number[],
  v1: Float64Array,
  v2: Float64Array,
  starts: readonly number[],
  omega1: number,
  omega2: number,
): Omit<IndexRecipe, 'w1' | 'c1' | 'a1' | 'b1' | 'a2' | 'b2'> | null {
  const N = s.size;
  const one = s.one;
  const B = starts.length;
  {
    // the corner moves x = min off the column of min + ε (same h1, h2 and y): to a column that neither
    // the rest of block 0 nor the last block uses, so the two end blocks can share a row; else by −1
    const r0 = remainder(s, v1, v2, starts, omega1, omega2, 0, corner, true);
    const kappas: number[] = [];
    if (r0) {
      const used = new Set<number>();
      for (let p = 1; p < N; p++) if (r0.block[p] === 0 || r0.block[p] === B - 1) used.add(r0.col[p]);
      let free = -1;
      for (let c = 0; c < r0.R && free < 0; c++) if (!used.has(c)) free = c;
      const kf = ((free - r0.col[0]) * one) / corner.level;
      if (free >= 0 && Number.isInteger(kf) && kf !== 0 && kf >= s.min && kf <= s.max) kappas.push(kf);
    }
    kappas.push(-one / corner.level);
    let r: ReturnType<typeof remainder> = null;
    let kappa = 0;
    for (const kc of kappas) {
      if (!Number.isInteger(kc) || kc < s.min || kc > s.max) continue;
      r = remainder(s, v1, v2, starts, omega1, omega2, kc, corner);
      kappa = kc;
      if (r) break;
    }
    if (!r) return null;
    const fine = remBumps(s, r.R);
    // the gates' positions are the values of y; block of each
    const blockOfY: number[] = [];
    for (let p = 0; p < N; p++) if (p === 0 || y[p] !== y[p - 1]) blockOfY.push(r.block[p]);
    if (blockOfY.length !== yvals.length) return null;
    // the end blocks share a row when their columns are disjoint and the merged gate exists
    const endCols = new Set<number>();
    for (let p = 0; p < N; p++) if (r.block[p] === 0) endCols.add(r.col[p]);
    let disjoint = true;
    for (let p = 0; p < N; p++) if (r.block[p] === B - 1 && endCols.has(r.col[p])) disjoint = false;
    const merged = disjoint ? gateRecipe(s, yvals, true, blockOfY) : null;
    const gates = merged ?? gateRecipe(s, yvals, false, blockOfY);
    if (!fine || !gates) return null;
    return {
      corner,
      omega1,
      omega2,
      kappa,
      beta: r.beta,
      B,
      rows: merged ? B - 1 : B,
      R: r.R,
      block: r.block,
      col: r.col,
      gates,
      fine,
      cost: FIXED + corner.cost + gates.cost + fine.cost,
    };
  }
}

/** y, its delay, v1, v2 (2 each), h1, h2 and their delays (8), K (1), rem (6 edges and a bias). */
const FIXED = 2 + 2 + 2 + 2 + 8 + 1 + 7;

/**
 * rem = relu(min ⊗ K ⊕ h2 ⊕ ω1 ⊗ v1 ⊕ h1 ⊕ ω2 ⊗ v2 ⊕ κ ⊗ Y ⊕ β) on every position, with β the least bias
 * making it ≥ 0 where its pre-activation is smallest; null unless it is injective on every block
 * (`skipMin`: x = min left out of both, its column reported as computed).
 */
function remainder(
  s: Setting,
  v1: Float64Array,
  v2: Float64Array,
  starts: readonly number[],
  omega1: number,
  omega2: number,
  kappa: number,
  corner: ShallowRecipe,
  skipMin = false,
): { beta: number; R: number; block: Int32Array; col: Int32Array } | null {
  const N = s.size;
  const ws = [s.min, s.one, omega1, s.one, omega2, kappa];
  const hs = [s.one, 0, 0, 0, 0, 0];
  const at = (p: number) => {
    hs[1] = h2At(s, p);
    hs[2] = v1[p];
    hs[3] = h1At(s, p);
    hs[4] = v2[p];
    hs[5] = p < 1 ? corner.level : 0;
  };
  let low = Number.POSITIVE_INFINITY;
  for (let p = skipMin ? 1 : 0; p < N; p++) {
    at(p);
    low = Math.min(low, preActivation(s, ws, hs, 0));
  }
  const beta = -low;
  if (!(beta >= s.min && beta <= s.max)) return null;
  const block = new Int32Array(N);
  const col = new Int32Array(N);
  let R = 0;
  for (let q = 0; q < starts.length; q++) {
    const end = q + 1 < starts.length ? starts[q + 1] : N;
    const seen = new Set<number>();
    for (let p = starts[q]; p < end; p++) {
      at(p);
      const c = neuron(s, ws, hs, beta);
      if (p === 0 && skipMin) {
        col[p] = c;
        continue;
      }
      if (seen.has(c)) return null;
      seen.add(c);
      block[p] = q;
      col[p] = c;
      if (c + 1 > R) R = c + 1;
    }
  }
  return R >= 2 ? { beta, R, block, col } : null;
}

const recipeCache = new WeakMap<Setting, IndexRecipe[]>();

function recipesOf(s: Setting): IndexRecipe[] {
  let r = recipeCache.get(s);
  if (!r) recipeCache.set(s, (r = indexRecipes(s)));
  return r;
}

/** The table as a B × R grid (block, column); cells no input reaches are 0. */
function grid(r: IndexRecipe, table: Int32Array): Int32Array {
  const g = new Int32Array(r.rows * r.R);
  for (let p = 0; p < table.length; p++) g[rowOf(r, r.block[p]) * r.R + r.col[p]] = table[p];
  return g;
}

/** The row of block q: q, except the last block, which shares row 0 when the ends are merged. */
const rowOf = (r: IndexRecipe, q: number) => (r.rows < r.B && q === r.B - 1 ? 0 : q);

function best(s: Setting, table: Int32Array): { r: IndexRecipe; plan: number } | null {
  let out: { r: IndexRecipe; plan: number } | null = null;
  for (const r of recipesOf(s)) {
    const plan = r.cost + rowsCost(s, grid(r, table), r.rows, r.R) + 1;
    if (!out || plan < out.plan) out = { r, plan };
  }
  return out;
}

const applies = ({ s, d }: Target) => d === 1 && twoLevelApplies(s);

/** The exact number of parameters, or null when the construction does not apply. */
export function planTwoLevelIndex(t: Target): number | null {
  return applies(t) ? (best(t.s, t.table)?.plan ?? null) : null;
}

/** The network (docs/construction.md, "d = 1: a rounded block index"), or null. */
export function buildTwoLevelIndex(t: Target): Compilation | null {
  if (!applies(t)) return null;
  const { s, table } = t;
  const b = best(s, table);
  if (!b) return null;
  const r = b.r;
  const one = s.one;
  const nb = new NetBuilder(1, [one, 0]);
  // layer 1: y, h1, h2, the corner's shift; layer 2: v1, v2, y carried, h1, h2 carried, K, the corner
  // step Y = λ·[x = min]
  const y = nb.add(1, r.c1, [[0, r.w1]]);
  const v1 = nb.add(2, r.b1, [[y, r.a1]]);
  const v2 = nb.add(2, r.b2, [[y, r.a2]]);
  const yc = nb.at(y, 2);
  const h1 = nb.at(nb.add(1, 0, [[0, one]]), 2);
  const h2 = nb.at(nb.add(1, s.max, [[0, one]]), 2);
  const K = nb.add(2, one, []);
  const { w, o, m } = r.corner.steps[0];
  const Y = nb.add(2, r.corner.level, [[nb.add(1, o, [[0, w]]), m]]);
  // layer 3: the remainder (edges in the order checked by `remainder`), the shifts of y
  const rem = nb.add(3, r.beta, [
    [K, s.min],
    [h2, one],
    [v1, r.omega1],
    [h1, one],
    [v2, r.omega2],
    [Y, r.kappa],
  ]);
  const shifts = r.gates.shifts.map(([, ws, os]) => nb.add(3, os, [[yc, ws]]));
  // layer 4: ramps of rem and of the shifts; layer 5: column indicators and gates
  const I = buildBumps(nb, rem, 3, r.fine);
  const ramps = [-1];
  for (let q = 1; q < r.B; q++) {
    const { shift, g, b: bq } = r.gates.ramps[q];
    ramps.push(nb.add(4, bq, [[shifts[shift], g]]));
  }
  const G = r.gates.pieces.map((pc) =>
    nb.add(
      5,
      pc.bias,
      pc.edges.map(([q, wq]) => [ramps[q], wq] as [number, number]),
    ),
  );
  const out: Array<[number, number]> = [];
  const neurons = addRows(s, nb, grid(r, table), r.rows, r.R, I, (q) => [G[q]], 6, out);
  if (out.length === 0) return null;
  nb.add(7, 0, out);
  return { net: nb.build(), beta: 0, boxes: neurons, method: 'two-level-index' };
}

export const twoLevelIndex: Construction = {
  name: 'two-level-index',
  summary: 'relu, d = 1: two-level tables over a rounded block index (rows) and the remainder (columns)',
  plan: planTwoLevelIndex,
  build: (t) => {
    const c = buildTwoLevelIndex(t);
    // the plan is exact: a mismatch is a bug in one of them
    if (c && layeredSize(c.net).parameters !== planTwoLevelIndex(t))
      throw new Error(
        `two-level-index: the network (${layeredSize(c.net).parameters}) differs from its plan (${planTwoLevelIndex(t)})`,
      );
    return c;
  },
};
