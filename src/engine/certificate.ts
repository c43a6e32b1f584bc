import type { Budget } from './budget.js';
import { candidateWeights, STEP_INVALID, type Step, solveChain, stepTable } from './chain-solver.js';
import {
  chainGadget,
  type Gadget,
  gadgetOutputs,
  parallel,
  parameterOutside,
  runGadget,
  stack,
} from './gadget.js';
import {
  contributesNothing,
  idleMask,
  isZeroIdle,
  kills,
  type Levels,
  readoutWeights,
  zeroLevels,
} from './levels.js';
import { neuron, preActivation, type Setting, unary } from './setting.js';

/** An emitter E_y: a 1-input gadget and one output weight per gadget output (THEORY §5.2, G4). */
export interface Emitter {
  readonly gadget: Gadget;
  readonly weights: readonly number[];
}

/**
 * A certificate of universality (THEORY §5.2, generalised in docs/theory.md §8), on codes: the active
 * value e (a), the idle set I with a readout weight ω (ω ⊗ i = 0 for every i ∈ I, ω ⊗ a ≠ 0; I = {0}
 * is the classical template), a detector D_z for every z ∈ 𝕀 (index z − min), the AND gadget, the delay
 * P, and an emitter E_y for every y with the output bias β. Gadget outputs are a when active and in I
 * when idle. All detectors have one depth, all emitters one depth.
 */
export interface Certificate {
  /** The active value a. */
  readonly e: number;
  /** The idle set I (increasing codes); [0] for the classical template. */
  readonly idle: readonly number[];
  /** A readout weight ω: ω ⊗ i = 0 for every i ∈ I (ω · i = 0 under exact accumulation), ω ⊗ a ≠ 0. */
  readonly omega: number;
  readonly detectors: readonly Gadget[];
  readonly and: Gadget;
  readonly delay: Gadget;
  readonly beta: number;
  readonly emitters: readonly Emitter[];
}

/** What a budget names when the exhaustive search (formats of at most 256 values) runs out of it. */
export const EXHAUSTIVE_SEARCH = 'the exhaustive certificate search';

/** What the search tried, for `undetermined` verdicts. */
export interface SearchReport {
  readonly certificate: Certificate | null;
  readonly tried: string[];
}

/** The values tried as e, in order of preference: 1 (emitters become single weights), then σ_F's plateaus. */
export function candidateEs(s: Setting): number[] {
  const out: number[] = [];
  const add = (c: number) => {
    if (c >= s.min && c <= s.max && c !== 0 && !out.includes(c)) out.push(c);
  };
  add(s.one);
  add(s.sigma[s.size - 1]);
  add(s.sigma[0]);
  add(s.max);
  add(s.one / 2);
  add(1);
  add(-s.one);
  return out.filter((c) => Number.isInteger(c));
}

/** The chain solver's idle option: none for I = {0} (the classical search, unchanged), else I. */
function idleOption(lv: Levels): { idle?: readonly number[] } {
  return isZeroIdle(lv) ? {} : { idle: lv.idle };
}

/** Output of a 1-output gadget on a scalar input. */
function run1(s: Setting, g: Gadget, x: number): number {
  return runGadget(s, g, [x])[0];
}

/** A chain padded with delay copies to `depth` (the delay is a chain on {0, e}). */
function padChain(steps: readonly Step[], delay: readonly Step[], depth: number): Step[] | null {
  const out = [...steps];
  while (out.length < depth) {
    if (out.length + delay.length > depth) return null;
    out.push(...delay);
  }
  return out.length === depth ? out : null;
}

/** Searches the AND gadget: one neuron over (u, v) followed by a chain, on (I ∪ {a})². */
export function findAnd(s: Setting, lv: Levels): Gadget | null {
  return findGate(s, lv, (u, v) => u && v, true);
}

/**
 * Searches the AND-NOT gadget a·[u = a ∧ v idle] (idle outputs in I) on the inputs with u idle ∧ v idle,
 * u = a ∧ v idle and u = a ∧ v = a (v = a with u idle never occurs when v = a·[x ≥ t'] and
 * u = a·[x ≥ t] with t < t'): interval detectors from two upward thresholds.
 */
export function findAndNot(s: Setting, lv: Levels): Gadget | null {
  return findGate(s, lv, (u, v) => (!u && v ? null : u && !v), false);
}

/**
 * A 2-input gate: one neuron over (u, v) ∈ (I ∪ {a})² followed by a chain, with `truth(u active,
 * v active)` true → a, false → a value of I, null → don't care. `symmetric` tries equal weights first
 * (AND). With I = {0} the inputs are {0, e}².
 */
function findGate(
  s: Setting,
  lv: Levels,
  truth: (u: boolean, v: boolean) => boolean | null,
  symmetric: boolean,
): Gadget | null {
  const e = lv.a;
  const inIdle = idleMask(s, lv.idle);
  const ws = candidateWeights(s);
  const levels = (active: boolean) => (active ? [e] : lv.idle);
  const points: Array<[number, number, boolean]> = [];
  for (const [u, v] of [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ] as const) {
    const on = truth(u, v);
    if (on === null) continue;
    for (const hu of levels(u)) for (const hv of levels(v)) points.push([hu, hv, on]);
  }
  const states: Array<{ w1: number; w2: number; b: number; zero: number[]; one: number[]; centre: number }> =
    [];
  const seen = new Set<string>();
  const gadget = (w1: number, w2: number, b: number, chain: Step[]): Gadget => ({
    inputs: 2,
    layers: [
      [
        {
          bias: b,
          edges: [
            [0, w1],
            [1, w2],
          ],
        },
      ],
      ...chainGadget(chain).layers,
    ],
  });
  for (const w1 of ws) {
    const seconds = symmetric
      ? [w1, ...ws.filter((w) => w !== w1)].slice(0, s.weightSet === 'binary' ? 2 : 3)
      : ws;
    for (const w2 of seconds) {
      for (let b = s.min; b <= s.max; b++) {
        const zero: number[] = [];
        const one: number[] = [];
        const preZero: number[] = [];
        const preOne: number[] = [];
        let ok = true;
        for (const [hu, hv, on] of points) {
          const pre = preActivation(s, [w1, w2], [hu, hv], b);
          const out = s.sigma[pre - s.min];
          if (!(out >= s.min)) ok = false;
          (on ? one : zero).push(out);
          (on ? preOne : preZero).push(pre);
        }
        if (!ok || one.some((x) => zero.includes(x))) continue;
        if (zero.every((x) => inIdle[x - s.min] === 1) && one.every((x) => x === e))
          return gadget(w1, w2, b, []);
        const key = `${[...new Set(zero)].sort().join(',')}|${[...new Set(one)].sort().join(',')}`;
        if (seen.has(key)) continue;
        seen.add(key);
        // how far the pre-activations' split between the sides lies from 0 (σ's features sit near 0)
        const [zLo, zHi] = [Math.min(...preZero), Math.max(...preZero)];
        const [oLo, oHi] = [Math.min(...preOne), Math.max(...preOne)];
        const centre =
          zHi < oLo ? Math.abs(zHi + oLo) : oHi < zLo ? Math.abs(zLo + oHi) : Number.POSITIVE_INFINITY;
        states.push({ w1, w2, b, zero, one, centre });
      }
    }
  }
  // fewest distinct values first (the chain has less to merge), then splits near 0 (one or two biases
  // per weight pair, so that every pair of gains gets a try), then the widest gap between the sides
  const distinct = (st: { zero: number[]; one: number[] }) => new Set(st.zero).size + new Set(st.one).size;
  const gap = (st: { zero: number[]; one: number[] }) =>
    Math.min(...st.zero.flatMap((z) => st.one.map((o) => Math.abs(z - o))));
  states.sort((a, b) => distinct(a) - distinct(b) || a.centre - b.centre || gap(b) - gap(a));
  for (const st of states.slice(0, 48)) {
    const chain = solveChain(s, st.zero, st.one, lv.idle[0], e, {
      minDepth: 0,
      maxDepth: 3,
      beam: 6,
      ...idleOption(lv),
    });
    if (chain) return gadget(st.w1, st.w2, st.b, chain);
  }
  return null;
}

/**
 * Threshold gadgets: `ge` gives e·[x ≥ t], `le` gives e·[x ≤ t] (with idle sets: a where the condition
 * holds, a value of I elsewhere), as chains whose first step moves the
 * threshold to a canonical split (x ⊕ b with weight ±1) and whose remaining steps solve the canonical
 * two-set problem once per split (memoised). Every gadget is checked on all of 𝕀 before it is used.
 */
export class ThresholdFinder {
  private readonly splits = new Map<string, Step[] | null>();
  private readonly found = new Map<string, Step[] | null>();
  private readonly good = new Map<string, Array<[number, Step[]]>>();
  private weightsCache: number[] | null = null;
  private readonly e: number;
  private readonly inIdle: Uint8Array;
  /**
   * `shortest` (the compiler): search every first weight for the shortest chain, with more canonical
   * splits and a wider beam; otherwise (certificates, the map) the first chain found.
   */
  constructor(
    private readonly s: Setting,
    private readonly lv: Levels,
    private readonly shortest = false,
    /** How many first weights to try (the gains closest to ±1 first). */
    private readonly maxWeights = Number.POSITIVE_INFINITY,
    /** Charged once per threshold searched and per direct candidate (the exhaustive search's budget). */
    private readonly budget?: Budget,
  ) {
    this.e = lv.a;
    this.inIdle = idleMask(s, lv.idle);
  }

  /**
   * The canonical problem after a monotone first step whose pre-activation jumps by `gap` codes at the
   * threshold: `upper`, E = σ_F(values ≥ split), Z = σ_F(values ≤ split − gap); `lower`, E = σ_F(values
   * ≤ split), Z = σ_F(values ≥ split + gap). Its solution (the rest of the chain) is memoised.
   */
  private canonical(kind: 'upper' | 'lower', split: number, gap: number): Step[] | null {
    const key = `${kind}${split}:${gap}`;
    const cached = this.splits.get(key);
    if (cached !== undefined) return cached;
    const { s } = this;
    const zero: number[] = [];
    const one: number[] = [];
    for (let v = s.min; v <= s.max; v++) {
      const sv = s.sigma[v - s.min];
      if (!(sv >= s.min)) continue;
      if (kind === 'upper' ? v >= split : v <= split) one.push(sv);
      else if (kind === 'upper' ? v <= split - gap : v >= split + gap) zero.push(sv);
    }
    const chain =
      zero.length > 0 && one.length > 0
        ? solveChain(s, zero, one, this.lv.idle[0], this.e, {
            minDepth: 0,
            maxDepth: 3,
            beam: this.shortest ? 10 : 6,
            ...idleOption(this.lv),
          })
        : null;
    this.splits.set(key, chain);
    return chain;
  }

  /** Splits whose canonical problem has a solution, found lazily (near 0 first), shortest rest first. */
  private goodSplits(kind: 'upper' | 'lower', gap: number): Array<[number, Step[]]> {
    const key = `${kind}:${gap}`;
    let list = this.good.get(key);
    if (!list) {
      list = [];
      for (const split of orderedSplits(this.s, this.shortest ? 16 : 8)) {
        const rest = this.canonical(kind, split, gap);
        if (rest) list.push([split, rest]);
        if (list.length >= 3) break;
      }
      list.sort((a, b) => a[1].length - b[1].length);
      this.good.set(key, list);
    }
    return list;
  }

  private get firstWeights(): number[] {
    if (!this.weightsCache) {
      const one = this.s.one;
      this.weightsCache = [...candidateWeights(this.s)].sort(
        (a, b) => Math.abs(Math.abs(a) - one) - Math.abs(Math.abs(b) - one),
      );
    }
    return this.weightsCache;
  }

  /**
   * The shortest chain found for e·[x ≥ t] (`ge`) or e·[x ≤ t] (`le`), verified on all of 𝕀, or null.
   * The first step w⊗x ⊕ b is monotone in x; it maps the threshold to a canonical split and opens a gap
   * (how far its pre-activation jumps across the threshold), so one canonical solution serves every t.
   */
  find(dir: 'ge' | 'le', t: number, prefix?: Step): Step[] | null {
    // the answer depends on the arguments only: memoised (the steps construction asks again per table)
    const key = `${dir}${t}:${prefix ? prefix.join(',') : ''}`;
    const known = this.found.get(key);
    if (known !== undefined) return known;
    this.budget?.spend(1, EXHAUSTIVE_SEARCH);
    const chain = this.search(dir, t, prefix);
    this.found.set(key, chain);
    return chain;
  }

  private search(dir: 'ge' | 'le', t: number, prefix?: Step): Step[] | null {
    const { s } = this;
    const inside = t;
    const outside = dir === 'ge' ? t - 1 : t + 1;
    if (outside < s.min || outside > s.max) return null;
    const h = (x: number) => (prefix ? unary(s, prefix[0], x, prefix[1]) : x);
    const hin = h(inside);
    const hout = h(outside);
    if (!(hin >= s.min && hout >= s.min) || hin === hout) return null;
    let best: Step[] | null = null;
    for (const w of this.firstWeights.slice(0, this.maxWeights)) {
      const pre = (v: number) => (s.accumulation === 'exact' ? s.roundWide(w * v) : s.mul(w, v));
      const pin = pre(hin);
      const pout = pre(hout);
      if (!(pin >= s.min && pout >= s.min) || pin === pout) continue;
      const kind = pin > pout ? 'upper' : 'lower';
      const gap = Math.abs(pin - pout);
      for (const [split, rest] of this.goodSplits(kind, gap)) {
        if (best && 1 + rest.length >= best.length) continue;
        const b = split - pin;
        if (b < s.min || b > s.max) continue;
        const steps: Step[] = [[w, b], ...rest];
        if (this.check(dir, t, steps, prefix)) best = steps;
      }
      if (best && (!this.shortest || best.length <= 2)) break;
    }
    // with all weights, the pairs (min, min + ε) and (max − ε, max) only: elsewhere the canonical splits
    // are the whole story, and the direct search costs seconds on 8-bit formats when it fails; with the
    // two binary weights it is cheap, and thresholds next to a saturation boundary need it
    const extreme = dir === 'le' ? t === s.min || t === s.max - 1 : t === s.min + 1 || t === s.max;
    const direct = s.weightSet === 'binary' || (extreme && this.maxWeights === Number.POSITIVE_INFINITY);
    return best ?? (direct ? this.direct(dir, t, prefix) : null);
  }

  /**
   * The fallback when no canonical split serves t (in practice the pair min, min + ε, where saturation
   * and ties merge the canonical sets): the two-set problem of this threshold alone, after each first
   * step w⊗h ⊕ b, for the steps whose images of the two sides are disjoint, the tightest first.
   */
  private direct(dir: 'ge' | 'le', t: number, prefix?: Step): Step[] | null {
    const { s } = this;
    const candidates = directCandidates(s, this.firstWeights.slice(0, this.maxWeights), dir, t, prefix);
    if (!candidates) return null;
    for (const c of candidates) {
      this.budget?.spend(1, EXHAUSTIVE_SEARCH);
      const rest = solveChain(s, c.zero, c.one, this.lv.idle[0], this.e, {
        minDepth: 0,
        maxDepth: s.weightSet === 'binary' ? 5 : 3,
        beam: 8,
        ...idleOption(this.lv),
      });
      if (!rest) continue;
      const steps: Step[] = [c.step, ...rest];
      if (this.check(dir, t, steps, prefix)) return steps;
    }
    return null;
  }

  private check(dir: 'ge' | 'le', t: number, steps: readonly Step[], prefix?: Step): boolean {
    if (steps.length === 0) return false;
    const { s } = this;
    for (let x = s.min; x <= s.max; x++) {
      const on = dir === 'ge' ? x >= t : x <= t;
      let h = prefix ? unary(s, prefix[0], x, prefix[1]) : x;
      for (const [w, b] of steps) h = unary(s, w, h, b);
      if (on ? h !== this.e : !(h >= s.min && this.inIdle[h - s.min] === 1)) return false;
    }
    return true;
  }
}

/** Splits tried for the canonical threshold problems: near 0 first, then outward. */
function orderedSplits(s: Setting, count: number): number[] {
  const out: number[] = [];
  const limit = Math.min(s.size, count);
  for (let k = 0; out.length < limit && k <= s.size; k++) {
    for (const v of k === 0 ? [0] : [k, -k]) if (v >= s.min && v <= s.max) out.push(v);
  }
  return out;
}

export interface DirectCandidate {
  readonly step: Step;
  readonly zero: number[];
  readonly one: number[];
}

const directMemo = new WeakMap<Setting, Map<string, DirectCandidate[] | null>>();

/**
 * The first steps of `ThresholdFinder.direct` for one threshold: every step w⊗h ⊕ b (w in `weights`, in
 * order; every bias) whose images of the two sides (x ≥ t and x < t for `ge`, x ≤ t and x > t for `le`,
 * after the optional prefix step) are valid and disjoint, one per distinct pair of image sets (the first
 * step found), the 32 with the fewest values (a stable sort: ties keep the search order). They do not
 * depend on the levels, so they are memoised per setting and shared by every candidate e (the exhaustive
 * search asks again for each). Null when the prefix is invalid somewhere. Step maps are read from the
 * chain solver's tables (formats of at most 512 values), else computed by `unary`.
 */
export function directCandidates(
  s: Setting,
  weights: readonly number[],
  dir: 'ge' | 'le',
  t: number,
  prefix?: Step,
): DirectCandidate[] | null {
  let memo = directMemo.get(s);
  if (!memo) directMemo.set(s, (memo = new Map()));
  const key = `${dir}${t}:${prefix ? prefix.join(',') : ''}:${weights.join(',')}`;
  const known = memo.get(key);
  if (known !== undefined) return known;
  const n = s.size;
  const inMark = new Uint8Array(n);
  const outMark = new Uint8Array(n);
  let valid = true;
  for (let x = s.min; x <= s.max && valid; x++) {
    const h = prefix ? unary(s, prefix[0], x, prefix[1]) : x;
    if (!(h >= s.min)) valid = false;
    else ((dir === 'ge' ? x >= t : x <= t) ? inMark : outMark)[h - s.min] = 1;
  }
  if (!valid) {
    memo.set(key, null);
    return null;
  }
  // the distinct h of each side, in increasing order (the images below are sets: order does not matter)
  const inside: number[] = [];
  const outside: number[] = [];
  for (let i = 0; i < n; i++) {
    if (inMark[i]) inside.push(i);
    if (outMark[i]) outside.push(i);
  }
  const oneStamp = new Int32Array(n);
  const zeroStamp = new Int32Array(n);
  let stamp = 0;
  const candidates: DirectCandidate[] = [];
  const seen = new Set<string>();
  for (const w of weights) {
    const table = stepTable(s, w);
    for (let b = s.min; b <= s.max; b++) {
      const row = (b - s.min) * n;
      const image = table
        ? (h: number) => {
            const v = table[row + h];
            return v === STEP_INVALID ? Number.NaN : v;
          }
        : (h: number) => unary(s, w, h + s.min, b);
      stamp++;
      const one: number[] = [];
      const zero: number[] = [];
      let ok = true;
      for (const h of inside) {
        const v = image(h);
        if (!(v >= s.min)) {
          ok = false;
          break;
        }
        if (oneStamp[v - s.min] !== stamp) {
          oneStamp[v - s.min] = stamp;
          one.push(v);
        }
      }
      if (!ok) continue;
      for (const h of outside) {
        const v = image(h);
        if (!(v >= s.min) || oneStamp[v - s.min] === stamp) {
          ok = false;
          break;
        }
        if (zeroStamp[v - s.min] !== stamp) {
          zeroStamp[v - s.min] = stamp;
          zero.push(v);
        }
      }
      if (!ok) continue;
      zero.sort((a, c) => a - c);
      one.sort((a, c) => a - c);
      const k = `${zero.join(',')}|${one.join(',')}`;
      if (seen.has(k)) continue;
      seen.add(k);
      candidates.push({ step: [w, b], zero, one });
    }
  }
  candidates.sort((a, c) => a.zero.length + a.one.length - (c.zero.length + c.one.length));
  const kept = candidates.slice(0, 32);
  memo.set(key, kept);
  return kept;
}

/** Builds D_z for every z from threshold chains and the AND gadget, all padded to one depth. */
function buildDetectors(
  s: Setting,
  e: string,
  and: Gadget,
  delay: Step[],
  tried: string[],
  finder: ThresholdFinder,
): Gadget[] | null {
  const ge: Array<Step[] | null> = new Array(s.size).fill(null);
  const le: Array<Step[] | null> = new Array(s.size).fill(null);
  // extremes first: they fail first when anything fails (saturation, rounding near the ends)
  const order: number[] = [];
  for (let k = 0; k < s.size; k++) order.push(k % 2 === 0 ? s.min + k / 2 : s.max - (k - 1) / 2);
  for (const t of order) {
    const i = t - s.min;
    ge[i] = t === s.min ? [] : finder.find('ge', t);
    le[i] = t === s.max ? [] : finder.find('le', t);
    if (ge[i] === null || le[i] === null) {
      tried.push(`${e}: no threshold gadget for x ${ge[i] === null ? '≥' : '≤'} code ${t}`);
      return null;
    }
  }
  const parts = ge.map((u, i) => ({ u: u as Step[], l: le[i] as Step[] }));
  const pairDepth = parts.reduce((m, p) => Math.max(m, p.u.length, p.l.length), 0);
  const detectors: Array<Gadget | Step[]> = [];
  for (let i = 0; i < parts.length; i++) {
    const { u, l } = parts[i];
    if (u.length === 0 || l.length === 0) {
      detectors.push(u.length === 0 ? l : u);
      continue;
    }
    const pu = padChain(u, delay, pairDepth);
    const pl = padChain(l, delay, pairDepth);
    if (!pu || !pl) {
      tried.push(`${e}: threshold chains cannot be padded to depth ${pairDepth} with the delay`);
      return null;
    }
    detectors.push(stack(parallel(chainGadget(pu), chainGadget(pl)), and));
  }
  const depth = detectors.reduce((m, d) => Math.max(m, Array.isArray(d) ? d.length : d.layers.length), 0);
  const out: Gadget[] = [];
  for (const d of detectors) {
    if (Array.isArray(d)) {
      const p = padChain(d, delay, depth);
      if (!p) {
        tried.push(`${e}: end detectors cannot be padded to depth ${depth}`);
        return null;
      }
      out.push(chainGadget(p));
    } else {
      const extra = depth - d.layers.length;
      const pad = padChain([], delay, extra);
      if (!pad) {
        tried.push(`${e}: detectors cannot be padded to depth ${depth}`);
        return null;
      }
      out.push(stack(d, chainGadget(pad)));
    }
  }
  return out;
}

/**
 * Emitters for every y: terms ω⊗v where v is a itself (a direct term, no neuron) or the value φ(a) of one
 * unary neuron with φ(I) ⊆ I (φ(0) = 0 when I = {0}), and ω kills I (ω ⊗ i = 0 for i ∈ I: idle inputs
 * contribute nothing); the shortest sequence of terms whose accumulation with β gives y (breadth-first
 * over accumulator values). Returns null if some y is unreachable.
 */
export function buildEmitters(
  s: Setting,
  lv: Levels,
  delay: Step[],
  tried: string[],
  beta = 0,
  time?: Budget,
): { beta: number; emitters: Emitter[] } | null {
  const e = lv.a;
  const label = levelsLabel(lv);
  const inIdle = idleMask(s, lv.idle);
  type Term = { w: number; step: Step | null; value: number };
  const terms = new Map<number, Term>();
  const consider = (t: Term) => {
    const inc = s.accumulation === 'exact' ? t.w * t.value : s.mul(t.w, t.value);
    if (Number.isNaN(inc) || inc === 0) return;
    const old = terms.get(inc);
    if (!old || (old.step !== null && t.step === null)) terms.set(inc, t);
  };
  // the weights whose products of every idle value vanish: the only ones an emitter output may use
  const readers = s.weights.filter((w) => kills(s, w, lv.idle));
  for (const w of readers) consider({ w, step: null, value: e });
  const unaryValues = new Map<number, Step>();
  for (const w of s.weightSet === 'binary' ? s.weights : candidateWeights(s)) {
    for (let b = s.min; b <= s.max; b++) {
      if (!lv.idle.every((i) => inIdle[neuron(s, [w], [i], b) - s.min] === 1)) continue;
      const v = neuron(s, [w], [e], b);
      if (v >= s.min && v !== 0 && !unaryValues.has(v)) unaryValues.set(v, [w, b]);
    }
  }
  for (const [v, step] of unaryValues) for (const w of readers) consider({ w, step, value: v });
  // breadth-first over accumulator states
  const start = s.accumulation === 'exact' ? beta * s.one : s.bias === 'first' ? beta : 0;
  const finish = (acc: number) =>
    s.accumulation === 'exact' ? s.roundWide(acc) : s.bias === 'first' ? acc : s.add(acc, beta);
  const prev = new Map<number, [number, number]>([[start, [Number.NaN, 0]]]);
  let frontier = [start];
  const found = new Map<number, number>();
  const bound = (s.max - s.min + 1) * (s.accumulation === 'exact' ? s.one : 1) * 2;
  for (let depth = 0; depth <= s.size && found.size < s.size && frontier.length > 0; depth++) {
    const next: number[] = [];
    for (const acc of frontier) {
      // one step per accumulator state and term (exact accumulation: up to 2·|𝕀|·2^n states)
      time?.spend(1 + terms.size, EXHAUSTIVE_SEARCH);
      const y = finish(acc);
      if (y >= s.min && !found.has(y) && (depth > 0 || y === beta)) found.set(y, acc);
      for (const inc of terms.keys()) {
        const a = s.accumulation === 'exact' ? acc + inc : s.add(acc, inc);
        if (!(Math.abs(a) <= bound) || prev.has(a)) continue;
        prev.set(a, [acc, inc]);
        next.push(a);
      }
    }
    frontier = next;
  }
  const emitters: Emitter[] = [];
  for (let y = s.min; y <= s.max; y++) {
    const acc = found.get(y);
    if (acc === undefined) {
      tried.push(`${label}: no emitter reaches y code ${y}`);
      return null;
    }
    const path: Term[] = [];
    let a = acc;
    while (a !== start) {
      const [p, inc] = prev.get(a)!;
      path.unshift(terms.get(inc)!);
      a = p;
    }
    if (path.length === 0) {
      emitters.push({ gadget: { inputs: 1, layers: [] }, weights: [] });
      continue;
    }
    if (path.length === 1 && path[0].step === null) {
      emitters.push({ gadget: { inputs: 1, layers: [] }, weights: [path[0].w] });
      continue;
    }
    if (path.some((t) => t.step === null) && delay.length !== 1) {
      tried.push(`${label}: direct emitter terms need a one-layer delay`);
      return null;
    }
    const layer = path.map((t) => {
      const [w, b] = t.step ?? delay[0];
      return { bias: b, edges: [[0, w] as const] };
    });
    emitters.push({ gadget: { inputs: 1, layers: [layer] }, weights: path.map((t) => t.w) });
  }
  // zero-layer emitters must match the common depth (1 when any emitter has a layer)
  if (emitters.some((em) => em.gadget.layers.length > 0)) {
    for (let i = 0; i < emitters.length; i++) {
      const em = emitters[i];
      if (em.gadget.layers.length === 0 && em.weights.length > 0) {
        if (delay.length !== 1) return null;
        emitters[i] = {
          gadget: { inputs: 1, layers: [[{ bias: delay[0][1], edges: [[0, delay[0][0]]] }]] },
          weights: em.weights,
        };
      }
    }
  }
  return { beta, emitters };
}

/**
 * Searches a certificate for the setting; every part is verified before it is returned. First the
 * classical template (I = {0}, e from `candidateEs`): a quick pass (thresholds from the 6 gains nearest
 * ±1), then the full search. When both fail, idle-set certificates (docs/theory.md §8): the levels of
 * `candidateIdleLevels`, most promising first.
 */
export function findCertificate(s: Setting, budget?: Budget): SearchReport {
  // the classical delay needs P(0) = 0 from a σ_F layer: without a zero of σ_F it cannot exist
  const full = s.sigma.includes(0)
    ? (() => {
        const classical = candidateEs(s).map(zeroLevels);
        const quick = searchCertificate(s, 6, classical, undefined, budget);
        // with binary weights the quick pass already tries every first weight (±1) and the direct search
        // (maxWeights only limits those two): the full pass would repeat it step for step
        if (quick.certificate || s.weightSet === 'binary') return quick;
        return searchCertificate(s, Number.POSITIVE_INFINITY, classical, undefined, budget);
      })()
    : { certificate: null, tried: ['I = {0}: σ_F is never 0, so no delay P(0) = 0 exists'] };
  if (full.certificate) return full;
  const idle = searchCertificate(s, Number.POSITIVE_INFINITY, candidateIdleLevels(s), IDLE_BUDGET, budget);
  return { certificate: idle.certificate, tried: [...full.tried, ...idle.tried] };
}

/** How a search report names the levels: `e=…` for I = {0}, else `a=…, I={…}` (codes). */
export function levelsLabel(lv: Levels): string {
  return isZeroIdle(lv) ? `e=${lv.a}` : `a=${lv.a}, I={${lv.idle.join(',')}}`;
}

/**
 * Idle-set levels worth trying (docs/theory.md §8), on the values V = σ_F(𝕀) (every gadget output is a σ_F
 * value), I = {0} left out (the classical search covers it). A pair (a, I) needs a weight that kills I and
 * not a. Single idle values come first, paired with the nearest active values first: a chain of σ_F
 * neurons keeps two levels apart only where σ_F and the weights do not contract their distance, and on
 * the cells this serves (sigmoid-like σ_F without a zero) the pairs that work are neighbours in V, such as
 * I = {½}, a = ½ + ε on Q0.n; ties are broken by wider plateaus of σ_F. Then the largest sets
 * K_ω = {v ∈ V : ω ⊗ v = 0}, each with the values next to it; those containing 0 (a wider classical
 * I = {0}, e.g. I = {−ε, 0} for identity on Q0.2 with floor) go before everything. Under exact accumulation only I = {0} can be
 * read additively, so the list is empty there.
 */
export function candidateIdleLevels(s: Setting): Levels[] {
  if (s.accumulation === 'exact') return [];
  const plateau = new Map<number, number>();
  for (const v of s.sigma) if (v >= s.min) plateau.set(v, (plateau.get(v) ?? 0) + 1);
  const values = [...plateau.keys()].sort((x, y) => x - y);
  if (values.length < 2) return [];
  const width = (v: number) => plateau.get(v) ?? 0;
  const readable = (a: number, idle: readonly number[]) =>
    s.weights.some((w) => kills(s, w, idle) && !contributesNothing(s, w, a));
  const singles: Array<{ lv: Levels; gap: number; wide: number }> = [];
  values.forEach((i, ri) => {
    if (i === 0) return;
    values.forEach((a, ra) => {
      if (ra !== ri && readable(a, [i]))
        singles.push({ lv: { a, idle: [i] }, gap: Math.abs(ra - ri), wide: width(a) + width(i) });
    });
  });
  singles.sort((x, y) => x.gap - y.gap || y.wide - x.wide || x.lv.idle[0] - y.lv.idle[0] || x.lv.a - y.lv.a);
  const sets: Levels[] = [];
  const seen = new Set<string>();
  for (const w of s.weights) {
    const k = values.filter((v) => contributesNothing(s, w, v));
    const key = k.join(',');
    if (k.length < 2 || k.length === values.length || seen.has(key)) continue;
    seen.add(key);
    const lo = values.indexOf(k[0]);
    const hi = values.indexOf(k[k.length - 1]);
    for (const a of [values[hi + 1], values[lo - 1]])
      if (a !== undefined && readable(a, k)) sets.push({ a, idle: k });
  }
  // sets that contain 0 widen the classical I = {0} (which failed): they go first
  const withZero = sets.filter((lv) => lv.idle.includes(0));
  return [...withZero, ...singles.map((c) => c.lv), ...sets.filter((lv) => !lv.idle.includes(0))];
}

/** The readout weight reported with the levels: 1 when it reads them, else the first in W. */
function readoutOf(s: Setting, lv: Levels): number | null {
  const ws = readoutWeights(s, lv);
  if (ws.length === 0) return null;
  return ws.includes(s.one) ? s.one : ws[0];
}

/**
 * The idle-set search's budget: levels tried in all, and levels given the full gadget search (those with a
 * delay). On the map's 34 cells the first levels tried succeed; the budget bounds the cost where none does.
 */
export const IDLE_BUDGET = { levels: 64, withDelay: 6 } as const;

function searchCertificate(
  s: Setting,
  maxWeights: number,
  candidates: readonly Levels[],
  budget: { levels: number; withDelay: number } = {
    levels: Number.POSITIVE_INFINITY,
    withDelay: Number.POSITIVE_INFINITY,
  },
  time?: Budget,
): SearchReport {
  const tried: string[] = [];
  let withDelay = 0;
  for (const [k, lv] of candidates.entries()) {
    if (k >= budget.levels || withDelay >= budget.withDelay) {
      tried.push(
        `idle-set search stopped after ${k} of ${candidates.length} levels (${withDelay} with a delay gadget): its budget`,
      );
      break;
    }
    time?.spend(1, EXHAUSTIVE_SEARCH);
    const e = lv.a;
    const label = levelsLabel(lv);
    const omega = readoutOf(s, lv);
    if (omega === null) {
      tried.push(`${label}: no weight kills I and reads a`);
      continue;
    }
    const delay = solveChain(s, lv.idle, [e], lv.idle[0], e, {
      minDepth: 1,
      maxDepth: 3,
      beam: 8,
      ...idleOption(lv),
    });
    if (!delay) {
      tried.push(
        isZeroIdle(lv)
          ? `${label}: no delay gadget P(u) = u on {0, e}`
          : `${label}: no delay gadget P(a) = a, P(I) ⊆ I`,
      );
      continue;
    }
    withDelay++;
    // the hardest thresholds first (they fail first), then the gates, emitters and every detector
    const finder = new ThresholdFinder(s, lv, false, maxWeights, time);
    const hard = finder.find('le', s.min)
      ? finder.find('ge', s.max)
        ? null
        : `x ≥ code ${s.max}`
      : `x ≤ code ${s.min}`;
    if (hard) {
      tried.push(`${label}: no threshold gadget for ${hard}`);
      continue;
    }
    const and = findAnd(s, lv);
    if (!and) {
      tried.push(`${label}: no AND gadget`);
      continue;
    }
    const emit = buildEmitters(s, lv, delay, tried, 0, time);
    if (!emit) continue;
    const detectors = buildDetectors(s, label, and, delay, tried, finder);
    if (!detectors) continue;
    const cert: Certificate = {
      e,
      idle: lv.idle,
      omega,
      detectors,
      and,
      delay: chainGadget(delay),
      ...emit,
    };
    const failure = verifyCertificate(s, cert);
    if (failure) {
      tried.push(`${label}: ${failure}`);
      continue;
    }
    return { certificate: cert, tried };
  }
  return { certificate: null, tried };
}

/**
 * Checks every gadget of a certificate on its whole domain (THEORY §5.2 G1–G4, with idle sets as in
 * docs/theory.md §8): the levels (a ∉ I, ω ∈ W kills every i ∈ I and not a); every detector on all of
 * 𝕀 (a at z, a value of I elsewhere); AND on (I ∪ {a})² (a exactly at (a, a), else in I); the delay on
 * I ∪ {a} (a ↦ a, I into I); every emitter at every idle input (each output weighted by its ω_j adds
 * exactly nothing: ω_j ⊗ h = 0, or ω_j · h = 0 under exact accumulation) and at a (its terms with β give
 * y through the output neuron's accumulation). Returns null when all hold, else a message naming the
 * first failing gadget and input.
 */
export function verifyCertificate(s: Setting, c: Certificate): string | null {
  const { e, idle } = c;
  const name = (code: number) => `code ${code}`;
  const valid = (v: number) => v >= s.min && v <= s.max && Number.isInteger(v);
  if (idle.length === 0 || !idle.every(valid)) return 'the idle set I must be a non-empty set of values';
  const inIdle = idleMask(s, idle);
  const isIdle = (v: number) => valid(v) && inIdle[v - s.min] === 1;
  if (!valid(e) || isIdle(e)) return `the active value must be a value outside I, got ${name(e)}`;
  if (!s.weights.includes(c.omega)) return `the readout weight ${name(c.omega)} is outside the weight set`;
  for (const i of idle) {
    if (!contributesNothing(s, c.omega, i))
      return `the readout weight ${name(c.omega)} does not kill the idle value ${name(i)}`;
  }
  if (contributesNothing(s, c.omega, e))
    return `the readout weight ${name(c.omega)} kills the active value ${name(e)}`;
  // every network of the certificate is a network of the configuration (weights in W, biases in 𝕀)
  const weightSet = new Set(s.weights);
  const inW = (w: number) => weightSet.has(w);
  const checked = new WeakSet<object>();
  for (const [what, g] of [
    ['AND', c.and],
    ['delay', c.delay],
    ...c.detectors.map((d, i) => [`detector D_${s.min + i}`, d] as const),
    ...c.emitters.map((em, i) => [`emitter E_${s.min + i}`, em.gadget] as const),
  ] as const) {
    const outside = parameterOutside(s, g, inW, checked);
    if (outside) return `${what}: ${outside}`;
  }
  if (!(Number.isInteger(c.beta) && c.beta >= s.min && c.beta <= s.max))
    return `β code ${c.beta} is not a value`;
  const idleName = isZeroIdle({ a: e, idle }) ? '0' : 'a value of I';
  if (c.detectors.length !== s.size) return `expected ${s.size} detectors, got ${c.detectors.length}`;
  const depth = c.detectors[0].layers.length;
  for (let z = s.min; z <= s.max; z++) {
    const d = c.detectors[z - s.min];
    if (d.inputs !== 1 || gadgetOutputs(d) !== 1 || d.layers.length === 0)
      return `detector D_${z}: not a 1-input, 1-output network`;
    if (d.layers.length !== depth) return `detector D_${z}: depth ${d.layers.length}, others ${depth}`;
    for (let x = s.min; x <= s.max; x++) {
      const got = run1(s, d, x);
      if (x === z ? got !== e : !isIdle(got))
        return `detector D_${z} fails at x = ${name(x)}: ${got} (expected ${x === z ? name(e) : idleName})`;
    }
  }
  if (c.and.inputs !== 2 || gadgetOutputs(c.and) !== 1 || c.and.layers.length === 0)
    return 'AND: not a 2-input, 1-output network';
  const domain = [...idle, e];
  for (const u of domain) {
    for (const v of domain) {
      const got = runGadget(s, c.and, [u, v])[0];
      if (u === e && v === e ? got !== e : !isIdle(got)) return `AND fails at (${u}, ${v}): ${got}`;
    }
  }
  if (c.delay.inputs !== 1 || gadgetOutputs(c.delay) !== 1 || c.delay.layers.length === 0)
    return 'delay: not a 1-input network';
  for (const u of domain) {
    const got = run1(s, c.delay, u);
    if (u === e ? got !== e : !isIdle(got)) return `delay fails at ${u}`;
  }
  if (c.emitters.length !== s.size) return `expected ${s.size} emitters, got ${c.emitters.length}`;
  const emDepth = c.emitters.reduce((m, em) => Math.max(m, em.gadget.layers.length), 0);
  for (let y = s.min; y <= s.max; y++) {
    const em = c.emitters[y - s.min];
    if (em.weights.length === 0) {
      // an empty emitter: no terms reach the output neuron, which then gives β alone
      if (outputNeuron(s, [], [], c.beta) !== y) return `emitter E_${y} is empty but β gives another value`;
      continue;
    }
    if (em.gadget.layers.length !== emDepth) return `emitter E_${y}: depth differs`;
    if (gadgetOutputs(em.gadget) !== em.weights.length)
      return `emitter E_${y}: ${em.weights.length} weights for ${gadgetOutputs(em.gadget)} outputs`;
    if (!em.weights.every((w) => s.weights.includes(w)))
      return `emitter E_${y}: weight outside the weight set`;
    for (const i of idle) {
      const off = runGadget(s, em.gadget, [i]);
      if (off.some((v, j) => !contributesNothing(s, em.weights[j], v)))
        return isZeroIdle({ a: e, idle })
          ? `emitter E_${y}: E(0) is not read as 0`
          : `emitter E_${y}: its output at idle input ${name(i)} is not read as 0`;
    }
    const on = runGadget(s, em.gadget, [e]);
    const out = outputNeuron(s, em.weights, on, c.beta);
    if (out !== y) return `emitter E_${y} gives ${out}`;
  }
  return null;
}

/** The output neuron (identity activation): its pre-activation, the accumulation of ω_j ⊗ h_j with β. */
export const outputNeuron = preActivation;
