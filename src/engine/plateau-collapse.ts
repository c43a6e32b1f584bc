/**
 * Collapse rest chains for threshold families split at an end plateau of σ_F (docs/theory.md §9.7,
 * "Splits at the end plateaus"). With the split s at the edge of σ_F's bottom plateau [min, B] (s = B + 1),
 * one side of the split, σ_F([min, B]), is a single value v and the other, σ_F([s, max]), an interval
 * [v′, M] above it (σ_F non-decreasing); at the top plateau [T, max] (s = T) it is the mirror. The rest
 * chain must send the single value to one level and the whole interval to the other. On formats without
 * gain (softplus on `Q0.n`, `Q1.n`: weights below 2, σ′ < 1) two steps do it:
 *
 * 1. a collapse h ↦ σ_F(w⊗h ⊕ b) whose bias puts the interval's pre-activations just inside one of σ_F's
 *    end plateaus (saturation of the pre-activation lands there too), so the whole interval goes to one
 *    value, while the single value's pre-activation, a code or two away, stays outside it;
 * 2. a finishing step (`finishingStep`, supplied by the caller) from the two single values to the levels.
 *
 * Nothing here is trusted: a chain is returned only when interval images (§9.1; in the no-wrap shadow
 * under wrap, §10.1) prove it on both spans, and every threshold using it is proved again with its head.
 */
import type { Step } from './chain-solver.js';
import { headChainProves, type SigmaRanges, type Span, sigmaRanges, stepPre } from './interval-chain.js';
import type { Setting } from './setting.js';

/** Weights tried for the collapse: ±1, its neighbours, ±½, and the largest magnitudes (binary: ±1). */
function gains(s: Setting): number[] {
  if (s.weightSet === 'binary') return [...s.weights];
  const out: number[] = [];
  const half = s.one / 2;
  for (const c of [
    s.one,
    -s.one,
    s.one - 1,
    -(s.one - 1),
    s.one + 1,
    -(s.one + 1),
    s.max,
    -s.max,
    s.min,
    half,
    -half,
  ])
    if (Number.isInteger(c) && c >= s.min && c <= s.max && c !== 0 && !out.includes(c)) out.push(c);
  return out;
}

/** The end plateaus of a non-decreasing σ_F: the codes [min, bottom] and [top, max] of its extreme values. */
export function endPlateaus(s: Setting): { bottom: number; top: number } {
  let bottom = s.min;
  while (bottom < s.max && s.sigma[bottom + 1 - s.min] === s.sigma[0]) bottom++;
  let top = s.max;
  while (top > s.min && s.sigma[top - 1 - s.min] === s.sigma[s.size - 1]) top--;
  return { bottom, top };
}

/** σ_F's image of [lo, hi] under the step (w, b) for a non-decreasing σ_F, or null when invalid. */
function image(si: Setting, w: number, b: number, lo: number, hi: number): Span | null {
  const p = stepPre(si, w, b, lo);
  const q = stepPre(si, w, b, hi);
  if (!(p >= si.min && q >= si.min)) return null;
  return [si.sigma[Math.min(p, q) - si.min], si.sigma[Math.max(p, q) - si.min]];
}

/**
 * A two-step chain [collapse, finish] sending every value of `off` to ι and of `on` to a (sequential
 * accumulation, non-decreasing σ_F), proved by interval images; null when none is found. `finish(x, y)`
 * is a step sending the value x to ι and y to a, or null.
 */
export function collapseChain(
  real: Setting,
  off: Span,
  on: Span,
  idle: number,
  a: number,
  finish: (x: number, y: number) => Step | null,
): Step[] | null {
  const r: SigmaRanges = sigmaRanges(real);
  const si = r.setting;
  if (!si.monotone || si.accumulation !== 'sequential') return null;
  const { bottom, top } = endPlateaus(si);
  for (const w of gains(si)) {
    for (const b of collapseBiases(si, w, off, on, bottom, top)) {
      if (b < si.min || b > si.max) continue;
      const z = image(si, w, b, off[0], off[1]);
      const e = image(si, w, b, on[0], on[1]);
      if (!z || !e || z[0] !== z[1] || e[0] !== e[1] || z[0] === e[0]) continue;
      const last = finish(z[0], e[0]);
      if (!last) continue;
      const chain: Step[] = [[w, b], last];
      if (
        headChainProves(r, null, chain, off[0], off[1], idle) &&
        headChainProves(r, null, chain, on[0], on[1], a)
      )
        return chain;
    }
  }
  return null;
}

/**
 * Biases that put one side's pre-activations (the products at its ends, u ⊕ b) just inside an end
 * plateau, at its inner edge and one or two codes further in: the only biases that push a wide side
 * into a plateau while a value a code or two away stays outside it.
 */
function collapseBiases(si: Setting, w: number, z: Span, e: Span, bottom: number, top: number): number[] {
  const out: number[] = [];
  for (const side of [z, e]) {
    const u0 = si.mul(w, side[0]);
    const u1 = si.mul(w, side[1]);
    if (!(u0 >= si.min && u1 >= si.min)) continue;
    const lo = Math.min(u0, u1);
    const hi = Math.max(u0, u1);
    for (const d of [0, 1, 2]) out.push(top - lo + d, bottom - hi - d);
  }
  return out;
}
