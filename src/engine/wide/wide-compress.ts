/**
 * Compressing chains (docs/theory.md §9.5, "Compressing chains"): a candidate generator for the chain
 * searches when the two intervals to separate are wide and overflow forbids shifting them (`error`, or
 * the strict images of `wrap`). It proves nothing itself: every chain it returns is a chain of interval
 * images (§9.1, Lemma 3, strict), and the callers re-check it with `chainProves`.
 *
 * Idea. Let L < U be the two intervals (hulls of the two sides). A step with a small gain w > 0 maps them
 * to [rnd(w·l₀), rnd(w·l₁)] + b and [rnd(w·u₀), rnd(w·u₁)] + b (sequential accumulation; the exact one is
 * evaluated as it is), shrinking both by about w, and keeps them apart iff rnd(w·l₁) < rnd(w·u₀). The gain ε
 * (w = 2⁻ⁿ) shrinks by 2ⁿ but separates l₁ < u₀ only when a *change point* of h ↦ rnd(h·2⁻ⁿ) lies in
 * (l₁, u₀]; so each step takes the least gain that keeps the sides apart and a bias that puts the gap over
 * a change point of the ε step, and the next step can use ε. After a few steps both hulls are narrow and
 * the beam search (`solveWideChain`) finishes the chain. Under `error` every candidate is evaluated
 * strictly (null at any out-of-range intermediate value), so the chain never overflows.
 */
import type { Budget } from '../budget.js';
import type { WideSetting, WideStep } from './wide-setting.js';
import type { WideSigma, WideSpan } from './wide-sigma.js';

/** Codes p near 0 where the ε step changes value: pre(ε, p − 1) < pre(ε, p) (bias 0). */
function changePoints(s: WideSetting): bigint[] {
  const out: bigint[] = [];
  const f = (h: bigint) => s.pre([1n], [h], 0n) as bigint;
  for (let v = -3n; v <= 2n; v++) {
    // least p in [−4·one, 4·one] with f(p) > v (f non-decreasing)
    let lo = -4n * s.one;
    let hi = 4n * s.one;
    if (lo < s.min) lo = s.min;
    if (hi > s.max) hi = s.max;
    if (f(hi) <= v || f(lo) > v) continue;
    while (lo < hi) {
      const m = lo + (hi - lo) / 2n;
      if (f(m) > v) hi = m;
      else lo = m + 1n;
    }
    if (!out.includes(lo)) out.push(lo);
  }
  return out;
}

/** Gains tried, least first: ε·2ᵏ and 2ᵏε ± ε up to 1 (never above: those widen). */
function compressGains(s: WideSetting): bigint[] {
  const out = new Set<bigint>();
  for (let p = 1n; p <= s.one && p <= s.max; p *= 2n)
    for (const d of [-1n, 0n, 1n]) if (p + d > 0n) out.add(p + d);
  return [...out].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export interface Compressed {
  readonly steps: WideStep[];
  readonly zero: WideSpan;
  readonly one: WideSpan;
}

/**
 * Steps shrinking `zero` and `one` while keeping them apart, until both are at most `narrow` wide or no
 * step shrinks them further; the prefixes after each step (the caller tries to finish each).
 */
export function compressPrefixes(
  r: WideSigma,
  zero: WideSpan,
  one: WideSpan,
  maxSteps = 8,
  budget?: Budget,
): Compressed[] {
  const s = r.setting;
  if (s.binary) return [];
  const strict = s.policy.overflow !== 'saturate';
  const points = changePoints(s);
  const gains = compressGains(s);
  const eps = gains[0];
  const out: Compressed[] = [];
  let z = zero;
  let o = one;
  const steps: WideStep[] = [];
  const width = (a: WideSpan) => a[1] - a[0];
  for (let k = 0; k < maxSteps; k++) {
    const lowIsZero = z[1] < o[0];
    if (!lowIsZero && !(o[1] < z[0])) return out;
    const [L, U] = lowIsZero ? [z, o] : [o, z];
    let best: { st: WideStep; L: WideSpan; U: WideSpan; ahead: boolean } | null = null;
    for (const w of gains) {
      budget?.spend(100, 'the compressing chain search');
      const p0 = s.pre([w], [L[1]], 0n, strict);
      const p1 = s.pre([w], [U[0]], 0n, strict);
      if (p0 === null || p1 === null || p0 >= p1) continue;
      const biases = new Set<bigint>([0n]);
      for (const p of points) {
        biases.add(p - p1);
        biases.add(p - 1n - p0);
      }
      for (const b of biases) {
        if (b < s.min || b > s.max) continue;
        const a = [L[0], L[1], U[0], U[1]].map((h) => s.pre([w], [h], b, strict));
        if (a.some((x) => x === null)) continue;
        const [a0, a1, c0, c1] = a as bigint[];
        if (!(a0 <= a1 && a1 < c0 && c0 <= c1)) continue;
        const nl = r.range(a0, a1);
        const nu = r.range(c0, c1);
        if (!nl || !nu) continue;
        if (!(nl[1] < nu[0] || nu[1] < nl[0])) continue;
        // can the next step use ε? (its gap must straddle a change point)
        const lo = nl[1] < nu[0] ? nl : nu;
        const hi = nl[1] < nu[0] ? nu : nl;
        const e0 = s.pre([eps], [lo[1]], 0n);
        const e1 = s.pre([eps], [hi[0]], 0n);
        const ahead = e0 !== null && e1 !== null && e0 < e1;
        if (!best || (ahead && !best.ahead)) best = { st: [w, b], L: nl, U: nu, ahead };
        if (ahead) break;
      }
      if (best?.ahead) break;
    }
    if (!best) return out;
    // the images of the zero side and the one side (σ_F may reverse their order)
    const zImg = imageOf(r, best.st, z, strict);
    const oImg = imageOf(r, best.st, o, strict);
    if (!zImg || !oImg) return out;
    if (width(zImg) + width(oImg) >= width(z) + width(o) && k > 0) return out;
    steps.push(best.st);
    z = zImg;
    o = oImg;
    out.push({ steps: [...steps], zero: z, one: o });
    if (width(z) === 0n && width(o) === 0n) return out;
  }
  return out;
}

function imageOf(r: WideSigma, st: WideStep, span: WideSpan, strict: boolean): WideSpan | null {
  const s = r.setting;
  const p = s.pre([st[0]], [span[0]], st[1], strict);
  const q = s.pre([st[0]], [span[1]], st[1], strict);
  if (p === null || q === null) return null;
  return p <= q ? r.range(p, q) : r.range(q, p);
}
