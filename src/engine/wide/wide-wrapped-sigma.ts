/**
 * Range queries of σ_F where Lemma 1's shape does not carry over to σ_F, for Lemma IF (docs/theory.md §9.5):
 *
 * - `wrappedSigma`: softplus where σ leaves the range at the top under `wrap` (modular emitters). By
 *   `wrappedDomain` (Lemma SR's pieces) σ_F is non-decreasing on [min, c* − 1] and on [c*, max]
 *   (ρ(c) = rnd(σ(c·2⁻ⁿ)·2ⁿ) is non-decreasing and min ≤ 0 < ρ ≤ max + N, so σ_F = ρ on the first piece and
 *   ρ − N on the second).
 * - `validTopSigma`: a monotone σ under `error` whose rounded value passes max above some code v* (softplus
 *   under ceil at max): σ_F is valid exactly on [min, v*] and non-decreasing there (reach-limited families).
 *
 * The least and greatest σ_F over codes a … b are read at the ends of its intersection with each piece; over
 * both pieces the hull of the two spans is returned (a superset: interval images stay sound, only weaker);
 * past the last piece, null (invalid). Plateau edges and preimages by binary search on each piece. Only
 * Lemma IF's searches read these oracles: their `shape` fields describe σ, not σ_F, and no lemma that needs
 * σ_F monotone on all of 𝕀 is given them.
 */
import type { ActivationShape } from './activation-shape.js';
import type { WideSetting } from './wide-setting.js';
import { wrappedDomain } from './wide-shift-span.js';
import type { WideSigma, WideSpan } from './wide-sigma.js';

/** The two-piece oracle, or why σ_F is not of that form. */
export function wrappedSigma(s: WideSetting, shape: ActivationShape): (WideSigma & { cut: bigint }) | string {
  const d = wrappedDomain(s);
  if (typeof d === 'string') return d;
  return { ...piecewise(s, shape, d.pieces), cut: d.pieces[1][0] };
}

/**
 * σ_F of a monotone σ under `error` where σ's rounded value passes max above some code (softplus under ceil
 * at max): rnd(σ(c·2⁻ⁿ)·2ⁿ) is non-decreasing and ≥ σ_F(min) ≥ min, so σ_F is valid exactly on [min, v*]
 * (v* by bisection on validity) and non-decreasing there; a range that reaches past v* is null (invalid).
 */
export function validTopSigma(
  s: WideSetting,
  shape: ActivationShape,
): (WideSigma & { top: bigint }) | string {
  if (s.policy.overflow !== 'error') return 'not under overflow error';
  if (shape.kind !== 'monotone') return 'σ is not monotone';
  if (s.sigma(s.min) === null) return 'σ_F is invalid at min';
  if (s.sigma(s.max) !== null) return 'σ_F is valid at max';
  let lo = s.min;
  let hi = s.max;
  while (hi - lo > 1n) {
    const m = lo + (hi - lo) / 2n;
    if (s.sigma(m) === null) hi = m;
    else lo = m;
  }
  return { ...piecewise(s, shape, [[s.min, lo]]), top: lo };
}

/** The oracle of σ_F non-decreasing on each piece (codes outside every piece: null, invalid). */
function piecewise(s: WideSetting, shape: ActivationShape, pieces: readonly WideSpan[]): WideSigma {
  const sigma = (c: bigint) => s.sigma(c);
  const last = pieces[pieces.length - 1][1];
  const range = (a: bigint, b: bigint): WideSpan | null => {
    if (a < pieces[0][0] || b > last) return null;
    let lo: bigint | null = null;
    let hi: bigint | null = null;
    for (const [p, q] of pieces) {
      const x = a > p ? a : p;
      const y = b < q ? b : q;
      if (x > y) continue;
      const u = sigma(x);
      const v = sigma(y);
      if (u === null || v === null) return null;
      if (lo === null || u < lo) lo = u;
      if (hi === null || v > hi) hi = v;
    }
    return lo === null || hi === null ? null : [lo, hi];
  };
  const firstPast = (p: bigint, q: bigint, v: bigint, strict: boolean) => {
    let lo = p;
    let hi = q + 1n;
    while (lo < hi) {
      const mid = lo + (hi - lo) / 2n;
      const x = sigma(mid) as bigint;
      if (strict ? x > v : x >= v) hi = mid;
      else lo = mid + 1n;
    }
    return lo;
  };
  const spanMemo = new Map<bigint, WideSpan[]>();
  const preimageSpans = (v: bigint): WideSpan[] => {
    const hit = spanMemo.get(v);
    if (hit) return hit;
    const out: WideSpan[] = [];
    for (const [p, q] of pieces) {
      const lo = firstPast(p, q, v, false);
      const hi = firstPast(p, q, v, true) - 1n;
      if (lo <= hi && lo <= q && sigma(lo) === v) out.push([lo, hi]);
    }
    spanMemo.set(v, out);
    return out;
  };
  const preimage = (v: bigint): bigint[] =>
    preimageSpans(v).flatMap(([lo, hi]) => (lo === hi ? [lo] : [lo, hi, lo + (hi - lo) / 2n]));
  let marks: bigint[] | null = null;
  const landmarks = () => {
    if (marks) return marks;
    const out = new Set<bigint>();
    const add = (c: bigint, spread = 1n) => {
      for (let k = -spread; k <= spread; k++) if (c + k >= s.min && c + k <= s.max) out.add(c + k);
    };
    add(0n, 2n);
    for (let p = s.one >> 8n > 0n ? s.one >> 8n : 1n; p <= s.max; p *= 2n) {
      add(p, 0n);
      add(-p, 0n);
    }
    for (const [p, q] of pieces) {
      add(p);
      add(q);
      // plateau edges at both ends of the piece
      const vp = sigma(p) as bigint;
      const vq = sigma(q) as bigint;
      add(firstPast(p, q, vp, true) - 1n);
      add(firstPast(p, q, vq, false));
    }
    marks = [...out].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    return marks;
  };
  return { setting: s, shape, cL: s.min - 1n, cR: s.min, range, landmarks, preimage, preimageSpans };
}
