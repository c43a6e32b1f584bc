/**
 * Modular idle certificates: universality under overflow `wrap` without a weight that kills an idle value
 * (docs/theory.md §8.9).
 *
 * Under `wrap` every step of a sequential accumulation adds two codes and reduces the exact sum modulo
 * N = |𝕀| (the sum is an integer code: no rounding acts), so the output neuron's value is
 * β + Σ_j ω_j ⊗ h_j (mod N), the terms in any order. An idle emitter therefore need not add nothing: it adds
 * a constant c_y = Σ_j ω_{y,j} ⊗ ι that depends only on y = f(z), and the output bias of N_f,
 * β_f ≡ −Σ_z c_{f(z)} (mod N), removes all of them at once; the active emitter adds c_y plus its difference
 * Σ_j (ω_{y,j} ⊗ a − ω_{y,j} ⊗ ι), which the rule makes ≡ y. The same holds under exact accumulation when every
 * product ω·h the output neuron reads (h ∈ {ι, a}) is a multiple of 2^F (e.g. binary weights): the wide sum
 * is then an integer code, rounded to itself, and wrapped.
 *
 * Theorem (§8.9). Overflow `wrap`; sequential accumulation with either bias order, or exact accumulation
 * with the emitter products multiples of 2^F; any rounding; any weight set W; distinct sources; identity
 * output layer. Given levels a ≠ ι, gadgets P, A (AND) and threshold chains U_t, L_t meeting (i)–(iii) of
 * §9.7 (`verifyIdleSkeleton`, no readout weight needed), and a weight u ∈ W whose difference
 * δ = u ⊗ a − u ⊗ ι is odd (a unit modulo N = 2^bits), the configuration is universal: N_f is built as in §8.3
 * with E_y = k_y copies of P read with u, k_y ≡ y·δ⁻¹ (mod N) (or N − k_y copies of a weight u′ with
 * u′ ⊗ a − u′ ⊗ ι ≡ −δ), and the output bias β_f ∈ 𝕀 with β_f ≡ −Σ_z c_{f(z)} (mod N).
 */
import type { Budget } from './budget.js';
import { candidateWeights, type Step } from './chain-solver.js';
import { cyclicApplies, cyclicChains } from './cyclic-thresholds.js';
import { chainGadget, type Gadget, parallel, runGadget, stack } from './gadget.js';
import {
  findIdleAnd,
  type IdleSkeleton,
  idleChainDetector,
  idleChainLevels,
  searchIdleLevels,
  solveIdleChain,
  verifyIdleSkeleton,
} from './idle-chain-certificate.js';
import { type SigmaRanges, sigmaRanges, stepImage } from './interval-chain.js';
import type { Setting } from './setting.js';
import { pointThrough, sideProved } from './side-proved.js';

/** E_y by one rule: k_y copies of the unit weight, or N − k_y copies of the back weight. */
export interface ModularEmitterRule {
  /** A weight u ∈ W with δ = u ⊗ a − u ⊗ ι odd (a unit modulo N). */
  readonly unit: number;
  /** A weight u′ ∈ W with u′ ⊗ a − u′ ⊗ ι ≡ −δ (mod N), or null. */
  readonly back: number | null;
}

/**
 * Cyclic detectors (docs/theory.md §8.9 with §10.3): a split s ≥ 0 and one rest chain R proved to send
 * σ_F([s, max]) to a and σ_F([min, s − 1]) to ι; U_z = [(1, s − z), R], L_z = [(−1, s + z), R] (biases mod N)
 * and D_z = AND(U_z, L_z) for every z, the ends included (all detectors have one depth, no padding).
 */
export interface ModularCyclic {
  readonly split: number;
  readonly rest: readonly Step[];
  /**
   * The weight −1 alone (formats without +1, e.g. `Q0.n`): a rest chain R′ of R's length proved to send
   * σ_F([s, max]) to ι and σ_F([min, s − 1]) to a; D_z = AND([(−1, s + z), R], [(−1, s + z − 1), R′]): the first
   * is a on the arc {z − (max − s), …, z}, the second ι exactly on the arc {z − 1 − (max − s), …, z − 1}.
   */
  readonly inverse?: readonly Step[];
}

/** b ≡ v (mod N) as a code. */
function code(s: Setting, v: number): number {
  return s.min + ((((v - s.min) % s.size) + s.size) % s.size);
}

/** The two chains of the cyclic detector D_z. */
function cyclicPair(s: Setting, cyclic: ModularCyclic, z: number): [Step[], Step[]] {
  if (!cyclic.inverse) return cyclicChains(s, cyclic.split, cyclic.rest, z);
  return [
    [[-s.one, code(s, cyclic.split + z)], ...cyclic.rest],
    [[-s.one, code(s, cyclic.split + z - 1)], ...cyclic.inverse],
  ];
}

/** Both ±1 ∈ W and overflow wrap (two-sided rotations, §10.3). */
function bothRotations(s: Setting): boolean {
  return negativeRotations(s) && cyclicApplies(s);
}

/** −1 ∈ W and overflow wrap (the rotation lemma of §10.3 for the weight −1). */
function negativeRotations(s: Setting): boolean {
  const has = (w: number) => (s.weightSet === 'all' ? w >= s.min && w <= s.max : s.weights.includes(w));
  return s.policy.overflow === 'wrap' && has(-s.one);
}

/**
 * A modular idle certificate (levels a, I = {ι}; overflow wrap): the gadgets of §9.7 (threshold tables
 * `ge`, `le`), or, with `cyclic`, rotations and one rest chain (then `ge` and `le` are empty).
 */
export interface ModularIdleCertificate extends IdleSkeleton {
  readonly emitters: ModularEmitterRule;
  readonly cyclic?: ModularCyclic;
}

/** The detector D_z of a modular certificate (cyclic: AND of the two rotated chains). */
export function modularDetector(s: Setting, c: ModularIdleCertificate, z: number): Gadget {
  if (!c.cyclic) return idleChainDetector(s, c, z);
  const [u, l] = cyclicPair(s, c.cyclic, z);
  return stack(parallel(chainGadget(u), chainGadget(l)), c.and);
}

/**
 * R sends σ_F([split, max]) to a and σ_F([min, split − 1]) to ι, proved by interval images (§9.1, §10.1),
 * each side possibly with its end codes min, max evaluated directly (Lemma P, docs/theory.md §10.3:
 * `sideProved`). `s` is the real setting (point evaluations), `r` its interval tables.
 */
function cyclicRestProved(
  s: Setting,
  r: SigmaRanges,
  c: ModularIdleCertificate,
  cyclic: ModularCyclic,
): boolean {
  const { split, rest } = cyclic;
  if (!Number.isInteger(split) || split < 0 || split > s.max || 2 * (s.max - split) > s.size - 1)
    return false;
  if (split <= s.min) return false;
  const side = (steps: readonly Step[], lo: number, hi: number, v: number) =>
    sideProved(s, r, steps, lo, hi, v);
  if (!side(rest, split, s.max, c.a) || !side(rest, s.min, split - 1, c.idle)) return false;
  const inv = cyclic.inverse;
  return (
    !inv ||
    (inv.length === rest.length && side(inv, split, s.max, c.idle) && side(inv, s.min, split - 1, c.a))
  );
}

/**
 * The gadget checks of a cyclic modular certificate: ±1 ∈ W and wrap (the rotation lemma of §10.3), a ≠ ι
 * values, every weight in W and bias in 𝕀, the delay on {ι, a}, AND on {ι, a}², the rest chain R on its
 * two ranges by interval images. Null when all hold.
 */
function verifyCyclicSkeleton(s: Setting, c: ModularIdleCertificate, cyclic: ModularCyclic): string | null {
  if (cyclic.inverse ? !negativeRotations(s) : !bothRotations(s))
    return cyclic.inverse
      ? 'one-sided cyclic detectors need wrap and the weight −1'
      : 'cyclic detectors need wrap and the weights ±1';
  const inRange = (v: number) => Number.isInteger(v) && v >= s.min && v <= s.max;
  if (!inRange(c.a) || !inRange(c.idle) || c.a === c.idle)
    return `levels must be two values, got a=${c.a}, ι=${c.idle}`;
  const inW = s.weightSet === 'all' ? inRange : (w: number) => s.weights.includes(w);
  const stepsOk = (steps: readonly Step[]) => steps.every(([w, b]) => inW(w) && inRange(b));
  if (!stepsOk(c.delay) || !stepsOk(cyclic.rest) || !stepsOk(cyclic.inverse ?? []))
    return 'a weight outside W or a bias outside 𝕀';
  for (const layer of c.and.layers)
    for (const n of layer)
      if (!inRange(n.bias) || !n.edges.every(([, w]) => inW(w)))
        return 'AND: a weight outside W or a bias outside 𝕀';
  const runChain = (steps: readonly Step[], x: number) => runGadget(s, chainGadget(steps), [x])[0];
  if (c.delay.length === 0 || runChain(c.delay, c.idle) !== c.idle || runChain(c.delay, c.a) !== c.a)
    return 'delay fails on {ι, a}';
  if (c.and.inputs !== 2 || c.and.layers.length === 0 || c.and.layers[c.and.layers.length - 1].length !== 1)
    return 'AND: not a 2-input, 1-output network';
  for (const u of [c.idle, c.a])
    for (const v of [c.idle, c.a]) {
      const got = runGadget(s, c.and, [u, v])[0];
      if (got !== (u === c.a && v === c.a ? c.a : c.idle)) return `AND fails at (${u}, ${v}): ${got}`;
    }
  if (!cyclicRestProved(s, sigmaRanges(s), c, cyclic))
    return `the rest chain for the split ${cyclic.split} is not proved`;
  return null;
}

export interface ModularIdleSearchReport {
  readonly certificate: ModularIdleCertificate | null;
  readonly tried: string[];
}

/** Levels tried in all, and given the full threshold search. */
export const MODULAR_BUDGET = { levels: 24, full: 6 } as const;

/** x modulo N in [0, N). */
function mod(s: Setting, x: number): number {
  const r = x % s.size;
  return r < 0 ? r + s.size : r;
}

/**
 * The output neuron's term for the weight ω and the input h, as a residue modulo N: ω ⊗ h (sequential), or
 * ω·h / 2^F under exact accumulation when that is an integer (null otherwise: the wide sum would then be
 * rounded, which this certificate does not cover).
 */
export function modularTerm(s: Setting, w: number, h: number): number | null {
  if (s.accumulation === 'sequential') {
    const t = s.mul(w, h);
    return Number.isInteger(t) ? mod(s, t) : null;
  }
  const p = w * h;
  return p % s.one === 0 ? mod(s, p / s.one) : null;
}

/** The difference u ⊗ a − u ⊗ ι modulo N, or null when a term is not covered. */
function difference(s: Setting, w: number, a: number, idle: number): number | null {
  const ta = modularTerm(s, w, a);
  const ti = modularTerm(s, w, idle);
  return ta === null || ti === null ? null : mod(s, ta - ti);
}

/** The inverse of an odd δ modulo N = 2^bits (Newton's iteration x ← x·(2 − δ·x), exact in doubles). */
function inverse(s: Setting, d: number): number {
  let x = 1;
  for (let i = 0; i < 6; i++) x = mod(s, x * mod(s, 2 - mod(s, d * x)));
  return x;
}

/** Why the hypotheses on the semantics fail, or null. */
function semanticsFailure(s: Setting): string | null {
  if (s.policy.overflow !== 'wrap')
    return `modular idle certificates need overflow wrap (got ${s.policy.overflow})`;
  if ((s.size & (s.size - 1)) !== 0) return `modular idle certificates need |𝕀| a power of 2 (got ${s.size})`;
  return null;
}

/** The emitter rule for the levels: a weight with an odd difference (±1, then outwards from 0), and its back weight. */
export function modularEmitterRule(s: Setting, a: number, idle: number): ModularEmitterRule | string {
  const ws = s.weightSet === 'binary' ? [...s.weights] : candidateWeights(s);
  if (s.weightSet === 'all') for (let k = 1; k <= s.max; k++) ws.push(k, -k);
  let unit: number | null = null;
  let delta = 0;
  for (const w of ws) {
    const d = difference(s, w, a, idle);
    if (d !== null && d % 2 === 1 && w >= s.min && w <= s.max) {
      unit = w;
      delta = d;
      break;
    }
  }
  if (unit === null) return 'no weight u with u ⊗ a − u ⊗ ι odd';
  let back: number | null = null;
  for (const w of ws)
    if (w >= s.min && w <= s.max && difference(s, w, a, idle) === mod(s, -delta)) {
      back = w;
      break;
    }
  return { unit, back };
}

/** The output weights of E_y (copies of one weight), under the rule. */
export function modularEmitterWeights(s: Setting, c: ModularIdleCertificate, y: number): number[] {
  const { weight, count } = modularSplit(s, c, y);
  return new Array(count).fill(weight);
}

/** E_y as `count` copies of `weight`. */
export function modularSplit(
  s: Setting,
  c: ModularIdleCertificate,
  y: number,
): { weight: number; count: number } {
  const { unit, back } = c.emitters;
  const delta = difference(s, unit, c.a, c.idle) as number;
  const k = mod(s, mod(s, y) * inverse(s, delta));
  if (back !== null && k > s.size / 2) return { weight: back, count: s.size - k };
  return { weight: unit, count: k };
}

/**
 * β_f for N_f: the code ≡ −Σ over the emitters built (one per point z, E_{f(z)}) of their idle sums
 * Σ_j ω_j ⊗ ι (mod N).
 */
export function modularOutputBias(s: Setting, c: ModularIdleCertificate, values: Iterable<number>): number {
  let sum = 0;
  for (const y of values) {
    const { weight, count } = modularSplit(s, c, y);
    sum = mod(s, sum + count * (modularTerm(s, weight, c.idle) as number));
  }
  return s.min + mod(s, -sum - s.min);
}

/** Searches a modular idle certificate (overflow wrap); verified by `verifyModularIdleCertificate`. */
export function findModularIdleCertificate(s: Setting, budget?: Budget): ModularIdleSearchReport {
  const failure = semanticsFailure(s);
  if (failure) return { certificate: null, tried: [failure] };
  // pairs one code apart first (every difference is then ±1 with ±1 or ±ε-like weights), σ_F's least value first
  let least = Number.POSITIVE_INFINITY;
  for (const v of s.sigma) if (v >= s.min && v < least) least = v;
  const rank = (l: { a: number; idle: number }) =>
    Math.abs(l.a - l.idle) * 2 + (l.a === least || l.idle === least ? 0 : 1);
  const levels = idleChainLevels(s, false)
    .filter((l) => typeof modularEmitterRule(s, l.a, l.idle) !== 'string')
    .sort((x, y) => rank(x) - rank(y))
    .slice(0, MODULAR_BUDGET.levels);
  if (levels.length === 0)
    return { certificate: null, tried: ['no level pairs (a, ι) with an odd difference'] };
  const tried: string[] = [];
  if (negativeRotations(s)) {
    const cyclic = findCyclicModular(s, levels, budget);
    if (typeof cyclic !== 'string') return { certificate: cyclic, tried };
    tried.push(`cyclic: ${cyclic}`);
  }
  const found = searchIdleLevels(s, levels, MODULAR_BUDGET.full, budget, {
    prepare: (a, idle) => modularEmitterRule(s, a, idle),
    finish: (skeleton, emitters: ModularEmitterRule): ModularIdleCertificate | string => {
      const cert: ModularIdleCertificate = { ...skeleton, emitters };
      return verifyModularIdleCertificate(s, cert, budget) ?? cert;
    },
  });
  return { certificate: found.certificate, tried: [...tried, ...found.tried] };
}

/**
 * Splits s ≥ 0 to try (two disjoint σ_F ranges): the six nearest 0, then those where one side's σ_F range
 * is just narrow enough to fit in σ_F's widest plateau (a rest step can then collapse that side whole):
 * the greatest s whose low side fits, the least whose high side fits, and their neighbours.
 */
function cyclicSplits(s: Setting, r: SigmaRanges): number[] {
  const out: number[] = [];
  const ok = (t: number) => {
    if (t < 0 || t > s.max || out.includes(t)) return false;
    const on = r.range(t, s.max);
    const off = r.range(s.min, t - 1);
    return !!on && !!off && (off[1] < on[0] || on[1] < off[0]);
  };
  for (let t = 0; t <= s.max && out.length < 6; t++) if (ok(t)) out.push(t);
  // σ_F's widest plateau (runs of one value over consecutive codes)
  let widest = 1;
  for (let i = 0, run = 1; i + 1 < s.size; i++) {
    run = s.sigma[i + 1] === s.sigma[i] ? run + 1 : 1;
    widest = Math.max(widest, run);
  }
  const width = (span: readonly number[] | null) => (span ? span[1] - span[0] + 1 : Number.POSITIVE_INFINITY);
  // the low side's width grows with t, the high side's shrinks: binary searches for the crossings
  let lo = 0;
  let hi = s.max;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (width(r.range(s.min, mid - 1)) <= widest) lo = mid;
    else hi = mid - 1;
  }
  const lowFits = lo;
  lo = 0;
  hi = s.max;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (width(r.range(mid, s.max)) <= widest) hi = mid;
    else lo = mid + 1;
  }
  const highFits = lo;
  for (const base of [lowFits, highFits])
    for (const d of [0, -1, 1, -2, 2, -4, 4]) if (ok(base + d)) out.push(base + d);
  return out;
}

/**
 * The splits s ≥ 0 (at most 6, nearest 0) where σ_F([s, max]) and σ_F([min, s − 1]) overlap only because of
 * the code max (a σ_F that wraps there, e.g. softplus under ceil with σ_F(max) = min): σ_F([s, max − 1]) and
 * σ_F([min, s − 1]) are disjoint. Returned as splits whose on-side range `r.range(s, max)` is replaced by
 * the peeled search of `peeledRest` (Lemma P, docs/theory.md §10.3).
 */
function peeledSplits(s: Setting, r: SigmaRanges): number[] {
  const out: number[] = [];
  for (let t = 0; t < s.max && out.length < 6; t++) {
    const full = r.range(t, s.max);
    const on = r.range(t, s.max - 1);
    const off = r.range(s.min, t - 1);
    if (!on || !off || !(off[1] < on[0] || on[1] < off[0])) continue;
    if (full && (off[1] < full[0] || full[1] < off[0])) continue; // an ordinary split
    out.push(t);
  }
  return out;
}

/**
 * A rest chain R = [(w, b), …T] for a peeled split: the first step's interval images of σ_F([split, max − 1])
 * and σ_F([min, split − 1]) and its exact value at σ_F(max); T from the interval search on the hull of
 * the on side with that value, against the off side. Only a search: `sideProved` proves R.
 */
function peeledRest(
  s: Setting,
  r: SigmaRanges,
  split: number,
  idle: number,
  a: number,
  budget?: Budget,
): Step[] | null {
  const on = r.range(split, s.max - 1);
  const off = r.range(s.min, split - 1);
  if (!on || !off) return null;
  const weights = s.weightSet === 'all' ? [s.one, -s.one] : s.weights.filter((w) => Math.abs(w) === s.one);
  for (const w of weights)
    for (const b of [-1, 0, 1]) {
      const on1 = stepImage(r, w, b, on[0], on[1]);
      const off1 = stepImage(r, w, b, off[0], off[1]);
      const p = pointThrough(s, [[w, b]], s.max);
      if (!on1 || !off1 || !Number.isInteger(p)) continue;
      const hull: [number, number] = [Math.min(on1[0], p), Math.max(on1[1], p)];
      if (!(off1[1] < hull[0] || hull[1] < off1[0])) continue;
      const tail = solveIdleChain(s, off1, hull, idle, a, { minDepth: 0, maxDepth: 2, budget });
      if (tail) return [[w, b], ...tail];
    }
  return null;
}

/**
 * A rest chain R = [(±1, b), …T] whose first step is a rotation that moves a whole side across the wrap
 * (docs/theory.md §8.9, "Rotated rest chains"): b puts an end of one side's σ_F range at min or max (or
 * one code beside), so that each side's pre-activations lie in one window [min + kN, max + kN]; T from the
 * interval search on the two images. Used when σ_F itself wraps (softplus on `ap_fixed<10,2>`: the side
 * σ_F([s, max]) sits at min, the other side reaches max, and no step proved in the no-wrap shadow separates
 * them). Only a search: `sideProved` proves R with the interval images in windows of §10.8.
 */
function rotatedRest(
  s: Setting,
  r: SigmaRanges,
  on: readonly [number, number],
  off: readonly [number, number],
  idle: number,
  a: number,
  budget?: Budget,
): Step[] | null {
  for (const w of [s.one, -s.one]) {
    if (!s.weights.includes(w) && s.weightSet === 'binary') continue;
    const biases: number[] = [];
    for (const e of [on[0], on[1], off[0], off[1]])
      for (const t of [s.min, s.max])
        for (const d of [0, 1, -1]) {
          const b = code(s, t - (w > 0 ? e : -e) + d);
          if (!biases.includes(b)) biases.push(b);
        }
    for (const b of biases) {
      const on1 = stepImage(r, w, b, on[0], on[1]);
      const off1 = stepImage(r, w, b, off[0], off[1]);
      if (!on1 || !off1 || !(on1[1] < off1[0] || off1[1] < on1[0])) continue;
      const tail = solveIdleChain(s, off1, on1, idle, a, { minDepth: 0, maxDepth: 5, budget });
      if (tail) return [[w, b], ...tail];
    }
  }
  return null;
}

/**
 * Cyclic modular certificates: for each level pair, a delay and an AND on {ι, a}, then the splits s ≥ 0
 * nearest 0 whose two σ_F ranges are disjoint (at most 6), each with a rest chain from the interval search;
 * verified by `verifyModularIdleCertificate`.
 */
function findCyclicModular(
  s: Setting,
  levels: readonly { a: number; idle: number }[],
  budget?: Budget,
): ModularIdleCertificate | string {
  const r = sigmaRanges(s);
  const why: string[] = [];
  // a second pass with rotated rest chains, after every certificate of the first pass was tried (so
  // nothing found before changes)
  for (const rotated of [false, true]) {
    if (rotated && !bothRotations(s)) break;
    for (const { a, idle } of levels.slice(0, MODULAR_BUDGET.full)) {
      const emitters = modularEmitterRule(s, a, idle);
      if (typeof emitters === 'string') continue;
      const delay = solveIdleChain(s, [idle, idle], [a, a], idle, a, { minDepth: 1, maxDepth: 3, budget });
      if (!delay) continue;
      const and = findIdleAnd(s, a, idle, budget);
      if (!and) continue;
      const ordinary = cyclicSplits(s, r);
      for (const split of rotated ? ordinary : [...ordinary, ...peeledSplits(s, r)]) {
        const peeled = !ordinary.includes(split);
        const on = r.range(split, s.max) as [number, number];
        const off = r.range(s.min, split - 1) as [number, number];
        const rest = rotated
          ? rotatedRest(s, r, on, off, idle, a, budget)
          : peeled
            ? peeledRest(s, r, split, idle, a, budget)
            : solveIdleChain(s, off, on, idle, a, { minDepth: 0, maxDepth: 3, budget });
        if (!rest) continue;
        // without +1: the inverse rest chain R′ of the same length (on → ι, off → a); not searched for
        // peeled splits
        let inverse: Step[] | undefined;
        if (!bothRotations(s)) {
          if (peeled) continue;
          const inv = solveIdleChain(s, on, off, idle, a, {
            minDepth: rest.length,
            maxDepth: rest.length,
            budget,
          });
          if (!inv || inv.length !== rest.length) continue;
          inverse = inv;
        }
        const cert: ModularIdleCertificate = {
          a,
          idle,
          delay,
          and,
          ge: [],
          le: [],
          emitters,
          cyclic: inverse ? { split, rest, inverse } : { split, rest },
        };
        const failure = verifyModularIdleCertificate(s, cert, budget);
        if (!failure) return cert;
        why.push(`a=${a}, ι=${idle}, split ${split}: ${failure}`);
      }
      why.push(`a=${a}, ι=${idle}: no split with a ${rotated ? 'rotated ' : ''}rest chain`);
    }
  }
  return why.length > 0 ? why.slice(0, 4).join('; ') : 'no level pair with a delay and an AND gadget';
}

/**
 * Checks a modular idle certificate (docs/theory.md §8.9): overflow wrap, |𝕀| = N a power of 2; the gadgets
 * of §9.7 (`verifyIdleSkeleton`); the unit weight u and the back weight in W, with terms covered (exact
 * accumulation: products multiples of 2^F); δ = u ⊗ a − u ⊗ ι odd, the back weight's difference ≡ −δ; and
 * for every y, count·difference ≡ y (mod N). Null when all hold, else the first failure.
 */
export function verifyModularIdleCertificate(
  s: Setting,
  c: ModularIdleCertificate,
  budget?: Budget,
): string | null {
  const failure = semanticsFailure(s);
  if (failure) return failure;
  const skeleton = c.cyclic ? verifyCyclicSkeleton(s, c, c.cyclic) : verifyIdleSkeleton(s, c, budget);
  if (skeleton) return skeleton;
  const inRange = (v: number) => Number.isInteger(v) && v >= s.min && v <= s.max;
  const inW = s.weightSet === 'all' ? inRange : (w: number) => s.weights.includes(w);
  const { unit, back } = c.emitters;
  if (!inW(unit)) return `the unit weight ${unit} is not in W`;
  const delta = difference(s, unit, c.a, c.idle);
  if (delta === null)
    return `the unit weight ${unit}: a product is not a multiple of 2^F (exact accumulation)`;
  if (delta % 2 !== 1) return `the unit weight ${unit} has an even difference ${delta}`;
  if (back !== null) {
    if (!inW(back)) return `the back weight ${back} is not in W`;
    if (difference(s, back, c.a, c.idle) !== mod(s, -delta))
      return `the back weight ${back} does not have the difference −δ`;
  }
  for (let y = s.min; y <= s.max; y++) {
    if ((y - s.min) % 4096 === 0) budget?.spend(4096, 'the modular emitter check');
    const { weight, count } = modularSplit(s, c, y);
    const d = difference(s, weight, c.a, c.idle) as number;
    if (mod(s, count * d) !== mod(s, y))
      return `E_${y}: the active terms give ${mod(s, count * d)} (mod N), not y`;
  }
  return null;
}
