/**
 * Idle chain certificates: idle-set certificates (docs/theory.md §8) in chain form, for formats above 256
 * values where σ_F may have no zero (docs/theory.md §9.7). Levels: an active value a and one idle value ι
 * (I = {ι}), both values of σ_F, with a readout weight ω ⊗ ι = 0 ≠ ω ⊗ a. The delay P is a chain with
 * P(ι) = ι and P(a) = a; the AND gadget is checked on {ι, a}²; every threshold chain U_t (L_t) is proved
 * by interval images (docs/theory.md §9.1) to output a on [t, max] ([min, t]) and ι on the other side;
 * D_z = AND(P…P(U_z), P…P(L_z)), D_min = P…P(L_min), D_max = P…P(U_max). Emitters follow one rule
 * (`idle-emitters.ts`): E_y is r_y copies of P side by side, read with weights that kill ι, k_y copies of
 * one term followed by a short remainder; the output neuron's sum is proved for every y in O(1 + |rest|).
 * Under `error` with σ_F invalid somewhere (softplus overflows at max under ceil) the threshold families are
 * searched again with rest chains on the part of 𝕀 the ±½ heads reach (§9.7, "Reach-limited families").
 * Theorem (§9.7): if `verifyIdleChainCertificate` returns null, the certificate meets (R), (G1)–(G4) of
 * §8.3 and the configuration is universal (all d, fxnn's model, sequential accumulation).
 */

import type { Budget } from './budget.js';
import type { Certificate, Emitter } from './certificate.js';
import { andGadget } from './chain-certificate.js';
import { candidateWeights, type Step } from './chain-solver.js';
import { type Cyclic, cyclicApplies, cyclicProved, findCyclicThresholds } from './cyclic-thresholds.js';
import { chainGadget, type Gadget, gadgetParameters, parallel, runGadget, stack } from './gadget.js';
import {
  type IdleEmitterRule,
  idleEmitterRule,
  idleEmitterWeights,
  verifyIdleEmitters,
} from './idle-emitters.js';
import {
  biasCandidates,
  headChainProves,
  type IntervalChainOptions,
  type SigmaRanges,
  type Span,
  sigmaRanges,
  solveIntervalChain,
  stepPre,
} from './interval-chain.js';
import { contributesNothing } from './levels.js';
import { collapseChain, endPlateaus } from './plateau-collapse.js';
import { preActivation, type Setting } from './setting.js';
import {
  fillThresholdTablesByFamilies,
  pad,
  pads,
  type ThresholdTables,
  thresholdSides,
} from './threshold-tables.js';

/** The gadgets of a chain-form idle-set certificate: levels, delay, AND and the threshold chains. */
export interface IdleSkeleton {
  /** The active value a. */
  readonly a: number;
  /** The idle value ι (I = {ι}). */
  readonly idle: number;
  /** The delay P: P(ι) = ι, P(a) = a. */
  readonly delay: readonly Step[];
  /** The AND gadget on {ι, a}². */
  readonly and: Gadget;
  /** ge[z − min]: a chain computing a·[x ≥ z] + ι·[x < z] (unused at z = min). */
  readonly ge: ReadonlyArray<readonly Step[] | null>;
  /** le[z − min]: a chain computing a·[x ≤ z] + ι·[x > z] (unused at z = max). */
  readonly le: ReadonlyArray<readonly Step[] | null>;
  /**
   * Present when ge/le are +1 rotations under wrap with the levels (a, ι) (docs/theory.md §10.8, idle
   * levels): U_z, L_z output a on the arcs A_z, B_z and ι elsewhere, every D_z is an AND (min and max too).
   */
  readonly rotation?: Cyclic;
}

/** A chain-form idle-set certificate (levels a, I = {ι}). */
export interface IdleChainCertificate extends IdleSkeleton {
  /** The output bias β. */
  readonly beta: number;
  /** The emitters E_y, all given by one rule (copies of P read with weights that kill ι). */
  readonly emitters: IdleEmitterRule;
}

export interface IdleChainSearchReport {
  readonly certificate: IdleChainCertificate | null;
  readonly tried: string[];
}

/** Levels tried in all, and levels given the full search (those with a delay and an AND gadget). */
export const IDLE_CHAIN_BUDGET = { levels: 48, full: 6 } as const;

type Kind = 'upper' | 'lower';

/**
 * Level pairs (a, ι) worth trying: values of σ_F next to each other (a chain keeps two levels apart only
 * where σ_F and the weights do not contract their distance, and rounding in ⊗ can lift a one-code gap),
 * readable by some weight (ω ⊗ ι = 0 ≠ ω ⊗ a): the pairs at ½ (ties read as 0) first, then those with
 * σ_F's least or greatest value (whose wide plateaus absorb the saturated ends of the thresholds), then
 * the widest plateaus. Sequential accumulation only: under exact accumulation ω · ι = 0 forces ι = 0.
 */
export function idleChainLevels(s: Setting, readable = true): Array<{ a: number; idle: number }> {
  if (readable && s.accumulation === 'exact') return [];
  const ok = (a: number, idle: number) => !readable || readoutWeight(s, a, idle) !== null;
  const plateau = new Map<number, number>();
  for (const v of s.sigma) if (v >= s.min) plateau.set(v, (plateau.get(v) ?? 0) + 1);
  const values = [...plateau.keys()].sort((x, y) => x - y);
  const width = (v: number) => plateau.get(v) ?? 0;
  const pairs: Array<{ a: number; idle: number; score: number }> = [];
  for (let i = 0; i < values.length; i++)
    for (const j of [i - 1, i + 1, i - 2, i + 2]) {
      if (j < 0 || j >= values.length) continue;
      const idle = values[i];
      const a = values[j];
      if (idle === 0) continue;
      const half = idle === s.one / 2 ? 2 : 0;
      // σ_F's least and greatest values: their plateaus absorb the saturated ends of a threshold
      const end = i === 0 || i === values.length - 1 || j === 0 || j === values.length - 1 ? 1 : 0;
      pairs.push({
        a,
        idle,
        score: (half + end) * 1e9 + Math.min(width(a), width(idle)) - Math.abs(j - i) * 1e6,
      });
    }
  // the least value as ι and the greatest as a, each with the nearest readable partner
  const last = values.length - 1;
  for (let j = 1; j <= Math.min(last, 64); j++)
    if (values[0] !== 0 && ok(values[j], values[0])) {
      pairs.push({ a: values[j], idle: values[0], score: 1.5e9 });
      break;
    }
  for (let j = last - 1; j >= Math.max(0, last - 64); j--)
    if (values[j] !== 0 && ok(values[last], values[j])) {
      pairs.push({ a: values[last], idle: values[j], score: 1.5e9 });
      break;
    }
  // unsigned formats under wrap (docs/theory.md §10.8): ι just above 1 with a = ι + ε, read by a weight ω
  // whose product with ι wraps to 0 and with a is odd (the emitters then reach every y modulo N)
  if (s.policy.overflow === 'wrap' && s.min >= 0 && s.accumulation === 'sequential') {
    const present = new Set(values);
    let found = 0;
    for (let idle = s.one + 1; idle <= 2 * s.one && idle < s.max && found < 6; idle++) {
      if (!present.has(idle) || !present.has(idle + 1)) continue;
      const w = wrapReadoutWeight(s, idle + 1, idle);
      if (w !== null && s.mul(w, idle + 1) % 2 === 1) {
        pairs.push({ a: idle + 1, idle, score: 4e9 - found });
        found++;
      }
    }
  }
  pairs.sort((x, y) => y.score - x.score || x.idle - y.idle || x.a - y.a);
  const out: Array<{ a: number; idle: number }> = [];
  for (const p of pairs) {
    if (out.length >= IDLE_CHAIN_BUDGET.levels) break;
    if (ok(p.a, p.idle)) out.push({ a: p.a, idle: p.idle });
  }
  return out;
}

/**
 * A weight ω ∈ W with ω ⊗ ι = 0 and ω ⊗ a ≠ 0 (sequential accumulation), or null. ω ↦ ω ⊗ v is monotone
 * and 0 at ω = 0, so the weights killing ι form an interval around 0 and one of its ends reads a if any
 * of its weights does; the ends are found by scanning outwards from 0.
 */
export function readoutWeight(s: Setting, a: number, idle: number): number | null {
  if (s.accumulation === 'exact') return null;
  for (const dir of [1, -1]) {
    let last: number | null = null;
    for (let w = dir; w >= s.min && w <= s.max; w += dir) {
      if (s.mul(w, idle) !== 0) break;
      last = w;
    }
    if (last !== null && s.weightSet === 'all' && !contributesNothing(s, last, a)) return last;
  }
  if (s.weightSet === 'all') return wrapReadoutWeight(s, a, idle);
  // binary weights: try each weight
  for (const w of s.weights) if (s.mul(w, idle) === 0 && s.mul(w, a) !== 0) return w;
  return null;
}

/**
 * Under overflow `wrap` on a format without negative values (UQm.n), ω ⊗ ι is wrapped modulo N, so ω kills
 * ι also when rnd(ω·ι / 2ⁿ) is a non-zero multiple of N (docs/theory.md §10.8: ω = 16, ι = 16 on UQ8.8), and
 * the weights killing ι are no longer an interval around 0. Tries the weights whose exact product lies
 * within one code of m·N (m ≥ 1; rounding moves it by less than one code); null when none reads a.
 */
function wrapReadoutWeight(s: Setting, a: number, idle: number): number | null {
  if (s.policy.overflow !== 'wrap' || s.min < 0 || idle <= 0) return null;
  const n = s.size;
  for (let m = 1; m * n * s.one <= s.max * idle + s.one; m++) {
    const lo = Math.max(1, Math.floor((m * n * s.one - s.one) / idle));
    const hi = Math.min(s.max, Math.ceil((m * n * s.one + s.one) / idle));
    for (let w = lo; w <= hi; w++) if (s.mul(w, idle) === 0 && s.mul(w, a) !== 0) return w;
  }
  return null;
}

/**
 * Under wrap: the step h ↦ σ_F(1⊗h ⊕ b) with b ≡ p − v (mod N), where σ_F(p) = ι and σ_F(p + 1) = a, which
 * sends v to ι and v + ε to a (1⊗h = h, and wrap reduces the sum modulo N); null when no such p.
 */
function rotationOnto(s: Setting, v: number, idle: number, a: number): Step | null {
  if (s.policy.overflow !== 'wrap' || !s.weights.includes(s.one)) return null;
  for (let p = s.min; p < s.max; p++)
    if (s.sigma[p - s.min] === idle && s.sigma[p + 1 - s.min] === a) {
      const b = s.min + ((((p - v - s.min) % s.size) + s.size) % s.size);
      return [s.one, b];
    }
  return null;
}

/** Searches an idle chain certificate; the result is verified by `verifyIdleChainCertificate`. */
export function findIdleChainCertificate(s: Setting, budget?: Budget): IdleChainSearchReport {
  if (s.accumulation === 'exact')
    return {
      certificate: null,
      tried: ['idle chain certificates need sequential accumulation (docs/theory.md §8.2)'],
    };
  const all = idleChainLevels(s);
  if (all.length === 0) return { certificate: null, tried: ['no readable levels (a, ι) of σ_F'] };
  // the emitter rule reads only the levels (not the delay): pairs without one are named and skipped
  // before their delay search (with the bias last and terms of one sign, every pair; §8.10 takes over)
  const early: string[] = [];
  const levels = all.filter(({ a, idle }) => {
    const rule = idleEmitterRule(s, a, idle, 0);
    if (typeof rule === 'string') early.push(`a=${a}, ι=${idle}: ${rule}`);
    return typeof rule !== 'string';
  });
  const report = searchIdleLevels(s, levels, IDLE_CHAIN_BUDGET.full, budget, {
    // the emitter rule needs only the levels: a pair without one is skipped before its threshold search
    prepare: (a, idle, delay) => idleEmitterRule(s, a, idle, delay.length),
    finish: (skeleton, emitters) => {
      const cert: IdleChainCertificate = { ...skeleton, beta: emitters.offset ?? 0, emitters };
      return verifyIdleChainCertificate(s, cert, budget) ?? cert;
    },
  });
  return { certificate: report.certificate, tried: [...early, ...report.tried] };
}

/**
 * The search both idle certificate forms share (chain, §9.7; paired, §8.8): for each level pair (a, ι) in
 * order, a delay P on {ι, a}, the form's own gadget (`prepare`: data it needs, or why there is none), the
 * AND gadget, the threshold chains; `finish` completes and verifies the certificate (or says why not). At
 * most `full` pairs get as far as the thresholds. Every failure is named in `tried`.
 */
export function searchIdleLevels<C, E>(
  s: Setting,
  levels: readonly { a: number; idle: number }[],
  full: number,
  budget: Budget | undefined,
  form: {
    prepare(a: number, idle: number, delay: Step[]): E | string;
    finish(skeleton: IdleSkeleton, extra: E): C | string;
  },
): { certificate: C | null; tried: string[] } {
  const tried: string[] = [];
  const r = sigmaRanges(s);
  let reached = 0;
  let withoutDelay = 0;
  for (const { a, idle } of levels) {
    const label = `a=${a}, ι=${idle}`;
    const delay = solveIdleChain(s, [idle, idle], [a, a], idle, a, { minDepth: 1, maxDepth: 3, budget });
    if (!delay) {
      withoutDelay++;
      continue;
    }
    const extra = form.prepare(a, idle, delay);
    if (typeof extra === 'string') {
      tried.push(`${label}: ${extra}`);
      continue;
    }
    const and = findIdleAnd(s, a, idle, budget);
    if (!and) {
      tried.push(`${label}: no AND gadget on {ι, a}²`);
      continue;
    }
    if (++reached > full) break;
    const thresholds = findIdleThresholds(s, r, a, idle, budget);
    if (typeof thresholds === 'string') {
      tried.push(`${label}: ${thresholds}`);
      continue;
    }
    const cert = form.finish({ a, idle, delay, and, ...thresholds }, extra);
    if (typeof cert === 'string') {
      tried.push(`${label}: ${cert}`);
      continue;
    }
    return { certificate: cert, tried };
  }
  if (withoutDelay > 0) tried.push(`${withoutDelay} level pairs (a, ι) without a delay P on {ι, a}`);
  return { certificate: null, tried };
}

/**
 * A chain sending every value of `off` to ι and of `on` to a, proved by interval images: the interval
 * search of `interval-chain.ts` first; else one finishing step (`finishingStep`) straight from the two
 * spans; else a chain to σ_F's two extreme values followed by a finishing step. The finishing step finds
 * biases at the edges of the plateaus of ι and a, which the landmark biases of large formats miss.
 */
export function solveIdleChain(
  s: Setting,
  off: Span,
  on: Span,
  idle: number,
  a: number,
  options: IntervalChainOptions & { readonly extremes?: boolean },
): Step[] | null {
  const direct = solveIntervalChain(s, off, on, idle, a, options);
  if (direct) return direct;
  const minDepth = options.minDepth ?? 1;
  if (minDepth === 0 && off[0] === idle && off[1] === idle && on[0] === a && on[1] === a) return [];
  const one = finishingStep(s, off, on, idle, a);
  if (one) return [one];
  const r = sigmaRanges(s);
  const lo = r.least(s.min, s.max);
  const hi = r.greatest(s.min, s.max);
  const maxDepth = options.extremes === false ? 0 : (options.maxDepth ?? 4);
  for (const [tz, te] of [
    [lo, hi],
    [hi, lo],
  ]) {
    if (maxDepth < 2) break;
    const head = solveIntervalChain(s, off, on, tz, te, { ...options, minDepth: 1, maxDepth: maxDepth - 1 });
    if (!head) continue;
    const last = finishingStep(s, [tz, tz], [te, te], idle, a);
    if (last) return [...head, last];
  }
  return null;
}

/**
 * One step h ↦ σ_F(w⊗h ⊕ b) mapping the span `off` to ι and `on` to a (a non-decreasing σ_F, whose
 * values are plateaus of consecutive codes): for every weight, the biases that put both pre-activation
 * intervals inside the two plateaus form an interval, computed in O(1) when no sum saturates; the step
 * returned is proved by interval images (`headChainProves`). Null when none is found.
 */
export function finishingStep(s: Setting, off: Span, on: Span, idle: number, a: number): Step | null {
  const r = sigmaRanges(s);
  const si = r.setting;
  if (!si.monotone) return null;
  const pi = plateau(si, idle);
  const pa = plateau(si, a);
  if (!pi || !pa) return null;
  for (const w of si.weights) {
    const u0 = si.mul(w, off[0]);
    const u1 = si.mul(w, off[1]);
    const v0 = si.mul(w, on[0]);
    const v1 = si.mul(w, on[1]);
    if (!(u0 >= si.min && u1 >= si.min && v0 >= si.min && v1 >= si.min)) continue;
    const ul = Math.min(u0, u1);
    const uh = Math.max(u0, u1);
    const vl = Math.min(v0, v1);
    const vh = Math.max(v0, v1);
    const bl = Math.max(pi[0] - ul, pa[0] - vl, si.min);
    const bh = Math.min(pi[1] - uh, pa[1] - vh, si.max);
    for (let b = bl; b <= bh && b <= bl + 2; b++) {
      const step: Step = [w, b];
      if (
        headChainProves(r, null, [step], off[0], off[1], idle) &&
        headChainProves(r, null, [step], on[0], on[1], a)
      )
        return step;
    }
  }
  return null;
}

/** The codes where a non-decreasing σ_F takes the value v (an interval), or null. */
function plateau(s: Setting, v: number): Span | null {
  const first = (x: number) => {
    let lo = 0;
    let hi = s.size;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (s.sigma[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const i = first(v);
  const j = first(v + 1) - 1;
  if (i > j || s.sigma[i] !== v) return null;
  return [i + s.min, j + s.min];
}

/** AND as one neuron σ_F(w⊗u ⊕ w⊗v ⊕ b) followed by a chain proved on the hull of its idle outputs. */
export function findIdleAnd(s: Setting, a: number, idle: number, budget?: Budget): Gadget | null {
  const points: Array<[number, number]> = [
    [idle, idle],
    [a, idle],
    [idle, a],
    [a, a],
  ];
  const candidates: Array<{ w: number; b: number; off: Span; on: number; width: number }> = [];
  for (const w of candidateWeights(s)) {
    budget?.spend(Math.min(s.size, 4096), 'the AND search');
    const wi = s.mul(w, idle);
    const wa = s.mul(w, a);
    if (!(wi >= s.min && wa >= s.min)) continue;
    for (const b of biasCandidates(s, [2 * wi, wi + wa, 2 * wa])) {
      const out = points.map(([u, v]) => s.sigma[preActivation(s, [w, w], [u, v], b) - s.min]);
      if (!out.every((o) => o >= s.min)) continue;
      const lo = Math.min(out[0], out[1], out[2]);
      const hi = Math.max(out[0], out[1], out[2]);
      if (out[3] >= lo && out[3] <= hi) continue;
      if (lo === idle && hi === idle && out[3] === a) return andGadget(w, b, []);
      candidates.push({ w, b, off: [lo, hi], on: out[3], width: hi - lo });
    }
  }
  candidates.sort((x, y) => x.width - y.width || Math.abs(x.b) - Math.abs(y.b));
  const seen = new Set<string>();
  for (const c of candidates) {
    const key = `${c.off[0]},${c.off[1]},${c.on}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (seen.size > 12) break;
    const chain = solveIdleChain(s, c.off, [c.on, c.on], idle, a, {
      minDepth: 0,
      maxDepth: 3,
      beam: 6,
      budget,
    });
    if (chain) return andGadget(c.w, c.b, chain);
  }
  return null;
}

/**
 * True when the chain [head, ...tail] (head null: tail alone) computes a·[x ≥ t] + ι·[x < t] (`ge`) or
 * a·[x ≤ t] + ι·[x > t] (`le`) on all of 𝕀, proved by interval images on the two sides.
 */
export function idleThresholdProved(
  r: SigmaRanges,
  a: number,
  idle: number,
  dir: 'ge' | 'le',
  t: number,
  head: Step | null,
  tail: readonly Step[],
): boolean {
  if (head === null && tail.length === 0) return false;
  const s = r.setting;
  return dir === 'ge'
    ? headChainProves(r, head, tail, t, s.max, a) && headChainProves(r, head, tail, s.min, t - 1, idle)
    : headChainProves(r, head, tail, s.min, t, a) && headChainProves(r, head, tail, t + 1, s.max, idle);
}

/**
 * Every threshold chain with levels (a, ι): families (a first step x ↦ w⊗x ⊕ b_t moving t to a split,
 * then one rest chain per split, as in `chain-certificate.ts`, docs/theory.md §9.3) and a direct interval
 * search for at most 64 thresholds no family serves.
 */
export function findIdleThresholds(
  s: Setting,
  r: SigmaRanges,
  a: number,
  idle: number,
  budget?: Budget,
): (ThresholdTables & { readonly rotation?: Cyclic }) | string {
  // unsigned formats under wrap: no monotone family proves x ≤ min (docs/theory.md §10.8), rotations do;
  // the rest chain R sends σ_F(J) to a and σ_F outside J to ι
  if (s.policy.overflow === 'wrap' && s.min >= 0 && s.monotone && cyclicApplies(s)) {
    const found = findCyclicThresholds(s, r, a, budget, idle, (off, on, beam) => {
      const direct = solveIdleChain(s, off, on, idle, a, { minDepth: 0, maxDepth: 3, beam, budget });
      if (direct) return direct;
      // through a pivot pair (v, v + ε) at N/2 or N/16 (a rest chain reaches those levels more easily),
      // then one finishing step onto (ι, a); whatever is found is proved by `cyclicProved`
      for (const v of [s.size / 2, s.size / 16]) {
        const last = finishingStep(s, [v, v], [v + 1, v + 1], idle, a) ?? rotationOnto(s, v, idle, a);
        if (!last) continue;
        const head = solveIdleChain(s, off, on, v, v + 1, { minDepth: 1, maxDepth: 3, beam, budget });
        if (head) return [...head, last];
      }
      return null;
    });
    return typeof found === 'string' ? found : { ge: found.ge, le: found.le, rotation: found.cyclic };
  }
  const one = s.one;
  const firstWeights = candidateWeights(s)
    .sort((x, y) => Math.abs(Math.abs(x) - one) - Math.abs(Math.abs(y) - one) || y - x)
    .slice(0, 4);
  // under wrap, and under error (the gain first steps of Lemma G, docs/theory.md §9.5: x ↦ ±½⊗x ⊕ b never
  // overflows at the ends where x ⊕ b does; here only a search aid, every chain is proved below)
  if (s.policy.overflow === 'wrap' || s.policy.overflow === 'error') {
    const halves = [one / 2, -one / 2].filter((w) => s.weights.includes(w));
    // Lemma G′'s gains ±(½ ± ε) for the roundings that break ties by sign or parity
    if (s.policy.overflow === 'error')
      for (const w of [one / 2 + 1, -(one / 2 + 1), one / 2 - 1, -(one / 2 - 1)])
        if (s.weights.includes(w) && !firstWeights.includes(w)) halves.push(w);
    firstWeights.unshift(...halves);
  }
  const first = idleThresholdFamilies(s, r, a, idle, firstWeights, null, budget);
  if (typeof first !== 'string' || s.policy.overflow !== 'error' || r.valid(s.min, s.max)) return first;
  // under `error` with σ_F invalid somewhere (softplus under ceil overflows at max), no rest chain exists
  // on the full sides of a split; the gain heads ±½ reach only about half of 𝕀 around the split
  // (docs/theory.md §9.7, "Reach-limited families under error"), so their rest chains need only that part
  const gains = [s.one / 2, -s.one / 2, s.one / 2 + 1, -(s.one / 2 + 1), s.one / 2 - 1, -(s.one / 2 - 1)];
  // a head whose product overflows at an end of 𝕀 is invalid there under `error`: never a first step
  const halves = firstWeights.filter(
    (w) => w !== 0 && gains.includes(w) && s.mul(w, s.max) >= s.min && s.mul(w, s.min) >= s.min,
  );
  if (halves.length === 0) return first;
  let reach = 0;
  for (const w of halves) reach = Math.max(reach, Math.abs(s.mul(w, s.max) - s.mul(w, s.min)) + 1);
  const second = idleThresholdFamilies(s, r, a, idle, halves, reach, budget);
  return typeof second === 'string' ? `${first}; reach-limited families: ${second}` : second;
}

/**
 * The family search of `findIdleThresholds` with the given first weights. `reach` null: every rest chain
 * serves the full sides of its split, [min, split − 1] and [split, max] (or [min, split], [split + 1, max]);
 * `reach` R: only the codes within R of the split, which is all a head x ↦ w⊗x ⊕ b with |w⊗max − w⊗min| < R
 * reaches (the head puts t within a code of the split and is monotone). Every chain returned is proved with
 * its head on all of 𝕀 (`idleThresholdProved`), whatever the spans its rest chain was searched on.
 */
export function idleThresholdFamilies(
  s: Setting,
  r: SigmaRanges,
  a: number,
  idle: number,
  firstWeights: readonly number[],
  reach: number | null,
  budget?: Budget,
): ThresholdTables | string {
  const lowEnd = (split: number) => (reach === null ? s.min : Math.max(s.min, split - reach));
  const highEnd = (split: number) => (reach === null ? s.max : Math.min(s.max, split + reach));
  const si = r.setting;
  const deep = 3;
  const rests: Record<Kind, Array<Step[] | null | undefined>> = { upper: [], lower: [] };
  const splits: number[] = [];
  const finishes = new Map<string, Step | null>();
  const finish = (x: number, y: number): Step | null => {
    const key = `${x},${y}`;
    let step = finishes.get(key);
    if (step === undefined) finishes.set(key, (step = finishingStep(s, [x, x], [y, y], idle, a)));
    return step;
  };
  const rest = (kind: Kind, i: number): Step[] | null => {
    const known = rests[kind][i];
    if (known !== undefined) return known;
    const split = splits[i];
    let chain: Step[] | null = null;
    // upper: the sides [min, split − 1] and [split, max]; lower: [min, split] and [split + 1, max]
    if (kind === 'upper' ? split > s.min && split <= s.max : split >= s.min && split < s.max) {
      const hiSpan = r.range(kind === 'upper' ? split : split + 1, highEnd(split));
      const loSpan = r.range(lowEnd(split), kind === 'upper' ? split - 1 : split);
      if (hiSpan && loSpan) {
        const [onSpan, offSpan] = kind === 'upper' ? [hiSpan, loSpan] : [loSpan, hiSpan];
        chain =
          solveIdleChain(s, offSpan, onSpan, idle, a, { minDepth: 0, maxDepth: deep, beam: 6, budget }) ??
          collapseChain(s, offSpan, onSpan, idle, a, finish);
      }
    }
    rests[kind][i] = chain;
    return chain;
  };
  const disjoint = (split: number) => {
    const lo = r.range(lowEnd(split), split - 1);
    const hi = r.range(split, highEnd(split));
    return lo !== null && hi !== null && (lo[1] < hi[0] || hi[1] < lo[0]);
  };
  for (let k = 0; splits.length < 6 && k < s.size; k++)
    for (const v of k === 0 ? [0] : [k, -k])
      if (v > s.min + 1 && v < s.max && (disjoint(v) || disjoint(v + 1))) splits.push(v);
  // splits at the edges of σ_F's end plateaus: one side of the split is then a single value, and a
  // collapse into the other end plateau serves as the rest chain (`collapseChain`)
  if (si.monotone) {
    const { bottom, top } = endPlateaus(si);
    for (const v of [bottom, bottom + 1, top - 1, top])
      if (v >= s.min && v <= s.max && !splits.includes(v)) splits.push(v);
  }
  const family = (dir: 'ge' | 'le', t: number): Step[] | null => {
    for (const w of firstWeights) {
      const kind: Kind = (dir === 'ge') === w > 0 ? 'upper' : 'lower';
      for (let i = 0; i < splits.length; i++) {
        const split = splits[i];
        if (rests[kind][i] === null) continue;
        const u = si.mul(w, t);
        if (!(u >= s.min)) continue;
        for (let k = 0; k < 3; k++) {
          const b = split - u + (k === 0 ? 0 : k === 1 ? 1 : -1);
          if (b < s.min || b > s.max) continue;
          const p = stepPre(si, w, b, t);
          if (!(p >= s.min) || (kind === 'upper' ? p < split : p > split)) continue;
          const chain = rest(kind, i);
          if (!chain) break;
          const head: Step = [w, b];
          if (idleThresholdProved(r, a, idle, dir, t, head, chain)) return [head, ...chain];
        }
      }
    }
    return null;
  };
  const direct = (dir: 'ge' | 'le', t: number): Step[] | null => {
    budget?.spend(s.size * 64, 'the threshold search');
    const [inside, outside] = thresholdSides(s, dir, t);
    return solveIdleChain(s, outside, inside, idle, a, {
      minDepth: 1,
      maxDepth: deep,
      beam: 8,
      budget,
      extremes: false,
    });
  };
  return fillThresholdTablesByFamilies(s, family, direct, budget);
}

/** Depth of the paired threshold chains and of every detector. */
export function idleChainDepths(c: IdleSkeleton): { pair: number; detector: number } {
  let pair = 0;
  for (const g of c.ge) if (g) pair = Math.max(pair, g.length);
  for (const l of c.le) if (l) pair = Math.max(pair, l.length);
  return { pair, detector: pair + c.and.layers.length };
}

/** The detector D_z as a gadget (AND of the padded chains; the ends are padded chains alone). */
export function idleChainDetector(s: Setting, c: IdleSkeleton, z: number): Gadget {
  const { pair, detector } = idleChainDepths(c);
  const u = c.ge[z - s.min];
  const l = c.le[z - s.min];
  if (!c.rotation && (z === s.min || z === s.max)) {
    const steps = pad((z === s.min ? l : u) as Step[], c.delay, detector);
    if (!steps) throw new Error(`idleChainDetector: D_${z} cannot be padded`);
    return chainGadget(steps);
  }
  const pu = pad(u as Step[], c.delay, pair);
  const pl = pad(l as Step[], c.delay, pair);
  if (!pu || !pl) throw new Error(`idleChainDetector: D_${z} cannot be padded`);
  return stack(parallel(chainGadget(pu), chainGadget(pl)), c.and);
}

/**
 * The largest detector of an idle certificate (chain or paired form): one per shape (the end codes and
 * the lengths of the two threshold chains), the one with the most parameters; for its summary.
 */
export function largestIdleChainDetector(s: Setting, c: IdleSkeleton): Gadget {
  let det: Gadget | null = null;
  const shapes = new Set<string>();
  for (let z = s.min; z <= s.max; z++) {
    const shape = `${z === s.min ? 'min' : z === s.max ? 'max' : 'mid'},${c.ge[z - s.min]?.length},${c.le[z - s.min]?.length}`;
    if (shapes.has(shape)) continue;
    shapes.add(shape);
    const d = idleChainDetector(s, c, z);
    if (!det || gadgetParameters(d) > gadgetParameters(det)) det = d;
  }
  return det as Gadget;
}

/**
 * Checks an idle chain certificate (docs/theory.md §9.7): sequential accumulation; a ≠ ι; every weight in W
 * and bias in 𝕀; the delay on
 * {ι, a}; AND on {ι, a}²; every threshold chain on all of 𝕀 by interval images; the paddings; the
 * emitter rule for every y (`verifyIdleEmitters`: every weight it uses lies in W and kills ι, and the
 * output neuron's accumulation of E_y(a) with β gives y). Null when all hold, else the first failure.
 */
export function verifyIdleChainCertificate(
  s: Setting,
  c: IdleChainCertificate,
  budget?: Budget,
): string | null {
  if (s.accumulation !== 'sequential') return 'idle chain certificates need sequential accumulation';
  return verifyIdleSkeleton(s, c, budget) ?? verifyIdleEmitters(s, c.a, c.idle, c.beta, c.emitters, budget);
}

/**
 * The gadget checks of `verifyIdleChainCertificate` (any accumulation): a ≠ ι; every weight in W and
 * bias in 𝕀; the delay on {ι, a}; AND on {ι, a}²; every threshold chain on all of 𝕀 by interval images;
 * the paddings. Null when all hold, else the first failure.
 */
export function verifyIdleSkeleton(s: Setting, c: IdleSkeleton, budget?: Budget): string | null {
  const { a, idle } = c;
  const inRange = (v: number) => Number.isInteger(v) && v >= s.min && v <= s.max;
  if (!inRange(a) || !inRange(idle) || a === idle) return `levels must be two values, got a=${a}, ι=${idle}`;
  // every weight in W and every bias a value (B = 𝕀)
  const inW = s.weightSet === 'all' ? (w: number) => inRange(w) : (w: number) => s.weights.includes(w);
  const stepsOk = (steps: readonly Step[]) => steps.every(([w, b]) => inW(w) && inRange(b));
  if (!stepsOk(c.delay)) return 'delay: a weight outside W or a bias outside 𝕀';
  for (const layer of c.and.layers)
    for (const n of layer)
      if (!inRange(n.bias) || !n.edges.every(([, w]) => inW(w)))
        return 'AND: a weight outside W or a bias outside 𝕀';
  for (const table of [c.ge, c.le])
    for (const steps of table)
      if (steps && !stepsOk(steps)) return 'a threshold chain has a weight outside W or a bias outside 𝕀';
  const runChain = (steps: readonly Step[], x: number) => runGadget(s, chainGadget(steps), [x])[0];
  if (c.delay.length === 0 || runChain(c.delay, idle) !== idle || runChain(c.delay, a) !== a)
    return 'delay fails on {ι, a}';
  if (c.and.inputs !== 2 || c.and.layers.length === 0 || c.and.layers[c.and.layers.length - 1].length !== 1)
    return 'AND: not a 2-input, 1-output network';
  for (const u of [idle, a])
    for (const v of [idle, a]) {
      const got = runGadget(s, c.and, [u, v])[0];
      if (got !== (u === a && v === a ? a : idle)) return `AND fails at (${u}, ${v}): ${got}`;
    }
  if (c.ge.length !== s.size || c.le.length !== s.size) return 'expected a threshold chain per value';
  const r = sigmaRanges(s);
  const { pair, detector } = idleChainDepths(c);
  for (let t = s.min; t <= s.max; t++) {
    if (t % 4096 === 0) budget?.spend(4096, 'the idle chain certificate check');
    for (const dir of ['ge', 'le'] as const) {
      const steps = (dir === 'ge' ? c.ge : c.le)[t - s.min];
      if (c.rotation) {
        // U_t, L_t: the rotation onto the window, then R proved on it (a) and outside it (ι); every D_t
        // is an AND of the two, padded to the pair depth (docs/theory.md §10.8)
        if (!steps || !cyclicProved(s, r, a, c.rotation.split, dir, t, steps, c.rotation.top, idle))
          return `cyclic chain ${dir === 'ge' ? 'U' : 'L'} of code ${t} is not proved`;
        if (!pads(steps.length, c.delay.length, pair)) return `cyclic chain of code ${t} cannot be padded`;
        continue;
      }
      if ((dir === 'ge' && t === s.min) || (dir === 'le' && t === s.max)) continue;
      if (!steps || !idleThresholdProved(r, a, idle, dir, t, null, steps))
        return `threshold chain for x ${dir === 'ge' ? '≥' : '≤'} code ${t} is not proved`;
      const end = (dir === 'le' && t === s.min) || (dir === 'ge' && t === s.max);
      if (!pads(steps.length, c.delay.length, end ? detector : pair))
        return `threshold chain for x ${dir === 'ge' ? '≥' : '≤'} code ${t} cannot be padded`;
    }
  }
  return null;
}

/** The certificate in the general form of docs/theory.md §8.3 (every detector and emitter built). */
export function materializeIdleChainCertificate(s: Setting, c: IdleChainCertificate): Certificate {
  const detectors: Gadget[] = [];
  for (let z = s.min; z <= s.max; z++) detectors.push(idleChainDetector(s, c, z));
  const delay = chainGadget(c.delay);
  const emitters: Emitter[] = [];
  for (let y = s.min; y <= s.max; y++) {
    const weights = idleEmitterWeights(c.emitters, y);
    let gadget: Gadget = { inputs: 1, layers: [] };
    for (let j = 0; j < weights.length; j++) gadget = j === 0 ? delay : parallel(gadget, delay);
    emitters.push({ gadget, weights });
  }
  return {
    e: c.a,
    idle: [c.idle],
    omega: c.emitters.omega,
    detectors,
    and: c.and,
    delay,
    beta: c.beta,
    emitters,
  };
}
