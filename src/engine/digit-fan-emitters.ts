/**
 * Digit fan emitters (docs/theory.md §10.2, "Complete digit sets"): the fan emitters of `fan-emitters.ts`
 * with any **complete** digit set instead of the powers of two, for an activation that skips a power of
 * two (hard-swish on SQ13.1 under nearest-even: σ_F takes the codes 1, 2, 3, 5, 6, … but never 4, so the
 * powers stop at 2 and the copies of 2 would need 2.7·10⁸ output terms).
 *
 * Statement. Let d₀ = 1 ≤ d₁ ≤ … ≤ d_J be positive codes with d_i ≤ 1 + Σ_{j<i} d_j (complete), S = Σ d_i.
 * Then every integer T ∈ [0, S] is a sub-sum (greedy from the largest digit), so Σ ±d_i takes every
 * r ≡ S (mod 2) with |r| ≤ S (r = S − 2T), and every partial sum of the digits in increasing order lies in
 * [−S, S]. With c copies of d_J after the digits (read as m·d_J, m ≡ c mod 2, |m| ≤ c: cancelling pairs
 * first, each pair led by the sign opposite to the running sum, then the rest towards y) every partial sum
 * lies in [−S, S] or between r and y. So when S + 1 ≤ max and S + 1 ≤ −min, every y of the right parity
 * with |y − m·d_J| ≤ S is read without an out-of-range partial sum, and one more output of value 1 in
 * front (the even twin) gives the other parity. The gadget is the fan of §10.2: layer 1 is copies of
 * n₁(h) = σ_F(w₁⊗h ⊕ b₁) with σ_F(b₁) = 0, layer 2 one neuron per digit σ_F(±1⊗n₁ ⊕ … ⊕ b), σ_F(b) = 0,
 * with value d_i at e; every output is 0 at input 0. Nothing here is trusted: `verifyEmitters` evaluates
 * every emitter at 0 and at e in the configuration's own arithmetic (condition (iv) of §9.2).
 */
import type { Budget } from './budget.js';
import type { Emitter } from './certificate.js';
import type { Gadget, GadgetNeuron } from './gadget.js';
import { preActivation, type Setting } from './setting.js';

/** Most edges of the shared gadget (as `fan-emitters.ts`). */
const MAX_DIGIT_EDGES = 3_000_000;

/** Most output terms of all |𝕀| emitters together (as `fan-emitters.ts`: about 270 MB of signs). */
const MAX_DIGIT_TERMS = 2 ** 25;

/** A second-layer neuron: k copies of n₁ read with weight w, bias b; its value at e is `value`. */
interface DigitNeuron {
  readonly value: number;
  readonly k: number;
  readonly w: number;
  readonly b: number;
}

/** The digits of a complete set with the neurons that give them, or why there is none. */
export function completeDigits(
  s: Setting,
  e: number,
  budget?: Budget,
): { first: { w: number; b: number; v: number }; digits: DigitNeuron[] } | string {
  const sig = (p: number) => (p >= s.min && p <= s.max ? s.sigma[p - s.min] : Number.NaN);
  const one = s.one;
  if (!s.weights.includes(one) || !s.weights.includes(-one)) return 'digit fan emitters need the weights ±1';
  const zeros: number[] = [];
  for (let b = s.min; b <= s.max; b++) if (sig(b) === 0) zeros.push(b);
  if (zeros.length === 0) return 'digit fan emitters need a zero of σ_F';
  zeros.sort((a, b) => Math.abs(a) - Math.abs(b));
  const zs = zeros.slice(0, 64);
  let first: { w: number; b: number; v: number } | null = null;
  for (const w of [one, -one]) {
    for (const b of zs) {
      const v = sig(preActivation(s, [w], [e], b));
      if (v >= s.min && v !== 0 && (!first || Math.abs(v) < Math.abs(first.v))) first = { w, b, v };
    }
  }
  if (!first) return 'digit fan emitters: no neuron is 0 at 0 and not 0 at e';
  budget?.spend(s.size, 'the digit fan emitter search');
  // where each positive value is taken (nearest 0 first): at most four pre-activations per value
  const at = new Map<number, number[]>();
  for (let p = 0; p <= s.max; p++) {
    const v = sig(p);
    if (!(v > 0)) continue;
    let list = at.get(v);
    if (!list) at.set(v, (list = []));
    if (list.length < 4) list.push(p);
  }
  for (let p = -1; p >= s.min; p--) {
    const v = sig(p);
    if (!(v > 0)) continue;
    let list = at.get(v);
    if (!list) at.set(v, (list = []));
    if (list.length < 4) list.push(p);
  }
  const v1 = first.v;
  const neuronFor = (target: number): DigitNeuron | null => {
    for (const p of at.get(target) ?? []) {
      for (const b of zs) {
        const q = (p - b) / v1;
        if (!Number.isInteger(q) || q === 0 || Math.abs(q) > s.size) continue;
        const k = Math.abs(q);
        const w = q > 0 ? one : -one;
        budget?.spend(k, 'the digit fan emitter search');
        const got = sig(preActivation(s, new Array(k).fill(w), new Array(k).fill(v1), b));
        if (got === target) return { value: target, k, w, b };
      }
    }
    return null;
  };
  const d0 = neuronFor(1);
  if (!d0) return 'digit fan emitters: σ_F(…) never reaches code 1 from the first layer';
  const digits: DigitNeuron[] = [d0];
  let sum = 1;
  // greedy: the largest value ≤ sum + 1 (complete) that keeps sum + 1 ≤ max and ≤ −min (partial sums)
  const cap = Math.min(s.max, -s.min) - 1;
  for (;;) {
    let next: DigitNeuron | null = null;
    for (let t = Math.min(sum + 1, cap - sum); t > digits[digits.length - 1].value && !next; t--)
      if (at.has(t)) next = neuronFor(t);
    if (!next) break;
    digits.push(next);
    sum += next.value;
  }
  return { first, digits };
}

/** Fan emitters over a complete digit set for the levels (e, I = {0}), or why there are none. β = 0. */
export function digitFanEmitters(
  s: Setting,
  e: number,
  budget?: Budget,
): { beta: number; emitters: Emitter[] } | string {
  const found = completeDigits(s, e, budget);
  if (typeof found === 'string') return found;
  const { first, digits } = found;
  const one = s.one;
  const S = digits.reduce((a, d) => a + d.value, 0);
  const top = digits[digits.length - 1].value;
  const reachY = Math.max(s.max, -s.min);
  // copies of the top digit: every |y| ≤ reachY has an m ≡ c (mod 2), |m| ≤ c, with |y − m·top| ≤ top
  const c = Math.max(0, Math.ceil(reachY / top) + 1);
  const fan = Math.max(...digits.map((d) => d.k));
  const edges = fan + digits.reduce((a, d) => a + d.k, 0) + (c + 1) * digits[digits.length - 1].k;
  if (edges > MAX_DIGIT_EDGES) return `digit fan emitters would need about ${edges.toExponential(1)} edges`;
  const terms = s.size * (digits.length + 1 + c);
  if (terms > MAX_DIGIT_TERMS)
    return `digit fan emitters would need about ${terms.toExponential(1)} output terms (digits up to code ${top}, ${c} copies)`;
  const n1: GadgetNeuron = { bias: first.b, edges: [[0, first.w]] };
  const layer1: GadgetNeuron[] = new Array(fan).fill(n1);
  const neuronOf = (d: DigitNeuron): GadgetNeuron => ({
    bias: d.b,
    edges: Array.from({ length: d.k }, (_, i) => [i, d.w] as const),
  });
  const small = digits.map(neuronOf);
  const copies: GadgetNeuron[] = new Array(c).fill(small[small.length - 1]);
  // the base gadget reads digits then copies; its twin one more digit 1 in front (the other parity)
  const base: Gadget = { inputs: 1, layers: [layer1, [...small, ...copies]] };
  const twin: Gadget = { inputs: 1, layers: [layer1, [small[0], ...small, ...copies]] };
  const values = digits.map((d) => d.value);
  const emitters: Emitter[] = [];
  for (let y = s.min; y <= s.max; y++) {
    if (y % 4096 === 0) budget?.spend(4096 * (digits.length + c + 2), 'the digit fan emitter search');
    if (y === 0) {
      emitters.push({ gadget: { inputs: 1, layers: [] }, weights: [] });
      continue;
    }
    const signs = digitSigns(y, values, S, top, c, false) ?? digitSigns(y, values, S, top, c, true);
    if (!signs) return `digit fan emitters: no signs reach y code ${y}`;
    const g = signs.length === values.length + c ? base : twin;
    emitters.push({ gadget: g, weights: signs.map((x) => (x > 0 ? one : -one)) });
  }
  return { beta: 0, emitters };
}

/**
 * Signs ±1 for the outputs [1 (twin only), d₀ … d_J, c × top] summing to y, in the order of the statement
 * (digits, then cancelling pairs of copies led against the running sum, then the rest towards y), or
 * null when this parity does not reach y.
 */
export function digitSigns(
  y: number,
  digits: readonly number[],
  S: number,
  top: number,
  c: number,
  twin: boolean,
): number[] | null {
  const m0 = Math.round(y / top);
  for (const m of [m0, m0 - 1, m0 + 1, m0 - 2, m0 + 2]) {
    if (Math.abs(m) > c || (((m - c) % 2) + 2) % 2 !== 0) continue;
    const r = y - m * top;
    const out: number[] = [];
    let rest = r;
    let lead = 0;
    if (twin) {
      lead = rest > 0 ? 1 : -1;
      out.push(lead);
      rest -= lead;
    }
    // Σ ±d_i = rest: T = (S − rest)/2 is the sum of the digits read with −1
    if (Math.abs(rest) > S || (((S - rest) % 2) + 2) % 2 !== 0) continue;
    let T = (S - rest) / 2;
    const digitSign = new Array<number>(digits.length).fill(1);
    for (let i = digits.length - 1; i >= 0; i--) {
      if (digits[i] <= T) {
        digitSign[i] = -1;
        T -= digits[i];
      }
    }
    if (T !== 0) continue;
    out.push(...digitSign);
    const pos = (c + m) / 2;
    const neg = (c - m) / 2;
    const pairs = Math.min(pos, neg);
    // each pair led against the running sum r: the partial sums stay within [−max(|r|, top), max(|r|, top)]
    const pair = r > 0 ? [-1, 1] : [1, -1];
    for (let i = 0; i < pairs; i++) out.push(...pair);
    for (let i = 0; i < pos - pairs; i++) out.push(1);
    for (let i = 0; i < neg - pairs; i++) out.push(-1);
    return out;
  }
  return null;
}
