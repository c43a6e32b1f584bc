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
  if (
    (d !== 1 && d !== 2) ||
    s.weightSet !== 'all' ||
    s.policy.overflow !== 'wrap' ||
    s.policy.saturationBits
  )
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
    const probe = { sc, A, B, gexp, rise: rise ?? [0, 0], fall: fall ?? [0, 0], gate: [0, 0] } as const;
    const gate = rise && fall ? gateFor(s, probe, B - A) : null;
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

/** Column pulses I_c = L_c·[x_input ≡ c (mod P)], c ∈ [0, P), all on one layer. */
interface Pulses {
  readonly ids: number[];
  readonly levels: number[];
  readonly layer: number;
}

/** The waves, pulse stages and gains of (1) and (2) on the input node `input`, P = 2^a (null: none). */
function columnPulses(s: Setting, g: BitGadgets, nb: NetBuilder, input: number, a: number): Pulses | null {
  const W = Math.round(Math.log2(s.size));
  const P = 2 ** a;
  const M = 2 ** (W - a);
  // waves: a shared prefix of gains, then per wave the last gain and the bias −M·c
  const gains = shifts(W - a, g.gexp);
  const last = gains.pop() ?? 1;
  let x = input;
  for (const k of gains) x = nb.add(nb.layerOf(x) + 1, 0, [[x, k * s.one]]);
  if (gains.reduce((p, k) => p * k, 1) * last !== M) return null;
  const waves: number[] = [];
  for (let c = 0; c <= P / 2; c++) {
    const y = nb.add(nb.layerOf(x) + 1, wrapCode(s, -M * c), [[x, last * s.one]]);
    waves.push(nb.chain(g.sc, y, nb.layerOf(y) + 1));
  }
  // pulses: n_c = s_c − s_{c+1}; rising at c, falling at c + P/2; gains to ±one
  const ampR = amplify(s, g.rise[1]) as Step[];
  const ampF = amplify(s, g.fall[1]) as Step[];
  const Lr = ampR.reduce((v, [w]) => (v * w) / s.one, g.rise[1]);
  const Lf = ampF.reduce((v, [w]) => (v * w) / s.one, g.fall[1]);
  const ids: number[] = new Array(P).fill(-1);
  const levels: number[] = new Array(P).fill(0);
  const nl = nb.layerOf(waves[0]) + 1;
  const layer = nl + 1 + Math.max(ampR.length, ampF.length);
  for (let c = 0; c < P / 2; c++) {
    const nc = nb.add(nl, 0, [
      [waves[c], s.one],
      [waves[c + 1], -s.one],
    ]);
    ids[c] = nb.at(nb.chain([[g.rise[0], 0], ...ampR], nc, nl + 1), layer);
    levels[c] = Lr;
    ids[c + P / 2] = nb.at(nb.chain([[g.fall[0], 0], ...ampF], nc, nl + 1), layer);
    levels[c + P / 2] = Lf;
  }
  return { ids, levels, layer };
}

const gateCache = new WeakMap<Setting, Map<number, readonly [number, number] | null>>();

/**
 * The gate g = one ⊗ u ⊕ ω_J ⊗ J ⊕ β for an indicator J ∈ {0, level}: with J = 0 the rest of SC gives B
 * for every first-stage value u, with J = level it gives A on the values of negative codes and B on the
 * others; checked on every u and both J with the setting's neuron (null: none found).
 */
export function gateFor(s: Setting, g: BitGadgets, level: number): readonly [number, number] | null {
  let m = gateCache.get(s);
  if (!m) gateCache.set(s, (m = new Map()));
  if (m.has(level)) return m.get(level) ?? null;
  const first = g.sc[0];
  const rest = g.sc.slice(1);
  const runRest = (h: number) => rest.reduce((v, [w, b]) => unary(s, w, v, b), h);
  const us: Array<readonly [number, boolean]> = [];
  const seen = new Set<string>();
  for (let y = s.min; y <= s.max; y++) {
    const u = unary(s, first[0], y, first[1]);
    const key = `${u},${y < 0}`;
    if (!seen.has(key)) {
      seen.add(key);
      us.push([u, y < 0]);
    }
  }
  let span = 0;
  for (const [u] of us) span = Math.max(span, Math.abs(u) + 1);
  let gate: readonly [number, number] | null = null;
  for (let beta = -2 * span; beta <= 2 * span && !gate; beta++) {
    const w0 = Math.round((-beta * s.one) / level);
    for (const wJ of [w0, w0 - 1, w0 + 1]) {
      if (wJ < s.min || wJ > s.max) continue;
      const ok = us.every(
        ([u, neg]) =>
          runRest(neuron(s, [s.one, wJ], [u, 0], beta)) === g.B &&
          runRest(neuron(s, [s.one, wJ], [u, level], beta)) === (neg ? g.A : g.B),
      );
      if (ok) {
        gate = [wJ, beta];
        break;
      }
    }
  }
  m.set(level, gate);
  return gate;
}

/**
 * (4)–(6): rows R_q = b_q ⊕ Σ_c ω ⊗ I_c with entry(q, c), their bits gated by J_q (a signal of value 0
 * outside row q's inputs and jLevel[q] on them), the collectors and the output. `jReady` is the layer
 * of the J signals (they are carried up with delays).
 */
function assemble(
  s: Setting,
  g: BitGadgets,
  nb: NetBuilder,
  cols: Pulses,
  entry: (q: number, c: number) => number,
  rowsCount: number,
  J: readonly number[],
  jLevel: readonly number[],
): boolean {
  const W = Math.round(Math.log2(s.size));
  const { sc, A, B } = g;
  const P = cols.ids.length;
  const rowLayer = cols.layer + 1;
  const rows: number[] = [];
  for (let q = 0; q < rowsCount; q++) {
    const counts = new Map<number, number>();
    let bq = entry(q, 0);
    let most = 0;
    for (let c = 0; c < P; c++) {
      const v = entry(q, c);
      const k = (counts.get(v) ?? 0) + 1;
      counts.set(v, k);
      if (k > most) [bq, most] = [v, k];
    }
    const edges: Array<[number, number]> = [];
    for (let c = 0; c < P; c++) {
      const T = entry(q, c);
      if (T === bq) continue;
      const L = cols.levels[c];
      const want = wrapCode(s, T - bq);
      const w = wrapCode(s, (want * s.one) / L);
      if (s.mul(w, L) !== want || s.mul(w, 0) !== 0) return false;
      edges.push([cols.ids[c], w]);
    }
    rows.push(nb.add(rowLayer, bq, edges));
  }
  const ampO = amplify(s, A - B);
  if (!ampO) return false;
  const Lo = ampO.reduce((v, [w]) => (v * w) / s.one, A - B);
  const rest = sc.slice(1);
  const collectors: number[] = [];
  const anchors = new Map<string, number>();
  for (let i = 0; i < W; i++) {
    const e = W - 1 - i;
    const ands: number[] = [];
    for (let q = 0; q < rowsCount; q++) {
      const gate = gateFor(s, g, jLevel[q]);
      if (!gate) return false;
      // y = 2^e·R_q (mod N) from shared anchors 2^(e − step)·R_q
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
      const gt = nb.add(gl, gate[1], [
        [u, s.one],
        [nb.at(J[q], gl - 1), gate[0]],
      ]);
      ands.push(nb.chain(rest, gt, gl + 1));
    }
    const cl = nb.layerOf(ands[0]) + 1;
    const o = nb.add(
      cl,
      wrapCode(s, -rowsCount * B),
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
    if (s.mul(w, Lo) !== want) return false;
    out.push([nb.at(collectors[i], top), w]);
  }
  nb.add(top + 1, 0, out);
  return true;
}

/** The layer of the first gate: two above the rows' layer (u, then the gate). */
const firstGateLayer = (cols: Pulses) => cols.layer + 3;

/** d = 1: columns x mod P, blocks of P codes (steps of (3)). Null where a piece does not apply. */
function buildFor(s: Setting, g: BitGadgets, table: Int32Array, a: number): Compilation | null {
  const P = 2 ** a;
  const G = s.size / P;
  const { sc, A, B } = g;
  const nb = new NetBuilder(1, [s.one, 0]);
  const cols = columnPulses(s, g, nb, 0, a);
  if (!cols) return null;
  // (3) the block pipeline, started so J_q lands right below the first gate layer
  const bc = blockChain(s, P);
  if (!bc) return null;
  const start = firstGateLayer(cols) - 1 - (bc.steps.length + sc.length + 1);
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
  const ok = assemble(s, g, nb, cols, (q, c) => table[q * P + c], G, J, new Array(G).fill(B - A));
  return ok ? { net: nb.build(), beta: 0, boxes: G, method: 'two-level-bits' } : null;
}

/**
 * d = 2: the columns are the pulses of every code of x1 (P = N, M = 1: y_c = wrap(x1 − c)), and the rows
 * are the codes of x2, gated by the pulses of x2 (level ±one) instead of block steps.
 */
function buildFor2(s: Setting, g: BitGadgets, table: Int32Array): Compilation | null {
  const W = Math.round(Math.log2(s.size));
  const N = s.size;
  const nb = new NetBuilder(2, [s.one, 0]);
  const cols = columnPulses(s, g, nb, 0, W);
  if (!cols) return null;
  const rowsOf = columnPulses(s, g, nb, 1, W);
  if (!rowsOf) return null;
  // pulse index c is the code ≡ c (mod N); the table is indexed by code − min, x1 slowest
  const at = (c: number) => (c + N / 2) % N;
  const ok = assemble(s, g, nb, cols, (q, c) => table[at(c) * N + at(q)], N, rowsOf.ids, rowsOf.levels);
  return ok ? { net: nb.build(), beta: 0, boxes: N, method: 'two-level-bits' } : null;
}

/** The exponents a (P = 2^a) tried: around W/2 (columns cost about 10·P, the bits about 160·N/P). */
function exponents(W: number): number[] {
  const mid = Math.round(W / 2);
  const out: number[] = [];
  for (let a = mid - 1; a <= mid + 3; a++) if (a >= 2 && a <= W - 2) out.push(a);
  return out;
}

const built = new WeakMap<Int32Array, { s: Setting; d: number; c: Compilation | null }>();

/**
 * The smallest network over the exponents tried (d = 1), or the network over x1's and x2's pulses
 * (d = 2, table of N² entries, x1 slowest); cached per table: plan builds it, build reuses it.
 */
export function buildTwoLevelBits(s: Setting, table: Int32Array, d = 1): Compilation | null {
  const hit = built.get(table);
  if (hit && hit.s === s && hit.d === d) return hit.c;
  const g = bitGadgets(s);
  let best: Compilation | null = null;
  let size = Number.POSITIVE_INFINITY;
  if (g && d === 2) best = buildFor2(s, g, table);
  else if (g) {
    for (const a of exponents(Math.round(Math.log2(s.size)))) {
      const c = buildFor(s, g, table, a);
      if (!c) continue;
      const p = layeredSize(c.net).parameters;
      if (p < size) [best, size] = [c, p];
    }
  }
  built.set(table, { s, d, c: best });
  return best;
}

function plan({ s, table, d }: Target): number | null {
  if (!hypotheses(s, d)) return null;
  const c = buildTwoLevelBits(s, table, d);
  return c ? layeredSize(c.net).parameters : null;
}

export const twoLevelBits: Construction = {
  name: 'two-level-bits',
  summary:
    'σ_F = identity under wrap (d = 1, 2): one-hot columns from periodic waves and sign chains, rows read bit by bit and gated by block',
  plan,
  build: ({ s, table, d }) => (hypotheses(s, d) ? buildTwoLevelBits(s, table, d) : null),
};
