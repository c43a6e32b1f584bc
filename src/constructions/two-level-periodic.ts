/**
 * Two-level tables through periodic columns under wrap (docs/construction.md, "Two-level tables through
 * periodic columns"): d = 1, all weights, overflow `wrap` without saturation bits on a two's complement
 * format of W bits (N = 2^W codes, one = 2^n), any rounding, either accumulation and bias order, and any
 * σ_F whose first run of equal values [min, E] (its low plateau, value v0) is long; no certificate.
 *
 * Statement. Let G = 2^g be the largest power of two with G·one ≤ max, P = N/G (the period) and B = G
 * blocks of P codes. (1) The first-layer neuron σ_F(G·one ⊗ x ⊕ β_c) with β_c ≡ θ − G·c sees exactly
 * wrap(θ + G·k), k = (x − c) mod P (the product G·x is exact and wrapping is reduction modulo N, so
 * G·x ≡ G·(x mod P)): every column c sees the same P pre-activations, rotated. One rest chain, checked on
 * the two value sets k < δ and k ≥ δ (δ the k where θ + G·k passes max), turns it into the square wave
 * Q_c = [(x − c) mod P < δ] at two levels, and a window neuron on (Q_c, Q_{c+1}), checked on its four
 * states, into the pulse I_c = [x ≡ c (mod P)] (normalised to {0, L_c}); a second window, on at
 * (lo, hi), gives the pulse of c + δ from the same two waves, so chains for about half the columns
 * suffice. (2) Block steps
 * U_q = [x ≥ min + P·q] from a first-layer neuron with a small weight and a shared rest chain, checked on
 * the value sets of every x. (3) Per block q and digit kind k (output weight k·one), a row neuron
 * σ_F(b ⊕ Σ_c w_c ⊗ I_c ⊕ γ ⊗ U_q ⊕ (−γ) ⊗ U_{q+1}) whose pre-activation is p_r inside the block and
 * p_r − Γ outside (Γ = γ·(hi − lo), exact), with every p_r in a window V such that V − Γ lies in the low
 * plateau: outside its block every row neuron outputs v0 (checked on every state with the setting's own
 * neuron). (4) The output (bias ≡ −Σ_n k_n·one ⊗ v0 + σ0) adds, modulo N (Lemma "wrap arithmetic", exact
 * products), σ0 + Σ_{n in x's block} k_n·(h_n − v0), and the digits h_n are chosen so this is f(x).
 * Hence the network computes f on every input; `construct` verifies it on every input besides.
 */
import type { Step } from '../engine/chain-solver.js';
import { neuron, preActivation, type Setting, sigmaOf, unary } from '../engine/setting.js';
import type { Compilation, Construction, Target } from './compilation.js';
import { NetBuilder } from './net-builder.js';
import { reluShaped } from './relu-shaped.js';
import { lowPlateau, StagedBuilder, settledSetting } from './settled-sigma.js';
import { planTwoLevelWrap } from './two-level-wrap.js';
import { wrapCode } from './wrap-thresholds.js';

/** A rest chain and the two single values it ends on (lo: the off side, hi: the on side). */
interface Chain {
  readonly steps: Step[];
  readonly lo: number;
  readonly hi: number;
}

/** Everything that does not depend on the table (searched once per setting). */
export interface PeriodicSetup {
  readonly G: number;
  readonly P: number;
  readonly kmax: number;
  readonly kmin: number;
  /** σ_F's low plateau [min, plateauEnd] and its value v0. */
  readonly plateauEnd: number;
  readonly v0: number;
  readonly theta: number;
  readonly col: Chain;
  /** The window neuron: a ⊗ Q_c ⊕ a2 ⊗ Q_{c+1} ⊕ bias; outputs `on` at the pulse, `off` elsewhere. */
  readonly window: readonly [number, number, number];
  /** The normalisation stage (null when `off` is already 0) and the pulse level L_c. */
  readonly norm: Step | null;
  readonly Lc: number;
  /** The window on the falling edge (x ≡ c + δ), its L_c and w ⊗ L_c inverse, or null; δ; chains for 0 … m. */
  readonly down: {
    readonly window: readonly [number, number, number];
    readonly norm: Step | null;
    readonly Lc: number;
    readonly prodInv: Int32Array;
  } | null;
  readonly delta: number;
  readonly m: number;
  /** Block steps: first-layer weight, θ_b, the shared chain. */
  readonly wb: number;
  readonly thetaB: number;
  readonly blk: Chain;
  /** The blocks' normalisation stage (null when the chain ends on 0 already) and their level L_b. */
  readonly blkNorm: Step | null;
  readonly Lb: number;
  readonly gamma: number;
  readonly Gamma: number;
  /** In-block pre-activations: a preimage in V = [min + Γ, plateauEnd + Γ] for each level (NaN: none). */
  readonly preOf: Map<number, number>;
  /** The contiguous run of digits u = h − v0 (levels in σ_F(V)) around 0: [ua, ub]. */
  readonly ua: number;
  readonly ub: number;
  /** Every digit u = h − v0 with h ∈ σ_F(V): 1 at index u + |𝕀|; span = the largest |u|. */
  readonly digitSet: Uint8Array;
  readonly span: number;
  /** w with w ⊗ L_c = T, for T − min (−1: none). */
  readonly prodInv: Int32Array;
  /** Each hidden neuron is followed by stages − 1 stages σ_F(one ⊗ h): its activation is σ_F^stages. */
  readonly stages: number;
  /** The setting every piece was searched and is checked in: σ_F^stages (settled-sigma.ts). */
  readonly t: Setting;
  /**
   * r_L for the hidden layers 1 … rows (σ_F^{r_L}; the rows' is `stages`): fewer where every column's
   * pulse and every block step are the same on every state as with σ_F^stages throughout.
   */
  readonly layerStages: readonly number[];
}

/** The longest settling tried: σ_F^r for r up to this (leaky-relu on ap_fixed<16,6> needs 3). */
export const MAX_STAGES = 4;

const MAX_DEPTH = 7;
const BEAM = 4;

/**
 * How well two chain values are spread for what follows (the window reads them with integer gains):
 * best at a distance of 2·one (tanh's full swing), worse both nearer and farther (silu's −ε and max
 * would wrap in the window).
 */
const spread = (s: Setting, d: number) => -Math.abs(Math.abs(d) - 2 * s.one);

/** Integer gains tried by the chain search: ±1, ±2, ±4, … and ±kmax. */
function gains(kmax: number): number[] {
  const out: number[] = [];
  for (let k = 1; k <= kmax; k *= 2) out.push(k, -k);
  if (!out.includes(kmax)) out.push(kmax, -kmax);
  return out;
}

function hypotheses(s: Setting, d: number): boolean {
  if (d !== 1 || s.weightSet !== 'all' || s.policy.overflow !== 'wrap' || s.policy.saturationBits)
    return false;
  const W = Math.round(Math.log2(s.size));
  return 2 ** W === s.size && s.min === -(s.size / 2) && 2 * s.one <= s.max;
}

/** Sorted distinct values. */
const distinct = (vs: Iterable<number>) => Int32Array.from(new Set(vs)).sort();

/** The stage h ↦ σ_F(g ⊗ h ⊕ b) on a set, or null when an output is invalid. */
function image(s: Setting, g: number, b: number, hs: Int32Array): Int32Array | null {
  const out = new Set<number>();
  for (const h of hs) {
    const v = unary(s, g, h, b);
    if (!(v >= s.min)) return null;
    out.add(v);
  }
  return Int32Array.from(out).sort();
}

function disjoint(a: Int32Array, b: Int32Array): boolean {
  const sa = new Set(a);
  for (const v of b) if (sa.has(v)) return false;
  return true;
}

/**
 * A chain of unary stages with integer gains sending every value of `off` to one value and every value of
 * `on` to another: a beam search whose every candidate is evaluated on every value of both sets with
 * the setting's own neuron (so whatever it returns is exact, wrap included); the biases tried put the
 * gap between the sides at σ_F's plateau edges or its centre.
 */
function restChain(
  s: Setting,
  off: Int32Array,
  on: Int32Array,
  plateauEnd: number,
  kmax: number,
): Chain | null {
  if (!disjoint(off, on)) return null;
  if (off.length === 1 && on.length === 1) return { steps: [], lo: off[0], hi: on[0] };
  // σ_F's top plateau start and the middle of its rise
  let top = s.max;
  while (top > s.min && s.sigma[top - 1 - s.min] === s.sigma[s.max - s.min]) top--;
  const centres = [0, plateauEnd + 1, top - 1, Math.round((plateauEnd + top) / 2)];
  type St = { off: Int32Array; on: Int32Array; steps: Step[] };
  // the least distance between the two sides (sorted sets), and the separation a last stage must reach
  const gapOf = (st: St) => {
    let i = 0;
    let j = 0;
    let g = Number.POSITIVE_INFINITY;
    while (i < st.off.length && j < st.on.length) {
      g = Math.min(g, Math.abs(st.off[i] - st.on[j]));
      if (st.off[i] < st.on[j]) i++;
      else j++;
    }
    return g;
  };
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of s.sigma) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const wide = Math.min(s.one, Math.floor((hi - lo) / 2));
  let frontier: St[] = [{ off, on, steps: [] }];
  for (let depth = 1; depth <= MAX_DEPTH; depth++) {
    const children: St[] = [];
    const seen = new Set<string>();
    let done: Chain | null = null;
    for (const st of frontier) {
      for (const k of gains(kmax)) {
        const g = k * s.one;
        // the sets are sorted: k·h spans [k·first, k·last] (or the reverse for k < 0)
        const span = (a: Int32Array) =>
          k > 0 ? [k * a[0], k * a[a.length - 1]] : [k * a[a.length - 1], k * a[0]];
        const [oLo, oHi] = span(st.off);
        const [nLo, nHi] = span(st.on);
        const [loMax, hiMin] = oHi < nLo ? [oHi, nLo] : nHi < oLo ? [nHi, oLo] : [0, 0];
        const mid = Math.floor((loMax + hiMin) / 2);
        const biases = new Set<number>([
          plateauEnd - loMax,
          top - hiMin,
          plateauEnd - loMax - 1,
          top - hiMin + 1,
        ]);
        for (const c of centres) biases.add(c - mid);
        for (const b0 of biases) {
          const b = wrapCode(s, b0);
          const o = image(s, g, b, st.off);
          const n = image(s, g, b, st.on);
          if (!o || !n || !disjoint(o, n)) continue;
          const steps = [...st.steps, [g, b] as Step];
          if (o.length === 1 && n.length === 1 && Math.abs(n[0] - o[0]) >= wide) {
            // the last stage: the two values farthest apart among the candidates of this depth
            if (!done || spread(s, n[0] - o[0]) > spread(s, done.hi - done.lo))
              done = { steps, lo: o[0], hi: n[0] };
            continue;
          }
          const key = `${o.join(',')}|${n.join(',')}`;
          if (seen.has(key)) continue;
          seen.add(key);
          children.push({ off: o, on: n, steps });
        }
      }
    }
    if (done) return done;
    if (children.length === 0) return null;
    // half the beam by the gap between the sides, half by their sizes
    children.sort((a, b) => gapOf(b) - gapOf(a));
    const byGap = children.slice(0, BEAM / 2);
    children.sort((a, b) => a.off.length + a.on.length - (b.off.length + b.on.length));
    frontier = [...byGap, ...children.filter((c) => !byGap.includes(c)).slice(0, BEAM / 2)];
  }
  return null;
}

/** `count` more stages keeping the chain's two values apart (to align layers). */
function pad(s: Setting, c: Chain, count: number, kmax: number): Chain | null {
  let { lo, hi } = c;
  const steps = [...c.steps];
  for (let i = 0; i < count; i++) {
    let found: [Step, number, number] | null = null;
    for (const k of gains(kmax)) {
      for (const b0 of [0, -k * Math.floor((lo + hi) / 2)]) {
        const b = wrapCode(s, b0);
        const l = unary(s, k * s.one, lo, b);
        const h = unary(s, k * s.one, hi, b);
        if (
          l >= s.min &&
          h >= s.min &&
          l !== h &&
          (!found || spread(s, h - l) > spread(s, found[2] - found[1]))
        )
          found = [[k * s.one, b], l, h];
      }
    }
    if (!found) return null;
    steps.push(found[0]);
    [lo, hi] = [found[1], found[2]];
  }
  return { steps, lo, hi };
}

/** θ maximising the gap between σ_F(θ + G·k) (k ≥ 0, up to max) and σ_F(θ − G·k) (k ≥ 1, from min). */
function periodicTheta(s: Setting, G: number): number | null {
  let best: number | null = null;
  let gap = 0;
  for (let rho = 0; rho < G; rho++) {
    // the lattice min + rho, min + rho + G, …: prefix max and suffix min of σ_F on it
    const pts: number[] = [];
    for (let p = s.min + rho; p <= s.max; p += G) pts.push(p);
    const pre = new Float64Array(pts.length);
    const suf = new Float64Array(pts.length);
    for (let i = 0; i < pts.length; i++)
      pre[i] = Math.max(i > 0 ? pre[i - 1] : -Infinity, s.sigma[pts[i] - s.min]);
    for (let i = pts.length - 1; i >= 0; i--)
      suf[i] = Math.min(i < pts.length - 1 ? suf[i + 1] : Infinity, s.sigma[pts[i] - s.min]);
    for (let i = 1; i < pts.length; i++) {
      if (suf[i] - pre[i - 1] > gap) {
        gap = suf[i] - pre[i - 1];
        best = pts[i];
      }
    }
  }
  return best;
}

/** For columns L = one is best, then the largest |L| (the edge weights w ⊗ L must reach every pre-activation). */
const levelScore = (s: Setting, L: number) =>
  L === s.one ? Number.POSITIVE_INFINITY : Math.abs(L) <= s.one ? Math.abs(L) : -Math.abs(L);
/** For blocks L = one is best, then the nearest to one (Γ = k·L must fall in a window of codes). */
const blockScore = (s: Setting, L: number) =>
  L === s.one ? Number.POSITIVE_INFINITY : -Math.abs(Math.abs(L) - s.one);

/**
 * A stage h ↦ σ_F(k·one ⊗ h ⊕ b) sending `off` to 0 and `on` to a level L ≠ 0 (the best by `levelScore`),
 * each checked with the setting's neuron; null when σ_F has no zero or no stage does it.
 */
function normalise(
  s: Setting,
  off: number,
  on: number,
  score: (s: Setting, L: number) => number,
): { step: Step; L: number } | null {
  // b = z − w ⊗ off puts off's pre-activation on a zero z of σ_F for every weight w; the weight then
  // chooses on's level (every code tried, the best kept)
  const zeros: number[] = [];
  for (let p = s.min; p <= s.max; p++) if (s.sigma[p - s.min] === 0) zeros.push(p);
  const sample = zeros.length > 8 ? [...zeros.slice(0, 4), ...zeros.slice(-4)] : zeros;
  let best: { step: Step; L: number } | null = null;
  for (let w = s.min; w <= s.max; w++) {
    if (w === 0) continue;
    for (const z of sample) {
      const b = wrapCode(s, z - s.mul(w, off));
      if (unary(s, w, off, b) !== 0) continue;
      const L = unary(s, w, on, b);
      if (L >= s.min && L !== 0 && (!best || score(s, L) > score(s, best.L))) best = { step: [w, b], L };
    }
    if (best && best.L === s.one) break;
  }
  return best;
}

/** Levels {0, L} for a chain's two values: none needed when its off value is 0 already. */
function levelsOf(
  s: Setting,
  off: number,
  on: number,
  score: (s: Setting, L: number) => number,
): { step: Step | null; L: number } | null {
  if (off === 0 && on !== 0 && score(s, on) >= score(s, s.one - 1)) return { step: null, L: on };
  return normalise(s, off, on, score);
}

/**
 * The window on (Q_c, Q_{c+1}) — on at (hi, lo) (`on` = 3: at (lo, hi), the square wave's falling edge),
 * one value `off` at the three other states, each checked with the setting's neuron — and the
 * normalisation off → 0, on → L_c; the pair with the best L_c (one preferred, else the largest |L_c|; a
 * window whose off value is 0 and |on| ≥ one/2 needs none), with a normalisation exactly when `want` says.
 */
function columnTail(
  s: Setting,
  col: Chain,
  plateauEnd: number,
  kmax: number,
  on: 0 | 3 = 0,
  want?: { readonly norm: boolean },
): { window: [number, number, number]; norm: Step | null; Lc: number } | null {
  const states = [
    [col.hi, col.lo],
    [col.lo, col.lo],
    [col.hi, col.hi],
    [col.lo, col.hi],
  ];
  let best: { window: [number, number, number]; norm: Step | null; Lc: number; score: number } | null = null;
  const tried = new Set<string>();
  for (let a = 1; a <= kmax; a++) {
    for (const sign of [1, -1]) {
      const w1 = sign * a * s.one;
      for (const b0 of [plateauEnd, plateauEnd - 1]) {
        const b = wrapCode(s, b0);
        const v = states.map(([p, q]) => neuron(s, [w1, -w1], [p, q], b));
        const [o1, o2, o3] = on === 0 ? [v[1], v[2], v[3]] : [v[0], v[1], v[2]];
        if (!(v.every((x) => x >= s.min) && o1 === o2 && o2 === o3 && v[on] !== o1)) continue;
        if (tried.has(`${v[on]},${o1}`)) continue;
        tried.add(`${v[on]},${o1}`);
        const lv = levelsOf(s, o1, v[on], levelScore);
        if (!lv || (want && (lv.step !== null) !== want.norm)) continue;
        const score = 2 * levelScore(s, lv.L) + (lv.step === null ? 1 : 0);
        if (!best || score > best.score) best = { window: [w1, -w1, b], norm: lv.step, Lc: lv.L, score };
      }
    }
  }
  return best && { window: best.window, norm: best.norm, Lc: best.Lc };
}

function searchSetup(s: Setting): Omit<PeriodicSetup, 'stages' | 't' | 'layerStages'> | null {
  const kmax = Math.floor(s.max / s.one);
  const kmin = Math.ceil(s.min / s.one);
  let G = 1;
  while (2 * G * s.one <= s.max) G *= 2;
  const P = s.size / G;
  // the low plateau [min, plateauEnd]
  const v0 = s.sigma[0];
  let plateauEnd = s.min;
  while (plateauEnd < s.max && s.sigma[plateauEnd + 1 - s.min] === v0) plateauEnd++;
  if (plateauEnd - s.min + 1 <= s.size / 16) return null;
  // (1) periodic square waves: one chain for every column
  const theta = periodicTheta(s, G);
  if (theta === null) return null;
  const onSet: number[] = [];
  const offSet: number[] = [];
  for (let k = 0; k < P; k++) {
    const v = unary(s, G * s.one, k, wrapCode(s, theta));
    // the pre-activation θ + G·k (mod N): k < δ before it passes max
    (theta + G * k <= s.max ? onSet : offSet).push(v);
  }
  let col = restChain(s, distinct(offSet), distinct(onSet), plateauEnd, kmax);
  if (!col) return null;
  // (2) block steps U_q = [x ≥ min + P·q]: a small first weight that steps at every block start
  let blk: Chain | null = null;
  let wb = 0;
  let thetaB = 0;
  const starts: number[] = [];
  for (let q = 1; q < G; q++) starts.push(s.min + P * q);
  for (const w of [s.one / 4, s.one / 4 + 1, (3 * s.one) / 8, s.one / 2 + 1, s.one / 2 - 1, s.one / 8]) {
    if (!starts.every((t) => s.mul(w, t - 1) < s.mul(w, t))) continue;
    for (const th of [theta, 0, plateauEnd + 1]) {
      const on = new Set<number>();
      const off = new Set<number>();
      for (const t of starts) {
        const b = wrapCode(s, th - s.mul(w, t));
        for (let x = s.min; x <= s.max; x++) (x >= t ? on : off).add(unary(s, w, x, b));
      }
      blk = restChain(s, distinct(off), distinct(on), plateauEnd, kmax);
      if (blk) {
        wb = w;
        thetaB = th;
        break;
      }
    }
    if (blk) break;
  }
  if (!blk) return null;
  // align the layers: columns 1 + chain + window (+ norm), blocks 1 + chain (+ norm); padding a chain
  // changes its values, so what follows it is searched again
  let tail = columnTail(s, col, plateauEnd, kmax);
  let bl = levelsOf(s, blk.lo, blk.hi, blockScore);
  for (let round = 0; round < 4 && tail && bl; round++) {
    const colDepth = col.steps.length + 1 + (tail.norm ? 1 : 0);
    const blkDepth = blk.steps.length + (bl.step ? 1 : 0);
    if (colDepth === blkDepth) break;
    if (blkDepth < colDepth) {
      blk = pad(s, blk, colDepth - blkDepth, kmax);
      bl = blk && levelsOf(s, blk.lo, blk.hi, blockScore);
    } else {
      col = pad(s, col, blkDepth - colDepth, kmax);
      tail = col && columnTail(s, col, plateauEnd, kmax);
    }
    if (!col || !blk) return null;
  }
  if (!tail || !bl) return null;
  if (col.steps.length + 1 + (tail.norm ? 1 : 0) !== blk.steps.length + (bl.step ? 1 : 0)) return null;
  const { window, norm, Lc } = tail;
  // the falling edges: δ = the k where θ + G·k passes max; with windows on (lo, hi) too, the chains of
  // columns 0 … m (m = max(δ, P − δ)) give every pulse
  const delta = onSet.length;
  const down = columnTail(s, col, plateauEnd, kmax, 3, { norm: norm !== null });
  const m = down ? Math.max(delta, P - delta) : P;
  // (3) Γ = γ·(hi − lo): the window V = [min + Γ, plateauEnd + Γ] with the longest run of digits
  let pick: { gamma: number; Gamma: number; ua: number; ub: number; preOf: Map<number, number> } | null =
    null;
  const db = bl.L;
  for (let g = -kmax; g <= kmax; g++) {
    const Gamma = g * db;
    if (g === 0 || Gamma <= 0 || plateauEnd + Gamma > s.max) continue;
    const preOf = new Map<number, number>();
    for (let p = s.min + Gamma; p <= plateauEnd + Gamma; p++) {
      const h = s.sigma[p - s.min];
      if (!preOf.has(h)) preOf.set(h, p);
    }
    if (!preOf.has(v0)) continue;
    let ua = 0;
    let ub = 0;
    while (preOf.has(v0 + ua - 1)) ua--;
    while (preOf.has(v0 + ub + 1)) ub++;
    if (!pick || ub - ua > pick.ub - pick.ua) pick = { gamma: g * s.one, Gamma, ua, ub, preOf };
  }
  if (!pick) return null;
  if (pick.ub - pick.ua < 2 * Math.abs(kmin)) return null;
  const digitSet = new Uint8Array(2 * s.size);
  let span = 0;
  for (const h of pick.preOf.keys()) {
    digitSet[h - v0 + s.size] = 1;
    span = Math.max(span, Math.abs(h - v0));
  }
  const inverse = (L: number) => {
    const inv = new Int32Array(s.size).fill(-1);
    for (let w = s.min; w <= s.max; w++) {
      const T = s.mul(w, L);
      if (T >= s.min && inv[T - s.min] === -1) inv[T - s.min] = w - s.min;
    }
    return inv;
  };
  const prodInv = inverse(Lc);
  return {
    G,
    P,
    kmax,
    kmin,
    plateauEnd,
    v0,
    theta,
    col,
    window,
    norm,
    Lc,
    down: down && { window: down.window, norm: down.norm, Lc: down.Lc, prodInv: inverse(down.Lc) },
    delta,
    m,
    wb,
    thetaB,
    blk,
    ...pick,
    digitSet,
    span,
    blkNorm: bl.step,
    Lb: bl.L,
    prodInv,
  };
}

const setups = new WeakMap<Setting, PeriodicSetup | null>();

/**
 * The table-independent pieces of the setting (cached), or null when the construction does not apply:
 * searched for σ_F itself, or, when σ_F's low plateau is shorter than |𝕀|/16, for the first σ_F^r
 * (r ≤ MAX_STAGES) whose plateau is that long (each neuron then carries r − 1 stages).
 */
export function periodicSetup(s: Setting): PeriodicSetup | null {
  if (!setups.has(s)) {
    let found: PeriodicSetup | null = null;
    let prev: Setting | null = null;
    for (let r = 1; r <= MAX_STAGES && !found; r++) {
      const t = settledSetting(s, r);
      // σ_F^r = σ_F^(r−1): nothing new to search
      if (
        prev &&
        t.sigma.every((v, i) => v === prev!.sigma[i] || (Number.isNaN(v) && Number.isNaN(prev!.sigma[i])))
      )
        break;
      prev = t;
      if (lowPlateau(t) <= s.size / 16) continue;
      const su = searchSetup(t);
      if (su) found = { ...su, stages: r, t, layerStages: layerStages(s, su, r) };
    }
    setups.set(s, found);
  }
  return setups.get(s) ?? null;
}

/**
 * Per hidden layer, the least r_L (greedily, from the first layer) such that with σ_F^{r_L} in the
 * column and block pipelines every column's pulses (rising and falling windows, normalised) at every
 * k = (x − c) mod P, and every block step's value on every input of every block, are what they are with
 * σ_F^r throughout; the rows keep r. Exhaustive over those states, so the network is the same function.
 */
function layerStages(
  s0: Setting,
  su: Omit<PeriodicSetup, 'stages' | 't' | 'layerStages'>,
  r: number,
): number[] {
  const cs = su.col.steps.length;
  const hidden = 1 + cs + 1 + (su.norm ? 1 : 0);
  const rs = new Array(hidden + 1).fill(r);
  if (r === 1) return rs;
  const S = new Map<number, Setting>();
  const at = (k: number) => {
    if (!S.has(k)) S.set(k, settledSetting(s0, k));
    return S.get(k) as Setting;
  };
  const { G, P } = su;
  const colPulses = (v: readonly number[]): Float64Array => {
    const Q = new Float64Array(P);
    for (let k = 0; k < P; k++) {
      let h = unary(at(v[0]), G * s0.one, k, wrapCode(s0, su.theta));
      su.col.steps.forEach(([w, b], i) => {
        h = unary(at(v[1 + i]), w, h, b);
      });
      Q[k] = h;
    }
    const out = new Float64Array(2 * P);
    const wins = [
      [su.window, su.norm] as const,
      ...(su.down ? [[su.down.window, su.down.norm] as const] : []),
    ];
    wins.forEach(([win, norm], j) => {
      for (let k = 0; k < P; k++) {
        let h = neuron(at(v[1 + cs]), [win[0], win[1]], [Q[k], Q[(k - 1 + P) % P]], win[2]);
        if (norm) h = unary(at(v[2 + cs]), norm[0], h, norm[1]);
        out[j * P + k] = h;
      }
    });
    return out;
  };
  // the block steps: the distinct first-layer pre-activations on each side, over every block and input
  const sides = [new Set<number>(), new Set<number>()];
  for (let q = 1; q < G; q++) {
    const t = s0.min + P * q;
    const b = wrapCode(s0, su.thetaB - s0.mul(su.wb, t));
    for (let x = s0.min; x <= s0.max; x++) sides[x >= t ? 1 : 0].add(preActivation(s0, [su.wb], [x], b));
  }
  const blkSteps = su.blkNorm ? [...su.blk.steps, su.blkNorm] : su.blk.steps;
  const blkEnds = (v: readonly number[]): string => {
    return sides
      .map((pre) => {
        let hs = new Set<number>();
        for (const p of pre) hs.add(sigmaOf(at(v[0]), p));
        blkSteps.forEach(([w, b], i) => {
          const next = new Set<number>();
          for (const h of hs) next.add(unary(at(v[1 + i]), w, h, b));
          hs = next;
        });
        return [...hs].sort((a, b) => a - b).join(',');
      })
      .join('|');
  };
  const wantCols = colPulses(rs);
  const wantBlk = blkEnds(rs);
  const same = (a: Float64Array, b: Float64Array) =>
    a.every((v, i) => v === b[i] || (Number.isNaN(v) && Number.isNaN(b[i])));
  for (let l = 0; l < hidden; l++) {
    for (let k = 1; k < r; k++) {
      const trial = [...rs];
      trial[l] = k;
      if (same(colPulses(trial), wantCols) && blkEnds(trial) === wantBlk) {
        rs[l] = k;
        break;
      }
    }
  }
  return rs;
}

/** Digits u (level − v0) per kind for one residue e, or null: kinds ±1, then pairs with kmin, kmax. */
function digits(s: Setting, S: readonly number[], e: number, su: PeriodicSetup): number[] | null {
  const inRun = (u: number) => u >= -su.span && u <= su.span && su.digitSet[u + s.size] === 1;
  const out = S.map(() => 0);
  for (let i = 0; i < S.length; i++) {
    if (Math.abs(S[i]) !== 1) continue;
    const u = wrapCode(s, S[i] * e);
    if (inRun(u)) {
      out[i] = u;
      return out;
    }
  }
  for (let i = 0; i < S.length; i++) {
    if (Math.abs(S[i]) !== 1) continue;
    for (let j = 0; j < S.length; j++) {
      if (Math.abs(S[j]) === 1) continue;
      // u2 from 0 outwards: e − k2·u2 must be ±u1 in the run
      const span = su.span;
      for (let m = 1; m <= 2 * span + 1; m++) {
        const u2 = m % 2 === 1 ? (m + 1) / 2 : -m / 2;
        if (!inRun(u2)) continue;
        const u1 = wrapCode(s, S[i] * (e - S[j] * u2));
        if (inRun(u1)) {
          out[i] = u1;
          out[j] = u2;
          return out;
        }
      }
    }
  }
  return null;
}

interface RowNeuron {
  readonly q: number;
  readonly k: number;
  /** The digit at every column. */
  readonly u: Int32Array;
}

/** The kinds of every row and their digits for the offset σ0, or null when some entry has none. */
function rowNeurons(s: Setting, su: PeriodicSetup, table: Int32Array, sigma0: number): RowNeuron[] | null {
  const kinds: number[][] = [
    [1],
    [-1],
    [1, su.kmin],
    [-1, su.kmin],
    [1, su.kmax],
    [-1, su.kmax],
    [1, -1, su.kmin, su.kmax],
  ];
  const out: RowNeuron[] = [];
  for (let q = 0; q < su.G; q++) {
    let done = false;
    for (const S of kinds) {
      const us = S.map(() => new Int32Array(su.P));
      let ok = true;
      for (let c = 0; c < su.P && ok; c++) {
        const d = digits(s, S, wrapCode(s, table[q * su.P + c] - sigma0), su);
        if (!d) ok = false;
        else for (let i = 0; i < d.length; i++) us[i][c] = d[i];
      }
      if (!ok) continue;
      S.forEach((k, i) => {
        if (us[i].some((u) => u !== 0)) out.push({ q, k, u: us[i] });
      });
      done = true;
      break;
    }
    if (!done) return null;
  }
  return out;
}

/** The most frequent value of an array. */
function mode(a: Int32Array): number {
  const counts = new Map<number, number>();
  let best = a[0];
  let most = 0;
  for (const v of a) {
    const c = (counts.get(v) ?? 0) + 1;
    counts.set(v, c);
    if (c > most) [best, most] = [v, c];
  }
  return best;
}

/** Parameters of the rows and output for σ0 (edges where the digit differs from the row neuron's mode). */
function rowsCost(su: PeriodicSetup, rows: RowNeuron[]): number {
  let p = 1;
  for (const r of rows) {
    const m = mode(r.u);
    let edges = 0;
    for (const u of r.u) if (u !== m) edges++;
    p += edges + 1 + (r.q === 0 || r.q === su.G - 1 ? 1 : 2) + 1 + 2 * (su.stages - 1);
  }
  return p;
}

/** Parameters of the shared pieces (each hidden neuron's settling stages: 2 each). */
function piecesCost(su: PeriodicSetup): number {
  const chains = Math.min(su.m + 1, su.P);
  // the settling stages of layers from … to (1-based, inclusive): 2 parameters each
  const extra = (from: number, to: number) => {
    let e = 0;
    for (let l = from; l <= to; l++) e += 2 * (su.layerStages[l - 1] - 1);
    return e;
  };
  const cs = su.col.steps.length;
  const perColumn = 3 + (su.norm ? 2 : 0) + extra(2 + cs, 2 + cs + (su.norm ? 1 : 0));
  const blockLayers = 1 + su.blk.steps.length + (su.blkNorm ? 1 : 0);
  return (
    chains * (2 + 2 * cs + extra(1, 1 + cs)) +
    su.P * perColumn +
    (su.G - 1) * (2 + 2 * su.blk.steps.length + (su.blkNorm ? 2 : 0) + extra(1, blockLayers))
  );
}

/** The best offset σ0 and its rows. */
function bestRows(
  s: Setting,
  su: PeriodicSetup,
  table: Int32Array,
): { sigma0: number; rows: RowNeuron[] } | null {
  let lo = table[0];
  let hi = table[0];
  for (const v of table) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  let best: { sigma0: number; rows: RowNeuron[]; cost: number } | null = null;
  for (const sigma0 of new Set([0, lo - su.ua, hi - su.ub, -(hi + su.ua), -(lo + su.ub)])) {
    const rows = rowNeurons(s, su, table, wrapCode(s, sigma0));
    if (!rows) continue;
    const cost = rowsCost(su, rows);
    if (!best || cost < best.cost) best = { sigma0: wrapCode(s, sigma0), rows, cost };
  }
  return best;
}

function plan(t: Target): number | null {
  const { s, table, d } = t;
  if (!hypotheses(s, d)) return null;
  // relu: two-level-wrap, about 1.06 parameters per point, wherever its pieces are found (its plan is
  // cheap; this setup search is not)
  if (reluShaped(s) && planTwoLevelWrap(t) !== null) return null;
  const su = periodicSetup(s);
  if (!su) return null;
  const r = bestRows(su.t, su, table);
  return r ? piecesCost(su) + rowsCost(su, r.rows) : null;
}

/** The network (null when a row neuron fails its check). */
export function buildTwoLevelPeriodic(s0: Setting, table: Int32Array): Compilation | null {
  const su = periodicSetup(s0);
  if (!su) return null;
  // every piece below is checked in the settled setting (σ_F^stages), and built with the stages
  const s = su.t;
  const r = bestRows(s, su, table);
  if (!r) return null;
  const { G, P } = su;
  const raw = new NetBuilder(1, [0, 0]);
  const nb = new StagedBuilder(raw, su.layerStages, s.one);
  // columns: first stage, rest chain, window, normalisation
  const q: number[] = [];
  const chains = Math.min(su.m + 1, P);
  for (let c = 0; c < chains; c++) {
    const first = nb.add(1, wrapCode(s, su.theta - G * c), [[0, G * s.one]]);
    q.push(nb.chain(su.col.steps, first, 2));
  }
  const wl = nb.layerOf(q[0]) + 1;
  const pulses: number[] = new Array(P).fill(-1);
  const fromDown = new Uint8Array(P);
  const pulse = (c: number, win: readonly [number, number, number], norm: Step | null): number => {
    const w = nb.add(wl, win[2], [
      [q[c], win[0]],
      [q[(c + 1) % P], win[1]],
    ]);
    return norm ? nb.add(wl + 1, norm[1], [[w, norm[0]]]) : w;
  };
  // rising edges of the chains 0 … m − 1 (every column without the falling edges)
  for (let c = 0; c < (su.down ? su.m : P); c++) pulses[c] = pulse(c, su.window, su.norm);
  if (su.down) {
    for (let c = 0; c < su.m; c++) {
      const at = (c + su.delta) % P;
      if (pulses[at] < 0) {
        pulses[at] = pulse(c, su.down.window, su.down.norm);
        fromDown[at] = 1;
      }
    }
  }
  if (pulses.some((id) => id < 0)) return null;
  // block steps
  const steps: number[] = [];
  for (let k = 1; k < G; k++) {
    const t = s.min + P * k;
    const first = nb.add(1, wrapCode(s, su.thetaB - s.mul(su.wb, t)), [[0, su.wb]]);
    steps.push(nb.chain(su.blkNorm ? [...su.blk.steps, su.blkNorm] : su.blk.steps, first, 2));
  }
  const rowLayer = nb.layerOf(pulses[0]) + 1;
  if (G > 1 && nb.layerOf(steps[0]) !== rowLayer - 1) return null;
  const [lo, hi] = [0, su.Lb];
  const gm = su.gamma;
  const out: Array<[number, number]> = [];
  let C = 0;
  for (const rn of r.rows) {
    // gate edges and their sums inside and outside the block (exact: integer gains)
    const gates: Array<[number, number]> = [];
    if (rn.q > 0) gates.push([steps[rn.q - 1], gm]);
    if (rn.q < G - 1) gates.push([steps[rn.q], -gm]);
    const gi = (rn.q > 0 ? (gm / s.one) * hi : 0) + (rn.q < G - 1 ? (-gm / s.one) * lo : 0);
    const m = mode(rn.u);
    const pDef = su.preOf.get(su.v0 + m) as number;
    const b = wrapCode(s, pDef - gi);
    const edges: Array<[number, number]> = [];
    const hs: number[] = [];
    const ws: number[] = [];
    const cols: number[] = [];
    for (let c = 0; c < P; c++) {
      const u = rn.u[c];
      if (u === m) continue;
      const p = su.preOf.get(su.v0 + u) as number;
      const dn = su.down !== null && fromDown[c] === 1;
      const w = (dn ? su.down!.prodInv : su.prodInv)[wrapCode(s, p - pDef) - s.min];
      if (w < 0) return null;
      edges.push([pulses[c], w + s.min]);
      ws.push(w + s.min);
      hs.push(dn ? su.down!.Lc : su.Lc);
      cols.push(c);
    }
    // the check: every column state (and none), inside and on each side of the block
    const gateW = gates.map(([, w]) => w);
    const sides: Array<[number[], boolean]> = [];
    if (rn.q > 0) sides.push([gates.map(() => lo), false]);
    sides.push([gates.map(([src]) => (src === steps[rn.q - 1] ? hi : lo)), true]);
    if (rn.q < G - 1) sides.push([gates.map(() => hi), false]);
    for (const [gh, inside] of sides) {
      for (let i = -1; i < ws.length; i++) {
        const v = neuron(s, i < 0 ? gateW : [ws[i], ...gateW], i < 0 ? gh : [hs[i], ...gh], b);
        const want = inside ? su.v0 + (i < 0 ? m : rn.u[cols[i]]) : su.v0;
        if (v !== want) return null;
      }
    }
    const id = nb.add(rowLayer, b, [...edges, ...gates]);
    out.push([id, rn.k * s.one]);
    C += s.mul(rn.k * s.one, su.v0);
  }
  nb.output(rowLayer + 1, wrapCode(s, r.sigma0 - C), out);
  return { net: raw.build(), beta: 0, boxes: r.rows.length, method: 'two-level-periodic' };
}

export const twoLevelPeriodic: Construction = {
  name: 'two-level-periodic',
  summary:
    'any σ_F with a long low plateau under wrap (d = 1): periodic column pulses from gain-2^g first neurons, block steps, digit rows',
  plan,
  build: ({ s, table }) => buildTwoLevelPeriodic(s, table),
};
