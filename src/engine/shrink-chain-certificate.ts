/**
 * Shrinking-chain certificates (docs/theory.md §10.9, Proposition SC): chain certificates (§9.2) whose
 * threshold chains are as deep as the format needs, for σ_F the identity on the codes under overflow
 * `error` with all weights, where nothing saturates and the only non-linearity is the rounding of
 * w·h/2ⁿ. A step h ↦ w⊗h ⊕ b with a small weight (±ε, ±2ε, …, ±½) maps an interval of width W onto one of
 * width about |w|·W, so a chain of about log₂|𝕀| / log₂(1/|w|) steps brings the two sides [min, t − 1] and
 * [t, max] of a threshold to two single values, as long as each step keeps the two sides apart (their
 * images stay disjoint: each step's pre-activation is monotone in h). The beam searches of §9.3 stop at
 * depth 3–4 and do not reach them (on Q5.1 under floor, x ≤ min needs 8 steps).
 *
 * Every threshold chain is a head h ↦ w⊗h ⊕ b (|w| ≤ ½, valid on all of 𝕀) that puts t − 1 and t on the two
 * sides of a split s, followed by one rest chain R_s per split and direction, built greedily on the whole
 * halves [min, s − 1] and [s, max] (a superset of every head's images). The certificate is an ordinary
 * `ChainCertificate` (e = ε, P = 1⊗h, AND = a sum u + v − ε followed by a rest chain, emitters of §9.3) and
 * is checked by `verifyChainCertificate`: every threshold chain proved on its two intervals by interval
 * images (§9.1), AND and delay on their inputs, every emitter at 0 and e. The construction is a search
 * aid; the proof is §9.2's proposition.
 */

import type { Budget } from './budget.js';
import {
  andGadget,
  type ChainCertificate,
  emittersFor,
  verifyChainCertificate,
} from './chain-certificate.js';
import type { Step } from './chain-solver.js';
import type { Gadget } from './gadget.js';
import { headChainProves, type SigmaRanges, sigmaRanges, stepPre } from './interval-chain.js';
import { preActivation, type Setting } from './setting.js';

/** Most steps of one rest chain (16-bit formats with one fraction bit need about 17). */
const MAX_REST_DEPTH = 40;

export interface ShrinkChainReport {
  readonly certificate: ChainCertificate | null;
  readonly tried: string[];
}

/** Null when the hypotheses hold (σ_F the identity on every code, overflow error, all weights, ±1 ∈ W). */
export function shrinkChainsApply(s: Setting): string | null {
  if (s.policy.overflow !== 'error') return 'needs overflow error';
  if (s.weightSet !== 'all') return 'needs all weights';
  if (!s.sigma.every((v, i) => v === s.min + i)) return 'needs σ_F the identity on the codes';
  if (s.one > s.max || -s.one < s.min) return 'needs ±1 among the weights (max ≥ 1)';
  if (s.one < 2) return 'needs a fraction bit (integer formats: Proposition EA, docs/theory.md §10.4)';
  return null;
}

/** The pre-activation of (w, b) at h, or NaN when it raises. */
const pre = (s: Setting, w: number, b: number, h: number): number => {
  const p = stepPre(s, w, b, h);
  return p >= s.min && p <= s.max ? p : Number.NaN;
};

/** The weights a shrinking step tries: ±ε·2^k for 2^k ≤ ½ (the smallest first), then ±(½ ± ε). */
function shrinkWeights(s: Setting): number[] {
  const out: number[] = [];
  for (let c = 1; c <= s.one / 2; c *= 2) out.push(c, -c);
  for (const c of [s.one / 2 + 1, s.one / 2 - 1]) if (c > 0 && c < s.one && !out.includes(c)) out.push(c, -c);
  return out;
}

/** Most states one rest search visits (a depth-first search, greedy order first). */
const MAX_REST_NODES = 4000;

type Side = readonly [number, number];

/** The end of a rest: neighbouring single values z, z ± 1 sent to 0 and ε by ±1⊗h ⊕ b; null if none. */
function finalStep(s: Setting, z: Side, e: Side): Step | null {
  if (!(z[0] === z[1] && e[0] === e[1] && Math.abs(e[0] - z[0]) === 1)) return null;
  const w = e[0] > z[0] ? s.one : -s.one;
  const b = -pre(s, w, 0, z[0]);
  if (Number.isNaN(b) || b < s.min || b > s.max) return null;
  return pre(s, w, b, z[0]) === 0 && pre(s, w, b, e[0]) === 1 ? [w, b] : null;
}

/**
 * The steps (w, b) with a shrinking weight that keep the two sides apart and narrow their union, with the
 * images, narrowest first. Biases: the union centred or at either end of the range, and the gap between
 * the sides next to 0 (toward-zero and nearest-even read the sign or parity of the sum), each ±3 codes.
 */
function moves(
  s: Setting,
  ws: readonly number[],
  z: Side,
  e: Side,
): Array<{ step: Step; z: Side; e: Side; width: number }> {
  const out: Array<{ step: Step; z: Side; e: Side; width: number }> = [];
  const before = Math.max(z[1], e[1]) - Math.min(z[0], e[0]);
  for (const w of ws) {
    const p0 = [z[0], z[1], e[0], e[1]].map((h) => stepPre(s, w, 0, h));
    if (!p0.every((p) => p >= s.min)) continue;
    const lo = Math.min(...p0);
    const hi = Math.max(...p0);
    const gap = stepPre(s, w, 0, z[0] < e[0] ? z[1] : e[1]);
    const cands = new Set<number>();
    const centre = -Math.round((lo + hi) / 2);
    for (const base of [centre, s.min - lo, s.max - hi, -gap])
      for (let d = -3; d <= 3; d++) {
        const b = base + d;
        if (b >= s.min && b <= s.max) cands.add(b);
      }
    for (const b of cands) {
      const a1 = pre(s, w, b, z[0]);
      const a2 = pre(s, w, b, z[1]);
      const c1 = pre(s, w, b, e[0]);
      const c2 = pre(s, w, b, e[1]);
      if (Number.isNaN(a1 + a2 + c1 + c2)) continue;
      const nz: Side = [Math.min(a1, a2), Math.max(a1, a2)];
      const ne: Side = [Math.min(c1, c2), Math.max(c1, c2)];
      if (!(nz[1] < ne[0] || ne[1] < nz[0])) continue;
      const width = Math.max(nz[1], ne[1]) - Math.min(nz[0], ne[0]);
      if (width >= before) continue;
      out.push({ step: [w, b], z: nz, e: ne, width });
    }
  }
  return out.sort((x, y) => x.width - y.width || Math.abs(x.step[1]) - Math.abs(y.step[1]));
}

/**
 * A chain sending every value of `zero` to 0 and every value of `one` to e = 1 (ε), each step valid on the
 * current intervals (monotone pre-activations: valid at both ends): a depth-first search over the steps of
 * `moves` (narrowest first; every step narrows the union, so it ends), until the two sides are neighbouring
 * single values, then ±1⊗h ⊕ b onto (0, ε). Null when none is found within MAX_REST_NODES states.
 */
export function shrinkRest(s: Setting, zero: Side, one: Side): Step[] | null {
  const ws = shrinkWeights(s);
  let nodes = 0;
  const seen = new Set<string>();
  const go = (z: Side, e: Side, depth: number): Step[] | null => {
    const last = finalStep(s, z, e);
    if (last) return [last];
    if (depth >= MAX_REST_DEPTH || ++nodes > MAX_REST_NODES) return null;
    const key = `${z[0]},${z[1]},${e[0]},${e[1]}`;
    if (seen.has(key)) return null;
    seen.add(key);
    for (const m of moves(s, ws, z, e)) {
      const tail = go(m.z, m.e, depth + 1);
      if (tail) return [m.step, ...tail];
      if (nodes > MAX_REST_NODES) return null;
    }
    return null;
  };
  return go(zero, one, 0);
}

/**
 * AND on {0, ε}²: one neuron w⊗u ⊕ w⊗v ⊕ b (w = ½ or 1, |b| ≤ 2 codes) whose value at (ε, ε) lies apart from
 * its values at the three other points, then a rest sending those to 0 and it to ε (none when the neuron
 * already gives 0 and ε). Checked on {0, ε}² by `verifyDelayAndAnd`.
 */
function shrinkAnd(s: Setting): Gadget | null {
  for (const w of [s.one / 2, s.one])
    for (const b of [0, -1, 1, -2, 2]) {
      const out = [
        [0, 0],
        [1, 0],
        [0, 1],
        [1, 1],
      ].map(([u, v]) => preActivation(s, [w, w], [u, v], b));
      if (!out.every((o) => o >= s.min && o <= s.max)) continue;
      const lo = Math.min(out[0], out[1], out[2]);
      const hi = Math.max(out[0], out[1], out[2]);
      if (out[3] >= lo && out[3] <= hi) continue;
      if (lo === 0 && hi === 0 && out[3] === 1) return andGadget(w, b, []);
      const rest = shrinkRest(s, [lo, hi], [out[3], out[3]]);
      if (rest) return andGadget(w, b, rest);
    }
  return null;
}

/** The splits the rests are built at, near 0 first. */
function splitOrder(s: Setting): number[] {
  const out: number[] = [];
  for (let k = 0; out.length < 8 && k < s.size; k++)
    for (const v of k === 0 ? [0] : [k, -k]) if (v > s.min && v <= s.max) out.push(v);
  return out;
}

/**
 * Every threshold chain: a head (w, b) with |w| ≤ ½ putting t − 1 and t on the two sides of a split, then
 * that split's rest (`up`: [s, max] → ε, `down`: [min, s − 1] → ε), proved on the head's images.
 */
function thresholds(
  s: Setting,
  r: SigmaRanges,
  budget?: Budget,
): { ge: (Step[] | null)[]; le: (Step[] | null)[] } | string {
  const splits = splitOrder(s);
  const rests = new Map<string, Step[] | null>();
  const rest = (kind: 'up' | 'down', split: number): Step[] | null => {
    const key = `${kind}${split}`;
    if (!rests.has(key)) {
      const lower: [number, number] = [s.min, split - 1];
      const upper: [number, number] = [split, s.max];
      rests.set(key, kind === 'up' ? shrinkRest(s, lower, upper) : shrinkRest(s, upper, lower));
    }
    return rests.get(key) as Step[] | null;
  };
  const heads = shrinkWeights(s).sort((a, b) => Math.abs(b) - Math.abs(a) || b - a);
  const one = (dir: 'ge' | 'le', t: number): Step[] | null => {
    // the inside of the threshold and its outside
    const [inLo, inHi] = dir === 'ge' ? [t, s.max] : [s.min, t];
    const [outLo, outHi] = dir === 'ge' ? [s.min, t - 1] : [t + 1, s.max];
    // the inside value next to the outside, and its outside neighbour
    const edge = t;
    const nb = dir === 'ge' ? t - 1 : t + 1;
    for (const w of heads) {
      const base = stepPre(s, w, 0, edge);
      if (!(base >= s.min)) continue;
      for (const split of splits)
        for (const kind of ['up', 'down'] as const) {
          // up: the inside goes to [split, max]; down: to [min, split − 1]
          for (const d of [0, 1, -1]) {
            const b = (kind === 'up' ? split : split - 1) - base + d;
            if (b < s.min || b > s.max) continue;
            // O(1) first: t and its outside neighbour on the two sides of the split
            const pe = pre(s, w, b, edge);
            const pn = pre(s, w, b, nb);
            if (kind === 'up' ? !(pe >= split && pn < split) : !(pe < split && pn >= split)) continue;
            const head: Step = [w, b];
            const chain = rest(kind, split);
            if (!chain) continue;
            if (
              headChainProves(r, head, chain, inLo, inHi, 1) &&
              headChainProves(r, head, chain, outLo, outHi, 0)
            )
              return [head, ...chain];
          }
        }
    }
    return null;
  };
  const ge: (Step[] | null)[] = new Array(s.size).fill(null);
  const le: (Step[] | null)[] = new Array(s.size).fill(null);
  // the ends first: they fail first when anything fails
  const order: number[] = [s.min, s.max, s.min + 1, s.max - 1];
  for (let t = s.min; t <= s.max; t++) order.push(t);
  for (const t of order) {
    if ((t - s.min) % 1024 === 0) budget?.spend(1024 * 64, 'the shrinking-chain thresholds');
    if (t > s.min && !ge[t - s.min]) {
      const c = one('ge', t);
      if (!c) return `no shrinking chain for x ≥ code ${t}`;
      ge[t - s.min] = c;
    }
    if (t < s.max && !le[t - s.min]) {
      const c = one('le', t);
      if (!c) return `no shrinking chain for x ≤ code ${t}`;
      le[t - s.min] = c;
    }
  }
  return { ge, le };
}

/**
 * Searches a shrinking-chain certificate (e = ε, P = 1⊗h, AND = (u + v − ε) then a rest onto (0, ε));
 * verified by `verifyChainCertificate` before it is returned.
 */
export function findShrinkChainCertificate(s: Setting, budget?: Budget): ShrinkChainReport {
  const no = shrinkChainsApply(s);
  if (no) return { certificate: null, tried: [no] };
  const e = 1;
  const delay: Step[] = [[s.one, 0]];
  const and = shrinkAnd(s);
  if (!and)
    return { certificate: null, tried: ['no AND gadget (a sum w⊗u ⊕ w⊗v ⊕ b, w = 1 or ½, then a rest)'] };
  const r = sigmaRanges(s);
  const th = thresholds(s, r, budget);
  if (typeof th === 'string') return { certificate: null, tried: [th] };
  const emit = emittersFor(s, e, delay, budget, false);
  if (typeof emit === 'string') return { certificate: null, tried: [emit] };
  const cert: ChainCertificate = { e, delay, and, ...th, ...emit };
  const failure = verifyChainCertificate(s, cert, budget);
  if (failure) return { certificate: null, tried: [failure] };
  return { certificate: cert, tried: [] };
}
