/**
 * Shift span certificates (docs/theory.md §10.10, Proposition SS): unsigned and signed formats under overflow
 * `wrap`, all weights, either accumulation and bias order, up to 16 bits.
 *
 * Statement. Overflow `wrap`, codes 0..N − 1 or −N/2..N/2 − 1 with N = 2^bits (every ⊕ reduces modulo N; the
 * codes are the residues ℤ/N, "Signed formats under wrap" in §10.10). Let G be a shift
 * generator (`shift-generator.ts`): a block of layers whose first-layer neurons are σ_F(z ⊕ c_j), then fixed
 * layers, then one output neuron (its pre-activation is G(z)). Suppose
 *  (H1) Σ_z G(z) is odd (z over all N codes) under sequential accumulation; under exact accumulation
 *       Σ_z R(z)/2^e is odd, R the exact sum of G's output edges in product units (`generatorRaw`) and 2^e,
 *       e ≤ n, the largest power dividing every R(z) (`generatorScale`): copies read by one neuron add R
 *       exactly and the neuron rounds once, so targets 2^n·φ modulo N·2^n are reached exactly;
 *  (H2) a set S ⊆ W of first-layer weights such that every code x is alone in its fibre of u_{w₁} for some
 *       w₁ ∈ S, where u_{w₁}(x) = w₁ ⊗ x (sequential) or rnd(w₁·x·2^−n) mod N (exact); under exact
 *       accumulation with nearest-even rounding every w₁ ∈ S is a multiple of 2^n (on signed codes also with
 *       toward-zero, nearest-away and nearest-zero: only floor, ceil, nearest-up, nearest-down commute with
 *       adding an integer of either sign);
 *  (H3) the pair AND of Proposition MS: codes p, K with σ_F(p + 2K) ∉ {σ_F(p), σ_F(p + K)} (modulo N);
 * Then every f : 𝕀^d → 𝕀 (every d ≥ 1) is computed by a network.
 *
 * Proof sketch (full proof in docs/theory.md §10.10): functions ℤ_N → GF(2) form R = GF(2)[t]/(t+1)^N, a
 * local ring; the shifts of G span the ideal (G(t)), all of R iff G(1) = Σ G(z) is odd. So the circulant
 * matrix [G(z + b)] is invertible modulo 2, hence modulo N: every q : ℤ_N → ℤ/N is Σ_b k_b·G(· + b) up to a
 * constant. Copies of the block with first-layer biases c_j + b read h with w₁ ∈ S and compute
 * G((u_{w₁}(h) + b) mod N); on a singleton fibre q∘u_{w₁} is any multiple of δ_x. So blocks compute
 * σ_F(Σᵢ φᵢ(hᵢ)) for arbitrary φᵢ, and the pair AND, its tree and the output block of Proposition MS follow.
 *
 * Pure integer kernel on number codes; `verifyShiftSpanCertificate` recomputes G with the setting's own
 * arithmetic (`generatorOddSum`), every fibre and the pair AND.
 */
import type { Budget } from './budget.js';
import { oddGeneratorByArcPairs } from './odd-generator-by-arc-pairs.js';
import { oddGeneratorByHalving } from './odd-generator-by-halving.js';
import { type Setting, sigmaOf } from './setting.js';
import {
  generatorDefect,
  generatorOddSum,
  generatorRaw,
  generatorScale,
  oneLayerGenerator,
  type ShiftGenerator,
  twoLayerGenerator,
} from './shift-generator.js';
import { solveModPowerOfTwo } from './solve-mod-power-of-two.js';

export interface ShiftSpanCertificate {
  /** (H1): Σ_z G(z) odd. */
  readonly generator: ShiftGenerator;
  /** (H2): first-layer weights; every code is alone in its fibre of u_{w₁} for one of them. */
  readonly fibreWeights: readonly number[];
  /** (H3): the pair AND, σ_F(p + 2K) ∉ {σ_F(p), σ_F(p + K)}. */
  readonly p: number;
  readonly k: number;
  /** How the generator was found (for the verdict's reason). */
  readonly source: string;
}

/** A source of generators from elsewhere (`bitgen`'s odd generators for identity tables plug in here). */
export type GeneratorSource = (s: Setting) => ShiftGenerator | null;

/**
 * Generator sources tried after the built-in depth-1 and depth-2 searches. Hook for the odd generators of
 * identity-like σ_F tables (docs/theory.md §10.10, "Odd generators for identity tables", branch `bitgen`):
 * add `[name, oddGenerator…]` here; every generator is checked by `verifyShiftSpanCertificate` before use.
 */
export const EXTRA_GENERATOR_SOURCES: ReadonlyArray<readonly [string, GeneratorSource]> = [
  ['a halving threshold and its shift by one (Proposition OH, docs/theory.md §10.10)', oddGeneratorByHalving],
  [
    'two shifted first-layer neurons ANDed by one hidden neuron (arc-pair generators, docs/theory.md §10.10)',
    oddGeneratorByArcPairs,
  ],
];

/** The search's own cap on elementary operations (⊗ evaluations and word operations; well under a second). */
export const SHIFT_SPAN_MAX_WORK = 3e7;

/**
 * Why the proposition does not apply to s, or null when it does: codes 0..N − 1 (unsigned) or
 * −N/2..N/2 − 1 (signed, two's complement); either way they are the residues ℤ/N (docs/theory.md §10.10,
 * "Signed formats").
 */
export function shiftSpanApplies(s: Setting): string | null {
  if (s.policy.overflow !== 'wrap') return 'overflow is not wrap';
  if (s.size < 4 || (s.size & (s.size - 1)) !== 0) return 'N is not a power of two ≥ 4';
  if (!(s.min === 0 || s.min === -s.size / 2)) return 'codes are neither 0..N − 1 nor −N/2..N/2 − 1';
  if (s.max !== s.min + s.size - 1) return 'codes are not N consecutive integers';
  if (s.weightSet !== 'all') return 'weights are not all of 𝕀';
  return null;
}

/** The code congruent to c modulo N (the wrap of c into min..max). */
export function wrapCode(s: Setting, c: number): number {
  return ((((c - s.min) % s.size) + s.size) % s.size) + s.min;
}

/**
 * u_{w₁} on every code, indexed by code − min: w₁ ⊗ x (sequential) or rnd(w₁·x·2^−n) mod N (exact), as the
 * setting computes it (values are codes).
 */
export function firstLayerMap(s: Setting, w1: number): Int32Array {
  const u = new Int32Array(s.size);
  for (let i = 0; i < s.size; i++) {
    const x = s.min + i;
    u[i] = s.accumulation === 'exact' ? s.roundWide(w1 * x) : s.mul(w1, x);
  }
  return u;
}

/** Roundings with rnd(c + y) = c + rnd(y) for every integer c and every rational y (of either sign). */
const TRANSLATION_INVARIANT = new Set(['floor', 'ceil', 'nearest-up', 'nearest-down']);

/**
 * Whether w₁ may read a block: a weight, and under exact accumulation with nearest-even rounding a multiple
 * of 2^n (there rnd(c + y) = c + rnd(y) can fail for odd c at a tie; with 2^n | w₁ there is no rounding).
 */
export function fibreWeightAllowed(s: Setting, w1: number): boolean {
  if (!(Number.isInteger(w1) && w1 >= s.min && w1 <= s.max)) return false;
  if (s.accumulation !== 'exact' || w1 % s.one === 0) return true;
  // unsigned: the exact sum C·2^n + w₁·h has C, w₁·h ≥ 0 and every mode but nearest-even commutes with adding
  // C there; signed: C or w₁·h may be negative, so only the translation-invariant modes qualify
  return s.min === 0 ? s.policy.rounding !== 'nearest-even' : TRANSLATION_INVARIANT.has(s.policy.rounding);
}

/** For every code x (index x − min) the index in `weights` of the first w₁ whose fibre of x is {x}, or −1. */
export function singletonCover(s: Setting, weights: readonly number[]): Int32Array {
  const N = s.size;
  const cover = new Int32Array(N).fill(-1);
  const count = new Int32Array(N);
  weights.forEach((w1, j) => {
    const u = firstLayerMap(s, w1);
    count.fill(0);
    for (let x = 0; x < N; x++) count[u[x] - s.min]++;
    for (let x = 0; x < N; x++) if (cover[x] < 0 && count[u[x] - s.min] === 1) cover[x] = j;
  });
  return cover;
}

/** The most fibre weights the greedy search takes. */
const MAX_FIBRE_WEIGHTS = 64;

/** S: {1} when 1 is an allowed weight, else greedy from the largest weights down; null when none covers. */
export function findFibreWeights(s: Setting, budget?: Budget): number[] | null {
  if (s.one <= s.max && fibreWeightAllowed(s, s.one)) return [s.one];
  const N = s.size;
  const covered = new Uint8Array(N);
  let left = N;
  const chosen: number[] = [];
  const count = new Int32Array(N);
  let tried = 0;
  for (let w1 = s.max; w1 > 0 && left > 0 && tried < 4 * MAX_FIBRE_WEIGHTS; w1--) {
    if (!fibreWeightAllowed(s, w1)) continue;
    tried++;
    budget?.spend(N, 'shift span fibres');
    const u = firstLayerMap(s, w1);
    count.fill(0);
    for (let x = 0; x < N; x++) count[u[x] - s.min]++;
    let gain = 0;
    for (let x = 0; x < N; x++)
      if (!covered[x] && count[u[x] - s.min] === 1) {
        covered[x] = 1;
        gain++;
      }
    if (gain > 0) {
      chosen.push(w1);
      left -= gain;
      if (chosen.length > MAX_FIBRE_WEIGHTS) return null;
    }
  }
  return left === 0 ? chosen : null;
}

/**
 * The (t + 1)-adic valuation of p = Σ_z p(z)·t^z in GF(2)[t]/(t + 1)^N (bits of `parity`, N a power of 2):
 * t^z = Σ_{j ⊆ z} (t + 1)^j (Lucas), so the coefficient of (t + 1)^j is Σ_{z ⊇ j} p(z) mod 2; the least j
 * with a 1, or N when p = 0. v(p) = 0 iff Σ_z p(z) is odd.
 */
export function valuation(parity: Uint8Array): number {
  const N = parity.length;
  if (N < 32) {
    const a = Uint8Array.from(parity, (v) => v & 1);
    for (let bit = 1; bit < N; bit <<= 1) for (let i = 0; i < N; i++) if (!(i & bit)) a[i] ^= a[i | bit];
    const j = a.indexOf(1);
    return j < 0 ? N : j;
  }
  // bit-packed: bit r of word i is position 32i + r; index bits 1..16 move within a word (masks of the
  // positions without that bit), larger index bits move whole words
  const words = N >> 5;
  const w = new Uint32Array(words);
  for (let z = 0; z < N; z++) if (parity[z] & 1) w[z >> 5] |= 1 << (z & 31);
  const masks = [0x55555555, 0x33333333, 0x0f0f0f0f, 0x00ff00ff, 0x0000ffff];
  for (let i = 0; i < words; i++) {
    let x = w[i];
    for (let b = 0; b < 5; b++) x ^= (x >>> (1 << b)) & masks[b];
    w[i] = x;
  }
  for (let stride = 1; stride < words; stride <<= 1)
    for (let i = 0; i < words; i++) if (!(i & stride)) w[i] ^= w[i + stride];
  for (let i = 0; i < words; i++) if (w[i]) return 32 * i + 31 - Math.clz32(w[i] & -w[i]);
  return N;
}

/** Readout weights the search tries (sequential): small codes, 1, and the largest codes. */
function readoutCandidates(s: Setting): number[] {
  const out = new Set<number>();
  if (s.one <= s.max) out.add(s.one);
  for (let w = 1; w <= Math.min(s.max, 40); w++) out.add(w);
  for (let w = s.max; w > Math.max(0, s.max - 16); w--) out.add(w);
  for (const w of [s.one - 1, s.one + 1, s.one >> 1, 3 * (s.one >> 1)]) if (w > 0 && w <= s.max) out.add(w);
  return [...out];
}

/** Second-layer weights w₂ in the order the depth-2 search tries them. */
function secondWeights(s: Setting): number[] {
  const out = new Set<number>();
  if (s.one <= s.max) out.add(s.one);
  for (let i = 1; i <= s.max; i++) {
    out.add(i);
    out.add(s.max + 1 - i);
    if (out.size >= s.size) break;
  }
  return [...out];
}

/**
 * Codes b < maxB with Σ_y H(y)·P(y + b) odd, in increasing b (bit-packed correlation, O(N/32) per b); `scan`
 * counts the shifts looked at.
 */
export function* oddCorrelations(
  h: Uint8Array,
  p: Uint8Array,
  maxB: number,
  scan: { count: number },
): Generator<number> {
  const N = h.length;
  const end = Math.min(N, maxB);
  if (N < 32) {
    for (let b = 0; b < end; b++) {
      scan.count++;
      let x = 0;
      for (let y = 0; y < N; y++) x ^= h[y] & p[(y + b) % N];
      if (x) yield b;
    }
    return;
  }
  const words = N >> 5;
  const hw = new Uint32Array(words);
  const pd = new Uint32Array(2 * words + 1);
  for (let y = 0; y < N; y++) {
    if (h[y]) hw[y >> 5] |= 1 << (y & 31);
    if (p[y]) {
      pd[y >> 5] |= 1 << (y & 31);
      pd[(y + N) >> 5] |= 1 << (y & 31);
    }
  }
  for (let b = 0; b < end; b++) {
    scan.count++;
    const q = b >> 5;
    const r = b & 31;
    let x = 0;
    for (let i = 0; i < words; i++) {
      const rot = r === 0 ? pd[q + i] : (pd[q + i] >>> r) | (pd[q + i + 1] << (32 - r));
      x ^= hw[i] & rot;
    }
    x ^= x >>> 16;
    x ^= x >>> 8;
    x ^= x >>> 4;
    x ^= x >>> 2;
    x ^= x >>> 1;
    if (x & 1) yield b;
  }
}

/** A generator with Σ_z G(z) odd: depth 1 (w ⊗ σ_F(z)), then depth 2, then the extra sources; or why not. */
export function findOddGenerator(
  s: Setting,
  budget?: Budget,
  sources: ReadonlyArray<readonly [string, GeneratorSource]> = EXTRA_GENERATOR_SOURCES,
): { generator: ShiftGenerator; source: string } | { tried: string[] } {
  const N = s.size;
  const sig = new Int32Array(N);
  // indexed by code − min: a rotation of the residues, so shifts (biases) act on indices as on residues
  for (let z = 0; z < N; z++) sig[z] = sigmaOf(s, s.min + z);
  const exact = s.accumulation === 'exact';
  const readouts = readoutCandidates(s);
  // exact accumulation: R = w·σ_F is taken at the scale 2^e, e = min(n, ν₂(w) + the least ν₂ of a non-zero
  // value of σ_F) (an upper bound of the generator's own e; equal whenever the scaled sum is odd)
  const nu2 = (v: number) => {
    let k = 0;
    for (let r = Math.abs(v); r !== 0 && r % 2 === 0 && k < 64; r /= 2) k++;
    return k;
  };
  let sigmaNu = 64;
  for (let z = 0; z < N; z++) if (sig[z] !== 0) sigmaNu = Math.min(sigmaNu, nu2(sig[z]));
  const scaleOf = (w: number) => Math.min(s.format.fracBits, nu2(w) + sigmaNu);
  const term = (w: number, y: number, e: number) =>
    exact ? Math.abs((w * y) / 2 ** e) % 2 : s.mul(w, y) & 1;
  let work = 0;
  // depth 1: Σ_z w ⊗ σ_F(z) odd; P_w(y) = (w ⊗ σ_F(y)) mod 2 is kept for depth 2
  const parities: Array<{ w: number; e: number; p: Uint8Array; v: number }> = [];
  for (const w of readouts) {
    budget?.spend(N, 'shift span readouts');
    work += N;
    const p = new Uint8Array(N);
    const e = scaleOf(w);
    let odd = 0;
    for (let y = 0; y < N; y++) {
      p[y] = term(w, sig[y], e);
      odd ^= p[y];
    }
    if (odd) {
      const g = oneLayerGenerator(w);
      if (generatorOddSum(s, g)) return { generator: g, source: `depth 1: G(z) = ${w} ⊗ σ_F(z) (codes)` };
    }
    parities.push({ w, e, p, v: -1 });
  }
  // depth 2: Σ_z G = Σ_y H(y)·P_w(y + b₂) with H(y) = #{z : w₂ ⊗ σ_F(z) = y} mod 2; some b₂ gives an odd sum
  // iff v(H) + v(P_w) < N (the correlation is H(t⁻¹)·P_w(t) in GF(2)[t]/(t + 1)^N)
  const log = Math.log2(N);
  for (const r of parities) {
    budget?.spend(N * log, 'shift span valuations');
    r.v = valuation(r.p);
  }
  work = 0; // the depth-2 search has its own cap
  parities.sort((a, b) => a.v - b.v);
  const best = parities.filter((r) => r.v === parities[0].v).slice(0, 4);
  let bestH = N;
  let tried2 = 0;
  for (const w2 of secondWeights(s)) {
    if (work > SHIFT_SPAN_MAX_WORK) break;
    budget?.spend(N * (log + 1), 'shift span depth 2');
    tried2++;
    work += N * (log + 1);
    const h = new Uint8Array(N);
    for (let z = 0; z < N; z++) {
      const y = s.accumulation === 'exact' ? s.roundWide(w2 * sig[z]) : s.mul(w2, sig[z]);
      h[y - s.min] ^= 1;
    }
    const vh = valuation(h);
    bestH = Math.min(bestH, vh);
    for (const r of best) {
      if (vh + r.v >= N) continue;
      let tries = 0;
      const scan = { count: 0 };
      const maxB = Math.max(64, Math.floor((SHIFT_SPAN_MAX_WORK - work) / Math.max(1, N / 32)));
      for (const shift of oddCorrelations(h, r.p, maxB, scan)) {
        const b2 = wrapCode(s, shift);
        // the correlation assumes the bias shifts y (Fact 2); the sum is recomputed directly (the exact
        // accumulator with nearest-even can differ at odd b₂), at most 16 shifts per pair
        work += 4 * N;
        if (work > SHIFT_SPAN_MAX_WORK || ++tries > 16) break;
        let odd = 0;
        for (let z = 0; z < N; z++) {
          const pre = exact ? s.roundWide(b2 * s.one + w2 * sig[z]) : wrapCode(s, s.mul(w2, sig[z]) + b2);
          odd ^= term(r.w, sigmaOf(s, pre), r.e);
        }
        if (!odd) continue;
        const g = twoLayerGenerator(w2, b2, r.w);
        if (generatorOddSum(s, g))
          return {
            generator: g,
            source: `depth 2: G(z) = ${r.w} ⊗ σ_F(${w2} ⊗ σ_F(z) ⊕ ${b2}) (codes; v(H) = ${vh}, v(P) = ${r.v})`,
          };
      }
      work += scan.count * Math.max(1, N / 32);
    }
  }
  const tried = [
    `no readout w of ${readouts.length} tried has Σ_z w ⊗ σ_F(z) odd (least valuation v(P) = ${parities[0].v})`,
    `depth 2: ${tried2} weights w₂ tried, least v(H) = ${bestH}, v(H) + v(P) ≥ N = ${N} for all${work > SHIFT_SPAN_MAX_WORK ? ` (stopped at its cap, ${SHIFT_SPAN_MAX_WORK.toExponential(0)} operations)` : ''}`,
  ];
  for (const [name, source] of sources) {
    const g = source(s);
    if (g && !generatorDefect(s, g) && generatorOddSum(s, g)) return { generator: g, source: name };
    tried.push(`${name}: ${g ? 'its generator has an even sum or a defect' : 'none'}`);
  }
  return { tried };
}

/** The largest K the pair AND search tries (every p for each: at most 256·N evaluations of σ_F). */
export const PAIR_AND_MAX_K = 256;

/** Codes p, K ≤ PAIR_AND_MAX_K with σ_F(p + 2K) ∉ {σ_F(p), σ_F(p + K)} (modulo N), or null. */
export function boundedPairAnd(s: Setting, budget?: Budget): { p: number; k: number } | null {
  const N = s.size;
  const sig = s.sigma; // index code − min: shifting an index by K modulo N shifts the code by K modulo N
  for (let k = 1; k < N && k <= PAIR_AND_MAX_K; k++) {
    budget?.spend(N, 'shift span pair AND');
    for (let p = 0; p < N; p++) {
      const y2 = sig[(p + 2 * k) % N];
      if (y2 !== sig[p] && y2 !== sig[(p + k) % N]) return { p: s.min + p, k };
    }
  }
  return null;
}

/** Searches a shift span certificate: fibres, the pair AND, then an odd generator. */
export function findShiftSpanCertificate(
  s: Setting,
  budget?: Budget,
  sources?: ReadonlyArray<readonly [string, GeneratorSource]>,
): { certificate: ShiftSpanCertificate | null; tried: string[] } {
  const why = shiftSpanApplies(s);
  if (why) return { certificate: null, tried: [`shift span: ${why}`] };
  const and = boundedPairAnd(s, budget);
  if (!and)
    return {
      certificate: null,
      tried: [
        `no pair AND σ_F(p + 2K) ∉ {σ_F(p), σ_F(p + K)} with K ≤ ${Math.min(s.size - 1, PAIR_AND_MAX_K)} (every p)`,
      ],
    };
  const fibreWeights = findFibreWeights(s, budget);
  if (!fibreWeights)
    return {
      certificate: null,
      tried: [`no set of at most ${MAX_FIBRE_WEIGHTS} weights w₁ leaves every code alone in its fibre`],
    };
  const found = findOddGenerator(s, budget, sources);
  if ('tried' in found) return { certificate: null, tried: found.tried };
  return {
    certificate: { generator: found.generator, fibreWeights, ...and, source: found.source },
    tried: [],
  };
}

/** Null when the certificate holds on s, else the first failure. */
export function verifyShiftSpanCertificate(s: Setting, c: ShiftSpanCertificate): string | null {
  const why = shiftSpanApplies(s);
  if (why) return why;
  const N = s.size;
  const defect = generatorDefect(s, c.generator);
  if (defect) return defect;
  if (!generatorOddSum(s, c.generator)) return 'Σ_z R(z)/2^e is even (R: the readout sum of G, §10.10)';
  if (c.fibreWeights.length === 0) return 'no fibre weight';
  for (const w1 of c.fibreWeights)
    if (!fibreWeightAllowed(s, w1))
      return `fibre weight ${w1} is not allowed (a weight; a multiple of 2^n under exact nearest-even)`;
  const cover = singletonCover(s, c.fibreWeights);
  const lonely = cover.indexOf(-1);
  if (lonely >= 0) return `code ${lonely} is not alone in its fibre for any fibre weight`;
  const { p, k } = c;
  if (!(Number.isInteger(p) && Number.isInteger(k) && p >= s.min && p <= s.max && k >= 0 && k < N))
    return 'p, K are not codes';
  const y2 = sigmaOf(s, wrapCode(s, p + 2 * k));
  if (y2 === sigmaOf(s, p) || y2 === sigmaOf(s, wrapCode(s, p + k)))
    return 'σ_F(p + 2K) equals σ_F(p) or σ_F(p + K)';
  return null;
}

/**
 * Copies k_b (b = 0..N − 1) with Σ_b k_b·R(z + b) ≡ 2^n·q(z) (mod N·2^n) on every code z, R the readout sum
 * of G (`generatorRaw`; under sequential accumulation the congruence is Σ_b k_b·R(z + b) ≡ q(z) (mod N)):
 * with T = R/2^e and M = N·2^(n − e) (exact) or M = N (sequential), Gaussian elimination modulo M with odd
 * pivots (the circulant [T(z + b)] is invertible modulo 2 when Σ T is odd) solves Σ k_b·T(z + b) ≡ 2^(n − e)·q(z).
 * A neuron reading these copies with bias β computes rnd(β + Σ k_b·R/2^n) = β + q(z) + N·m, so β + q(z) after
 * the wrap (exact: the rounded quantity is an integer). O(N³): for tests and materialised networks.
 */
export function shiftCoefficients(s: Setting, g: ShiftGenerator, q: ArrayLike<number>): number[] {
  const N = s.size;
  const raw = generatorRaw(s, g);
  const e = generatorScale(s, raw);
  const lift = s.accumulation === 'exact' ? 2n ** BigInt(s.format.fracBits - e) : 1n;
  const M = BigInt(N) * lift;
  const mod = (x: bigint) => ((x % M) + M) % M;
  const t = Array.from(raw, (r) => mod(BigInt(r) / 2n ** BigInt(e)));
  // row z: [T(z + 0), …, T(z + N − 1) | 2^(n − e)·q(z)]
  const m = Array.from({ length: N }, (_, z) => [
    ...Array.from({ length: N }, (_, b) => t[(z + b) % N]),
    mod(lift * BigInt(q[z])),
  ]);
  return solveModPowerOfTwo(m, M, 'shiftCoefficients').map(Number);
}
