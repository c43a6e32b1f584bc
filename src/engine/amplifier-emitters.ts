/**
 * Amplifier emitters (docs/theory.md §11.1): emitters E_y (G4 of THEORY §5.2) for a small active value e
 * on formats whose weights are all below 1 in magnitude (`Q0.n`) or where no chain amplifies e, by
 * fan-in instead of gain. One shared two-layer gadget A: its first layer is K copies of a neuron
 * n₁(h) = σ_F(w₁⊗h ⊕ b₁) with n₁(0) = 0 and n₁(e) = v₁ ≠ 0; its second layer is r copies of one
 * neuron σ_F(w₂⊗n₁ ⊕ … ⊕ w₂⊗n₁ ⊕ b₂) over the K copies, with σ_F(b₂) = 0, so every output is 0 at
 * input 0 (each term is w₂⊗0 = 0) and a large value V at e (K terms of w₂⊗v₁ carry the pre-activation
 * to where σ_F takes V). E_y reads the r outputs with weights ω₁ … ω_r chosen so that the output neuron
 * gives y: sequential, ω_j⊗V are terms of the table {ω⊗V : ω ∈ W} summing to y; exact, Σω_j is an
 * integer Ω with rnd(Ω·V) = y. No new proposition is needed: `verifyChainCertificate` evaluates A at 0
 * (every output is read as 0) and at e (the output neuron gives exactly y) for every y, in the
 * configuration's own arithmetic.
 */
import type { Budget } from './budget.js';
import type { Emitter } from './certificate.js';
import type { Gadget, GadgetNeuron } from './gadget.js';
import { preActivation, type Setting } from './setting.js';

/** Most fan-in of the second layer (and copies of n₁): 2^17 edges, a few MB. */
const MAX_FAN = 2 ** 17;

/** Most outputs read per emitter. */
const MAX_READS = 3;

/** Amplifier emitters for the levels (e, I = {0}), β = 0, or why there are none. */
export function amplifierEmitters(
  s: Setting,
  e: number,
  budget?: Budget,
): { beta: number; emitters: Emitter[] } | string {
  const sig = (p: number) => (p >= s.min && p <= s.max ? s.sigma[p - s.min] : Number.NaN);
  if (!(sig(0) === 0)) return 'amplifier emitters need σ_F(0) = 0';
  // the first layer: n₁(0) = σ_F(b₁) = 0 with b₁ = 0 and n₁(e) = v₁ ≠ 0 (|v₁| largest); else inverted,
  // n₁(0) = v₁ ≠ 0 and n₁(e) = 0 (b₁ puts e's pre-activation at 0; floor rounding reads ε as 0)
  let first: { w: number; b: number; v: number; inverted: boolean } | null = null;
  const ws1 = [s.one, -s.one, s.max, s.min, s.max - 1, s.min + 1].filter(
    (w) => w >= s.min && w <= s.max && s.weights.includes(w),
  );
  for (const w of ws1) {
    const v = sig(preActivation(s, [w], [e], 0));
    if (v >= s.min && v !== 0 && (!first || Math.abs(v) > Math.abs(first.v)))
      first = { w, b: 0, v, inverted: false };
  }
  if (!first)
    for (const w of ws1) {
      const u = s.accumulation === 'exact' ? Math.round((w * e) / s.one) : s.mul(w, e);
      for (const b of [-u, -u + 1, -u - 1]) {
        if (!(b >= s.min && b <= s.max) || sig(preActivation(s, [w], [e], b)) !== 0) continue;
        const v = sig(preActivation(s, [w], [0], b));
        if (v >= s.min && v !== 0 && (!first || Math.abs(v) > Math.abs(first.v)))
          first = { w, b, v, inverted: true };
      }
    }
  if (!first) return 'amplifier emitters: no first neuron is 0 at 0 and not 0 at e, or the reverse';
  const v1 = first.v;
  budget?.spend(s.size * 4, 'the amplifier emitter search');
  // candidate outputs V: the σ_F values of largest magnitude, each at its pre-activation nearest 0
  // (one pass keeping the four best: a sort of every code cost 0.2 s on 16 bits)
  const byMagnitude: Array<{ p: number; v: number }> = [];
  const better = (a: { p: number; v: number }, b: { p: number; v: number }) =>
    Math.abs(a.v) > Math.abs(b.v) || (Math.abs(a.v) === Math.abs(b.v) && Math.abs(a.p) < Math.abs(b.p));
  for (let p = s.min; p <= s.max; p++) {
    const v = sig(p);
    if (!(v >= s.min) || v === 0) continue;
    const c = { p, v };
    const same = byMagnitude.findIndex((x) => x.v === v);
    if (same >= 0) {
      if (better(c, byMagnitude[same])) byMagnitude[same] = c;
      continue;
    }
    if (byMagnitude.length < 4) byMagnitude.push(c);
    else {
      let worst = 0;
      for (let i = 1; i < 4; i++) if (better(byMagnitude[worst], byMagnitude[i])) worst = i;
      if (better(c, byMagnitude[worst])) byMagnitude[worst] = c;
    }
  }
  byMagnitude.sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0));
  const failures: string[] = [];
  for (const { p, v } of byMagnitude) {
    const second = first.inverted ? invertedSecondLayer(s, v1, p) : secondLayer(s, v1, p, v);
    if (!second) {
      failures.push(`no fan-in of at most ${MAX_FAN} reaches σ_F value ${v}`);
      continue;
    }
    budget?.spend(s.size * 8, 'the amplifier emitter search');
    const reads = readWeights(s, v);
    if (typeof reads === 'string') {
      failures.push(reads);
      continue;
    }
    const n1: GadgetNeuron = { bias: first.b, edges: [[0, first.w]] };
    const layer1: GadgetNeuron[] = new Array(second.k).fill(n1);
    const n2: GadgetNeuron = {
      bias: second.b,
      edges: Array.from({ length: second.k }, (_, i) => [i, second.w] as const),
    };
    // one gadget per number of outputs read, shared by every emitter reading that many
    const gadgets: Gadget[] = [];
    for (let r = 1; r <= MAX_READS; r++) gadgets.push({ inputs: 1, layers: [layer1, new Array(r).fill(n2)] });
    const emitters: Emitter[] = [];
    for (let y = s.min; y <= s.max; y++) {
      const ws = reads[y - s.min];
      emitters.push(
        y === 0
          ? { gadget: { inputs: 1, layers: [] }, weights: [] }
          : { gadget: gadgets[ws.length - 1], weights: ws },
      );
    }
    // the empty emitter of y = 0 has no layers; every other one has two (the depth check skips empty ones)
    return { beta: 0, emitters };
  }
  return `amplifier emitters: ${failures.join('; ')}`;
}

/**
 * The second layer: K copies of v₁ read with w₂ and a bias b₂ with σ_F(b₂) = 0, whose σ_F value is V
 * (evaluated in the configuration's arithmetic). Null when no K ≤ MAX_FAN gives V.
 */
function secondLayer(
  s: Setting,
  v1: number,
  p: number,
  v: number,
): { k: number; w: number; b: number } | null {
  const sig = (q: number) => (q >= s.min && q <= s.max ? s.sigma[q - s.min] : Number.NaN);
  const exact = s.accumulation === 'exact';
  // weights whose product with v₁ is smallest (most control over the sum), then the largest (fewest edges)
  const ws = [...new Set([s.one, -s.one, s.max, s.min, s.max - 1, s.min + 1, 1, -1, 2, -2])].filter(
    (w) => w >= s.min && w <= s.max && w !== 0 && s.weights.includes(w),
  );
  for (const w of ws) {
    // the term in accumulator units (sequential: codes; exact: product units)
    const t = exact ? w * v1 : s.mul(w, v1);
    if (!(t >= (exact ? -Infinity : s.min)) || t === 0) continue;
    const unit = exact ? s.one : 1;
    if (Math.sign(t) !== Math.sign(p) && p !== 0) continue;
    const base = Math.max(1, Math.round((p * unit) / t));
    for (const k of [base, base + 1, base - 1, base + 2]) {
      if (k < 1 || k > MAX_FAN) continue;
      const got = sig(preActivation(s, new Array(k).fill(w), new Array(k).fill(v1), 0));
      if (got === v) return { k, w, b: 0 };
    }
    // a saturating sum: every K large enough gives max or min
    if (!exact && (p === s.max || p === s.min)) {
      const k = Math.ceil((Math.abs(p) + 1) / Math.abs(t));
      if (k <= MAX_FAN) {
        const got = sig(preActivation(s, new Array(k).fill(w), new Array(k).fill(v1), 0));
        if (got === v) return { k, w, b: 0 };
      }
    }
  }
  return null;
}

/**
 * The inverted second layer: bias b₂ = p (σ_F(p) = V, the value at e, where every term is w₂⊗0 = 0) and
 * K copies of v₁ read with w₂ that carry the pre-activation at input 0 to a zero of σ_F. Null when none.
 */
function invertedSecondLayer(s: Setting, v1: number, p: number): { k: number; w: number; b: number } | null {
  const sig = (q: number) => (q >= s.min && q <= s.max ? s.sigma[q - s.min] : Number.NaN);
  const exact = s.accumulation === 'exact';
  const ws = [...new Set([s.one, -s.one, s.max, s.min, s.max - 1, s.min + 1, 1, -1])].filter(
    (w) => w >= s.min && w <= s.max && w !== 0 && s.weights.includes(w),
  );
  for (const w of ws) {
    const t = exact ? w * v1 : s.mul(w, v1);
    if (!(exact || t >= s.min) || t === 0) continue;
    // the nearest zero of σ_F from p in the direction of t
    const dir = Math.sign(t);
    let z = p;
    while (z >= s.min && z <= s.max && sig(z) !== 0) z += dir;
    if (z < s.min || z > s.max) continue;
    const unit = exact ? s.one : 1;
    const base = Math.max(1, Math.ceil(((z - p) * unit) / t));
    for (const k of [base, base + 1, base - 1, base + 2]) {
      if (k < 1 || k > MAX_FAN) continue;
      if (sig(preActivation(s, new Array(k).fill(w), new Array(k).fill(v1), p)) === 0) return { k, w, b: p };
    }
  }
  return null;
}

/**
 * For every y ≠ 0, output weights ω₁ … ω_r (r ≤ MAX_READS) reading r copies of V with β = 0 that give
 * y; index y − min. A string when some y has none.
 */
function readWeights(s: Setting, v: number): number[][] | string {
  const out: number[][] = new Array(s.size);
  if (s.accumulation === 'exact') {
    // rnd(Ω·V) for integers Ω: non-decreasing in Ω (V > 0) or non-increasing, with steps of |V|/2ⁿ codes
    // at most one code when |V| ≤ 2ⁿ; the least |Ω| for each y, split into weights of the format
    const lo = s.min * MAX_READS;
    const hi = s.max * MAX_READS;
    const omegaOf = new Map<number, number>();
    for (let o = 0; o <= Math.max(-lo, hi); o++)
      for (const om of o === 0 ? [0] : [o, -o]) {
        if (om < lo || om > hi) continue;
        const y = s.roundWide(om * v);
        if (y >= s.min && !omegaOf.has(y)) omegaOf.set(y, om);
      }
    for (let y = s.min; y <= s.max; y++) {
      if (y === 0) {
        out[y - s.min] = [];
        continue;
      }
      const om = omegaOf.get(y);
      if (om === undefined) return `amplifier emitters: no Ω·V rounds to y code ${y}`;
      const ws: number[] = [];
      let rest = om;
      while (rest !== 0) {
        const w = Math.max(s.min, Math.min(s.max, rest));
        ws.push(w);
        rest -= w;
      }
      if (ws.length > MAX_READS) return `amplifier emitters: y code ${y} needs more than ${MAX_READS} reads`;
      out[y - s.min] = ws;
    }
    return out;
  }
  // sequential: the single terms ω⊗V; y = t₁ ⊕ t₂ ⊕ … with each t a term and every partial sum in range
  const termOf = new Map<number, number>();
  for (const w of s.weights) {
    const t = s.mul(w, v);
    if (t >= s.min && t !== 0 && !termOf.has(t)) termOf.set(t, w);
  }
  const terms = [...termOf.keys()].sort((a, b) => a - b);
  const tmin = terms[0];
  const tmax = terms[terms.length - 1];
  for (let y = s.min; y <= s.max; y++) {
    if (y === 0) {
      out[y - s.min] = [];
      continue;
    }
    const ws: number[] = [];
    let acc = 0;
    // greedy: the term nearest the rest (the extreme term while the rest is beyond the table's reach)
    for (let r = 0; r < MAX_READS && acc !== y; r++) {
      const rest = y - acc;
      let t = Math.max(tmin, Math.min(tmax, rest));
      if (!termOf.has(t)) t = nearestTerm(terms, t, rest);
      const next = s.add(acc, t);
      if (!(next >= s.min)) break;
      ws.push(termOf.get(t) as number);
      acc = next;
    }
    if (acc !== y)
      return `amplifier emitters: y code ${y} is not a sum of ${MAX_READS} terms ω⊗V (V code ${v})`;
    out[y - s.min] = ws;
  }
  return out;
}

/** The term of the sorted table nearest `t`, not beyond the rest's sign. */
function nearestTerm(terms: readonly number[], t: number, rest: number): number {
  let lo = 0;
  let hi = terms.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (terms[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  // terms[lo] ≥ t (or the last); prefer the one between 0 and the rest
  const a = terms[lo];
  const b = lo > 0 ? terms[lo - 1] : a;
  return rest > 0 ? (a <= rest ? a : b) : b >= rest ? b : a;
}
