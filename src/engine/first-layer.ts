import { intGcd } from '../core/int-gcd.js';
import { type BiasRows, biasRows } from './bias-rows.js';
import { type DistStats, separatingBias, splitByValues, splitByWeight, weightOrder } from './dist.js';
import { neuron, type Setting } from './setting.js';

/**
 * A first-layer neuron of a 1-input network whose edges all come from the one input, in order
 * (THEORY §4 allows several edges from one source): x ↦ σ_F(acc(w_1⊗x, …, w_k⊗x; b)). Codes.
 */
export interface EdgeNeuron {
  readonly weights: readonly number[];
  readonly bias: number;
}

/** Budget of the repeated-edge search for one pair. */
export interface FirstLayerBudget {
  /** Most accumulator pairs visited (sequential accumulation). Default 2^21. */
  readonly maxStates?: number;
  /** Most elementary steps (transitions, bias comparisons, multipliers). Default 2·10^8. */
  readonly maxWork?: number;
}

export type PairSeparation =
  /** `valid`: the neuron is valid on every input (always true except under overflow `error`). */
  | { readonly kind: 'separated'; readonly neuron: EdgeNeuron; readonly valid: boolean }
  /**
   * No first-layer neuron separates x and y. `escape`: values [v, v'] (v ≠ v') that no network without
   * hidden layers maps x and y to (a single identity output neuron reading the input), or null when
   * none was found: with an escape, no 1-input network computes a function f with f(x) = v, f(y) = v'.
   */
  | { readonly kind: 'inseparable'; readonly escape: readonly [number, number] | null }
  | { readonly kind: 'too-big'; readonly reason: string };

/** The output of a repeated-edge neuron on input x (NaN when invalid). */
export function edgeNeuronOutput(s: Setting, n: EdgeNeuron, x: number): number {
  return neuron(
    s,
    n.weights,
    n.weights.map(() => x),
    n.bias,
  );
}

function validEverywhere(s: Setting, n: EdgeNeuron): boolean {
  for (let z = s.min; z <= s.max; z++) if (!(edgeNeuronOutput(s, n, z) >= s.min)) return false;
  return true;
}

/**
 * Whether some first-layer neuron with any number of edges from the input separates x and y
 * (docs/theory.md, "Repeated edges"). Sequential accumulation: a breadth-first search over the pairs
 * (acc(x), acc(y)) reachable by appending edges, each pair then tested against every bias with the
 * bias rows; a pair state counts when both accumulators are valid, so under overflow `error` a
 * separating neuron found may be invalid on another input (`valid: false`), while `inseparable` is
 * exact. Exact accumulation: the neuron is σ_F(rnd(b + c·x)) for c a sum of weights, and only
 * finitely many c give distinct rows (constant beyond saturation, periodic under wrap).
 */
export function repeatedEdgeSeparation(
  s: Setting,
  x: number,
  y: number,
  budget: FirstLayerBudget = {},
  rows: BiasRows = biasRows(s),
): PairSeparation {
  const maxStates = budget.maxStates ?? 2 ** 21;
  const maxWork = budget.maxWork ?? 2e8;
  return s.accumulation === 'sequential'
    ? sequentialSearch(s, rows, x, y, maxStates, maxWork)
    : exactSearch(s, rows, x, y, maxWork);
}

function sequentialSearch(
  s: Setting,
  rows: BiasRows,
  x: number,
  y: number,
  maxStates: number,
  maxWork: number,
): PairSeparation {
  const { min, max, size: N } = s;
  const symbols = rows.symbols;
  // distinct increments (w⊗x, w⊗y), first weight kept
  const incX: number[] = [];
  const incY: number[] = [];
  const incW: number[] = [];
  const seenInc = new Set<number>();
  for (const w of weightOrder(s)) {
    const dx = s.mul(w, x);
    const dy = s.mul(w, y);
    if (!(dx >= min && dy >= min)) continue;
    const k = (dx - min) * N + (dy - min);
    if (seenInc.has(k)) continue;
    seenInc.add(k);
    incX.push(dx);
    incY.push(dy);
    incW.push(w);
  }
  const parent = new Map<number, number>(); // state → previous state (−1 for a start)
  const via = new Map<number, number>(); // state → weight of the last edge, or the start bias
  const queue: number[] = [];
  const key = (a: number, c: number) => (a - min) * N + (c - min);
  if (s.bias === 'last') {
    parent.set(key(0, 0), -1);
    via.set(key(0, 0), Number.NaN);
    queue.push(key(0, 0));
  } else {
    for (let b = min; b <= max; b++) {
      parent.set(key(b, b), -1);
      via.set(key(b, b), b);
      queue.push(key(b, b));
    }
  }
  let work = 0;
  const found = (k: number, bias: number): PairSeparation => {
    const weights: number[] = [];
    let b = bias;
    for (let cur = k; cur !== -1; cur = parent.get(cur)!) {
      const p = parent.get(cur)!;
      if (p === -1) {
        if (s.bias === 'first') b = via.get(cur)!;
      } else weights.push(via.get(cur)!);
    }
    weights.reverse();
    const n: EdgeNeuron = { weights, bias: b };
    return { kind: 'separated', neuron: n, valid: validEverywhere(s, n) };
  };
  for (let head = 0; head < queue.length; head++) {
    const k = queue[head];
    const a = Math.floor(k / N) + min;
    const c = (k % N) + min;
    if (a !== c) {
      if (s.bias === 'first') {
        const u = s.sigma[a - min];
        const v = s.sigma[c - min];
        if (u >= min && v >= min && u !== v) return found(k, Number.NaN);
      } else {
        // rows of the accumulators a and c over every bias (offset u − min, as for u = w⊗x)
        const p = a - min;
        const q = c - min;
        if (!rows.allValid || !rows.same(p, q, min, max)) {
          work += N;
          for (let b = min; b <= max; b++) {
            const u = symbols[p + b - min];
            const v = symbols[q + b - min];
            if (u !== 0 && v !== 0 && u !== v) return found(k, b);
          }
        }
      }
    }
    work += incX.length;
    if (work > maxWork || parent.size > maxStates) {
      return {
        kind: 'too-big',
        reason: `the search over accumulator pairs for (${x}, ${y}) exceeded its budget (${parent.size} pairs, ${work} steps)`,
      };
    }
    for (let i = 0; i < incX.length; i++) {
      const na = s.add(a, incX[i]);
      const nc = s.add(c, incY[i]);
      if (!(na >= min && nc >= min)) continue;
      const nk = key(na, nc);
      if (parent.has(nk)) continue;
      parent.set(nk, k);
      via.set(nk, incW[i]);
      queue.push(nk);
    }
  }
  return { kind: 'inseparable', escape: sequentialEscape(s, queue, maxWork - work) };
}

/** Up to this many values, escapes are searched among all pairs (a bitmap of |𝕀|² pairs). */
const FULL_ESCAPE_VALUES = 256;

/** Candidate escapes for larger formats: distinct pairs of extreme values and 0. */
function escapeCandidates(s: Setting): [number, number][] {
  const vals = [...new Set([s.min, s.min + 1, 0, s.max - 1, s.max])].filter((v) => v >= s.min && v <= s.max);
  const out: [number, number][] = [];
  for (const v of vals) for (const u of vals) if (u !== v) out.push([v, u]);
  return out.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
}

/** The biases b with a ⊕ b = v, as an interval (⊕ is monotone in b under saturate and error, one-to-one under wrap). */
function biasesTo(s: Setting, a: number, v: number): [number, number] | null {
  const { min, max, size: N } = s;
  let lo: number;
  let hi: number;
  if (s.policy.overflow === 'wrap') lo = hi = ((((v - a - min) % N) + N) % N) + min;
  else if (s.policy.overflow === 'saturate' && v === min) [lo, hi] = [min, Math.min(max, min - a)];
  else if (s.policy.overflow === 'saturate' && v === max) [lo, hi] = [Math.max(min, max - a), max];
  else lo = hi = v - a;
  lo = Math.max(lo, min);
  hi = Math.min(hi, max);
  return lo <= hi && s.add(a, lo) === v && s.add(a, hi) === v ? [lo, hi] : null;
}

/**
 * An escape for sequential accumulation from every reachable accumulator pair (a, a'): an identity
 * output neuron maps (x, y) to (a ⊕ b, a' ⊕ b) (bias last) or (a, a') (bias first). Pairs are counted
 * when valid at x and y, a superset of the valid neurons' pairs, so an unreached pair is an escape.
 */
function sequentialEscape(s: Setting, states: readonly number[], work: number): [number, number] | null {
  const { min, max, size: N } = s;
  const last = s.bias === 'last';
  if (N <= FULL_ESCAPE_VALUES && states.length * (last ? N : 1) <= work) {
    const seen = new Uint8Array(N * N);
    for (const k of states) {
      const a = Math.floor(k / N) + min;
      const c = (k % N) + min;
      if (!last) seen[k] = 1;
      else
        for (let b = min; b <= max; b++) {
          const u = s.add(a, b);
          const v = s.add(c, b);
          if (u >= min && v >= min) seen[(u - min) * N + (v - min)] = 1;
        }
    }
    for (let i = 0; i < N * N; i++)
      if (seen[i] === 0 && Math.floor(i / N) !== i % N) return [Math.floor(i / N) + min, (i % N) + min];
    return null;
  }
  const candidates = escapeCandidates(s);
  if (states.length * candidates.length > work) return null;
  const keys = new Set(states);
  for (const [v, u] of candidates) {
    let reached = false;
    for (let i = 0; i < states.length && !reached; i++) {
      const a = Math.floor(states[i] / N) + min;
      const c = (states[i] % N) + min;
      if (!last) reached = keys.has((v - min) * N + (u - min));
      else {
        const p = biasesTo(s, a, v);
        const q = biasesTo(s, c, u);
        reached = p !== null && q !== null && Math.max(p[0], q[0]) <= Math.min(p[1], q[1]);
      }
    }
    if (!reached) return [v, u];
  }
  return null;
}

/** Weights of W summing to c (c in the monoid W generates; W is all codes or ±1). */
function decompose(s: Setting, c: number): number[] {
  if (c === 0) return [];
  const big = c > 0 ? Math.max(...s.weights) : Math.min(...s.weights);
  const t = Math.trunc(c / big);
  const r = c - t * big;
  const out: number[] = new Array(t).fill(big);
  if (r !== 0) out.push(r);
  if (!out.every((w) => s.weights.includes(w))) throw new Error(`decompose: ${c} is not a sum of weights`);
  return out;
}

function exactSearch(s: Setting, rows: BiasRows, x: number, y: number, maxWork: number): PairSeparation {
  const { size: N, one } = s;
  const pos = s.weights.some((w) => w > 0);
  const neg = s.weights.some((w) => w < 0);
  const g = s.weights.reduce(intGcd, 0);
  if (g === 0) return { kind: 'inseparable', escape: exactEscape(s, x, y, 0, 0, 1, maxWork) };
  // rows are constant in c beyond cSide (saturate, error), periodic with period N·one beyond it (wrap)
  const small = Math.min(...[x, y].filter((v) => v !== 0).map(Math.abs));
  const cSide = Math.ceil(((2 * N + 3) * one) / small) + 1;
  const reach = s.policy.overflow === 'wrap' ? cSide + N * one : cSide;
  const lo = neg ? -reach : 0;
  const hi = pos ? reach : 0;
  if ((hi - lo) / g > maxWork) {
    return {
      kind: 'too-big',
      reason: `the search over sums of weights for (${x}, ${y}) needs ${Math.round((hi - lo) / g)} multipliers`,
    };
  }
  // |c| ascending: small multipliers give short neurons
  for (let m = 0; m <= reach; m += g) {
    for (const c of m === 0 ? [0] : [m, -m]) {
      if (c < lo || c > hi) continue;
      const b = separatingBias(rows, c, x, y);
      if (b !== null) {
        const n: EdgeNeuron = { weights: decompose(s, c), bias: b };
        return { kind: 'separated', neuron: n, valid: true };
      }
    }
  }
  return { kind: 'inseparable', escape: exactEscape(s, x, y, lo, hi, g, maxWork) };
}

/** An escape under exact accumulation: identity neurons map (x, y) to (rnd(b + c·x), rnd(b + c·y)). */
function exactEscape(
  s: Setting,
  x: number,
  y: number,
  lo: number,
  hi: number,
  g: number,
  work: number,
): [number, number] | null {
  const { min, max, size: N, one } = s;
  if (N > FULL_ESCAPE_VALUES || ((hi - lo) / g + 1) * N > work) return null;
  const seen = new Uint8Array(N * N);
  // multipliers are sums of weights: multiples of g (lo itself need not be one)
  for (let c = Math.ceil(lo / g) * g; c <= hi; c += g) {
    for (let b = min; b <= max; b++) {
      const u = s.roundWide(b * one + c * x);
      const v = s.roundWide(b * one + c * y);
      if (u >= min && v >= min) seen[(u - min) * N + (v - min)] = 1;
    }
  }
  for (let i = 0; i < N * N; i++)
    if (seen[i] === 0 && Math.floor(i / N) !== i % N) return [Math.floor(i / N) + min, (i % N) + min];
  return null;
}

export interface FirstLayerDistResult {
  /**
   * `holds`: every pair x ≠ y is separated by some valid first-layer neuron (edges may repeat).
   * `fails`: `witness` is separated by none and `escape` is reached by no network without hidden
   * layers — a proof of non-universality (docs/theory.md, "Repeated edges").
   * `unknown`: a pair exceeded the search budget, or (overflow `error`) was separated only by a neuron
   * that is invalid on another input, or the witness has no escape (see `reason`).
   */
  readonly status: 'holds' | 'fails' | 'unknown';
  /** The lexicographically first pair no first-layer neuron separates (codes), or null. */
  readonly witness: readonly [number, number] | null;
  /** Values [v, v'], v ≠ v': no 1-input network maps the witness to them (null unless `fails`). */
  readonly escape: readonly [number, number] | null;
  /** The first pair no single-edge neuron separates (the DIST witness), or null when DIST holds. */
  readonly unaryWitness: readonly [number, number] | null;
  /** Pairs no single-edge neuron separates but a neuron with repeated edges does, in the order met. */
  readonly separated: ReadonlyArray<{
    readonly pair: readonly [number, number];
    readonly neuron: EdgeNeuron;
  }>;
  /** Why the status is `unknown` (empty otherwise). */
  readonly reason: string;
  readonly stats: DistStats;
}

/**
 * DIST for first-layer neurons with any number of edges from the input (docs/theory.md, "Repeated
 * edges"): the same partition refinement as `checkDist` (unary neurons first, all biases per pass);
 * a pair that no unary neuron separates goes to `repeatedEdgeSeparation`, and the partition is then
 * split by the values of the neuron found. The first pair that no neuron separates is the witness, and
 * it is the lexicographically first such pair for the reason given at `checkDist`.
 */
export function checkFirstLayerDist(s: Setting, budget: FirstLayerBudget = {}): FirstLayerDistResult {
  const start = performance.now();
  const rows = biasRows(s);
  const { min, size: N } = s;
  const order = weightOrder(s);
  const cls = new Int32Array(N);
  const count = new Int32Array(N + 1);
  let classes = 1;
  let passes = 0;
  let weightsTried = 0;
  let unaryWitness: readonly [number, number] | null = null;
  const separated: { pair: readonly [number, number]; neuron: EdgeNeuron }[] = [];
  const done = (
    status: FirstLayerDistResult['status'],
    witness: readonly [number, number] | null,
    reason = '',
    escapePair: readonly [number, number] | null = null,
  ): FirstLayerDistResult => ({
    status,
    witness,
    escape: escapePair,
    unaryWitness,
    separated,
    reason,
    stats: { passes, weightsTried, classes, millis: performance.now() - start },
  });
  for (;;) {
    count.fill(0);
    for (let i = 0; i < N; i++) count[cls[i]]++;
    let xi = 0;
    while (xi < N && count[cls[xi]] < 2) xi++;
    if (xi === N) return done('holds', null);
    let yi = xi + 1;
    while (cls[yi] !== cls[xi]) yi++;
    const pair = [xi + min, yi + min] as const;
    let found: number | null = null;
    for (const w of order) {
      weightsTried++;
      if (separatingBias(rows, w, pair[0], pair[1]) !== null) {
        found = w;
        break;
      }
    }
    if (found !== null) {
      passes++;
      classes = splitByWeight(rows, found, cls);
      continue;
    }
    if (unaryWitness === null) unaryWitness = pair;
    const r = repeatedEdgeSeparation(s, pair[0], pair[1], budget, rows);
    if (r.kind === 'inseparable') {
      return r.escape !== null
        ? done('fails', pair, '', r.escape)
        : done(
            'unknown',
            pair,
            `no first-layer neuron separates (${pair[0]}, ${pair[1]}), but networks without hidden layers were not shown to miss a pair of distinct values there`,
          );
    }
    if (r.kind === 'too-big') return done('unknown', null, r.reason);
    if (!r.valid) {
      return done(
        'unknown',
        null,
        `(${pair[0]}, ${pair[1]}) is separated only by a neuron found to overflow on another input`,
      );
    }
    separated.push({ pair, neuron: r.neuron });
    const out = new Float64Array(N);
    for (let i = 0; i < N; i++) out[i] = edgeNeuronOutput(s, r.neuron, i + min);
    passes++;
    classes = splitByValues(out, cls);
  }
}
