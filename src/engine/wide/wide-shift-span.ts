/**
 * Shift span certificates above 16 bits (docs/theory.md §9.5, "Lemma SR"; Proposition SS of §10.10 with its
 * hypothesis (H1) proved by counting runs instead of tabulating G).
 *
 * Proposition SS (§10.10) says: overflow `wrap`, codes 0 … N − 1 (N = 2^bits), all weights, and
 *  (H1) a shift generator G with Σ_z G(z) odd; (H2) first-layer weights S leaving every code alone in its
 *  fibre; (H3) codes p, K with σ_F(p + 2K) ∉ {σ_F(p), σ_F(p + K)} (mod N); and under exact accumulation G's
 *  output weight a multiple of 2^n (e = n in §10.10's Fact 1′: (H1) is then Σ_z G(z) odd) — then the configuration is universal. Here 1 ∈ W, so S = {1} (1 ⊗ x = x
 *  in both accumulations: every fibre is a single code) and (H3) is three evaluations of σ_F.
 *
 * Two's complement (Q formats under wrap): codes min … max are the residues modulo N and Proposition SS's
 * proof reads codes only modulo N (sums, shifts, the pair AND, parities: c and c + N have one parity), so
 * it holds there verbatim (docs/theory.md §9.5, Lemma SR, remark).
 *
 * Lemma SR (runs). Let G(z) = ω ⊗ σ_F(w_k ⊗ … σ_F(w₁ ⊗ σ_F(z) ⊕ b₁) … ⊕ b_k) (first-layer neuron σ_F(z ⊕ 0),
 * then k ≥ 0 unary steps, then the output weight ω with bias 0). On an unsigned format every weight is ≥ 0;
 * if σ_F is non-decreasing on every code (its proven shape, Lemma 1) and no intermediate value leaves the
 * range at z = 0 and at z = max (strict evaluation), then no intermediate value leaves it for any z (each is
 * a non-decreasing function of z: Lemma 3), so nothing wraps and G is non-decreasing on 0 … N − 1. Then
 * Σ_z G(z) = Σ over the maximal runs [a, a′) of equal values of (a′ − a)·G(a), and each run end a′ is the
 * least z > a with G(z) > G(a), found by binary search. The parity of the sum is exact: no code is skipped
 * and nothing is sampled; the cost is about 32 evaluations of G per run, so only generators with few
 * values (bounded σ_F read through a small weight) are tried.
 */
import type { WideSetting, WideStep } from './wide-setting.js';
import type { WideSigma, WideSpan } from './wide-sigma.js';

export interface WideShiftSpan {
  /** The unary steps after the first-layer neuron σ_F(z) (k ≥ 0). */
  readonly chain: readonly WideStep[];
  /** G's output weight (bias 0). */
  readonly omega: bigint;
  /** (H3): σ_F(p + 2K) ∉ {σ_F(p), σ_F(p + K)} (codes modulo N). */
  readonly p: bigint;
  readonly k: bigint;
  /** Σ_z G(z) mod 2 and the number of runs, as the verifier recomputes them (for the reason). */
  readonly runs: number;
}

/** Most runs counted per generator (each costs about 32·(k + 1) evaluations of σ_F). */
export const MAX_RUNS = 512;

/**
 * Where Lemma SR counts runs: the setting and pieces of codes on each of which σ_F is non-decreasing (one
 * piece [min, max] from the proven shape; two for softplus when σ leaves the range at the top, `wrappedDomain`).
 */
export interface SpanDomain {
  readonly setting: WideSetting;
  readonly pieces: readonly WideSpan[];
}

/** The setting hypotheses of Proposition SS with S = {1}, or why they fail. */
function settingWhy(s: WideSetting): string | null {
  if (s.policy.overflow !== 'wrap') return 'overflow is not wrap';
  // codes min … max are the residues modulo N = 2^bits (UQ: 0 … N − 1; Q: two's complement)
  if (s.max - s.min + 1n !== 1n << BigInt(s.format.bits))
    return 'the codes are not the residues modulo 2^bits';
  if (s.one > s.max) return '1 is not a value (no singleton fibres by S = {1})';
  return null;
}

/** The domain of a proven shape: one piece when σ_F is non-decreasing on every code. */
function domainOf(x: WideSigma | SpanDomain): SpanDomain | string {
  if ('pieces' in x) return settingWhy(x.setting) ?? x;
  const s = x.setting;
  const why = settingWhy(s);
  if (why) return why;
  // σ_F non-decreasing on every code: the proven shape's increasing branch starts at min
  if (x.cR > s.min || x.cL >= s.min) return 'σ_F is not non-decreasing on every code (its proven shape)';
  return { setting: s, pieces: [[s.min, s.max]] };
}

/** Why Lemma SR with Proposition SS does not apply, or null. */
export function wideShiftSpanApplies(x: WideSigma | SpanDomain): string | null {
  const d = domainOf(x);
  return typeof d === 'string' ? d : null;
}

/**
 * softplus where σ leaves the range at the top under wrap (docs/theory.md §9.5, Lemma SR, "pieces"): ρ(c) =
 * rnd(σ(c·2⁻ⁿ)·2ⁿ) is non-decreasing (softplus is increasing, rounding monotone) and min ≤ 0 < ρ(c) ≤ max + N
 * (0 < softplus(x) ≤ max(x, 0) + ln 2), so σ_F = ρ on [min, c* − 1] and ρ − N on [c*, max], c* the least code
 * with ρ(c) > max (binary search on "σ's rounded value is out of range", monotone): σ_F is non-decreasing on
 * both pieces.
 */
export function wrappedDomain(s: WideSetting): SpanDomain | string {
  const why = settingWhy(s);
  if (why) return why;
  if (s.config.activation.key !== 'softplus') return 'only softplus has a proven bound ρ ≤ max + N here';
  if (s.unwrapped(s.max) !== null) return 'σ stays in range at max';
  if (s.unwrapped(s.min) === null) return 'σ leaves the range at min';
  let lo = s.min;
  let hi = s.max;
  while (lo < hi) {
    const m = lo + (hi - lo) / 2n;
    if (s.unwrapped(m) === null) hi = m;
    else lo = m + 1n;
  }
  return {
    setting: s,
    pieces: [
      [s.min, lo - 1n],
      [lo, s.max],
    ],
  };
}

/** G(z), every intermediate value evaluated strictly (null as soon as one leaves the range). */
export function generatorAt(
  s: WideSetting,
  chain: readonly WideStep[],
  omega: bigint,
  z: bigint,
): bigint | null {
  let v = s.sigma(z);
  for (const st of chain) {
    if (v === null) return null;
    v = s.step(st, v, true);
  }
  return v === null ? null : s.pre([omega], [v], 0n, true);
}

/** Σ_z G(z) mod 2 by runs (Lemma SR) on every piece, or why it was not computed. */
export function runParity(
  x: WideSigma | SpanDomain,
  chain: readonly WideStep[],
  omega: bigint,
  maxRuns = MAX_RUNS,
): { parity: bigint; runs: number } | string {
  const d = domainOf(x);
  if (typeof d === 'string') return d;
  const s = d.setting;
  const G = (z: bigint) => generatorAt(s, chain, omega, z);
  let parity = 0n;
  let runs = 0;
  // every inner step's pre-activations over a piece must stay in one piece, where σ_F is non-decreasing
  const trace = (z: bigint): bigint[] | null => {
    const out: bigint[] = [];
    let v = s.sigma(z);
    for (const [w, b] of chain) {
      const p = v === null ? null : s.pre([w], [v], b, true);
      if (p === null) return null;
      out.push(p);
      v = s.sigma(p);
    }
    return out;
  };
  // G is non-decreasing when an even number of its weights are negative, else non-increasing (Lemma SR)
  const dir = [omega, ...chain.map(([w]) => w)].reduce((acc, w) => (w < 0n ? -acc : acc), 1);
  const inOne = (u: bigint, v: bigint) => d.pieces.some(([p, q]) => u >= p && u <= q && v >= p && v <= q);
  for (const [a, b] of d.pieces) {
    if (G(a) === null || G(b) === null)
      return `an intermediate value of G leaves the range at code ${a} or ${b} (the ends of a piece)`;
    const ta = trace(a) as bigint[];
    const tb = trace(b) as bigint[];
    if (ta.some((u, i) => !inOne(u, tb[i])))
      return 'an inner pre-activation of G crosses from one piece of σ_F to another';
    let z = a;
    while (z <= b) {
      if (++runs > maxRuns) return `G takes more than ${maxRuns} values`;
      const g = G(z) as bigint;
      // least z′ in (z, b] with G(z′) past g (above when G is non-decreasing, below when non-increasing)
      let lo = z + 1n;
      let hi = b + 1n;
      while (lo < hi) {
        const m = lo + (hi - lo) / 2n;
        const gm = G(m) as bigint;
        if (dir > 0 ? gm > g : gm < g) hi = m;
        else lo = m + 1n;
      }
      parity ^= (g * (lo - z)) & 1n;
      z = lo;
    }
  }
  return { parity, runs };
}

/** (H3): σ_F((p + 2K) mod N) differs from σ_F(p) and σ_F((p + K) mod N). */
export function pairAndHolds(s: WideSetting, p: bigint, k: bigint): boolean {
  const n = s.max - s.min + 1n;
  const at = (c: bigint) => s.sigma(((((c - s.min) % n) + n) % n) + s.min);
  const y2 = at(p + 2n * k);
  return k !== 0n && y2 !== null && y2 !== at(p) && y2 !== at(p + k);
}

/** Checks a certificate: the setting, W, ω a multiple of 2^n under exact accumulation, (H3) and (H1) by runs. Null when all hold, else the failure. */
export function verifyWideShiftSpan(x: WideSigma | SpanDomain, c: WideShiftSpan): string | null {
  const d = domainOf(x);
  if (typeof d === 'string') return d;
  const s = d.setting;
  // weights of W, positive (binary weights: ±1), so that G is monotone (Lemma SR)
  const inW = (w: bigint) => (s.binary ? w === s.one || w === -s.one : w > 0n && w <= s.max);
  if (!inW(c.omega) || c.chain.some(([w]) => !inW(w))) return 'a weight is not in W';
  if (c.chain.some(([, b]) => b < s.min || b > s.max)) return 'a bias is not a value';
  if (s.exact && c.omega % s.one !== 0n)
    return 'under exact accumulation ω must be a multiple of 2^n (§10.10, Fact 1′ with e = n)';
  if (!pairAndHolds(s, c.p, c.k)) return '(H3): the pair AND fails';
  const got = runParity(d, c.chain, c.omega);
  if (typeof got === 'string') return `(H1) not computed: ${got}`;
  if (got.parity !== 1n) return '(H1): Σ_z G(z) is even';
  return null;
}

/** Searches a generator with an odd sum (few runs) and a pair AND; every result is verified. */
export function findWideShiftSpan(x: WideSigma | SpanDomain): { found: WideShiftSpan | null; tried: string } {
  const d = domainOf(x);
  if (typeof d === 'string') return { found: null, tried: `shift span (Lemma SR): ${d}` };
  const s = d.setting;
  // (H3): p = 0 and K = 2^j·one or small codes
  let pk: [bigint, bigint] | null = null;
  for (const k of [s.one, 2n * s.one, s.one >> 1n, 4n * s.one, 1n, 2n, 16n * s.one])
    if (k > 0n && k <= s.max && pairAndHolds(s, 0n, k)) {
      pk = [0n, k];
      break;
    }
  if (!pk) return { found: null, tried: 'shift span (Lemma SR): no pair AND σ_F(2K) ∉ {σ_F(0), σ_F(K)}' };
  const cands: Array<{ chain: WideStep[]; omega: bigint }> = [];
  const omegas = s.exact ? [s.one] : [s.one, ...Array.from({ length: 40 }, (_, i) => BigInt(i + 1))];
  if (s.binary) {
    // binary weights, σ_F's values reflected and pushed to the bottom plateau: (±1, b₁), then steps
    // among (1, min), (1, 0), (−1, 0), (−1, min)
    const firsts: WideStep[] = [
      [-s.one, -1n],
      [-s.one, 0n],
      [s.one, 0n],
      [-s.one, s.min],
      [s.one, s.min],
      [-s.one, s.max],
    ];
    const nexts: WideStep[] = [
      [s.one, s.min],
      [s.one, 0n],
      [-s.one, 0n],
      [-s.one, s.min],
    ];
    for (const f of firsts) {
      cands.push({ chain: [f], omega: s.one });
      for (const n2 of nexts) {
        cands.push({ chain: [f, n2], omega: s.one });
        for (const n3 of nexts) {
          cands.push({ chain: [f, n2, n3], omega: s.one });
          for (const n4 of nexts) cands.push({ chain: [f, n2, n3, n4], omega: s.one });
        }
      }
    }
    // binary weights: no gain compresses, so the steps (1, b) shift σ_F's values onto a plateau, twice
    const top = s.max / s.one;
    for (let b2 = top; b2 >= 0n && b2 >= top - 4n; b2--)
      for (let b3 = top; b3 >= 0n && b3 >= top - 4n; b3--)
        for (const half of [0n, s.one / 2n]) {
          cands.push({ chain: [[s.one, b2 * s.one - half]], omega: s.one });
          cands.push({
            chain: [
              [s.one, b2 * s.one - half],
              [s.one, b3 * s.one],
            ],
            omega: s.one,
          });
        }
  }
  // depth 1: G = ω ⊗ σ_F(z) with small ω (sequential; under exact accumulation ω = 1, a multiple of 2^n)
  if (!s.binary) for (const omega of omegas) cands.push({ chain: [], omega });
  // depth 2: G = 1 ⊗ σ_F(w₂ ⊗ σ_F(z) ⊕ b₂), small w₂ (few values of the inner pre-activation)
  if (!s.binary)
    for (let w2 = 1n; w2 <= 6n; w2++)
      for (let b2 = 0n; b2 <= 12n; b2++) cands.push({ chain: [[w2, b2 * s.one]], omega: s.one });
  // depth 3: two compressions by small gains, for σ_F close to the identity (few values after both)
  if (!s.binary)
    for (const w2 of [1n, 2n, 3n, 4n])
      for (let b2 = 0n; b2 <= 3n; b2++)
        for (const w3 of [1n, 2n, 3n, 4n, 5n, 6n, 8n])
          for (let b3 = 0n; b3 <= 12n; b3++)
            for (const omega of omegas.slice(0, 4))
              cands.push({
                chain: [
                  [w2, b2 * s.one],
                  [w3, b3 * s.one],
                ],
                omega,
              });
  let counted = 0;
  for (const { chain, omega } of cands) {
    // a search filter: a non-decreasing integer G has at most G(b) − G(a) + 1 runs on a piece [a, b]
    let span = 0n;
    for (const [a, b] of d.pieces) {
      const g0 = generatorAt(s, chain, omega, a);
      const g1 = generatorAt(s, chain, omega, b);
      span = g0 === null || g1 === null ? 1n << 40n : span + (g1 > g0 ? g1 - g0 : g0 - g1);
    }
    if (span > 63n) continue;
    const got = runParity(d, chain, omega, 64);
    if (typeof got === 'string') continue;
    counted++;
    if (got.parity !== 1n) continue;
    const found: WideShiftSpan = { chain, omega, p: pk[0], k: pk[1], runs: got.runs };
    if (verifyWideShiftSpan(d, found) === null) return { found, tried: '' };
  }
  return {
    found: null,
    tried: `shift span (Lemma SR): no generator with an odd sum among ${cands.length} (${counted} counted by runs; the others leave the range or take more than 64 values)`,
  };
}
