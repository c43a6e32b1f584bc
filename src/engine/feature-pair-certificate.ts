/**
 * Feature-pair certificates (docs/theory.md §10.9, Proposition FP): universality when the first layer can
 * only compute two features. Under overflow `error` with binary weights on SQ formats the first-layer
 * neurons valid on all of 𝕀 are f₊(x) = σ_F(x) and f₋(x) = σ_F(−x) (Lemma BE, §9.5). When σ_F is not
 * monotone (gelu, silu, gelu-tanh, hard-swish near their dip) some thresholds x ≥ t are read by neither
 * feature alone (the images of the two sides overlap for both), so no unary chain computes them. But if
 * x ↦ (f₊(x), f₋(x)) is injective, a point is the only input with both of its feature values:
 *
 *   D_z = AND( AND(G₊, H₊), AND(G₋, H₋) ),  G_k = P…P(f_k then g_{k,v}),  H_k = P…P(f_k then h_{k,v}),
 *
 * where v = f_k(z), g_{k,v} is a chain computing e·[y ≥ v] and h_{k,v} one computing e·[y ≤ v] on the
 * values y ∈ [lo_k, hi_k] of f_k (at v = lo_k, y ≥ v always holds and g is h; at v = hi_k, h is g), each
 * proved by interval images (§9.1) on [v, hi_k] and [lo_k, v − 1] (resp. [lo_k, v] and [v + 1, hi_k]).
 * Then AND(G_k, H_k)(x) = e·[f_k(x) = f_k(z)] and D_z(x) = e·[x = z]: G1 of THEORY §5.2. With the AND (G2),
 * the delay (G3) and the emitters (G4) of chain certificates, the composition lemma applies.
 * `verifyFeaturePairCertificate` checks every hypothesis; the search reuses the feature families of
 * `feature-thresholds.ts`.
 */

import type { Budget } from './budget.js';
import type { Certificate, Emitter } from './certificate.js';
import { candidateEs } from './certificate.js';
import {
  chainReadout,
  emittersFor,
  findAndChain,
  stepsOutside as stepsOutsideW,
  verifyDelayAndAnd,
  verifyEmitters,
  weightMembership,
} from './chain-certificate.js';
import type { Step } from './chain-solver.js';
import { featureSteps, levelSeparator } from './feature-thresholds.js';
import { chainGadget, type Gadget, parallel, stack } from './gadget.js';
import {
  chainProves,
  type SigmaRanges,
  sigmaRanges,
  solveIntervalChain,
  stepImage,
} from './interval-chain.js';
import { type Setting, unary } from './setting.js';
import { commonDepth, pad, pads } from './threshold-tables.js';

/** The level chains of one feature: ge[v − lo] computes e·[y ≥ v], le[v − lo] e·[y ≤ v], y ∈ [lo, hi]. */
export interface FeatureLevels {
  readonly feature: Step;
  readonly lo: number;
  readonly hi: number;
  readonly ge: ReadonlyArray<readonly Step[] | null>;
  readonly le: ReadonlyArray<readonly Step[] | null>;
}

export interface FeaturePairCertificate {
  readonly e: number;
  readonly delay: readonly Step[];
  readonly and: Gadget;
  /** The two features and their level chains. */
  readonly features: readonly [FeatureLevels, FeatureLevels];
  /** Depth every [feature, …level chain] is padded to with the delay. */
  readonly depth: number;
  readonly beta: number;
  readonly emitters: readonly Emitter[];
}

/** The feature values f(x) for every x (NaN where invalid). */
function featureValues(s: Setting, f: Step): Float64Array {
  const out = new Float64Array(s.size);
  for (let x = s.min; x <= s.max; x++) out[x - s.min] = unary(s, f[0], x, f[1]);
  return out;
}

/** True when x ↦ (f₊(x), f₋(x)) is injective on 𝕀 (every value valid). */
function injective(s: Setting, a: Float64Array, b: Float64Array): boolean {
  const keys = new Float64Array(s.size);
  for (let i = 0; i < s.size; i++) {
    if (!(a[i] >= s.min && b[i] >= s.min)) return false;
    // both in [min, max]: a·2^17 + b is exact and distinct for distinct pairs (|codes| < 2^16)
    keys[i] = (a[i] - s.min) * 2 ** 17 + (b[i] - s.min);
  }
  keys.sort();
  for (let i = 1; i < s.size; i++) if (keys[i] === keys[i - 1]) return false;
  return true;
}

/** The chain of feature k at level v in direction dir, with the end substitutions (null: none). */
function levelChain(L: FeatureLevels, dir: 'ge' | 'le', v: number): readonly Step[] | null {
  const i = v - L.lo;
  if (dir === 'ge') return v === L.lo ? L.le[i] : L.ge[i];
  return v === L.hi ? L.ge[i] : L.le[i];
}

/** Searches a feature-pair certificate; the result is verified by `verifyFeaturePairCertificate`. */
export function findFeaturePairCertificate(
  s: Setting,
  budget?: Budget,
): { certificate: FeaturePairCertificate | null; tried: string[] } {
  const tried: string[] = [];
  if (!s.sigma.includes(0)) return { certificate: null, tried: ['σ_F is never 0 (the idle value is 0)'] };
  const r = sigmaRanges(s);
  const steps = featureSteps(r);
  const plus = steps.find(([w]) => w > 0);
  const minus = steps.find(([w]) => w < 0);
  if (!plus || !minus) return { certificate: null, tried: ['no two features σ_F(±x ⊕ b) valid on all of 𝕀'] };
  const fv = [featureValues(s, plus), featureValues(s, minus)];
  if (!injective(s, fv[0], fv[1]))
    return { certificate: null, tried: ['x ↦ (σ_F(x), σ_F(−x)) is not injective'] };
  const es = candidateEs(s);
  if (s.sigma.includes(-1) && !es.includes(-1)) es.push(-1);
  for (const e of es) {
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
    const sep = levelSeparator(s, r, e, budget);
    const levels: FeatureLevels[] = [];
    let failure: string | null = null;
    for (const [k, f] of [plus, minus].entries()) {
      const vals = fv[k];
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (const v of vals) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      const taken = new Uint8Array(hi - lo + 1);
      for (const v of vals) taken[v - lo] = 1;
      const ge: (Step[] | null)[] = new Array(hi - lo + 1).fill(null);
      const le: (Step[] | null)[] = new Array(hi - lo + 1).fill(null);
      for (let v = lo; v <= hi && !failure; v++) {
        if (!taken[v - lo]) continue;
        if ((v - lo) % 1024 === 0) budget?.spend(1024 * 64, 'the feature-pair search');
        if (v > lo && !(ge[v - lo] = sep.separate([v, hi], [lo, v - 1])))
          failure = `no chain for σ_F(${f[0] > 0 ? '' : '−'}x) ≥ code ${v}`;
        else if (v < hi && !(le[v - lo] = sep.separate([lo, v], [v + 1, hi])))
          failure = `no chain for σ_F(${f[0] > 0 ? '' : '−'}x) ≤ code ${v}`;
      }
      if (failure) break;
      levels.push({ feature: f, lo, hi, ge, le });
    }
    if (failure) {
      tried.push(`${label}: ${failure}`);
      continue;
    }
    let longest = 0;
    for (const L of levels)
      for (const table of [L.ge, L.le])
        for (const c of table) if (c) longest = Math.max(longest, c.length + 1);
    // the common depth: the longest chain, or more when the delay's length does not divide the gaps
    const depth = commonDepth(longest, delay.length, (d) =>
      levels.every((L) =>
        [L.ge, L.le].every((table) => table.every((c) => !c || pads(c.length + 1, delay.length, d))),
      ),
    );
    if (depth < 0) {
      tried.push(`${label}: the level chains cannot be padded to one depth`);
      continue;
    }
    const emit = emittersFor(s, e, delay, budget);
    if (typeof emit === 'string') {
      tried.push(`${label}: ${emit}`);
      continue;
    }
    const cert: FeaturePairCertificate = {
      e,
      delay,
      and,
      features: [levels[0], levels[1]],
      depth,
      ...emit,
    };
    const broken = verifyFeaturePairCertificate(s, cert, budget);
    if (broken) {
      tried.push(`${label}: ${broken}`);
      continue;
    }
    return { certificate: cert, tried };
  }
  return { certificate: null, tried };
}

/**
 * Checks a feature-pair certificate (docs/theory.md §10.9): every parameter in W and 𝕀; e ≠ 0; the delay on
 * {0, e}; the AND on {0, e}²; each feature valid on all of 𝕀 (interval image of [min, max]) with its
 * values in [lo, hi]; the pair of features injective; at every value v a feature takes, its two level
 * chains proved by interval images on their two intervals of [lo, hi], and padded to the common depth;
 * the emitters (G4). Null when all hold, else the first failure.
 */
export function verifyFeaturePairCertificate(
  s: Setting,
  c: FeaturePairCertificate,
  budget?: Budget,
): string | null {
  const { e } = c;
  const r: SigmaRanges = sigmaRanges(s);
  const inWeights = weightMembership(s);
  const common = verifyDelayAndAnd(s, c, inWeights);
  if (common) return common;
  const stepsOutside = (steps: readonly Step[]) => stepsOutsideW(s, steps, inWeights);
  const values: Float64Array[] = [];
  for (const L of c.features) {
    const f = L.feature;
    if (stepsOutside([f])) return 'feature: a parameter outside the configuration';
    // valid on all of 𝕀 (§9.1: the pre-activation is monotone in x, so validity at the ends suffices)
    if (!stepImage(r, f[0], f[1], s.min, s.max)) return `feature (${f[0]}, ${f[1]}) is not valid on all of 𝕀`;
    const vals = featureValues(s, f);
    for (const v of vals) if (!(v >= L.lo && v <= L.hi)) return 'a feature value lies outside [lo, hi]';
    if (L.ge.length !== L.hi - L.lo + 1 || L.le.length !== L.hi - L.lo + 1)
      return 'expected a level chain per value of [lo, hi]';
    values.push(vals);
  }
  if (!injective(s, values[0], values[1])) return 'the two features are not injective together';
  const proved = new Set<string>();
  for (const [k, L] of c.features.entries()) {
    const vals = values[k];
    for (let i = 0; i < vals.length; i++) {
      if (i % 4096 === 0) budget?.spend(4096, 'the feature-pair certificate check');
      const v = vals[i];
      const key = `${k},${v}`;
      if (proved.has(key)) continue;
      proved.add(key);
      for (const dir of ['ge', 'le'] as const) {
        const chain = levelChain(L, dir, v);
        if (!chain || chain.length === 0) return `no level chain for feature ${k} at code ${v}`;
        if (stepsOutside(chain)) return `level chain of feature ${k} at code ${v}: a parameter outside`;
        // the condition the chain must compute: y ≥ u (ge) or y ≤ u (le), after the end substitution
        const ge = dir === 'ge' ? v !== L.lo : v === L.hi;
        const ok = ge
          ? chainProves(r, chain, v, L.hi, e) && (v === L.lo || chainProves(r, chain, L.lo, v - 1, 0))
          : chainProves(r, chain, L.lo, v, e) && (v === L.hi || chainProves(r, chain, v + 1, L.hi, 0));
        if (!ok) return `level chain y ${ge ? '≥' : '≤'} code ${v} of feature ${k} is not proved`;
        if (!pads(chain.length + 1, c.delay.length, c.depth))
          return `level chain of feature ${k} at code ${v} cannot be padded to depth ${c.depth}`;
      }
    }
  }
  return verifyEmitters(s, e, c.beta, c.emitters, inWeights, new WeakSet<object>(), budget);
}

/** The detector D_z as a gadget: AND(AND(G₊, H₊), AND(G₋, H₋)), every chain padded to one depth. */
export function featurePairDetector(s: Setting, c: FeaturePairCertificate, z: number): Gadget {
  const halves = c.features.map((L) => {
    const v = unary(s, L.feature[0], z, L.feature[1]);
    const [g, h] = (['ge', 'le'] as const).map((dir) => {
      const chain = levelChain(L, dir, v);
      const steps = chain ? pad([L.feature, ...chain], c.delay, c.depth) : null;
      if (!steps) throw new Error(`featurePairDetector: D_${z} cannot be built`);
      return chainGadget(steps);
    });
    return stack(parallel(g, h), c.and);
  });
  return stack(parallel(halves[0], halves[1]), c.and);
}

/** The certificate in the general form (every detector as a gadget), for export and exhaustive checks. */
export function materializeFeaturePairCertificate(s: Setting, c: FeaturePairCertificate): Certificate {
  const detectors: Gadget[] = [];
  for (let z = s.min; z <= s.max; z++) detectors.push(featurePairDetector(s, c, z));
  return {
    e: c.e,
    idle: [0],
    omega: chainReadout(s, { e: c.e } as Parameters<typeof chainReadout>[1]),
    detectors,
    and: c.and,
    delay: chainGadget(c.delay),
    beta: c.beta,
    emitters: c.emitters,
  };
}
