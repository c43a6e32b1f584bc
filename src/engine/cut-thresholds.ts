/**
 * Cut threshold families (docs/theory.md §11.2): threshold chains for formats without gain (`Q0.n`,
 * `Q1.n`), where no weight exceeds 1 (or 2) and σ_F is at most 1-Lipschitz, so the families of §9.3
 * (splits near 0, a rest chain for the whole side) find no rest chain: a side as wide as half the range
 * cannot be collapsed to one value. Here the head x ↦ σ_F(w⊗x ⊕ b_t) has a small gain |w| = 2^−k
 * (and its neighbours ±1 code, which merge other pairs of codes), so each side's pre-activations span
 * only about |w|·(max − min) codes, and the split is a **cut**: a code s where σ_F(s − 1) and σ_F(s)
 * fall on two sides of a rounding boundary of a small product ε⊗h (e.g. σ_F crossing ½ on `Q0.n`).
 * The rest chain is solved once per (direction, split, span) on those narrow sides, e.g. one step
 * h ↦ σ_F(ε⊗h) sends every value in (−½, ½] to σ_F(0) = 0 and every value in (½, 1) to σ_F(ε) = ε.
 * Nothing is trusted: every threshold chain is proved on its two intervals by interval images (§9.1),
 * and `verifyChainCertificate` proves them all again (§9.2).
 */

import type { Budget } from './budget.js';
import type { Step } from './chain-solver.js';
import {
  headChainProves,
  type SigmaRanges,
  type Span,
  solveIntervalChain,
  stepPre,
} from './interval-chain.js';
import type { Setting } from './setting.js';
import { fillThresholdTablesByFamilies, type ThresholdTables, thresholdSides } from './threshold-tables.js';

type Kind = 'upper' | 'lower';

/** Most cut splits tried. */
const MAX_SPLITS = 12;

/** Threshold chains by cut families, or why there are none. */
export function findCutThresholds(
  s: Setting,
  r: SigmaRanges,
  e: number,
  budget?: Budget,
): ThresholdTables | string {
  if (s.weightSet === 'binary') return 'cut families need small weights (not binary)';
  const si = r.setting;
  const one = s.one;
  // head weights: ±2^−k and their neighbours (each merges other pairs of adjacent codes)
  const heads: number[] = [];
  for (let k = 1; k <= 3; k++)
    for (const d of [0, 1, -1, 2, -2]) {
      const w = Math.floor(one / 2 ** k) + d;
      for (const x of [w, -w]) if (x >= s.min && x <= s.max && x !== 0 && !heads.includes(x)) heads.push(x);
    }
  // cut splits: codes where a small product ε⊗σ_F or 2ε⊗σ_F changes (nearest 0 first)
  const splits: number[] = [];
  const sig = (p: number) => s.sigma[p - s.min];
  for (const wc of [1, 2]) {
    const cuts: number[] = [];
    for (let p = s.min + 1; p <= s.max; p++) {
      const a = sig(p - 1);
      const b = sig(p);
      if (!(a >= s.min && b >= s.min)) continue;
      if (si.mul(wc, a) !== si.mul(wc, b)) cuts.push(p);
    }
    cuts.sort((x, y) => Math.abs(x) - Math.abs(y));
    for (const p of cuts) if (splits.length < MAX_SPLITS && !splits.includes(p)) splits.push(p);
  }
  if (splits.length === 0) return 'cut families: no cut of σ_F';
  // the rest chain of each (kind, split, span): undefined until solved, null when there is none
  // (keyed by one number: it is looked up for every head tried on every threshold)
  const rests = new Map<number, Step[] | null>();
  const rest = (kind: Kind, split: number, span: number): Step[] | null => {
    const key = ((kind === 'upper' ? 0 : 1) * s.size + (split - s.min)) * 2 ** 24 + span;
    const known = rests.get(key);
    if (known !== undefined) return known;
    let chain: Step[] | null = null;
    const lo = Math.max(s.min, split - span);
    const hi = Math.min(s.max, split + span);
    // a side may be empty (a cut at max read as 'lower': [max + 1, max]); then no rest chain
    const side = (a: number, b: number): Span | null => (a <= b ? r.range(a, b) : null);
    const hiSpan: Span | null = side(kind === 'upper' ? split : split + 1, hi);
    const loSpan: Span | null = side(lo, kind === 'upper' ? split - 1 : split);
    if (hiSpan && loSpan && (hiSpan[0] > loSpan[1] || loSpan[0] > hiSpan[1])) {
      const [oneSpan, zeroSpan] = kind === 'upper' ? [hiSpan, loSpan] : [loSpan, hiSpan];
      chain = solveIntervalChain(s, zeroSpan, oneSpan, 0, e, { minDepth: 0, maxDepth: 3, beam: 6, budget });
    }
    rests.set(key, chain);
    return chain;
  };
  const proves = (dir: 'ge' | 'le', t: number, head: Step, tail: readonly Step[]) =>
    dir === 'ge'
      ? headChainProves(r, head, tail, t, s.max, e) && headChainProves(r, head, tail, s.min, t - 1, 0)
      : headChainProves(r, head, tail, s.min, t, e) && headChainProves(r, head, tail, t + 1, s.max, 0);
  // the pre-activation span of a head over the whole input range, in codes
  const spanOf = (w: number) => Math.ceil((Math.abs(w) * s.size) / one) + 2;
  let last: { w: number; split: number } | null = null;
  const tryHead = (dir: 'ge' | 'le', t: number, w: number, split: number): Step[] | null => {
    const kind: Kind = (dir === 'ge') === w > 0 ? 'upper' : 'lower';
    const u = s.accumulation === 'exact' ? Math.round((w * t) / one) : si.mul(w, t);
    if (!(u >= s.min)) return null;
    for (const d of [0, 1, -1]) {
      const b = split - u + d;
      if (b < s.min || b > s.max) continue;
      const p = stepPre(si, w, b, t);
      if (!(p >= s.min) || (kind === 'upper' ? p < split : p > split)) continue;
      const tail = rest(kind, split, spanOf(w));
      if (!tail) return null;
      const head: Step = [w, b];
      if (proves(dir, t, head, tail)) return [head, ...tail];
    }
    return null;
  };
  const family = (dir: 'ge' | 'le', t: number): Step[] | null => {
    if (last) {
      const hit = tryHead(dir, t, last.w, last.split);
      if (hit) return hit;
    }
    for (const split of splits)
      for (const w of heads) {
        const hit = tryHead(dir, t, w, split);
        if (hit) {
          last = { w, split };
          return hit;
        }
      }
    return null;
  };
  // next to the ends no head serves t: a direct interval search (as in the families of §9.3)
  const direct = (dir: 'ge' | 'le', t: number): Step[] | null => {
    budget?.spend(s.size * 64, 'the cut threshold search');
    const [inside, outside] = thresholdSides(s, dir, t);
    return solveIntervalChain(s, outside, inside, 0, e, { minDepth: 1, maxDepth: 4, beam: 8, budget });
  };
  return fillThresholdTablesByFamilies(
    s,
    family,
    direct,
    budget,
    'the cut threshold search',
    'cut families: ',
  );
}
