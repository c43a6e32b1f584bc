/**
 * Arc certificates (docs/theory.md §8.13, Proposition ARC): two-valued σ_F tables under `wrap`, detectors
 * that AND arcs of the circle ℤ/N, checked by arithmetic on the arcs instead of on every input.
 *
 * Statement. Overflow `wrap`, N = |𝕀| a power of two, the weight 1 (code 2^F) in W, distinct sources,
 * identity output layer. Let σ_F take two values a ≠ ι on the codes, σ_F(t) = a exactly when t lies on the
 * arc S = {t₀, t₀ + 1, …, t₀ + L − 1} (mod N) of pre-activation codes, 0 < L < N. Then
 *   (arc literals) the neuron ℓ_b(x) = σ_F(1 ⊗ x ⊕ b) computes σ_F((x + b) mod N) for every rounding,
 *     accumulation and bias order, so ℓ_b = a exactly on the arc of x of length L starting at t₀ − b;
 *   (detectors) with G = N − L and k = ⌈(N − 1)/G⌉ such literals around z, whose complements (gaps of G
 *     codes each) cover 𝕀 ∖ {z}, and a k-input neuron A_k (weights 1, bias c_k) with A_k = a on a^k and ι
 *     on the rest of {ι, a}^k, D_z = A_k(ℓ_{b₁}, …, ℓ_{b_k}) is a at z and ι elsewhere;
 *   (composition) with a 2-input AND A and a delay P of depth 1 on {ι, a}, and a unit weight u ∈ W whose
 *     terms T(u, a), T(u, ι) (u ⊗ h sequential; u·h/2^F exact) are integers with an odd difference δ, the
 *     configuration is universal: these are the gadgets of a modular deep gadget certificate (§8.11), and
 *     §8.9's modular composition lemma gives every f : 𝕀^d → 𝕀.
 * `verifyArcCertificate` checks every hypothesis: σ_F on every code, the literals at their breakpoints,
 * the gap cover of every detector by exact arithmetic, A_k, A and P on their whole domains, and δ.
 */
import type { Certificate, Emitter } from './certificate.js';
import type { DeepGadgetCertificate } from './deep-gadget-certificate.js';
import type { Gadget, GadgetNeuron } from './gadget.js';
import { neuron, type Setting, sigmaOf, unary } from './setting.js';

/** The largest fan-in of the detectors' AND neuron (gaps of at least (N − 1)/8 codes). */
export const ARC_MAX_FAN_IN = 8;

/** An arc certificate (docs/theory.md §8.13). Codes throughout. */
export interface ArcCertificate {
  /** The active and idle values of σ_F. */
  readonly a: number;
  readonly iota: number;
  /** σ_F = a exactly on the pre-activation codes t₀, t₀ + 1, …, t₀ + L − 1 (mod N). */
  readonly start: number;
  readonly length: number;
  /** Literals per detector (k) and the bias c_k of the detectors' k-input AND neuron (weights 1). */
  readonly fanIn: number;
  readonly andBias: number;
  /** The literals' biases: detector D_z reads ℓ_b for b = biases[(z − min)·k + j], j < k. */
  readonly biases: Int32Array;
  /** The 2-input AND's and the delay's biases (weights 1, depth 1). */
  readonly and2Bias: number;
  readonly delayBias: number;
  /** The unit weight u, its terms T(u, a), T(u, ι) and δ⁻¹ mod N (δ = T(u, a) − T(u, ι)). */
  readonly unit: {
    readonly weight: number;
    readonly active: number;
    readonly idle: number;
    readonly inverse: number;
  };
}

const mod = (v: number, n: number) => ((v % n) + n) % n;

/** σ_F's two values and its arc of a-codes, or why the table is not of that shape. */
export function arcShape(s: Setting): { a: number; iota: number; start: number; length: number }[] | string {
  const values = new Set<number>();
  for (let i = 0; i < s.size; i++) {
    const v = s.sigma[i];
    if (Number.isNaN(v)) return `σ_F is invalid at code ${s.min + i}`;
    values.add(v);
    if (values.size > 2) return 'σ_F takes more than two values';
  }
  if (values.size !== 2) return 'σ_F is constant';
  const [p, q] = [...values];
  const shapes: { a: number; iota: number; start: number; length: number }[] = [];
  for (const [a, iota] of [
    [p, q],
    [q, p],
  ]) {
    // the a-codes form one arc of ℤ/N exactly when one position starts a run of a (a after ι, cyclically)
    let starts = 0;
    let start = 0;
    let length = 0;
    for (let i = 0; i < s.size; i++) {
      if (s.sigma[i] !== a) continue;
      length++;
      if (s.sigma[mod(i - 1, s.size)] !== a) {
        starts++;
        start = s.min + i;
      }
    }
    if (starts === 1) shapes.push({ a, iota, start, length });
  }
  return shapes.length > 0 ? shapes : "σ_F's codes of either value do not form one arc of ℤ/N";
}

/** T(u, h): the output neuron's term (u ⊗ h sequential, u·h/2^F exact), null if not an integer code. */
function term(s: Setting, u: number, h: number): number | null {
  if (s.accumulation === 'exact') return (u * h) % s.one === 0 ? (u * h) / s.one : null;
  const t = s.mul(u, h);
  return t >= s.min && t <= s.max ? t : null;
}

/** The inverse of an odd δ modulo the power of two N (Newton's iteration on 2-adic digits). */
function inverseMod(delta: number, N: number): number {
  let x = mod(delta, N);
  const d = x;
  for (let i = 0; i < 6; i++) x = mod(x * mod(2 - mod(d * x, N), N), N);
  return x;
}

/** A bias c with σ_F(Σ_j h_j ⊕ c) (weights 1) = a on a^k and ι elsewhere on {ι, a}^k, or null. */
function andBias(s: Setting, a: number, iota: number, k: number): number | null {
  const ws = Array(k).fill(s.one);
  for (let c = s.min; c <= s.max; c++) if (isAnd(s, ws, c, a, iota)) return c;
  return null;
}

/** Whether the neuron (weights ws, bias c) is a on a^k and ι on the rest of {ι, a}^k (every point). */
function isAnd(s: Setting, ws: readonly number[], c: number, a: number, iota: number): boolean {
  const k = ws.length;
  for (let m = 0; m < 1 << k; m++) {
    const hs = ws.map((_, j) => ((m >> j) & 1 ? a : iota));
    if (neuron(s, ws, hs, c) !== (m === (1 << k) - 1 ? a : iota)) return false;
  }
  return true;
}

/**
 * The literal biases of D_z: with z shifted to 0, the j-th literal's arc is [−l_j, r_j] (l_j + r_j = L − 1)
 * and its gap [r_j + 1, N − l_j − 1]; gaps start at 1, 1 + G, …, and the last one ends at N − 1.
 */
function detectorBiases(N: number, start: number, L: number, k: number, z: number, min: number): number[] {
  const G = N - L;
  const out: number[] = [];
  for (let j = 0; j < k; j++) {
    const p = j === k - 1 ? N - G : 1 + j * G;
    const r = p - 1;
    const l = L - 1 - r;
    // ℓ_b = a on the arc of x starting at t₀ − b: b ≡ t₀ − (z − l) (mod N), as a code of 𝕀
    out.push(min + mod(start - (z - l) - min, N));
  }
  return out;
}

/** Searches an arc certificate (docs/theory.md §8.13); null with the reason when a hypothesis fails. */
export function findArcCertificate(s: Setting): { certificate: ArcCertificate | null; tried: string[] } {
  const N = s.size;
  if (s.policy.overflow !== 'wrap' || (N & (N - 1)) !== 0)
    return { certificate: null, tried: ['arc certificates need overflow wrap on 2^k values'] };
  if (!s.weights.includes(s.one)) return { certificate: null, tried: ['arc certificates need the weight 1'] };
  const shapes = arcShape(s);
  if (typeof shapes === 'string') return { certificate: null, tried: [`arc certificates: ${shapes}`] };
  const tried: string[] = [];
  for (const { a, iota, start, length } of shapes) {
    const G = N - length;
    const k = Math.ceil((N - 1) / G);
    const dec = `a = ${a}, ι = ${iota} (codes), arc of ${length} codes`;
    if (k > ARC_MAX_FAN_IN) {
      tried.push(`${dec}: detectors would need ${k} literals`);
      continue;
    }
    const cK = andBias(s, a, iota, k);
    const c2 = andBias(s, a, iota, 2);
    const p = andBias(s, a, iota, 1);
    let unit: ArcCertificate['unit'] | null = null;
    for (const u of s.weights) {
      const ta = term(s, u, a);
      const ti = term(s, u, iota);
      if (ta === null || ti === null || (ta - ti) % 2 === 0) continue;
      unit = { weight: u, active: ta, idle: ti, inverse: inverseMod(ta - ti, N) };
      break;
    }
    if (cK === null || c2 === null || p === null || unit === null) {
      tried.push(
        `${dec}: no ${cK === null ? `${k}-input AND neuron` : c2 === null ? '2-input AND neuron' : p === null ? 'one-neuron delay' : 'unit weight with an odd difference of terms'}`,
      );
      continue;
    }
    const biases = new Int32Array(N * k);
    for (let z = s.min; z <= s.max; z++)
      biases.set(detectorBiases(N, start, length, k, z, s.min), (z - s.min) * k);
    const certificate: ArcCertificate = {
      a,
      iota,
      start,
      length,
      fanIn: k,
      andBias: cK,
      biases,
      and2Bias: c2,
      delayBias: p,
      unit,
    };
    const failure = verifyArcCertificate(s, certificate);
    if (failure) throw new Error(`arc certificate fails its check on ${s.format.spec}: ${failure}`);
    return { certificate, tried };
  }
  return { certificate: null, tried };
}

/** D_z as a gadget: k literals σ_F(1 ⊗ x ⊕ b_j), then the AND neuron (weights 1, bias c_k). */
export function arcDetector(s: Setting, c: ArcCertificate, z: number): Gadget {
  const k = c.fanIn;
  const first: GadgetNeuron[] = [];
  for (let j = 0; j < k; j++) first.push({ bias: c.biases[(z - s.min) * k + j], edges: [[0, s.one]] });
  const and: GadgetNeuron = { bias: c.andBias, edges: first.map((_, j) => [j, s.one] as [number, number]) };
  return { inputs: 1, layers: [first, [and]] };
}

/** The emitter count k_y ≡ y·δ⁻¹ (mod N), in [0, N). */
export function arcEmitterCount(s: Setting, c: ArcCertificate, y: number): number {
  return mod(y * c.unit.inverse, s.size);
}

/**
 * Checks an arc certificate (docs/theory.md §8.13); null when every hypothesis holds, else the first failure.
 * σ_F on every code; every literal at the four codes around its arc's ends (the arc literal lemma says
 * nothing else can change); every detector's gaps cover 𝕀 ∖ {z} (exact interval arithmetic) and D_z(z) = a
 * on the engine; A_k, A and P on every point of {ι, a}^k, {ι, a}², {ι, a}; the unit's terms and δ⁻¹.
 */
export function verifyArcCertificate(s: Setting, c: ArcCertificate): string | null {
  const N = s.size;
  if (s.policy.overflow !== 'wrap' || (N & (N - 1)) !== 0) return 'arc certificates need wrap on 2^k values';
  if (!s.weights.includes(s.one)) return 'the weight 1 is outside W';
  const { a, iota, start, length: L, fanIn: k } = c;
  if (a === iota || !(L > 0 && L < N)) return 'a = ι, or the arc is empty or full';
  for (let t = s.min; t <= s.max; t++) {
    const want = mod(t - start, N) < L ? a : iota;
    if (sigmaOf(s, t) !== want) return `σ_F(${t}) = ${sigmaOf(s, t)}, not ${want}`;
  }
  for (const b of [c.andBias, c.and2Bias, c.delayBias, ...c.biases])
    if (!(Number.isInteger(b) && b >= s.min && b <= s.max)) return `bias code ${b} is not a value`;
  if (k < 1 || k > ARC_MAX_FAN_IN || c.biases.length !== N * k) return `fan-in ${k} or the biases' count`;
  const ones = (n: number) => Array(n).fill(s.one);
  if (!isAnd(s, ones(k), c.andBias, a, iota)) return `the ${k}-input AND fails on {ι, a}^${k}`;
  if (!isAnd(s, ones(2), c.and2Bias, a, iota)) return 'the 2-input AND fails on {ι, a}²';
  if (!isAnd(s, ones(1), c.delayBias, a, iota)) return 'the delay does not keep a and ι';
  const G = N - L;
  for (let z = s.min; z <= s.max; z++) {
    // gaps of the literals, z shifted to 0: ℓ_b = ι on [t₀ − b + L − z, t₀ − b − 1 − z] (mod N), G codes
    const gaps: Array<[number, number]> = [];
    for (let j = 0; j < k; j++) {
      const b = c.biases[(z - s.min) * k + j];
      const arcStart = start - b; // x with (x + b) mod N = t₀
      const gapStart = mod(arcStart + L - z, N);
      if (gapStart === 0 || gapStart + G - 1 > N - 1) return `detector D_${z}: literal ${j}'s arc misses z`;
      gaps.push([gapStart, gapStart + G - 1]);
      // the literal on the engine at both ends of its arc and just outside them
      const lo = s.min + mod(arcStart - s.min, N);
      const hi = s.min + mod(arcStart + L - 1 - s.min, N);
      const probes: Array<[number, number]> = [
        [lo, a],
        [hi, a],
        [s.min + mod(lo - 1 - s.min, N), iota],
        [s.min + mod(hi + 1 - s.min, N), iota],
      ];
      for (const [x, want] of probes)
        if (unary(s, s.one, x, b) !== want) return `detector D_${z}: literal ${j} is not ${want} at x = ${x}`;
    }
    gaps.sort((p, q) => p[0] - q[0]);
    let covered = 0;
    for (const [g0, g1] of gaps) {
      if (g0 > covered + 1) break;
      covered = Math.max(covered, g1);
    }
    if (covered < N - 1) return `detector D_${z}: its literals' gaps leave ${z} + ${covered + 1} uncovered`;
    const d = arcDetector(s, c, z);
    const ws = ones(k);
    const hs = d.layers[0].map((n) => unary(s, s.one, z, n.bias));
    if (neuron(s, ws, hs, c.andBias) !== a) return `detector D_${z} is not a at z`;
  }
  const u = c.unit.weight;
  if (!s.weights.includes(u)) return `the unit weight ${u} is outside W`;
  const ta = term(s, u, a);
  const ti = term(s, u, iota);
  if (ta !== c.unit.active || ti !== c.unit.idle || ta === null || ti === null)
    return 'the unit terms are not T(u, a), T(u, ι)';
  const delta = ta - ti;
  if (delta % 2 === 0 || mod(delta * c.unit.inverse, N) !== 1)
    return `δ = ${delta} is not odd, or δ⁻¹ is wrong`;
  return null;
}

/**
 * The same certificate written out as a modular deep gadget certificate (§8.11): N detectors, the AND, the
 * delay and E_y = k_y copies of P read with u. Its size grows as N² (the emitters): small formats only.
 */
export function materializeArcCertificate(s: Setting, c: ArcCertificate): DeepGadgetCertificate {
  const delayNeuron: GadgetNeuron = { bias: c.delayBias, edges: [[0, s.one]] };
  const delay: Gadget = { inputs: 1, layers: [[delayNeuron]] };
  const and: Gadget = {
    inputs: 2,
    layers: [
      [
        {
          bias: c.and2Bias,
          edges: [
            [0, s.one],
            [1, s.one],
          ],
        },
      ],
    ],
  };
  const emitters: Emitter[] = [];
  for (let y = s.min; y <= s.max; y++) {
    const k = arcEmitterCount(s, c, y);
    emitters.push(
      k === 0
        ? { gadget: { inputs: 1, layers: [] }, weights: [] }
        : {
            gadget: { inputs: 1, layers: [Array(k).fill(delayNeuron)] },
            weights: Array(k).fill(c.unit.weight),
          },
    );
  }
  const detectors: Gadget[] = [];
  for (let z = s.min; z <= s.max; z++) detectors.push(arcDetector(s, c, z));
  const certificate: Certificate = {
    e: c.a,
    idle: [c.iota],
    omega: c.unit.weight,
    detectors,
    and,
    delay,
    beta: 0,
    emitters,
  };
  return {
    mode: 'modular',
    certificate,
    unit: { active: c.unit.active, idle: c.unit.idle, inverse: c.unit.inverse },
  };
}
