/**
 * Two-level tables through the bits of rows (docs/construction.md, "Two-level tables through bits under
 * wrap"): d = 1, all weights, overflow `wrap` without saturation bits on a two's complement format of W
 * bits (N = 2^W, one = 2^n, n ≥ 1), σ_F the identity on codes, any accumulation and bias order, and a
 * rounding for which the searched gadgets below exist (floor, AP_TRN, and ceiling); no certificate.
 *
 * With σ_F = identity the only nonlinearities are the rounding of products and the wrap. Statement. Let
 * P = 2^a (columns), G = N/P (blocks), x in block q at column c = x mod P, and f(x) = T(q, c).
 * (1) Waves: y_c ≡ M·(x − c) (mod N), M = 2^(W−a), from integer gains (exact; Lemma "wrap arithmetic"),
 * so y_c = wrap(M·k), k = (x − c) mod P, and y_c ≥ 0 iff k < P/2. A sign chain SC of unary stages with
 * weights ±ε (checked on all N codes) gives A for y < 0 and B for y ≥ 0. (2) Pulses: n_c = s_c − s_{c+1}
 * is B − A exactly at k = 0 (x ≡ c), A − B exactly at k = P/2 (x ≡ c + P/2), 0 elsewhere; a unary stage
 * ω ⊗ n_c (checked on the three states) keeps one of the two, and integer gains take it to a level ±one:
 * the one-hot pulses I_c, from P/2 + 1 waves. (3) Block steps: ⌊x/P⌋ from floor stages (checked on all
 * x), minus the block's index, through SC; J_q = T_q − T_{q+1} ∈ {0, B − A} is the block indicator.
 * (4) Rows: R_q = b_q + Σ_c ω_{q,c} ⊗ I_c with ω ⊗ L exact: R_q = T(q, c(x)) at every x (not gated).
 * (5) Bits: y = 2^(W−1−i)·R_q (mod N) has sign bit i of R_q; its first SC stage u, a gate neuron
 * one ⊗ u ⊕ ω_J ⊗ J_q ⊕ β (checked on every u and both J) that leaves u's sign to the rest of SC inside
 * block q and makes it non-negative outside, so the chain gives A − B + B exactly when bit i of R_q is 1
 * and x is in block q. (6) Per bit, a collector adds the G gated bits (exact, at most one is not B), gains
 * take it to ±one, and the output adds 2^i per bit modulo N: Σ_i 2^i·bit_i(R_q) ≡ R_q = f(x).
 * Every piece is checked with the setting's own `unary`/`neuron` on every state it can see; `construct`
 * verifies the network on every input besides.
 */
import type { Step } from '../engine/chain-solver.js';
import { layeredSize } from '../engine/layered-net.js';
import { neuron, type Setting, unary } from '../engine/setting.js';
import type { Compilation, Construction, Target } from './compilation.js';
import { NetBuilder } from './net-builder.js';
import { wrapCode } from './wrap-thresholds.js';

/** Does σ_F leave every code as it is? */
export function identityOnCodes(s: Setting): boolean {
  for (let i = 0; i < s.size; i++) if (s.sigma[i] !== s.min + i) return false;
  return true;
}

function hypotheses(s: Setting, d: number): boolean {
  if (d !== 1 || s.weightSet !== 'all' || s.policy.overflow !== 'wrap' || s.policy.saturationBits)
    return false;
  const W = Math.round(Math.log2(s.size));
  return (
    2 ** W === s.size && s.min === -(s.size / 2) && s.one >= 2 && 2 * s.one <= s.max && identityOnCodes(s)
  );
}

/** The setting's pieces that do not depend on the table or on P. */
export interface BitGadgets {
  /** The sign chain: unary stages, A for every negative code, B for every other. */
  readonly sc: Step[];
  readonly A: number;
  readonly B: number;
  /** Positive power-of-two integer gains k (k·one ≤ max): the largest exponent. */
  readonly gexp: number;
  /** ω for the rising (B − A ↦ e) and falling (A − B ↦ e′) pulse stage, bias 0, and e, e′. */
  readonly rise: readonly [number, number];
  readonly fall: readonly [number, number];
  /** The gate neuron one ⊗ u ⊕ ωJ ⊗ J ⊕ β. */
  readonly gate: readonly [number, number];
}

/** Integer gains (power-of-two magnitudes, either sign, each a weight) taking e to ±one, or null. */
function amplify(s: Setting, e: number): Step[] | null {
  const steps: Step[] = [];
  let v = e;
  while (Math.abs(v) !== s.one) {
    const need = s.one / Math.abs(v);
    if (!Number.isInteger(need) || need < 1 || (need & (need - 1)) !== 0) return null;
    let best: number | null = null;
    for (let k = need; k >= 2; k /= 2) {
      if (k * s.one <= s.max) best = k;
      else if (-k * s.one >= s.min) best = -k;
      if (best !== null) break;
    }
    if (best === null) return null;
    const next = unary(s, best * s.one, v, 0);
    if (next !== best * v) return null;
    steps.push([best * s.one, 0]);
    v = next;
  }
  return steps;
}

const gadgetCache = new WeakMap<Setting, BitGadgets | null>();

/** The sign chain, the pulse stages and the gate, each checked on every state it can see (cached). */
export function bitGadgets(s: Setting): BitGadgets | null {
  if (gadgetCache.has(s)) return gadgetCache.get(s) ?? null;
  const W = Math.round(Math.log2(s.size));
  const n = Math.round(Math.log2(s.one));
  let found: BitGadgets | null = null;
  // the sign chain: f stages of weight ±ε, bias 0 (floor: ε, ε; ceiling: −ε, ε)
  const fmin = Math.ceil((W - 1) / n);
  let sc: Step[] | null = null;
  let A = 0;
  let B = 0;
  for (let f = fmin; f <= fmin + 1 && !sc; f++) {
    for (let pattern = 0; pattern < 2 ** f && !sc; pattern++) {
      const steps: Step[] = Array.from({ length: f }, (_, i) => [(pattern >> i) & 1 ? -1 : 1, 0] as Step);
      const run = (y: number) => steps.reduce((h, [w, b]) => unary(s, w, h, b), y);
      const a = run(-1);
      const b = run(0);
      if (a === b) continue;
      let ok = true;
      for (let y = s.min; y <= s.max && ok; y++) ok = run(y) === (y < 0 ? a : b);
      if (ok) [sc, A, B] = [steps, a, b];
    }
  }
  let gexp = 0;
  while (2 ** (gexp + 1) * s.one <= s.max) gexp++;
  if (sc && gexp >= 1) {
    const d = B - A;
    // pulse stages: b = 0 (the state 0 must stay 0), ω keeping one side; |e| a power of two, largest
    const stage = (keep: number, drop: number): [number, number] | null => {
      let best: [number, number] | null = null;
      for (let w = s.min; w <= s.max; w++) {
        if (unary(s, w, 0, 0) !== 0 || unary(s, w, drop, 0) !== 0) continue;
        const e = unary(s, w, keep, 0);
        if (e === 0 || !amplify(s, e)) continue;
        if (!best || Math.abs(e) > Math.abs(best[1])) best = [w, e];
      }
      return best;
    };
    const rise = stage(d, -d);
    const fall = stage(-d, d);
    // the gate: with J = 0 every first-stage value goes to B; with J = B − A the rest of SC sees u
    const first = sc[0];
    const rest = sc.slice(1);
    const runRest = (h: number) => rest.reduce((v, [w, b]) => unary(s, w, v, b), h);
    const uNeg = new Set<number>();
    const uPos = new Set<number>();
    for (let y = s.min; y <= s.max; y++) (y < 0 ? uNeg : uPos).add(unary(s, first[0], y, first[1]));
    let gate: [number, number] | null = null;
    const span = Math.max(...[...uNeg, ...uPos].map(Math.abs)) + 1;
    for (let beta = -2 * span; beta <= 2 * span && !gate && rise && fall; beta++) {
      const w0 = Math.round((-beta * s.one) / d);
      for (const wJ of [w0, w0 - 1, w0 + 1]) {
        if (wJ < s.min || wJ > s.max) continue;
        let ok = true;
        for (const [u, neg] of [
          ...[...uNeg].map((u) => [u, true] as const),
          ...[...uPos].map((u) => [u, false] as const),
        ]) {
          const off = runRest(neuron(s, [s.one, wJ], [u, 0], beta));
          const on = runRest(neuron(s, [s.one, wJ], [u, d], beta));
          if (off !== B || on !== (neg ? A : B)) {
            ok = false;
            break;
          }
        }
        if (ok) {
          gate = [wJ, beta];
          break;
        }
      }
    }
    if (rise && fall && gate) found = { sc, A, B, gexp, rise, fall, gate };
  }
  gadgetCache.set(s, found);
  return found;
}

/**
 * The block index: unary stages with weights ±one/2^k and an optional last stage −one (bias 0), whose
 * value v(x), computed on every x, is non-decreasing and steps between s_j − 1 and s_j for every block
 * start s_j = min + P·j; `at[j]` = v(s_j), so v(x) − v(s_j) ≥ 0 exactly when x ≥ s_j (floor: v = ⌊x/P⌋;
 * ceiling: −(−ε-stages) = −⌈−x/P⌉ = ⌊x/P⌋ as well).
 */
function blockChain(s: Setting, P: number): { steps: Step[]; at: number[] } | null {
  const n = Math.round(Math.log2(s.one));
  const ks: number[] = [];
  for (let r = Math.round(Math.log2(P)); r > 0; r -= Math.min(r, n)) ks.push(Math.min(r, n));
  const G = s.size / P;
  for (let pattern = 0; pattern < 2 ** (ks.length + 1); pattern++) {
    const steps: Step[] = ks.map((k, i) => [((pattern >> i) & 1 ? -1 : 1) * 2 ** (n - k), 0] as Step);
    if ((pattern >> ks.length) & 1) steps.push([-s.one, 0]);
    const v = new Float64Array(s.size);
    let ok = true;
    for (let x = s.min; x <= s.max && ok; x++) {
      v[x - s.min] = steps.reduce((h, [w, b]) => unary(s, w, h, b), x);
      ok = x === s.min || v[x - s.min] >= v[x - s.min - 1];
    }
    const at = [v[0]];
    for (let j = 1; j < G && ok; j++) {
      ok =
        v[P * j] > v[P * j - 1] &&
        Math.abs(v[0] - v[P * j]) < s.one &&
        Math.abs(v[s.size - 1] - v[P * j]) < s.one;
      at.push(v[P * j]);
    }
    if (ok) return { steps, at };
  }
  return null;
}

/** Power-of-two gains (each ≤ 2^gexp) multiplying by 2^e. */
function shifts(e: number, gexp: number): number[] {
  const out: number[] = [];
  for (let r = e; r > 0; r -= gexp) out.push(2 ** Math.min(r, gexp));
  return out;
}

/** The network for one P = 2^a (null where a piece does not apply). */
function buildFor(s: Setting, g: BitGadgets, table: Int32Array, a: number): Compilation | null {
  const W = Math.round(Math.log2(s.size));
  const P = 2 ** a;
  const G = s.size / P;
  const M = 2 ** (W - a);
  const { sc, A, B } = g;
  const nb = new NetBuilder(1, [s.one, 0]);
  // (1) waves: a shared prefix of gains, then per wave the last gain and the bias −M·c
  const gains = shifts(W - a, g.gexp);
  const last = gains.pop() ?? 1;
  let x = 0;
  for (const k of gains) x = nb.add(nb.layerOf(x) + 1, 0, [[x, k * s.one]]);
  const prefix = gains.reduce((p, k) => p * k, 1);
  if (prefix * last !== M) return null;
  const waves: number[] = [];
  for (let c = 0; c <= P / 2; c++) {
    const y = nb.add(nb.layerOf(x) + 1, wrapCode(s, -M * c), [[x, last * s.one]]);
    waves.push(nb.chain(sc, y, nb.layerOf(y) + 1));
  }
  // (2) pulses: n_c = s_c − s_{c+1}; rising at c, falling at c + P/2; gains to ±one
  const ampR = amplify(s, g.rise[1]) as Step[];
  const ampF = amplify(s, g.fall[1]) as Step[];
  const Lr = ampR.reduce((v, [w]) => (v * w) / s.one, g.rise[1]);
  const Lf = ampF.reduce((v, [w]) => (v * w) / s.one, g.fall[1]);
  const pulses: number[] = new Array(P).fill(-1);
  const levels: number[] = new Array(P).fill(0);
  const nl = nb.layerOf(waves[0]) + 1;
  const depth = Math.max(ampR.length, ampF.length);
  for (let c = 0; c < P / 2; c++) {
    const nc = nb.add(nl, 0, [
      [waves[c], s.one],
      [waves[c + 1], -s.one],
    ]);
    const r = nb.chain([[g.rise[0], 0], ...ampR], nc, nl + 1);
    const f = nb.chain([[g.fall[0], 0], ...ampF], nc, nl + 1);
    pulses[c] = nb.at(r, nl + 1 + depth);
    levels[c] = Lr;
    pulses[c + P / 2] = nb.at(f, nl + 1 + depth);
    levels[c + P / 2] = Lf;
  }
  const rowLayer = nl + 2 + depth;
  // (4) rows: R_q = b_q + Σ_c ω ⊗ I_c, every product exact
  const rows: number[] = [];
  for (let q = 0; q < G; q++) {
    const counts = new Map<number, number>();
    let bq = table[q * P];
    let most = 0;
    for (let c = 0; c < P; c++) {
      const v = table[q * P + c];
      const k = (counts.get(v) ?? 0) + 1;
      counts.set(v, k);
      if (k > most) [bq, most] = [v, k];
    }
    const edges: Array<[number, number]> = [];
    for (let c = 0; c < P; c++) {
      const T = table[q * P + c];
      if (T === bq) continue;
      const want = wrapCode(s, T - bq);
      const w = wrapCode(s, (want * s.one) / levels[c]);
      if (s.mul(w, levels[c]) !== want || s.mul(w, 0) !== 0) return null;
      edges.push([pulses[c], w]);
    }
    rows.push(nb.add(rowLayer, bq, edges));
  }
  // (5) bits: shifts by e = W − 1 − i from anchors at multiples of gexp; block indicators J_q
  const bitLayer = (e: number) => rowLayer + Math.ceil(e / g.gexp);
  const gateLayer = (e: number) => bitLayer(e) + 2;
  // (3) the block pipeline, started so J_q lands right below the first gate layer
  const bc = blockChain(s, P);
  if (!bc) return null;
  const blockDepth = bc.steps.length + sc.length + 1;
  const firstGate = gateLayer(0);
  const start = firstGate - 1 - blockDepth;
  if (start < 0) return null;
  let fl = nb.at(0, start);
  for (const [w, b] of bc.steps.slice(0, -1)) fl = nb.add(nb.layerOf(fl) + 1, b, [[fl, w]]);
  const wLast = bc.steps[bc.steps.length - 1][0];
  const steps: number[] = [];
  for (let j = 1; j < G; j++) {
    const d = nb.add(nb.layerOf(fl) + 1, -bc.at[j], [[fl, wLast]]);
    steps.push(nb.chain(sc, d, nb.layerOf(d) + 1));
  }
  const jl = nb.layerOf(steps[0] ?? 0) + 1;
  const J: number[] = [];
  for (let q = 0; q < G; q++) {
    const e: Array<[number, number]> = [];
    if (q > 0) e.push([steps[q - 1], s.one]);
    if (q < G - 1) e.push([steps[q], -s.one]);
    J.push(nb.add(jl, (q === 0 ? B : 0) - (q === G - 1 ? A : 0), e));
  }
  const [wJ, beta] = g.gate;
  const ampO = amplify(s, A - B);
  if (!ampO) return null;
  const Lo = ampO.reduce((v, [w]) => (v * w) / s.one, A - B);
  const rest = sc.slice(1);
  const collectors: number[] = [];
  const anchors = new Map<string, number>();
  for (let i = 0; i < W; i++) {
    const e = W - 1 - i;
    const ands: number[] = [];
    for (let q = 0; q < G; q++) {
      // y = 2^e·R_q from the anchor 2^(e − step)·R_q
      let y = rows[q];
      let done = 0;
      for (const k of shifts(e, g.gexp)) {
        done += Math.round(Math.log2(k));
        const key = `${q}:${done}`;
        let id = anchors.get(key);
        if (id === undefined) {
          id = nb.add(nb.layerOf(y) + 1, 0, [[y, k * s.one]]);
          anchors.set(key, id);
        }
        y = id;
      }
      const u = nb.add(nb.layerOf(y) + 1, sc[0][1], [[y, sc[0][0]]]);
      const gl = nb.layerOf(u) + 1;
      const gt = nb.add(gl, beta, [
        [u, s.one],
        [nb.at(J[q], gl - 1), wJ],
      ]);
      ands.push(nb.chain(rest, gt, gl + 1));
    }
    const cl = nb.layerOf(ands[0]) + 1;
    const o = nb.add(
      cl,
      wrapCode(s, -G * B),
      ands.map((id) => [id, s.one] as [number, number]),
    );
    collectors.push(nb.chain(ampO, o, cl + 1));
  }
  let top = 0;
  for (const id of collectors) top = Math.max(top, nb.layerOf(id));
  const out: Array<[number, number]> = [];
  for (let i = 0; i < W; i++) {
    const want = wrapCode(s, 2 ** i);
    const w = wrapCode(s, (want * s.one) / Lo);
    if (s.mul(w, Lo) !== want) return null;
    out.push([nb.at(collectors[i], top), w]);
  }
  nb.add(top + 1, 0, out);
  return { net: nb.build(), beta: 0, boxes: G, method: 'two-level-bits' };
}

/** The exponents a (P = 2^a) tried: around W/2 (columns cost about 10·P, the bits about 160·N/P). */
function exponents(W: number): number[] {
  const mid = Math.round(W / 2);
  const out: number[] = [];
  for (let a = mid - 1; a <= mid + 3; a++) if (a >= 2 && a <= W - 2) out.push(a);
  return out;
}

const built = new WeakMap<Int32Array, { s: Setting; c: Compilation | null }>();

/** The smallest network over the exponents tried (cached per table: plan builds it, build reuses it). */
export function buildTwoLevelBits(s: Setting, table: Int32Array): Compilation | null {
  const hit = built.get(table);
  if (hit && hit.s === s) return hit.c;
  const g = bitGadgets(s);
  let best: Compilation | null = null;
  let size = Number.POSITIVE_INFINITY;
  if (g) {
    for (const a of exponents(Math.round(Math.log2(s.size)))) {
      const c = buildFor(s, g, table, a);
      if (!c) continue;
      const p = layeredSize(c.net).parameters;
      if (p < size) [best, size] = [c, p];
    }
  }
  built.set(table, { s, c: best });
  return best;
}

function plan({ s, table, d }: Target): number | null {
  if (!hypotheses(s, d)) return null;
  const c = buildTwoLevelBits(s, table);
  return c ? layeredSize(c.net).parameters : null;
}

export const twoLevelBits: Construction = {
  name: 'two-level-bits',
  summary:
    'σ_F = identity under wrap (d = 1): one-hot columns from periodic waves and sign chains, rows read bit by bit and gated by block',
  plan,
  build: ({ s, table, d }) => (hypotheses(s, d) ? buildTwoLevelBits(s, table) : null),
};
