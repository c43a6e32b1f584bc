/**
 * Threshold neurons under wrap (docs/construction.md, "Threshold neurons under wrap"): for d = 1, all
 * weights, overflow `wrap` (no saturation bits; any rounding, accumulation and bias order), when σ_F is a
 * step on codes (0 below p0, one from p0 on; the built-in `step`). Every threshold t is one neuron
 * U_t = σ_F(w_t ⊗ x ⊕ b_t) = one·[x ≥ t] with 0 < w_t ≤ one/2: then |w_t ⊗ x| ≤ 2^(W−2) and the bias too,
 * so no sum leaves 𝕀, the pre-activation is non-decreasing in x, and U_t(t − 1) = 0, U_t(t) = one (checked)
 * settle every x. w_t is searched from one/2 down (x ↦ rnd(w·x) must step between t − 1 and t).
 * Where no 0 < w ≤ one/2 steps at t (floor never steps between min and min + ε), a negative weight gives
 * D_t = one·[x ≤ t − ε] = one − U_t instead. The output adds K = σ_F(p0) = one with weight
 * f(min) + Σ_{t read by D_t} Δ_t, and for every jump Δ_t = f(t) − f(t − ε) ≠ 0 ONE term, Δ_t ⊗ U_t or
 * (−Δ_t) ⊗ D_t, weights taken modulo 2^W: every product is exact, so by the Lemma "wrap arithmetic" the
 * output is f(min) + Σ_{t ≤ x} Δ_t = f(x) modulo 2^W, and f(x) ∈ 𝕀 makes it f(x) exactly.
 * Cost: 3 per jump, 2 for K, 1 for the output bias.
 */
import { type Setting, unary } from '../engine/setting.js';
import type { Compilation, Construction, Target } from './compilation.js';
import { NetBuilder } from './net-builder.js';
import { stepPoint } from './threshold-neurons.js';

function applies(s: Setting, d: number): number | null {
  if (d !== 1 || s.weightSet !== 'all' || s.policy.overflow !== 'wrap' || s.policy.saturationBits)
    return null;
  const W = Math.round(Math.log2(s.size));
  if (2 ** W !== s.size || s.min !== -(s.size / 2) || s.one > s.max) return null;
  return stepPoint(s);
}

/**
 * The threshold neurons [w, b, down] for t = min + 1 … max (index t − min − 1), or null when one is
 * missing: U_t = one·[x ≥ t] (w > 0), or with `down` D_t = one·[x ≤ t − ε] = one − U_t (w < 0; floor
 * rounding, for instance, steps rnd(w·x) between min and min + ε only for a negative w).
 */
function thresholds(s: Setting, p0: number): Array<readonly [number, number, boolean]> | null {
  const quarter = s.size / 4;
  const out: Array<readonly [number, number, boolean]> = [];
  const half = s.one >> 1;
  for (let t = s.min + 1; t <= s.max; t++) {
    let found: readonly [number, number, boolean] | null = null;
    for (let k = 0; k <= half >> 1 && !found; k++) {
      for (const w of [half - k, -(half - k)]) {
        const lo = s.mul(w, t - 1);
        const hi = s.mul(w, t);
        if (hi === lo) continue;
        const down = w < 0;
        const at = down ? lo : hi;
        for (const b of [p0 - at, p0 - at + 1, p0 - at - 1]) {
          if (Math.abs(b) > quarter) continue;
          const [below, above] = down ? [s.one, 0] : [0, s.one];
          if (unary(s, w, t - 1, b) === below && unary(s, w, t, b) === above) {
            found = [w, b, down];
            break;
          }
        }
        if (found) break;
      }
    }
    if (!found) return null;
    out.push(found);
  }
  return out;
}

const cache = new WeakMap<Setting, Array<readonly [number, number, boolean]> | null>();

function cached(s: Setting, p0: number): Array<readonly [number, number, boolean]> | null {
  if (!cache.has(s)) cache.set(s, thresholds(s, p0));
  return cache.get(s) ?? null;
}

/** Δ modulo 2^W, as a code. */
export const wrapCode = (s: Setting, v: number) => ((((v - s.min) % s.size) + s.size) % s.size) + s.min;

function plan({ s, table, d }: Target): number | null {
  const p0 = applies(s, d);
  if (p0 === null) return null;
  const th = cached(s, p0);
  if (!th) return null;
  let p = 1;
  let k = table[0];
  for (let i = 1; i < table.length; i++) {
    if (table[i] === table[i - 1]) continue;
    p += 3;
    if (th[i - 1][2]) k += table[i] - table[i - 1];
  }
  return p + (wrapCode(s, k) !== 0 ? 2 : 0);
}

function build(t: Target): Compilation | null {
  const { s, table } = t;
  if (plan(t) === null) return null;
  const p0 = applies(s, 1) as number;
  const th = cached(s, p0)!;
  const nb = new NetBuilder(1, [0, 0]);
  const out: Array<[number, number]> = [];
  // K's weight: f(min) plus Δ_t for every jump read through D_t (Δ·U = Δ − Δ·D), modulo 2^W
  let k = table[0];
  let neurons = 0;
  for (let i = 1; i < table.length; i++) {
    if (table[i] === table[i - 1]) continue;
    const [w, b, down] = th[i - 1];
    const delta = table[i] - table[i - 1];
    if (down) k += delta;
    out.push([nb.add(1, b, [[0, w]]), wrapCode(s, down ? -delta : delta)]);
    neurons++;
  }
  const kw = wrapCode(s, k);
  if (kw !== 0) out.unshift([nb.add(1, p0, []), kw]);
  if (out.length === 0) return null;
  nb.add(2, 0, out);
  return { net: nb.build(), beta: 0, boxes: neurons, method: 'thresholds-wrap' };
}

export const wrapThresholds: Construction = {
  name: 'thresholds-wrap',
  summary:
    'σ_F a step on codes under wrap: one neuron per threshold (weights ≤ 1/2), one output term per jump (d = 1)',
  plan,
  build,
};
