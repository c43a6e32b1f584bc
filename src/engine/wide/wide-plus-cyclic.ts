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
import { chainImage, solveWideChain } from './wide-chain.js';
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

/** The least code x in [lo, hi] with pred(x) (pred monotone: false … false true … true), or null. */
function least(lo: bigint, hi: bigint, pred: (x: bigint) => boolean): bigint | null {
  if (lo > hi || !pred(hi)) return null;
  while (lo < hi) {
    const m = lo + (hi - lo) / 2n;
    if (pred(m)) hi = m;
    else lo = m + 1n;
  }
  return lo;
}

/**
 * Rest chains aimed at a zero of σ_F (a search aid; the verifier proves what it returns): R starts with
 * (w₁, 0), (w₂, 0). With z₀ the top of σ_F's zero interval [min, z₀] (σ_F(min) = 0, so min = 0 on UQ),
 * c₂ = the least v with w₂⊗v > z₀, g = the greatest code with σ_F(g) < c₂ and s = the least code with
 * w₁⊗σ_F(s) > g, the low hull σ_F([min, s − 1]) goes to pre-activations ≤ g, then to values < c₂, then to
 * [min, z₀] and 0; the high hull goes above g, then to values ≥ c₂, then above z₀. The splits s come from
 * binary searches on monotone compositions (σ_F non-decreasing on an unsigned format), so this costs a few
 * hundred evaluations per gain pair; a short beam search then sends the high side's image to one value e.
 */
function aimedChains(r: WideSigma, budget?: Budget): Array<{ split: bigint; rest: WideStep[] }> {
  const s = r.setting;
  const out: Array<{ split: bigint; rest: WideStep[] }> = [];
  const zeros = r.preimageSpans(0n).find(([a]) => a === s.min);
  if (!zeros || s.sigma(s.min) !== 0n) return out;
  const z0 = zeros[1];
  const n = s.max - s.min + 1n;
  const lowest = s.max - (n - 1n) / 2n;
  const pre = (w: bigint, v: bigint) => s.pre([w], [v], 0n, true);
  for (const w2 of [1n, 2n, 4n, 16n, 256n, s.one >> 1n, s.one])
    for (const w1 of [1n, 2n, 4n]) {
      if (w1 > s.max || w2 > s.max || w2 <= 0n) continue;
      budget?.spend(1000, 'the +1 cyclic chain search');
      const c2 = least(s.min, s.max, (v) => {
        const p = pre(w2, v);
        return p === null || p > z0;
      });
      if (c2 === null) continue;
      const g = least(s.min, s.max, (x) => {
        const v = s.sigma(x);
        return v === null || v >= c2;
      });
      if (g === null || g === s.min) continue;
      const split = least(lowest, s.max, (x) => {
        const v = s.sigma(x);
        const p = v === null ? null : pre(w1, v);
        return p === null || p > g - 1n;
      });
      if (split === null || split <= lowest || out.some((o) => o.split === split)) continue;
      const lo = r.range(s.min, split - 1n);
      const hi = r.range(split, s.max);
      if (!lo || !hi) continue;
      const head: WideStep[] = [
        [w1, 0n],
        [w2, 0n],
      ];
      const zImg = chainImage(r, head, lo[0], lo[1]);
      const eImg = chainImage(r, head, hi[0], hi[1]);
      if (!zImg || !eImg || zImg[0] !== 0n || zImg[1] !== 0n || eImg[0] <= 0n) continue;
      if (eImg[0] === eImg[1]) {
        out.push({ split, rest: head });
        continue;
      }
      for (const e of [1n, s.one, eImg[0], eImg[1]]) {
        if (e <= 0n || e > s.max) continue;
        const tail = solveWideChain(r, [0n, 0n], eImg, 0n, e, {
          minDepth: 0,
          maxDepth: 3,
          budget,
          maxWork: 20_000,
        });
        if (tail) {
          out.push({ split, rest: [...head, ...tail] });
          break;
        }
      }
      if (out.length >= 2) return out;
    }
  return out;
}

/**
 * An amplifier A(0) = 0, A(e) = 1 with bias 0 (so 0 stays 0 wherever σ_F(0) = 0): a first step (w_a, 0)
 * with w_a among a few large gains, then the least w_b putting w_b ⊗ A₁(e) into the preimage of 1 (binary
 * search: w ↦ w ⊗ v is non-decreasing for v > 0). A search aid; the verifier evaluates A at 0 and e.
 */
export function aimedAmplifier(r: WideSigma, e: bigint): WideStep[] | null {
  const s = r.setting;
  if (s.sigma(0n) !== 0n || e <= 0n) return null;
  const spans = r.preimageSpans(s.one);
  for (const wa of [s.max, s.one, s.max >> 1n, 1n << BigInt(s.format.bits - 1)]) {
    const v = s.step([wa, 0n], e, true);
    if (v === null || v <= 0n) continue;
    for (const [a, b] of spans) {
      const wb = least(1n, s.max, (w) => {
        const p = s.pre([w], [v], 0n, true);
        return p === null || p >= a;
      });
      if (wb === null) continue;
      const p = s.pre([wb], [v], 0n, true);
      if (p !== null && p <= b) {
        const amp: WideStep[] = [
          [wa, 0n],
          [wb, 0n],
        ];
        if (s.step(amp[1], s.step(amp[0], 0n) ?? -1n) === 0n) return amp;
      }
    }
  }
  return null;
}

/**
 * Rest chains for ceil (a search aid): under ceil no strict step sends a non-zero value to 0, so the chain
 * collapses both sides to single codes P₀ < P₁ and then wraps P₀ onto 0: R = [(ε, b₁), (ε, 0), (1, N − P₀)].
 * With F(v) = ε ⊗ σ_F(v), b₁ puts the low side's pre-activations [b₁, b₁ + c_l] at the end of one run of F
 * and the high side's in the next run; the last step is proved at single codes (each evaluated with wrap).
 */
function ceilChains(r: WideSigma): Array<{ split: bigint; rest: WideStep[] }> {
  const s = r.setting;
  const out: Array<{ split: bigint; rest: WideStep[] }> = [];
  if (s.policy.rounding !== 'ceil' || s.sigma(s.min) !== 0n) return out;
  const n = s.max - s.min + 1n;
  const F = (v: bigint) => {
    const x = s.sigma(v);
    return x === null ? null : s.pre([1n], [x], 0n, true);
  };
  for (const split of plusSplits(r, 3))
    for (const T of [0n, 16n, 256n]) {
      const lo = r.range(s.min, split - 1n);
      const hi = r.range(split, s.max);
      if (!lo || !hi) continue;
      const cl = s.pre([1n], [lo[1]], 0n, true);
      if (cl === null || T * s.one > s.max) continue;
      // start just past a multiple of 1: under ceil F's runs are (k, k + 1] in units of 1
      const start = T * s.one + 1n;
      const m = F(start);
      if (m === null) continue;
      const next = least(start, s.max, (v) => {
        const f = F(v);
        return f === null || f > m;
      });
      if (next === null || next - 1n - cl < start) continue;
      const b1 = next - 1n - cl;
      const head: WideStep[] = [
        [1n, b1],
        [1n, 0n],
      ];
      const z = chainImage(r, head, lo[0], lo[1]);
      const e = chainImage(r, head, hi[0], hi[1]);
      if (!z || !e || z[0] !== z[1] || e[0] !== e[1] || z[0] === e[0] || z[0] <= 0n) continue;
      const rest: WideStep[] = [...head, [s.one, n - z[0]]];
      out.push({ split, rest });
      if (out.length >= 2) return out;
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
  const build = (split: bigint, e: bigint, rest: readonly WideStep[]): PlusCyclic => ({
    split,
    e,
    rest,
    delay: [[s.one, split - e], ...rest],
    and: { w: s.one, b: split - 2n * e, rest },
  });
  // first the chains aimed at σ_F's zero interval (their e is the value the high side reaches)
  for (const { split, rest } of [...aimedChains(r, budget), ...ceilChains(r)]) {
    const e = chainImage(r, rest, ...(r.range(split, s.max) as [bigint, bigint]));
    if (e && e[0] === e[1] && e[0] > 0n && split - 2n * e[0] >= s.min)
      return { found: build(split, e[0], rest), tried };
  }
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
      return { found: build(split, e, rest), tried };
    }
  }
  tried.push(`+1 cyclic mode (Lemma C+): no rest chain for the splits at codes ${splits.join(', ')}`);
  return { found: null, tried };
}
