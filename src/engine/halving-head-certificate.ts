/**
 * Halving-head certificates (docs/theory.md §10.9, Proposition HH): universality for σ_F the identity on
 * the codes when no unary chain separates every pair of neighbours (toward-zero, overflow `error`,
 * sequential accumulation: no chain tells −ε from 0). Every threshold gadget starts with a head of two
 * layers, then a rest chain proved by interval images (§9.1):
 *
 *   trunc head:  h(x) = 1⊗σ_F(½⊗x ⊕ c) ⊕ 0                     = c + ½⊗x
 *   away head:   h(x) = 1⊗x ⊕ 1⊗σ_F((−½)⊗x ⊕ c) ⊕ 0   (two neurons in layer 1: x and (−½)⊗x ⊕ c)
 *                                                              = c + x + (−½)⊗x
 *
 * (under toward-zero ½⊗x = trunc(x/2) and x + (−½)⊗x = x/2 rounded away from zero). With h₀ the head at
 * c = 0, h = h₀ + c whenever every partial sum is in range, h₀ is non-decreasing, and of two neighbours
 * t − 1, t one of the two heads separates them (h₀(t − 1) < h₀(t)); the bias c puts h₀(t) on a split s of
 * a rest chain. The detector of z is D_z = AND(P(U_z), P(L_z)) as for chain certificates (§9.2), with
 * U_z = [head, R↑_s] and L_z = [head, R↓_s]. `verifyHalvingHeadCertificate` checks every hypothesis on
 * every code (σ_F the identity, 1⊗v = v, the heads' monotonicity), and every threshold: the head's
 * partial sums in range on all of 𝕀 (by monotonicity, at the extremes), the rest chain proved by interval
 * images on the two images of the head.
 */

import type { Budget } from './budget.js';
import type { Certificate, Emitter } from './certificate.js';
import { candidateEs } from './certificate.js';
import {
  chainReadout,
  emittersFor,
  findAndChain,
  stepsOutside,
  verifyDelayAndAnd,
  verifyEmitters,
  weightMembership,
} from './chain-certificate.js';
import type { Step } from './chain-solver.js';
import { chainGadget, type Gadget, parallel, stack } from './gadget.js';
import { chainProves, sigmaRanges, solveIntervalChain } from './interval-chain.js';
import type { Setting } from './setting.js';
import { shrinkRest } from './shrink-chain-certificate.js';
import { commonDepth, pad, pads } from './threshold-tables.js';

export type HeadKind = 'trunc' | 'away';

/** A split s with its rest chains: `up` sends values ≥ s to e and ≤ s − 1 to 0, `down` the reverse. */
export interface HeadRest {
  readonly split: number;
  readonly up: readonly Step[];
  readonly down: readonly Step[];
}

export interface HalvingHeadCertificate {
  readonly e: number;
  readonly delay: readonly Step[];
  readonly and: Gadget;
  /** The splits tried in order for every threshold (the first whose head is valid and proves). */
  readonly rests: readonly HeadRest[];
  /** Depth every threshold gadget (2 + rest) is padded to with the delay; the ends get depth + |AND|. */
  readonly depth: number;
  readonly beta: number;
  readonly emitters: readonly Emitter[];
}

/** The base functions of the two heads on every code (c = 0), with their ranges. */
interface HeadBase {
  /** The layer-1 neuron without its bias: ½⊗x (trunc) or (−½)⊗x (away). */
  readonly inner: Float64Array;
  readonly innerLo: number;
  readonly innerHi: number;
  /** h₀(x): ½⊗x (trunc) or x + (−½)⊗x (away), non-decreasing. */
  readonly h0: Float64Array;
  readonly h0Lo: number;
  readonly h0Hi: number;
}

export interface HeadBases {
  readonly half: number;
  readonly trunc: HeadBase;
  readonly away: HeadBase;
}

/**
 * The hypotheses of Proposition HH checked on every code, and the heads' base functions: sequential
 * accumulation, overflow `error`, σ_F(v) = v and 1⊗v = v for every code v, ±½ and 1 weights, every
 * ±½⊗x valid, ½⊗x and x + (−½)⊗x non-decreasing, (−½)⊗x non-increasing. A string names the first failure.
 */
export function halvingHeadBases(s: Setting): HeadBases | string {
  let known = basesCache.get(s);
  if (known === undefined) basesCache.set(s, (known = computeBases(s)));
  return known;
}

const basesCache = new WeakMap<Setting, HeadBases | string>();

function computeBases(s: Setting): HeadBases | string {
  if (s.accumulation !== 'sequential') return 'needs sequential accumulation';
  if (s.policy.overflow !== 'error') return 'needs overflow error';
  if (s.one % 2 !== 0) return 'needs a fractional bit (½ a value)';
  const half = s.one / 2;
  const inW = weightMembership(s);
  if (!inW(s.one) || !inW(half) || !inW(-half)) return 'needs the weights 1, ½ and −½';
  for (let v = s.min; v <= s.max; v++) {
    if (s.sigma[v - s.min] !== v) return `σ_F is not the identity at code ${v}`;
    if (s.mul(s.one, v) !== v) return `1⊗v ≠ v at code ${v}`;
  }
  const build = (kind: HeadKind): HeadBase | string => {
    const w = kind === 'trunc' ? half : -half;
    const inner = new Float64Array(s.size);
    const h0 = new Float64Array(s.size);
    let innerLo = Number.POSITIVE_INFINITY;
    let innerHi = Number.NEGATIVE_INFINITY;
    let h0Lo = Number.POSITIVE_INFINITY;
    let h0Hi = Number.NEGATIVE_INFINITY;
    for (let x = s.min; x <= s.max; x++) {
      const i = x - s.min;
      const q = s.mul(w, x);
      if (!(q >= s.min && q <= s.max)) return `${kind} head: ${w}⊗${x} is not a value`;
      inner[i] = q;
      h0[i] = kind === 'trunc' ? q : x + q;
      if (i > 0) {
        if (kind === 'trunc' ? q < inner[i - 1] : q > inner[i - 1])
          return `${kind} head: the first neuron is not monotone at code ${x}`;
        if (h0[i] < h0[i - 1]) return `${kind} head: h₀ decreases at code ${x}`;
      }
      innerLo = Math.min(innerLo, q);
      innerHi = Math.max(innerHi, q);
      h0Lo = Math.min(h0Lo, h0[i]);
      h0Hi = Math.max(h0Hi, h0[i]);
    }
    return { inner, innerLo, innerHi, h0, h0Lo, h0Hi };
  };
  const trunc = build('trunc');
  if (typeof trunc === 'string') return trunc;
  const away = build('away');
  if (typeof away === 'string') return away;
  return { half, trunc, away };
}

/** The head of one kind and bias as a 1-input gadget of two layers. */
export function headGadget(s: Setting, half: number, kind: HeadKind, c: number): Gadget {
  if (kind === 'trunc')
    return {
      inputs: 1,
      layers: [[{ bias: c, edges: [[0, half]] }], [{ bias: 0, edges: [[0, s.one]] }]],
    };
  return {
    inputs: 1,
    layers: [
      [
        { bias: 0, edges: [[0, s.one]] },
        { bias: c, edges: [[0, -half]] },
      ],
      [
        {
          bias: 0,
          edges: [
            [0, s.one],
            [1, s.one],
          ],
        },
      ],
    ],
  };
}

/** How a threshold is served: a head and a rest (its index in `rests`). */
export interface HeadChoice {
  readonly kind: HeadKind;
  readonly c: number;
  readonly rest: number;
}

/**
 * The head and rest serving x ≥ t (`ge`) or x ≤ t (`le`), each hypothesis proved: the pair of neighbours
 * it separates (t − 1, t) resp. (t, t + 1) has h₀(lo) < h₀(hi); c = split − h₀(hi) keeps every partial sum
 * of the head in range on all of 𝕀 (layer 1: c + inner(x); layer 2 (away): x and x + c + inner(x) = h₀(x) + c;
 * trunc: 1⊗(c + inner(x)), all bounded by the extremes); the rest chain proved on the head's images of the
 * two sides (h non-decreasing). Null when no split serves it.
 */
export function headChoice(
  s: Setting,
  bases: HeadBases,
  rests: readonly HeadRest[],
  e: number,
  dir: 'ge' | 'le',
  t: number,
): HeadChoice | null {
  const r = sigmaRanges(s);
  const lo = dir === 'ge' ? t - 1 : t;
  const hi = lo + 1;
  if (lo < s.min || hi > s.max) return null;
  for (const kind of ['trunc', 'away'] as const) {
    const b = bases[kind];
    const h0lo = b.h0[lo - s.min];
    const h0hi = b.h0[hi - s.min];
    if (!(h0lo < h0hi)) continue;
    for (let i = 0; i < rests.length; i++) {
      const rest = rests[i];
      const c = rest.split - h0hi;
      if (!(c >= s.min && c <= s.max)) continue;
      if (b.innerLo + c < s.min || b.innerHi + c > s.max) continue;
      if (b.h0Lo + c < s.min || b.h0Hi + c > s.max) continue;
      // images: [hi, max] ↦ [split, h0Hi + c], [min, lo] ↦ [h0Lo + c, h0(lo) + c] (≤ split − 1)
      const chain = dir === 'ge' ? rest.up : rest.down;
      const upper: [number, number] = [rest.split, b.h0Hi + c];
      const lower: [number, number] = [b.h0Lo + c, h0lo + c];
      const [inside, outside] = dir === 'ge' ? [upper, lower] : [lower, upper];
      if (
        chain.length > 0 &&
        chainProves(r, chain, inside[0], inside[1], e) &&
        chainProves(r, chain, outside[0], outside[1], 0)
      )
        return { kind, c, rest: i };
    }
  }
  return null;
}

/** The split order: codes near 0, both signs, whose rest chains exist (at most `want` of them). */
function findRests(s: Setting, e: number, want: number, budget?: Budget): HeadRest[] {
  const out: HeadRest[] = [];
  for (let k = 2; out.length < want && k < 64; k++) {
    for (const split of [k, -k]) {
      if (out.length >= want || split <= s.min + 1 || split >= s.max) continue;
      const below: [number, number] = [s.min, split - 1];
      const above: [number, number] = [split, s.max];
      const opts = { minDepth: 1, maxDepth: 4, beam: 8, budget };
      // the beam search stops at depth 4; with e = ε a deeper rest narrowing both halves step by step
      // (shrinking chains, Proposition SC; nearest-even on SQm.1 needs about log₂|𝕀| steps)
      const deep = (zero: [number, number], one: [number, number]) =>
        e === 1 ? shrinkRest(s, zero, one) : null;
      const up = solveIntervalChain(s, below, above, 0, e, opts) ?? deep(below, above);
      if (!up) continue;
      const down = solveIntervalChain(s, above, below, 0, e, opts) ?? deep(above, below);
      if (!down) continue;
      out.push({ split, up, down });
    }
  }
  return out;
}

/** Searches a halving-head certificate; the result is verified by `verifyHalvingHeadCertificate`. */
export function findHalvingHeadCertificate(
  s: Setting,
  budget?: Budget,
): { certificate: HalvingHeadCertificate | null; tried: string[] } {
  const bases = halvingHeadBases(s);
  if (typeof bases === 'string') return { certificate: null, tried: [bases] };
  const tried: string[] = [];
  for (const e of candidateEs(s)) {
    const label = `e=${e}`;
    const delay = solveIntervalChain(s, [0, 0], [e, e], 0, e, { minDepth: 1, maxDepth: 3, budget });
    if (!delay) {
      tried.push(`${label}: no delay gadget`);
      continue;
    }
    const and = findAndChain(s, e, budget);
    if (!and) {
      tried.push(`${label}: no AND gadget`);
      continue;
    }
    const rests = findRests(s, e, 4, budget);
    if (rests.length === 0) {
      tried.push(`${label}: no rest chain at a split near 0`);
      continue;
    }
    let longest = 0;
    for (const rest of rests) longest = Math.max(longest, 2 + rest.up.length, 2 + rest.down.length);
    const fits = (d: number) =>
      rests.every((rest) =>
        [rest.up, rest.down].every(
          (ch) =>
            pads(2 + ch.length, delay.length, d) && pads(2 + ch.length, delay.length, d + and.layers.length),
        ),
      );
    const depth = commonDepth(longest, delay.length, fits);
    if (depth < 0) {
      tried.push(`${label}: the rest chains cannot be padded to one depth`);
      continue;
    }
    const emit = emittersFor(s, e, delay, budget);
    if (typeof emit === 'string') {
      tried.push(`${label}: ${emit}`);
      continue;
    }
    const cert: HalvingHeadCertificate = { e, delay, and, rests, depth, ...emit };
    const broken = verifyHalvingHeadCertificate(s, cert, budget);
    if (broken) {
      tried.push(`${label}: ${broken}`);
      continue;
    }
    return { certificate: cert, tried };
  }
  return { certificate: null, tried };
}

/**
 * Checks a halving-head certificate (docs/theory.md §10.9, Proposition HH): the hypotheses on every code
 * (`halvingHeadBases`); e ≠ 0, the delay on {0, e}, the AND on {0, e}²; every rest chain's parameters in W
 * and 𝕀, its padding to the pair depth and to the end depth; every threshold x ≥ t (t > min) and x ≤ t
 * (t < max) served by a head and a rest (`headChoice`, each proof O(depth)); the emitters (G4). Null when
 * all hold, else the first failure.
 */
export function verifyHalvingHeadCertificate(
  s: Setting,
  c: HalvingHeadCertificate,
  budget?: Budget,
): string | null {
  const bases = halvingHeadBases(s);
  if (typeof bases === 'string') return bases;
  const inW = weightMembership(s);
  const common = verifyDelayAndAnd(s, c, inW);
  if (common) return common;
  if (c.rests.length === 0) return 'no rest chain';
  for (const rest of c.rests) {
    if (!Number.isInteger(rest.split)) return 'a split is not a code';
    for (const ch of [rest.up, rest.down]) {
      if (stepsOutside(s, ch, inW)) return `rest chain at split ${rest.split}: a parameter outside`;
      if (!pads(2 + ch.length, c.delay.length, c.depth))
        return `rest chain at split ${rest.split} cannot be padded to depth ${c.depth}`;
      if (!pads(2 + ch.length, c.delay.length, c.depth + c.and.layers.length))
        return `rest chain at split ${rest.split} cannot be padded to the end depth`;
    }
  }
  for (let t = s.min; t <= s.max; t++) {
    if (t % 4096 === 0) budget?.spend(4096, 'the halving-head certificate check');
    if (t > s.min && !headChoice(s, bases, c.rests, c.e, 'ge', t)) return `no head serves x ≥ code ${t}`;
    if (t < s.max && !headChoice(s, bases, c.rests, c.e, 'le', t)) return `no head serves x ≤ code ${t}`;
  }
  return verifyEmitters(s, c.e, c.beta, c.emitters, inW, new WeakSet<object>(), budget);
}

/** The threshold gadget of x ≥ t or x ≤ t: head, rest, padded with the delay to `depth` layers. */
function thresholdGadget(
  s: Setting,
  bases: HeadBases,
  c: HalvingHeadCertificate,
  dir: 'ge' | 'le',
  t: number,
  depth: number,
): Gadget {
  const choice = headChoice(s, bases, c.rests, c.e, dir, t);
  if (!choice) throw new Error(`halvingHeadDetector: no head serves x ${dir === 'ge' ? '≥' : '≤'} ${t}`);
  const rest = c.rests[choice.rest];
  const tail = pad(dir === 'ge' ? rest.up : rest.down, c.delay, depth - 2);
  if (!tail) throw new Error(`halvingHeadDetector: the rest cannot be padded to ${depth}`);
  return stack(headGadget(s, bases.half, choice.kind, choice.c), chainGadget(tail));
}

/** The detector D_z: AND(U_z, L_z) (padded), U_max and L_min padded to the end depth at the ends. */
export function halvingHeadDetector(s: Setting, c: HalvingHeadCertificate, z: number): Gadget {
  const bases = halvingHeadBases(s);
  if (typeof bases === 'string') throw new Error(`halvingHeadDetector: ${bases}`);
  const end = c.depth + c.and.layers.length;
  if (z === s.min) return thresholdGadget(s, bases, c, 'le', z, end);
  if (z === s.max) return thresholdGadget(s, bases, c, 'ge', z, end);
  const u = thresholdGadget(s, bases, c, 'ge', z, c.depth);
  const l = thresholdGadget(s, bases, c, 'le', z, c.depth);
  return stack(parallel(u, l), c.and);
}

/** The certificate in the general form (every detector as a gadget), for export and exhaustive checks. */
export function materializeHalvingHeadCertificate(s: Setting, c: HalvingHeadCertificate): Certificate {
  const detectors: Gadget[] = [];
  for (let z = s.min; z <= s.max; z++) detectors.push(halvingHeadDetector(s, c, z));
  return {
    e: c.e,
    idle: [0],
    omega: chainReadout(s, c),
    detectors,
    and: c.and,
    delay: chainGadget(c.delay),
    beta: c.beta,
    emitters: c.emitters,
  };
}
