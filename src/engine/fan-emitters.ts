/**
 * Fan emitters (docs/theory.md §10.2): emitters E_y (G4 of THEORY §5.2) for any weight set, binary
 * included, when single terms and short sums cannot reach every y. One shared two-layer gadget G: its
 * first layer is M copies of a neuron n₁(h) = σ_F(w₁⊗h ⊕ b₁) with σ_F(b₁) = 0 (so n₁(0) = 0) and
 * n₁(e) = v₁ ≠ 0; its second layer has neurons σ_F(±v₁ ⊕ … ⊕ ±v₁ ⊕ b) over k distinct copies, with
 * σ_F(b) = 0, so every output is 0 at input 0 and a chosen σ_F value at e: the powers of two
 * 1, 2, …, 2^J (codes) and c copies of 2^J. Read with weights ±1, those outputs sum to every odd y in
 * range (signed binary digits: Σ ±2^i over i ≤ J is every odd number up to 2^{J+1} − 1), and with one
 * more output of value 1 to every even y; the copies extend the range in steps of 2^{J+1}. E_y is G (or
 * its even twin) with those signs, ordered so that the partial sums stay in range. Nothing here is
 * trusted: `verifyChainCertificate` evaluates G at 0 (every output is read as 0) and at e (the output
 * neuron gives y) for every y.
 */
import type { Budget } from './budget.js';
import type { Emitter } from './certificate.js';
import type { Gadget, GadgetNeuron } from './gadget.js';
import { preActivation, type Setting } from './setting.js';

/** Most edges of the shared gadget (memory: each edge is a small array). */
const MAX_FAN_EDGES = 3_000_000;

/**
 * Most output terms of all |𝕀| emitters together (memory: each emitter holds its signs, J + 2 + c of
 * them; 2^25 small integers are about 270 MB). Without it, a σ_F whose powers stop early (2^J small)
 * needs c ≈ −min/2^J copies and |𝕀|·c terms: mish on Q13.2 asked for 5·10⁸ and ran out of memory.
 * (2^24 before; gelu on SQ7.8 with ceil under `error` skips the value 1.0, so its powers stop at 2^7 and
 * need 1.7·10⁷ terms: 313 MB peak for the whole check.)
 */
const MAX_FAN_TERMS = 2 ** 25;

/** Fan emitters for the levels (e, I = {0}), or why there are none. β = 0. */
export function fanEmitters(
  s: Setting,
  e: number,
  budget?: Budget,
): { beta: number; emitters: Emitter[] } | string {
  const sig = (p: number) => (p >= s.min && p <= s.max ? s.sigma[p - s.min] : Number.NaN);
  const one = s.one;
  const plus = s.weights.includes(one) ? one : null;
  const minus = s.weights.includes(-one) ? -one : null;
  if (plus === null || minus === null) return 'fan emitters need the weights ±1';
  // biases with σ_F(b) = 0, nearest 0 first
  const zeros: number[] = [];
  for (let b = s.min; b <= s.max; b++) if (sig(b) === 0) zeros.push(b);
  if (zeros.length === 0) return 'fan emitters need a zero of σ_F';
  zeros.sort((a, b) => Math.abs(a) - Math.abs(b));
  const zs = zeros.slice(0, 64);
  // the first layer: n₁(e) = v₁ with |v₁| least
  let first: { w: number; b: number; v: number } | null = null;
  for (const w of s.weights.length <= 2 ? s.weights : [plus, minus]) {
    for (const b of zs) {
      const v = sig(preActivation(s, [w], [e], b));
      if (v >= s.min && v !== 0 && (!first || Math.abs(v) < Math.abs(first.v))) first = { w, b, v };
    }
  }
  if (!first) return 'fan emitters: no neuron is 0 at 0 and not 0 at e';
  budget?.spend(s.size, 'the fan emitter search');
  // where each positive value is taken: the pre-activations of σ_F (nearest 0 first)
  const at = new Map<number, number[]>();
  for (let p = s.min; p <= s.max; p++) {
    const v = sig(p);
    if (!(v > 0)) continue;
    let list = at.get(v);
    if (!list) at.set(v, (list = []));
    if (list.length < 4) list.push(p);
  }
  const v1 = first.v;
  /** A second-layer neuron with output `target` at e: k copies read with ±1 and a bias of σ_F's zeros. */
  const neuronFor = (target: number): { k: number; w: number; b: number } | null => {
    for (const p of at.get(target) ?? []) {
      for (const b of zs) {
        const q = (p - b) / v1;
        if (!Number.isInteger(q) || q === 0 || Math.abs(q) > s.size) continue;
        const k = Math.abs(q);
        const w = q > 0 ? plus : minus;
        budget?.spend(k, 'the fan emitter search');
        const got = sig(preActivation(s, new Array(k).fill(w), new Array(k).fill(v1), b));
        if (got === target) return { k, w, b };
      }
    }
    return null;
  };
  const powers: Array<{ k: number; w: number; b: number }> = [];
  for (let t = 1; t <= s.max; t *= 2) {
    const n = neuronFor(t);
    if (!n) break;
    powers.push(n);
  }
  if (powers.length === 0) return 'fan emitters: σ_F(…) never reaches code 1 from the first layer';
  const J = powers.length - 1;
  const top = 2 ** J;
  // copies of 2^J so that (c + 2)·2^J covers −min
  const c = Math.max(0, Math.ceil(-s.min / top) - 2);
  const fan = Math.max(...powers.map((p) => p.k));
  const edges = fan + (J + 2 + c) * fan;
  if (edges > MAX_FAN_EDGES) return `fan emitters would need about ${edges.toExponential(1)} edges`;
  const terms = s.size * (J + 3 + c);
  if (terms > MAX_FAN_TERMS)
    return `fan emitters would need about ${terms.toExponential(1)} output terms in all (2^${J} is the largest power reached, so ${c} copies of it)`;
  const layer1: GadgetNeuron[] = [];
  const n1: GadgetNeuron = { bias: first.b, edges: [[0, first.w]] };
  for (let i = 0; i < fan; i++) layer1.push(n1);
  const neuronOf = (p: { k: number; w: number; b: number }): GadgetNeuron => ({
    bias: p.b,
    edges: Array.from({ length: p.k }, (_, i) => [i, p.w] as const),
  });
  const small = powers.map(neuronOf);
  const copy = neuronOf(powers[J]);
  const copies: GadgetNeuron[] = new Array(c).fill(copy);
  // outputs: odd [1, 2, …, 2^J, copies]; even [1, 1, 2, …, 2^J, copies]
  const odd: Gadget = { inputs: 1, layers: [layer1, [...small, ...copies]] };
  const even: Gadget = { inputs: 1, layers: [layer1, [small[0], ...small, ...copies]] };
  const span = 2 * top - 1; // Σ 2^i, i ≤ J
  const emitters: Emitter[] = [];
  for (let y = s.min; y <= s.max; y++) {
    if (y % 4096 === 0) budget?.spend(4096 * (J + c + 2), 'the fan emitter search');
    if (y === 0) {
      emitters.push({ gadget: { inputs: 1, layers: [] }, weights: [] });
      continue;
    }
    const isOdd = Math.abs(y) % 2 === 1;
    const signs = fanSigns(y, isOdd, J, c, span, top);
    if (!signs) return `fan emitters: no signs reach y code ${y}`;
    emitters.push({ gadget: isOdd ? odd : even, weights: signs.map((g) => (g > 0 ? plus : minus)) });
  }
  return { beta: 0, emitters };
}

/**
 * Signs ±1 for the outputs [1?, 1, 2, …, 2^J, c × 2^J] summing to y: the copies give m·2^J (m ≡ c mod 2,
 * |m| ≤ c; cancelling pairs first, then the rest in y's direction, so partial sums move towards y), the
 * powers the rest r by its signed binary digits.
 */
function fanSigns(
  y: number,
  isOdd: boolean,
  J: number,
  c: number,
  span: number,
  top: number,
): number[] | null {
  const reach = isOdd ? span : span + 1;
  const m0 = Math.round(y / top);
  for (const m of [m0, m0 - 1, m0 + 1, m0 - 2, m0 + 2]) {
    if (Math.abs(m) > c || (((m - c) % 2) + 2) % 2 !== 0) continue;
    const r = y - m * top;
    if (Math.abs(r) > reach) continue;
    const out: number[] = [];
    let rest = r;
    if (!isOdd) {
      // the extra 1: make the rest odd and within the powers' reach
      const extra = rest - 1 >= -span && rest - 1 <= span ? 1 : -1;
      out.push(extra);
      rest -= extra;
      if (Math.abs(rest) > span) continue;
    }
    const u = (rest + span) / 2;
    for (let i = 0; i <= J; i++) out.push(Math.floor(u / 2 ** i) % 2 === 1 ? 1 : -1);
    const pos = (c + m) / 2;
    const neg = (c - m) / 2;
    const pairs = Math.min(pos, neg);
    for (let i = 0; i < pairs; i++) out.push(1, -1);
    for (let i = 0; i < pos - pairs; i++) out.push(1);
    for (let i = 0; i < neg - pairs; i++) out.push(-1);
    return out;
  }
  return null;
}
