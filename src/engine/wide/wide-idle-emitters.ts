/**
 * Idle emitters above 16 bits (docs/theory.md §9.5, "Lemma IF (idle families)"): the emitters of §9.7
 * (runs of one-code increments), §8.10 (a constant prefix read first) and §8.8 (cancelling pairs), each
 * proved for every y ∈ 𝕀 at once instead of checked on |𝕀| lists.
 *
 * - _runs_ (sequential accumulation): weights `up` and `down` that kill ι (ω ⊗ ι = 0) and read a as +1 and
 *   −1 code. E_y is |y − β| copies of the delay P read with `up` (y > β) or `down` (y < β). With β = 0 (bias
 *   first or last) both are needed; with the bias first and one of them only, β = max (`down`) or min
 *   (`up`). Lemma of runs (§9.7): the partial sums run monotonely from β to y, all in range, so every step
 *   adds exactly ±1 code in every rounding and overflow mode; idle copies add 0 (Lemma A, §8.2).
 * - _prefix_ (sequential, bias last, one sign; §8.10): m copies of a constant chain K (K(ι) = K(a) = c, the
 *   depth of P) read first with w_c bring the accumulator to max (`down`) or min (`up`): exactly (m·(w_c ⊗ c)
 *   = max, partial sums monotone in range) or, under `saturate`, by clamping (m·t ≥ max with t > 0: the
 *   partial sums are min(j·t, max)); then the run walks to y, then ⊕ 0.
 * - _paired_ (exact accumulation, §8.8): a constant chain C of P's depth with C(ι) = C(a) = ι, and a − ι = ±1
 *   code; E_y is |y| pairs (P, C) read with (ω, −ω), ω = ±1 (the sign of y·(a − ι)); the exact accumulator
 *   adds ω·(P(u) − C(u))·2^F, which is 0 on u = ι and ±2^F on u = a, so the pre-activation is rnd(y·2^F) = y.
 * - _modular_ (overflow `wrap`, N = 2^bits; §8.9): one weight u (`up`) whose difference δ = T(u, a) − T(u, ι)
 *   is odd (T(u, v) = u ⊗ v under sequential accumulation, u·v / 2^F under exact accumulation with u = ±1);
 *   E_y is k_y ≡ y·δ⁻¹ (mod N) copies of P read with u, and the output bias of N_f is β_f ≡ −Σ_z k_{f(z)}·T(u, ι)
 *   (mod N): the output neuron sums modulo N (Lemma (modular output), §8.9), so it returns f(x).
 */
import type { WideSetting, WideStep } from './wide-setting.js';

export interface WideIdleEmitters {
  /** The idle level ι (I = {ι}); the certificate's e is the active level a. */
  readonly iota: bigint;
  readonly kind: 'runs' | 'prefix' | 'paired' | 'modular';
  /** Weights killing ι with up ⊗ a = +1 and down ⊗ a = −1 code (runs, prefix). */
  readonly up: bigint | null;
  readonly down: bigint | null;
  /** The output bias β (0, max or min). */
  readonly beta: bigint;
  /** Prefix (bias last): the constant chain K, its value c, the weight w_c and the number of copies m. */
  readonly prefix?: {
    readonly chain: readonly WideStep[];
    readonly c: bigint;
    readonly w: bigint;
    readonly m: bigint;
  } | null;
  /** Paired (exact): the constant chain C (C(ι) = C(a) = ι). */
  readonly constant?: readonly WideStep[] | null;
}

/** ω ⊗ v as the output neuron's sequential step from 0 adds it (strict: null when it leaves the range). */
export function idleTerm(s: WideSetting, w: bigint, v: bigint): bigint | null {
  return s.pre([w], [v], 0n, true);
}

const runChain = (s: WideSetting, steps: readonly WideStep[], x: bigint): bigint | null => {
  let h: bigint | null = x;
  for (const st of steps) {
    if (h === null) return null;
    h = s.step(st, h);
  }
  return h;
};

/**
 * Checks the emitter rule for every y (null when it holds, else the failure). `a` is the active level,
 * `delay` the delay P (already checked to fix ι and a), `inW` the weight set.
 */
export function verifyWideIdleEmitters(
  s: WideSetting,
  a: bigint,
  delay: readonly WideStep[],
  em: WideIdleEmitters,
  inW: (w: bigint) => boolean,
): string | null {
  const { iota } = em;
  if (iota === a) return 'the idle level equals the active level';
  if (iota < s.min || iota > s.max) return 'the idle level is not a value';
  const bias = s.config.bias;
  if (em.kind === 'paired') {
    if (!s.exact) return 'paired emitters need exact accumulation';
    if (em.beta !== 0n) return 'paired emitters are written for β = 0';
    if (a - iota !== 1n && a - iota !== -1n) return 'paired emitters need a − ι = ±1 code';
    if (!inW(s.one) || !inW(-s.one)) return 'paired emitters read with ±1, which must be weights';
    const C = em.constant;
    if (!C || C.length !== delay.length) return 'the constant chain must have the depth of the delay';
    if (C.some(([w, b]) => !inW(w) || b < s.min || b > s.max))
      return 'the constant chain has a weight outside W or a bias outside 𝕀';
    if (runChain(s, C, iota) !== iota || runChain(s, C, a) !== iota)
      return 'the constant chain is not ι on {ι, a}';
    // the exact accumulator adds ω·P(u) − ω·C(u) unrounded: 0 on u = ι, ω·(a − ι) = ±2^F on u = a; so E_y's
    // k = |y| pairs give rnd(k·(±2^F) / 2^F) = y, an integer code in range (arithmetic, for every y); one
    // pair of each kind is evaluated with the setting's own accumulator as a sanity check
    if (s.pre([s.one, -s.one], [a, iota], 0n, true) !== a - iota) return 'a paired term does not add a − ι';
    if (s.pre([s.one, -s.one], [iota, iota], 0n, true) !== 0n) return 'an idle pair does not cancel';
    return null;
  }
  if (em.kind === 'modular') {
    if (s.policy.overflow !== 'wrap') return 'modular emitters need overflow wrap';
    if (s.max - s.min + 1n !== 1n << BigInt(s.format.bits))
      return 'the codes are not the residues modulo 2^bits';
    if (em.beta !== 0n || em.down !== null || em.prefix || em.constant)
      return 'modular emitters have one weight and no β';
    if (em.up === null || !inW(em.up)) return 'the modular weight is not in W';
    const d = modularDelta(s, a, iota, em.up);
    if (typeof d === 'string') return d;
    return null;
  }
  if (s.exact)
    return 'run emitters need sequential accumulation (under exact accumulation ω·ι = 0 forces ι = 0, §8.2)';
  for (const [w, inc] of [
    [em.up, 1n],
    [em.down, -1n],
  ] as const) {
    if (w === null) continue;
    if (!inW(w)) return 'a run weight is not in W';
    if (idleTerm(s, w, iota) !== 0n) return 'a run weight does not kill ι';
    if (idleTerm(s, w, a) !== inc) return `a run weight does not read a as ${inc} code`;
  }
  if (em.up === null && em.down === null) return 'no run weight';
  const both = em.up !== null && em.down !== null;
  if (em.kind === 'runs') {
    if (em.prefix) return 'run emitters have no prefix';
    if (both) {
      if (em.beta !== 0n) return 'runs of both signs are written for β = 0';
      return null;
    }
    // one sign: the bias first, from max down (down) or from min up (up)
    if (bias !== 'first') return 'runs of one sign need the bias first (else a prefix)';
    if (em.beta !== (em.down !== null ? s.max : s.min))
      return 'runs of one sign start at max (down) or min (up)';
    return null;
  }
  // prefix: bias last, one sign, β = 0
  if (bias !== 'last') return 'a prefix is for the bias last';
  if (both) return 'a prefix is for runs of one sign';
  if (em.beta !== 0n) return 'the prefix is written for β = 0';
  const p = em.prefix;
  if (!p) return 'no prefix';
  if (p.chain.length !== delay.length) return 'the prefix chain must have the depth of the delay';
  if (!inW(p.w) || p.chain.some(([w, b]) => !inW(w) || b < s.min || b > s.max))
    return 'the prefix has a weight outside W or a bias outside 𝕀';
  if (runChain(s, p.chain, iota) !== p.c || runChain(s, p.chain, a) !== p.c)
    return 'the prefix chain is not constant c on {ι, a}';
  const target = em.down !== null ? s.max : s.min;
  const t = s.policy.overflow === 'saturate' ? s.pre([p.w], [p.c], 0n) : idleTerm(s, p.w, p.c);
  if (t === null || t === 0n || t > 0n !== target > 0n) return 'the prefix term has the wrong sign';
  if (p.m < 1n || p.m > 1n << 20n) return 'the prefix has no copies or too many';
  if (s.policy.overflow === 'saturate') {
    // partial sums min(j·t, max) (or max(j·t, min)): the last one is the target iff m·t reaches it, and
    // m − 1 copies would not be needed (a sanity bound only)
    if (target > 0n ? p.m * t < target : p.m * t > target) return 'the prefix does not reach the end';
  } else if (p.m * t !== target) return 'the prefix does not sum to the end exactly';
  return null;
}

/** The weights of the runs: u ⊗ ι = 0 and u ⊗ a = sign (binary search over ω; ω ↦ ω ⊗ v is monotone). */
export function runWeight(s: WideSetting, iota: bigint, a: bigint, sign: 1n | -1n): bigint | null {
  // the ω of the sign of sign·a read a with the sign `sign`; on that half-line ω ↦ ω ⊗ a and ω ↦ ω ⊗ ι
  // are monotone (|ω ⊗ v| non-decreasing in |ω|); find the least |ω| with |ω ⊗ a| ≥ 1
  const dir = (a > 0n ? 1n : -1n) * sign;
  const lim = dir > 0n ? s.max : -s.min;
  const reads = (k: bigint): bigint | null => {
    const t = idleTerm(s, dir * k, a);
    return t === null ? null : t * sign;
  };
  let lo = 0n;
  let hi = lim;
  // invalid (overflow) counts as reading at least one code: it lies beyond every valid reading
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n;
    const r = reads(mid);
    if (r === null || r >= 1n) hi = mid;
    else lo = mid;
  }
  const w = dir * hi;
  if (w < s.min || w > s.max) return null;
  if (idleTerm(s, w, a) !== sign || idleTerm(s, w, iota) !== 0n) return null;
  return w;
}

/** δ = T(u, a) − T(u, ι) of the modular rule (odd), or why there is none. */
export function modularDelta(s: WideSetting, a: bigint, iota: bigint, u: bigint | null): bigint | string {
  if (u === null) return 'no modular weight';
  let ta: bigint | null;
  let ti: bigint | null;
  if (s.exact) {
    // Lemma (modular output) (b): every product a multiple of 2^F, so the weight is ±1
    if (u !== s.one && u !== -s.one) return 'under exact accumulation the modular weight must be ±1';
    ta = (u * a) / s.one;
    ti = (u * iota) / s.one;
  } else {
    ta = s.pre([u], [a], 0n);
    ti = s.pre([u], [iota], 0n);
  }
  if (ta === null || ti === null) return 'a modular term is invalid';
  const d = ta - ti;
  if (d % 2n === 0n) return 'δ = T(u, a) − T(u, ι) is even';
  return d;
}
