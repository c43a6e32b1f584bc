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
import { chainProves, type SigmaRanges, type Span, solveIntervalChain } from './interval-chain.js';
import type { Setting } from './setting.js';

/** The window J = [split, top] of a cyclic certificate (its U_z and L_z are built from it and R). */
export interface Cyclic {
  /** The least code of J: R sends σ_F(J) to e and σ_F of every code outside J to 0. */
  readonly split: number;
  /** The greatest code of J (max when absent: J = [split, max], docs/theory.md §10.3). */
  readonly top?: number;
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

/** True when J = [split, top] is a window whose two arcs meet only at z: 2·(top − split) ≤ N − 1. */
function windowFits(s: Setting, split: number, top: number): boolean {
  return (
    Number.isInteger(split) &&
    Number.isInteger(top) &&
    s.min <= split &&
    split <= top &&
    top <= s.max &&
    2 * (top - split) <= s.size - 1
  );
}

/**
 * The chains U_z and L_z of the window J = [split, top] (top = max by default) and rest chain R: U_z
 * rotates z onto split, L_z rotates z onto top (by +1), or reflects it onto split (by −1, when −1 is a
 * weight and J = [split, max], the chains of docs/theory.md §10.3).
 */
export function cyclicChains(
  s: Setting,
  split: number,
  rest: readonly Step[],
  z: number,
  top = s.max,
): [Step[], Step[]] {
  return [
    [[s.one, mod(s, split - z)], ...rest],
    hasWeight(s, -s.one) && top === s.max
      ? [[-s.one, mod(s, split + z)], ...rest]
      : [[s.one, mod(s, top - z)], ...rest],
  ];
}

/**
 * True when U (or L, `dir` = 'le') is the cyclic chain of z for the window J = [split, top]: first step
 * (1, b) with b ≡ split − z for U, (−1, b) with b ≡ split + z or (1, b) with b ≡ top − z for L; J fits
 * (2·(top − split) ≤ N − 1), and the rest is proved by interval images to send σ_F(J) to e and σ_F of
 * [min, split − 1] and of [top + 1, max] to 0.
 */
export function cyclicProved(
  s: Setting,
  r: SigmaRanges,
  e: number,
  split: number,
  dir: 'ge' | 'le',
  z: number,
  steps: readonly Step[],
  top = s.max,
  idle = 0,
): boolean {
  if (!cyclicApplies(s) || !windowFits(s, split, top)) return false;
  if (steps.length === 0) return false;
  const [w, b] = steps[0];
  const rotation =
    dir === 'ge'
      ? w === s.one && b === mod(s, split - z)
      : (w === -s.one && b === mod(s, split + z)) || (w === s.one && b === mod(s, top - z));
  if (!rotation || !hasWeight(s, w)) return false;
  return restProved(r, e, split, top, steps.slice(1), idle);
}

const proved = new WeakMap<SigmaRanges, Map<string, boolean>>();

/**
 * R sends σ_F([split, top]) to e and σ_F outside it to `idle` (0 for the classical levels; an idle value ι
 * for the idle chain certificates of docs/theory.md §9.7 under wrap, §10.8) (memoized per rest chain).
 */
function restProved(
  r: SigmaRanges,
  e: number,
  split: number,
  top: number,
  rest: readonly Step[],
  idle = 0,
): boolean {
  let memo = proved.get(r);
  if (!memo) proved.set(r, (memo = new Map()));
  const key = `${e};${idle};${split};${top};${rest.join(';')}`;
  const hit = memo.get(key);
  if (hit !== undefined) return hit;
  const s = r.setting;
  const on = r.range(split, top);
  // the codes outside J: [min, split − 1] and [top + 1, max], those that are not empty (one at least)
  const offs: Array<Span | null> = [];
  if (split > s.min) offs.push(r.range(s.min, split - 1));
  if (top < s.max) offs.push(r.range(top + 1, s.max));
  const proves = (span: Span | null, v: number) =>
    span !== null &&
    (rest.length === 0 ? span[0] === v && span[1] === v : chainProves(r, rest, span[0], span[1], v));
  const ok = offs.length > 0 && proves(on, e) && offs.every((off) => proves(off, idle));
  memo.set(key, ok);
  return ok;
}

/** The hull of two spans (null when either is). */
function hull(x: Span | null, y: Span | null): Span | null {
  if (!x || !y) return null;
  return [Math.min(x[0], y[0]), Math.max(x[1], y[1])];
}

/**
 * Every U_z and L_z of one window whose rest chain exists, or why none: first the windows [s, max] (s
 * from the least that fits, docs/theory.md §10.3), then the windows [min, c − 1] from c = min + 1
 * (docs/theory.md §10.8: a σ_F that saturates on [s, max], e.g. tanh on UQm.n, is still injective near min).
 */
export function findCyclicThresholds(
  s: Setting,
  r: SigmaRanges,
  e: number,
  budget?: Budget,
  idle = 0,
  solve?: (off: Span, on: Span, beam: number) => Step[] | null,
): { ge: Step[][]; le: Step[][]; cyclic: Cyclic } | string {
  if (!cyclicApplies(s)) return 'cyclic chains need wrap and the weight 1';
  const first = Math.max(0, leastCyclicSplit(s));
  const build = (split: number, top: number, rest: Step[]) => {
    const ge: Step[][] = [];
    const le: Step[][] = [];
    for (let z = s.min; z <= s.max; z++) {
      if (z % 4096 === 0) budget?.spend(4096, 'the cyclic threshold search');
      const [u, l] = cyclicChains(s, split, rest, z, top);
      ge.push(u);
      le.push(l);
    }
    return { ge, le, cyclic: top === s.max ? { split } : { split, top } };
  };
  const attempt = (split: number, top: number, beam: number): Step[] | null => {
    const on = r.range(split, top);
    const off =
      hull(split > s.min ? r.range(s.min, split - 1) : null, top < s.max ? r.range(top + 1, s.max) : null) ??
      (split > s.min ? r.range(s.min, split - 1) : r.range(top + 1, s.max));
    if (!on || !off || !(off[1] < on[0] || on[1] < off[0])) return null;
    const rest = solve
      ? solve(off, on, beam)
      : solveIntervalChain(s, off, on, 0, e, { minDepth: 0, maxDepth: 3, beam, budget });
    return rest && restProved(r, e, split, top, rest, idle) ? rest : null;
  };
  // a narrow beam first, then (only when it fails everywhere) a wide one: hard-swish under wrap needs
  // three steps whose first state is not among the six narrowest (docs/theory.md §11.4)
  for (const beam of [6, 64])
    for (let split = first, tried = 0; split <= s.max && tried < 6; split++) {
      const on = r.range(split, s.max);
      const off = r.range(s.min, split - 1);
      if (!on || !off || !(off[1] < on[0] || on[1] < off[0])) continue;
      tried++;
      const rest = attempt(split, s.max, beam);
      if (rest) return build(split, s.max, rest);
    }
  // windows J = [min, c − 1] at the bottom of the codes (their complement is one interval); on formats
  // without negative values only (UQm.n, where [s, max] needs s ≥ N/2), which keeps the searches on Qm.n
  // as they were
  if (s.min >= 0)
    for (const beam of [6, 64])
      for (let c = s.min + 1, tried = 0; windowFits(s, s.min, c - 1) && tried < 6; c++) {
        const on = r.range(s.min, c - 1);
        const off = r.range(c, s.max);
        if (!on || !off || !(off[1] < on[0] || on[1] < off[0])) continue;
        tried++;
        const rest = attempt(s.min, c - 1, beam);
        if (rest) return build(s.min, c - 1, rest);
      }
  return `no window [s, ${s.max}] with s ≥ ${first} nor [${s.min}, c] has a rest chain for cyclic thresholds`;
}
