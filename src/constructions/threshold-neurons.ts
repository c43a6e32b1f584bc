/**
 * Threshold neurons (docs/construction.md, "Threshold neurons"): for d = 1, sequential accumulation,
 * saturating overflow and all weights, when σ_F is a step on codes — σ_F(p) = 0 for p < p0 and
 * σ_F(p) = one for p ≥ p0, with min < p0 ≤ max (the built-in `step`, p0 = 0) — every threshold is ONE
 * neuron U_t = σ_F(one ⊗ x ⊕ (p0 − t)) = one·[x ≥ t]. With f(min) from a constant neuron
 * K = σ_F(p0) = one read first, and for every t with Δ_t = f(t) − f(t − ε) ≠ 0 the output terms
 * ω ⊗ U_t (ω ⊗ one = ω, exact) in ascending t, each jump split into ⌈|Δ_t| / max⌉ terms of one sign
 * (one neuron each), the output accumulator walks f(min), …, f(x) through values of f only, so no mode
 * intervenes and the output is f(x). Cost: 3 per term, 2 for K, 1 for the output bias.
 */
import type { Setting } from '../engine/setting.js';
import type { Compilation, Construction, Target } from './compilation.js';
import { NetBuilder } from './net-builder.js';

/** p0 when σ_F is 0 below p0 and one from p0 on (min < p0 ≤ max), else null. */
export function stepPoint(s: Setting): number | null {
  let p0: number | null = null;
  for (let p = s.min; p <= s.max; p++) {
    const v = s.sigma[p - s.min];
    if (v === 0 && p0 === null) continue;
    if (v !== s.one) return null;
    if (p0 === null) p0 = p;
  }
  return p0 !== null && p0 > s.min ? p0 : null;
}

function applies(s: Setting, d: number): number | null {
  if (d !== 1 || s.accumulation !== 'sequential' || s.weightSet !== 'all') return null;
  if (s.policy.overflow !== 'saturate' || s.one > s.max) return null;
  return stepPoint(s);
}

/** The output weights of one jump from a to b (codes of f): terms of one sign, each a value. */
export function jumpTerms(s: Setting, a: number, b: number): number[] {
  const out: number[] = [];
  let left = b - a;
  while (left > 0) {
    const w = Math.min(left, s.max);
    out.push(w);
    left -= w;
  }
  while (left < 0) {
    const w = Math.max(left, s.min);
    out.push(w);
    left -= w;
  }
  return out;
}

/** The exact size: the output bias, K and its edge when f(min) ≠ 0, 3 per term. */
function plan({ s, table, d }: Target): number | null {
  const p0 = applies(s, d);
  if (p0 === null) return null;
  for (let t = s.min + 1; t <= s.max; t++) if (p0 - t < s.min || p0 - t > s.max) return null;
  let p = 1 + (table[0] !== 0 ? 2 : 0);
  for (let i = 1; i < table.length; i++) p += 3 * jumpTerms(s, table[i - 1], table[i]).length;
  return p;
}

function build(t: Target): Compilation | null {
  const { s, table, d } = t;
  if (plan(t) === null) return null;
  const p0 = applies(s, d) as number;
  const nb = new NetBuilder(1, [0, 0]);
  const out: Array<[number, number]> = [];
  // K = σ_F(p0) = one: the accumulator starts at f(min)
  if (table[0] !== 0) out.push([nb.add(1, p0, []), table[0]]);
  let neurons = 0;
  for (let i = 1; i < table.length; i++) {
    const th = s.min + i;
    for (const w of jumpTerms(s, table[i - 1], table[i])) {
      out.push([nb.add(1, p0 - th, [[0, s.one]]), w]);
      neurons++;
    }
  }
  if (out.length === 0) return null; // f ≡ 0: the boxes construction has it
  nb.add(2, 0, out);
  return { net: nb.build(), beta: 0, boxes: neurons, method: 'thresholds' };
}

export const thresholdNeurons: Construction = {
  name: 'thresholds',
  summary: 'σ_F a step on codes: one neuron per threshold, output terms in ascending order (d = 1)',
  plan,
  build,
};
