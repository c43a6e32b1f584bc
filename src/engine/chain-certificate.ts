/**
 * Chain certificates: universality certificates for large formats, found and verified in O(|𝕀|) gadget
 * evaluations instead of O(|𝕀|²) (docs/theory.md §9). The detector of z is D_z = AND(P(U_z), P(L_z))
 * with U_z a chain computing e·[x ≥ z], L_z one computing e·[x ≤ z], P padding with the delay (D_min is
 * P(L_min), D_max is P(U_max)); the AND gadget is checked on {0, e}², the delay on {0, e}, and every
 * threshold chain is proved on its two intervals [z, max] and [min, z − 1] (resp. [min, z], [z + 1, max])
 * by interval images (`interval-chain.ts`): each step's pre-activation is monotone in its input, so the
 * chain's outputs on an interval lie in the composed range images, and a singleton image {e} (resp. {0})
 * is a proof. Then D_z(x) = e exactly at x = z and 0 elsewhere, which is G1 of THEORY §5.2; emitters (G4)
 * are checked at 0 and e as usual. Thresholds come in families: one first step w⊗x ⊕ b_z per z (b_z moves
 * z to a fixed split) followed by one rest chain solved once for the split, so the search costs a few
 * interval searches whatever |𝕀|.
 */

import { amplifierEmitters } from './amplifier-emitters.js';
import type { Budget } from './budget.js';
import { type Certificate, candidateEs, type Emitter, outputNeuron } from './certificate.js';
import { candidateWeights, type Step } from './chain-solver.js';
import { findCutThresholds } from './cut-thresholds.js';
import { type Cyclic, cyclicApplies, cyclicProved, findCyclicThresholds } from './cyclic-thresholds.js';
import { digitFanEmitters } from './digit-fan-emitters.js';
import { fanEmitters } from './fan-emitters.js';
import { featureThresholdsApply, findFeatureThresholds } from './feature-thresholds.js';
import {
  chainGadget,
  type Gadget,
  type GadgetNeuron,
  gadgetParameters,
  parallel,
  parameterOutside,
  runGadget,
  stack,
} from './gadget.js';
import {
  biasCandidates,
  FULL_BIAS_SCAN,
  headChainProves,
  type SigmaRanges,
  type Span,
  sigmaRanges,
  solveIntervalChain,
  stepPre,
} from './interval-chain.js';
import { contributesNothing } from './levels.js';
import { type LinearUnitCondition, linearUnitParts } from './linear-unit-condition.js';
import { Predecessors } from './predecessors.js';
import { type RestKind as Kind, restChains, splitDisjoint } from './rest-chains.js';
import { preActivation, type Setting } from './setting.js';
import { padThresholdTables } from './threshold-padding.js';
import {
  fillThresholdTablesByFamilies,
  pad,
  pads,
  type ThresholdTables,
  thresholdSides,
} from './threshold-tables.js';

/** A certificate whose detectors are pairs of threshold chains (classical levels: active e, idle 0). */
export interface ChainCertificate {
  readonly e: number;
  /** The delay P, a chain with P(0) = 0 and P(e) = e. */
  readonly delay: readonly Step[];
  /** The AND gadget on {0, e}². */
  readonly and: Gadget;
  /** ge[z − min]: a chain computing e·[x ≥ z] (unused at z = min). */
  readonly ge: ReadonlyArray<readonly Step[] | null>;
  /** le[z − min]: a chain computing e·[x ≤ z] (unused at z = max). */
  readonly le: ReadonlyArray<readonly Step[] | null>;
  readonly beta: number;
  readonly emitters: readonly Emitter[];
  /**
   * Present when ge/le are cyclic chains under wrap (docs/theory.md §10.3, `cyclic-thresholds.ts`):
   * ge[z] gives e on an arc from z upwards, le[z] on an arc from z downwards, meeting only at z; every
   * detector, D_min and D_max included, is then AND(U_z, L_z).
   */
  readonly cyclic?: Cyclic;
}

export interface ChainSearchReport {
  readonly certificate: ChainCertificate | null;
  readonly tried: string[];
}

/** Most output terms of one emitter (a memory bound: |𝕀| emitters hold their terms). */
const MAX_EMITTER_TERMS = 1024;
/** Most accumulator values the breadth-first emitter search holds (memory: about 100 bytes each). */
const MAX_EMITTER_STATES = 2 ** 22;

/** Threshold chains solved per direction of the pre-activation: `upper` (inside above), `lower`. */

/** Searches a chain certificate (no wrap-around); the result is verified by `verifyChainCertificate`. */
export function findChainCertificate(s: Setting, budget?: Budget): ChainSearchReport {
  const tried: string[] = [];
  // the levels are (e, I = {0}): P(0) = 0 needs a zero of σ_F (idle-set certificates, §8, are not chains)
  if (!s.sigma.includes(0))
    return {
      certificate: null,
      tried: [
        'σ_F is never 0, so no classical chain certificate exists (their idle value is 0; idle-set chains, docs/theory.md §9.7, are tried next)',
      ],
    };
  const r = sigmaRanges(s);
  // −ε last: the least negative active value (hard-swish under wrap, docs/theory.md §11.4)
  const es = candidateEs(s);
  if (s.sigma.includes(-1) && !es.includes(-1)) es.push(-1);
  for (const e of es) {
    const label = `e=${e}`;
    const delay = solveIntervalChain(s, [0, 0], [e, e], 0, e, { minDepth: 1, maxDepth: 3, budget });
    if (!delay) {
      tried.push(`${label}: no delay gadget P(u) = u on {0, e}`);
      continue;
    }
    const and = findAndChain(s, e, budget);
    if (!and) {
      tried.push(`${label}: no AND gadget`);
      continue;
    }
    // under wrap without negative weights (UQm.n) and a non-decreasing σ_F, every step is order-preserving
    // in the no-wrap shadow, so no monotone family proves x ≤ min (docs/theory.md §10.8): rotations only
    const rotationsOnly = s.policy.overflow === 'wrap' && s.monotone && s.min >= 0 && cyclicApplies(s);
    let thresholds: ReturnType<typeof findThresholds> | ReturnType<typeof findCyclicThresholds> =
      rotationsOnly
        ? 'no negative weight and σ_F non-decreasing: monotone threshold families cannot prove x ≤ min'
        : findThresholds(s, r, e, budget);
    // under wrap with the weight 1, rotations x ↦ ±x ⊕ b give cyclic thresholds (docs/theory.md §10.3)
    if (typeof thresholds === 'string' && cyclicApplies(s)) {
      const cyc = findCyclicThresholds(s, r, e, budget);
      thresholds = typeof cyc === 'string' ? `${thresholds}; ${cyc}` : cyc;
    }
    // formats without gain (Q0.n, Q1.n: max < 2): heads of gain 2^−k onto a cut of σ_F (docs/theory.md §11.2)
    if (typeof thresholds === 'string' && s.size > FULL_BIAS_SCAN && s.max < 2 * s.one) {
      const cut = findCutThresholds(s, r, e, budget);
      thresholds = typeof cut === 'string' ? `${thresholds}; ${cut}` : cut;
    }
    // overflow `error`: with binary weights the first layer is bias-free, with all weights (toward-zero,
    // sequential) no gain step serves some thresholds; thresholds read a feature σ_F(±x) (docs/theory.md
    // §10.9, Lemmas FT and FE)
    if (typeof thresholds === 'string' && featureThresholdsApply(s)) {
      const feat = findFeatureThresholds(s, r, e, budget);
      thresholds = typeof feat === 'string' ? `${thresholds}; ${feat}` : feat;
    }
    // chains of lengths that no number of delays pads to one depth get another rest (docs/theory.md §11.5)
    if (typeof thresholds !== 'string' && !('cyclic' in thresholds && thresholds.cyclic))
      thresholds = padThresholdTables(s, r, e, thresholds, delay.length, and.layers.length, budget);
    if (typeof thresholds === 'string') {
      tried.push(`${label}: ${thresholds}`);
      continue;
    }
    // a small e on formats without gain (Q0.n): amplify by fan-in instead (docs/theory.md §11.1); first
    // there (the breadth-first emitter search can spend the whole budget), last elsewhere
    const noGain = s.max < s.one && s.size > FULL_BIAS_SCAN;
    const emit = emittersFor(s, e, delay, budget, noGain);
    if (typeof emit === 'string') {
      tried.push(`${label}: ${emit}`);
      continue;
    }
    const cert: ChainCertificate = { e, delay, and, ...thresholds, ...emit };
    const failure = verifyChainCertificate(s, cert, budget);
    if (failure) {
      tried.push(`${label}: ${failure}`);
      continue;
    }
    return { certificate: cert, tried };
  }
  return { certificate: null, tried };
}

/** AND as one neuron σ_F(w⊗u ⊕ w⊗v ⊕ b) followed by a chain proved on the hull of its idle outputs. */
export function findAndChain(s: Setting, e: number, budget?: Budget): Gadget | null {
  const points: Array<[number, number]> = [
    [0, 0],
    [e, 0],
    [0, e],
    [e, e],
  ];
  const candidates: Array<{ w: number; b: number; zero: Span; one: number; width: number }> = [];
  for (const w of candidateWeights(s)) {
    budget?.spend(Math.min(s.size, 4096), 'the AND search');
    const we = s.accumulation === 'exact' ? w * e : s.mul(w, e);
    if (!(we >= s.min || s.accumulation === 'exact')) continue;
    for (const b of biasCandidates(s, [0, we, 2 * we])) {
      const out = points.map(([u, v]) => s.sigma[preActivation(s, [w, w], [u, v], b) - s.min]);
      if (!out.every((o) => o >= s.min)) continue;
      const lo = Math.min(out[0], out[1], out[2]);
      const hi = Math.max(out[0], out[1], out[2]);
      if (out[3] >= lo && out[3] <= hi) continue;
      if (lo === 0 && hi === 0 && out[3] === e) return andGadget(w, b, []);
      candidates.push({ w, b, zero: [lo, hi], one: out[3], width: hi - lo });
    }
  }
  candidates.sort((x, y) => x.width - y.width || Math.abs(x.b) - Math.abs(y.b));
  const seen = new Set<string>();
  for (const c of candidates) {
    const key = `${c.zero[0]},${c.zero[1]},${c.one}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (seen.size > 12) break;
    const chain = solveIntervalChain(s, c.zero, [c.one, c.one], 0, e, {
      minDepth: 0,
      maxDepth: 3,
      beam: 6,
      budget,
    });
    if (chain) return andGadget(c.w, c.b, chain);
  }
  return null;
}

/** The AND gadget σ_F(w⊗u ⊕ w⊗v ⊕ b) followed by a threshold chain (THEORY §5.2's AND). */
export function andGadget(w: number, b: number, chain: readonly Step[]): Gadget {
  return {
    inputs: 2,
    layers: [
      [
        {
          bias: b,
          edges: [
            [0, w],
            [1, w],
          ],
        },
      ],
      ...chainGadget(chain).layers,
    ],
  };
}

/** True when the chain computes e·[x ≥ t] (or e·[x ≤ t]) on all of 𝕀, proved by interval images. */
export function thresholdProved(
  r: SigmaRanges,
  e: number,
  dir: 'ge' | 'le',
  t: number,
  steps: readonly Step[],
): boolean {
  if (steps.length === 0) return false;
  return thresholdProvedHead(r, e, dir, t, null, steps);
}

/** `thresholdProved` of the chain [head, ...tail] (head null: tail alone), without building it. */
function thresholdProvedHead(
  r: SigmaRanges,
  e: number,
  dir: 'ge' | 'le',
  t: number,
  head: Step | null,
  tail: readonly Step[],
): boolean {
  if (head === null && tail.length === 0) return false;
  const s = r.setting;
  // the inside [t, max] (ge) or [min, t], then the outside [min, t − 1] (ge) or [t + 1, max]
  return dir === 'ge'
    ? headChainProves(r, head, tail, t, s.max, e) && headChainProves(r, head, tail, s.min, t - 1, 0)
    : headChainProves(r, head, tail, s.min, t, e) && headChainProves(r, head, tail, t + 1, s.max, 0);
}

/** Every threshold chain, by families (one rest chain per split) and a direct search for the rest. */
function findThresholds(s: Setting, r: SigmaRanges, e: number, budget?: Budget): ThresholdTables | string {
  const one = s.one;
  const firstWeights = candidateWeights(s)
    .sort((a, b) => Math.abs(Math.abs(a) - one) - Math.abs(Math.abs(b) - one) || b - a)
    .slice(0, 4);
  // under wrap a first step x ↦ w⊗x ⊕ b must not wrap on either side (docs/theory.md §10.1): with
  // |w| = ½ the products fill half the range and any bias in the other half keeps every sum in range;
  // ½ merges pairs of codes, −½ the pairs shifted by one, so between them every threshold has a weight
  // under error too: x ↦ ±½⊗x ⊕ b stays in range where x ⊕ b raises at an end (the gain steps of Lemma G,
  // docs/theory.md §9.5; here a search aid, every chain is proved by interval images), with Lemma G′'s
  // ±(½ ± ε) for the roundings that break ties by sign or parity
  if (s.policy.overflow === 'wrap' || s.policy.overflow === 'error') {
    const halves = [one / 2, -one / 2].filter((w) => s.weights.includes(w));
    if (s.policy.overflow === 'error')
      for (const w of [one / 2 + 1, -(one / 2 + 1), one / 2 - 1, -(one / 2 - 1)])
        if (s.weights.includes(w) && !firstWeights.includes(w)) halves.push(w);
    firstWeights.unshift(...halves);
  }
  const si = r.setting;
  // binary weights: two candidate weights per step, so longer chains cost little (identity needs them)
  const deep = s.weightSet === 'binary' ? 6 : 3;
  // splits near 0 first, where σ's features sit, keeping those whose two σ_F ranges are disjoint (else
  // no chain can pull them apart: the interval images only shrink)
  const splits: number[] = [];
  // the rest chain of each (kind, split index), solved on first use
  const { rest, knownNone } = restChains(s, r, splits, e, deep, budget);
  const disjoint = (split: number) => splitDisjoint(s, r, split);
  for (let k = 0; splits.length < 6 && k < s.size; k++) {
    for (const v of k === 0 ? [0] : [k, -k])
      if (v > s.min + 1 && v < s.max && (disjoint(v) || disjoint(v + 1))) splits.push(v);
  }
  const family = (dir: 'ge' | 'le', t: number): Step[] | null => {
    for (const w of firstWeights) {
      const kind: Kind = (dir === 'ge') === w > 0 ? 'upper' : 'lower';
      for (let i = 0; i < splits.length; i++) {
        const split = splits[i];
        if (knownNone(kind, i)) continue;
        const u = s.accumulation === 'exact' ? Math.round((w * t) / s.one) : si.mul(w, t);
        if (!(u >= s.min)) continue;
        // the biases split − u, split − u + 1, split − u − 1, in this order
        for (let k = 0; k < 3; k++) {
          const b = split - u + (k === 0 ? 0 : k === 1 ? 1 : -1);
          if (b < s.min || b > s.max) continue;
          const p = stepPre(si, w, b, t);
          if (!(p >= s.min) || (kind === 'upper' ? p < split : p > split)) continue;
          const chain = rest(kind, i);
          if (!chain) break;
          const head: Step = [w, b];
          if (thresholdProvedHead(r, e, dir, t, head, chain)) return [head, ...chain];
        }
      }
    }
    // under error, when no gain step separates t − 1 and t (toward-zero at integer x, docs/theory.md §9.5):
    // first x ↦ σ_F(±x) (b = 0, the only shift valid on all of 𝕀), then a shift of its narrower range onto a
    // split; a search aid like the families above, every chain proved by interval images
    if (s.policy.overflow === 'error' && s.weightSet === 'all') {
      for (const w1 of [one, -one]) {
        if (w1 < s.min || w1 > s.max) continue;
        const h = stepPre(si, w1, 0, t);
        if (!(h >= s.min)) continue;
        const ht = si.sigma[h - s.min];
        if (!(ht >= s.min)) continue;
        for (const w2 of [one, -one]) {
          if (w2 < s.min || w2 > s.max) continue;
          const kind: Kind = (dir === 'ge') === w1 * w2 > 0 ? 'upper' : 'lower';
          const u = stepPre(si, w2, 0, ht);
          if (!(u >= s.min)) continue;
          for (let i = 0; i < splits.length; i++) {
            if (knownNone(kind, i)) continue;
            for (let k = 0; k < 3; k++) {
              const b = splits[i] - u + (k === 0 ? 0 : k === 1 ? 1 : -1);
              if (b < s.min || b > s.max) continue;
              const chain = rest(kind, i);
              if (!chain) break;
              const steps: Step[] = [[w1, 0], [w2, b], ...chain];
              if (thresholdProvedHead(r, e, dir, t, null, steps)) return steps;
            }
          }
        }
      }
    }
    return null;
  };
  // no family serves t (next to the ends, where saturation merges values): a direct interval search
  const direct = (dir: 'ge' | 'le', t: number): Step[] | null => {
    budget?.spend(s.size * 64, 'the threshold search');
    const [inside, outside] = thresholdSides(s, dir, t);
    return solveIntervalChain(s, outside, inside, 0, e, { minDepth: 1, maxDepth: deep + 1, beam: 8, budget });
  };
  // the thresholds next to the ends first (they fail first when anything fails), then every t
  return fillThresholdTablesByFamilies(s, family, direct, budget);
}

/**
 * The emitters of a certificate with active value e and delay P: `scaledEmitters`, else the amplifier
 * emitters of docs/theory.md §11.1 (`amplifierFirst`: the amplifier first, for formats without gain where
 * the breadth-first search can spend the whole budget); the reasons of both joined when neither exists.
 */
export function emittersFor(
  s: Setting,
  e: number,
  delay: readonly Step[],
  budget?: Budget,
  amplifierFirst = false,
): { beta: number; emitters: Emitter[] } | string {
  const early = amplifierFirst ? amplifierEmitters(s, e, budget) : null;
  if (early && typeof early !== 'string') return early;
  const emit = scaledEmitters(s, e, delay, budget);
  if (typeof emit !== 'string') return emit;
  const amp = early ?? amplifierEmitters(s, e, budget);
  if (typeof amp !== 'string') return amp;
  // last: fan emitters over a complete digit set, for σ_F that skips a power of two (docs/theory.md §10.2)
  const digits = digitFanEmitters(s, e, budget);
  return typeof digits === 'string' ? `${emit}; ${amp}; ${digits}` : digits;
}

/**
 * Emitters E_y (G4): single direct terms when every y is w⊗e for some weight w (e = 1 with all weights),
 * else (all weights) one shared amplifier chain A(0) = 0, A(e) = 1 read with weight y, else one shared fan
 * gadget read with signs ±1 (`fan-emitters.ts`, docs/theory.md §10.2), else a breadth-first search over
 * accumulator values with at most 64 terms ±ω⊗v, v = e or the value at e of one neuron with value 0 at 0.
 */
export function scaledEmitters(
  s: Setting,
  e: number,
  delay: readonly Step[],
  budget?: Budget,
): { beta: number; emitters: Emitter[] } | string {
  const term = (w: number, v: number) => (s.accumulation === 'exact' ? w * v : s.mul(w, v));
  const finish = (acc: number) => (s.accumulation === 'exact' ? s.roundWide(acc) : acc);
  // single terms: y = output neuron of [w] on [e] with β = 0
  const direct = new Map<number, number>();
  for (const w of s.weights) {
    const y = outputNeuron(s, [w], [e], 0);
    if (y >= s.min && y !== 0 && !direct.has(y)) direct.set(y, w);
  }
  const empty = (): Emitter => ({ gadget: { inputs: 1, layers: [] }, weights: [] });
  if (direct.size === s.size - 1) {
    const emitters: Emitter[] = [];
    for (let y = s.min; y <= s.max; y++)
      emitters.push(
        y === 0 ? empty() : { gadget: { inputs: 1, layers: [] }, weights: [direct.get(y) as number] },
      );
    return { beta: 0, emitters };
  }
  // an amplifier chain A with A(0) = 0 and A(e) = 1, shared by every emitter: E_y = A read with weight y;
  // under wrap also A(e) = k (k odd, a value of σ_F): w ↦ w·k is a bijection modulo N = 2^bits, so every
  // y is read from k with one weight (each checked below, and again by the verifier)
  const targets = [s.one];
  if (s.policy.overflow === 'wrap' && s.weightSet === 'all') {
    const odd = new Set<number>();
    for (const v of s.sigma) if (v > s.one && v % s.one === 0 && (v / s.one) % 2 === 1) odd.add(v);
    const sorted = [...odd].sort((x, y) => x - y);
    targets.push(...sorted.slice(0, 2), ...sorted.slice(-2).reverse());
  }
  for (const target of s.weightSet === 'all' && s.one <= s.max ? [...new Set(targets)] : []) {
    const amp = solveIntervalChain(s, [0, 0], [e, e], 0, target, {
      minDepth: 1,
      maxDepth: 4,
      beam: 8,
      budget,
    });
    if (amp) {
      const gadget = chainGadget(amp);
      const viaOne = new Map<number, number>();
      for (const w of s.weights) {
        const y = outputNeuron(s, [w], [target], 0);
        if (y >= s.min && y !== 0 && !viaOne.has(y)) viaOne.set(y, w);
      }
      if (viaOne.size === s.size - 1) {
        const emitters: Emitter[] = [];
        for (let y = s.min; y <= s.max; y++)
          emitters.push(y === 0 ? empty() : { gadget, weights: [viaOne.get(y) as number] });
        return { beta: 0, emitters };
      }
    }
  }
  // one shared fan gadget read with signs ±1 (docs/theory.md §10.2), before the costlier search below
  const fan = fanEmitters(s, e, budget);
  if (typeof fan !== 'string') return fan;
  if (delay.length !== 1) return `${fan}; emitters with several terms need a one-layer delay`;
  // terms: (weight, step or null for the direct value e, increment)
  type Term = { w: number; step: Step | null; inc: number };
  const values = new Map<number, Step | null>([[e, null]]);
  for (const w of candidateWeights(s)) {
    budget?.spend(s.size, 'the emitter search');
    for (let b = s.min; b <= s.max; b++) {
      if (s.sigma[stepPre(s, w, b, 0) - s.min] !== 0) continue;
      const v = s.sigma[stepPre(s, w, b, e) - s.min];
      if (v >= s.min && v !== 0 && !values.has(v)) values.set(v, [w, b]);
    }
  }
  // keep the terms nearest to ±2^k (a binary expansion reaches every value in few terms), streaming over
  // every (value, reader) pair without listing them
  // readers ±1 on every value; with all weights also every w on e itself (direct terms)
  const readers = s.weights.filter((w) => w === s.one || w === -s.one);
  const scale = s.accumulation === 'exact' ? s.one : 1;
  const wants: number[] = [];
  for (let k = 0; 2 ** k <= s.size * scale; k++) wants.push(2 ** k, -(2 ** k));
  const best: (Term | null)[] = wants.map(() => null);
  for (const [v, step] of values) {
    for (const w of readers) {
      const inc = term(w, v);
      if (Number.isNaN(inc) || inc === 0) continue;
      for (let i = 0; i < wants.length; i++) {
        const b = best[i];
        if (!b || Math.abs(inc - wants[i]) < Math.abs(b.inc - wants[i])) best[i] = { w, step, inc };
      }
    }
  }
  if (s.weightSet === 'all') {
    for (const w of s.weights) {
      const inc = term(w, e);
      if (Number.isNaN(inc) || inc === 0) continue;
      for (let i = 0; i < wants.length; i++) {
        const b = best[i];
        if (!b || Math.abs(inc - wants[i]) < Math.abs(b.inc - wants[i])) best[i] = { w, step: null, inc };
      }
    }
  }
  const chosen = new Map<number, Term>();
  for (const b of best) if (b) chosen.set(b.inc, b);
  const terms = [...chosen.values()].slice(0, 64);
  const start = 0;
  const bound = s.size * scale * 2;
  // the breadth-first tree: the accumulator each value was reached from and the term's index
  const prev = new Predecessors(bound);
  prev.set(start, start, -1);
  // one neuron object per term, shared by every emitter that uses the term (memory O(|𝕀|) references)
  const neurons: GadgetNeuron[] = terms.map((t) => {
    const [w, b] = t.step ?? delay[0];
    return { bias: b, edges: [[0, w]] };
  });
  // found[y − min]: the first accumulator (in breadth-first order) whose output is y; NaN until reached
  const found = new Float64Array(s.size).fill(Number.NaN);
  let reached = 0;
  const exact = s.accumulation === 'exact';
  const incs = Float64Array.from(terms, (t) => t.inc);
  let frontier = [start];
  // at most MAX_EMITTER_TERMS output terms per emitter (memory: |𝕀| emitters hold their terms)
  for (let depth = 0; frontier.length > 0 && reached < s.size && depth <= MAX_EMITTER_TERMS; depth++) {
    budget?.spend(frontier.length * terms.length, 'the emitter search');
    for (const acc of frontier) {
      const y = depth === 0 ? 0 : finish(acc);
      if (y >= s.min && !(found[y - s.min] >= -bound)) {
        found[y - s.min] = acc;
        reached++;
      }
    }
    // every output reached: the next depth is never read (its values would only be held, docs/theory.md §9.6)
    if (reached === s.size) break;
    const next: number[] = [];
    for (const acc of frontier) {
      for (let i = 0; i < incs.length; i++) {
        const a = exact ? acc + incs[i] : s.add(acc, incs[i]);
        if (!(Math.abs(a) <= bound) || prev.has(a)) continue;
        prev.set(a, acc, i);
        next.push(a);
        // a memory bound (issue 12: under 1 GB): about 40 bytes per value reached
        if (prev.size > MAX_EMITTER_STATES)
          return `no emitter found before the search reached ${MAX_EMITTER_STATES} accumulator values (memory bound)`;
      }
    }
    frontier = next;
  }
  const emitters: Emitter[] = [];
  const path: number[] = [];
  for (let y = s.min; y <= s.max; y++) {
    if (y % 1024 === 0) budget?.spend(1024 * 16, 'the emitter search');
    const acc = found[y - s.min];
    if (!(acc >= -bound)) return `no emitter with at most ${MAX_EMITTER_TERMS} terms reaches y code ${y}`;
    path.length = 0;
    for (let a = acc; a !== start; a = prev.from(a)) path.push(prev.term(a));
    if (path.length === 0) {
      emitters.push(empty());
      continue;
    }
    // the terms from the root of the tree down to y
    const k = path.length;
    const layer: GadgetNeuron[] = new Array(k);
    const weights: number[] = new Array(k);
    for (let j = 0; j < k; j++) {
      const i = path[k - 1 - j];
      layer[j] = neurons[i];
      weights[j] = terms[i].w;
    }
    emitters.push({ gadget: { inputs: 1, layers: [layer] }, weights });
  }
  return { beta: 0, emitters };
}

const depthCache = new WeakMap<ChainCertificate, { pair: number; detector: number }>();

/** Depth of the paired threshold chains and of every detector (computed once per certificate). */
function depths(c: ChainCertificate): { pair: number; detector: number } {
  const hit = depthCache.get(c);
  if (hit) return hit;
  let pair = 0;
  for (const g of c.ge) if (g) pair = Math.max(pair, g.length);
  for (const l of c.le) if (l) pair = Math.max(pair, l.length);
  const out = { pair, detector: pair + c.and.layers.length };
  depthCache.set(c, out);
  return out;
}

/** The detector D_z as a gadget (AND of the padded chains; the ends are padded chains). */
export function chainDetector(s: Setting, c: ChainCertificate, z: number): Gadget {
  const { pair, detector } = depths(c);
  const u = c.ge[z - s.min];
  const l = c.le[z - s.min];
  if (!c.cyclic && (z === s.min || z === s.max)) {
    const steps = pad((z === s.min ? l : u) as Step[], c.delay, detector);
    if (!steps) throw new Error(`chainDetector: D_${z} cannot be padded`);
    return chainGadget(steps);
  }
  const pu = pad(u as Step[], c.delay, pair);
  const pl = pad(l as Step[], c.delay, pair);
  if (!pu || !pl) throw new Error(`chainDetector: D_${z} cannot be padded`);
  return stack(parallel(chainGadget(pu), chainGadget(pl)), c.and);
}

/** True when a step list has a weight outside W or a bias outside 𝕀. */
export function stepsOutside(s: Setting, steps: readonly Step[], inWeights: (w: number) => boolean): boolean {
  return steps.some(([w, b]) => !inWeights(w) || !(Number.isInteger(b) && b >= s.min && b <= s.max));
}

/**
 * The parts every certificate of the chain shape shares (chain and feature-pair certificates): e a
 * non-zero value; every parameter of the delay and the AND in the configuration (W, 𝕀: the proofs
 * evaluate whatever they are given); the delay P with P(0) = 0, P(e) = e; the AND a 2-input, 1-output
 * network with AND(u, v) = e iff u = v = e on {0, e}². Null when all hold, else the first failure.
 */
export function verifyDelayAndAnd(
  s: Setting,
  c: { readonly e: number; readonly delay: readonly Step[]; readonly and: Gadget },
  inWeights: (w: number) => boolean,
): string | null {
  const { e } = c;
  if (!(Number.isInteger(e) && e >= s.min && e <= s.max) || e === 0)
    return `e must be a non-zero value, got code ${e}`;
  if (stepsOutside(s, c.delay, inWeights)) return 'delay: a parameter outside the configuration';
  const andOutside = parameterOutside(s, c.and, inWeights);
  if (andOutside) return `AND: ${andOutside}`;
  const runChain = (steps: readonly Step[], x: number) => runGadget(s, chainGadget(steps), [x])[0];
  if (c.delay.length === 0 || runChain(c.delay, 0) !== 0 || runChain(c.delay, e) !== e)
    return 'delay fails on {0, e}';
  if (c.and.inputs !== 2 || c.and.layers.length === 0 || c.and.layers[c.and.layers.length - 1].length !== 1)
    return 'AND: not a 2-input, 1-output network';
  for (const u of [0, e])
    for (const v of [0, e]) {
      const got = runGadget(s, c.and, [u, v])[0];
      if (got !== (u === e && v === e ? e : 0)) return `AND fails at (${u}, ${v}): ${got}`;
    }
  return null;
}

/**
 * Checks a chain certificate (docs/theory.md §9): e ≠ 0; the delay on {0, e}; AND on {0, e}²; every
 * threshold chain on all of 𝕀 by interval images (each proof O(depth)); the paddings fit one detector
 * depth; every emitter at 0 (its outputs are read as 0) and at e (the output neuron gives y). Null when
 * all hold, else the first failure. Together these are G1–G4 of THEORY §5.2.
 */
export function verifyChainCertificate(s: Setting, c: ChainCertificate, budget?: Budget): string | null {
  const { e } = c;
  const r = sigmaRanges(s);
  const inWeights = weightMembership(s);
  const checked = new WeakSet<object>();
  const common = verifyDelayAndAnd(s, c, inWeights);
  if (common) return common;
  if (c.ge.length !== s.size || c.le.length !== s.size) return 'expected a threshold chain per value';
  const { pair, detector } = depths(c);
  for (let t = s.min; t <= s.max; t++) {
    if (t % 4096 === 0) budget?.spend(4096, 'the chain certificate check');
    for (const dir of ['ge', 'le'] as const) {
      if (!c.cyclic && ((dir === 'ge' && t === s.min) || (dir === 'le' && t === s.max))) continue;
      const steps = (dir === 'ge' ? c.ge : c.le)[t - s.min];
      if (c.cyclic) {
        if (steps && stepsOutside(s, steps, inWeights))
          return `cyclic chain of code ${t}: a parameter outside the configuration`;
        if (!steps || !cyclicProved(s, r, e, c.cyclic.split, dir, t, steps, c.cyclic.top))
          return `cyclic chain ${dir === 'ge' ? 'U' : 'L'} of code ${t} is not proved`;
        if (!pad(steps, c.delay, pair)) return `cyclic chain of code ${t} cannot be padded`;
        continue;
      }
      if (steps && stepsOutside(s, steps, inWeights))
        return `threshold chain for x ${dir === 'ge' ? '≥' : '≤'} code ${t}: a parameter outside the configuration`;
      if (!steps || !thresholdProved(r, e, dir, t, steps))
        return `threshold chain for x ${dir === 'ge' ? '≥' : '≤'} code ${t} is not proved`;
      const end = (dir === 'le' && t === s.min) || (dir === 'ge' && t === s.max);
      if (!pads(steps.length, c.delay.length, end ? detector : pair))
        return `threshold chain for x ${dir === 'ge' ? '≥' : '≤'} code ${t} cannot be padded`;
    }
  }
  return verifyEmitters(s, e, c.beta, c.emitters, inWeights, checked, budget);
}

/**
 * G4 for the levels (e, I = {0}): every emitter E_y at 0 (its outputs are read as 0) and at e (with β the
 * output neuron gives y), its weights in W, its parameters those of the configuration, one depth for all.
 * Null when all hold, else the first failure.
 */
export function verifyEmitters(
  s: Setting,
  e: number,
  beta: number,
  emitters: readonly Emitter[],
  inWeights: (w: number) => boolean = weightMembership(s),
  checked: WeakSet<object> = new WeakSet<object>(),
  budget?: Budget,
): string | null {
  const c = { beta, emitters };
  if (c.emitters.length !== s.size) return `expected ${s.size} emitters, got ${c.emitters.length}`;
  const emDepth = c.emitters.reduce((m, em) => Math.max(m, em.gadget.layers.length), 0);
  const offCache = new Map<GadgetNeuron, number>();
  const onCache = new Map<GadgetNeuron, number>();
  const offWhole = new Map<Gadget, number[]>();
  const onWhole = new Map<Gadget, number[]>();
  const empty: number[] = [];
  for (let y = s.min; y <= s.max; y++) {
    if (y % 4096 === 0) budget?.spend(4096, 'the chain certificate check');
    const em = c.emitters[y - s.min];
    const ws = em.weights;
    if (ws.length === 0) {
      if (outputNeuron(s, empty, empty, c.beta) !== y)
        return `emitter E_${y} is empty but β gives another value`;
      continue;
    }
    if (em.gadget.layers.length !== emDepth) return `emitter E_${y}: depth differs`;
    for (const w of ws) if (!inWeights(w)) return `emitter E_${y}: weight outside the weight set`;
    const inside = parameterOutside(s, em.gadget, inWeights, checked);
    if (inside) return `emitter E_${y}: ${inside}`;
    const off = runLayerCached(s, em.gadget, 0, offCache, offWhole);
    if (off.length !== ws.length) return `emitter E_${y}: E(0) is not read as 0`;
    for (let j = 0; j < ws.length; j++)
      if (!contributesNothing(s, ws[j], off[j])) return `emitter E_${y}: E(0) is not read as 0`;
    const out = outputNeuron(s, ws, runLayerCached(s, em.gadget, e, onCache, onWhole), c.beta);
    if (out !== y) return `emitter E_${y} gives ${out}`;
  }
  return null;
}

/**
 * Membership in the setting's weight set in O(1): every code of [min, max] with all weights (checked
 * by the set's size and ends), else a Set.
 */
export function weightMembership(s: Setting): (w: number) => boolean {
  const ws = s.weights;
  if (s.weightSet === 'all' && ws.length === s.size && ws[0] === s.min && ws[ws.length - 1] === s.max)
    return (w) => Number.isInteger(w) && w >= s.min && w <= s.max;
  const set = new Set(ws);
  return (w) => set.has(w);
}

/**
 * A 1-input emitter gadget's outputs at x: `runGadget`, except that a one-layer gadget reads each neuron
 * object's value at x from `cache` (emitters share their neuron objects, so each is evaluated once).
 */
function runLayerCached(
  s: Setting,
  g: Gadget,
  x: number,
  cache: Map<GadgetNeuron, number>,
  whole: Map<Gadget, number[]>,
): number[] {
  if (g.layers.length !== 1 || g.inputs !== 1) {
    // a shared multi-layer gadget (the amplifier chain) is run once per input
    let out = whole.get(g);
    if (!out) whole.set(g, (out = runGadget(s, g, [x])));
    return out;
  }
  const layer = g.layers[0];
  const out: number[] = new Array(layer.length);
  for (let i = 0; i < layer.length; i++) {
    const n = layer[i];
    let v = cache.get(n);
    if (v === undefined) {
      v = runGadget(s, { inputs: 1, layers: [[n]] }, [x])[0];
      cache.set(n, v);
    }
    out[i] = v;
  }
  return out;
}

/**
 * The linear-unit proof's certificate (docs/theory.md §5) as a chain certificate: U_t = ε·[x ≥ t],
 * L_t = ε·[x < t + ε], its AND, delay and emitters (one shared amplifier read with weight y). Null when
 * the condition does not hold. Verify it with `verifyChainCertificate` (O(|𝕀|)).
 */
export function linearUnitChainCertificate(
  s: Setting,
  condition: LinearUnitCondition,
): ChainCertificate | null {
  if (!condition.holds || !condition.bottom) return null;
  const { atLeast, below, and, delay, amplify } = linearUnitParts(s, condition.bottom);
  const ge: (Step[] | null)[] = new Array(s.size).fill(null);
  const le: (Step[] | null)[] = new Array(s.size).fill(null);
  for (let t = s.min; t <= s.max; t++) {
    if (t > s.min) ge[t - s.min] = atLeast(t);
    if (t < s.max) le[t - s.min] = below(t + 1);
  }
  const gadget = chainGadget(amplify);
  const emitters: Emitter[] = [];
  for (let y = s.min; y <= s.max; y++)
    emitters.push(y === 0 ? { gadget: { inputs: 1, layers: [] }, weights: [] } : { gadget, weights: [y] });
  return { e: 1, delay: [delay], and, ge, le, beta: 0, emitters };
}

/** The readout weight ω of the levels (e, I = {0}): 1 when it is a weight, else the first weight reading e. */
export function chainReadout(s: Setting, c: Pick<ChainCertificate, 'e'>): number {
  return s.weights.includes(s.one)
    ? s.one
    : (s.weights.find((w) => !contributesNothing(s, w, c.e)) as number);
}

/** The certificate in the general form (every detector as a gadget), for export and exhaustive checks. */
export function materializeChainCertificate(s: Setting, c: ChainCertificate): Certificate {
  const omega = chainReadout(s, c);
  const detectors: Gadget[] = [];
  for (let z = s.min; z <= s.max; z++) detectors.push(chainDetector(s, c, z));
  return {
    e: c.e,
    idle: [0],
    omega,
    detectors,
    and: c.and,
    delay: chainGadget(c.delay),
    beta: c.beta,
    emitters: c.emitters,
  };
}

/**
 * The largest detector (the first of the most parameters), without building them all: a detector's
 * shape depends only on whether z is an end and on the lengths of its two chains (each is padded with
 * the delay to a fixed depth), so one detector per shape is built.
 */
export function largestChainDetector(s: Setting, c: ChainCertificate): Gadget {
  let best: Gadget | null = null;
  let bestParameters = -1;
  const shapes = new Set<string>();
  for (let z = s.min; z <= s.max; z++) {
    const shape = `${z === s.min ? 'min' : z === s.max ? 'max' : 'mid'},${c.ge[z - s.min]?.length},${c.le[z - s.min]?.length}`;
    if (shapes.has(shape)) continue;
    shapes.add(shape);
    const d = chainDetector(s, c, z);
    const p = gadgetParameters(d);
    if (p > bestParameters) {
      best = d;
      bestParameters = p;
    }
  }
  return best as Gadget;
}
