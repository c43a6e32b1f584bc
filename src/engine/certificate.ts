import { candidateWeights, type Step, solveChain } from './chain-solver.js';
import { chainGadget, type Gadget, gadgetOutputs, parallel, runGadget, stack } from './gadget.js';
import { neuron, preActivation, type Setting, unary } from './setting.js';

/** An emitter E_y: a 1-input gadget and one output weight per gadget output (THEORY §5.2, G4). */
export interface Emitter {
  readonly gadget: Gadget;
  readonly weights: readonly number[];
}

/**
 * A certificate of universality (THEORY §5.2), on codes: the value e ≠ 0, a detector D_z for every
 * z ∈ 𝕀 (index z − min), the AND gadget, the delay P, and an emitter E_y for every y with the output
 * bias β. All detectors have one depth, all emitters one depth.
 */
export interface Certificate {
  readonly e: number;
  readonly detectors: readonly Gadget[];
  readonly and: Gadget;
  readonly delay: Gadget;
  readonly beta: number;
  readonly emitters: readonly Emitter[];
}

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

/** Searches the AND gadget: one neuron over (u, v) followed by a chain, on {0, e}². */
export function findAnd(s: Setting, e: number): Gadget | null {
  return findGate(s, e, (u, v) => u && v, true);
}

/**
 * Searches the AND-NOT gadget e·[u = e ∧ v = 0] on {(0,0), (e,0), (e,e)} (the pair (0, e) never occurs
 * when v = e·[x ≥ t'] and u = e·[x ≥ t] with t < t'): interval detectors from two upward thresholds.
 */
export function findAndNot(s: Setting, e: number): Gadget | null {
  return findGate(s, e, (u, v) => (!u && v ? null : u && !v), false);
}

/**
 * A 2-input gate: one neuron over (u, v) ∈ {0, e}² followed by a chain, with `truth(u, v)` true → e,
 * false → 0, null → don't care. `symmetric` tries equal weights first (AND).
 */
function findGate(
  s: Setting,
  e: number,
  truth: (u: boolean, v: boolean) => boolean | null,
  symmetric: boolean,
): Gadget | null {
  const ws = candidateWeights(s);
  const points = (
    [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const
  ).filter(([u, v]) => truth(u, v) !== null);
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
        for (const [u, v] of points) {
          const pre = preActivation(s, [w1, w2], [u ? e : 0, v ? e : 0], b);
          const out = s.sigma[pre - s.min];
          if (!(out >= s.min)) ok = false;
          const on = truth(u, v);
          (on ? one : zero).push(out);
          (on ? preOne : preZero).push(pre);
        }
        if (!ok || one.some((x) => zero.includes(x))) continue;
        if (zero.every((x) => x === 0) && one.every((x) => x === e)) return gadget(w1, w2, b, []);
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
    const chain = solveChain(s, st.zero, st.one, 0, e, { minDepth: 0, maxDepth: 3, beam: 6 });
    if (chain) return gadget(st.w1, st.w2, st.b, chain);
  }
  return null;
}

/**
 * Threshold gadgets: `ge` gives e·[x ≥ t], `le` gives e·[x ≤ t], as chains whose first step moves the
 * threshold to a canonical split (x ⊕ b with weight ±1) and whose remaining steps solve the canonical
 * two-set problem once per split (memoised). Every gadget is checked on all of 𝕀 before it is used.
 */
export class ThresholdFinder {
  private readonly splits = new Map<string, Step[] | null>();
  private readonly good = new Map<string, Array<[number, Step[]]>>();
  private weightsCache: number[] | null = null;
  /**
   * `shortest` (the compiler): search every first weight for the shortest chain, with more canonical
   * splits and a wider beam; otherwise (certificates, the map) the first chain found.
   */
  constructor(
    private readonly s: Setting,
    private readonly e: number,
    private readonly shortest = false,
    /** How many first weights to try (the gains closest to ±1 first). */
    private readonly maxWeights = Number.POSITIVE_INFINITY,
  ) {}

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
        ? solveChain(s, zero, one, 0, this.e, { minDepth: 0, maxDepth: 3, beam: this.shortest ? 10 : 6 })
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
    const inside = new Set<number>();
    const outside = new Set<number>();
    for (let x = s.min; x <= s.max; x++) {
      const h = prefix ? unary(s, prefix[0], x, prefix[1]) : x;
      if (!(h >= s.min)) return null;
      ((dir === 'ge' ? x >= t : x <= t) ? inside : outside).add(h);
    }
    const candidates: Array<{ step: Step; zero: number[]; one: number[] }> = [];
    const seen = new Set<string>();
    for (const w of this.firstWeights.slice(0, this.maxWeights)) {
      for (let b = s.min; b <= s.max; b++) {
        const one = new Set<number>();
        const zero = new Set<number>();
        let ok = true;
        for (const h of inside) {
          const v = unary(s, w, h, b);
          if (!(v >= s.min)) ok = false;
          one.add(v);
        }
        for (const h of outside) {
          const v = unary(s, w, h, b);
          if (!(v >= s.min) || one.has(v)) ok = false;
          zero.add(v);
        }
        if (!ok) continue;
        const z = [...zero].sort((a, c) => a - c);
        const o = [...one].sort((a, c) => a - c);
        const key = `${z.join(',')}|${o.join(',')}`;
        if (seen.has(key)) continue;
        seen.add(key);
        candidates.push({ step: [w, b], zero: z, one: o });
      }
    }
    candidates.sort((a, c) => a.zero.length + a.one.length - (c.zero.length + c.one.length));
    for (const c of candidates.slice(0, 32)) {
      const rest = solveChain(s, c.zero, c.one, 0, this.e, {
        minDepth: 0,
        maxDepth: s.weightSet === 'binary' ? 5 : 3,
        beam: 8,
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
      const want = (dir === 'ge' ? x >= t : x <= t) ? this.e : 0;
      let h = prefix ? unary(s, prefix[0], x, prefix[1]) : x;
      for (const [w, b] of steps) h = unary(s, w, h, b);
      if (h !== want) return false;
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

/** Builds D_z for every z from threshold chains and the AND gadget, all padded to one depth. */
function buildDetectors(
  s: Setting,
  e: number,
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
      tried.push(`e=${e}: no threshold gadget for x ${ge[i] === null ? '≥' : '≤'} code ${t}`);
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
      tried.push(`e=${e}: threshold chains cannot be padded to depth ${pairDepth} with the delay`);
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
        tried.push(`e=${e}: end detectors cannot be padded to depth ${depth}`);
        return null;
      }
      out.push(chainGadget(p));
    } else {
      const extra = depth - d.layers.length;
      const pad = padChain([], delay, extra);
      if (!pad) {
        tried.push(`e=${e}: detectors cannot be padded to depth ${depth}`);
        return null;
      }
      out.push(stack(d, chainGadget(pad)));
    }
  }
  return out;
}

/**
 * Emitters for every y: terms ω⊗v where v is e itself (a direct term, no neuron) or the value of one
 * unary neuron with φ(0) = 0, φ(e) = v; the shortest sequence of terms whose accumulation with β gives y
 * (breadth-first over accumulator values). Returns null if some y is unreachable.
 */
export function buildEmitters(
  s: Setting,
  e: number,
  delay: Step[],
  tried: string[],
  beta = 0,
): { beta: number; emitters: Emitter[] } | null {
  type Term = { w: number; step: Step | null; value: number };
  const terms = new Map<number, Term>();
  const consider = (t: Term) => {
    const inc = s.accumulation === 'exact' ? t.w * t.value : s.mul(t.w, t.value);
    if (Number.isNaN(inc) || inc === 0) return;
    const old = terms.get(inc);
    if (!old || (old.step !== null && t.step === null)) terms.set(inc, t);
  };
  for (const w of s.weights) consider({ w, step: null, value: e });
  const unaryValues = new Map<number, Step>();
  for (const w of s.weightSet === 'binary' ? s.weights : candidateWeights(s)) {
    for (let b = s.min; b <= s.max; b++) {
      if (neuron(s, [w], [0], b) !== 0) continue;
      const v = neuron(s, [w], [e], b);
      if (v >= s.min && v !== 0 && !unaryValues.has(v)) unaryValues.set(v, [w, b]);
    }
  }
  for (const [v, step] of unaryValues) for (const w of s.weights) consider({ w, step, value: v });
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
      tried.push(`e=${e}: no emitter reaches y code ${y}`);
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
      tried.push(`e=${e}: direct emitter terms need a one-layer delay`);
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

/** Searches a certificate for the setting; every part is verified before it is returned. */
export function findCertificate(s: Setting): SearchReport {
  // a quick pass (thresholds from the 6 gains nearest ±1), then the full search
  const quick = searchCertificate(s, 6);
  if (quick.certificate) return quick;
  const full = searchCertificate(s, Number.POSITIVE_INFINITY);
  return { certificate: full.certificate, tried: full.tried };
}

function searchCertificate(s: Setting, maxWeights: number): SearchReport {
  const tried: string[] = [];
  for (const e of candidateEs(s)) {
    const delay = solveChain(s, [0], [e], 0, e, { minDepth: 1, maxDepth: 3, beam: 8 });
    if (!delay) {
      tried.push(`e=${e}: no delay gadget P(u) = u on {0, e}`);
      continue;
    }
    // the hardest thresholds first (they fail first), then the gates, emitters and every detector
    const finder = new ThresholdFinder(s, e, false, maxWeights);
    const hard = finder.find('le', s.min)
      ? finder.find('ge', s.max)
        ? null
        : `x ≥ code ${s.max}`
      : `x ≤ code ${s.min}`;
    if (hard) {
      tried.push(`e=${e}: no threshold gadget for ${hard}`);
      continue;
    }
    const and = findAnd(s, e);
    if (!and) {
      tried.push(`e=${e}: no AND gadget`);
      continue;
    }
    const emit = buildEmitters(s, e, delay, tried);
    if (!emit) continue;
    const detectors = buildDetectors(s, e, and, delay, tried, finder);
    if (!detectors) continue;
    const cert: Certificate = { e, detectors, and, delay: chainGadget(delay), ...emit };
    const failure = verifyCertificate(s, cert);
    if (failure) {
      tried.push(`e=${e}: ${failure}`);
      continue;
    }
    return { certificate: cert, tried };
  }
  return { certificate: null, tried };
}

/**
 * Checks every gadget of a certificate on its whole domain (THEORY §5.2 G1–G4). Returns null when all
 * hold, else a message naming the first failing gadget and input.
 */
export function verifyCertificate(s: Setting, c: Certificate): string | null {
  const { e } = c;
  const name = (code: number) => `code ${code}`;
  if (!(e >= s.min && e <= s.max) || e === 0) return `e must be a non-zero value, got ${name(e)}`;
  if (c.detectors.length !== s.size) return `expected ${s.size} detectors, got ${c.detectors.length}`;
  const depth = c.detectors[0].layers.length;
  for (let z = s.min; z <= s.max; z++) {
    const d = c.detectors[z - s.min];
    if (d.inputs !== 1 || gadgetOutputs(d) !== 1 || d.layers.length === 0)
      return `detector D_${z}: not a 1-input, 1-output network`;
    if (d.layers.length !== depth) return `detector D_${z}: depth ${d.layers.length}, others ${depth}`;
    for (let x = s.min; x <= s.max; x++) {
      const got = run1(s, d, x);
      if (got !== (x === z ? e : 0)) return `detector D_${z} fails at x = ${name(x)}: ${got}`;
    }
  }
  if (c.and.inputs !== 2 || gadgetOutputs(c.and) !== 1 || c.and.layers.length === 0)
    return 'AND: not a 2-input, 1-output network';
  for (const u of [0, e]) {
    for (const v of [0, e]) {
      const got = runGadget(s, c.and, [u, v])[0];
      if (got !== (u === e && v === e ? e : 0)) return `AND fails at (${u}, ${v}): ${got}`;
    }
  }
  if (c.delay.inputs !== 1 || gadgetOutputs(c.delay) !== 1 || c.delay.layers.length === 0)
    return 'delay: not a 1-input network';
  for (const u of [0, e]) if (run1(s, c.delay, u) !== u) return `delay fails at ${u}`;
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
    const off = runGadget(s, em.gadget, [0]);
    if (off.some((v) => v !== 0)) return `emitter E_${y}: E(0) ≠ 0`;
    const on = runGadget(s, em.gadget, [e]);
    const out = outputNeuron(s, em.weights, on, c.beta);
    if (out !== y) return `emitter E_${y} gives ${out}`;
  }
  return null;
}

/** The output neuron (identity activation): its pre-activation, the accumulation of ω_j ⊗ h_j with β. */
export const outputNeuron = preActivation;
