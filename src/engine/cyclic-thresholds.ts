/**
 * Cyclic threshold chains under overflow `wrap` (docs/theory.md §10.3). With a weight ±1 and wrap, the
 * first pre-activation of a chain is exactly (±x + b) mod N (the product by ±1 is exact, every wrap
 * reduces modulo N, and reductions compose), a rotation of the codes. So for a split s ≥ 0,
 *   U_z = [(1, b), R] with b ≡ s − z   gives e exactly on the arc {z, z + 1, …, z + max − s} (mod N),
 *   L_z = [(−1, b′), R] with b′ ≡ s + z gives e exactly on the arc {z − (max − s), …, z} (mod N),
 * and 0 elsewhere, where R is one rest chain proved by interval images to send σ_F([s, max]) to e and
 * σ_F([min, s − 1]) to 0. The two arcs meet only at z when 2·(max − s) ≤ N − 1, i.e. s ≥ 0, so
 * D_z = AND(U_z, L_z) detects z. Binary weights under wrap cannot use the monotone families of §9.3
 * (every first step ±x ⊕ b wraps on one side of any threshold away from the split); rotations can.
 *
 * Without −1 (the `UQm.n` formats, all weights ≥ 0; docs/theory.md §10.8) the same arc ends at z under
 * the rotation by +1: L_z = [(1, b″), R] with b″ ≡ max − z gives e exactly on {z − (max − s), …, z},
 * since its pre-activation x − z + max lies in [s, max] exactly there. The arcs meet only at z under the
 * same condition 2·(max − s) ≤ N − 1, which on a format with min = 0 means s ≥ N/2.
 */
import type { Budget } from './budget.js';
import type { Step } from './chain-solver.js';
import { chainProves, type SigmaRanges, solveIntervalChain } from './interval-chain.js';
import type { Setting } from './setting.js';

/** The split and rest chain of a cyclic certificate (its U_z and L_z are built from them). */
export interface Cyclic {
  /** The split s ≥ 0: R sends σ_F([s, max]) to e and σ_F([min, s − 1]) to 0. */
  readonly split: number;
}

/** True when w is a weight of the setting (all weights are every code; binary weights ±1 where values). */
function hasWeight(s: Setting, w: number): boolean {
  return s.weightSet === 'all' ? w >= s.min && w <= s.max : s.weights.includes(w);
}

/** True when cyclic chains apply: wrap, and 1 is a weight (L_z rotates by −1 when −1 is one, else by +1). */
export function cyclicApplies(s: Setting): boolean {
  return s.policy.overflow === 'wrap' && hasWeight(s, s.one);
}

/** The least split whose two arcs meet only at z: 2·(max − s) ≤ N − 1 (0 on Qm.n, N/2 on UQm.n). */
export function leastCyclicSplit(s: Setting): number {
  return s.max - Math.floor((s.size - 1) / 2);
}

/** b ≡ v (mod N) as a code. */
function mod(s: Setting, v: number): number {
  return s.min + ((((v - s.min) % s.size) + s.size) % s.size);
}

/** The chains U_z and L_z of the split s and rest chain R. */
export function cyclicChains(s: Setting, split: number, rest: readonly Step[], z: number): [Step[], Step[]] {
  return [
    [[s.one, mod(s, split - z)], ...rest],
    hasWeight(s, -s.one) ? [[-s.one, mod(s, split + z)], ...rest] : [[s.one, mod(s, s.max - z)], ...rest],
  ];
}

/**
 * True when U (or L, `dir` = 'le') is the cyclic chain of z: first step (1, b) with b ≡ split − z for U,
 * (−1, b) with b ≡ split + z or (1, b) with b ≡ max − z for L, and its rest proved on
 * σ_F([split, max]) → e and σ_F([min, split − 1]) → 0 by interval images.
 */
export function cyclicProved(
  s: Setting,
  r: SigmaRanges,
  e: number,
  split: number,
  dir: 'ge' | 'le',
  z: number,
  steps: readonly Step[],
): boolean {
  if (!cyclicApplies(s) || split < 0 || split > s.max || 2 * (s.max - split) > s.size - 1) return false;
  if (steps.length === 0) return false;
  const [w, b] = steps[0];
  const rotation =
    dir === 'ge'
      ? w === s.one && b === mod(s, split - z)
      : (w === -s.one && b === mod(s, split + z)) || (w === s.one && b === mod(s, s.max - z));
  if (!rotation || !hasWeight(s, w)) return false;
  return restProved(r, e, split, steps.slice(1));
}

const proved = new WeakMap<SigmaRanges, Map<string, boolean>>();

/** R sends σ_F([split, max]) to e and σ_F([min, split − 1]) to 0 (memoized per rest chain). */
function restProved(r: SigmaRanges, e: number, split: number, rest: readonly Step[]): boolean {
  let memo = proved.get(r);
  if (!memo) proved.set(r, (memo = new Map()));
  const key = `${e};${split};${rest.join(';')}`;
  const hit = memo.get(key);
  if (hit !== undefined) return hit;
  const s = r.setting;
  const on = r.range(split, s.max);
  const off = split > s.min ? r.range(s.min, split - 1) : null;
  if (!on || !off) return false;
  const ok =
    rest.length === 0
      ? on[0] === e && on[1] === e && off[0] === 0 && off[1] === 0
      : chainProves(r, rest, on[0], on[1], e) && chainProves(r, rest, off[0], off[1], 0);
  memo.set(key, ok);
  return ok;
}

/** Every U_z and L_z of one split whose rest chain exists (splits ≥ 0 near 0 first), or why none. */
export function findCyclicThresholds(
  s: Setting,
  r: SigmaRanges,
  e: number,
  budget?: Budget,
): { ge: Step[][]; le: Step[][]; cyclic: Cyclic } | string {
  if (!cyclicApplies(s)) return 'cyclic chains need wrap and the weight 1';
  // a narrow beam first, then (only when it fails everywhere) a wide one: hard-swish under wrap needs
  // three steps whose first state is not among the six narrowest (docs/theory.md §11.4)
  const first = Math.max(0, leastCyclicSplit(s));
  for (const beam of [6, 64])
    for (let split = first, tried = 0; split <= s.max && tried < 6; split++) {
      const on = r.range(split, s.max);
      const off = r.range(s.min, split - 1);
      if (!on || !off || !(off[1] < on[0] || on[1] < off[0])) continue;
      tried++;
      const rest = solveIntervalChain(s, off, on, 0, e, { minDepth: 0, maxDepth: 3, beam, budget });
      if (!rest || !restProved(r, e, split, rest)) continue;
      const ge: Step[][] = [];
      const le: Step[][] = [];
      for (let z = s.min; z <= s.max; z++) {
        if (z % 4096 === 0) budget?.spend(4096, 'the cyclic threshold search');
        const [u, l] = cyclicChains(s, split, rest, z);
        ge.push(u);
        le.push(l);
      }
      return { ge, le, cyclic: { split } };
    }
  return `no split s ≥ ${first} has a rest chain for cyclic thresholds`;
}
