/**
 * Bumps (docs/construction.md, "Two-level tables", Bumps): one-hot indicators I_c = one·[p = c] of a
 * non-negative source (or of shifts of a signed one) in two layers, a ramp per threshold and one neuron per
 * value on two neighbouring ramps — 5 parameters per value — each checked at every position where it can
 * change. Relu on codes, saturating overflow (the two-level tables' hypotheses).
 */
import { neuron, type Setting, unary } from '../engine/setting.js';
import type { NetBuilder } from './net-builder.js';

/**
 * Bumps: one-hot indicators I_c = one·[p = c] of a source with values `src[p]` (non-decreasing in the
 * position p, n ≥ 2 positions) in two or three layers
 * (docs/construction.md, "Two-level tables", Bumps). Optional shifts T_j = relu(w ⊗ h ⊕ o_j) of the
 * source (for a signed source); ramps R_k = relu(g ⊗ T ⊕ b_k) (1 ≤ k < n) with b_k = −(g ⊗ T(k − 1)), 0
 * up to position k − 1 and non-decreasing; then per position c one neuron on R_c and R_{c+1}:
 * I_0 = relu(M ⊗ R_1 ⊕ one), I_c = relu(W ⊗ R_c ⊕ M ⊗ R_{c+1}), I_{n−1} = relu(W ⊗ R_{n−1}).
 * Every piece is checked at every position where it can change (below c both ramps are 0; once both
 * are saturated at max it is constant).
 */
export interface BumpRecipe {
  /** Shifts [w, o] of the source; empty: the ramps read the source itself. */
  readonly shifts: ReadonlyArray<readonly [number, number]>;
  /** Ramp k (1 ≤ k < n; index 0 unused): its shift (−1: the source), gain and bias. */
  readonly ramps: ReadonlyArray<{ shift: number; g: number; b: number }>;
  /** Per position c: its edges as [ramp k, weight] and its bias. */
  readonly pieces: ReadonlyArray<{ edges: ReadonlyArray<readonly [number, number]>; bias: number }>;
  readonly cost: number;
}

/** Weights w in [1, max] with w ⊗ v = target, nearest to target·one/v first (a few candidates). */
function weightsHitting(s: Setting, v: number, target: number): number[] {
  const out: number[] = [];
  if (v <= 0) return out;
  const c = Math.round((target * s.one) / v);
  for (let dw = 0; dw <= 4 && out.length < 3; dw++) {
    for (const w of dw === 0 ? [c] : [c - dw, c + dw]) {
      if (w >= 1 && w <= s.max && s.mul(w, v) === target) out.push(w);
    }
  }
  return out;
}

type Piece = { edges: Array<[number, number]>; bias: number };

/**
 * The cheapest bump recipe for the source values `src` (`shifted`: through shifts of a signed source)
 * over a few gains and shift slopes, or null when none makes every indicator exact.
 */
export function bumpRecipe(s: Setting, src: ArrayLike<number>, shifted: boolean): BumpRecipe | null {
  const one = s.one;
  const gains: number[] = [];
  for (let g = s.max; g >= 1 && gains.length < 12; g = Math.floor(g / 2)) gains.push(g);
  for (const k of [2, 3, 4, 6, 8]) if (k * one <= s.max && !gains.includes(k * one)) gains.push(k * one);
  let best: BumpRecipe | null = null;
  const slopes = shifted ? [one, 2 * one].filter((w) => w <= s.max) : [one];
  for (const slope of slopes) {
    for (const g of gains) {
      const r = bumpsWith(s, src, shifted, g, slope);
      if (r && (!best || r.cost < best.cost)) best = r;
    }
    if (!shifted && best) break;
  }
  return best;
}

function bumpsWith(
  s: Setting,
  src: ArrayLike<number>,
  shifted: boolean,
  g: number,
  slope: number,
): BumpRecipe | null {
  const n = src.length;
  if (n < 2) return null;
  const one = s.one;
  {
    const shifts: Array<[number, number]> = [];
    const T: Float64Array[] = [];
    const ramps: Array<{ shift: number; g: number; b: number }> = [{ shift: -1, g: 0, b: 0 }];
    const Tof = (j: number) => (j < 0 ? src : T[j]);
    const R = (k: number, p: number) => {
      const r = ramps[k];
      return unary(s, r.g, Tof(r.shift)[p], r.b);
    };
    let ok = true;
    for (let k = 1; k < n && ok; k++) {
      const tryShift = (j: number): boolean => {
        const h = Tof(j);
        const b = -s.mul(g, h[k - 1]);
        if (!(b >= s.min && b <= s.max)) return false;
        if (j >= 0 && h[Math.min(k + 1, n - 1)] >= s.max) return false;
        ramps.push({ shift: j, g, b });
        if (R(k, k - 1) === 0 && R(k, k) > 0) return true;
        ramps.pop();
        return false;
      };
      if (shifted ? T.length > 0 && tryShift(T.length - 1) : tryShift(-1)) continue;
      if (!shifted) {
        ok = false;
        break;
      }
      let placed = false;
      for (const w of [slope, slope - 1]) {
        const o = -s.mul(w, src[k - 1]);
        if (!(o >= s.min && o <= s.max)) continue;
        const col = new Float64Array(n);
        for (let p = 0; p < n; p++) col[p] = unary(s, w, src[p], o);
        shifts.push([w, o]);
        T.push(col);
        if (tryShift(T.length - 1)) {
          placed = true;
          break;
        }
        shifts.pop();
        T.pop();
      }
      if (!placed) ok = false;
    }
    if (!ok) return null;
    // the piece at c on all positions where it can change
    const exact = (edges: ReadonlyArray<readonly [number, number]>, b: number, c: number): boolean => {
      const ws = edges.map((e) => e[1]);
      const hs = new Array<number>(edges.length);
      for (let p = Math.max(0, c - 1); p < n; p++) {
        let saturated = true;
        for (let i = 0; i < edges.length; i++) {
          hs[i] = R(edges[i][0], p);
          if (hs[i] !== s.max) saturated = false;
        }
        const got = neuron(s, ws, hs, b);
        if (got !== (p === c ? one : 0)) return false;
        if (saturated && p > c) break;
      }
      // below c − 1 every ramp read is 0: the value is relu(b) there
      if (c >= 2) {
        const low = neuron(
          s,
          ws,
          ws.map(() => 0),
          b,
        );
        if (low !== 0) return false;
      }
      return true;
    };
    const pieces: Piece[] = [];
    for (let c = 0; c < n && ok; c++) {
      let found: Piece | null = null;
      const tryPiece = (edges: Array<[number, number]>, bias: number) => {
        if (!found && edges.every(([, w]) => w >= s.min && w <= s.max) && exact(edges, bias, c))
          found = { edges, bias };
      };
      if (c === 0) {
        for (const m of [s.min, -2 * one, -one]) tryPiece([[1, m]], one);
      } else {
        for (const w of weightsHitting(s, R(c, c), one)) {
          if (c === n - 1) tryPiece([[c, w]], 0);
          else
            for (const m of [s.min, -2 * w, -3 * w, -4 * w])
              tryPiece(
                [
                  [c, w],
                  [c + 1, m],
                ],
                0,
              );
        }
      }
      if (!found) ok = false;
      else pieces.push(found);
    }
    if (!ok) return null;
    let cost = 2 * shifts.length + 2 * (n - 1);
    for (const pc of pieces) cost += pc.edges.length + 1;
    return { shifts, ramps, pieces, cost };
  }
}

/**
 * The shifts (at layer+1, carried to rampLayer − 1), ramps (rampLayer) and pieces (rampLayer + 1) of a
 * bump recipe on the source node `src` at `layer`; without shifts the ramps read the source
 * (rampLayer = layer + 1). Returns the pieces' ids.
 */
export function buildBumps(
  nb: NetBuilder,
  src: number,
  layer: number,
  r: BumpRecipe,
  rampLayer = layer + 1,
): number[] {
  const shiftIds = r.shifts.map(([w, o]) => nb.at(nb.add(layer + 1, o, [[src, w]]), rampLayer - 1));
  const ramps = [-1];
  for (let k = 1; k < r.ramps.length; k++) {
    const { shift, g, b } = r.ramps[k];
    ramps.push(nb.add(rampLayer, b, [[shift < 0 ? src : shiftIds[shift], g]]));
  }
  return r.pieces.map((i) =>
    nb.add(
      rampLayer + 1,
      i.bias,
      i.edges.map(([k, w]) => [ramps[k], w] as [number, number]),
    ),
  );
}
