/**
 * The emitters of an idle chain certificate (docs/theory.md §9.7) as one rule instead of |𝕀| lists.
 * Every emitter output is its own copy of the delay P (P(ι) = ι, P(a) = a), read by a weight that kills
 * ι (ω ⊗ ι = 0, sequential accumulation), so an idle emitter adds nothing (Lemma A, §8.2) and an active
 * one adds the terms ω ⊗ a. With β = 0, E_y for y > 0 is k = ⌊y / T₊⌋ copies of the largest positive term
 * T₊ followed by a remainder of positive terms summing to y − k·T₊ (a shortest one, by dynamic
 * programming over the residues); y < 0 mirrors it with the most negative term T₋. When every term has one
 * sign and the bias comes first, β = max (or min) and E_y sums to y − β (`offset`). `verifyIdleEmitters`
 * proves the output neuron's value for every y: a run of k equal terms from acc stays on the grid and in
 * range when its two ends are in range (the partial sums are monotone), so it adds exactly k·T; the
 * remainder is accumulated step by step in the setting's own ⊕.
 */
import type { Budget } from './budget.js';
import { contributesNothing } from './levels.js';
import type { Setting } from './setting.js';

/** E_y for every y, by one rule (codes; β = 0 in the rule, any β in the check). */
export interface IdleEmitterRule {
  /** A readout weight reported with the levels (ω ⊗ ι = 0 ≠ ω ⊗ a). */
  readonly omega: number;
  /** Weight of the run term for y > 0 and its increment T₊ = up ⊗ a (null: no positive term). */
  readonly up: number | null;
  readonly upInc: number;
  /** Weight of the run term for y < 0 and its increment T₋ = down ⊗ a (null: no negative term). */
  readonly down: number | null;
  readonly downInc: number;
  /** upRest[r], 0 ≤ r < T₊: the weights of the remainder r (positive terms). */
  readonly upRest: ReadonlyArray<readonly number[]>;
  /** downRest[r], 0 ≤ r < −T₋: the weights of the remainder −r (negative terms). */
  readonly downRest: ReadonlyArray<readonly number[]>;
  /**
   * The output bias the rule is written for (default 0): E_y sums to y − offset. With terms of one sign
   * only and the bias first, offset = max (negative terms) or min (positive): the partial sums then run
   * monotonely from β to y and never leave the range.
   */
  readonly offset?: number;
  /**
   * Overflow `wrap` on a format without negative values (docs/theory.md §10.8): T₊ is odd and E_y is
   * k_y = y·T₊⁻¹ mod N copies of the run weight (no remainder); the output accumulator wraps, so it adds
   * k_y·T₊ ≡ y (mod N). `inverse` is T₊⁻¹ mod N, `modulus` N.
   */
  readonly wrap?: { readonly inverse: number; readonly modulus: number };
}

/** The run length and remainder of y under the rule (k copies of the run weight, then `rest`). */
export function idleEmitterSplit(
  rule: IdleEmitterRule,
  target: number,
): { run: number | null; k: number; rest: readonly number[] } {
  const y = target - (rule.offset ?? 0);
  if (rule.wrap) {
    const n = rule.wrap.modulus;
    // y·T₊⁻¹ mod N; both factors below 2^16, so the product is exact in a double
    const k = ((((y % n) + n) % n) * rule.wrap.inverse) % n;
    return { run: k > 0 ? rule.up : null, k, rest: [] };
  }
  if (y > 0 && rule.up !== null) {
    const k = Math.floor(y / rule.upInc);
    return { run: rule.up, k, rest: rule.upRest[y - k * rule.upInc] };
  }
  if (y < 0 && rule.down !== null) {
    const k = Math.floor(y / rule.downInc);
    return { run: rule.down, k, rest: rule.downRest[k * rule.downInc - y] };
  }
  return { run: null, k: 0, rest: [] };
}

/** The output weights of E_y in order (k copies of the run weight, then the remainder). */
export function idleEmitterWeights(rule: IdleEmitterRule, y: number): number[] {
  const { run, k, rest } = idleEmitterSplit(rule, y);
  const out: number[] = [];
  for (let j = 0; j < k; j++) out.push(run as number);
  out.push(...rest);
  return out;
}

/** Number of terms of E_y (without building its list). */
export function idleEmitterTerms(rule: IdleEmitterRule, y: number): number {
  const { k, rest } = idleEmitterSplit(rule, y);
  return k + rest.length;
}

/** Most remainder terms per residue (the residues are below the largest term). */
const MAX_REST = 64;

/**
 * The rule for levels (a, ι), or why there is none: the weights killing ι with their increments ω ⊗ a,
 * the largest of each sign as the run terms, and a shortest same-sign remainder for every residue.
 */
export function idleEmitterRule(
  s: Setting,
  a: number,
  idle: number,
  _delayDepth: number,
  /** Accept increments of one sign only (the start-term emitters of docs/theory.md §8.10 reach y from min or max). */
  oneSign = false,
): IdleEmitterRule | string {
  if (s.accumulation !== 'sequential') return 'idle emitters need sequential accumulation';
  const byInc = new Map<number, number>();
  for (const w of s.weights) {
    if (s.mul(w, idle) !== 0) continue;
    const inc = s.mul(w, a);
    if (!(inc >= s.min) || inc === 0) continue;
    const known = byInc.get(inc);
    if (known === undefined || Math.abs(w) < Math.abs(known)) byInc.set(inc, w);
  }
  const pos = [...byInc.keys()].filter((v) => v > 0).sort((x, y) => x - y);
  const neg = [...byInc.keys()].filter((v) => v < 0).sort((x, y) => y - x);
  // terms of one sign: with the bias first, β at the far end (max for negative terms, min for positive)
  // and every E_y sums to y − β of that sign (sequential: partial sums run monotonely from β to y).
  // `oneSign` (the start-term certificates of §8.10, which place the start themselves): offset 0, any sign.
  let offset = 0;
  if (!oneSign && s.bias === 'first' && pos.length === 0 && neg.length > 0) offset = s.max;
  else if (!oneSign && s.bias === 'first' && neg.length === 0 && pos.length > 0) offset = s.min;
  const needPos = !oneSign && s.max > offset;
  const needNeg = !oneSign && s.min < offset;
  if (oneSign && pos.length === 0 && neg.length === 0) return 'no weight killing ι reads a';
  if (needPos && pos.length === 0) return 'no weight killing ι reads a as a positive term';
  if (needNeg && neg.length === 0) return 'no weight killing ι reads a as a negative term';
  const rests = (incs: number[], top: number): number[][] | string => {
    // shortest sums of same-sign increments (all below `top` in magnitude) for every residue 0 … top − 1
    const best = new Int32Array(top).fill(-1);
    const count = new Int32Array(top);
    best[0] = 0;
    for (let r = 1; r < top; r++) {
      let c = Number.POSITIVE_INFINITY;
      for (const d of incs) {
        const m = Math.abs(d);
        if (m > r) break;
        if (best[r - m] >= 0 && count[r - m] + 1 < c) {
          c = count[r - m] + 1;
          best[r] = m;
        }
      }
      if (best[r] < 0) return `no sum of terms reaches the remainder ${r}`;
      count[r] = c;
      if (c > MAX_REST) return `the remainder ${r} needs more than ${MAX_REST} terms`;
    }
    const out: number[][] = [[]];
    for (let r = 1; r < top; r++) {
      const m = best[r];
      const inc = incs[0] > 0 ? m : -m;
      out.push([...out[r - m], byInc.get(inc) as number]);
    }
    return out;
  };
  // unsigned formats under wrap: one odd term T₊ reaches every residue modulo N = 2^bits by repetition
  if (s.policy.overflow === 'wrap' && s.min >= 0 && s.size <= 65536) {
    const odd = pos.filter((v) => v % 2 === 1);
    if (odd.length > 0) {
      const inc = odd[0];
      const n = s.size;
      let inverse = 1;
      for (let j = 0; j < 16; j++) inverse = (inverse * ((2 - ((inc * inverse) % n) + n) % n)) % n;
      if ((inc * inverse) % n === 1) {
        const w = byInc.get(inc) as number;
        return {
          omega: w,
          up: w,
          upInc: inc,
          down: null,
          downInc: -1,
          upRest: [[]],
          downRest: [[]],
          wrap: { inverse, modulus: n },
        };
      }
    }
  }
  const upInc = pos.length > 0 ? pos[pos.length - 1] : 1;
  const downInc = neg.length > 0 ? neg[neg.length - 1] : -1;
  const upRest = pos.length > 0 ? rests(pos, upInc) : [[]];
  if (typeof upRest === 'string') return upRest;
  const downRest = neg.length > 0 ? rests(neg, -downInc) : [[]];
  if (typeof downRest === 'string') return downRest;
  const up = pos.length > 0 ? (byInc.get(upInc) as number) : null;
  const down = neg.length > 0 ? (byInc.get(downInc) as number) : null;
  return {
    omega: (up ?? down) as number,
    up,
    upInc,
    down,
    downInc,
    upRest,
    downRest,
    ...(offset !== 0 ? { offset } : {}),
  };
}

/**
 * Checks the emitters for every y (docs/theory.md §9.7, (G4) of §8.3, each term a copy of the delay):
 * every weight used lies in W, kills ι (idle: ω ⊗ ι = 0) and the output neuron, fed the terms ω ⊗ a in
 * order with β, gives y. A run of k equal terms t from acc adds exactly k·t when acc and acc + k·t are in
 * range (codes are integers, ⊕ of two in-range codes whose sum is in range is exact); otherwise it is
 * accumulated step by step. Null when every y holds, else the first failure.
 */
export function verifyIdleEmitters(
  s: Setting,
  a: number,
  idle: number,
  beta: number,
  rule: IdleEmitterRule,
  budget?: Budget,
): string | null {
  if (s.accumulation !== 'sequential') return 'idle emitters need sequential accumulation';
  if (!(Number.isInteger(beta) && beta >= s.min && beta <= s.max)) return `β must be a value, got ${beta}`;
  const inW = weightMembership(s);
  const checked = new Map<number, number>();
  // the increment ω ⊗ a of a weight, after checking that the weight is in W and kills ι
  const term = (w: number): number | string => {
    const hit = checked.get(w);
    if (hit !== undefined) return hit;
    if (!inW(w)) return `emitter weight ${w} is not in the weight set`;
    if (!contributesNothing(s, w, idle)) return `emitter weight ${w} does not kill ι = ${idle}`;
    const inc = s.mul(w, a);
    if (!(inc >= s.min)) return `emitter weight ${w} overflows on a`;
    checked.set(w, inc);
    return inc;
  };
  if (!inW(rule.omega) || !contributesNothing(s, rule.omega, idle) || contributesNothing(s, rule.omega, a))
    return 'the readout weight ω does not kill ι or does not read a';
  for (let y = s.min; y <= s.max; y++) {
    if (y % 4096 === 0) budget?.spend(4096 * 8, 'the idle emitter check');
    const { run, k, rest } = idleEmitterSplit(rule, y);
    let acc = s.bias === 'first' ? beta : 0;
    if (run !== null && k > 0) {
      const t = term(run);
      if (typeof t === 'string') return t;
      const end = acc + k * t;
      if (end >= s.min && end <= s.max) acc = end;
      else if (s.policy.overflow === 'wrap' && s.min >= 0 && t >= 0)
        // under wrap every ⊕ reduces modulo N into [0, N − 1]; reductions compose, so k steps of t from
        // acc give (acc + k·t) mod N (docs/theory.md §10.8)
        acc = (acc + ((k * t) % s.size)) % s.size;
      else for (let j = 0; j < k && acc >= s.min; j++) acc = s.add(acc, t);
    }
    for (const w of rest) {
      const t = term(w);
      if (typeof t === 'string') return t;
      acc = s.add(acc, t);
    }
    if (s.bias === 'last') acc = s.add(acc, beta);
    if (acc !== y) return `emitter E_${y} gives ${acc}`;
  }
  return null;
}

/** Membership in the weight set in O(1) (all weights: every code of the format; else a Set). */
function weightMembership(s: Setting): (w: number) => boolean {
  const ws = s.weights;
  if (s.weightSet === 'all' && ws.length === s.size && ws[0] === s.min && ws[ws.length - 1] === s.max)
    return (w) => Number.isInteger(w) && w >= s.min && w <= s.max;
  const set = new Set(ws);
  return (w) => set.has(w);
}
