/**
 * Family certificates: chain certificates (docs/theory.md §9.2) for formats above 16 bits, whose
 * threshold chains come in parametric families proved once for all thresholds (docs/theory.md §9.5,
 * "Family lemma"). A family is a split s and a rest chain R: the chain of threshold t is
 * [w = 1, b = s − t] followed by R.
 *
 * - _threshold mode_ (saturate): the first step gives p(x) = clamp(x + s − t), which is ≥ s exactly when
 *   x ≥ t, for every t with s − t ∈ 𝕀; so if R maps the hull of σ_F([s, max]) to e and the hull of
 *   σ_F([min, s − 1]) to 0 (interval images), the chain computes e·[x ≥ t] for all those t at once (and
 *   the rest chain for the opposite sides computes e·[x ≤ t − 1]). Thresholds no family covers get chains
 *   of their own, each proved on its two intervals.
 * - _rotation mode_ (wrap): x ↦ x ⊕ (c − z) is a rotation of 𝕀 sending z alone to c; with R_U separating
 *   σ_F([min, c − 1]) from σ_F([c, max]) and R_L separating σ_F([min, c]) from σ_F([c + 1, max]), each
 *   proved without any intermediate overflow (so no wrap-around inside R), AND(U_z, L_z) fires exactly at
 *   x = z.
 *
 * With binary weights the emitters are ladders of doublings (Lemma L, `ladderHolds`).
 * The delay and AND are checked at their points, emitters by the rule E_y = (amplifier or nothing) read
 * with weight y (exact: y·1 = y). Every check reads σ_F at single codes: no |𝕀|-sized array.
 */
import type { Budget } from '../budget.js';
import { gainTileSplits } from './gain-tiles.js';
import { chainProves, solveWideChain, wideBiases, wideWeights } from './wide-chain.js';
import { isRecord, recordSplitDown, recordSplitUp } from './wide-dist.js';
import { findFan, verifyFan, type WideFan } from './wide-fan.js';
import {
  featureChain,
  featureFamilies,
  featureHypotheses,
  neededLevels,
  secondStepValid,
  uncoveredLevels,
} from './wide-feature.js';
import {
  featurePairFamilies,
  featurePairHypotheses,
  pairNeededLevels,
  pairStepValid,
} from './wide-feature-pair.js';
import {
  type GainFamily,
  gainApplies,
  gainFamily,
  gainParity,
  gainResidues,
  gainServes,
  gainStep,
  gainsOf,
  gainTwoSided,
  gainUncovered,
  gainValid,
} from './wide-gain.js';
import { verifyWideIdleEmitters, type WideIdleEmitters } from './wide-idle-emitters.js';
import { aimedAmplifier, findPlusCyclic, plusCyclicApplies } from './wide-plus-cyclic.js';
import type { WideSetting, WideStep } from './wide-setting.js';
import type { WideSigma, WideSpan } from './wide-sigma.js';

export interface WideFamily {
  /** The split s: the first step puts t (threshold mode) or z (rotation mode) at s. */
  readonly split: bigint;
  /** R for e·[x ≥ t]: hull σ_F([min, s − 1]) → 0, hull σ_F([s, max]) → e (null: not used). */
  readonly ge: readonly WideStep[] | null;
  /** R for e·[x ≤ t − 1] (threshold mode) or e·[p ≤ s] (rotation mode). */
  readonly le: readonly WideStep[] | null;
  /** Gain mode (Lemma G): the first weight w₀ = ±½ and the window of thresholds t (x ≥ t) it serves. */
  readonly gain?: bigint;
  readonly window?: readonly [bigint, bigint] | null;
  /** Gain mode with nearest-even and exact accumulation: the parity of the first steps' biases (Lemma G). */
  readonly parity?: bigint;
  /** Feature-pair mode: the sign of the second step ((1, s − L) or (−1, s + L − 1); `wide-feature-pair.ts`). */
  readonly sign?: 1n | -1n;
  /**
   * Gain mode, reach-limited (Lemma IF, σ_F invalid above `cap` under `error`): every first-step
   * pre-activation of the window is at most cap, and the rest chains are proved on σ_F([s, cap]).
   */
  readonly cap?: bigint;
}

export interface WideCertificate {
  /**
   * threshold (saturate, Lemma 4), rotation (wrap, Lemma 5) or cyclic (wrap, §10.3 above 16 bits: U_z =
   * [(1, s − z mod N)] + R, L_z = [(−1, s + z mod N)] + R with the one family's ≥ rest chain R) or gain
   * (any overflow mode, `error` included: Lemma G, first steps with the gains ±½ that never overflow) or
   * feature (any overflow mode; Lemma FW, `wide-feature.ts`: a feature σ_F(±x ⊕ b) first, then
   * (1, s − L) and the family's rest chain; each family's `window` holds its levels L) or feature-pair
   * (Proposition FP with Lemma OP, `wide-feature-pair.ts`: D_z = AND(AND(G₊, H₊), AND(G₋, H₋)), the level
   * chains [f, (±1, ·)] + R of the families, whose `sign` names the second step).
   */
  readonly mode: 'threshold' | 'rotation' | 'cyclic' | 'gain' | 'feature' | 'feature-pair';
  readonly e: bigint;
  readonly delay: readonly WideStep[];
  /** AND: σ_F(w⊗u ⊕ w⊗v ⊕ b), then `rest`. */
  readonly and: { readonly w: bigint; readonly b: bigint; readonly rest: readonly WideStep[] };
  readonly families: readonly WideFamily[];
  /** Threshold chains of their own (threshold mode): e·[x ≥ t] or e·[x ≤ t]. */
  readonly singles: ReadonlyArray<{ dir: 'ge' | 'le'; t: bigint; steps: readonly WideStep[] }>;
  /**
   * Emitters (Lemma E): the amplifier A with A(0) = 0 and A(e) = sign·1 (null: A is nothing, e = sign·1).
   * sign 1: E_y = A read with weight y. sign −1: E_y = A (or, when A is nothing, the delay P) read with
   * weight −y, and E_min = two copies read with weights max and ε (−max − ε = min).
   */
  readonly amplifier: readonly WideStep[] | null;
  readonly sign: 1n | -1n;
  /** Fan emitters (Lemma F, `wide-fan.ts`) instead of the amplifier or the ladder; null: not used. */
  readonly fan?: WideFan | null;
  /**
   * Cyclic mode by +1 rotations (Lemma C+, `wide-plus-cyclic.ts`): L_z = [(1, max − z mod N)] + R instead
   * of [(−1, s + z mod N)] + R, for formats without the weight −1.
   */
  readonly plus?: boolean;
  /**
   * Idle levels (Lemma IF, docs/theory.md §9.5; `wide-idle-certificate.ts`): every gadget's idle output is
   * ι instead of 0 (e is the active level a), and the emitters follow one of the rules of
   * `wide-idle-emitters.ts` instead of Lemma E, F or L. null or absent: the classical levels (0, e).
   */
  readonly idle?: WideIdleEmitters | null;
}

export interface WideSearch {
  readonly certificate: WideCertificate | null;
  readonly tried: string[];
}

const MAX_SINGLES = 16;

const lesser = (a: bigint, x: bigint) => (x < a ? x : a);
const greater = (a: bigint, x: bigint) => (x > a ? x : a);

/** Hulls of σ_F on both sides of a split: [below s, from s on] (null when invalid). */
function sides(r: WideSigma, s: bigint, lowTo: bigint, cap = r.setting.max): [WideSpan, WideSpan] | null {
  const st = r.setting;
  if (s <= st.min || lowTo >= cap) return null;
  const lo = r.range(st.min, lowTo);
  const hi = r.range(lowTo + 1n, cap);
  if (!lo || !hi) return null;
  return [lo, hi];
}

/** Searches a family certificate; every candidate is checked by `verifyWideCertificate`. */
export function findWideCertificate(
  r: WideSigma,
  budget?: Budget,
  options: { tiledSplits?: boolean } = {},
): WideSearch {
  const s = r.setting;
  const tried: string[] = [];
  const mode = s.policy.overflow;
  // under `error` without Lemma G's gains, only feature families (Lemma FW) can serve the thresholds
  const gainWhy = mode === 'error' ? gainApplies(s) : null;
  // without Lemma FW's hypotheses, Proposition FP's feature pairs (Lemma OP) where σ(t) − σ(−t) = t
  let pairMode = false;
  if (gainWhy) {
    const fw = featureHypotheses(r);
    if (typeof fw === 'string') {
      const fp = featurePairHypotheses(r);
      if (typeof fp === 'string')
        return {
          certificate: null,
          tried: [`overflow error: Lemma 4's first steps x ⊕ b raise, ${gainWhy}, and ${fw}; ${fp}`],
        };
      pairMode = true;
    }
  }
  if (s.one > s.max) return { certificate: null, tried: [`1 is not a value of ${s.format.spec}`] };
  // binary weights: e = ε and the ladder emitters (Lemma L) when σ_F doubles exactly, else fan emitters
  // (Lemma F) for any e
  const ladder = s.binary ? ladderHolds(s) : null;
  if (ladder && r.preimageSpans(0n).length === 0) {
    // ±1 ⊗ v ≠ 0 for every v ≠ 0, so no weight kills any value of σ_F(𝕀) (docs/theory.md §8.5)
    tried.push(
      'binary weights and σ_F never takes the value 0 (no zero found on either monotone branch of its proven shape): no emitter can be idle, so no certificate of any kind exists (docs/theory.md §8.5), and no fan emitters (Lemma F needs a zero of σ_F)',
    );
    return { certificate: null, tried };
  }
  if (ladder) tried.push(`binary weights: ${ladder}; fan emitters (Lemma F) instead`);
  if (r.preimageSpans(0n).length === 0) {
    // every gadget of a family certificate ends with a σ_F step and its idle output must be 0 (I = {0})
    tried.push(
      'σ_F never takes the value 0 (no zero found on either monotone branch of its proven shape): every chain, delay and AND of a family certificate ends with σ_F, so none has the idle output 0 (idle-set certificates, §8, are not carried above 16 bits)',
    );
    return { certificate: null, tried };
  }
  const es: bigint[] = [];
  const addE = (v: bigint | null) => {
    if (v !== null && v !== 0n && v >= s.min && v <= s.max && !es.includes(v)) es.push(v);
  };
  addE(1n);
  if (!s.binary || ladder) {
    addE(s.one);
    addE(s.sigma(s.max));
    addE(s.sigma(s.min));
  }
  // unsigned formats under wrap: +1 rotations on a window (Lemma C+), delay and AND from the same rest chain
  if (plusCyclicApplies(r)) {
    const plus = findPlusCyclic(r, es, budget);
    tried.push(...plus.tried);
    if (plus.found) {
      const p = plus.found;
      const amplifier =
        p.e === s.one
          ? null
          : (aimedAmplifier(r, p.e) ??
            solveWideChain(r, [0n, 0n], [p.e, p.e], 0n, s.one, {
              minDepth: 1,
              maxDepth: 4,
              budget,
              maxWork: 40_000,
            }));
      if (p.e !== s.one && !amplifier)
        tried.push(
          `+1 cyclic mode (Lemma C+), e = code ${p.e}: no amplifier A(0) = 0, A(e) = 1 for the emitters`,
        );
      else {
        const cert: WideCertificate = {
          mode: 'cyclic',
          plus: true,
          e: p.e,
          delay: p.delay,
          and: p.and,
          amplifier,
          sign: 1n,
          fan: null,
          families: [{ split: p.split, ge: p.rest, le: null }],
          singles: [],
        };
        const failure = verifyWideCertificate(r, cert);
        if (!failure) return { certificate: cert, tried };
        tried.push(`+1 cyclic mode (Lemma C+), e = code ${p.e}: ${failure}`);
      }
    }
  }
  // a quick pass (AND in one neuron, chains of at most 3 steps) over every e, then the full searches
  for (const [pass, e] of [
    ...es.slice(0, 4).map((e) => [0, e] as const),
    ...es.slice(0, 4).map((e) => [1, e] as const),
  ]) {
    const label = `e = code ${e}${pass === 0 ? ' (quick pass)' : ''}`;
    const delay = solveWideChain(r, [0n, 0n], [e, e], 0n, e, {
      minDepth: 1,
      maxDepth: 3,
      budget,
      maxWork: 40_000,
    });
    if (!delay) {
      tried.push(`${label}: no delay P(u) = u on {0, e}`);
      continue;
    }
    const and = findAnd(r, e, pass === 1, budget);
    if (!and) {
      tried.push(`${label}: no AND gadget`);
      continue;
    }
    let amplifier: WideStep[] | null = null;
    let fan: WideFan | null = null;
    let sign: 1n | -1n = e === -s.one ? -1n : 1n;
    if (s.binary && !ladder && delay.length !== 1) {
      tried.push(`${label}: the ladder emitters need a one-step delay`);
      continue;
    }
    if (s.binary && ladder) {
      const f = findFan(r, e);
      if (typeof f === 'string') {
        tried.push(`${label}: ${f}`);
        continue;
      }
      fan = f;
    }
    if (!s.binary && e !== s.one && e !== -s.one) {
      for (const sg of [1n, -1n] as const) {
        if (-s.one < s.min && sg < 0n) continue;
        amplifier = solveWideChain(r, [0n, 0n], [e, e], 0n, sg * s.one, {
          minDepth: 1,
          maxDepth: 4,
          budget,
          maxWork: 40_000,
        });
        sign = sg;
        if (amplifier) break;
      }
      if (!amplifier) {
        const f = findFan(r, e);
        if (typeof f === 'string') {
          tried.push(`${label}: no amplifier A(0) = 0, A(e) = ±1 for the emitters, and ${f}`);
          continue;
        }
        fan = f;
      }
    }
    const depth = pass === 0 ? 3 : 6;
    let thresholds =
      mode === 'wrap'
        ? rotationFamilies(r, e, depth, budget)
        : pairMode
          ? featurePairModeFamilies(r, e, depth, budget)
          : gainWhy
            ? featureModeFamilies(r, e, depth, budget)
            : mode === 'error'
              ? gainFamilies(r, e, depth, budget, options.tiledSplits === true)
              : thresholdFamilies(r, e, depth, budget);
    let certMode: WideCertificate['mode'] =
      mode === 'wrap'
        ? 'rotation'
        : pairMode
          ? 'feature-pair'
          : gainWhy
            ? 'feature'
            : mode === 'error'
              ? 'gain'
              : 'threshold';
    if (typeof thresholds === 'string' && mode === 'wrap') {
      const cyc = cyclicFamily(r, e, depth, budget);
      if (typeof cyc === 'string') thresholds = `${thresholds}; ${cyc}`;
      else {
        thresholds = cyc;
        certMode = 'cyclic';
      }
    }
    if (typeof thresholds === 'string') {
      tried.push(`${label}: ${thresholds}`);
      continue;
    }
    const cert: WideCertificate = {
      mode: certMode,
      e,
      delay,
      and,
      amplifier,
      sign,
      fan,
      ...thresholds,
    };
    const failure = verifyWideCertificate(r, cert);
    if (failure) {
      tried.push(`${label}: ${failure}`);
      continue;
    }
    return { certificate: cert, tried };
  }
  return { certificate: null, tried };
}

export function findAnd(
  r: WideSigma,
  e: bigint,
  full: boolean,
  budget?: Budget,
  z = 0n,
): WideCertificate['and'] | null {
  const s = r.setting;
  const pts: Array<[bigint, bigint]> = [
    [z, z],
    [e, z],
    [z, e],
    [e, e],
  ];
  const check = (w: bigint, b: bigint): bigint[] | null => {
    if (b < s.min || b > s.max) return null;
    const out = pts.map(([u, v]) => s.neuron([w, w], [u, v], b));
    if (out.some((o) => o === null)) return null;
    return out as bigint[];
  };
  // one neuron: b and b + w⊗e where σ_F is 0, b + 2·(w⊗e) where it is e (preimages of 0 and e)
  if (!s.binary) {
    for (const pz of r.preimage(z))
      for (const pe of r.preimage(e)) {
        if (pe <= pz || e === z) continue;
        const we = pe - pz;
        const w0 = (we * s.one) / (e - z);
        for (const dw of [-2n, -1n, 0n, 1n, 2n]) {
          const w = w0 + dw;
          if (w < s.min || w > s.max || w === 0n) continue;
          // (e, z) at pz: b = pz − we when z = 0 (as before), else pz − (w⊗e + w⊗z)
          const wez = z === 0n ? we : s.pre([w, w], [e, z], 0n);
          if (wez === null) continue;
          for (const db of [-2n, -1n, 0n, 1n, 2n]) {
            const o = check(w, pz - wez + db);
            if (o && o[0] === z && o[1] === z && o[2] === z && o[3] === e)
              return { w, b: pz - wez + db, rest: [] };
          }
        }
      }
  }
  if (!full) return null;
  // else a first neuron whose idle outputs are narrowest, then a rest chain proved on their hull
  const cands: Array<{ w: bigint; b: bigint; lo: bigint; hi: bigint; act: bigint }> = [];
  for (const w of wideWeights(s)) {
    budget?.spend(1000, 'the AND search');
    const we = s.exact ? w * e : s.pre([w], [e], 0n);
    const wz = s.exact ? w * z : s.pre([w], [z], 0n);
    if (we === null || wz === null) continue;
    for (const b of wideBiases(r, [2n * wz, we + wz, 2n * we])) {
      const o = check(w, b);
      if (!o) continue;
      const lo = o.slice(0, 3).reduce(lesser);
      const hi = o.slice(0, 3).reduce(greater);
      if (o[3] >= lo && o[3] <= hi) continue;
      if (lo === z && hi === z && o[3] === e) return { w, b, rest: [] };
      cands.push({ w, b, lo, hi, act: o[3] });
    }
  }
  // narrowest idle hull first; among equals, the one nearest 0 (a rest chain from far codes needs
  // biases that shift it back, which overflow under `error`: identity's AND is b = −1, not b ≈ min/2)
  const far = (c: { lo: bigint; hi: bigint; act: bigint }) =>
    [c.lo, c.hi, c.act].map((v) => (v < 0n ? -v : v)).reduce(greater);
  cands.sort((x, y) => {
    const d = x.hi - x.lo - (y.hi - y.lo);
    const f = d === 0n ? far(x) - far(y) : d;
    return f < 0n ? -1 : f > 0n ? 1 : 0;
  });
  const seen = new Set<string>();
  for (const c of cands) {
    const key = `${c.lo},${c.hi},${c.act}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (seen.size > 6) break;
    const rest = solveWideChain(r, [c.lo, c.hi], [c.act, c.act], z, e, { minDepth: 0, maxDepth: 3, budget });
    if (rest) return { w: c.w, b: c.b, rest };
  }
  return null;
}

/** The rest chains of a split (ge: low side → 0, high side → e; le: the opposite). */
export function restChains(
  r: WideSigma,
  e: bigint,
  lowTo: bigint,
  maxDepth: number,
  budget?: Budget,
  z = 0n,
  cap?: bigint,
): { ge: WideStep[]; le: WideStep[] } | null {
  const sd = sides(r, lowTo + 1n, lowTo, cap);
  if (!sd) return null;
  const [lo, hi] = sd;
  if (!(lo[1] < hi[0] || hi[1] < lo[0])) return null;
  const ge = solveWideChain(r, lo, hi, z, e, { minDepth: 0, maxDepth, budget });
  if (!ge) return null;
  const le = solveWideChain(r, hi, lo, z, e, { minDepth: 0, maxDepth, budget });
  if (!le) return null;
  return { ge, le };
}

/** Threshold mode (saturate): a record split s ≥ 0, one ≤ 0 if any, singles for the rest. */
export function thresholdFamilies(
  r: WideSigma,
  e: bigint,
  depth: number,
  budget?: Budget,
  z = 0n,
): Pick<WideCertificate, 'families' | 'singles'> | string {
  const s = r.setting;
  const families: WideFamily[] = [];
  const up = recordSplitUp(r, 0n, s.max);
  if (up === null) return 'no record split s ≥ 0';
  const upRest = restChains(r, e, up - 1n, depth, budget, z);
  if (!upRest) return `no rest chain for the split at code ${up}`;
  families.push({ split: up, ...upRest });
  if (up > 0n) {
    const down = recordSplitDown(r, 0n, s.min + 1n);
    const downRest = down === null ? null : restChains(r, e, down - 1n, depth, budget, z);
    if (down !== null && downRest) families.push({ split: down, ...downRest });
  }
  const singles: Array<{ dir: 'ge' | 'le'; t: bigint; steps: readonly WideStep[] }> = [];
  for (const [dir, t] of uncovered(s, families)) {
    if (singles.length >= MAX_SINGLES) return `more than ${MAX_SINGLES} thresholds outside every family`;
    const [inside, outside] = thresholdSides(s, dir, t);
    const steps = solveWideChain(r, outside, inside, z, e, { minDepth: 1, maxDepth: depth, budget });
    if (!steps) return `no chain for x ${dir === 'ge' ? '≥' : '≤'} code ${t}`;
    singles.push({ dir, t, steps });
  }
  return { families, singles };
}

/** [inside, outside] of a threshold: x ≥ t (ge) or x ≤ t (le). */
function thresholdSides(s: WideSetting, dir: 'ge' | 'le', t: bigint): [WideSpan, WideSpan] {
  return dir === 'ge'
    ? [
        [t, s.max],
        [s.min, t - 1n],
      ]
    : [
        [s.min, t],
        [t + 1n, s.max],
      ];
}

/** Thresholds a family covers in threshold mode: ge t with s − t ∈ 𝕀; le t with s − t − 1 ∈ 𝕀. */
function covered(s: WideSetting, f: WideFamily, dir: 'ge' | 'le'): [bigint, bigint] {
  const shift = dir === 'ge' ? 0n : 1n;
  const lo = f.split - s.max - shift;
  const hi = f.split - s.min - shift;
  const [tlo, thi] = dir === 'ge' ? [s.min + 1n, s.max] : [s.min, s.max - 1n];
  return [lo > tlo ? lo : tlo, hi < thi ? hi : thi];
}

/** The thresholds (at most MAX_SINGLES + 1 listed) that no family covers. */
function uncovered(s: WideSetting, families: readonly WideFamily[]): Array<['ge' | 'le', bigint]> {
  const out: Array<['ge' | 'le', bigint]> = [];
  for (const dir of ['ge', 'le'] as const) {
    const [tlo, thi] = dir === 'ge' ? [s.min + 1n, s.max] : [s.min, s.max - 1n];
    const spans = families
      .filter((f) => (dir === 'ge' ? f.ge : f.le))
      .map((f) => covered(s, f, dir))
      .sort((a, b) => (a[0] < b[0] ? -1 : 1));
    let next = tlo;
    for (const [a, b] of spans) {
      for (; next < a && next <= thi && out.length <= MAX_SINGLES * 2; next++) out.push([dir, next]);
      if (b + 1n > next) next = b + 1n;
    }
    for (; next <= thi && out.length <= MAX_SINGLES * 2; next++) out.push([dir, next]);
  }
  return out;
}

/** Rotation mode (wrap): a split c with σ_F(c) strictly apart from both sides. */
function rotationFamilies(
  r: WideSigma,
  e: bigint,
  depth: number,
  budget?: Budget,
): Pick<WideCertificate, 'families' | 'singles'> | string {
  const s = r.setting;
  // c = max when σ_F(max) is a strict record; else a code near 0 that is a record from both sides
  const candidates: bigint[] = [];
  if (isRecord(r, s.max)) candidates.push(s.max);
  for (let c = 0n; c <= 4096n && candidates.length < 2; c++) {
    for (const d of c === 0n ? [0n] : [c, -c]) {
      if (d <= s.min || d >= s.max) continue;
      const lo = r.range(s.min, d - 1n);
      const hi = r.range(d + 1n, s.max);
      const v = s.sigma(d);
      if (lo && hi && v !== null && lo[1] < v && v < hi[0]) candidates.push(d);
    }
  }
  if (candidates.length === 0)
    return 'rotation mode: no code whose σ_F value lies strictly between both sides';
  for (const c of candidates) {
    const ge = c > s.min ? restChains(r, e, c - 1n, depth, budget)?.ge : [];
    if (!ge) continue;
    const le = c < s.max ? restChains(r, e, c, depth, budget)?.le : null;
    if (c < s.max && !le) continue;
    return { families: [{ split: c, ge, le: le ?? null }], singles: [] };
  }
  return `rotation mode: no rest chains for the splits at codes ${candidates.join(', ')}`;
}

/** Gain mode (any overflow mode; Lemma G): families (±½, s) at a record split s ≥ 0 and one ≤ 0. */
export function gainFamilies(
  r: WideSigma,
  e: bigint,
  depth: number,
  budget?: Budget,
  tiled = false,
  z = 0n,
  cap?: bigint,
): Pick<WideCertificate, 'families' | 'singles'> | string {
  const s = r.setting;
  const why = gainApplies(s);
  if (why) return why;
  const families: WideFamily[] = [];
  const splits: bigint[] = [];
  const up = recordSplitUp(r, 0n, s.max);
  if (up === null) return 'gain mode: no record split s ≥ 0';
  splits.push(up);
  const down = up > 0n ? recordSplitDown(r, 0n, s.min + 1n) : null;
  if (down !== null) splits.push(down);
  if (gainsOf(s).gains.length > 2) {
    // the gains ±(½ ± ε) span 2ⁿ⁻¹ + 1 codes more than ±½: splits about 2·2^(m+1) codes from 0 put the
    // ends of their windows past min and max
    const reach = 4n * (s.max / s.one + 1n);
    const far = recordSplitUp(r, reach, s.max);
    if (far !== null) splits.push(far);
    const low = recordSplitDown(r, -reach, s.min + 1n);
    if (low !== null) splits.push(low);
  }
  const addSplit = (split: bigint): boolean => {
    const rest = restChains(r, e, split - 1n, depth, budget, z, cap);
    if (!rest) return false;
    for (const gain of gainsOf(s).gains)
      for (const parity of gainParity(s) ? [0n, 1n] : [0n]) {
        // tiled: a gain that is not a weight is skipped (n = 1: ½ − ε = 0), where the verifier would refuse it
        if (tiled && (gain === 0n || gain < s.min || gain > s.max)) continue;
        const g = gainFamily(s, gain, split, parity, cap);
        if (g.window)
          families.push({
            split,
            ge: rest.ge,
            le: rest.le,
            gain,
            window: g.window,
            ...(gainParity(s) ? { parity } : {}),
            ...(cap === undefined ? {} : { cap }),
          });
      }
    return true;
  };
  for (const split of splits)
    if (!addSplit(split) && split === up) return `gain mode: no rest chains for the split at code ${split}`;
  const withSingles = (): Pick<WideCertificate, 'families' | 'singles'> | string => {
    const singles: Array<{ dir: 'ge' | 'le'; t: bigint; steps: readonly WideStep[] }> = [];
    for (const [dir, t] of gainGaps(s, families)) {
      if (singles.length >= MAX_SINGLES)
        return `gain mode: more than ${MAX_SINGLES} thresholds outside every family`;
      const [inside, outside] = thresholdSides(s, dir, t);
      const steps = solveWideChain(r, outside, inside, z, e, { minDepth: 1, maxDepth: depth, budget });
      if (!steps) return `gain mode: no chain for x ${dir === 'ge' ? '≥' : '≤'} code ${t}`;
      singles.push({ dir, t, steps });
    }
    return { families, singles: [...singles] };
  };
  const plain = withSingles();
  // tiled splits (docs/theory.md §9.5): only when asked (the tabulated path tries them after every other
  // search), and only where the splits above fail, so that every certificate found without them stays
  if (typeof plain !== 'string' || !tiled || gainsOf(s).gains.length <= 2) return plain;
  for (const split of gainTileSplits(r, splits)) {
    addSplit(split);
    if (gainGaps(s, families).length === 0) break;
  }
  const got = withSingles();
  return typeof got === 'string' ? `${plain}; with tiled splits: ${got}` : got;
}

/** Feature mode (Lemma FW): families whose chains read a feature first. */
function featureModeFamilies(
  r: WideSigma,
  e: bigint,
  depth: number,
  budget?: Budget,
): Pick<WideCertificate, 'families' | 'singles'> | string {
  const got = featureFamilies(r, e, depth, budget);
  if (typeof got === 'string') return got;
  return {
    families: got.families.map((f) => ({ split: f.split, ge: f.ge, le: f.le, window: f.window })),
    singles: [],
  };
}

/** Feature-pair mode (Proposition FP, Lemma OP): level families of both signs. */
function featurePairModeFamilies(
  r: WideSigma,
  e: bigint,
  depth: number,
  budget?: Budget,
): Pick<WideCertificate, 'families' | 'singles'> | string {
  const got = featurePairFamilies(r, e, depth, budget);
  if (typeof got === 'string') return got;
  return {
    families: got.families.map((f) => ({
      split: f.split,
      ge: f.ge,
      le: f.le,
      window: f.window,
      sign: f.sign,
    })),
    singles: [],
  };
}

/** The chain of a threshold in feature mode (Lemma FW), or null. */
export function featureModeChain(
  r: WideSigma,
  c: WideCertificate,
  dir: 'ge' | 'le',
  t: bigint,
): WideStep[] | null {
  const h = featureHypotheses(r);
  if (typeof h === 'string') return null;
  const fams = c.families.flatMap((f) =>
    f.ge && f.le && f.window ? [{ split: f.split, ge: f.ge, le: f.le, window: f.window }] : [],
  );
  return featureChain(r.setting, h, fams, dir, t);
}

/** The lengths of a certificate's threshold chains (feature mode: the feature, the shift, the rest). */
export function chainLengths(c: WideCertificate): number[] {
  const head = c.mode === 'feature' || c.mode === 'feature-pair' ? 2 : 1;
  const lengths: number[] = [];
  for (const f of c.families) {
    if (f.ge) lengths.push(head + f.ge.length);
    if (f.le) lengths.push(head + f.le.length);
  }
  for (const x of c.singles) lengths.push(x.steps.length);
  return lengths;
}

/** The gain families' data as Lemma G reads it (residues recomputed; windows as stored). */
function gainData(s: WideSetting, families: readonly WideFamily[]): GainFamily[] {
  return families.map((f) => ({
    gain: f.gain ?? 0n,
    split: f.split,
    window: f.window ?? null,
    parity: f.parity ?? 0n,
    residues: gainResidues(s, f.gain ?? 0n, f.split, f.parity ?? 0n),
  }));
}

/** Thresholds no gain family serves: ge t (t ∈ [min + 1, max]) and le t − 1 for the same t. */
function gainGaps(s: WideSetting, families: readonly WideFamily[]): Array<['ge' | 'le', bigint]> {
  const gaps = gainUncovered(gainData(s, families), s.min + 1n, s.max, MAX_SINGLES * 2, gainTwoSided(s));
  return gaps.flatMap((t) => [
    ['ge', t],
    ['le', t - 1n],
  ]) as Array<['ge' | 'le', bigint]>;
}

/** The chain of a threshold in gain mode (a single's, or the first family serving it), or null. */
export function gainChain(
  s: WideSetting,
  c: WideCertificate,
  dir: 'ge' | 'le',
  t: bigint,
): WideStep[] | null {
  const single = c.singles.find((x) => x.dir === dir && x.t === t);
  if (single) return [...single.steps];
  const tt = dir === 'ge' ? t : t + 1n;
  for (const f of c.families) {
    if (!f.gain || !f.window || tt < f.window[0] || tt > f.window[1]) continue;
    if (!gainServes(s, f.gain, tt, f.split, f.parity ?? 0n)) continue;
    // x ≥ t: w₀ > 0 reads R_ge, w₀ < 0 R_le; x ≤ t the other one
    const rest = (dir === 'ge') === f.gain > 0n ? f.ge : f.le;
    if (!rest) continue;
    return [gainStep(s, { gain: f.gain, split: f.split, parity: f.parity ?? 0n }, tt), ...rest];
  }
  return null;
}

/**
 * Cyclic mode (wrap, ±1 ∈ W; docs/theory.md §10.3 and §9.5): a record split s ≥ 0 (disjoint hulls) and a
 * rest chain R mapping the hull of σ_F([min, s − 1]) to 0 and that of σ_F([s, max]) to e. U_z's first
 * pre-activation is ≡ x − z + s (mod N), in [s, max] exactly on the arc z … z + (max − s); L_z's is
 * ≡ z − x + s, on the arc z − (max − s) … z; the arcs meet only at z since 2(max − s) ≤ N − 1.
 */
function cyclicFamily(
  r: WideSigma,
  e: bigint,
  depth: number,
  budget?: Budget,
): Pick<WideCertificate, 'families' | 'singles'> | string {
  const s = r.setting;
  if (-s.one < s.min) return 'cyclic mode: −1 is not a weight';
  const tried: bigint[] = [];
  let split = recordSplitUp(r, 0n, s.max);
  for (let i = 0; i < 3 && split !== null; i++) {
    tried.push(split);
    const rest = restChains(r, e, split - 1n, depth, budget);
    if (rest) return { families: [{ split, ge: rest.ge, le: null }], singles: [] };
    split = recordSplitUp(r, split + 1n, s.max);
  }
  return tried.length === 0
    ? 'cyclic mode: no record split s ≥ 0'
    : `cyclic mode: no rest chain for the splits at codes ${tried.join(', ')}`;
}

/**
 * Checks a family certificate: e ≠ 0; the delay on {0, e}; AND on {0, e}² (its rest chain by interval
 * images); every family's rest chains on the hulls the family lemma names; coverage of every threshold
 * (threshold mode: arithmetic on the covered intervals; singles proved on their own two intervals);
 * paddings; the emitter rule. Null when all hold, else the first failure.
 */
export function verifyWideCertificate(r: WideSigma, c: WideCertificate): string | null {
  const s = r.setting;
  const { e } = c;
  // the idle level: 0, or ι (Lemma IF)
  const z = c.idle?.iota ?? 0n;
  if (e === z || e < s.min || e > s.max) return 'e must be a value other than the idle level';
  if (c.idle && (c.idle.kind === 'modular') !== (c.mode === 'cyclic'))
    return 'idle levels: modular emitters with cyclic detectors, the other rules in threshold or gain mode';
  if (c.idle && c.mode !== 'threshold' && c.mode !== 'gain' && c.mode !== 'cyclic')
    return 'idle levels in threshold, gain or cyclic mode only';
  if (c.idle?.kind === 'modular' && c.plus) return 'idle levels: no +1 rotations';
  if (c.idle && (c.fan || c.amplifier)) return 'idle levels have their own emitters';
  const run = (steps: readonly WideStep[], x: bigint): bigint | null => {
    let h: bigint | null = x;
    for (const st of steps) {
      if (h === null) return null;
      h = s.step(st, h);
    }
    return h;
  };
  // every weight is in W (binary: ±1; all: a non-zero value)
  const inW = (w: bigint) => (s.binary ? w === s.one || w === -s.one : w !== 0n && w >= s.min && w <= s.max);
  const chains: Array<readonly WideStep[]> = [c.delay, c.and.rest, ...(c.amplifier ? [c.amplifier] : [])];
  for (const f of c.families)
    chains.push(...[f.ge, f.le].filter((x): x is readonly WideStep[] => x !== null));
  for (const x of c.singles) chains.push(x.steps);
  if (!inW(c.and.w) || chains.some((ch) => ch.some(([w]) => !inW(w)))) return 'a weight is not in W';
  // and every bias a value of 𝕀 (the proofs evaluate whatever bias they are given; audit, §9.2)
  const isValue = (b: bigint) => b >= s.min && b <= s.max;
  if (!isValue(c.and.b) || chains.some((ch) => ch.some(([, b]) => !isValue(b))))
    return 'a bias is not a value';
  if (c.mode === 'gain') {
    if (c.families.some((f) => f.gain === undefined || !inW(f.gain)))
      return 'a gain family’s first weight is not in W';
  } else if (!inW(s.one)) return 'the families’ first weight 1 is not in W';
  if ((c.mode === 'feature' || c.mode === 'feature-pair') && !inW(-s.one))
    return 'the feature σ_F(b − x) needs the weight −1';
  if (c.mode !== 'feature-pair' && c.families.some((f) => f.sign !== undefined))
    return 'a second-step sign outside feature-pair mode';
  if (c.mode === 'cyclic' && !c.plus && !inW(-s.one))
    return 'the cyclic families’ first weight −1 is not in W';
  if (c.plus && c.mode !== 'cyclic') return '+1 rotations are a variant of cyclic mode only';
  if (c.delay.length === 0 || run(c.delay, z) !== z || run(c.delay, e) !== e) return 'delay fails on {0, e}';
  for (const u of [z, e])
    for (const v of [z, e]) {
      const first = s.neuron([c.and.w, c.and.w], [u, v], c.and.b);
      if (first === null) return 'AND is invalid';
      const want = u === e && v === e ? e : z;
      if (!chainProves(r, c.and.rest, first, first, want) && !(c.and.rest.length === 0 && first === want))
        return `AND fails at (${u}, ${v})`;
    }
  for (const f of c.families) {
    // a cap (reach-limited sides) only where Lemma G's windows bound every first pre-activation by it
    if (f.cap !== undefined && (c.mode !== 'gain' || f.cap > s.max || f.cap < f.split))
      return 'a reach-limited family outside gain mode, or a cap outside [split, max]';
    if (f.split <= s.min && f.ge) return 'a family splits at min';
    if (f.ge) {
      const sd = sides(r, f.split, f.split - 1n, f.cap);
      if (!sd || !proves(r, f.ge, sd[0], z) || !proves(r, f.ge, sd[1], e))
        return `the ≥ rest chain of the split at code ${f.split} is not proved`;
    }
    if (f.le) {
      const lowTo = c.mode === 'rotation' ? f.split : f.split - 1n;
      const sd = sides(r, lowTo + 1n, lowTo, f.cap);
      if (!sd || !proves(r, f.le, sd[0], e) || !proves(r, f.le, sd[1], z))
        return `the ≤ rest chain of the split at code ${f.split} is not proved`;
    }
  }
  // depths: every chain padded with the delay to one depth
  const lengths = chainLengths(c);
  const depth = Math.max(...lengths);
  if (lengths.some((l) => (depth - l) % c.delay.length !== 0)) return 'chains cannot be padded to one depth';
  // threshold mode pads D_min and D_max past the AND as well (feature-pair mode has no end detectors)
  if (
    c.mode !== 'rotation' &&
    c.mode !== 'cyclic' &&
    c.mode !== 'feature-pair' &&
    (1 + c.and.rest.length) % c.delay.length !== 0
  )
    return 'the end detectors cannot be padded past the AND';
  if (c.mode === 'cyclic') {
    if (s.policy.overflow !== 'wrap') return 'cyclic mode needs overflow wrap';
    const f = c.families[0];
    // −1 rotations (§10.3): s ≥ 0; +1 rotations (Lemma C+): any split above min; both 2(max − s) ≤ N − 1
    const low = c.plus ? f.split <= s.min : f.split < 0n;
    if (c.families.length !== 1 || !f.ge || f.le || low || 2n * (s.max - f.split) > s.max - s.min)
      return 'cyclic mode needs one family with a ≥ rest chain and a split s ≥ 0 (s > min with +1 rotations), 2(max − s) ≤ N − 1';
  } else if (c.mode === 'rotation') {
    if (s.policy.overflow !== 'wrap') return 'rotation mode needs overflow wrap';
    if (c.families.length !== 1) return 'rotation mode needs one family';
    const f = c.families[0];
    if (!f.ge && f.split > s.min) return 'rotation mode: no ≥ chain';
    if (!f.le && f.split < s.max) return 'rotation mode: no ≤ chain';
  } else if (c.mode === 'feature') {
    if (c.singles.length > 0) return 'feature mode has no single chains';
    const h = featureHypotheses(r);
    if (typeof h === 'string') return h;
    for (const f of c.families) {
      if (!f.ge || !f.le || !f.window) return 'feature mode: a family without both rest chains or a window';
      for (const L of f.window)
        if (!secondStepValid(s, h.hull, f.split, L))
          return `feature mode: the second step of level code ${L} (split ${f.split}) leaves the range`;
      if (f.window[0] > f.window[1]) return 'feature mode: an empty window';
    }
    const gap = uncoveredLevels(
      neededLevels(s, h),
      c.families.map((f) => f.window as readonly [bigint, bigint]),
      1,
    );
    if (gap.length > 0) return `feature mode: the level code ${gap[0]} is in no window`;
  } else if (c.mode === 'feature-pair') {
    if (c.singles.length > 0) return 'feature-pair mode has no single chains';
    const h = featurePairHypotheses(r);
    if (typeof h === 'string') return h;
    for (const f of c.families) {
      if (!f.ge || !f.le || !f.window || !f.sign)
        return 'feature-pair mode: a family without both rest chains, a window or a sign';
      if (f.window[0] > f.window[1]) return 'feature-pair mode: an empty window';
      for (const L of f.window)
        if (!pairStepValid(s, h.hull, f.sign, f.split, L))
          return `feature-pair mode: the second step of level code ${L} (split ${f.split}) leaves the range`;
    }
    const gap = uncoveredLevels(
      pairNeededLevels(h),
      c.families.map((f) => f.window as readonly [bigint, bigint]),
      1,
    );
    if (gap.length > 0) return `feature-pair mode: the level code ${gap[0]} is in no window`;
  } else if (c.mode === 'gain') {
    const why = gainApplies(s);
    if (why) return why;
    for (const f of c.families) {
      if (f.gain === undefined || !gainsOf(s).gains.includes(f.gain))
        return 'gain mode: a gain Lemma G does not name';
      if (!f.ge || !f.le) return 'gain mode: a family without both rest chains';
      if ((f.parity ?? 0n) !== 0n && (f.parity !== 1n || !gainParity(s)))
        return 'gain mode: a bias parity where the rounding does not need one';
      const key = {
        gain: f.gain,
        split: f.split,
        parity: f.parity ?? 0n,
        ...(f.cap === undefined ? {} : { cap: f.cap }),
      };
      if (!f.window || !gainValid(s, key, f.window[0]))
        return 'gain mode: a window whose low end is not valid';
      if (!gainValid(s, key, f.window[1])) return 'gain mode: a window whose high end is not valid';
    }
    for (const [dir, t] of gainGaps(s, c.families)) {
      const single = c.singles.find((x) => x.dir === dir && x.t === t);
      if (!single) return `threshold x ${dir === 'ge' ? '≥' : '≤'} code ${t} has no chain`;
      const [inside, outside] = thresholdSides(s, dir, t);
      if (!proves(r, single.steps, inside, e) || !proves(r, single.steps, outside, z))
        return `the chain for x ${dir === 'ge' ? '≥' : '≤'} code ${t} is not proved`;
    }
  } else {
    if (s.policy.overflow !== 'saturate') return 'threshold mode needs overflow saturate';
    const gaps = uncovered(s, c.families);
    for (const [dir, t] of gaps) {
      const single = c.singles.find((x) => x.dir === dir && x.t === t);
      if (!single) return `threshold x ${dir === 'ge' ? '≥' : '≤'} code ${t} has no chain`;
      const [inside, outside] = thresholdSides(s, dir, t);
      if (!proves(r, single.steps, inside, e) || !proves(r, single.steps, outside, z))
        return `the chain for x ${dir === 'ge' ? '≥' : '≤'} code ${t} is not proved`;
    }
  }
  // emitters: Lemma F (fan), else Lemma E (E_y reads A(e) = sign·1, A nothing: e itself, with weight
  // sign·y), else Lemma L (binary ladders)
  if (c.idle) {
    const bad = verifyWideIdleEmitters(s, e, c.delay, c.idle, inW);
    if (bad) return bad;
  } else if (c.fan) {
    const bad = verifyFan(s, e, c.fan);
    if (bad) return bad;
  } else if (!s.binary) {
    const a0 = c.amplifier ? run(c.amplifier, 0n) : 0n;
    const a1 = c.amplifier ? run(c.amplifier, e) : e;
    const v = c.sign * s.one;
    if (a0 !== 0n || a1 !== v) return `the emitters need A(0) = 0 and A(e) = ${c.sign}`;
    for (const y of [s.min, s.max, -1n, 1n, s.one, -s.one]) {
      if (y < s.min || y > s.max || y === 0n) continue;
      const got =
        c.sign === -1n && y === s.min && s.format.kind === 'Q'
          ? s.pre([s.max, 1n], [v, v], 0n)
          : s.pre([c.sign * y], [v], 0n);
      if (got !== y) return `emitter E_${y} gives another value`;
    }
  } else {
    if (e !== 1n || c.delay.length !== 1) return 'the ladder emitters need e = ε and a one-step delay';
    const ladder = ladderHolds(s);
    if (ladder) return ladder;
  }
  return null;
}

/**
 * Lemma L (binary weights, e = ε): the neurons of the ladder emitters act as their proof needs, checked
 * at every point they meet: the doubling neuron σ_F(1⊗a ⊕ 1⊗b ⊕ 0) maps (0, 0) to 0 and (2ᵏε, 2ᵏε) to
 * 2ᵏ⁺¹ε for 2ᵏ⁺¹ε ≤ max, and the carry σ_F(1⊗v ⊕ 0) fixes 0 and every 2ᵏε ≤ max. Null when all hold.
 */
export function ladderHolds(s: WideSetting): string | null {
  if (s.neuron([s.one, s.one], [0n, 0n], 0n) !== 0n || s.neuron([s.one], [0n], 0n) !== 0n)
    return 'the ladder emitters need σ_F(0) = 0';
  for (let v = 1n; v <= s.max; v *= 2n) {
    if (s.neuron([s.one], [v], 0n) !== v) return `the ladder's carry fails at code ${v}`;
    if (2n * v <= s.max && s.neuron([s.one, s.one], [v, v], 0n) !== 2n * v)
      return `the ladder's doubling fails at code ${v}`;
  }
  return null;
}

function proves(r: WideSigma, steps: readonly WideStep[], span: WideSpan, target: bigint): boolean {
  if (steps.length === 0) return span[0] === target && span[1] === target;
  return chainProves(r, steps, span[0], span[1], target);
}
