/**
 * Paired idle certificates: universality under exact accumulation without a zero of σ_F
 * (docs/theory.md §8.8). Under exact accumulation no weight ω ≠ 0 kills a value ι ≠ 0 (ω · ι ≠ 0, §8.2), so
 * an idle emitter cannot add nothing; here it adds ω·ι − ω·ι = 0: every emitter output is a pair, a copy
 * of the delay P (P(ι) = ι, P(a) = a) read with ω and a copy of a constant chain C (C(ι) = C(a) = ι) read
 * with −ω. The exact accumulator adds every product unrounded, so an idle pair adds exactly 0 and an
 * active one ω·(a − ι).
 *
 * Theorem (§8.8). Exact accumulation, any rounding, overflow saturate, wrap or error, any weight set W,
 * distinct sources, identity output layer. Given levels a ≠ ι, gadgets P, A (AND) and threshold chains
 * U_t, L_t meeting (i)–(iii) of §9.7 (`verifyIdleSkeleton`), a chain C with the length of P, weights in W,
 * C(ι) = C(a) = ι, a bias β and for every y weights ω_{y,1…r} with ω_{y,j}, −ω_{y,j} ∈ W and
 * rnd(β·2^F + (a − ι)·Σ_j ω_{y,j}) = y (the output neuron's exact accumulation; valid), the configuration is
 * universal: N_f (detectors, AND trees, on each tree's output E_{f(z)} = r pairs (P, C) read with
 * (ω_{f(z),j}, −ω_{f(z),j}), one identity output neuron with bias β) computes every f : 𝕀^d → 𝕀.
 * `verifyPairedIdleCertificate` checks every hypothesis; the emitters follow one rule, checked for every y
 * in O(1) each.
 */
import type { Budget } from './budget.js';
import { candidateWeights, type Step } from './chain-solver.js';
import { chainGadget, runGadget } from './gadget.js';
import {
  type IdleSkeleton,
  idleChainLevels,
  searchIdleLevels,
  verifyIdleSkeleton,
} from './idle-chain-certificate.js';
import type { Setting } from './setting.js';

/** E_y by one rule: k copies of ±run, then one remainder weight (binary: |n| copies of ±1). */
export interface PairedEmitterRule {
  /** The largest weight magnitude used (all weights: max; binary: 1). */
  readonly run: number;
}

/** A paired idle certificate (levels a, I = {ι}; exact accumulation). */
export interface PairedIdleCertificate extends IdleSkeleton {
  /** The constant chain C: C(ι) = C(a) = ι, as long as the delay. */
  readonly constant: readonly Step[];
  /** The output bias β. */
  readonly beta: number;
  readonly emitters: PairedEmitterRule;
}

export interface PairedIdleSearchReport {
  readonly certificate: PairedIdleCertificate | null;
  readonly tried: string[];
}

/** Levels tried in all, and given the full threshold search. */
export const PAIRED_BUDGET = { levels: 24, full: 4 } as const;

/**
 * Σ_j ω_{y,j} for y under the rule (β = 0), or null when no sum reaches y: all weights, the integer Ω
 * nearest y·2^F/(a − ι) with rnd((a − ι)·Ω) = y (rnd is monotone in Ω and moves by at most one code per step
 * of Ω when |a − ι| < 2^F); binary, (y − β)/(a − ι) copies of 1 (codes 2^F).
 */
function pairedSum(s: Setting, d: number, beta: number, y: number): number | null {
  if (s.weightSet === 'binary') {
    if ((y - beta) % d !== 0) return null;
    return ((y - beta) / d) * s.one;
  }
  const guess = Math.round(((y - beta) * s.one) / d);
  for (const delta of [0, -1, 1, -2, 2, -3, 3])
    if (s.roundWide(beta * s.one + d * (guess + delta)) === y) return guess + delta;
  return null;
}

/** E_y as sign·(k copies of run, then rest) with Σ ω = sign·(k·run + rest); null when no sum reaches y. */
function pairedSplit(
  s: Setting,
  c: PairedIdleCertificate,
  y: number,
): { sign: 1 | -1; k: number; rest: number } | null {
  const total = pairedSum(s, c.a - c.idle, c.beta, y);
  if (total === null) return null;
  const run = c.emitters.run;
  const k = Math.floor(Math.abs(total) / run);
  return { sign: total >= 0 ? 1 : -1, k, rest: Math.abs(total) - k * run };
}

/** The output weights of E_y in order: copies of ±run, then the remainder (each ω with −ω ∈ W). */
export function pairedEmitterWeights(s: Setting, c: PairedIdleCertificate, y: number): number[] {
  const split = pairedSplit(s, c, y);
  if (!split) return [];
  const out: number[] = new Array(split.k).fill(split.sign * c.emitters.run);
  if (split.rest > 0) out.push(split.sign * split.rest);
  return out;
}

/** Number of pairs of E_y (without building its list). */
export function pairedEmitterTerms(s: Setting, c: PairedIdleCertificate, y: number): number {
  const split = pairedSplit(s, c, y);
  return split ? split.k + (split.rest > 0 ? 1 : 0) : 0;
}

/** A chain of `length` copies of one step sending ι and a to ι (weight 0 first where 0 ∈ W). */
export function constantChain(s: Setting, a: number, idle: number, length: number): Step[] | null {
  const ws = s.weights.includes(0) ? [0, ...candidateWeights(s)] : candidateWeights(s);
  const g = (step: Step, x: number) => runGadget(s, chainGadget([step]), [x])[0];
  for (const w of ws)
    for (let b = s.min; b <= s.max; b++) {
      const step: Step = [w, b];
      if (g(step, idle) === idle && g(step, a) === idle) return new Array(length).fill(step);
    }
  return null;
}

/** Searches a paired idle certificate (exact accumulation); verified by `verifyPairedIdleCertificate`. */
export function findPairedIdleCertificate(s: Setting, budget?: Budget): PairedIdleSearchReport {
  if (s.accumulation !== 'exact')
    return { certificate: null, tried: ['paired idle certificates are for exact accumulation'] };
  // binary weights reach every y only with a − ι = ±ε: those levels first, then the others; among them
  // the pairs holding σ_F's least value first (its bottom plateau absorbs the saturated end x ≤ min)
  let least = Number.POSITIVE_INFINITY;
  for (const v of s.sigma) if (v >= s.min && v < least) least = v;
  const rank = (l: { a: number; idle: number }) =>
    Math.abs(l.a - l.idle) * 2 + (l.a === least || l.idle === least ? 0 : 1);
  const levels = idleChainLevels(s, false)
    .filter((l) => s.weightSet === 'all' || Math.abs(l.a - l.idle) === 1)
    .sort((x, y) => rank(x) - rank(y))
    .slice(0, PAIRED_BUDGET.levels);
  if (levels.length === 0) return { certificate: null, tried: ['no level pairs (a, ι) of σ_F'] };
  return searchIdleLevels(s, levels, PAIRED_BUDGET.full, budget, {
    prepare: (a, idle, delay) => constantChain(s, a, idle, delay.length) ?? 'no constant chain C on {ι, a}',
    finish: (skeleton, constant): PairedIdleCertificate | string => {
      const run = s.weightSet === 'binary' ? s.one : s.max;
      const cert: PairedIdleCertificate = { ...skeleton, constant, beta: 0, emitters: { run } };
      return verifyPairedIdleCertificate(s, cert, budget) ?? cert;
    },
  });
}

/**
 * Checks a paired idle certificate (docs/theory.md §8.8): exact accumulation; the gadgets of §9.7
 * (`verifyIdleSkeleton`: levels, weights in W, biases in 𝕀, delay, AND, every threshold chain by interval
 * images, paddings); C as long as P, its weights in W and biases in 𝕀, C(ι) = C(a) = ι; β ∈ 𝕀; and for
 * every y the weights of E_y: each ω and −ω in W, and rnd(β·2^F + (a − ι)·Σ ω) = y (the exact accumulation
 * of the active pairs; the idle pairs add 0). Null when all hold, else the first failure.
 */
export function verifyPairedIdleCertificate(
  s: Setting,
  c: PairedIdleCertificate,
  budget?: Budget,
): string | null {
  if (s.accumulation !== 'exact') return 'paired idle certificates need exact accumulation';
  const skeleton = verifyIdleSkeleton(s, c, budget);
  if (skeleton) return skeleton;
  const inRange = (v: number) => Number.isInteger(v) && v >= s.min && v <= s.max;
  const inW = s.weightSet === 'all' ? inRange : (w: number) => s.weights.includes(w);
  if (c.constant.length !== c.delay.length) return 'the constant chain C is not as long as the delay';
  if (!c.constant.every(([w, b]) => inW(w) && inRange(b))) return 'C: a weight outside W or a bias outside 𝕀';
  const run = (x: number) => runGadget(s, chainGadget(c.constant), [x])[0];
  if (run(c.idle) !== c.idle || run(c.a) !== c.idle) return 'C fails on {ι, a}';
  if (!inRange(c.beta)) return 'β is not a value';
  const d = c.a - c.idle;
  const checked = new Set<number>();
  for (let y = s.min; y <= s.max; y++) {
    if ((y - s.min) % 4096 === 0) budget?.spend(4096, 'the paired emitter check');
    // E_y's weights: k copies of one weight and at most one remainder (the rule), each checked once
    const split = pairedSplit(s, c, y);
    if (!split) return `E_${y}: no sum of pair weights reaches y`;
    const ws = split.k > 0 ? [split.sign * c.emitters.run] : [];
    if (split.rest > 0) ws.push(split.sign * split.rest);
    for (const w of ws)
      if (!checked.has(w)) {
        if (!inW(w) || !inW(-w)) return `E_${y}: the pair weights ${w}, ${-w} are not both in W`;
        checked.add(w);
      }
    const total = split.sign * (split.k * c.emitters.run + split.rest);
    if (s.roundWide(c.beta * s.one + d * total) !== y)
      return `E_${y}: the active pairs give ${s.roundWide(c.beta * s.one + d * total)}, not ${y}`;
  }
  return null;
}
