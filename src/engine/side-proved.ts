/**
 * Lemma P (docs/theory.md §10.3, interval proofs with end points evaluated directly). For a set of codes
 * [lo, hi] ⊆ 𝕀, a chain R and a value v: if R ∘ σ_F sends [lo′, hi′] to v (proved by interval images,
 * §9.1, §10.1) and sends each code p of the finite set [lo, hi] ∖ [lo′, hi′] to v (evaluated exactly, with
 * the setting's own arithmetic), then R ∘ σ_F sends all of [lo, hi] to v: [lo, hi] is the union of the two
 * parts. Only the codes min and max are split off (where a wrapping σ_F, e.g. softplus under ceil on
 * `ap_fixed<16,6>` with σ_F(max) = min, leaves the interval hull of σ_F([split, max]) all of 𝕀).
 */
import type { Step } from './chain-solver.js';
import { chainGadget, runGadget } from './gadget.js';
import { chainProves, type SigmaRanges } from './interval-chain.js';
import type { Setting } from './setting.js';

/** R ∘ σ_F at the code p, exactly in the setting s (NaN when some value is invalid). */
export function pointThrough(s: Setting, steps: readonly Step[], p: number): number {
  const h = s.sigma[p - s.min];
  if (!(h >= s.min && h <= s.max)) return Number.NaN;
  return steps.length === 0 ? h : runGadget(s, chainGadget(steps), [h])[0];
}

/** R ∘ σ_F sends [lo, hi] to v by interval images alone (R empty: σ_F is constant v there). */
function intervalProved(r: SigmaRanges, steps: readonly Step[], lo: number, hi: number, v: number): boolean {
  const span = r.range(lo, hi);
  if (!span) return false;
  return steps.length === 0 ? span[0] === v && span[1] === v : chainProves(r, steps, span[0], span[1], v);
}

/**
 * True when R ∘ σ_F sends every code of [lo, hi] (lo ≤ hi) to v: by interval images, or (Lemma P) with
 * the end codes min and/or max of [lo, hi] evaluated directly in s (the real setting) and the rest by
 * interval images in r.
 */
export function sideProved(
  s: Setting,
  r: SigmaRanges,
  steps: readonly Step[],
  lo: number,
  hi: number,
  v: number,
): boolean {
  if (!(Number.isInteger(lo) && Number.isInteger(hi) && s.min <= lo && lo <= hi && hi <= s.max)) return false;
  if (intervalProved(r, steps, lo, hi, v)) return true;
  for (const [peelLo, peelHi] of [
    [false, true],
    [true, false],
    [true, true],
  ]) {
    if ((peelLo && lo !== s.min) || (peelHi && hi !== s.max)) continue;
    const a = peelLo ? lo + 1 : lo;
    const b = peelHi ? hi - 1 : hi;
    if (peelLo && pointThrough(s, steps, lo) !== v) continue;
    if (peelHi && pointThrough(s, steps, hi) !== v) continue;
    if (a > b || intervalProved(r, steps, a, b, v)) return true;
  }
  return false;
}
