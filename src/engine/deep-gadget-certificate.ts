/**
 * Deep gadget certificates (docs/theory.md §8.11): the idle-set certificate of §8.3 (and its modular form
 * of §8.9) whose gadgets are small layered networks found by enumerating their functions, not chains.
 *
 * Statement. Let the format have at most `DEEP_GADGET_MAX_VALUES` values, distinct sources, the identity
 * output layer. Levels a ∉ I (values of σ_F); gadgets, each a layered network of the configuration
 * (weights in W, biases in 𝕀, every neuron reading distinct sources), checked on every input of its domain:
 * detectors D_z (all of one depth) with D_z(z) = a and D_z(x) ∈ I for x ≠ z; a 2-input AND with A(a, a) = a
 * and values in I elsewhere on (I ∪ {a})²; a delay P with P(a) = a, P(I) ⊆ I, whose depth divides A's (the
 * AND trees of N_f are padded with copies of P). Then
 *   (kill) if an emitter E_y with output weights that kill its idle outputs gives y with a common β for every
 *     y (`verifyCertificate`, §8.3), the configuration is universal (composition lemma with idle sets, §8.3);
 *   (modular) under `wrap` with N = |𝕀| a power of two, I = {ι}, and a unit weight u ∈ W whose terms
 *     T(u, h) (u ⊗ h sequential; u·h/2^F exact, required to be integers for h ∈ {ι, a}) differ by an odd
 *     δ = T(u, a) − T(u, ι), E_y = k_y copies of P read with u (k_y ≡ y·δ⁻¹ mod N) and the output bias
 *     β_f ≡ −Σ_z k_{f(z)}·T(u, ι) compute every f (modular composition lemma, §8.9).
 * The gadgets come from the layered sets of functions their networks compute: one layer of unary neurons on
 * the input, then neurons of fan-in one or two over them (ordered pairs, two distinct neurons), then unary
 * steps; the emitters' outputs are unary chains.
 */
import type { Budget } from './budget.js';
import { type Certificate, type Emitter, verifyCertificate } from './certificate.js';
import {
  type Gadget,
  type GadgetNeuron,
  gadgetOutputs,
  parallel,
  parameterOutside,
  runGadget,
} from './gadget.js';
import { contributesNothing } from './levels.js';
import { preActivation, type Setting, sigmaOf } from './setting.js';

/**
 * The largest format the enumeration runs on (pairs of first-layer functions grow as |W|²·|B|·|L1|²): 16
 * values with all weights, 32 with binary weights (|W| = 2).
 */
export const DEEP_GADGET_MAX_VALUES = 16;
export const DEEP_GADGET_MAX_VALUES_BINARY = 32;

/** Whether the search runs on this format (its size and weight set). */
export function deepGadgetApplies(s: Setting): boolean {
  return s.size <= (s.weightSet === 'binary' ? DEEP_GADGET_MAX_VALUES_BINARY : DEEP_GADGET_MAX_VALUES);
}

/** Neuron evaluations × inputs spent on the fan-in-2 layer, and on one unary layer (the first nodes). */
const PAIR_WORK = 2e7;
/** Level pairs (a, I) tried, most frequent idle values first. */
export const MAX_LEVELS = 12;
const UNARY_WORK = 1e7;

/** A deep gadget certificate: the gadgets as a certificate of §8.3, and how the output neuron reads them. */
export interface DeepGadgetCertificate {
  readonly mode: 'kill' | 'modular';
  /**
   * kill: a certificate of §8.3 (verified by `verifyCertificate`). modular: the same gadgets with
   * `omega` the unit weight u and `emitters` E_y = k_y copies of P read with u, `beta` 0 (β_f depends on f).
   */
  readonly certificate: Certificate;
  /** modular: the unit weight's terms T(u, a), T(u, ι) (codes) and δ⁻¹ mod N; null in kill mode. */
  readonly unit: { readonly active: number; readonly idle: number; readonly inverse: number } | null;
}

/** A function on a domain (values, NaN where a neuron raises) with a network computing it. */
interface Node {
  readonly values: number[];
  readonly gadget: Gadget;
}

const key = (v: readonly number[]) => v.join(',');
const validAll = (s: Setting, v: readonly number[]) => v.every((x) => x >= s.min && x <= s.max);

/** The neuron σ_F(pre-activation) over edge values `hs` with weights `ws`. */
function fire(s: Setting, ws: readonly number[], hs: readonly number[], b: number): number {
  return sigmaOf(s, preActivation(s, ws, hs, b));
}

/** One neuron on top of the single-output gadgets `gs` (equal depths; each edge reads its own copy). */
function onTop(gs: readonly Gadget[], ws: readonly number[], b: number): Gadget {
  let g = gs[0];
  for (let i = 1; i < gs.length; i++) g = parallel(g, gs[i]);
  const top: GadgetNeuron = { bias: b, edges: ws.map((w, i) => [i, w] as [number, number]) };
  return { inputs: g.inputs, layers: [...g.layers, [top]] };
}

/**
 * The layered function sets of networks on `inputs` domain points: layer 1 neurons read the inputs
 * (`first`), layer 2 neurons read one or two layer-1 nodes, later layers one node of the layer before.
 */
class Layers {
  readonly sets: Node[][] = [];
  constructor(
    private readonly s: Setting,
    private readonly budget: Budget,
    first: Node[],
    private readonly pairWork = PAIR_WORK,
  ) {
    this.sets.push(first);
  }

  /** Layer `depth` (1-based), computed on demand; `pairs` adds fan-in-2 neurons at layer 2. */
  layer(depth: number, pairs: boolean): Node[] {
    while (this.sets.length < depth) {
      const prev = this.sets[this.sets.length - 1];
      const seen = new Map<string, Node>();
      const s = this.s;
      const add = (values: number[], make: () => Gadget) => {
        if (!validAll(s, values)) return;
        const k = key(values);
        if (!seen.has(k)) seen.set(k, { values, gadget: make() });
      };
      const n = prev[0]?.values.length ?? 0;
      for (const g of prev.slice(0, Math.max(1, Math.floor(UNARY_WORK / (s.weights.length * s.size * n))))) {
        this.budget.spend(s.weights.length * s.size * n, 'deep gadget layers');
        for (const w of s.weights)
          for (let b = s.min; b <= s.max; b++) {
            const values = g.values.map((h) => fire(s, [w], [h], b));
            add(values, () => onTop([g.gadget], [w], b));
          }
      }
      if (pairs && this.sets.length === 1) {
        // ordered pairs of layer-1 nodes, as many as PAIR_WORK affords (the first ones: fewest parameters)
        const per = s.weights.length ** 2 * s.size * n;
        const k = Math.min(prev.length, Math.floor(Math.sqrt(this.pairWork / per)));
        const exact = s.accumulation === 'exact';
        const first = s.bias === 'first';
        const out = new Array<number>(n);
        for (let i1 = 0; i1 < k; i1++)
          for (const w1 of s.weights) {
            const g1 = prev[i1];
            const t1 = g1.values.map((h) => (exact ? w1 * h : s.mul(w1, h)));
            for (let i2 = 0; i2 < k; i2++) {
              const g2 = prev[i2];
              this.budget.spend(s.weights.length * s.size * n, 'deep gadget layers');
              for (const w2 of s.weights) {
                const t2 = g2.values.map((h) => (exact ? w2 * h : s.mul(w2, h)));
                for (let b = s.min; b <= s.max; b++) {
                  let ok = true;
                  for (let i = 0; i < n && ok; i++) {
                    let pre: number;
                    if (exact) pre = s.roundWide(b * s.one + t1[i] + t2[i]);
                    else if (first) pre = s.add(s.add(b, t1[i]), t2[i]);
                    else pre = s.add(s.add(t1[i], t2[i]), b);
                    const v = sigmaOf(s, pre);
                    if (!(v >= s.min && v <= s.max)) ok = false;
                    else out[i] = v;
                  }
                  if (!ok) continue;
                  const kk = key(out);
                  if (!seen.has(kk))
                    seen.set(kk, { values: out.slice(), gadget: onTop([g1.gadget, g2.gadget], [w1, w2], b) });
                }
              }
            }
          }
      }
      this.sets.push([...seen.values()]);
    }
    return this.sets[depth - 1];
  }
}

/** Unary first-layer nodes on the inputs `xs` of a 1-input network. */
function unaryFirst(s: Setting, xs: readonly number[]): Node[] {
  const seen = new Map<string, Node>();
  for (const w of s.weights)
    for (let b = s.min; b <= s.max; b++) {
      const values = xs.map((x) => fire(s, [w], [x], b));
      if (!validAll(s, values) || seen.has(key(values))) continue;
      seen.set(key(values), { values, gadget: { inputs: 1, layers: [[{ bias: b, edges: [[0, w]] }]] } });
    }
  return [...seen.values()];
}

/** First-layer nodes of a 2-input network on the points `pts` (u, v): fan-in one (u or v) or two. */
function binaryFirst(s: Setting, pts: ReadonlyArray<readonly [number, number]>): Node[] {
  const seen = new Map<string, Node>();
  const add = (values: number[], n: GadgetNeuron) => {
    if (!validAll(s, values) || seen.has(key(values))) return;
    seen.set(key(values), { values, gadget: { inputs: 2, layers: [[n]] } });
  };
  for (let b = s.min; b <= s.max; b++)
    for (const w1 of s.weights) {
      for (const src of [0, 1])
        add(
          pts.map((p) => fire(s, [w1], [p[src]], b)),
          { bias: b, edges: [[src, w1]] },
        );
      for (const w2 of s.weights)
        for (const [i, j] of [
          [0, 1],
          [1, 0],
        ] as const)
          add(
            pts.map((p) => fire(s, [w1, w2], [p[i], p[j]], b)),
            {
              bias: b,
              edges: [
                [i, w1],
                [j, w2],
              ],
            },
          );
    }
  return [...seen.values()];
}

/** The candidate levels: a and I = {ι} or {0}, values of σ_F, most frequent idle values first. */
export function candidateLevels(s: Setting): Array<{ a: number; idle: number[] }> {
  const vals = [...new Set(Array.from(s.sigma).filter((v) => v >= s.min))];
  const out: Array<{ a: number; idle: number[] }> = [];
  const idles = vals.includes(0) ? [0, ...vals.filter((v) => v !== 0)] : vals;
  for (const i of idles) for (const a of vals) if (a !== i) out.push({ a, idle: [i] });
  return out;
}

const MAX_DEPTH = 3;
/** The deepest detector tried (direct ones up to MAX_DEPTH, A over two of them above). */
const MAX_DETECTOR_DEPTH = 6;

/** A gadget followed by `copies` copies of the delay P. */
function padded(g: Gadget, delay: Gadget, copies: number): Gadget {
  let out = g;
  for (let i = 0; i < copies; i++) out = { inputs: out.inputs, layers: [...out.layers, ...delay.layers] };
  return out;
}

/**
 * Detectors of one depth for every code: a layered function with a at z and values of I elsewhere (depth
 * ≤ MAX_DEPTH), or A over two level-valued functions of one depth whose active sets meet in {z}; shallower
 * ones are padded with copies of P. The least depth ≤ MAX_DETECTOR_DEPTH where every z has one, or null.
 */
function findDetectors(
  layers: Layers,
  xs: readonly number[],
  a: number,
  isIdle: (v: number) => boolean,
  and: Gadget,
  delay: Gadget,
): Gadget[] | null {
  const dA = and.layers.length;
  const dP = delay.layers.length;
  // best[z][depth] = a detector of exactly that depth
  const best: Array<Map<number, Gadget>> = xs.map(() => new Map());
  for (let k = 1; k <= MAX_DEPTH; k++) {
    const level: Array<{ mask: number; g: Gadget }> = [];
    const seenMask = new Set<number>();
    for (const n of layers.layer(k, true)) {
      if (!n.values.every((v) => v === a || isIdle(v))) continue;
      let mask = 0;
      n.values.forEach((v, i) => {
        if (v === a) mask |= 1 << i;
      });
      if (mask === 0) continue;
      if ((mask & (mask - 1)) === 0) {
        const z = 31 - Math.clz32(mask);
        if (!best[z].has(k)) best[z].set(k, n.gadget);
      }
      if (!seenMask.has(mask)) {
        seenMask.add(mask);
        level.push({ mask, g: n.gadget });
      }
    }
    const d = k + dA;
    if (d > MAX_DETECTOR_DEPTH) continue;
    for (let i = 0; i < level.length; i++)
      for (let j = 0; j < level.length; j++) {
        const m = level[i].mask & level[j].mask;
        if (m === 0 || (m & (m - 1)) !== 0) continue;
        const z = 31 - Math.clz32(m);
        if (best[z].has(d)) continue;
        const two = parallel(level[i].g, level[j].g);
        best[z].set(d, { inputs: 1, layers: [...two.layers, ...and.layers] });
      }
  }
  for (let depth = 1; depth <= MAX_DETECTOR_DEPTH; depth++) {
    const out: Gadget[] = [];
    for (let z = 0; z < xs.length; z++) {
      let g: Gadget | null = null;
      for (const [d, gd] of best[z])
        if (d <= depth && (depth - d) % dP === 0 && (!g || d > g.layers.length)) g = gd;
      if (!g) break;
      out.push(padded(g, delay, (depth - g.layers.length) / dP));
    }
    if (out.length === xs.length) return out;
  }
  return null;
}

/** The gadgets of a deep gadget certificate for one level pair: P, A (depth a multiple of P's) and the D_z. */
export interface DeepGadgets {
  readonly delay: Gadget;
  readonly and: Gadget;
  readonly detectors: Gadget[];
}

/**
 * The gadget search of §8.11 for level pairs (a, I) of one setting (the detector layers are shared between
 * calls): the shallowest delay on I ∪ {a} (depth ≤ MAX_DEPTH + 1), the shallowest AND on (I ∪ {a})² whose
 * depth is a multiple of P's, and detectors of one depth for every code; or why there are none.
 */
export function deepGadgetSearch(
  s: Setting,
  budget: Budget,
): (a: number, idle: readonly number[]) => DeepGadgets | string {
  const xs = Array.from({ length: s.size }, (_, i) => s.min + i);
  let detectorLayers: Layers | null = null;
  // results per level pair are kept for the setting (Proposition DS, §8.13, asks for the same gadgets after
  // §8.11's own search); a search the budget stops throws and keeps nothing
  let known = foundGadgets.get(s);
  if (!known) foundGadgets.set(s, (known = new Map()));
  const cache = known;
  return (a, idle) => {
    const k = `${a}|${idle.join(',')}`;
    const hit = cache.get(k);
    if (hit !== undefined) return hit;
    detectorLayers ??= new Layers(s, budget, unaryFirst(s, xs));
    const out = gadgetsOf(s, budget, detectorLayers, xs, a, idle);
    cache.set(k, out);
    return out;
  };
}

const foundGadgets = new WeakMap<Setting, Map<string, DeepGadgets | string>>();

function gadgetsOf(
  s: Setting,
  budget: Budget,
  detectorLayers: Layers,
  xs: readonly number[],
  a: number,
  idle: readonly number[],
): DeepGadgets | string {
  const isIdle = (v: number) => idle.includes(v);
  const domain = [...idle, a];
  // delay: unary chains on I ∪ {a}
  const delayLayers = new Layers(s, budget, unaryFirst(s, domain));
  let delay: Node | null = null;
  for (let d = 1; d <= MAX_DEPTH + 1 && !delay; d++)
    delay =
      delayLayers
        .layer(d, false)
        .find((g) => g.values[domain.length - 1] === a && g.values.slice(0, -1).every(isIdle)) ?? null;
  if (!delay) return `no delay chain of depth ≤ ${MAX_DEPTH + 1}`;
  const dP = delay.gadget.layers.length;
  // AND on (I ∪ {a})², depth a multiple of P's
  const pts: Array<[number, number]> = [];
  for (const u of domain) for (const v of domain) pts.push([u, v]);
  const andLayers = new Layers(s, budget, binaryFirst(s, pts), PAIR_WORK / 20);
  let and: Node | null = null;
  for (let d = dP; d <= MAX_DEPTH && !and; d += dP)
    and =
      andLayers
        .layer(d, true)
        .find((g) => g.values.every((v, i) => (pts[i][0] === a && pts[i][1] === a ? v === a : isIdle(v)))) ??
      null;
  if (!and) return `no AND of depth ≤ ${MAX_DEPTH} (a multiple of the delay's ${dP})`;
  // detectors: the least depth at which every z has one (direct, or A over two level functions, padded with P)
  const detectors = findDetectors(detectorLayers, xs, a, isIdle, and.gadget, delay.gadget);
  if (!detectors) return `no detector for some code at depth ≤ ${MAX_DETECTOR_DEPTH}`;
  return { delay: delay.gadget, and: and.gadget, detectors };
}

/** Searches a deep gadget certificate; `tried` says why each level pair failed. */
export function findDeepGadgetCertificate(
  s: Setting,
  budget: Budget,
): { certificate: DeepGadgetCertificate | null; tried: string[] } {
  if (!deepGadgetApplies(s))
    return {
      certificate: null,
      tried: [
        `more than ${DEEP_GADGET_MAX_VALUES} values (${DEEP_GADGET_MAX_VALUES_BINARY} with binary weights)`,
      ],
    };
  const xs = Array.from({ length: s.size }, (_, i) => s.min + i);
  const gadgetsFor = deepGadgetSearch(s, budget);
  const modularOk =
    s.policy.overflow === 'wrap' && (s.size & (s.size - 1)) === 0 && s.max - s.min + 1 === s.size;
  const tried: string[] = [];
  for (const lv of candidateLevels(s).slice(0, MAX_LEVELS)) {
    const { a, idle } = lv;
    const label = `a=${a}, I={${idle.join(',')}}`;
    // kill mode needs a readout weight; modular mode a unit weight with an odd difference
    const killing = s.weights.some(
      (w) => idle.every((i) => contributesNothing(s, w, i)) && !contributesNothing(s, w, a),
    );
    const unit = modularOk ? modularUnit(s, a, idle[0]) : null;
    if (!killing && !unit) {
      tried.push(`${label}: no readout weight and no unit weight`);
      continue;
    }
    const domain = [...idle, a];
    const found = gadgetsFor(a, idle);
    if (typeof found === 'string') {
      tried.push(`${label}: ${found}`);
      continue;
    }
    const { delay, and, detectors } = found;
    if (killing) {
      const kill = killEmitters(s, budget, lv, domain);
      if (kill) {
        const certificate: Certificate = {
          e: a,
          idle,
          omega: kill.omega,
          detectors,
          and,
          delay,
          beta: kill.beta,
          emitters: kill.emitters,
        };
        const c: DeepGadgetCertificate = { mode: 'kill', certificate, unit: null };
        if (verifyDeepGadgetCertificate(s, c) === null) return { certificate: c, tried };
      }
    }
    if (unit) {
      const certificate: Certificate = {
        e: a,
        idle,
        omega: unit.u,
        detectors,
        and,
        delay,
        beta: 0,
        emitters: xs.map((y) => modularEmitter(s, delay, unit.u, unit.inverse, y)),
      };
      const c: DeepGadgetCertificate = {
        mode: 'modular',
        certificate,
        unit: { active: unit.active, idle: unit.idle, inverse: unit.inverse },
      };
      if (verifyDeepGadgetCertificate(s, c) === null) return { certificate: c, tried };
    }
    tried.push(
      `${label}: no emitters reach every value (${killing ? 'killing readouts' : ''}${killing && unit ? ', ' : ''}${unit ? 'modular unit' : ''})`,
    );
  }
  return { certificate: null, tried };
}

/** T(u, h): the code u ⊗ h (sequential) or u·h/2^F (exact; null when not an integer). */
function term(s: Setting, u: number, h: number): number | null {
  if (s.accumulation === 'exact') return (u * h) % s.one === 0 ? (u * h) / s.one : null;
  const t = s.mul(u, h);
  return t >= s.min && t <= s.max ? t : null;
}

/** A unit weight u with T(u, a) − T(u, ι) odd, and that difference's inverse modulo N. */
function modularUnit(s: Setting, a: number, iota: number) {
  for (const u of s.weights) {
    const ta = term(s, u, a);
    const ti = term(s, u, iota);
    if (ta === null || ti === null || (ta - ti) % 2 === 0) continue;
    const N = s.size;
    const delta = (((ta - ti) % N) + N) % N;
    let inverse = 1;
    while ((delta * inverse) % N !== 1) inverse += 2;
    return { u, active: ta, idle: ti, inverse };
  }
  return null;
}

/** E_y of the modular mode: k_y ≡ y·δ⁻¹ (mod N) copies of P, each read with u. */
function modularEmitter(s: Setting, delay: Gadget, u: number, inverse: number, y: number): Emitter {
  const N = s.size;
  const k = (((y * inverse) % N) + N) % N;
  if (k === 0) return { gadget: { inputs: 1, layers: [] }, weights: [] };
  let g = delay;
  for (let j = 1; j < k; j++) g = parallel(g, delay);
  return { gadget: g, weights: Array(k).fill(u) };
}

/** The modular output bias β_f ≡ −Σ_z k_{f(z)}·T(u, ι) (mod N), as a code of 𝕀 (docs/theory.md §8.9). */
export function deepGadgetOutputBias(
  s: Setting,
  c: DeepGadgetCertificate,
  values: readonly number[],
): number {
  if (!c.unit) return c.certificate.beta;
  const N = s.size;
  let sum = 0;
  for (const y of values) sum += c.certificate.emitters[y - s.min].weights.length * c.unit.idle;
  const r = (((-sum - s.min) % N) + N) % N;
  return s.min + r;
}

/**
 * Kill-mode emitters: outputs are unary chains of one depth on I ∪ {a} read with weights that kill their
 * idle values; a breadth-first search over the output accumulator finds, for one β, a list of terms for
 * every y.
 */
function killEmitters(
  s: Setting,
  budget: Budget,
  lv: { a: number; idle: number[] },
  domain: number[],
): { omega: number; beta: number; emitters: Emitter[] } | null {
  const chains = new Layers(s, budget, unaryFirst(s, domain));
  const ai = domain.length - 1;
  for (let depth = 1; depth <= MAX_DEPTH; depth++) {
    // readable terms: (chain, weight) killing the chain's idle values, not its active one
    const terms: Array<{ node: Node; w: number; t: number }> = [];
    const seenT = new Set<number>();
    for (const node of chains.layer(depth, false))
      for (const w of s.weights) {
        if (!lv.idle.every((_, i) => contributesNothing(s, w, node.values[i]))) continue;
        if (contributesNothing(s, w, node.values[ai])) continue;
        const t = s.accumulation === 'exact' ? w * node.values[ai] : s.mul(w, node.values[ai]);
        if (!(s.accumulation === 'exact' || (t >= s.min && t <= s.max)) || seenT.has(t)) continue;
        seenT.add(t);
        terms.push({ node, w, t });
      }
    if (terms.length === 0) continue;
    const omega = terms[0].w;
    for (let beta = s.min; beta <= s.max; beta++) {
      const paths = reachAll(s, budget, terms, beta);
      if (!paths) continue;
      const emitters: Emitter[] = paths.map((path) => {
        if (path.length === 0) return { gadget: { inputs: 1, layers: [] }, weights: [] };
        let g = terms[path[0]].node.gadget;
        for (let j = 1; j < path.length; j++) g = parallel(g, terms[path[j]].node.gadget);
        return { gadget: g, weights: path.map((j) => terms[j].w) };
      });
      return { omega, beta, emitters };
    }
  }
  return null;
}

/** For every y the shortest list of terms (indices) the output neuron with bias β turns into y, or null. */
function reachAll(
  s: Setting,
  budget: Budget,
  terms: ReadonlyArray<{ t: number }>,
  beta: number,
): number[][] | null {
  const exact = s.accumulation === 'exact';
  const biasFirst = !exact && s.bias === 'first';
  const start = exact ? beta * s.one : biasFirst ? beta : 0;
  const finish = (acc: number): number => (exact ? s.roundWide(acc) : biasFirst ? acc : s.add(acc, beta));
  const limit = exact ? 4 * s.size * s.one * s.one : 0;
  const parent = new Map<number, [number, number] | null>([[start, null]]);
  const out: Array<number[] | null> = Array(s.size).fill(null);
  let frontier = [start];
  let found = 0;
  const record = (acc: number) => {
    const y = finish(acc);
    if (!(y >= s.min && y <= s.max) || out[y - s.min]) return;
    const path: number[] = [];
    for (let cur = parent.get(acc); cur; cur = parent.get(cur[0])) path.unshift(cur[1]);
    // an empty list is the empty emitter: the output neuron gives finish(start), checked by the verifier
    out[y - s.min] = path;
    found++;
  };
  record(start);
  for (let len = 1; len <= 2 * s.size && frontier.length > 0 && found < s.size; len++) {
    budget.spend(frontier.length * terms.length, 'deep gadget emitters');
    const next: number[] = [];
    for (const acc of frontier)
      for (let j = 0; j < terms.length; j++) {
        const v = exact ? acc + terms[j].t : s.add(acc, terms[j].t);
        if (exact ? Math.abs(v) > limit : !(v >= s.min && v <= s.max)) continue;
        if (parent.has(v)) continue;
        parent.set(v, [acc, j]);
        next.push(v);
        record(v);
      }
    frontier = next;
  }
  return found === s.size ? (out as number[][]) : null;
}

/**
 * Checks a deep gadget certificate (docs/theory.md §8.11): every neuron reads distinct sources with weights
 * in W and a bias in 𝕀; the delay's depth divides the AND's; kill mode: `verifyCertificate` (every gadget on
 * every input of its domain); modular mode: wrap, N a power of two, one idle value, T(u, h) integers with an
 * odd difference, the detectors, AND and delay on their domains, and E_y = k_y copies of P with k_y·δ ≡ y.
 * Returns null when all hold, else the first failure.
 */
export function verifyDeepGadgetCertificate(s: Setting, c: DeepGadgetCertificate): string | null {
  const cert = c.certificate;
  const gadgets: Array<[string, Gadget]> = [
    ['AND', cert.and],
    ['delay', cert.delay],
    ...cert.detectors.map((d, i) => [`detector D_${s.min + i}`, d] as [string, Gadget]),
    ...cert.emitters.map((e, i) => [`emitter E_${s.min + i}`, e.gadget] as [string, Gadget]),
  ];
  const inW = (w: number) => s.weights.includes(w);
  for (const [what, g] of gadgets) {
    const outside = parameterOutside(s, g, inW);
    if (outside) return `${what}: ${outside}`;
    for (const layer of g.layers)
      for (const n of layer)
        if (new Set(n.edges.map((e) => e[0])).size !== n.edges.length)
          return `${what}: a neuron reads a source twice`;
  }
  const dA = cert.and.layers.length;
  const dP = cert.delay.layers.length;
  if (dP === 0 || dA % dP !== 0) return `the delay's depth ${dP} does not divide the AND's ${dA}`;
  if (c.mode === 'kill') return verifyCertificate(s, cert);
  // modular mode (docs/theory.md §8.9's lemma and composition lemma)
  const N = s.size;
  if (s.policy.overflow !== 'wrap' || (N & (N - 1)) !== 0 || s.max - s.min + 1 !== N)
    return 'modular mode needs overflow wrap on a format of 2^k values';
  if (cert.idle.length !== 1 || cert.idle[0] === cert.e) return 'modular mode needs one idle value ι ≠ a';
  const [iota] = cert.idle;
  const a = cert.e;
  const u = cert.omega;
  if (!inW(u)) return `the unit weight ${u} is outside W`;
  const ta = term(s, u, a);
  const ti = term(s, u, iota);
  if (ta === null || ti === null) return 'the unit weight does not give integer terms on {ι, a}';
  if (!c.unit || c.unit.active !== ta || c.unit.idle !== ti) return 'the unit terms are not T(u, a), T(u, ι)';
  const delta = ta - ti;
  if (delta % 2 === 0 || (((delta * c.unit.inverse) % N) + N) % N !== 1)
    return `δ = ${delta} is not odd, or δ⁻¹ is wrong`;
  const isIdle = (v: number) => v === iota;
  const depth = cert.detectors[0]?.layers.length ?? 0;
  if (cert.detectors.length !== N) return `expected ${N} detectors`;
  for (let z = s.min; z <= s.max; z++) {
    const d = cert.detectors[z - s.min];
    if (d.inputs !== 1 || gadgetOutputs(d) !== 1 || d.layers.length !== depth || depth === 0)
      return `detector D_${z}: not a 1-input, 1-output network of depth ${depth}`;
    for (let x = s.min; x <= s.max; x++) {
      const got = runGadget(s, d, [x])[0];
      if (x === z ? got !== a : !isIdle(got)) return `detector D_${z} fails at x = ${x}: ${got}`;
    }
  }
  for (const uu of [iota, a])
    for (const vv of [iota, a]) {
      const got = runGadget(s, cert.and, [uu, vv])[0];
      if (uu === a && vv === a ? got !== a : !isIdle(got)) return `AND fails at (${uu}, ${vv}): ${got}`;
    }
  if (runGadget(s, cert.delay, [a])[0] !== a || runGadget(s, cert.delay, [iota])[0] !== iota)
    return 'the delay does not keep a and ι';
  for (let y = s.min; y <= s.max; y++) {
    const em = cert.emitters[y - s.min];
    const k = em.weights.length;
    if (!em.weights.every((w) => w === u)) return `emitter E_${y}: a weight other than u`;
    if ((((k * delta - y) % N) + N) % N !== 0)
      return `emitter E_${y}: ${k} copies give ${k * delta}, not y mod N`;
    if (k > 0) {
      const on = runGadget(s, em.gadget, [a]);
      const off = runGadget(s, em.gadget, [iota]);
      if (on.length !== k || !on.every((v) => v === a) || !off.every((v) => v === iota))
        return `emitter E_${y}: its copies do not output a on a and ι on ι`;
    }
  }
  return null;
}
