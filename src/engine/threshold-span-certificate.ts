/**
 * Threshold span certificates (docs/theory.md §10.10, Lemma XT): Proposition XS's hypothesis (H1) for the
 * identity table on `UQ0.n` under wrap with exact accumulation, shown by explicit combinations of four terms
 * per threshold instead of a lattice reduction (which costs O(N³) and stops at 256 values).
 *
 * Statement. Overflow `wrap`, exact accumulation (either bias order), any rounding (the combinations are
 * found under nearest-*, ceil; not floor, toward-zero), codes 0 … N − 1 with
 * N = 2^n (`UQ0.n`, so the code of 1 is 2^n = N and M = N·2^n = N²), the weight code 1 in W. For a weight w₁
 * and a code b let T_{w₁,b}(c) = σ_F(rnd((b·2^n + w₁·c)/2^n) mod N) (the first-layer neuron's value, read
 * with the weight code 1: its exact term). If for every θ = 1 … N − 1 there are w₁ ∈ W and codes b, b₀ with
 *   T_{w₁,b₀}(c) − T_{0,b₀}(c) + T_{0,b}(c) − T_{w₁,b}(c) = N·[c ≥ θ]  for every code c,
 * then (H1) holds: Λ ∋ N·[c ≥ θ] for θ ≥ 1 and N·1 (the bias), so N·e_c = N·([c ≥ c] − [c ≥ c + 1]) ∈ Λ.
 * With (H2) (the pair AND) Proposition XS makes the configuration universal. For σ_F the identity table the
 * combination is the wrap of b + r(c): with b₀ ≡ b (mod 2), b₀ ∈ {0, 1}, and r = T_{w₁,b₀} − b₀ (no wrap),
 * T_{w₁,b} = (b + r) mod N (shifting the exact sum by the even b − b₀ codes keeps every tie's parity), so the
 * combination is N·[b + r(c) ≥ N], a threshold since r is non-decreasing.
 * `verifyThresholdSpanCertificate` checks each combination on every code with the engine's own neuron.
 */
import type { Budget } from './budget.js';
import type { ExactSpanCertificate, ExactSpanTerm } from './exact-span-certificate.js';
import { type Setting, sigmaOf, unary } from './setting.js';
import { boundedPairAnd, wrapCode } from './shift-span-certificate.js';

/** The largest format searched: N − 1 combinations checked on N codes each (4·N² neuron evaluations). */
export const THRESHOLD_SPAN_MAX_SIZE = 2048;

/** A threshold span certificate: for θ = 1 … N − 1, the weight w₁ and bias b of its combination. */
export interface ThresholdSpanCertificate {
  /** thresholds[2(θ − 1)] = w₁, thresholds[2(θ − 1) + 1] = b; b₀ = b mod 2. */
  readonly thresholds: Int32Array;
  /** The pair AND of Proposition XS (H2): σ_F(p + 2K) ∉ {σ_F(p), σ_F(p + K)}. */
  readonly p: number;
  readonly k: number;
}

/** Why the lemma does not apply to s, or null. */
export function thresholdSpanApplies(s: Setting): string | null {
  const N = s.size;
  if (s.policy.overflow !== 'wrap') return 'overflow is not wrap';
  if (s.accumulation !== 'exact') return 'accumulation is not exact';
  if (s.min !== 0 || s.one !== N || (N & (N - 1)) !== 0 || N < 4) return 'the format is not UQ0.n';
  if (N > THRESHOLD_SPAN_MAX_SIZE) return `N = ${N} > ${THRESHOLD_SPAN_MAX_SIZE} values`;
  if (!s.weights.includes(1)) return 'the weight code 1 is not in W';
  return null;
}

/** The combination T_{w₁,b₀} − T_{0,b₀} + T_{0,b} − T_{w₁,b} at code c (NaN if a neuron is invalid). */
function combination(s: Setting, w1: number, b: number, c: number): number {
  const b0 = b & 1;
  return unary(s, w1, c, b0) - unary(s, 0, c, b0) + unary(s, 0, c, b) - unary(s, w1, c, b);
}

/** Whether the combination of (w₁, b) is N·[c ≥ θ] on every code. */
function isThreshold(s: Setting, w1: number, b: number, theta: number): boolean {
  const N = s.size;
  // the two codes around θ first: most candidates that fail, fail there
  if (combination(s, w1, b, theta) !== N || combination(s, w1, b, theta - 1) !== 0) return false;
  for (let c = 0; c < N; c++) if (combination(s, w1, b, c) !== (c >= theta ? N : 0)) return false;
  return true;
}

/**
 * Searches a threshold span certificate: σ_F the identity table; for w₁ = N − 1, N − 2, … and every code c
 * where r = T_{w₁,0} steps up, the bias b = N − r(c) is tried for θ = c, until every θ has one.
 */
export function findThresholdSpanCertificate(
  s: Setting,
  budget?: Budget,
): { certificate: ThresholdSpanCertificate | null; tried: string[] } {
  const why = thresholdSpanApplies(s);
  if (why) return { certificate: null, tried: [`threshold span: ${why}`] };
  const N = s.size;
  for (let v = 0; v < N; v++)
    if (sigmaOf(s, v) !== v)
      return { certificate: null, tried: ['threshold span: σ_F is not the identity table'] };
  const and = boundedPairAnd(s, budget);
  if (!and) return { certificate: null, tried: ['threshold span: no pair AND'] };
  const thresholds = new Int32Array(2 * (N - 1));
  const done = new Uint8Array(N);
  let left = N - 1;
  for (let w1 = N - 1; w1 >= 1 && left > 0; w1--) {
    budget?.spend(N, 'threshold span');
    let prev = unary(s, w1, 0, 0);
    for (let c = 1; c < N && left > 0; c++) {
      const r = unary(s, w1, c, 0);
      const step = r !== prev;
      prev = r;
      if (!step || done[c] || r < 1) continue;
      const b = N - r;
      budget?.spend(N, 'threshold span');
      if (!isThreshold(s, w1, b, c)) continue;
      thresholds[2 * (c - 1)] = w1;
      thresholds[2 * (c - 1) + 1] = b;
      done[c] = 1;
      left--;
    }
  }
  if (left > 0)
    return {
      certificate: null,
      tried: [`threshold span: ${left} of ${N - 1} thresholds have no combination`],
    };
  const certificate = { thresholds, ...and };
  const failure = verifyThresholdSpanCertificate(s, certificate);
  if (failure) throw new Error(`threshold span certificate fails its check on ${s.format.spec}: ${failure}`);
  return { certificate, tried: [] };
}

/** Null when the certificate holds on s, else the first failure (every combination on every code; (H2)). */
export function verifyThresholdSpanCertificate(s: Setting, c: ThresholdSpanCertificate): string | null {
  const why = thresholdSpanApplies(s);
  if (why) return why;
  const N = s.size;
  if (c.thresholds.length !== 2 * (N - 1)) return `expected ${N - 1} thresholds`;
  const weights = new Set(s.weights);
  if (!weights.has(0)) return 'the weight 0 is not in W';
  for (let theta = 1; theta < N; theta++) {
    const w1 = c.thresholds[2 * (theta - 1)];
    const b = c.thresholds[2 * (theta - 1) + 1];
    if (!weights.has(w1)) return `θ = ${theta}: the weight ${w1} is not in W`;
    if (!(b >= s.min && b <= s.max)) return `θ = ${theta}: the bias ${b} is not a code`;
    if (!isThreshold(s, w1, b, theta))
      return `θ = ${theta}: the combination of (${w1}, ${b}) is not N·[c ≥ θ]`;
  }
  const { p, k } = c;
  if (!(Number.isInteger(p) && Number.isInteger(k) && p >= s.min && p <= s.max && k >= 1 && k < N))
    return 'p, K are not codes with K ≠ 0';
  const y2 = sigmaOf(s, wrapCode(s, p + 2 * k));
  if (y2 === sigmaOf(s, p) || y2 === sigmaOf(s, wrapCode(s, p + k)))
    return 'σ_F(p + 2K) equals σ_F(p) or σ_F(p + K)';
  return null;
}

/** The same certificate as Proposition XS's list of terms (each read with the weight code 1). */
export function thresholdSpanTerms(c: ThresholdSpanCertificate): ExactSpanCertificate {
  const terms: ExactSpanTerm[] = [];
  const seen = new Set<string>();
  const add = (w1: number, b1: number) => {
    const key = `${w1},${b1}`;
    if (seen.has(key)) return;
    seen.add(key);
    terms.push({ w1, b1, w: 1 });
  };
  for (let i = 0; i < c.thresholds.length; i += 2) {
    const [w1, b] = [c.thresholds[i], c.thresholds[i + 1]];
    for (const [x, y] of [
      [w1, b & 1],
      [0, b & 1],
      [0, b],
      [w1, b],
    ])
      add(x, y);
  }
  return { terms, p: c.p, k: c.k };
}
