/**
 * Cyclic families by +1 rotations above 16 bits (docs/theory.md §9.5, "Lemma C+"; the proposition "cyclic
 * chains by +1 rotations on a window" of §10.8 with J = [s, max]). For unsigned formats under `wrap`, where
 * −1 is not a weight and no monotone family can reach x ≤ t (§10.8).
 *
 * Statement. Overflow `wrap`, 1 ∈ W, e ≠ 0, a split s with 2·(max − s) ≤ N − 1, and one rest chain R proved
 * by strict interval images (Lemma 3: no intermediate value leaves the range, so nothing wraps inside R) to
 * map the hull of σ_F([min, s − 1]) to 0 and the hull of σ_F([s, max]) to e. For every z let
 * U_z = [(1, s − z mod N)] + R and L_z = [(1, max − z mod N)] + R. U_z's first pre-activation is
 * ≡ x − z + s (mod N), in [s, max] exactly on the arc z … z + (max − s); L_z's is ≡ x − z + max, in [s, max]
 * exactly on the arc z − (max − s) … z; the arcs meet only at z (2(max − s) ≤ N − 1), so
 * D_z = AND(U_z, L_z) = e·[x = z]. The delay and the AND are built from the same R: P = [(1, s − e)] + R
 * (0 ↦ σ_F(s − e), a value of the low hull; e ↦ σ_F(s)) and AND = σ_F(u ⊕ v ⊕ (s − 2e)) then R (pre-activations
 * s − 2e, s − e, s for 0, 1 or 2 active inputs), both checked at their points by `verifyWideCertificate`,
 * which also checks every hypothesis above (mode `cyclic` with `plus`).
 *
 * The split search: the least codes p ≥ N/2 where a small gain's rounding changes (rnd(g·(p − 1)) < rnd(g·p)),
 * so that R's first step can keep the two sides apart; R itself comes from `solveWideChain`, and nothing
 * found here is used before `verifyWideCertificate` accepts the whole certificate.
 */
import type { Budget } from '../budget.js';
import { solveWideChain } from './wide-chain.js';
import { isRecord } from './wide-dist.js';
import type { WideStep } from './wide-setting.js';
import type { WideSigma } from './wide-sigma.js';

export interface PlusCyclic {
  readonly split: bigint;
  readonly e: bigint;
  readonly rest: readonly WideStep[];
  readonly delay: readonly WideStep[];
  readonly and: { readonly w: bigint; readonly b: bigint; readonly rest: readonly WideStep[] };
}

/** True when Lemma C+ may apply: overflow wrap, 1 a weight, −1 not a weight (else §10.3's family applies). */
export function plusCyclicApplies(r: WideSigma): boolean {
  const s = r.setting;
  return s.policy.overflow === 'wrap' && !s.binary && s.one <= s.max && -s.one < s.min;
}

/** Split candidates: records p ≥ ⌈(N − 1)/2⌉ + min where a gain g ∈ {1, 2, 3, 4, 8} (codes) changes value. */
export function plusSplits(r: WideSigma, count = 6): bigint[] {
  const s = r.setting;
  const n = s.max - s.min + 1n;
  // 2(max − p) ≤ N − 1  ⟺  p ≥ max − (N − 1)/2
  const least = s.max - (n - 1n) / 2n;
  const out: bigint[] = [];
  for (const g of [1n, 2n, 3n, 4n, 8n]) {
    if (g > s.max) continue;
    let found = 0;
    for (let p = least; p <= s.max && found < 2 && p <= least + 4n * s.one; p++) {
      const a = s.pre([g], [p - 1n], 0n, true);
      const b = s.pre([g], [p], 0n, true);
      if (a === null || b === null || a >= b) continue;
      found++;
      if (!out.includes(p) && isRecord(r, p)) out.push(p);
      if (out.length >= count) return out;
    }
  }
  return out;
}

/** Searches (split, e, R) and builds the delay and AND from R; null with the reasons when none is found. */
export function findPlusCyclic(
  r: WideSigma,
  es: readonly bigint[],
  budget?: Budget,
): { found: PlusCyclic | null; tried: string[] } {
  const s = r.setting;
  const tried: string[] = [];
  const splits = plusSplits(r);
  if (splits.length === 0)
    return { found: null, tried: ['+1 cyclic mode (Lemma C+): no record split found'] };
  for (const split of splits) {
    const lo = r.range(s.min, split - 1n);
    const hi = r.range(split, s.max);
    if (!lo || !hi || !(lo[1] < hi[0] || hi[1] < lo[0])) continue;
    for (const e of es) {
      if (e <= 0n || split - 2n * e < s.min) continue;
      const rest = solveWideChain(r, lo, hi, 0n, e, { minDepth: 0, maxDepth: 6, budget, maxWork: 60_000 });
      if (!rest) continue;
      return {
        found: {
          split,
          e,
          rest,
          delay: [[s.one, split - e], ...rest],
          and: { w: s.one, b: split - 2n * e, rest },
        },
        tried,
      };
    }
  }
  tried.push(`+1 cyclic mode (Lemma C+): no rest chain for the splits at codes ${splits.join(', ')}`);
  return { found: null, tried };
}
