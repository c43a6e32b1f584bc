/**
 * Start-term idle certificates: idle chain certificates (docs/theory.md §9.7) whose readable terms have one
 * sign only (docs/theory.md §8.10).
 *
 * With ceil rounding every positive weight reads every positive value of σ_F as a positive term (ceil of a
 * positive product is ≥ 1 code), so only negative weights kill an idle value and every emitter term is ≤ 0;
 * floor is the mirror. From the accumulator 0 such terms reach only one half of 𝕀. The output neuron then
 * starts elsewhere: with the bias first the bias β = max (or min) is the start; with the bias last, m copies of
 * a constant chain K (K(ι) = K(a) = c, on one tree's output) are read first with a weight w_c, and their m
 * terms w_c ⊗ c accumulate (saturating) to max (or min); β = 0. Under `error` the prefix must hit its target
 * exactly: `exactStart` solves w_c ⊗ c = target / m by bisection (docs/theory.md §8.10, "Exact prefixes").
 *
 * Theorem (§8.10). Sequential accumulation, either bias order; any overflow and rounding; distinct sources;
 * identity output layer. Given the gadgets of §9.7 (i)–(iii) (`verifyIdleSkeleton`), K (as long as the delay,
 * weights in W, biases in 𝕀, K(ι) = K(a) = c valid), w_c ∈ W, m ≥ 0, β ∈ 𝕀, and for every y weights
 * ω_{y,j} ∈ W killing ι (ω ⊗ ι = 0) such that accumulating m terms w_c ⊗ c, then ω_{y,1} ⊗ a, …, then β
 * (bias last; with the bias first: β, then the terms) gives y, the configuration is universal: N_f is the
 * network of §8.3 with m copies of K on the tree of one point, read first by the output neuron.
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
import { type IdleEmitterRule, idleEmitterRule, idleEmitterSplit } from './idle-emitters.js';
import { contributesNothing } from './levels.js';
import type { Setting } from './setting.js';

/** The constant prefix of the output neuron (bias last): m copies of K read with w_c. */
export interface StartTerm {
  /** K: a chain as long as the delay with K(ι) = K(a). */
  readonly chain: readonly Step[];
  readonly weight: number;
  readonly copies: number;
}

/** A start-term idle certificate (levels a, I = {ι}; sequential accumulation). */
export interface StartIdleCertificate extends IdleSkeleton {
  readonly beta: number;
  /** The emitter rule (terms of one sign), applied to y − (the start value). */
  readonly emitters: IdleEmitterRule;
  /** The prefix (bias last), or null (bias first: β is the start). */
  readonly start: StartTerm | null;
}

export interface StartIdleSearchReport {
  readonly certificate: StartIdleCertificate | null;
  readonly tried: string[];
}

/** Levels tried in all, and given the full threshold search. */
export const START_BUDGET = { levels: 24, full: 4 } as const;

/** The accumulator before the emitter terms: β (bias first), or the prefix accumulated from 0. */
export function startValue(s: Setting, c: StartIdleCertificate): number {
  if (s.bias === 'first' || !c.start) return s.bias === 'first' ? c.beta : 0;
  const k = runGadget(s, chainGadget(c.start.chain), [c.idle])[0];
  const t = s.mul(c.start.weight, k);
  let acc = 0;
  for (let j = 0; j < c.start.copies && acc >= s.min; j++) acc = s.add(acc, t);
  return acc;
}

/** The output weights of E_y in order (the rule applied to y − start). */
export function startEmitterWeights(s: Setting, c: StartIdleCertificate, y: number): number[] {
  const { run, k, rest } = idleEmitterSplit(c.emitters, y - startValue(s, c));
  const out: number[] = new Array(k).fill(run);
  out.push(...rest);
  return out;
}

/**
 * The prefix reaching `target` (min or max) from 0 with the fewest copies: K ends with (0, b) where σ_F(b)
 * is σ_F's least or greatest value (weight 0 ∈ W: the step is constant), earlier steps (0, 0).
 */
export function findStart(s: Setting, length: number, target: number, maxCopies = 64): StartTerm | null {
  if (!s.weights.includes(0)) return null;
  let best: StartTerm | null = null;
  let bMin = s.min;
  let bMax = s.min;
  for (let b = s.min; b <= s.max; b++) {
    if (s.sigma[b - s.min] < s.sigma[bMin - s.min]) bMin = b;
    if (s.sigma[b - s.min] > s.sigma[bMax - s.min]) bMax = b;
  }
  for (const b of [bMax, bMin]) {
    const c = s.sigma[b - s.min];
    if (!(c >= s.min)) continue;
    for (const w of [...candidateWeights(s), s.min, s.max]) {
      const t = s.mul(w, c);
      if (!(t >= s.min) || t === 0 || Math.sign(t) !== Math.sign(target)) continue;
      let acc = 0;
      for (let m = 1; m <= maxCopies; m++) {
        acc = s.add(acc, t);
        if (!(acc >= s.min)) break;
        if (acc === target) {
          if (!best || m < best.copies) {
            const chain: Step[] = new Array(length).fill([0, 0]);
            chain[length - 1] = [0, b];
            best = { chain, weight: w, copies: m };
          }
          break;
        }
      }
    }
  }
  return best ?? exactStart(s, length, target, [bMax, bMin], maxCopies);
}

/**
 * A prefix of m equal terms w_c ⊗ c summing exactly to `target` (m ≤ 64 dividing it), when the candidate
 * weights of `findStart` give none (under `error` a prefix cannot saturate onto its target; e.g. sigmoid on
 * Q3.12 under ceil: c = 4095ε, target max = 32767ε = 7 · 4681ε, w_c = 4682ε). All weights only: w ↦ w ⊗ c
 * is monotone (rounding is), so the weight with w ⊗ c = target / m, if any, is found by bisection. The
 * partial sums j·(target / m) lie between 0 and target, so no step overflows (lemma of runs, §9.7);
 * `verifyStartIdleCertificate` checks the prefix again.
 */
export function exactStart(
  s: Setting,
  length: number,
  target: number,
  biases: readonly number[],
  maxCopies = 64,
): StartTerm | null {
  if (s.weightSet !== 'all') return null;
  for (let m = 1; m <= maxCopies; m++) {
    if (target % m !== 0) continue;
    const t = target / m;
    for (const b of biases) {
      const c = s.sigma[b - s.min];
      if (!(c >= s.min) || c === 0) continue;
      // the least w (c > 0; the greatest for c < 0) with w ⊗ c ≥ t when t > 0, ≤ t when t < 0
      const reach = (w: number) => {
        const p = s.mul(w, c);
        return p >= s.min && (t > 0 ? p >= t : p <= t);
      };
      const up = c > 0 === t > 0;
      // under `error` w ⊗ c overflows for |w| large: the valid weights of that sign form an interval
      // from 0 (monotone), whose far end is found by bisection first
      const valid = (w: number) => s.mul(w, c) >= s.min;
      let lo = up ? 0 : s.min;
      let hi = up ? s.max : 0;
      if (up)
        while (lo < hi) {
          const mid = Math.ceil((lo + hi) / 2);
          if (valid(mid)) lo = mid;
          else hi = mid - 1;
        }
      else
        while (lo < hi) {
          const mid = Math.floor((lo + hi) / 2);
          if (valid(mid)) hi = mid;
          else lo = mid + 1;
        }
      [lo, hi] = up ? [0, lo] : [lo, 0];
      if (!reach(up ? hi : lo)) continue;
      while (lo < hi) {
        const mid = Math.floor((lo + hi) / 2);
        if (up ? reach(mid) : !reach(mid)) hi = mid;
        else lo = mid + 1;
      }
      const w = up ? lo : lo - 1;
      if (w < s.min || w > s.max || s.mul(w, c) !== t) continue;
      const chain: Step[] = new Array(length).fill([0, 0]);
      chain[length - 1] = [0, b];
      return { chain, weight: w, copies: m };
    }
  }
  return null;
}

/** Searches a start-term idle certificate (sequential accumulation, readable terms of one sign). */
export function findStartIdleCertificate(
  s: Setting,
  budget?: Budget,
  options: { readonly maxCopies?: number } = {},
): StartIdleSearchReport {
  if (s.accumulation !== 'sequential')
    return { certificate: null, tried: ['start-term certificates need sequential accumulation'] };
  const levels = idleChainLevels(s).slice(0, START_BUDGET.levels);
  if (levels.length === 0) return { certificate: null, tried: ['no readable levels (a, ι) of σ_F'] };
  return searchIdleLevels(s, levels, START_BUDGET.full, budget, {
    prepare: (a, idle, delay) => {
      const rule = idleEmitterRule(s, a, idle, delay.length, true);
      if (typeof rule === 'string') return rule;
      // terms of both signs: §9.7's own rule applies, nothing to add here
      if (rule.up !== null && rule.down !== null) return 'terms of both signs (docs/theory.md §9.7)';
      const target = rule.up !== null ? s.min : s.max;
      if (s.bias === 'first') return { rule, beta: target, start: null };
      const start = findStart(s, delay.length, target, options.maxCopies);
      return start ? { rule, beta: 0, start } : `no constant prefix reaches ${target}`;
    },
    finish: (skeleton, extra: { rule: IdleEmitterRule; beta: number; start: StartTerm | null }) => {
      const cert: StartIdleCertificate = {
        ...skeleton,
        beta: extra.beta,
        emitters: extra.rule,
        start: extra.start,
      };
      return verifyStartIdleCertificate(s, cert, budget) ?? cert;
    },
  });
}

/**
 * Checks a start-term idle certificate (docs/theory.md §8.10): sequential accumulation; the gadgets of §9.7
 * (`verifyIdleSkeleton`); β ∈ 𝕀; bias last: K as long as the delay, weights in W, biases in 𝕀,
 * K(ι) = K(a) valid, w_c ∈ W; and for every y: each emitter weight in W and killing ι, and the output
 * neuron's accumulation (prefix, terms ω ⊗ a, β) gives y, runs of equal terms by the runs lemma of §9.7.
 * Null when all hold, else the first failure.
 */
export function verifyStartIdleCertificate(
  s: Setting,
  c: StartIdleCertificate,
  budget?: Budget,
): string | null {
  if (s.accumulation !== 'sequential') return 'start-term certificates need sequential accumulation';
  const skeleton = verifyIdleSkeleton(s, c, budget);
  if (skeleton) return skeleton;
  const inRange = (v: number) => Number.isInteger(v) && v >= s.min && v <= s.max;
  const inW = s.weightSet === 'all' ? inRange : (w: number) => s.weights.includes(w);
  if (!inRange(c.beta)) return 'β is not a value';
  if (s.bias === 'first' && c.start) return 'with the bias first β is the start: no prefix';
  if (c.start) {
    const { chain, weight, copies } = c.start;
    if (chain.length !== c.delay.length) return 'K is not as long as the delay';
    if (!chain.every(([w, b]) => inW(w) && inRange(b)) || !inW(weight))
      return 'K or w_c: a weight outside W or a bias outside 𝕀';
    if (!Number.isInteger(copies) || copies < 0) return 'the prefix count must be a natural number';
    const run = (x: number) => runGadget(s, chainGadget(chain), [x])[0];
    const k = run(c.idle);
    if (!(k >= s.min) || run(c.a) !== k) return 'K is not constant on {ι, a}';
    if (!(s.mul(weight, k) >= s.min)) return 'the prefix term overflows';
  }
  const start = startValue(s, c);
  if (!(start >= s.min)) return 'the prefix overflows';
  const checked = new Map<number, number | string>();
  const term = (w: number): number | string => {
    const hit = checked.get(w);
    if (hit !== undefined) return hit;
    let out: number | string = s.mul(w, c.a);
    if (!inW(w)) out = `emitter weight ${w} is not in W`;
    else if (!contributesNothing(s, w, c.idle)) out = `emitter weight ${w} does not kill ι = ${c.idle}`;
    else if (!((out as number) >= s.min)) out = `emitter weight ${w} overflows on a`;
    checked.set(w, out);
    return out;
  };
  for (let y = s.min; y <= s.max; y++) {
    if ((y - s.min) % 4096 === 0) budget?.spend(4096 * 8, 'the start-term emitter check');
    const { run, k, rest } = idleEmitterSplit(c.emitters, y - start);
    let acc = start;
    if (run !== null && k > 0) {
      const t = term(run);
      if (typeof t === 'string') return t;
      const end = acc + k * t;
      if (end >= s.min && end <= s.max) acc = end;
      else for (let j = 0; j < k && acc >= s.min; j++) acc = s.add(acc, t);
    }
    for (const w of rest) {
      const t = term(w);
      if (typeof t === 'string') return t;
      acc = s.add(acc, t);
    }
    if (s.bias === 'last') acc = s.add(acc, c.beta);
    if (acc !== y) return `emitter E_${y} gives ${acc}`;
  }
  return null;
}
