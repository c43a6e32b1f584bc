/**
 * Two-level tables (relu; proof: docs/construction.md, "Two-level tables"). Let σ_F be relu on codes,
 * overflow saturate, 2·one ≤ max (one = the code of 1), all weights, and let the shared pieces below pass
 * their checks (they do in every rounding but floor, which cannot tell min from min + ε in one shift).
 * For 2 ≤ d ≤ 4 a table f on 𝕀^d is read as rows (the joint values of x1 … x_{d−1}) and columns (x_d);
 * for d = 1 as blocks of F consecutive codes (rows) and the remainder (columns).
 * Shared one-hot column indicators I_c = one·[column = c] (bumps.ts, or steps and windows) and per row
 * coordinate gates G = one·[x_i ≠ value], each exact on every value (checked on all of 𝕀 from their
 * definitions, never per point of 𝕀^d); per row r up to three neurons
 * relu(Σ_c w_c ⊗ I_c ⊕ min ⊗ G^1 ⊕ … ⊕ min ⊗ G^{d−1}) with bias 0 and one edge per entry of the row that
 * the neuron carries — the positive entries (w_c = f(r, c)), the negative ones above min (w_c = −f(r, c))
 * and the entries equal to min (w_c = one) — read by the output neuron with weights one, −one and min.
 * Inside its row a neuron sums exactly its entry (or 0); outside, a gate at one pulls the sum to at most
 * max + min < 0 and further gates keep it there: in every rounding, accumulation (sequential or exact)
 * and bias order. Each nonzero entry costs one parameter; rows and columns cost O(|𝕀|) each.
 * For d ≥ 2 the gates may also be wide (wide-gates.ts): 0 on their value, in [one, max] with
 * min ⊗ G = min elsewhere, which the same argument covers; the cheaper of the two families is used.
 */
import { layeredSize } from '../engine/layered-net.js';
import { neuron, type Setting, unary } from '../engine/setting.js';
import { type BumpRecipe, buildBumps, bumpRecipe } from './bumps.js';
import type { Compilation, Construction, Target } from './compilation.js';
import { NetBuilder } from './net-builder.js';
import { reluShaped } from './relu-shaped.js';
import { type GateRecipe, gateRecipe } from './wide-gates.js';

/**
 * How the indicators and gates of one coordinate are made, for the source values `vals` (increasing,
 * one per position p): shifts T_j = relu(w_j ⊗ x ⊕ o_j) (w_j = one, or one − ε where x ⊕ o cannot
 * tell min from min + ε); per threshold k (1 ≤ k < n) a ramp
 * S_k = relu(g_k ⊗ T_{j_k} ⊕ b_k), 0 at positions < k and ≥ s0 at positions ≥ k; the step
 * Y_k = relu(min ⊗ S_k ⊕ one) = one·[p < k]; then I_p and G_p from Y_p and Y_{p+1}.
 */
export interface FamilyRecipe {
  /** Shifts relu(w ⊗ x ⊕ o) as [w, o]. */
  readonly shifts: ReadonlyArray<readonly [number, number]>;
  readonly ramps: ReadonlyArray<{ shift: number; g: number; b: number }>;
  /** Parameters of shifts, ramps and steps (without the indicators and gates). */
  readonly cost: number;
}

/** Values of relu(w ⊗ h ⊕ b) for every h of `hs`. */
function unaryAll(s: Setting, w: number, hs: ArrayLike<number>, b: number): Float64Array {
  const out = new Float64Array(hs.length);
  for (let i = 0; i < hs.length; i++) out[i] = unary(s, w, hs[i], b);
  return out;
}

/** The smallest s0 ≥ 1 with relu(min ⊗ h ⊕ one) = 0 for every h in [s0, max], and relu(one) = one. */
function stepThreshold(s: Setting): number | null {
  if (neuron(s, [s.min], [0], s.one) !== s.one) return null;
  let s0 = s.max + 1;
  for (let h = s.max; h >= 1; h--) {
    if (neuron(s, [s.min], [h], s.one) !== 0) break;
    s0 = h;
  }
  return s0 <= s.max ? s0 : null;
}

/**
 * The recipe for the steps at `thresholds` (positions k, increasing, 1 ≤ k < n) of source values `vals`:
 * greedy, a ramp reuses the latest shift when some gain makes it exact there (checked on every position),
 * else a new shift puts x = vals[k−1] at 0. Null when no gain works.
 */
export function familyRecipe(
  s: Setting,
  vals: ArrayLike<number>,
  thresholds: readonly number[] = Array.from({ length: vals.length - 1 }, (_, i) => i + 1),
): FamilyRecipe | null {
  const n = vals.length;
  const s0 = stepThreshold(s);
  if (s0 === null || n < 2) return null;
  const gains = [s.one, 2 * s.one, 3 * s.one, 4 * s.one, s.max].filter(
    (g, i, all) => g >= 1 && g <= s.max && all.indexOf(g) === i,
  );
  const shifts: Array<[number, number]> = [];
  const shiftVals: Float64Array[] = [];
  const ramps: Array<{ shift: number; g: number; b: number }> = [];
  const tryShift = (j: number, k: number): { shift: number; g: number; b: number } | null => {
    const t = shiftVals[j];
    for (const g of gains) {
      const below = s.mul(g, t[k - 1]);
      if (!(below >= 0) || -below < s.min) continue;
      const b = -below;
      // S is non-decreasing in the position (saturating ⊕, monotone rounding, g > 0, relu): 0 at k − 1
      // and ≥ s0 at k make it 0 below k and ≥ s0 from k
      const ok = unary(s, g, t[k], b) >= s0 && unary(s, g, t[k - 1], b) === 0;
      if (ok) return { shift: j, g, b };
    }
    return null;
  };
  for (const k of thresholds) {
    let ramp = shifts.length > 0 ? tryShift(shifts.length - 1, k) : null;
    for (const w of [s.one, s.one - 1]) {
      if (ramp) break;
      const o = -s.mul(w, vals[k - 1]);
      if (!(o >= s.min && o <= s.max)) continue;
      shifts.push([w, o]);
      shiftVals.push(unaryAll(s, w, vals, o));
      ramp = tryShift(shifts.length - 1, k);
      if (!ramp) {
        shifts.pop();
        shiftVals.pop();
      }
    }
    if (!ramp) return null;
    ramps.push(ramp);
  }
  return { shifts, ramps, cost: 2 * shifts.length + 4 * ramps.length };
}

/** Steps Y_k = one·[p < k] of one coordinate at layer+3 (node ids by threshold k). */
interface Steps {
  readonly n: number;
  readonly id: Map<number, number>;
  /** The value of every step below its threshold (one, or one/2 for the shallow steps of d = 1). */
  readonly level: number;
}

/** Y_k at position p, from its definition (established by `buildSteps` and `buildShallowSteps`). */
const stepAt = (st: Steps, k: number, p: number) => (p < k ? st.level : 0);

/**
 * The shifts, ramps and steps of a recipe. Y_k = relu(min ⊗ S_k ⊕ one) is non-increasing in S_k, which is
 * non-decreasing in the position: one at k − 1 and 0 at k (with S_k(k) ≥ s0) make Y_k = one·[p < k].
 */
function buildSteps(
  s: Setting,
  nb: NetBuilder,
  src: number,
  layer: number,
  vals: ArrayLike<number>,
  thresholds: readonly number[],
  recipe: FamilyRecipe,
): Steps | null {
  const n = vals.length;
  const shiftIds = recipe.shifts.map(([w, o]) => nb.add(layer + 1, o, [[src, w]]));
  const id = new Map<number, number>();
  for (let i = 0; i < thresholds.length; i++) {
    const k = thresholds[i];
    const { shift, g, b } = recipe.ramps[i];
    const [w, o] = recipe.shifts[shift];
    const y = (p: number) => unary(s, s.min, unary(s, g, unary(s, w, vals[p], o), b), s.one);
    if (y(k - 1) !== s.one || y(k) !== 0) return null;
    const S = nb.add(layer + 2, b, [[shiftIds[shift], g]]);
    id.set(k, nb.add(layer + 3, s.one, [[S, s.min]]));
  }
  return { n, id, level: s.one };
}

/**
 * The indicator one·[k1 ≤ p < k2] (or with `gate` its complement one·[p ∉ [k1, k2)]) from the steps at k1
 * and k2 (Y_0 = 0 and Y_n = one are constants), at layer+4 (steps at layer+3). The steps take three
 * joint values (below k1, inside, from k2): each is checked.
 */
function window(
  s: Setting,
  nb: NetBuilder,
  st: Steps,
  layer: number,
  k1: number,
  k2: number,
  gate: boolean,
): number | null {
  const one = s.one;
  // a ⊗ level = one exactly (level divides one·one)
  const a = (one * one) / st.level;
  const edges: Array<[number, number]> = [];
  // indicator Y_k2 − Y_k1; gate Y_k1 − Y_k2 + one
  if (gate) {
    if (k1 > 0) edges.push([k1, a]);
    if (k2 < st.n) edges.push([k2, -a]);
  } else {
    if (k2 < st.n) edges.push([k2, a]);
    if (k1 > 0) edges.push([k1, -a]);
  }
  const bias = gate ? (k2 < st.n ? one : 0) : k2 < st.n ? 0 : one;
  for (const p of [k1 - 1, k1, k2 - 1, k2]) {
    if (p < 0 || p >= st.n) continue;
    const got = neuron(
      s,
      edges.map((e) => e[1]),
      edges.map((e) => stepAt(st, e[0], p)),
      bias,
    );
    if (got !== ((p >= k1 && p < k2) !== gate ? one : 0)) return null;
  }
  return nb.add(
    layer + 4,
    bias,
    edges.map(([k, w]) => [st.id.get(k)!, w]),
  );
}

const bumpCache = new WeakMap<Setting, Map<number, BumpRecipe | null>>();

/** The bump recipe of a remainder with values 0 … F − 1, cached per setting. */
export function remBumps(s: Setting, F: number): BumpRecipe | null {
  let m = bumpCache.get(s);
  if (!m) bumpCache.set(s, (m = new Map()));
  if (!m.has(F))
    m.set(
      F,
      bumpRecipe(
        s,
        Array.from({ length: F }, (_, k) => k),
        false,
      ),
    );
  return m.get(F) ?? null;
}

/** Parameters of the windows [p, p+1) of n positions: two edges and a bias inside, one edge less at the ends. */
const windowsCost = (n: number) => 3 * n - 2;

/**
 * The row neurons' parameters: per row and sign class present, its entries, `gates` gate edges, a bias
 * and an output edge.
 */
export function rowsCost(s: Setting, table: Int32Array, rows: number, cols: number, gates = 1): number {
  let p = 0;
  for (let r = 0; r < rows; r++) {
    let pos = 0;
    let neg = 0;
    let low = 0;
    for (let c = 0; c < cols; c++) {
      const v = table[r * cols + c];
      if (v > 0) pos++;
      else if (v === s.min) low++;
      else if (v < 0) neg++;
    }
    for (const k of [pos, neg, low]) if (k > 0) p += k + gates + 2;
  }
  return p;
}

/**
 * Per row r the gated neurons over the column indicators (entries > 0; min < entries < 0; entries = min)
 * at `layer`, and their output edges: the entries first, then the row's gates (`gatesOf(r)`) with weight
 * min; every row neuron has the bias `bias` (0; min under wrap, where min + min ≡ 0 reopens the row).
 */
export function addRows(
  s: Setting,
  nb: NetBuilder,
  table: Int32Array,
  rows: number,
  cols: number,
  I: readonly number[],
  gatesOf: (r: number) => readonly number[],
  layer: number,
  out: Array<[number, number]>,
  bias = 0,
): number {
  let neurons = 0;
  for (let r = 0; r < rows; r++) {
    const pos: Array<[number, number]> = [];
    const neg: Array<[number, number]> = [];
    const low: Array<[number, number]> = [];
    for (let c = 0; c < cols; c++) {
      const v = table[r * cols + c];
      if (v > 0) pos.push([I[c], v]);
      else if (v === s.min) low.push([I[c], s.one]);
      else if (v < 0) neg.push([I[c], -v]);
    }
    const gates = gatesOf(r).map((g) => [g, s.min] as [number, number]);
    for (const [edges, w] of [
      [pos, s.one],
      [neg, -s.one],
      [low, s.min],
    ] as const) {
      if (edges.length === 0) continue;
      out.push([nb.add(layer, bias, [...edges, ...gates]), w]);
      neurons++;
    }
  }
  return neurons;
}

/** The setting hypotheses of the construction (docs/construction.md, "Two-level tables"). */
export function twoLevelApplies(s: Setting): boolean {
  return s.weightSet === 'all' && s.policy.overflow === 'saturate' && 2 * s.one <= s.max && reluShaped(s);
}

const recipeCache = new WeakMap<Setting, Map<string, FamilyRecipe | null>>();

/** The recipe of the steps at `thresholds` over the values lo..lo+n−1, cached per setting. */
function cachedRecipe(s: Setting, lo: number, n: number, thresholds: readonly number[]): FamilyRecipe | null {
  let m = recipeCache.get(s);
  if (!m) recipeCache.set(s, (m = new Map()));
  const key = `${lo}:${n}:${thresholds.length}:${thresholds[0]}:${thresholds[1]}`;
  if (!m.has(key)) {
    m.set(
      key,
      familyRecipe(
        s,
        Array.from({ length: n }, (_, k) => lo + k),
        thresholds,
      ),
    );
  }
  return m.get(key) ?? null;
}

const allThresholds = (n: number) => Array.from({ length: n - 1 }, (_, i) => i + 1);

/** d = 1: block size F = 2^j; thresholds of the coarse steps: the corner 1 and the block starts. */
function coarseThresholds(N: number, F: number): number[] {
  const ks = F > 1 ? [1] : [];
  for (let k = F; k < N; k += F) if (k !== 1) ks.push(k);
  return ks;
}

/**
 * Steps of x in two layers (d = 1): T_k = relu(w ⊗ x ⊕ o_k) with o_k = −(w ⊗ v_{k−1}), and
 * Y_k = relu(m ⊗ T_k ⊕ λ) = λ·[p < k] for one level λ (one or one/2) shared by all steps. T_k is
 * non-decreasing and Y_k non-increasing in T_k (w > 0 > m, saturating overflow), and Y_k ≤ λ, so
 * Y_k(k − 1) = λ and Y_k(k) = 0 settle every position (both checked).
 */
export interface ShallowRecipe {
  readonly level: number;
  readonly steps: ReadonlyArray<{ k: number; w: number; o: number; m: number }>;
  readonly cost: number;
}

export function shallowRecipe(s: Setting, thresholds: readonly number[]): ShallowRecipe | null {
  const one = s.one;
  for (const level of [one, one / 2]) {
    if (!Number.isInteger(level) || level < 1 || !Number.isInteger((one * one) / level)) continue;
    const steps: Array<{ k: number; w: number; o: number; m: number }> = [];
    for (const k of thresholds) {
      let found: { k: number; w: number; o: number; m: number } | null = null;
      for (const w of [one, one - 1, one + 1, one - 2, 2 * one]) {
        if (found) break;
        if (w < 1 || w > s.max) continue;
        const o = -s.mul(w, s.min + k - 1);
        if (!(o >= s.min && o <= s.max)) continue;
        const y = (p: number, m: number) => unary(s, m, unary(s, w, s.min + p, o), level);
        for (const m of [s.min, s.min + 1]) {
          if (y(k - 1, m) === level && y(k, m) === 0) {
            found = { k, w, o, m };
            break;
          }
        }
      }
      if (!found) break;
      steps.push(found);
    }
    if (steps.length === thresholds.length) return { level, steps, cost: 4 * steps.length };
  }
  return null;
}

const shallowCache = new WeakMap<Setting, Map<number, ShallowRecipe | null>>();

function cachedShallow(s: Setting, F: number): ShallowRecipe | null {
  let m = shallowCache.get(s);
  if (!m) shallowCache.set(s, (m = new Map()));
  if (!m.has(F)) m.set(F, shallowRecipe(s, coarseThresholds(s.size, F)));
  return m.get(F) ?? null;
}

/** The d = 1 plan for block size F, or null. */
function planOne(s: Setting, table: Int32Array, F: number): number | null {
  const N = s.size;
  const B = N / F;
  if (F < 2 || B < 2 || F > s.max || (s.accumulation === 'sequential' && s.bias === 'first')) return null;
  const coarse = cachedShallow(s, F);
  if (!coarse || (F * s.one) / coarse.level > s.max) return null;
  const fine = remBumps(s, F);
  if (!fine) return null;
  // h1, h2 and their delays to layer 2; the constant; rem (h1, h2, constant, B − 1 steps, corner, bias)
  const rem = 4 + 4 + 1 + (B + 4);
  // the B − 1 block-start steps carried from layer 2 to 4, the gates at layer 5
  const gates = 4 * (B - 1) + windowsCost(B);
  return coarse.cost + rem + fine.cost + gates + rowsCost(s, table, B, F) + 1;
}

/** The block sizes tried for d = 1: the powers of two from √N/4 to 8·√N with at least two blocks. */
function blockSizes(s: Setting): number[] {
  const bits = Math.round(Math.log2(s.size));
  const h = bits >> 1;
  return Array.from({ length: bits - 1 }, (_, i) => i + 1)
    .filter((j) => j >= h - 2 && j <= h + 3)
    .map((j) => 2 ** j);
}

function bestBlock(s: Setting, table: Int32Array): { F: number; plan: number } | null {
  let best: { F: number; plan: number } | null = null;
  for (const F of blockSizes(s)) {
    const plan = planOne(s, table, F);
    if (plan !== null && (!best || plan < best.plan)) best = { F, plan };
  }
  return best;
}

/** The largest d the construction takes on (rows are the N^(d−1) joint values of x1 … x_{d−1}). */
export const TWO_LEVEL_MAX_D = 4;

const colCache = new WeakMap<Setting, { bumps: BumpRecipe | null }>();

/** The column indicators of d ≥ 2: bumps through shifts carried one layer, when every one is exact. */
function columnBumps(s: Setting): BumpRecipe | null {
  let c = colCache.get(s);
  if (!c) {
    c = {
      bumps: bumpRecipe(
        s,
        Array.from({ length: s.size }, (_, k) => s.min + k),
        true,
      ),
    };
    colCache.set(s, c);
  }
  return c.bumps;
}

/** Parameters of the column indicators of d ≥ 2 (bumps with the shifts' delays, or steps and windows). */
function columnsCost(s: Setting, recipe: FamilyRecipe): number {
  const b = columnBumps(s);
  if (b) return b.cost + 2 * b.shifts.length;
  const classic = recipe.cost + windowsCost(s.size);
  const wide = wideGates(s, recipe, true);
  return wide ? Math.min(classic, 2 * recipe.shifts.length + wide.cost) : classic;
}

/** The predicted parameters (exact when the build succeeds), or null when the construction does not apply. */
export function planTwoLevel({ s, table, d }: Target): number | null {
  if (!twoLevelApplies(s)) return null;
  if (d === 1) return bestBlock(s, table)?.plan ?? null;
  if (d < 2 || d > TWO_LEVEL_MAX_D) return null;
  const N = s.size;
  const recipe = cachedRecipe(s, s.min, N, allThresholds(N));
  if (!recipe) return null;
  const rows = N ** (d - 1);
  return (d - 1) * gatesCost(s, recipe) + columnsCost(s, recipe) + rowsCost(s, table, rows, N, d - 1) + 1;
}

const wideCache = new WeakMap<Setting, Map<boolean, GateRecipe | null>>();

/**
 * Wide gates of a row coordinate (d ≥ 2; wide-gates.ts): the recipe's shifts at layer 1 are the sources,
 * then shifts at layer 2, ramps with jumps ≥ one at layer 3 and one piece per value at layer 4, each gate
 * checked on every value: about 5 parameters per value instead of 7 (ramp, step, window).
 */
function wideGates(s: Setting, recipe: FamilyRecipe, indicators = false): GateRecipe | null {
  let m = wideCache.get(s);
  if (!m) wideCache.set(s, (m = new Map()));
  if (!m.has(indicators)) {
    const vals = Array.from({ length: s.size }, (_, k) => s.min + k);
    const sources = recipe.shifts.map(([w, o]) => vals.map((v) => unary(s, w, v, o)));
    m.set(indicators, gateRecipe(s, vals, false, undefined, sources, indicators));
  }
  return m.get(indicators) ?? null;
}

/** The pieces of a wide recipe on coordinate `input` at layers 1 (the recipe's shifts) to 4. */
function buildWide(nb: NetBuilder, input: number, recipe: FamilyRecipe, wide: GateRecipe): number[] {
  const sources = recipe.shifts.map(([w, o]) => nb.add(1, o, [[input, w]]));
  const shifts = wide.shifts.map(([src, w, o]) => nb.add(2, o, [[sources[src], w]]));
  const ramps = [-1, ...wide.ramps.slice(1).map(({ shift, g, b }) => nb.add(3, b, [[shifts[shift], g]]))];
  return wide.pieces.map((pc) =>
    nb.add(
      4,
      pc.bias,
      pc.edges.map(([k, w]) => [ramps[k], w] as [number, number]),
    ),
  );
}

/** Parameters of the gates of one row coordinate: wide gates when cheaper, else steps and windows. */
function gatesCost(s: Setting, recipe: FamilyRecipe): number {
  const classic = recipe.cost + windowsCost(s.size);
  const wide = wideGates(s, recipe);
  return wide ? Math.min(classic, 2 * recipe.shifts.length + wide.cost) : classic;
}

/**
 * The two-level network for d ≥ 2: rows are the joint values of x1 … x_{d−1} (one gate per coordinate
 * value, read by every row neuron of the rows with that value), columns the values of x_d.
 */
function buildMulti(s: Setting, table: Int32Array, d: number): Compilation | null {
  const N = s.size;
  const ks = allThresholds(N);
  const recipe = cachedRecipe(s, s.min, N, ks);
  if (!recipe) return null;
  const vals = Array.from({ length: N }, (_, k) => s.min + k);
  const nb = new NetBuilder(d, [s.one, 0]);
  // gates of every row coordinate at layer 4
  const G: number[][] = [];
  const wide = wideGates(s, recipe);
  const useWide = wide !== null && 2 * recipe.shifts.length + wide.cost < recipe.cost + windowsCost(N);
  for (let i = 0; i < d - 1 && useWide; i++) G.push(buildWide(nb, i, recipe, wide));
  for (let i = 0; i < d - 1 && !useWide; i++) {
    const st = buildSteps(s, nb, i, 0, vals, ks, recipe);
    if (!st) return null;
    const gi: number[] = [];
    for (let p = 0; p < N; p++) {
      const g = window(s, nb, st, 0, p, p + 1, true);
      if (g === null) return null;
      gi.push(g);
    }
    G.push(gi);
  }
  // column indicators at layer 4
  let I: number[];
  const bumps = columnBumps(s);
  const wideI = bumps ? null : wideGates(s, recipe, true);
  if (bumps) I = buildBumps(nb, d - 1, 0, bumps, 3);
  else if (wideI && 2 * recipe.shifts.length + wideI.cost < recipe.cost + windowsCost(N))
    I = buildWide(nb, d - 1, recipe, wideI);
  else {
    const st = buildSteps(s, nb, d - 1, 0, vals, ks, recipe);
    if (!st) return null;
    I = [];
    for (let p = 0; p < N; p++) {
      const i = window(s, nb, st, 0, p, p + 1, false);
      if (i === null) return null;
      I.push(i);
    }
  }
  const rows = N ** (d - 1);
  const gatesOf = (r: number) => {
    const out: number[] = new Array(d - 1);
    let rest = r;
    for (let i = d - 2; i >= 0; i--) {
      out[i] = G[i][rest % N];
      rest = Math.floor(rest / N);
    }
    return out;
  };
  const out: Array<[number, number]> = [];
  const neurons = addRows(s, nb, table, rows, N, I, gatesOf, 5, out);
  if (out.length === 0) return null;
  nb.add(6, 0, out);
  return { net: nb.build(), beta: 0, boxes: neurons, method: 'two-level' };
}

/**
 * The two-level network for d = 1: blocks of F consecutive codes are the rows, the remainder
 * rem = x − (min + F·block) the column (docs/construction.md, "Two-level tables", d = 1).
 */
function buildOne(s: Setting, table: Int32Array): Compilation | null {
  const best = bestBlock(s, table);
  if (!best) return null;
  const { F } = best;
  const N = s.size;
  const B = N / F;
  const one = s.one;
  const coarse = cachedShallow(s, F)!;
  const level = coarse.level;
  const nb = new NetBuilder(1, [one, 0]);
  // the steps Y_k = level·[p < k] at layer 2 (k = 1, the corner, and the block starts)
  const Y = new Map<number, number>();
  for (const { k, w, o, m } of coarse.steps) Y.set(k, nb.add(2, level, [[nb.add(1, o, [[0, w]]), m]]));
  // x = h1 + h2 − max (x > min), from relu(x) and relu(x ⊕ max), both ≥ 0, carried to layer 2
  const h1 = nb.at(nb.add(1, 0, [[0, one]]), 2);
  const h2 = nb.at(nb.add(1, s.max, [[0, one]]), 2);
  const K = nb.add(2, one, []);
  // rem: min, h2, h1 (the sum is x − 1 for x > min, min at x = min), then F per block above x, the
  // corner −ε at x = min, the bias F − max; no partial sum leaves 𝕀 (bias last, or exact accumulation)
  const wF = (F * one) / level;
  const remEdges: Array<[number, number]> = [
    [K, s.min],
    [h2, one],
    [h1, one],
  ];
  for (let k = F; k < N; k += F) remEdges.push([Y.get(k)!, wF]);
  remEdges.push([Y.get(1)!, -one / level]);
  const rem = nb.add(3, F - s.max, remEdges);
  // the remainder on every input, from the pieces' definitions
  const ws = remEdges.map((e) => e[1]);
  const hs = new Array<number>(remEdges.length);
  for (let p = 0; p < N; p++) {
    const x = s.min + p;
    hs[0] = one;
    hs[1] = unary(s, one, x, s.max);
    hs[2] = unary(s, one, x, 0);
    for (let q = 1; q < B; q++) hs[2 + q] = p < q * F ? level : 0;
    hs[2 + B] = p < 1 ? level : 0;
    if (neuron(s, ws, hs, F - s.max) !== p % F) return null;
  }
  // gates at layer 5 from the block-start steps carried to layer 4
  const id = new Map<number, number>();
  for (let k = F; k < N; k += F) id.set(k, nb.at(Y.get(k)!, 4));
  const st: Steps = { n: N, id, level };
  const G: number[] = [];
  for (let q = 0; q < B; q++) {
    const g = window(s, nb, st, 1, q === 0 ? 0 : q * F, q === B - 1 ? N : (q + 1) * F, true);
    if (g === null) return null;
    G.push(g);
  }
  const I = buildBumps(nb, rem, 3, remBumps(s, F)!);
  const out: Array<[number, number]> = [];
  const neurons = addRows(s, nb, table, B, F, I, (q) => [G[q]], 6, out);
  if (out.length === 0) return null;
  nb.add(7, 0, out);
  return { net: nb.build(), beta: 0, boxes: neurons, method: 'two-level' };
}

/** The two-level network, or null when a shared piece cannot be made exact. */
export function buildTwoLevel({ s, table, d }: Target): Compilation | null {
  if (!twoLevelApplies(s)) return null;
  if (d === 1) return buildOne(s, table);
  return d >= 2 && d <= TWO_LEVEL_MAX_D ? buildMulti(s, table, d) : null;
}

export const twoLevel: Construction = {
  name: 'two-level',
  summary: 'relu: shared one-hot columns and row gates, per row a positive and a negative neuron (d = 1 … 4)',
  plan: planTwoLevel,
  build: (t) => {
    const c = buildTwoLevel(t);
    // the plan is exact: a mismatch is a bug in one of them
    if (c && layeredSize(c.net).parameters !== planTwoLevel(t))
      throw new Error(
        `two-level: the network (${layeredSize(c.net).parameters}) differs from its plan (${planTwoLevel(t)})`,
      );
    return c;
  },
};
