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
import { candidateWeights } from './chain-solver.js';
import {
  type IdleSkeleton,
  idleChainLevels,
  searchIdleLevels,
  verifyIdleSkeleton,
} from './idle-chain-certificate.js';
import type { Setting } from './setting.js';

/** E_y by one rule: k_y copies of the unit weight, or N − k_y copies of the back weight. */
export interface ModularEmitterRule {
  /** A weight u ∈ W with δ = u ⊗ a − u ⊗ ι odd (a unit modulo N). */
  readonly unit: number;
  /** A weight u′ ∈ W with u′ ⊗ a − u′ ⊗ ι ≡ −δ (mod N), or null. */
  readonly back: number | null;
}

/** A modular idle certificate (levels a, I = {ι}; overflow wrap). */
export interface ModularIdleCertificate extends IdleSkeleton {
  readonly emitters: ModularEmitterRule;
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
  return searchIdleLevels(s, levels, MODULAR_BUDGET.full, budget, {
    prepare: (a, idle) => modularEmitterRule(s, a, idle),
    finish: (skeleton, emitters: ModularEmitterRule): ModularIdleCertificate | string => {
      const cert: ModularIdleCertificate = { ...skeleton, emitters };
      return verifyModularIdleCertificate(s, cert, budget) ?? cert;
    },
  });
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
  const skeleton = verifyIdleSkeleton(s, c, budget);
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
