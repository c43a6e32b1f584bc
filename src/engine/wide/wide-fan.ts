/**
 * Lemma F (fan emitters above 16 bits, docs/theory.md §9.5): emitters E_y for every y ∈ 𝕀 with output
 * weights ±1, for any σ_F with a zero, proved for all y at once. Hypotheses: ±1 ∈ W; an active value e;
 *
 * - a first neuron n₁(h) = σ_F(w₁⊗h ⊕ b₁), w₁ = ±1, with n₁(0) = 0 and n₁(e) = v₁ ≠ 0 (evaluated);
 * - digit neurons d_j (j = 0 … J) over k_j distinct copies of n₁, each read with the weight u_j = ±1, bias
 *   c_j: d_j = σ_F(u_j⊗n₁ ⊕ … ⊕ u_j⊗n₁ ⊕ c_j), with σ_F(c_j) = 0 and value exactly 2^j (codes) at e, where
 *   the k_j equal terms t_j = u_j⊗v₁ and every partial sum stay in range (`uniformPre`; then the
 *   pre-activation is c_j + k_j·t_j, exactly, in every overflow mode);
 * - ±1⊗2^j = ±2^j (exact: a product by ±1 is the code itself, and −2^j ≥ min since 2^j ≤ max).
 *
 * E_y (y ≠ 0; E_0 is empty, β = 0) is the two-layer network: M = max k_j copies of n₁, then q copies of
 * d_J and one d_j for every bit j < J of r, where |y| = q·2^J + r, 0 ≤ r < 2^J; the output neuron reads
 * them all with the weight sign(y). _Proof._ At input 0 every copy of n₁ is 0, every term u_j⊗0 = 0 adds
 * nothing (the accumulator stays on the grid, in range), so every d_j is σ_F(c_j) = 0, killed by ±1. At
 * input e every d_j is 2^j; the output terms are sign(y)·2^j, all of one sign, so every partial sum
 * lies between 0 and y ∈ 𝕀 (bias β = 0 first or last, or the exact sum rounded once: an integer), and
 * the output is q·2^J + r = |y| times sign(y) = y. So G4 holds with I = {0}. ∎
 *
 * Every neuron of E_y reads distinct sources (M copies in the first layer). The network is large (the
 * k_j are up to about |𝕀|/|v₁|), which the composition lemma allows. Nothing here is trusted: the
 * verifier re-evaluates n₁ and every d_j at 0 and at e.
 */
import { roundQuotient } from '../../core/rounding.js';
import type { WideSetting } from './wide-setting.js';
import type { WideSigma, WideSpan } from './wide-sigma.js';

export interface WideDigit {
  /** Copies of n₁ read. */
  readonly k: bigint;
  /** Their weight (±1, as a code). */
  readonly w: bigint;
  /** The bias (σ_F(b) = 0). */
  readonly b: bigint;
}

export interface WideFan {
  /** n₁ = σ_F(w₁⊗h ⊕ b₁). */
  readonly first: readonly [bigint, bigint];
  /** Digit j has value 2^j at e. */
  readonly digits: readonly WideDigit[];
}

/**
 * The pre-activation of a neuron reading k copies of the value h with the weight w, bias b, when no
 * intermediate value leaves the range (else null, whatever the overflow mode): the product is rounded
 * once to t, the sequential partial sums are b + i·t (bias first) or i·t then + b (bias last), monotone
 * in i so checked at their ends; the exact accumulator rounds b + k·w·h once.
 */
export function uniformPre(s: WideSetting, w: bigint, h: bigint, k: bigint, b: bigint): bigint | null {
  const inRange = (v: bigint) => v >= s.min && v <= s.max;
  if (!inRange(b)) return null;
  if (s.exact) {
    const v = roundQuotient(b * s.one + k * w * h, s.one, s.policy.rounding).value;
    return inRange(v) ? v : null;
  }
  const t = roundQuotient(w * h, s.one, s.policy.rounding).value;
  if (!inRange(t)) return null;
  if (s.config.bias === 'first') return inRange(b + k * t) ? b + k * t : null;
  if (!inRange(k * t)) return null;
  return inRange(k * t + b) ? k * t + b : null;
}

/** Lemma F's hypotheses for a fan (null when they hold, else the first failure). */
export function verifyFan(s: WideSetting, e: bigint, fan: WideFan): string | null {
  const plus = s.one;
  const isPm = (w: bigint) => w === plus || w === -plus;
  if (plus > s.max) return 'fan emitters need the weights ±1';
  const [w1, b1] = fan.first;
  if (!isPm(w1)) return 'the fan’s first weight is not ±1';
  if (s.neuron([w1], [0n], b1, true) !== 0n) return 'the fan’s first neuron is not 0 at 0';
  const v1 = s.neuron([w1], [e], b1, true);
  if (v1 === null || v1 === 0n) return 'the fan’s first neuron is 0 or invalid at e';
  if (fan.digits.length === 0) return 'the fan has no digit';
  let T = 1n;
  for (const d of fan.digits) {
    if (!isPm(d.w) || d.k < 1n) return `digit ${T}: weight not ±1 or no copies`;
    const idle = uniformPre(s, d.w, 0n, d.k, d.b);
    if (idle === null || s.sigma(idle) !== 0n) return `digit ${T} is not 0 at 0`;
    const act = uniformPre(s, d.w, v1, d.k, d.b);
    if (act === null || s.sigma(act) !== T) return `digit ${T} does not take the value ${T} at e`;
    if (T > s.max) return `digit ${T} is not a value`;
    for (const g of [plus, -plus])
      if (s.pre([g], [T], 0n, true) !== (g > 0n ? T : -T)) return 'a product by ±1 is not exact';
    T *= 2n;
  }
  return null;
}

/** The multiple of m (> 0), non-zero, in [lo, hi] nearest 0, or null. */
function multipleIn(m: bigint, lo: bigint, hi: bigint): bigint | null {
  const ceilDiv = (a: bigint, q: bigint) => -floorDiv(-a, q);
  const cands: bigint[] = [];
  if (hi >= m) cands.push((lo > 0n ? ceilDiv(lo, m) : 1n) * m);
  if (lo <= -m) cands.push((hi < 0n ? floorDiv(hi, m) : -1n) * m);
  const ok = cands.filter((d) => d >= lo && d <= hi && d !== 0n);
  ok.sort((a, b) => (abs(a) < abs(b) ? -1 : 1));
  return ok[0] ?? null;
}

const abs = (v: bigint) => (v < 0n ? -v : v);
const floorDiv = (p: bigint, q: bigint) => {
  const f = p / q;
  return f * q > p ? f - 1n : f;
};

/** Searches a fan for the active value e (every candidate is checked by `verifyFan`). */
export function findFan(r: WideSigma, e: bigint): WideFan | string {
  const s = r.setting;
  const plus = s.one;
  if (plus > s.max) return 'fan emitters need the weights ±1';
  const zeros = r.preimageSpans(0n);
  if (zeros.length === 0) return 'fan emitters need a zero of σ_F';
  // n₁: a bias among σ_F's zeros (the ends of each zero interval and the codes next to 0), |v₁| least
  let first: { w: bigint; b: bigint; v: bigint } | null = null;
  const biases = new Set<bigint>();
  for (const [a, b] of zeros) for (const c of [a, b, a + (b - a) / 2n]) biases.add(c);
  for (const w of [plus, -plus])
    for (const b of biases) {
      if (s.neuron([w], [0n], b, true) !== 0n) continue;
      const v = s.neuron([w], [e], b, true);
      if (v === null || v === 0n) continue;
      if (!first || abs(v) < abs(first.v)) first = { w, b, v };
    }
  if (!first) return 'fan emitters: no neuron σ_F(±1⊗h ⊕ b) is 0 at 0 and not 0 at e';
  const v1 = first.v;
  const digits: WideDigit[] = [];
  for (let T = 1n; T <= s.max; T *= 2n) {
    const d = digitFor(r, v1, T, zeros);
    if (!d) break;
    digits.push(d);
  }
  if (digits.length === 0) return `fan emitters: no digit neuron reaches code 1 from n₁(e) = code ${v1}`;
  const fan: WideFan = { first: [first.w, first.b], digits };
  return verifyFan(s, e, fan) ?? fan;
}

/** A digit neuron of value T at e: c in a zero interval, p = c + k·t in a preimage interval of T. */
function digitFor(r: WideSigma, v1: bigint, T: bigint, zeros: readonly WideSpan[]): WideDigit | null {
  const s = r.setting;
  const m = abs(v1);
  for (const [pl, ph] of r.preimageSpans(T))
    for (const [zl, zh] of zeros) {
      // d = p − c ranges over [pl − zh, ph − zl]; a non-zero multiple of |v₁| there, nearest 0
      const d = multipleIn(m, pl - zh, ph - zl);
      if (d === null) continue;
      // biome-ignore lint/complexity/useMathMinMax: bigint operands (Math.max takes numbers)
      const c = zl > pl - d ? zl : pl - d;
      const k = abs(d) / m;
      // the term t = w⊗v₁ must have the sign of d
      const w = d > 0n === v1 > 0n ? s.one : -s.one;
      const act = uniformPre(s, w, v1, k, c);
      const idle = uniformPre(s, w, 0n, k, c);
      if (act !== null && idle !== null && s.sigma(idle) === 0n && s.sigma(act) === T) return { k, w, b: c };
    }
  return null;
}

/** The digits of E_y: [index j, copies] with |y| = q·2^J + r (null for y = 0). */
export function fanDigits(fan: WideFan, y: bigint): Array<[number, bigint]> {
  const J = fan.digits.length - 1;
  const top = 1n << BigInt(J);
  const mag = abs(y);
  const q = mag / top;
  const rest = mag % top;
  const out: Array<[number, bigint]> = [];
  for (let j = 0; j < J; j++) if ((rest >> BigInt(j)) & 1n) out.push([j, 1n]);
  if (q > 0n) out.push([J, q]);
  return out;
}
