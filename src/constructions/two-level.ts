/**
 * Two-level tables (relu; proof: docs/construction.md, "Two-level tables"). Let σ_F be relu on codes,
 * overflow saturate, 2·one ≤ max (one = the code of 1), all weights, and let the shared pieces below pass
 * their checks (they do in every rounding but floor, which cannot tell min from min + ε in one shift). A table f on 𝕀² is read as rows (x1) and columns (x2).
 * Shared one-hot column indicators I_c(x2) = one·[x2 = c] and row gates G_r(x1) = one·[x1 ≠ r], each
 * exact on every value (built from shared shifts, steep ramps and steps, and checked on all of 𝕀 from
 * their definitions); per row r up to three neurons relu(Σ_c w_c ⊗ I_c ⊕ min ⊗ G_r) with bias 0 and one
 * edge per entry of the row that the neuron carries — the positive entries (w_c = f(r, c)), the negative
 * ones above min (w_c = −f(r, c)) and the entries equal to min (w_c = one) — read by the output neuron
 * with weights one, −one and min. Inside its row a neuron sums exactly its entry (or 0); outside,
 * min ⊗ G_r = min pulls the sum to at most max + min < 0: no product rounds and no sum overflows, so in
 * every rounding, accumulation (sequential or exact) and bias order. Each nonzero entry costs one parameter; rows and columns cost O(|𝕀|).
 */
import { layeredSize } from '../engine/layered-net.js';
import { neuron, type Setting, unary } from '../engine/setting.js';
import type { Compilation, Construction, Target } from './compilation.js';
import { NetBuilder } from './net-builder.js';
import { reluShaped } from './relu-shaped.js';

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
 * The recipe for positions 0..n−1 with source values `vals`: greedy, a ramp reuses the latest shift
 * when some gain makes it exact there (checked on every position), else a new shift puts x = vals[k−1]
 * at 0. Null when no gain works.
 */
export function familyRecipe(s: Setting, vals: ArrayLike<number>): FamilyRecipe | null {
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
      // monotone in the position when nothing overflows, but checked everywhere: 0 below k, ≥ s0 from k
      let ok = true;
      for (let p = 0; p < n && ok; p++) {
        const v = unary(s, g, t[p], b);
        ok = p < k ? v === 0 : v >= s0;
      }
      if (ok) return { shift: j, g, b };
    }
    return null;
  };
  for (let k = 1; k < n; k++) {
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

/** Parameters of the indicators (or gates) of n positions: two edges and a bias inside, one edge less at the ends. */
const combineCost = (n: number) => 3 * n - 2;

/** Indicators I_p = one·[position = p] and gates G_p = one·[position ≠ p] of one coordinate, all at layer+4. */
function buildFamily(
  s: Setting,
  nb: NetBuilder,
  src: number,
  layer: number,
  vals: ArrayLike<number>,
  recipe: FamilyRecipe,
  want: { indicators: boolean; gates: boolean },
): { I: number[]; G: number[] } | null {
  const n = vals.length;
  const shiftIds = recipe.shifts.map(([w, o]) => nb.add(layer + 1, o, [[src, w]]));
  const shiftVals = recipe.shifts.map(([w, o]) => unaryAll(s, w, vals, o));
  // Y[k] for 1 ≤ k < n: one·[p < k]; values checked on every position
  const Y: number[] = [0];
  const Yv: Float64Array[] = [new Float64Array(n)];
  for (let k = 1; k < n; k++) {
    const { shift, g, b } = recipe.ramps[k - 1];
    const S = nb.add(layer + 2, b, [[shiftIds[shift], g]]);
    const Sv = unaryAll(s, g, shiftVals[shift], b);
    Y.push(nb.add(layer + 3, s.one, [[S, s.min]]));
    const yv = unaryAll(s, s.min, Sv, s.one);
    for (let p = 0; p < n; p++) if (yv[p] !== (p < k ? s.one : 0)) return null;
    Yv.push(yv);
  }
  // a neuron over steps, checked on every position against its definition
  const make = (
    edges: Array<[number, number]>,
    bias: number,
    expect: (p: number, q: number) => boolean,
    q: number,
  ): number | null => {
    for (let p = 0; p < n; p++) {
      const got = neuron(
        s,
        edges.map((e) => e[1]),
        edges.map((e) => Yv[e[0]][p]),
        bias,
      );
      if (got !== (expect(p, q) ? s.one : 0)) return null;
    }
    return nb.add(
      layer + 4,
      bias,
      edges.map(([k, w]) => [Y[k], w]),
    );
  };
  const I: number[] = [];
  const G: number[] = [];
  const one = s.one;
  for (let q = 0; q < n; q++) {
    if (want.indicators) {
      const edges: Array<[number, number]> =
        q === 0
          ? [[1, one]]
          : q === n - 1
            ? [[q, -one]]
            : [
                [q + 1, one],
                [q, -one],
              ];
      const id = make(edges, q === n - 1 ? one : 0, (p, c) => p === c, q);
      if (id === null) return null;
      I.push(id);
    }
    if (want.gates) {
      const edges: Array<[number, number]> =
        q === 0
          ? [[1, -one]]
          : q === n - 1
            ? [[q, one]]
            : [
                [q, one],
                [q + 1, -one],
              ];
      const id = make(edges, q === n - 1 ? 0 : one, (p, r) => p !== r, q);
      if (id === null) return null;
      G.push(id);
    }
  }
  return { I, G };
}

/** The row neurons' parameters for a d = 2 table: per row and sign, its entries, a gate edge, a bias and an output edge. */
function rowsCost(s: Setting, table: Int32Array): number {
  const N = s.size;
  let p = 0;
  for (let r = 0; r < N; r++) {
    let pos = 0;
    let neg = 0;
    let low = 0;
    for (let c = 0; c < N; c++) {
      const v = table[r * N + c];
      if (v > 0) pos++;
      else if (v === s.min) low++;
      else if (v < 0) neg++;
    }
    for (const k of [pos, neg, low]) if (k > 0) p += k + 3;
  }
  return p;
}

/** The setting hypotheses of the construction (docs/construction.md, "Two-level tables"). */
export function twoLevelApplies(s: Setting): boolean {
  return s.weightSet === 'all' && s.policy.overflow === 'saturate' && 2 * s.one <= s.max && reluShaped(s);
}

const recipeCache = new WeakMap<Setting, FamilyRecipe | null>();

function coordinateRecipe(s: Setting): FamilyRecipe | null {
  if (!recipeCache.has(s)) {
    const vals = Array.from({ length: s.size }, (_, k) => s.min + k);
    recipeCache.set(s, familyRecipe(s, vals));
  }
  return recipeCache.get(s) ?? null;
}

/** The predicted parameters (exact when the build succeeds), or null when the construction does not apply. */
export function planTwoLevel({ s, table, d }: Target): number | null {
  if (d !== 2 || !twoLevelApplies(s)) return null;
  const recipe = coordinateRecipe(s);
  if (!recipe) return null;
  return 2 * recipe.cost + 2 * combineCost(s.size) + rowsCost(s, table) + 1;
}

/** The two-level network for a d = 2 table, or null when a shared piece cannot be made exact. */
export function buildTwoLevel({ s, table, d }: Target): Compilation | null {
  if (d !== 2 || !twoLevelApplies(s)) return null;
  const recipe = coordinateRecipe(s);
  if (!recipe) return null;
  const N = s.size;
  const vals = Array.from({ length: N }, (_, k) => s.min + k);
  const nb = new NetBuilder(2, [s.one, 0]);
  const rows = buildFamily(s, nb, 0, 0, vals, recipe, { indicators: false, gates: true });
  const cols = buildFamily(s, nb, 1, 0, vals, recipe, { indicators: true, gates: false });
  if (!rows || !cols) return null;
  const out: Array<[number, number]> = [];
  let neurons = 0;
  for (let r = 0; r < N; r++) {
    const pos: Array<[number, number]> = [];
    const neg: Array<[number, number]> = [];
    const low: Array<[number, number]> = [];
    for (let c = 0; c < N; c++) {
      const v = table[r * N + c];
      if (v > 0) pos.push([cols.I[c], v]);
      else if (v === s.min) low.push([cols.I[c], s.one]);
      else if (v < 0) neg.push([cols.I[c], -v]);
    }
    for (const [edges, w] of [
      [pos, s.one],
      [neg, -s.one],
      [low, s.min],
    ] as const) {
      if (edges.length === 0) continue;
      out.push([nb.add(5, 0, [...edges, [rows.G[r], s.min]]), w]);
      neurons++;
    }
  }
  if (out.length === 0) return null;
  nb.add(6, 0, out);
  return { net: nb.build(), beta: 0, boxes: neurons, method: 'two-level' };
}

export const twoLevel: Construction = {
  name: 'two-level',
  summary: 'relu: shared one-hot columns and row gates, per row a positive and a negative neuron (d = 2)',
  plan: planTwoLevel,
  build: (t) => {
    const c = buildTwoLevel(t);
    // the plan is exact: a mismatch is a bug in one of them
    if (c && layeredSize(c.net).parameters !== planTwoLevel(t))
      throw new Error('two-level: the network differs from its plan');
    return c;
  },
};
