/**
 * Wide gates (docs/construction.md, "Two-level tables", "d = 1: a rounded block index", Gates): per row
 * of a run of blocks a neuron that is 0 on the row's blocks and in [one, max] with min ⊗ G = min on every
 * other block, from ramps with jumps ≥ one on shifts of non-decreasing sources; each gate checked on
 * every position. By the gating lemma (wide gates) one edge (G, min) silences a row neuron outside its row.
 */
import { neuron, type Setting, unary } from '../engine/setting.js';

/** Weights w in [1, max] with w ⊗ v = target, nearest to target·one/v first (a few). */
function weightsHitting(s: Setting, v: number, target: number): number[] {
  const out: number[] = [];
  const c = Math.round((target * s.one) / v);
  for (let dw = 0; dw <= 4 && out.length < 3; dw++)
    for (const w of dw === 0 ? [c] : [c - dw, c + dw])
      if (w >= 1 && w <= s.max && s.mul(w, v) === target) out.push(w);
  return out;
}

/**
 * Gates: shifts T_j = relu(w_j ⊗ S_{i_j} ⊕ o_j) of sources S_i, ramps R_k = relu(g_k ⊗ T_{j_k} ⊕ b_k)
 * (1 ≤ k < B) and per row a piece on one or two ramps.
 */
export interface GateRecipe {
  /** Shifts as [source, w, o]. */
  readonly shifts: ReadonlyArray<readonly [number, number, number]>;
  /** Ramp k (index 0 unused): its shift, gain and bias. */
  readonly ramps: ReadonlyArray<{ shift: number; g: number; b: number }>;
  readonly pieces: ReadonlyArray<{ edges: ReadonlyArray<readonly [number, number]>; bias: number }>;
  readonly cost: number;
}

/**
 * The gates of B blocks (`blockOf`, non-decreasing, of positions with values `uvals`; `sources`: signals
 * non-decreasing in the position that the shifts may read, by default `uvals` itself). Ramps: greedy,
 * ramp k reuses the latest shift when some gain g puts R_k = 0 on the last position of block k − 1 and
 * R_k ≥ one on the first of block k, else a new shift of some source puts that last position at 0; R_k is
 * non-decreasing in the position (positive weights, monotone rounding, saturating ⊕, relu), so it is 0 on blocks
 * < k and ≥ one from k. Pieces: G_0 = relu(a ⊗ R_1), G_{B−1} = relu((−one) ⊗ R_{B−1} ⊕ one), else
 * relu((−one) ⊗ R_q ⊕ b ⊗ R_{q+1} ⊕ one) (either edge order), each checked on every value of u: 0 on its
 * block, in [one, max] with min ⊗ G = min elsewhere. With `merge` the two end blocks share one row and
 * its gate relu(a ⊗ R_1 ⊕ b ⊗ R_{B−1}) (b < 0), 0 on both, and there is no piece for block B − 1.
 * Null when some piece has no candidate that passes.
 */
export function gateRecipe(
  s: Setting,
  uvals: ArrayLike<number>,
  merge = false,
  blockOf: readonly number[] = Array.from(uvals, (_, i) => i),
  sources: ReadonlyArray<ArrayLike<number>> = [uvals],
  indicators = false,
): GateRecipe | null {
  const P = uvals.length;
  const B = blockOf[P - 1] + 1;
  const one = s.one;
  if (B < 2) return null;
  // the first position of every block
  const first: number[] = [];
  for (let p = 0; p < P; p++) if (p === 0 || blockOf[p] !== blockOf[p - 1]) first.push(p);
  const gains = [one, 2 * one, 4 * one, 8 * one, s.max].filter(
    (g, i, all) => g <= s.max && all.indexOf(g) === i,
  );
  const slopes = [one, 2 * one, 4 * one, 8 * one].filter((w) => w <= s.max);
  const shifts: Array<[number, number, number]> = [];
  const T: Float64Array[] = [];
  const ramps: Array<{ shift: number; g: number; b: number }> = [{ shift: -1, g: 0, b: 0 }];
  const R: Float64Array[] = [new Float64Array(P)];
  // ramp k: 0 up to the last position of block k − 1, ≥ one from the first of block k
  const tryShift = (j: number, k: number): boolean => {
    const at = first[k];
    for (const g of gains) {
      const b = -s.mul(g, T[j][at - 1]);
      if (!(b >= s.min && b <= s.max)) continue;
      const col = new Float64Array(P);
      for (let q = 0; q < P; q++) col[q] = unary(s, g, T[j][q], b);
      if (col[at - 1] === 0 && col[at] >= one) {
        ramps.push({ shift: j, g, b });
        R.push(col);
        return true;
      }
    }
    return false;
  };
  for (let k = 1; k < B; k++) {
    if (T.length > 0 && tryShift(T.length - 1, k)) continue;
    let placed = false;
    for (let i = sources.length - 1; i >= 0 && !placed; i--) {
      const src = sources[i];
      for (const w of slopes) {
        const o = -s.mul(w, src[first[k] - 1]);
        if (!(o >= s.min && o <= s.max)) continue;
        const col = new Float64Array(P);
        for (let q = 0; q < P; q++) col[q] = unary(s, w, src[q], o);
        shifts.push([i, w, o]);
        T.push(col);
        if (tryShift(T.length - 1, k)) {
          placed = true;
          break;
        }
        shifts.pop();
        T.pop();
      }
    }
    if (!placed) return null;
  }
  // 0 on the blocks of row q (q, and B − 1 too for the merged row 0), in [one, max] with min ⊗ G = min
  // on every other block
  const ok = (edges: ReadonlyArray<readonly [number, number]>, bias: number, q: number): boolean => {
    const ws = edges.map((e) => e[1]);
    const hs = new Array<number>(edges.length);
    for (let p = 0; p < P; p++) {
      for (let i = 0; i < edges.length; i++) hs[i] = R[edges[i][0]][p];
      const v = neuron(s, ws, hs, bias);
      const inside = blockOf[p] === q || (merge && q === 0 && blockOf[p] === B - 1);
      if (indicators) {
        if (v !== (inside ? one : 0)) return false;
      } else if (inside ? v !== 0 : !(v >= one && v <= s.max && s.mul(s.min, v) === s.min)) return false;
    }
    return true;
  };
  const pieces: Array<{ edges: Array<[number, number]>; bias: number }> = [];
  let cost = 2 * shifts.length + 2 * (B - 1);
  for (let q = 0; q < (merge ? B - 1 : B); q++) {
    const cands: Array<{ edges: Array<[number, number]>; bias: number }> = [];
    if (indicators) {
      // one·[block q]: relu(M ⊗ R_1 ⊕ one), relu(W ⊗ R_q ⊕ M ⊗ R_{q+1}), relu(W ⊗ R_{B−1}) with W ⊗ R_q = one
      // on block q's first position
      const Ws = q === 0 ? [0] : weightsHitting(s, R[q][first[q]], one);
      for (const W of Ws) {
        if (q === 0) for (const m of [-one, -2 * one, s.min]) cands.push({ edges: [[1, m]], bias: one });
        else if (q === B - 1) cands.push({ edges: [[q, W]], bias: 0 });
        else
          for (const m of [s.min, -2 * W, -3 * W, -4 * W])
            cands.push({
              edges: [
                [q, W],
                [q + 1, m],
              ],
              bias: 0,
            });
      }
    } else if (q === 0 && merge)
      for (const a of [one, 2 * one, s.max])
        for (const b of [s.min, -8 * one, -4 * one, -2 * one])
          cands.push({
            edges: [
              [1, a],
              [B - 1, b],
            ],
            bias: 0,
          });
    else if (q === 0) for (const a of [one, 2 * one, s.max]) cands.push({ edges: [[1, a]], bias: 0 });
    else if (q === B - 1) cands.push({ edges: [[q, -one]], bias: one });
    else
      for (const b of [2 * one, 3 * one, 4 * one, s.max])
        for (const edges of [
          [
            [q, -one],
            [q + 1, b],
          ],
          [
            [q + 1, b],
            [q, -one],
          ],
        ] as Array<Array<[number, number]>>)
          cands.push({ edges, bias: one });
    const found = cands.find(
      (c) => c.edges.every(([, w]) => w >= s.min && w <= s.max) && ok(c.edges, c.bias, q),
    );
    if (!found) return null;
    pieces.push(found);
    cost += found.edges.length + 1;
  }
  return { shifts, ramps, pieces, cost };
}
