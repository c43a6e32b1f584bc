/**
 * Copy-chain certificates (docs/theory.md §10.9, copy chains).
 *
 * Statement. A copy step (w₁ … w_k; b) maps a function g of the input to σ_F(b? ⊕ w₁⊗g ⊕ … ⊕ w_k⊗g ⊕ b?)
 * (the neuron's accumulation and bias order): as a network, the previous layer holds k neurons computing
 * g and every neuron of the step reads each of them once (distinct sources). A copy chain is a list of copy
 * steps whose first step has one term (it reads the input x); layer i holds as many copies of its neuron
 * as step i + 1 has terms. If for some e ≠ 0 every threshold e·[x ≥ t] (t > min) and e·[x ≤ t] (t < max) is
 * computed by a copy chain, every neuron valid on all of 𝕀 (checked on every code: the formats are tiny),
 * and an AND gadget on {0, e}², a delay P(0) = 0, P(e) = e and emitters exist (G1–G4 of THEORY §5.2, checked
 * on their inputs), the detectors D_z = AND(P(U_z), P(L_z)) make the configuration universal (all d) by the
 * composition lemma, exactly as for chain certificates (§9.2); only the threshold gadgets are wider.
 *
 * Why: with σ_F the identity under overflow `error`, sequential accumulation and one fraction bit (Q1.1,
 * SQ1.1 under toward-zero, nearest-away, nearest-zero, nearest-even), every unary step rounds its product
 * before the bias, so x/2 merges the same neighbours whatever the bias, and weights of magnitude above 1
 * overflow at an end of 𝕀: no unary chain computes the threshold at the top (x ≥ max) or the bottom. Two terms on
 * copies of g, e.g. 1⊗g ⊕ (−½)⊗g (g/2 rounded the other way), shrink the range without that merge.
 *
 * The search is breadth-first over the functions x ↦ g(x) as vectors on 𝕀 (each reached by its shortest
 * copy chain): one- and two-term steps, one table φ per distinct step, g ↦ φ∘g when φ is valid on g's
 * values. Bounded by `COPY_CHAIN_MAX_VALUES` and `COPY_CHAIN_MAX_STATES`, and by the budget.
 */

import type { Budget } from './budget.js';
import type { Certificate, Emitter } from './certificate.js';
import { candidateEs } from './certificate.js';
import {
  chainReadout,
  emittersFor,
  findAndChain,
  verifyDelayAndAnd,
  verifyEmitters,
  weightMembership,
} from './chain-certificate.js';
import type { Step } from './chain-solver.js';
import { chainGadget, type Gadget, gadgetParameters, parallel, runGadget, stack } from './gadget.js';
import { neuron, type Setting } from './setting.js';

/**
 * Formats of at most this many values are searched (one table per distinct step, |W|²·|𝕀| steps): on 8
 * values the search takes milliseconds, on 16 values (Q2.1, SQ2.1, Q1.2) seconds, too long for `decide`.
 */
export const COPY_CHAIN_MAX_VALUES = 8;
/** The most functions the breadth-first search keeps. */
export const COPY_CHAIN_MAX_STATES = 200_000;
/** The most terms of one copy step. */
export const COPY_CHAIN_MAX_TERMS = 2;

/** One copy step: the weights of its terms (one per copy of the previous layer) and its bias, codes. */
export interface CopyStep {
  readonly ws: readonly number[];
  readonly b: number;
}

export interface CopyChainCertificate {
  readonly e: number;
  /** A one-step delay P (P(0) = 0, P(e) = e), also the padding of every chain. */
  readonly delay: readonly Step[];
  readonly and: Gadget;
  /** The chain of e·[x ≥ t] for t = min + i (null at t = min). */
  readonly ge: ReadonlyArray<readonly CopyStep[] | null>;
  /** The chain of e·[x ≤ t] for t = min + i (null at t = max). */
  readonly le: ReadonlyArray<readonly CopyStep[] | null>;
  /** Depth every threshold chain is padded to before the AND; the ends get pair + |AND|. */
  readonly pair: number;
  readonly beta: number;
  readonly emitters: readonly Emitter[];
}

/** Null when the search applies to the setting (at most `COPY_CHAIN_MAX_VALUES` values), else why not. */
export function copyChainsApply(s: Setting): string | null {
  if (s.size > COPY_CHAIN_MAX_VALUES)
    return `copy chains are searched on formats of at most ${COPY_CHAIN_MAX_VALUES} values (${s.format.spec} has ${s.size})`;
  return null;
}

/** A copy chain as a 1-input gadget: layer i holds one copy of its neuron per term of step i + 1. */
export function copyChainGadget(steps: readonly CopyStep[]): Gadget {
  if (steps.length === 0 || steps[0].ws.length !== 1)
    throw new Error('copyChainGadget: the first step must read the input once');
  const layers = steps.map((st, i) => {
    const copies = i + 1 < steps.length ? steps[i + 1].ws.length : 1;
    // one neuron object per copy (caches keyed by neuron see distinct neurons, as in the network)
    return Array.from({ length: copies }, () => ({
      bias: st.b,
      edges: st.ws.map((w, j) => [j, w] as const),
    }));
  });
  return { inputs: 1, layers };
}

/** The chain followed by copies of the one-step delay up to `depth` steps (null when it is longer). */
function padCopy(steps: readonly CopyStep[], delay: readonly Step[], depth: number): CopyStep[] | null {
  if (steps.length > depth || delay.length !== 1) return null;
  const out = [...steps];
  while (out.length < depth) out.push({ ws: [delay[0][0]], b: delay[0][1] });
  return out;
}

/** The value of a copy step on one code (NaN when a partial sum or σ_F is invalid). */
function stepValue(s: Setting, st: CopyStep, v: number): number {
  return neuron(
    s,
    st.ws,
    st.ws.map(() => v),
    st.b,
  );
}

interface Reached {
  readonly parent: string | null;
  readonly steps: readonly CopyStep[];
}

/**
 * Breadth-first search over the functions of copy chains, as vectors on 𝕀; returns the shortest chain to
 * each target key that is reached (targets absent from the map were not reached within the bounds).
 */
function searchCopyChains(
  s: Setting,
  targets: ReadonlySet<string>,
  budget?: Budget,
): { found: Map<string, CopyStep[]>; states: number; stopped: boolean } {
  const n = s.size;
  const key = (vec: ArrayLike<number>) => {
    let k = '';
    for (let i = 0; i < vec.length; i++) k += String.fromCharCode(48 + vec[i] - s.min);
    return k;
  };
  // one table per distinct step (the first step, in order, that has it)
  const tables: Float64Array[] = [];
  const tableSteps: CopyStep[] = [];
  const seenTables = new Set<string>();
  const addStep = (st: CopyStep) => {
    const t = new Float64Array(n);
    let k = '';
    let valid = 0;
    for (let v = s.min; v <= s.max; v++) {
      const r = stepValue(s, st, v);
      t[v - s.min] = r;
      if (r >= s.min) valid++;
      k += r >= s.min ? String.fromCharCode(48 + r - s.min) : '.';
    }
    if (valid === 0 || seenTables.has(`${st.ws.length === 1 ? 1 : 2}:${k}`)) return;
    seenTables.add(`${st.ws.length === 1 ? 1 : 2}:${k}`);
    tables.push(t);
    tableSteps.push(st);
  };
  for (const w of s.weights) if (w !== 0) for (let b = s.min; b <= s.max; b++) addStep({ ws: [w], b });
  if (COPY_CHAIN_MAX_TERMS >= 2)
    for (const w1 of s.weights)
      for (const w2 of s.weights)
        if (w1 !== 0 && w2 !== 0) for (let b = s.min; b <= s.max; b++) addStep({ ws: [w1, w2], b });
  budget?.spend(tables.length * n, 'the copy-chain search');
  // the input x may be read by a two-term step only through a delay (one input, distinct sources)
  const delay: CopyStep = { ws: [s.one], b: 0 };
  let delayExact = s.weights.includes(s.one);
  for (let v = s.min; v <= s.max && delayExact; v++) delayExact = stepValue(s, delay, v) === v;
  const start = new Int32Array(n);
  for (let i = 0; i < n; i++) start[i] = s.min + i;
  const reached = new Map<string, Reached>();
  const startKey = key(start);
  reached.set(startKey, { parent: null, steps: [] });
  const queue: Int32Array[] = [start];
  const keys: string[] = [startKey];
  let remaining = targets.size - (targets.has(startKey) ? 1 : 0);
  let stopped = false;
  const present = new Uint8Array(n);
  const next = new Int32Array(n);
  for (let qi = 0; qi < queue.length && remaining > 0; qi++) {
    const g = queue[qi];
    const gk = keys[qi];
    const isInput = qi === 0;
    present.fill(0);
    for (let i = 0; i < n; i++) present[g[i] - s.min] = 1;
    budget?.spend(tables.length, 'the copy-chain search');
    for (let si = 0; si < tables.length; si++) {
      const st = tableSteps[si];
      if (isInput && st.ws.length > 1 && !delayExact) continue;
      const t = tables[si];
      let ok = true;
      for (let v = 0; v < n && ok; v++) if (present[v] === 1 && !(t[v] >= s.min)) ok = false;
      if (!ok) continue;
      let constant = true;
      for (let i = 0; i < n; i++) {
        next[i] = t[g[i] - s.min];
        if (next[i] !== next[0]) constant = false;
      }
      if (constant) continue;
      const k = key(next);
      if (reached.has(k)) continue;
      reached.set(k, { parent: gk, steps: isInput && st.ws.length > 1 ? [delay, st] : [st] });
      if (targets.has(k)) remaining--;
      if (reached.size >= COPY_CHAIN_MAX_STATES) {
        stopped = true;
        break;
      }
      queue.push(next.slice());
      keys.push(k);
    }
    if (stopped) break;
  }
  const found = new Map<string, CopyStep[]>();
  for (const k of targets) {
    if (!reached.has(k)) continue;
    const path: CopyStep[] = [];
    let at: string | null = k;
    while (at !== null) {
      const r = reached.get(at) as Reached;
      path.unshift(...r.steps);
      at = r.parent;
    }
    if (path.length > 0) found.set(k, path);
  }
  return { found, states: reached.size, stopped };
}

/** The vector key of e·[x ≥ t] or e·[x ≤ t]. */
function thresholdKey(s: Setting, e: number, dir: 'ge' | 'le', t: number): string {
  let k = '';
  for (let x = s.min; x <= s.max; x++) {
    const on = dir === 'ge' ? x >= t : x <= t;
    k += String.fromCharCode(48 + (on ? e : 0) - s.min);
  }
  return k;
}

/**
 * Searches a copy-chain certificate: the breadth-first search once, then for each candidate e (the chain
 * certificates' order) every threshold, the delay (1⊗h ⊕ 0), the AND and the emitters; returned only after
 * `verifyCopyChainCertificate`.
 */
export function findCopyChainCertificate(
  s: Setting,
  budget?: Budget,
): { certificate: CopyChainCertificate | null; tried: string[] } {
  const no = copyChainsApply(s);
  if (no) return { certificate: null, tried: [no] };
  const tried: string[] = [];
  const es = candidateEs(s);
  const targets = new Set<string>();
  for (const e of es)
    for (let t = s.min; t <= s.max; t++) {
      if (t > s.min) targets.add(thresholdKey(s, e, 'ge', t));
      if (t < s.max) targets.add(thresholdKey(s, e, 'le', t));
    }
  const { found, states, stopped } = searchCopyChains(s, targets, budget);
  const inW = weightMembership(s);
  for (const e of es) {
    const label = `e=${e}`;
    const ge: Array<CopyStep[] | null> = [];
    const le: Array<CopyStep[] | null> = [];
    let missing = '';
    for (let t = s.min; t <= s.max && !missing; t++) {
      const u = t > s.min ? (found.get(thresholdKey(s, e, 'ge', t)) ?? null) : null;
      const l = t < s.max ? (found.get(thresholdKey(s, e, 'le', t)) ?? null) : null;
      if (t > s.min && !u) missing = `no copy chain for x ≥ code ${t}`;
      else if (t < s.max && !l) missing = `no copy chain for x ≤ code ${t}`;
      ge.push(u);
      le.push(l);
    }
    if (missing) {
      tried.push(
        `${label}: ${missing} (${states} functions searched${stopped ? `, stopped at ${COPY_CHAIN_MAX_STATES}` : ''})`,
      );
      continue;
    }
    const delay: Step[] = [[s.one, 0]];
    if (!inW(s.one) || neuron(s, [s.one], [e], 0) !== e || neuron(s, [s.one], [0], 0) !== 0) {
      tried.push(`${label}: no one-step delay`);
      continue;
    }
    const and = findAndChain(s, e, budget);
    if (!and) {
      tried.push(`${label}: no AND gadget`);
      continue;
    }
    const emit = emittersFor(s, e, delay, budget);
    if (typeof emit === 'string') {
      tried.push(`${label}: ${emit}`);
      continue;
    }
    let pair = 0;
    for (const ch of [...ge, ...le]) if (ch) pair = Math.max(pair, ch.length);
    const cert: CopyChainCertificate = { e, delay, and, ge, le, pair, ...emit };
    const broken = verifyCopyChainCertificate(s, cert, budget);
    if (broken) {
      tried.push(`${label}: ${broken}`);
      continue;
    }
    return { certificate: cert, tried };
  }
  return { certificate: null, tried };
}

/**
 * Checks a copy-chain certificate: e ≠ 0, the delay on {0, e}, the AND on {0, e}² (`verifyDelayAndAnd`);
 * every threshold chain's parameters in W and 𝕀, its first step one term, its length at most `pair`, and
 * its gadget, padded, equal to e·[x ≥ t] resp. e·[x ≤ t] on every code (every neuron valid: NaN fails);
 * the emitters (G4). Null when all hold, else the first failure.
 */
export function verifyCopyChainCertificate(
  s: Setting,
  c: CopyChainCertificate,
  budget?: Budget,
): string | null {
  const no = copyChainsApply(s);
  if (no) return no;
  const inW = weightMembership(s);
  const common = verifyDelayAndAnd(s, c, inW);
  if (common) return common;
  if (c.delay.length !== 1) return 'the delay must be one step';
  if (c.ge.length !== s.size || c.le.length !== s.size) return 'expected a threshold chain per value';
  for (let t = s.min; t <= s.max; t++) {
    for (const dir of ['ge', 'le'] as const) {
      if ((dir === 'ge' && t === s.min) || (dir === 'le' && t === s.max)) continue;
      const name = `copy chain of x ${dir === 'ge' ? '≥' : '≤'} code ${t}`;
      const steps = (dir === 'ge' ? c.ge : c.le)[t - s.min];
      if (!steps || steps.length === 0) return `${name}: missing`;
      if (steps[0].ws.length !== 1) return `${name}: its first step reads the input more than once`;
      for (const st of steps) {
        if (st.ws.length === 0) return `${name}: a step without terms`;
        if (!st.ws.every(inW)) return `${name}: a weight outside the weight set`;
        if (!(Number.isInteger(st.b) && st.b >= s.min && st.b <= s.max)) return `${name}: a bias outside 𝕀`;
      }
      const padded = padCopy(steps, c.delay, c.pair);
      if (!padded) return `${name}: longer than ${c.pair} steps`;
      budget?.spend(s.size * padded.length, 'the copy-chain certificate check');
      const g = copyChainGadget(padded);
      for (let x = s.min; x <= s.max; x++) {
        const want = (dir === 'ge' ? x >= t : x <= t) ? c.e : 0;
        const got = runGadget(s, g, [x])[0];
        if (got !== want) return `${name} gives ${got} at x = code ${x} (expected ${want})`;
      }
    }
  }
  return verifyEmitters(s, c.e, c.beta, c.emitters, inW, new WeakSet<object>(), budget);
}

/** The detector D_z: AND(U_z, L_z) on chains padded to `pair`; U_max and L_min padded to pair + |AND|. */
export function copyChainDetector(s: Setting, c: CopyChainCertificate, z: number): Gadget {
  const end = c.pair + c.and.layers.length;
  const chain = (dir: 'ge' | 'le', depth: number) => {
    const steps = (dir === 'ge' ? c.ge : c.le)[z - s.min];
    const padded = steps ? padCopy(steps, c.delay, depth) : null;
    if (!padded) throw new Error(`copyChainDetector: D_${z} cannot be built`);
    return copyChainGadget(padded);
  };
  if (z === s.min) return chain('le', end);
  if (z === s.max) return chain('ge', end);
  return stack(parallel(chain('ge', c.pair), chain('le', c.pair)), c.and);
}

/** The detector with the most parameters (the formats are tiny: every detector is built). */
export function largestCopyChainDetector(s: Setting, c: CopyChainCertificate): Gadget {
  let best = copyChainDetector(s, c, s.min);
  for (let z = s.min + 1; z <= s.max; z++) {
    const d = copyChainDetector(s, c, z);
    if (gadgetParameters(d) > gadgetParameters(best)) best = d;
  }
  return best;
}

/** The certificate in the general form (every detector as a gadget), for export and exhaustive checks. */
export function materializeCopyChainCertificate(s: Setting, c: CopyChainCertificate): Certificate {
  const detectors: Gadget[] = [];
  for (let z = s.min; z <= s.max; z++) detectors.push(copyChainDetector(s, c, z));
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
