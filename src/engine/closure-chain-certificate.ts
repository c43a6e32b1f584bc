/**
 * Closure chain certificates (docs/theory.md §10.9, "Closure thresholds"): chain certificates (§9.2) whose
 * threshold chains come from the breadth-first closure of unary chains on a small format, not from the
 * beam searches (which stop at depth 3–4 and prune the chains that stay valid on all of 𝕀 under `error`).
 *
 * Statement. A chain certificate (e ≠ 0; delay P with P(0) = 0, P(e) = e; AND on {0, e}²; for every code t
 * chains computing e·[x ≥ t] and e·[x ≤ t] on all of 𝕀; emitters) gives universality (all d) by the
 * composition lemma (THEORY §5.2; docs/theory.md §9.2), whatever found its chains. Here the chains are the
 * shortest ones among all unary chains x ↦ σ_F(w_k ⊗ … σ_F(w_1 ⊗ x ⊕ b_1) … ⊕ b_k) of depth ≤ 6 (every
 * weight in W, every bias a code, every neuron valid on every input), found by breadth-first search over
 * their tables on 𝕀 (each table once). Nothing is assumed from the search: `verifyChainCertificate` proves
 * every chain on its two intervals by interval images, and the delay, AND and emitters on their inputs.
 *
 * Pure integer kernel on number codes, for formats of at most CLOSURE_MAX_SIZE values.
 */
import type { Budget } from './budget.js';
import { candidateEs } from './certificate.js';
import {
  type ChainCertificate,
  emittersFor,
  findAndChain,
  thresholdProved,
  verifyChainCertificate,
} from './chain-certificate.js';
import type { Step } from './chain-solver.js';
import { type SigmaRanges, sigmaRanges, solveIntervalChain } from './interval-chain.js';
import { type Setting, unary } from './setting.js';
import { padThresholdTables } from './threshold-padding.js';
import type { ThresholdTables } from './threshold-tables.js';

/** The largest format searched (a step costs |W|·|𝕀| unary evaluations per table). */
export const CLOSURE_MAX_SIZE = 32;
/** The deepest chain. */
export const CLOSURE_MAX_DEPTH = 6;
/** Most distinct tables held (memory: |𝕀| small integers each). */
export const CLOSURE_MAX_TABLES = 200_000;
/** The search's own cap on unary evaluations (well under a second). */
export const CLOSURE_MAX_WORK = 2e7;

/** Why the search does not apply, or null. */
export function closureChainApplies(s: Setting): string | null {
  if (s.size > CLOSURE_MAX_SIZE) return `more than ${CLOSURE_MAX_SIZE} values`;
  if (!s.sigma.includes(0)) return 'σ_F is never 0 (the chain levels are e and 0)';
  return null;
}

/** Threshold chains found by the closure: key `${e},${dir},${t}` → the shortest chain interval images prove. */
export interface ClosureChains {
  readonly chains: Map<string, Step[]>;
  /** Null when the closure ran to its depth, else why it stopped (the chains found so far are kept). */
  readonly stopped: string | null;
}

/**
 * The closure of unary chains from x (breadth first, each table once, every neuron valid on every input):
 * every table that is e·[x ≥ t] or e·[x ≤ t] for some e ≠ 0 is recorded with the shortest chain that
 * `thresholdProved` accepts.
 */
export function closureChains(
  s: Setting,
  r: SigmaRanges,
  budget?: Budget,
  weights: readonly number[] = s.weights,
  maxWork = CLOSURE_MAX_WORK,
): ClosureChains {
  const N = s.size;
  const chains = new Map<string, Step[]>();
  // thresholds proved per active value: once one e has all 2N − 2, the closure stops
  const count = new Map<number, number>();
  const key = (v: Int16Array) => String.fromCharCode(...Array.from(v, (x) => x - s.min + 48));
  // a table taking only 0 and one e ≠ 0, e on an end segment: [dir, t, e]
  const classify = (v: Int16Array): ['ge' | 'le', number, number] | null => {
    let e = 0;
    let switches = 0;
    let at = -1;
    for (let i = 0; i < N; i++) {
      if (v[i] !== 0) {
        if (e === 0) e = v[i];
        else if (v[i] !== e) return null;
      }
      if (i > 0 && v[i] !== v[i - 1]) {
        switches++;
        at = i;
      }
    }
    if (switches !== 1 || e === 0) return null;
    return v[0] === 0 ? ['ge', s.min + at, e] : ['le', s.min + at - 1, e];
  };
  const seen = new Set<string>();
  const start = new Int16Array(N);
  for (let i = 0; i < N; i++) start[i] = s.min + i;
  seen.add(key(start));
  let frontier: Array<{ v: Int16Array; steps: Step[] }> = [{ v: start, steps: [] }];
  let work = 0;
  for (let depth = 1; depth <= CLOSURE_MAX_DEPTH && frontier.length > 0; depth++) {
    const next: Array<{ v: Int16Array; steps: Step[] }> = [];
    for (const { v, steps } of frontier) {
      budget?.spend(weights.length * N * N, 'closure thresholds');
      for (const w of weights)
        for (let b = s.min; b <= s.max; b++) {
          work += N;
          if (work > maxWork)
            return {
              chains,
              stopped: `the closure stopped at depth ${depth} after ${maxWork.toExponential(0)} evaluations (its cap)`,
            };
          const out = new Int16Array(N);
          let valid = true;
          for (let i = 0; i < N && valid; i++) {
            const y = unary(s, w, v[i], b);
            valid = y >= s.min && y <= s.max;
            out[i] = y;
          }
          if (!valid) continue;
          const k = key(out);
          if (seen.has(k)) continue;
          seen.add(k);
          const chain: Step[] = [...steps, [w, b]];
          const cls = classify(out);
          if (cls) {
            const [dir, t, e] = cls;
            const ck = `${e},${dir},${t}`;
            if (!chains.has(ck) && thresholdProved(r, e, dir, t, chain)) {
              chains.set(ck, chain);
              const got = (count.get(e) ?? 0) + 1; // classify never gives x ≥ min nor x ≤ max
              count.set(e, got);
              if (got === 2 * N - 2) return { chains, stopped: null };
            }
          }
          if (seen.size < CLOSURE_MAX_TABLES) next.push({ v: out, steps: chain });
        }
    }
    frontier = next;
  }
  return { chains, stopped: null };
}

/** Threshold tables for e from the closure's chains, or a reason naming the first threshold without one. */
export function closureThresholds(s: Setting, closure: ClosureChains, e: number): ThresholdTables | string {
  const ge: (Step[] | null)[] = new Array(s.size).fill(null);
  const le: (Step[] | null)[] = new Array(s.size).fill(null);
  const stopped = closure.stopped ? ` (${closure.stopped})` : '';
  for (let t = s.min; t <= s.max; t++) {
    if (t < s.max) {
      const c = closure.chains.get(`${e},le,${t}`);
      if (!c)
        return `closure thresholds: no unary chain of depth ≤ ${CLOSURE_MAX_DEPTH} gives e·[x ≤ code ${t}]${stopped}`;
      le[t - s.min] = c;
    }
    if (t > s.min) {
      const c = closure.chains.get(`${e},ge,${t}`);
      if (!c)
        return `closure thresholds: no unary chain of depth ≤ ${CLOSURE_MAX_DEPTH} gives e·[x ≥ code ${t}]${stopped}`;
      ge[t - s.min] = c;
    }
  }
  return { ge, le };
}

/** Searches a chain certificate with closure thresholds; verified before it is returned. */
export function findClosureChainCertificate(
  s: Setting,
  budget?: Budget,
): { certificate: ChainCertificate | null; tried: string[] } {
  const no = closureChainApplies(s);
  if (no) return { certificate: null, tried: [`closure chains: ${no}`] };
  const r = sigmaRanges(s);
  const tried: string[] = [];
  const es = candidateEs(s);
  for (let c = s.min; c <= s.max; c++) if (c !== 0 && s.sigma.includes(c) && !es.includes(c)) es.push(c);
  // every weight first; then only the integer weights ±1, ±2 (a narrower closure reaches deeper chains on
  // formats with fraction bits, SQ3.1)
  const small = s.weights.filter((w) => w !== 0 && w % s.one === 0 && Math.abs(w) <= 2 * s.one);
  const passes: Array<[string, readonly number[], number]> = [['all weights', s.weights, CLOSURE_MAX_WORK]];
  if (small.length < s.weights.length) passes.push(['weights ±1, ±2', small, CLOSURE_MAX_WORK / 2]);
  for (const [pass, weights, maxWork] of passes) {
    const closure = closureChains(s, r, budget, weights, maxWork);
    for (const e of es) {
      const label = `${pass}, e=${e}`;
      const delay = solveIntervalChain(s, [0, 0], [e, e], 0, e, { minDepth: 1, maxDepth: 3, budget });
      if (!delay) {
        tried.push(`${label}: no delay`);
        continue;
      }
      const and = findAndChain(s, e, budget);
      if (!and) {
        tried.push(`${label}: no AND`);
        continue;
      }
      const found = closureThresholds(s, closure, e);
      const thresholds =
        typeof found === 'string'
          ? found
          : padThresholdTables(s, r, e, found, delay.length, and.layers.length, budget);
      if (typeof thresholds === 'string') {
        tried.push(`${label}: ${thresholds}`);
        continue;
      }
      const emit = emittersFor(s, e, delay, budget, false);
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
  }
  return {
    certificate: null,
    tried: tried.length ? [tried.join('; ')] : ['closure chains: no active value'],
  };
}
