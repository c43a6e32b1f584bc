/**
 * Contraction idle certificates (docs/theory.md §9.7, "Contraction rest chains"): the idle chain
 * certificate of §9.7 (or its start-term form, §8.10) for σ_F without a zero whose rest chains must
 * contract a whole side of a split to one value, with no wide plateau of σ_F and no saturation to do it
 * (softplus on Q0.15 under ceil and `error`: slope 0.27–0.63, σ_F invalid above about 0.54).
 *
 * Every threshold x ≥ t is a gain head x ↦ σ_F(w⊗x ⊕ b) (w = ±½ or ±(½ ± ε), which separates t − 1 and t
 * when w⊗(t − 1) ≠ w⊗t) putting t next to a split q, a step of σ_F, followed by the contraction rest chain
 * of q (`contraction-chains.ts`), solved once per split and kind on the two sides σ_F([v₀, q − 1]) and
 * σ_F([q, v₁]) of σ_F's valid codes [v₀, v₁], which contain everything a valid head puts there; x ≤ t is
 * the head of t + 1 with the other rest. The delay, the AND (one neuron σ_F(w⊗u ⊕ w⊗v ⊕ b), then a
 * contraction chain) and the emitters (the rule of §9.7, or with terms of one sign the start of §8.10)
 * complete the certificate.
 *
 * Statement: nothing new is assumed. The certificate returned is an idle chain certificate, verified by
 * `verifyIdleChainCertificate` (Theorem of §9.7), or a start-term certificate, verified by
 * `verifyStartIdleCertificate` (Theorem of §8.10), before it is returned; either gives universality (all
 * d, sequential accumulation, distinct sources, identity output layer).
 */
import type { Budget } from './budget.js';
import { andGadget, weightMembership } from './chain-certificate.js';
import type { Step } from './chain-solver.js';
import { contractionChain, contractionWeights } from './contraction-chains.js';
import {
  type IdleChainCertificate,
  type IdleSkeleton,
  idleChainLevels,
  idleThresholdProved,
  verifyIdleChainCertificate,
} from './idle-chain-certificate.js';
import { idleEmitterRule } from './idle-emitters.js';
import { type SigmaRanges, type Span, sigmaRanges } from './interval-chain.js';
import { preActivation, type Setting } from './setting.js';
import {
  findStart,
  type StartIdleCertificate,
  verifyStartIdleCertificate,
} from './start-idle-certificate.js';

/** The certificate found: the chain form of §9.7 or the start-term form of §8.10. */
export type ContractionIdleCertificate =
  | { readonly form: 'chain'; readonly certificate: IdleChainCertificate }
  | { readonly form: 'start'; readonly certificate: StartIdleCertificate };

/** Level pairs tried, and most splits per level pair. */
export const CONTRACTION_BUDGET = { levels: 4, splits: 24 } as const;

/** True where the search applies: sequential, saturate or error, σ_F never 0, the gains ±½ in W. */
export function contractionApplies(s: Setting): boolean {
  return (
    s.accumulation === 'sequential' &&
    s.policy.overflow !== 'wrap' &&
    !s.sigma.includes(0) &&
    s.one % 2 === 0 &&
    s.weights.includes(s.one / 2) &&
    s.weights.includes(-s.one / 2)
  );
}

/** The longest run of codes where σ_F is valid: [v₀, v₁]. */
function validRun(s: Setting): Span {
  let best: Span = [s.min, s.min - 1];
  let start = s.min;
  for (let p = s.min; p <= s.max + 1; p++) {
    const ok = p <= s.max && s.sigma[p - s.min] >= s.min;
    if (ok) continue;
    if (p - 1 - start > best[1] - best[0]) best = [start, p - 1];
    start = p + 1;
  }
  return best;
}

/**
 * A one-step delay h ↦ σ_F(w⊗h ⊕ b) with P(ι) = ι and P(a) = a over every weight of W, when the codes where
 * σ_F is ι and those where it is a form two intervals [c₁, c₂] and [c₃, c₄] of valid codes: for each w the
 * biases putting w⊗ι in the first and w⊗a in the second form an interval, read off in O(1) (one integer
 * addition each; `preActivation` checks the chosen step). Under nearest-even on Q0.15 (a = ½ + ε, ι = ½)
 * no weight of ±1, ±(1 − ε), ±½ separates the two levels, but w = 1 − 3ε does (16384·w is a tie rounded
 * to the even 16382, 16385·w rounds up to 16383).
 */
function plateauDelay(s: Setting, idle: number, a: number, budget?: Budget): Step[] | null {
  const codesOf = (v: number): Span | null => {
    let lo = Number.NaN;
    let hi = Number.NaN;
    for (let p = s.min; p <= s.max; p++)
      if (s.sigma[p - s.min] === v) {
        if (Number.isNaN(lo)) lo = p;
        else if (p !== hi + 1) return null;
        hi = p;
      }
    return Number.isNaN(lo) ? null : [lo, hi];
  };
  const ci = codesOf(idle);
  const ca = codesOf(a);
  if (!ci || !ca) return null;
  budget?.spend(s.weights.length, 'the contraction delay search');
  for (const w of s.weights) {
    const u = s.mul(w, idle);
    const v = s.mul(w, a);
    if (!(u >= s.min && v >= s.min) || u === v) continue;
    const lo = Math.max(ci[0] - u, ca[0] - v, s.min);
    const hi = Math.min(ci[1] - u, ca[1] - v, s.max);
    if (lo > hi) continue;
    if (
      s.sigma[preActivation(s, [w], [idle], lo) - s.min] === idle &&
      s.sigma[preActivation(s, [w], [a], lo) - s.min] === a
    )
      return [[w, lo]];
  }
  return null;
}

/**
 * Weights that read ι and a as different codes (w⊗ι ≠ w⊗a), the nearest ones to ±½ and ±1: rounding can merge
 * the two levels under the weights of `contractionWeights` (nearest-even on Q0.15: ½⊗(½ + ε) is a tie),
 * while a weight a few codes away separates them.
 */
function separatingWeights(s: Setting, idle: number, a: number): number[] {
  const inW = weightMembership(s);
  const out: number[] = [];
  for (const target of [s.one / 2, -s.one / 2, Math.min(s.one, s.max), -Math.min(s.one, s.max)]) {
    for (let k = 0; k < 64; k++) {
      const hit = [target - k, target + k].find((w) => {
        if (!inW(w)) return false;
        const u = s.mul(w, idle);
        const v = s.mul(w, a);
        return u >= s.min && v >= s.min && u !== v;
      });
      if (hit !== undefined) {
        if (!out.includes(hit)) out.push(hit);
        break;
      }
    }
  }
  return out;
}

/** AND: one neuron σ_F(w⊗u ⊕ w⊗v ⊕ b) whose value at (a, a) lies outside the hull of the other three, then a contraction chain. */
function contractionAnd(s: Setting, r: SigmaRanges, a: number, idle: number, budget?: Budget) {
  const points: Array<[number, number]> = [
    [idle, idle],
    [a, idle],
    [idle, a],
    [a, a],
  ];
  const found: Array<{ w: number; b: number; off: Span; on: number; width: number }> = [];
  for (const w of [...contractionWeights(r), ...separatingWeights(s, idle, a)]) {
    budget?.spend(s.size, 'the contraction AND search');
    for (let b = s.min; b <= s.max; b++) {
      const out = points.map(([u, v]) => s.sigma[preActivation(s, [w, w], [u, v], b) - s.min]);
      if (!out.every((o) => o >= s.min)) continue;
      const lo = Math.min(out[0], out[1], out[2]);
      const hi = Math.max(out[0], out[1], out[2]);
      if (out[3] >= lo && out[3] <= hi) continue;
      found.push({ w, b, off: [lo, hi], on: out[3], width: hi - lo });
    }
  }
  found.sort((x, y) => x.width - y.width || Math.abs(x.b) - Math.abs(y.b));
  const seen = new Set<string>();
  for (const c of found) {
    const key = `${c.off[0]},${c.off[1]},${c.on}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (seen.size > 4) break;
    if (c.off[0] === idle && c.off[1] === idle && c.on === a) return andGadget(c.w, c.b, []);
    const chain = contractionChain(r, c.off, [c.on, c.on], idle, a, budget);
    if (chain) return andGadget(c.w, c.b, chain);
  }
  return null;
}

/** Every threshold chain with the levels (a, ι): gain heads onto splits, contraction rests; or why not. */
function contractionThresholds(
  s: Setting,
  r: SigmaRanges,
  a: number,
  idle: number,
  budget?: Budget,
): { ge: (Step[] | null)[]; le: (Step[] | null)[] } | string {
  const [v0, v1] = validRun(s);
  if (v1 - v0 < 2) return 'σ_F has no run of valid codes';
  const half = s.one / 2;
  const gains = [half, -half, half + 1, -(half + 1), half - 1, -(half - 1)].filter((w) =>
    s.weights.includes(w),
  );
  // rests[kind][q]: upper sends σ_F([q, v₁]) to a and σ_F([v₀, q − 1]) to ι; lower the other way round
  const rests = { upper: new Map<number, Step[] | null>(), lower: new Map<number, Step[] | null>() };
  const splits: number[] = [];
  const rest = (kind: 'upper' | 'lower', q: number): Step[] | null => {
    const known = rests[kind].get(q);
    if (known !== undefined) return known;
    const below = r.range(v0, q - 1);
    const above = r.range(q, v1);
    let chain: Step[] | null = null;
    if (below && above && (below[1] < above[0] || above[1] < below[0]))
      chain =
        kind === 'upper'
          ? contractionChain(r, below, above, idle, a, budget)
          : contractionChain(r, above, below, idle, a, budget);
    rests[kind].set(q, chain);
    return chain;
  };
  const isStep = (q: number) => {
    const below = r.range(v0, q - 1);
    const above = r.range(q, v1);
    return below !== null && above !== null && (below[1] < above[0] || above[1] < below[0]);
  };
  /** The chain for x ≥ t (kind upper) or, with the kinds swapped, x ≤ t − 1. */
  const chainFor = (t: number, dir: 'ge' | 'le'): Step[] | null => {
    for (const w of gains) {
      const u = s.mul(w, t);
      const u1 = s.mul(w, t - 1);
      if (!(u >= s.min && u1 >= s.min) || u === u1) continue;
      const e0 = s.mul(w, s.min);
      const e1 = s.mul(w, s.max);
      if (!(e0 >= s.min && e1 >= s.min)) continue;
      const lo = Math.min(e0, e1);
      const hi = Math.max(e0, e1);
      // w > 0: p(t) = u + b = q and x ≥ t ⟺ p ≥ q; w < 0: p(t) = u + b = q − 1 and x ≥ t ⟺ p ≤ q − 1
      const shift = w > 0 ? 0 : 1;
      const bLo = Math.max(s.min, v0 - lo);
      const bHi = Math.min(s.max, v1 - hi);
      if (bLo > bHi) continue;
      const qLo = u + bLo + shift;
      const qHi = u + bHi + shift;
      const kindGe = w > 0 ? 'upper' : 'lower';
      const kind = dir === 'ge' ? kindGe : kindGe === 'upper' ? 'lower' : 'upper';
      const tryAt = (q: number): Step[] | null => {
        const chain = rest(kind, q);
        if (!chain) return null;
        const head: Step = [w, q - shift - u];
        const ok =
          dir === 'ge'
            ? idleThresholdProved(r, a, idle, 'ge', t, head, chain)
            : idleThresholdProved(r, a, idle, 'le', t - 1, head, chain);
        return ok ? [head, ...chain] : null;
      };
      for (const q of splits) {
        if (q < qLo || q > qHi) continue;
        const got = tryAt(q);
        if (got) return got;
      }
      if (splits.length >= CONTRACTION_BUDGET.splits) continue;
      // a new split: the step of σ_F nearest the far end of this threshold's window (t runs upwards, the
      // windows move up with t for w > 0 and down for w < 0)
      const order = w > 0 ? -1 : 1;
      for (let q = w > 0 ? qHi : qLo, k = 0; q >= qLo && q <= qHi && k < 64; q += order, k++) {
        if (!isStep(q) || splits.includes(q)) continue;
        splits.push(q);
        const got = tryAt(q);
        if (got) return got;
        break;
      }
    }
    return null;
  };
  const ge: (Step[] | null)[] = new Array(s.size).fill(null);
  const le: (Step[] | null)[] = new Array(s.size).fill(null);
  for (let t = s.min + 1; t <= s.max; t++) {
    if ((t - s.min) % 1024 === 0) budget?.spend(1024 * 64, 'the contraction threshold search');
    const g = chainFor(t, 'ge');
    if (!g) return `no contraction chain for x ≥ code ${t}`;
    ge[t - s.min] = g;
    const l = chainFor(t, 'le');
    if (!l) return `no contraction chain for x ≤ code ${t - 1}`;
    le[t - 1 - s.min] = l;
  }
  return { ge, le };
}

/** Searches a contraction idle certificate; the result is verified before it is returned. */
export function findContractionIdleCertificate(
  s: Setting,
  budget?: Budget,
): { certificate: ContractionIdleCertificate | null; tried: string[] } {
  if (!contractionApplies(s))
    return {
      certificate: null,
      tried: ['needs sequential accumulation, saturate or error, σ_F never 0 and the weights ±½'],
    };
  const r = sigmaRanges(s);
  const tried: string[] = [];
  const levels = idleChainLevels(s).slice(0, CONTRACTION_BUDGET.levels);
  if (levels.length === 0) return { certificate: null, tried: ['no readable levels (a, ι) of σ_F'] };
  for (const { a, idle } of levels) {
    const label = `a=${a}, ι=${idle}`;
    // the emitters first (they read only the levels): the rule of §9.7, else terms of one sign (§8.10)
    const rule = idleEmitterRule(s, a, idle, 1);
    const oneSign = typeof rule === 'string' ? idleEmitterRule(s, a, idle, 1, true) : null;
    if (typeof rule === 'string' && (oneSign === null || typeof oneSign === 'string')) {
      tried.push(`${label}: ${rule}`);
      continue;
    }
    const delay =
      contractionChain(r, [idle, idle], [a, a], idle, a, budget, 1) ?? plateauDelay(s, idle, a, budget);
    if (!delay) {
      tried.push(`${label}: no one-step delay on {ι, a}`);
      continue;
    }
    const and = contractionAnd(s, r, a, idle, budget);
    if (!and) {
      tried.push(`${label}: no AND gadget on {ι, a}²`);
      continue;
    }
    const tables = contractionThresholds(s, r, a, idle, budget);
    if (typeof tables === 'string') {
      tried.push(`${label}: ${tables}`);
      continue;
    }
    const skeleton: IdleSkeleton = { a, idle, delay, and, ...tables };
    if (typeof rule !== 'string') {
      const certificate: IdleChainCertificate = { ...skeleton, beta: rule.offset ?? 0, emitters: rule };
      const broken = verifyIdleChainCertificate(s, certificate, budget);
      if (broken) {
        tried.push(`${label}: ${broken}`);
        continue;
      }
      return { certificate: { form: 'chain', certificate }, tried };
    }
    const terms = oneSign as Exclude<typeof oneSign, string | null>;
    const target = terms.up !== null ? s.min : s.max;
    const start = s.bias === 'first' ? null : findStart(s, delay.length, target);
    if (s.bias === 'last' && !start) {
      tried.push(`${label}: no constant prefix reaches ${target}`);
      continue;
    }
    const certificate: StartIdleCertificate = {
      ...skeleton,
      beta: s.bias === 'first' ? target : 0,
      emitters: terms,
      start,
    };
    const broken = verifyStartIdleCertificate(s, certificate, budget);
    if (broken) {
      tried.push(`${label}: ${broken}`);
      continue;
    }
    return { certificate: { form: 'start', certificate }, tried };
  }
  return { certificate: null, tried };
}
