/**
 * Deep start certificates (docs/theory.md §8.14): the gadgets of §8.11 (layered networks found by
 * enumeration, a delay of any depth) with the start emitters of §8.10 / Proposition BG (start): the output
 * neuron first reads a constant prefix, then terms ω ⊗ a of one sign.
 *
 * Proposition DS. Sequential accumulation, either bias order; any rounding; overflow saturate, wrap or
 * error; any weight set W; distinct sources; identity output layer. Let a ≠ ι be values of σ_F and let the
 * following be networks with weights in W, biases in 𝕀 and σ_F on every layer, every neuron reading distinct
 * sources, each checked on every point of its domain (every neuron valid there): detectors D_z (z ∈ 𝕀, one
 * input, all of one depth) with D_z(z) = a and D_z(x) = ι for x ≠ z; a delay P (one input, depth p ≥ 1)
 * with P(ι) = ι and P(a) = a; an AND A (two inputs, depth a multiple of p) with A(a, a) = a and A = ι on
 * the other three points of {ι, a}²; a constant gadget K (one input, depth p) with K(ι) = K(a) = c. Let
 * ω ∈ W with ω ⊗ ι = 0 and t = ω ⊗ a ≠ 0 (valid), w_c ∈ W, m ≥ 0 and β ∈ 𝕀 such that for every y ∈ 𝕀 some
 * k_y ≥ 0 makes the output neuron's sequential accumulation (β first, or 0 and β last) of m terms w_c ⊗ c
 * and then k_y terms t valid and equal to y. Then the configuration is universal.
 *
 * Proof: N_f of §8.3 (AND trees over the detectors, padded with copies of P, whose depth divides A's), on the
 * tree of each point z the emitter k_{f(z)} copies of P read with ω, on the tree of one point m copies of K
 * read first with w_c. Idle emitters add ω ⊗ ι = 0 and are deleted by Lemma A (§8.2); K outputs c whatever
 * its tree outputs; what remains is the checked accumulation, so the output is f(x). The composition is
 * §8.10's with the gadgets of §8.11; it uses of them only their values on their domains.
 */
import type { Budget } from './budget.js';
import {
  candidateLevels,
  deepGadgetApplies,
  deepGadgetSearch,
  MAX_LEVELS,
} from './deep-gadget-certificate.js';
import { type Gadget, gadgetOutputs, parameterOutside, runGadget } from './gadget.js';
import type { Setting } from './setting.js';

/** A deep start certificate (Proposition DS). */
export interface DeepStartCertificate {
  readonly a: number;
  readonly idle: number;
  /** D_z for z = min … max, all of one depth. */
  readonly detectors: readonly Gadget[];
  readonly and: Gadget;
  /** Depth p ≥ 1, dividing the AND's. */
  readonly delay: Gadget;
  /** ω: ω ⊗ ι = 0, ω ⊗ a ≠ 0. */
  readonly unit: number;
  readonly beta: number;
  /** `count` copies of the constant gadget `gadget` (depth p, value `value` on {ι, a}) read first with `weight`. */
  readonly prefix: {
    readonly gadget: Gadget;
    readonly value: number;
    readonly weight: number;
    readonly count: number;
  };
}

/**
 * k_y: the output neuron's sequential accumulation of the prefix (count terms weight ⊗ value), then k_y
 * terms ω ⊗ a, with β first or last, gives y (every step valid); null when no k ≤ 2N + 2 does.
 */
export function deepStartCount(s: Setting, c: DeepStartCertificate, y: number): number | null {
  const t = s.mul(c.unit, c.a);
  const p = c.prefix;
  let acc = s.bias === 'first' ? c.beta : 0;
  for (let j = 0; j < p.count; j++) acc = s.add(acc, s.mul(p.weight, p.value));
  for (let k = 0; k <= 2 * s.size + 2; k++) {
    if (Number.isNaN(acc)) return null;
    const out = s.bias === 'first' ? acc : s.add(acc, c.beta);
    if (out === y) return k;
    acc = s.add(acc, t);
  }
  return null;
}

const sameSources = (g: Gadget) =>
  g.layers.some((layer) => layer.some((n) => new Set(n.edges.map((e) => e[0])).size !== n.edges.length));

/** Checks every hypothesis of Proposition DS; null when all hold, else the first failure. */
export function verifyDeepStartCertificate(s: Setting, c: DeepStartCertificate): string | null {
  if (s.accumulation !== 'sequential') return 'start emitters need sequential accumulation';
  const { a, idle } = c;
  const inRange = (v: number) => Number.isInteger(v) && v >= s.min && v <= s.max;
  const weightSet = new Set(s.weights);
  const inW = (w: number) => weightSet.has(w);
  if (a === idle || !s.sigma.includes(a) || !s.sigma.includes(idle))
    return 'a and ι are not two values of σ_F';
  const gadgets: Array<[string, Gadget]> = [
    ['P', c.delay],
    ['A', c.and],
    ['K', c.prefix.gadget],
    ...c.detectors.map((g, i): [string, Gadget] => [`D_${s.min + i}`, g]),
  ];
  for (const [name, g] of gadgets) {
    const bad = parameterOutside(s, g, inW);
    if (bad) return `${name}: ${bad}`;
    if (sameSources(g)) return `${name}: a neuron reads a source twice`;
  }
  const p = c.delay.layers.length;
  if (c.delay.inputs !== 1 || gadgetOutputs(c.delay) !== 1 || p === 0) return 'P is not a 1-input gadget';
  for (const u of [idle, a]) if (runGadget(s, c.delay, [u])[0] !== u) return `P(${u}) ≠ ${u}`;
  if (c.and.inputs !== 2 || gadgetOutputs(c.and) !== 1 || c.and.layers.length === 0)
    return 'A is not a 2-input gadget';
  if (c.and.layers.length % p !== 0)
    return `the delay's depth ${p} does not divide the AND's ${c.and.layers.length}`;
  for (const u of [idle, a])
    for (const v of [idle, a]) {
      const want = u === a && v === a ? a : idle;
      if (runGadget(s, c.and, [u, v])[0] !== want) return `A(${u}, ${v}) ≠ ${want}`;
    }
  if (c.detectors.length !== s.size) return 'not one detector per value';
  const depth = c.detectors[0].layers.length;
  for (let i = 0; i < s.size; i++) {
    const g = c.detectors[i];
    if (g.inputs !== 1 || gadgetOutputs(g) !== 1 || g.layers.length !== depth || depth === 0)
      return `D_${s.min + i} is not a 1-input gadget of depth ${depth}`;
    for (let x = s.min; x <= s.max; x++) {
      const want = x === s.min + i ? a : idle;
      if (runGadget(s, g, [x])[0] !== want) return `D_${s.min + i}(${x}) ≠ ${want}`;
    }
  }
  // ω kills ι (Lemma A deletes every idle emitter's terms) and reads a
  if (!inW(c.unit)) return `ω = ${c.unit} is not in W`;
  if (s.mul(c.unit, idle) !== 0) return 'ω does not kill ι';
  const t = s.mul(c.unit, a);
  if (Number.isNaN(t) || t === 0) return 'ω ⊗ a is 0 or invalid';
  const pre = c.prefix;
  if (!inW(pre.weight) || !Number.isInteger(pre.count) || pre.count < 0)
    return 'the prefix weight or count is invalid';
  if (pre.gadget.inputs !== 1 || gadgetOutputs(pre.gadget) !== 1 || pre.gadget.layers.length !== p)
    return `K is not a 1-input gadget of the delay's depth ${p}`;
  for (const u of [idle, a])
    if (runGadget(s, pre.gadget, [u])[0] !== pre.value) return `K(${u}) ≠ ${pre.value}`;
  if (!inRange(c.beta)) return 'β is not a value';
  for (let y = s.min; y <= s.max; y++)
    if (deepStartCount(s, c, y) === null) return `E_${y}: no count of terms reaches y`;
  return null;
}

/** Whether the search runs: sequential accumulation on a format the §8.11 enumeration handles. */
export function deepStartApplies(s: Setting): boolean {
  return s.accumulation === 'sequential' && deepGadgetApplies(s);
}

/**
 * A constant gadget of depth p on {ι, a} for each value it can take: unary chains (weight and bias in the
 * configuration), the first layer any unary neuron constant on {ι, a}, later layers any unary neuron.
 */
function constants(s: Setting, idle: number, a: number, p: number): Map<number, Gadget> {
  // layer by layer, the distinct value pairs (on ι, on a) with one chain each
  let level = new Map<string, { v: [number, number]; steps: Array<[number, number]> }>();
  level.set(`${idle},${a}`, { v: [idle, a], steps: [] });
  for (let d = 0; d < p; d++) {
    const next = new Map<string, { v: [number, number]; steps: Array<[number, number]> }>();
    for (const { v, steps } of level.values())
      for (const w of s.weights)
        for (let b = s.min; b <= s.max; b++) {
          const fire = (h: number) => {
            const t = s.mul(w, h);
            const pre = s.bias === 'first' ? s.add(b, t) : s.add(t, b);
            return Number.isNaN(pre) ? Number.NaN : s.sigma[pre - s.min];
          };
          const u: [number, number] = [fire(v[0]), fire(v[1])];
          if (!inRangeOf(s, u[0]) || !inRangeOf(s, u[1])) continue;
          const k = `${u[0]},${u[1]}`;
          if (!next.has(k)) next.set(k, { v: u, steps: [...steps, [w, b]] });
        }
    level = next;
  }
  const out = new Map<number, Gadget>();
  for (const { v, steps } of level.values())
    if (v[0] === v[1] && !out.has(v[0]))
      out.set(v[0], { inputs: 1, layers: steps.map(([w, b]) => [{ bias: b, edges: [[0, w]] }]) });
  return out;
}

const inRangeOf = (s: Setting, v: number) => v >= s.min && v <= s.max;

/**
 * Searches a deep start certificate (formats of at most 16 values, sequential): for each level pair (a, ι)
 * with a weight ω killing ι and reading a, the §8.11 gadgets, a constant K of P's depth, and a prefix
 * (weight, count) and β with which every y is reached. `tried` says why each level pair failed.
 */
export function findDeepStartCertificate(
  s: Setting,
  budget: Budget,
): { certificate: DeepStartCertificate | null; tried: string[] } {
  if (!deepStartApplies(s))
    return { certificate: null, tried: ['needs sequential accumulation and at most 16 values (32 with ±1)'] };
  const gadgetsFor = deepGadgetSearch(s, budget);
  const tried: string[] = [];
  // the level pairs of §8.11's search (whose gadgets it keeps for the setting)
  for (const { a, idle: I } of candidateLevels(s).slice(0, MAX_LEVELS)) {
    const idle = I[0];
    const label = `a=${a}, ι=${idle}`;
    const units = s.weights.filter(
      (w) => s.mul(w, idle) === 0 && inRangeOf(s, s.mul(w, a)) && s.mul(w, a) !== 0,
    );
    if (units.length === 0) continue;
    const found = gadgetsFor(a, [idle]);
    if (typeof found === 'string') {
      tried.push(`${label}: ${found}`);
      continue;
    }
    const p = found.delay.layers.length;
    const ks = constants(s, idle, a, p);
    budget.spend(units.length * ks.size * s.weights.length * s.size * s.size, 'deep start certificates');
    for (const unit of units)
      for (const [value, gadget] of ks)
        for (const weight of s.weights)
          for (let count = 0; count <= s.size; count++) {
            if (count === 0 && weight !== s.weights[0]) continue;
            for (let beta = s.min; beta <= s.max; beta++) {
              const c: DeepStartCertificate = {
                a,
                idle,
                detectors: found.detectors,
                and: found.and,
                delay: found.delay,
                unit,
                beta,
                prefix: { gadget, value, weight, count },
              };
              let all = true;
              for (let y = s.min; y <= s.max && all; y++) all = deepStartCount(s, c, y) !== null;
              if (all && verifyDeepStartCertificate(s, c) === null) return { certificate: c, tried };
            }
          }
    tried.push(`${label}: no prefix, killing weight and β reach every y`);
  }
  if (tried.length === 0) tried.push('no weight kills one value of σ_F and reads another');
  return { certificate: null, tried };
}
