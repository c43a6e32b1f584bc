/**
 * Steps on a signal with few values (docs/construction.md, "Two-level tables from clean ramps", Steps on
 * the values a signal takes). Statement: let a signal h take only values in a finite set V (computed
 * exactly, e.g. by evaluating it on every input), t a threshold, and a chain of unary neurons
 * u ↦ σ_F(g ⊗ u ⊕ b) (all weights). If the chain, evaluated with the setting's own ⊗, ⊕ and σ_F on every
 * v ∈ V, gives la for every v ≥ t and lb ≠ la for every v < t, then the chain applied to h is the exact
 * two-level signal la·[h ≥ t] + lb·[h < t] on every input. Proof: each neuron is a function of its one
 * input, so the chain's output at an input is the chain evaluated at h's value there, which lies in V. ∎
 * Unlike the saturating-steps search, which treats the two sides as code intervals [t, max] and
 * [min, t − 1], this uses the gaps between the values actually taken (e.g. a column sum taking 0 and 4
 * but nothing between), and any gain in the first stage: a threshold next to the end of V needs one or
 * two stages where the interval search needs three.
 *
 * The search: every (g1, b1); the images of the two sides must not interleave; sides reduced to their
 * extreme images (each stage is monotone, so a stage sending both extremes of a side to one value sends
 * the whole side there — used only to prune: every chain returned is evaluated on every v ∈ V).
 */
import { type Setting, unary } from '../engine/setting.js';
import type { SatStep } from './saturating-steps.js';
import { findWindow } from './window-neuron.js';

/** σ_F(g ⊗ h ⊕ b) for every (g, b, h), |𝕀|³ entries (8-bit formats: 16 MB, once per setting). */
const tables = new WeakMap<Setting, Int16Array>();
function tableOf(s: Setting): Int16Array {
  let T = tables.get(s);
  if (T) return T;
  const N = s.size;
  T = new Int16Array(N * N * N);
  let i = 0;
  for (let g = s.min; g <= s.max; g++)
    for (let b = s.min; b <= s.max; b++) for (let h = s.min; h <= s.max; h++) T[i++] = unary(s, g, h, b);
  tables.set(s, T);
  return T;
}

const MAX_KEYS = 400;

const memo = new WeakMap<Setting, Map<string, SatStep | null>>();

/** The chain evaluated on v. */
const run = (s: Setting, chain: ReadonlyArray<readonly [number, number]>, v: number) => {
  let h = v;
  for (const [g, b] of chain) h = unary(s, g, h, b);
  return h;
};

/** True where the chain gives one level on the values ≥ t and another on those below (exact check). */
export function isDiscreteStep(s: Setting, st: SatStep, values: readonly number[], t: number): boolean {
  if (st.la === st.lb) return false;
  for (const v of values) if (run(s, st.chain, v) !== (v >= t ? st.la : st.lb)) return false;
  return true;
}

/**
 * A step of at most two stages on the value set `values` at threshold t (some value on each side),
 * its levels readable by a window (one more neuron makes them one and 0), or null. Formats up to
 * 8 bits (the search is |𝕀|² per stage). Memoised per setting.
 */
export function discreteStep(s: Setting, values: readonly number[], t: number): SatStep | null {
  if (s.size > 256) return null;
  const vs = [...new Set(values)].sort((p, q) => p - q);
  const lower = vs.filter((v) => v < t);
  const upper = vs.filter((v) => v >= t);
  if (lower.length === 0 || upper.length === 0) return null;
  let m = memo.get(s);
  if (!m) memo.set(s, (m = new Map()));
  const key = `${vs.join(',')}|${t}`;
  const hit = m.get(key);
  if (hit !== undefined) return hit;
  const readable = (la: number, lb: number) =>
    la !== lb && ((la === s.one && lb === 0) || findWindow(s, [[lb], [la]], [0, s.one]) !== null);
  const seen = new Set<string>();
  let found: SatStep | null = null;
  const extremes = (xs: readonly number[], g: number, b: number) => {
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const x of xs) {
      const y = unary(s, g, x, b);
      if (y < lo) lo = y;
      if (y > hi) hi = y;
    }
    return [lo, hi] as const;
  };
  // strongest gains first; at most MAX_KEYS distinct side images get the second-stage search (a bound
  // for time: a threshold between two runs of adjacent values has no two-stage step and would take
  // every key)
  const gains: number[] = [];
  for (let g = s.min; g <= s.max; g++) if (g !== 0) gains.push(g);
  gains.sort((p, q) => Math.abs(q) - Math.abs(p));
  outer: for (const g1 of gains) {
    for (let b1 = s.min; b1 <= s.max; b1++) {
      const [l0, l1] = extremes(lower, g1, b1);
      const [u0, u1] = extremes(upper, g1, b1);
      if (!(l1 < u0 || u1 < l0)) continue;
      if (l0 === l1 && u0 === u1) {
        const st: SatStep = { chain: [[g1, b1]], la: u0, lb: l0 };
        if (readable(u0, l0) && isDiscreteStep(s, st, vs, t)) {
          found = st;
          break outer;
        }
        continue;
      }
      const k = `${l0},${l1},${u0},${u1}`;
      if (seen.has(k) || seen.size >= MAX_KEYS) continue;
      seen.add(k);
      const T = tableOf(s);
      const N = s.size;
      for (let g2 = s.min; g2 <= s.max; g2++) {
        if (g2 === 0) continue;
        for (let b2 = s.min; b2 <= s.max; b2++) {
          const row = ((g2 - s.min) * N + (b2 - s.min)) * N - s.min;
          const la = T[row + u0];
          if (T[row + u1] !== la) continue;
          const lb = T[row + l0];
          if (T[row + l1] !== lb || !readable(la, lb)) continue;
          const st: SatStep = {
            chain: [
              [g1, b1],
              [g2, b2],
            ],
            la,
            lb,
          };
          if (isDiscreteStep(s, st, vs, t)) {
            found = st;
            break outer;
          }
        }
      }
    }
  }
  m.set(key, found);
  return found;
}
