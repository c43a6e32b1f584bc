/**
 * Boolean gadget certificates: paired (§8.8), modular (§8.9) and start (§8.10) emitters on small gadgets
 * found by enumeration and checked on every input (docs/theory.md §8.12, Proposition BG).
 *
 * Proposition BG. Exact accumulation (paired, modular) or sequential (start); any rounding; overflow saturate,
 * wrap or error; any weight set W; distinct sources; identity output layer. Let a ≠ ι be values of σ_F and let networks with weights in W and
 * biases in 𝕀 (every layer σ_F) be given: detectors D_z (z ∈ 𝕀, 1 input, all of one depth) with D_z(z) = a
 * and D_z(x) = ι for x ≠ z; an AND gadget A (2 inputs) with A(a, a) = a and A(u, v) = ι on the other points
 * of {ι, a}²; a delay P of depth 1 with P(ι) = ι, P(a) = a; each checked on every input of its domain (every
 * neuron valid there). Then the configuration is universal if either
 *  (paired) a chain C of depth 1 with C(ι) = C(a) = ι, ω ∈ W with −ω ∈ W, β ∈ 𝕀, and for every y an
 *  integer k_y with rnd(β·2^F + k_y·ω·(a − ι)) = y (valid; the output neuron's exact accumulation of |k_y|
 *  active pairs (P, C) read with (±ω, ∓ω)); or
 *  (modular) overflow wrap, u ∈ W with D = u·(a − ι) of 2-adic valuation ≤ F and, when u·ι ∉ 2^F·ℤ, a constant
 *  gadget C (dummy copies make the idle products a multiple of 2^F; k_y·D ≡ y·2^F mod N·2^F); or
 *  (start) sequential accumulation: ω ⊗ ι = 0 ≠ ω ⊗ a, a constant gadget K read `count` times first with a
 *  weight, and β, so that the accumulation of the prefix and k_y terms ω ⊗ a gives every y (§8.10).
 * The network N_f is that of §8.3 (AND trees over the detectors, padded with P, one tree per point), with the
 * emitters of §8.8 (pairs), §8.9 (k_y copies of P read with u, dummy copies of C, output bias β_f) or §8.10
 * (the prefix first, then k_y copies of P read with ω); the proofs are those of §8.8–§8.10 unchanged: they use of the gadgets only their values on their
 * domains, which `verifyBooleanGadgetCertificate` checks point by point.
 *
 * The search (formats of at most 16 values): P, A, C and a NOT gadget N (N(ι) = a, N(a) = ι) of depth 1
 * or 2 (a second-layer neuron reading up to three first-layer neurons, exact sums of product vectors
 * deduplicated); literals g(x) = σ_F(w·x + b) with values in {ι, a} (depth 1), padded with P or negated
 * with N to one depth; D_z an AND tree of literals true at z that separate z from every other x.
 */
import type { Budget } from './budget.js';
import { type Gadget, type GadgetNeuron, parallel, parameterOutside, runGadget, stack } from './gadget.js';
import { preActivation, type Setting, sigmaOf } from './setting.js';

export interface BooleanGadgetCertificate {
  readonly kind: 'paired' | 'modular' | 'start';
  readonly a: number;
  readonly idle: number;
  /** D_z for z = min … max, all of one depth. */
  readonly detectors: readonly Gadget[];
  readonly and: Gadget;
  /** Depth 1. */
  readonly delay: Gadget;
  /** Paired: C of depth 1, C(ι) = C(a) = ι. */
  readonly constant: Gadget | null;
  /** Paired: ω (−ω ∈ W too); modular: u. */
  readonly unit: number;
  /** Paired, start: β. Modular: unused (β_f depends on f, `modularPlan`). */
  readonly beta: number;
  /**
   * Start (sequential): `count` copies of the constant gadget `gadget` (depth 1, value `value` on {ι, a})
   * read first by the output neuron with `weight`.
   */
  readonly prefix?: {
    readonly gadget: Gadget;
    readonly value: number;
    readonly weight: number;
    readonly count: number;
  };
}

export interface BooleanGadgetReport {
  readonly certificate: BooleanGadgetCertificate | null;
  readonly tried: string[];
}

/** Most values of a format searched; most product-vector sums kept per gadget search. */
export const BOOLEAN_GADGET_LIMITS = { values: 16, sums: 50_000 } as const;

const key = (v: readonly number[]) => v.join(',');

/**
 * A gadget with `inputs` inputs whose outputs on the domain points are `target` (one output), depth 1 or
 * 2, or null. Exact accumulation: a second-layer neuron's pre-activation is rnd(b·2^F + Σ w_j·h_j), so sums
 * of product vectors (over the domain) are deduplicated.
 */
export function smallGadget(
  s: Setting,
  inputs: number,
  domain: readonly (readonly number[])[],
  target: readonly number[],
  budget?: Budget,
): Gadget | null {
  const W = [...new Set(s.weights)];
  const want = key(target);
  const evalNeuron = (n: GadgetNeuron, rows: readonly (readonly number[])[]) =>
    rows.map((r) =>
      sigmaOf(
        s,
        preActivation(
          s,
          n.edges.map((e) => e[1]),
          n.edges.map((e) => r[e[0]]),
          n.bias,
        ),
      ),
    );
  // depth 1: one neuron reading each input at most once
  const firstLayer: GadgetNeuron[] = [];
  const subsets: number[][] = inputs === 1 ? [[0]] : [[0], [1], [0, 1]];
  for (const sub of subsets) {
    const choose = (j: number, edges: Array<readonly [number, number]>) => {
      if (j === sub.length) {
        for (let b = s.min; b <= s.max; b++) firstLayer.push({ bias: b, edges: edges.slice() });
        return;
      }
      for (const w of W) choose(j + 1, [...edges, [sub[j], w] as const]);
    };
    choose(0, []);
  }
  budget?.spend(firstLayer.length * domain.length, 'the boolean gadget search');
  const vectors = new Map<string, { n: GadgetNeuron; v: number[] }>();
  for (const n of firstLayer) {
    const v = evalNeuron(n, domain);
    if (key(v) === want) return { inputs, layers: [[n]] };
    if (v.every((x) => !Number.isNaN(x)) && !vectors.has(key(v))) vectors.set(key(v), { n, v });
  }
  // depth 2: layer 1 the distinct first-layer vectors; layer 2 one neuron over up to three of them
  const V = [...vectors.values()];
  const terms = new Map<string, { p: number[]; src: number; w: number }>();
  for (let i = 0; i < V.length; i++)
    for (const w of W) {
      if (w === 0) continue;
      const p = s.accumulation === 'exact' ? V[i].v.map((h) => w * h) : V[i].v.map((h) => s.mul(w, h));
      if (p.some((x) => Number.isNaN(x))) continue;
      if (!terms.has(key(p))) terms.set(key(p), { p, src: i, w });
    }
  const T = [...terms.values()];
  type Sum = { p: number[]; parts: Array<{ src: number; w: number }> };
  const exact = s.accumulation === 'exact';
  // sequential: the accumulator vector after each term (order matters), from 0 (bias last) or from b
  const starts = exact || s.bias === 'last' ? [0] : Array.from({ length: s.size }, (_, i) => s.min + i);
  for (const start of starts) {
    let level: Sum[] = [{ p: domain.map(() => start), parts: [] }];
    const seen = new Set<string>([key(level[0].p)]);
    for (let m = 1; m <= 3; m++) {
      const next: Sum[] = [];
      for (const sum of level)
        for (const t of T) {
          const p = exact
            ? sum.p.map((x, i) => x + t.p[i])
            : sum.p.map((x, i) => s.add(x, s.mul(t.w, V[t.src].v[i])));
          if (!exact && p.some((x) => Number.isNaN(x))) continue;
          const k = key(p);
          if (seen.has(k)) continue;
          seen.add(k);
          next.push({ p, parts: [...sum.parts, { src: t.src, w: t.w }] });
          if (seen.size > BOOLEAN_GADGET_LIMITS.sums) break;
        }
      budget?.spend(level.length * T.length, 'the boolean gadget search');
      const biases =
        exact || s.bias === 'last' ? Array.from({ length: s.size }, (_, i) => s.min + i) : [start];
      for (const sum of next)
        for (const b of biases) {
          let ok = true;
          for (let i = 0; i < domain.length && ok; i++) {
            const pre = exact
              ? s.roundWide(b * s.one + sum.p[i])
              : s.bias === 'last'
                ? s.add(sum.p[i], b)
                : sum.p[i];
            ok = sigmaOf(s, pre) === target[i];
          }
          if (!ok) continue;
          // layer 1: one neuron per part (copies allowed: distinct neurons), layer 2 reads each once, in order
          const layer1 = sum.parts.map((q) => V[q.src].n);
          const top: GadgetNeuron = { bias: b, edges: sum.parts.map((q, j) => [j, q.w] as const) };
          const g: Gadget = { inputs, layers: [layer1, [top]] };
          // re-run with the engine's own neuron (the search's arithmetic is only a guide)
          if (domain.every((r, i) => runGadget(s, g, r)[0] === target[i])) return g;
        }
      level = next;
      if (seen.size > BOOLEAN_GADGET_LIMITS.sums) break;
    }
  }
  return null;
}

/** P repeated `k` times (depth k; k = 0: the pass-through gadget). */
export function delays(P: Gadget, k: number): Gadget {
  return { inputs: 1, layers: Array.from({ length: k }, () => P.layers[0]) };
}

/** The AND tree of 1-input gadgets of one depth (on the same input x), padded with P to one depth. */
export function andTree(parts: Gadget[], A: Gadget, P: Gadget): Gadget {
  let level = parts;
  while (level.length > 1) {
    const next: Gadget[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(stack(parallel(level[i], level[i + 1]), A));
    if (level.length % 2 === 1) next.push(stack(level[level.length - 1], delays(P, A.layers.length)));
    level = next;
  }
  return level[0];
}

/** Exact accumulation (paired) or exact accumulation under wrap (modular), at most 16 values. */
export function booleanGadgetApplies(s: Setting): boolean {
  return s.size <= BOOLEAN_GADGET_LIMITS.values;
}

/**
 * The start emitter's count k_y: the output neuron's sequential accumulation of the prefix (count terms
 * weight ⊗ value), then k_y terms ω ⊗ a, with β first or last, gives y (valid); null when no k ≤ 2N + 2 does.
 */
export function startCount(s: Setting, c: BooleanGadgetCertificate, y: number): number | null {
  const p = c.prefix;
  if (!p) return null;
  const t = s.mul(c.unit, c.a);
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

/** The paired emitter's k_y (|k_y| pairs read with (sign·ω, −sign·ω)), or null. */
export function pairedCount(s: Setting, c: BooleanGadgetCertificate, y: number): number | null {
  const d = c.unit * (c.a - c.idle);
  if (d === 0) return null;
  const guess = Math.round(((y - c.beta) * s.one) / d);
  const reach = 4 * s.size + 8;
  for (let delta = 0; delta <= reach; delta++)
    for (const k of delta === 0 ? [guess] : [guess - delta, guess + delta]) {
      const ws: number[] = [];
      const hs: number[] = [];
      for (let j = 0; j < Math.abs(k); j++) ws.push(Math.sign(k) * c.unit, -Math.sign(k) * c.unit);
      for (let j = 0; j < Math.abs(k); j++) hs.push(c.a, c.idle);
      if (preActivation(s, ws, hs, c.beta) === y) return k;
    }
  return null;
}

/** 2^F, N·2^F and the modulus M = N·2^F / 2^v of the modular counts, D = u·(a − ι) = 2^v·D′ (D′ odd). */
function modularParts(s: Setting, c: BooleanGadgetCertificate) {
  const D = c.unit * (c.a - c.idle);
  let v = 0;
  let odd = D;
  while (odd !== 0 && odd % 2 === 0) {
    odd /= 2;
    v++;
  }
  return { D, v, odd, M: (s.size * s.one) / 2 ** v };
}

const mod = (x: number, m: number) => ((x % m) + m) % m;

/**
 * The modular emitter's count k_y ∈ [0, M): k_y·D ≡ y·2^F (mod N·2^F), so that k_y copies of P read with u
 * add k_y·u·(a − ι) = 2^F·(y + N·m) when active; −1 when D = 0 or 2^v ∤ 2^F.
 */
export function modularCount(s: Setting, c: BooleanGadgetCertificate, y: number): number {
  const { D, v, odd, M } = modularParts(s, c);
  if (D === 0 || 2 ** v > s.one) return -1;
  const target = mod(mod(y, s.size) * (s.one / 2 ** v), M);
  const o = mod(odd, M);
  for (let k = 0; k < M; k++) if (mod(k * o, M) === target) return k;
  return -1;
}

/**
 * For a table f (one value per point z): the dummy copies r ∈ [0, 2^F) of C read with u, so that the idle
 * products (K + r)·u·ι (K = Σ_z k_{f(z)}) sum to 2^F·m, and the output bias β_f ≡ −m (mod N) as a code of 𝕀.
 */
export function modularPlan(
  s: Setting,
  c: BooleanGadgetCertificate,
  f: readonly number[],
): { dummies: number; beta: number } {
  let K = 0;
  for (const y of f) K += modularCount(s, c, y);
  const ui = c.unit * c.idle;
  let r = 0;
  while (mod((K + r) * ui, s.one) !== 0) r++;
  const m = ((K + r) * ui) / s.one;
  return { dummies: r, beta: mod(-m - s.min, s.size) + s.min };
}

/**
 * Checks every hypothesis of Proposition BG; null when all hold, else the first failure. Every gadget is
 * run on every point of its domain; the emitters are checked for every y.
 */
export function verifyBooleanGadgetCertificate(s: Setting, c: BooleanGadgetCertificate): string | null {
  if ((s.accumulation === 'exact') !== (c.kind !== 'start'))
    return 'paired and modular emitters need exact accumulation, start emitters sequential';
  const { a, idle } = c;
  const inRange = (v: number) => Number.isInteger(v) && v >= s.min && v <= s.max;
  const inW = s.weightSet === 'all' ? inRange : (w: number) => s.weights.includes(w);
  if (a === idle || !s.sigma.includes(a) || !s.sigma.includes(idle))
    return 'a and ι are not two values of σ_F';
  const gadgets: Array<[string, Gadget | null]> = [
    ['P', c.delay],
    ['A', c.and],
    ['C', c.constant],
    ...c.detectors.map((g, i): [string, Gadget] => [`D_${s.min + i}`, g]),
  ];
  for (const [name, g] of gadgets) {
    if (!g) continue;
    const bad = parameterOutside(s, g, inW);
    if (bad) return `${name}: ${bad}`;
  }
  if (c.delay.inputs !== 1 || c.delay.layers.length !== 1) return 'P is not a 1-input gadget of depth 1';
  for (const u of [idle, a]) if (runGadget(s, c.delay, [u])[0] !== u) return `P(${u}) ≠ ${u}`;
  if (c.and.inputs !== 2 || c.and.layers.length === 0) return 'A is not a 2-input gadget';
  for (const u of [idle, a])
    for (const v of [idle, a]) {
      const want = u === a && v === a ? a : idle;
      const out = runGadget(s, c.and, [u, v]);
      if (out.length !== 1 || out[0] !== want) return `A(${u}, ${v}) ≠ ${want}`;
    }
  if (c.detectors.length !== s.size) return 'not one detector per value';
  const depth = c.detectors[0].layers.length;
  for (let i = 0; i < s.size; i++) {
    const g = c.detectors[i];
    if (g.inputs !== 1 || g.layers.length !== depth || depth === 0) return `D_${s.min + i} has another depth`;
    for (let x = s.min; x <= s.max; x++) {
      const out = runGadget(s, g, [x]);
      const want = x === s.min + i ? a : idle;
      if (out.length !== 1 || out[0] !== want) return `D_${s.min + i}(${x}) ≠ ${want}`;
    }
  }
  if (c.kind === 'start') {
    // ω kills ι (Lemma A deletes every idle emitter's terms) and reads a; the prefix is constant
    if (!inW(c.unit)) return `ω = ${c.unit} is not in W`;
    if (s.mul(c.unit, idle) !== 0) return 'ω does not kill ι';
    const t = s.mul(c.unit, a);
    if (Number.isNaN(t) || t === 0) return 'ω ⊗ a is 0 or invalid';
    const p = c.prefix;
    if (!p) return 'no prefix';
    if (!inW(p.weight) || !Number.isInteger(p.count) || p.count < 0)
      return 'the prefix weight or count is invalid';
    if (p.gadget.inputs !== 1 || p.gadget.layers.length !== 1) return 'K is not a 1-input gadget of depth 1';
    const bad = parameterOutside(s, p.gadget, inW);
    if (bad) return `K: ${bad}`;
    for (const u of [idle, a]) if (runGadget(s, p.gadget, [u])[0] !== p.value) return `K(${u}) ≠ ${p.value}`;
    if (!inRange(c.beta)) return 'β is not a value';
    for (let y = s.min; y <= s.max; y++)
      if (startCount(s, c, y) === null) return `E_${y}: no count of terms reaches y`;
    return null;
  }
  if (c.kind === 'paired') {
    if (c.constant?.inputs !== 1 || c.constant.layers.length !== 1)
      return 'C is not a 1-input gadget of depth 1';
    for (const u of [idle, a]) if (runGadget(s, c.constant, [u])[0] !== idle) return `C(${u}) ≠ ι`;
    if (!inW(c.unit) || !inW(-c.unit)) return `ω = ${c.unit} and −ω are not both in W`;
    if (!inRange(c.beta)) return 'β is not a value';
    for (let y = s.min; y <= s.max; y++)
      if (pairedCount(s, c, y) === null) return `E_${y}: no count of pairs reaches y`;
    return null;
  }
  if (s.policy.overflow !== 'wrap') return 'modular emitters need overflow wrap';
  if (!inW(c.unit)) return `u = ${c.unit} is not in W`;
  if (mod(c.unit * idle, s.one) !== 0) {
    // dummy copies of C make the idle products a multiple of 2^F
    if (c.constant?.inputs !== 1 || c.constant.layers.length !== 1)
      return 'u·ι is off the grid and C is not a 1-input gadget of depth 1';
    for (const u of [idle, a]) if (runGadget(s, c.constant, [u])[0] !== idle) return `C(${u}) ≠ ι`;
  }
  const { D } = modularParts(s, c);
  for (let y = s.min; y <= s.max; y++) {
    const k = modularCount(s, c, y);
    if (k < 0 || mod(k * D - y * s.one, s.size * s.one) !== 0)
      return `E_${y}: no count k with k·u·(a − ι) ≡ y·2^F (mod N·2^F)`;
  }
  return null;
}

/** Searches a boolean gadget certificate (Proposition BG); every certificate returned is verified. */
export function findBooleanGadgetCertificate(s: Setting, budget?: Budget): BooleanGadgetReport {
  if (!booleanGadgetApplies(s))
    return {
      certificate: null,
      tried: ['boolean gadget certificates: at most 16 values'],
    };
  const sequential = s.accumulation === 'sequential';
  const modular = !sequential && s.policy.overflow === 'wrap';
  const values = [...new Set(Array.from(s.sigma).filter((v) => v >= s.min && v <= s.max))];
  const tried: string[] = [];
  const inRange = (v: number) => v >= s.min && v <= s.max;
  const W = [...new Set(s.weights)];
  for (const a of values)
    for (const idle of values) {
      if (a === idle) continue;
      const tag = `a=${a}, ι=${idle}`;
      // literals: depth-1 neurons σ_F(w·x + b) with values in {ι, a}, as bit masks (bit x − min: value a)
      const literals = new Map<number, GadgetNeuron>();
      for (const w of W)
        for (let b = s.min; b <= s.max; b++) {
          let mask = 0;
          let ok = true;
          for (let x = s.min; x <= s.max && ok; x++) {
            const v = sigmaOf(s, preActivation(s, [w], [x], b));
            if (v === a) mask |= 1 << (x - s.min);
            else ok = v === idle;
          }
          if (ok && !literals.has(mask)) literals.set(mask, { bias: b, edges: [[0, w]] });
        }
      // every pair of points separated by a literal (else no detector exists; cheap, so first)
      let separated = true;
      for (let z = 0; z < s.size && separated; z++)
        for (let x = z + 1; x < s.size && separated; x++) {
          separated = false;
          for (const mask of literals.keys())
            if (((mask >> z) & 1) !== ((mask >> x) & 1)) {
              separated = true;
              break;
            }
        }
      if (!separated) {
        tried.push(
          `${tag}: the literals σ_F(w·x + b) with values in {ι, a} do not separate every pair of values`,
        );
        continue;
      }
      // the emitter weight first (cheap)
      let unit: number | null = null;
      let beta = 0;
      let C: Gadget | null = null;
      let starts: Array<{
        unit: number;
        prefix: NonNullable<BooleanGadgetCertificate['prefix']>;
        beta: number;
      }> = [];
      if (sequential) {
        // ω killing ι and reading a; a constant prefix K read `count` times with `weight`; β: every y reached
        const omegas = W.filter(
          (w) => s.mul(w, idle) === 0 && !Number.isNaN(s.mul(w, a)) && s.mul(w, a) !== 0,
        );
        if (omegas.length === 0) {
          tried.push(`${tag}: no weight kills ι and reads a`);
          continue;
        }
        for (const value of values) {
          const K = smallGadget(s, 1, [[idle], [a]], [value, value], budget);
          if (K?.layers.length !== 1) continue;
          for (const unit of omegas)
            for (const weight of W)
              for (let count = 0; count <= s.size; count++)
                for (let b = s.min; b <= s.max; b++) {
                  const probe = {
                    kind: 'start' as const,
                    a,
                    idle,
                    detectors: [],
                    and: { inputs: 2, layers: [] },
                    delay: { inputs: 1, layers: [] },
                    constant: null,
                    unit,
                    beta: b,
                    prefix: { gadget: K, value, weight, count },
                  };
                  let all = true;
                  for (let y = s.min; y <= s.max && all; y++) all = startCount(s, probe, y) !== null;
                  if (all) starts.push({ unit, prefix: probe.prefix, beta: b });
                  if (starts.length > 0) break;
                }
          if (starts.length > 0) break;
        }
        starts = starts.slice(0, 1);
        if (starts.length === 0) {
          tried.push(`${tag}: no prefix and killing weight reach every y`);
          continue;
        }
      } else if (modular) {
        // u with 2^v ∣ 2^F for D = u·(a − ι) = 2^v·D′; on-grid idle products first (no C needed)
        const ok = (u: number) => {
          const D = u * (a - idle);
          return D !== 0 && s.one % (D & -D) === 0;
        };
        unit = W.find((u) => ok(u) && mod(u * idle, s.one) === 0) ?? W.find(ok) ?? null;
        if (unit === null) {
          tried.push(`${tag}: no weight u with u·(a − ι) of 2-adic valuation ≤ F`);
          continue;
        }
        if (mod(unit * idle, s.one) !== 0) {
          C = smallGadget(s, 1, [[idle], [a]], [idle, idle], budget);
          if (C?.layers.length !== 1) {
            tried.push(`${tag}: u·ι is off the grid and no constant gadget C of depth 1`);
            continue;
          }
        }
      } else {
        C = smallGadget(s, 1, [[idle], [a]], [idle, idle], budget);
        if (C?.layers.length !== 1) {
          tried.push(`${tag}: no constant gadget C of depth 1`);
          continue;
        }
      }
      const P = smallGadget(s, 1, [[idle], [a]], [idle, a], budget);
      if (P?.layers.length !== 1) {
        tried.push(`${tag}: no delay of depth 1`);
        continue;
      }
      const A = smallGadget(
        s,
        2,
        [
          [idle, idle],
          [idle, a],
          [a, idle],
          [a, a],
        ],
        [idle, idle, idle, a],
        budget,
      );
      if (!A) {
        tried.push(`${tag}: no AND gadget of depth ≤ 2`);
        continue;
      }
      const NOT = smallGadget(s, 1, [[idle], [a]], [a, idle], budget);
      const litDepth = NOT ? NOT.layers.length : 0;
      const positive = (n: GadgetNeuron): Gadget => stack({ inputs: 1, layers: [[n]] }, delays(P, litDepth));
      const negative = (n: GadgetNeuron): Gadget | null =>
        NOT ? stack({ inputs: 1, layers: [[n]] }, NOT) : null;
      const detectors: Gadget[] = [];
      let failure: string | null = null;
      for (let z = s.min; z <= s.max && !failure; z++) {
        const bz = 1 << (z - s.min);
        const parts: Gadget[] = [];
        let uncovered = ((1 << s.size) - 1) & ~bz;
        while (uncovered !== 0 && !failure) {
          // the literal true at z excluding the most uncovered points
          let best: { g: Gadget; excludes: number } | null = null;
          for (const [mask, n] of literals) {
            const g = mask & bz ? positive(n) : negative(n);
            if (!g) continue;
            const excludes = (mask & bz ? ~mask : mask) & uncovered;
            const count = excludes.toString(2).replace(/0/g, '').length;
            if (count > 0 && (!best || count > best.excludes.toString(2).replace(/0/g, '').length))
              best = { g, excludes };
          }
          if (!best)
            failure = `${tag}: no literal separates ${z} from every other value${NOT ? '' : ' (no NOT gadget)'}`;
          else {
            parts.push(best.g);
            uncovered &= ~best.excludes;
          }
        }
        if (parts.length === 0) parts.push(positive(literals.values().next().value as GadgetNeuron));
        if (!failure) detectors.push(andTree(parts, A, P));
      }
      if (failure) {
        tried.push(failure);
        continue;
      }
      const depth = Math.max(...detectors.map((g) => g.layers.length));
      const padded = detectors.map((g) => stack(g, delays(P, depth - g.layers.length)));
      const candidates: BooleanGadgetCertificate[] = [];
      const base = { a, idle, detectors: padded, and: A, delay: P };
      if (sequential)
        for (const st of starts)
          candidates.push({
            ...base,
            kind: 'start',
            constant: null,
            unit: st.unit,
            beta: st.beta,
            prefix: st.prefix,
          });
      else if (modular)
        candidates.push({ ...base, kind: 'modular', constant: C, unit: unit as number, beta: 0 });
      else
        for (const w of W)
          if (w !== 0 && W.includes(-w))
            for (beta = s.min; beta <= s.max; beta++)
              candidates.push({ ...base, kind: 'paired', constant: C, unit: w, beta });
      let last = 'no emitter weight';
      for (const cert of candidates) {
        if (!inRange(cert.beta)) continue;
        const why = verifyBooleanGadgetCertificate(s, cert);
        if (!why) return { certificate: cert, tried };
        last = why;
      }
      tried.push(`${tag}: ${last}`);
    }
  return { certificate: null, tried };
}
