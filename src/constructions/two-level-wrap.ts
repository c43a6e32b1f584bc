/**
 * Two-level tables under wrap, and under saturation where two-level's steps fail (relu, d = 1; proof:
 * docs/construction.md, "Two-level tables under wrap"). Let σ_F be relu on codes of a two's complement
 * format of W bits (N = 2^W codes, one = 2^n), all weights, d = 1, and either overflow `wrap` (any
 * rounding, accumulation and bias order) or `saturate` where `two-level` does not apply. Rows are the
 * blocks q(x) = rnd(x·2^−j) − rnd(min·2^−j) (one neuron Q, exact: no partial sum leaves 𝕀), each at most
 * F = 2^j consecutive codes; columns are, under wrap, x mod F, read off wrap(2^(W−j)·x + 2^(W−j−1)) built
 * in stages of even integer gains (Lemma "wrap arithmetic": with exact products the pre-activation is the
 * sum modulo 2^W, so each stage keeps the residue in two relu halves) and split into two halves of F/2
 * values; under saturation, x − 2^j·rnd(x·2^−j) (+ a constant) from relu(x), relu(−x) and the block's
 * positive and negative parts. Block gates G_q = one·[x ∉ block q] and column indicators I_f are hats on
 * shared ramps of magnified sources (`hat-family.ts`), exact at every position. Per block up to three
 * neurons relu(Σ_f w_f ⊗ I_f ⊕ min ⊗ G_q) (bias 0; the block's positive entries, negative ones above min,
 * and entries equal to min) read by the output with one, −one and min: inside its block a neuron sums its
 * one entry T ∈ [0, max], outside T + min ∈ [min, −1] (no wrap, no saturation), so relu gives 0.
 * Every piece is evaluated at every position with the setting's own neuron before the network is built.
 */
import { layeredSize } from '../engine/layered-net.js';
import { neuron, preActivation, type Setting, unary } from '../engine/setting.js';
import type { Compilation, Construction, Target } from './compilation.js';
import { buildHats, type HatRecipe, hatRecipe, stepRecipe } from './hat-family.js';
import { NetBuilder } from './net-builder.js';
import { reluShaped } from './relu-shaped.js';
import { expandNet, settledRelu } from './settled-sigma.js';
import { addRows, planTwoLevel, rowsCost } from './two-level.js';

type Mode = 'wrap' | 'saturate';

/** Everything but the rows, for one block size F = 2^j. */
interface Recipe {
  readonly mode: Mode;
  readonly j: number;
  /** Q = relu(wb ⊗ x ⊕ bQ): the block index. */
  readonly wb: number;
  readonly bQ: number;
  /** Gains (codes) magnifying Q before its ramps; the block indicators (wrap) or gates (saturate). */
  readonly bGains: readonly number[];
  readonly gates: HatRecipe;
  /** wrap: the stage gains (codes) of 2^(W−j), the half hats (positions 0 = off, D/2 + D·i). */
  readonly cGains: readonly number[];
  readonly half: HatRecipe | null;
  /** saturate: gains before the column neuron, its last gain, its bias; gains magnifying it; hats. */
  readonly pre: readonly number[];
  readonly last: number;
  readonly c0: number;
  /** saturate: the corner neuron relu(we ⊗ x ⊕ be) = [x = min]. */
  readonly corner: readonly [number, number];
  readonly dGains: readonly number[];
  readonly cols: HatRecipe | null;
  /** Per position p = x − min: block and column. */
  readonly blockOf: Int32Array;
  readonly colOf: Int32Array;
  readonly blocks: number;
  readonly columns: number;
  /** Parameters of everything but the rows and the output. */
  readonly shared: number;
}

/** The mode of the construction, or null when its setting hypotheses fail. */
export function wrapMode(s: Setting): Mode | null {
  const W = Math.round(Math.log2(s.size));
  if (s.weightSet !== 'all' || 2 ** W !== s.size || s.min !== -(s.size / 2)) return null;
  if (s.policy.overflow === 'wrap' && !s.policy.saturationBits && reluShaped(s)) return 'wrap';
  if (s.policy.overflow === 'saturate' && reluShaped(s)) return 'saturate';
  return null;
}

/** Powers of two (as codes g·one, g ≥ 2, g·one ≤ max) whose product is 2^e; null when no gain ≥ 2 is a value. */
function gainsFor(s: Setting, e: number): number[] | null {
  let top = 0;
  while (2 ** (top + 1) * s.one <= s.max) top++;
  if (e > 0 && top === 0) return null;
  const out: number[] = [];
  for (let left = e; left > 0; left -= Math.min(top, left)) out.push(2 ** Math.min(top, left) * s.one);
  return out;
}

/** Values of a chain of relu(g ⊗ ·) stages from h. */
function chain(s: Setting, gains: readonly number[], h: number): number {
  let v = h;
  for (const g of gains) v = unary(s, g, v, 0);
  return v;
}

/** The hats of positions 0 … K at spacing D (the smallest power of two D that works), and D's gains. */
function magnified(
  s: Setting,
  K: number,
  gate: boolean,
  mode: Mode,
): { gains: number[]; hats: HatRecipe } | null {
  for (let e = 0; 2 ** e * Math.max(K, 1) <= s.max; e++) {
    const D = 2 ** e;
    if (mode === 'wrap' && (s.one * s.one) / D > s.max) continue;
    if (mode === 'saturate' && -s.mul(s.min, D) < s.one) continue;
    const gains = gainsFor(s, e);
    if (!gains) return null;
    // the magnified values, from the stages' own neurons
    const vals: number[] = [];
    for (let q = 0; q <= K; q++) vals.push(chain(s, gains, q));
    if (vals.some((v, q) => v !== q * D)) continue;
    const all = vals.map((_, q) => q);
    const hats = mode === 'wrap' ? hatRecipe(s, vals, all, gate) : stepRecipe(s, vals, all, gate);
    if (hats) return { gains, hats };
  }
  return null;
}

/** The blocks for the weight wb: Q on every input, its magnification and gates; null when a run exceeds F. */
function blockRecipe(
  s: Setting,
  mode: Mode,
  F: number,
  wb: number,
): { wb: number; bQ: number; blockOf: Int32Array; gm: { gains: number[]; hats: HatRecipe } } | null {
  const N = s.size;
  const bQ = -s.mul(wb, s.min);
  if (wb > s.max || bQ < s.min || bQ > s.max) return null;
  const blockOf = new Int32Array(N);
  let run = 0;
  for (let p = 0; p < N; p++) {
    const q = unary(s, wb, s.min + p, bQ);
    const prev = p === 0 ? 0 : blockOf[p - 1];
    if (!(q === prev || q === prev + 1) || (p === 0 && q !== 0)) return null;
    run = p > 0 && q === prev ? run + 1 : 1;
    if (run > F) return null;
    blockOf[p] = q;
  }
  // under wrap the rows read block indicators (weight min, bias min: T + 2·min ≡ T inside the block),
  // under saturation gates
  const gm = magnified(s, blockOf[N - 1], mode === 'saturate', mode);
  return gm ? { wb, bQ, blockOf, gm } : null;
}

const recipeCache = new WeakMap<Setting, Map<number, Recipe | null>>();

function cachedRecipe(s: Setting, mode: Mode, j: number): Recipe | null {
  let m = recipeCache.get(s);
  if (!m) recipeCache.set(s, (m = new Map()));
  if (!m.has(j)) m.set(j, makeRecipe(s, mode, j));
  return m.get(j) ?? null;
}

function makeRecipe(s: Setting, mode: Mode, j: number): Recipe | null {
  const N = s.size;
  const W = Math.round(Math.log2(N));
  const F = 2 ** j;
  const one = s.one;
  if (j < 1 || j >= W || one % F !== 0) return null;
  // the blocks: Q = relu(wb ⊗ x ⊕ bQ), non-decreasing in steps of at most one code, runs of at most F;
  // wb = one/F first, then slightly steeper weights (ties to even and toward zero make runs of F ± 1
  // and 2F − 1 with one/F)
  let blocks: {
    wb: number;
    bQ: number;
    blockOf: Int32Array;
    gm: { gains: number[]; hats: HatRecipe };
  } | null = null;
  for (const wb of [one / F, one / F + 1, (2 * one) / F]) {
    blocks = blockRecipe(s, mode, F, wb);
    if (blocks) break;
  }
  if (!blocks) return null;
  const { wb, bQ, blockOf, gm } = blocks;
  const kmin = -bQ;
  const K = blockOf[N - 1];
  const colOf = new Int32Array(N);
  let cGains: number[] = [];
  let half: HatRecipe | null = null;
  let pre: number[] = [];
  let last = 0;
  let c0 = 0;
  let corner: readonly [number, number] = [0, 0];
  let dGains: number[] = [];
  let cols: HatRecipe | null = null;
  let columns: number;
  if (mode === 'wrap') {
    const D = 2 ** (W - j);
    const g = gainsFor(s, W - j);
    if (!g || g.length === 0) return null;
    cGains = g;
    const H = F / 2;
    // the stages on every input, from the setting's own neurons: plus = relu(y), minus = relu(y + min)
    const vals = [0];
    for (let i = 0; i < H; i++) vals.push(D / 2 + D * i);
    half = hatRecipe(
      s,
      vals,
      vals.slice(1).map((_, i) => i + 1),
      false,
    );
    if (!half) return null;
    for (let p = 0; p < N; p++) {
      let plus = 0;
      let minus = 0;
      cGains.forEach((w, i) => {
        const c = i === cGains.length - 1 ? D / 2 : 0;
        const [ws, hs] =
          i === 0
            ? [[w], [s.min + p]]
            : [
                [w, w],
                [plus, minus],
              ];
        [plus, minus] = [neuron(s, ws, hs, c), neuron(s, ws, hs, c + s.min)];
      });
      const f = p % F;
      const want = D / 2 + D * (f % H);
      if (f < H ? plus !== want || minus !== 0 : plus !== 0 || minus !== want) return null;
      colOf[p] = f;
    }
    columns = F;
  } else {
    const g = gainsFor(s, j);
    if (!g) return null;
    pre = g.length >= 2 ? g.slice(0, -1) : [one];
    last = g.length >= 1 ? g[g.length - 1] : one;
    const g0 = pre[0] / one;
    const kp = g0 * kmin;
    if (kp < s.min || -kp > s.max || -one < s.min) return null;
    // the corner e = relu(we ⊗ x ⊕ be): 1 at min, 0 above (we < 0, so e is non-increasing in x)
    const we = -(one - 1);
    const be = -s.mul(we, s.min + 1);
    if (be < s.min || be > s.max || unary(s, we, s.min, be) !== 1 || unary(s, we, s.min + 1, be) !== 0)
      return null;
    corner = [we, be];
    // the column neuron's terms min·1, relu(x ⊕ max), relu(x), −e, K⁺, K⁻ on every input: the first four
    // sum to x − 1 at every x (min + x + max = x − 1; at min: min + 0 + 0 − 1 would leave 𝕀, the corner
    // makes it min − 1 … checked below), then −2^j·k; its pre-activation with bias 0
    const ws = [s.min, one, one, -last, last, -one];
    const cpre = new Float64Array(N);
    const hsOf = (p: number): number[] => {
      const x = s.min + p;
      const q = blockOf[p];
      const kpos = chain(s, pre.slice(1), unary(s, pre[0], q, kp));
      const kneg = chain(s, pre.slice(1), unary(s, -pre[0], q, -kp));
      return [one, unary(s, one, x, s.max), unary(s, one, x, 0), kpos, kneg, p === 0 ? 1 : 0];
    };
    let lo = Number.POSITIVE_INFINITY;
    for (let p = 0; p < N; p++) {
      cpre[p] = preActivation(s, ws, hsOf(p), 0);
      if (!(cpre[p] >= s.min)) return null;
      lo = Math.min(lo, cpre[p]);
    }
    c0 = -lo;
    if (c0 < s.min || c0 > s.max) return null;
    let top = 0;
    for (let p = 0; p < N; p++) {
      const c = neuron(s, ws, hsOf(p), c0);
      if (!(c >= 0)) return null;
      colOf[p] = c;
      top = Math.max(top, c);
    }
    columns = top + 1;
    if (columns > 2 * F) return null;
    const cm = magnified(s, top, false, mode);
    if (!cm) return null;
    dGains = cm.gains;
    cols = cm.hats;
  }
  // (block, column) names every input at most once
  const seen = new Uint8Array((K + 1) * columns);
  for (let p = 0; p < N; p++) {
    const k = blockOf[p] * columns + colOf[p];
    if (seen[k]) return null;
    seen[k] = 1;
  }
  const r: Recipe = {
    mode,
    j,
    wb,
    bQ,
    bGains: gm.gains,
    gates: gm.hats,
    cGains,
    half,
    pre,
    last,
    c0,
    corner,
    dGains,
    cols,
    blockOf,
    colOf,
    blocks: K + 1,
    columns,
    shared: 0,
  };
  const nb = new NetBuilder(1, [one, 0]);
  buildShared(s, r, nb);
  let shared = 0;
  for (const n of nb.nodes) if (n.layer > 0) shared += n.edges.length + 1;
  return { ...r, shared };
}

/** The shared pieces: column indicators I (by column), block gates G (by block), the rows' layer. */
function buildShared(s: Setting, r: Recipe, nb: NetBuilder): { I: number[]; G: number[]; rowLayer: number } {
  const one = s.one;
  // the block source: Q at layer 1, magnified
  const Q = nb.add(1, r.bQ, [[0, r.wb]]);
  let b = Q;
  for (const g of r.bGains) b = nb.add(nb.layerOf(b) + 1, 0, [[b, g]]);
  const colSources: number[] = [];
  if (r.mode === 'wrap') {
    const D2 = 2 ** (Math.round(Math.log2(s.size)) - r.j - 1);
    let plus = 0;
    let minus = 0;
    r.cGains.forEach((w, i) => {
      const c = i === r.cGains.length - 1 ? D2 : 0;
      const edges: Array<[number, number]> =
        i === 0
          ? [[0, w]]
          : [
              [plus, w],
              [minus, w],
            ];
      [plus, minus] = [nb.add(i + 1, c, edges), nb.add(i + 1, c + s.min, edges)];
    });
    colSources.push(plus, minus);
  } else {
    const k1 = nb.add(1, one, []);
    const a2 = nb.add(1, s.max, [[0, one]]);
    const a1 = nb.add(1, 0, [[0, one]]);
    const e = nb.add(1, r.corner[1], [[0, r.corner[0]]]);
    const q = Q;
    const kp = ((r.pre[0] / one) * -r.bQ) | 0;
    let kpos = nb.add(2, kp, [[q, r.pre[0]]]);
    let kneg = nb.add(2, -kp, [[q, -r.pre[0]]]);
    for (const g of r.pre.slice(1)) {
      kpos = nb.add(nb.layerOf(kpos) + 1, 0, [[kpos, g]]);
      kneg = nb.add(nb.layerOf(kneg) + 1, 0, [[kneg, g]]);
    }
    const L = nb.layerOf(kpos) + 1;
    let c = nb.add(L, r.c0, [
      [nb.at(k1, L - 1), s.min],
      [nb.at(a2, L - 1), one],
      [nb.at(a1, L - 1), one],
      [kpos, -r.last],
      [kneg, r.last],
      [nb.at(e, L - 1), -one],
    ]);
    for (const g of r.dGains) c = nb.add(nb.layerOf(c) + 1, 0, [[c, g]]);
    colSources.push(c);
  }
  const cf = r.mode === 'wrap' ? r.half! : r.cols!;
  const rowLayer =
    Math.max(nb.layerOf(b) + r.gates.depth, ...colSources.map((c) => nb.layerOf(c) + cf.depth)) + 1;
  const G = buildHats(nb, b, rowLayer - r.gates.depth, r.gates, s);
  const I = colSources.flatMap((c) => buildHats(nb, c, rowLayer - cf.depth, cf, s));
  return { I, G, rowLayer };
}

/** The row table (block, column) → entry, 0 where no input has that pair. */
function rowTable(r: Recipe, table: Int32Array): Int32Array {
  const t = new Int32Array(r.blocks * r.columns);
  for (let p = 0; p < table.length; p++) t[r.blockOf[p] * r.columns + r.colOf[p]] = table[p];
  return t;
}

/** The block sizes tried: 2^j for j from W/2 − 2 to W/2 + 3. */
function exponents(s: Setting): number[] {
  const W = Math.round(Math.log2(s.size));
  const h = W >> 1;
  return Array.from({ length: W - 1 }, (_, i) => i + 1).filter((j) => j >= h - 2 && j <= h + 3);
}

function best(t: Target): { r: Recipe; plan: number } | null {
  const { s, table, d } = t;
  if (d !== 1) return null;
  const mode = wrapMode(s);
  if (!mode) return null;
  // under saturation only where two-level does not apply (it is the construction proven there)
  if (mode === 'saturate' && planTwoLevel(t) !== null) return null;
  let out: { r: Recipe; plan: number } | null = null;
  for (const j of exponents(s)) {
    const r = cachedRecipe(s, mode, j);
    if (!r) continue;
    const plan = r.shared + rowsCost(s, rowTable(r, table), r.blocks, r.columns) + 1;
    if (!out || plan < out.plan) out = { r, plan };
  }
  return out;
}

/** The predicted parameters (exact), or null when the construction does not apply. */
export function planTwoLevelWrap(t: Target): number | null {
  return best(t)?.plan ?? null;
}

/** The network (docs/construction.md, "Two-level tables under wrap"), or null. */
export function buildTwoLevelWrap(t: Target): Compilation | null {
  const b = best(t);
  if (!b) return null;
  const { s } = t;
  const { r } = b;
  const nb = new NetBuilder(1, [s.one, 0]);
  const { I, G, rowLayer } = buildShared(s, r, nb);
  const rt = rowTable(r, t.table);
  const out: Array<[number, number]> = [];
  const bias = r.mode === 'wrap' ? s.min : 0;
  const neurons = addRows(s, nb, rt, r.blocks, r.columns, I, (q) => [G[q]], rowLayer, out, bias);
  if (out.length === 0) return null;
  nb.add(rowLayer + 1, 0, out);
  return { net: nb.build(), beta: 0, boxes: neurons, method: 'two-level-wrap' };
}

const settledBuilds = new WeakMap<Int32Array, { s: Setting; c: Compilation | null }>();

/**
 * Where σ_F is not relu but σ_F^r is (settled-sigma.ts: leaky-relu away from floor rounding), the relu
 * network built in the setting of σ_F^r with every hidden neuron followed by r − 1 stages σ_F(one ⊗ h)
 * (the lemma "settling stages": the same function); cached per table (plan builds it).
 */
function settledWrap(t: Target): Compilation | null {
  const hit = settledBuilds.get(t.table);
  if (hit && hit.s === t.s) return hit.c;
  let c: Compilation | null = null;
  const st = reluShaped(t.s) || t.d !== 1 ? null : settledRelu(t.s);
  if (st) {
    const inner = buildTwoLevelWrap({ ...t, s: st.t });
    if (inner) c = { ...inner, net: expandNet(inner.net, st.r, t.s.one) };
  }
  settledBuilds.set(t.table, { s: t.s, c });
  return c;
}

export const twoLevelWrap: Construction = {
  name: 'two-level-wrap',
  summary:
    'relu (or σ_F with σ_F^r = relu: leaky-relu off floor) under wrap (or saturation where two-level fails), d = 1: blocks by rnd(x·2^−j), columns by wrap or x − 2^j·block',
  plan: (t) => {
    const p = planTwoLevelWrap(t);
    if (p !== null || reluShaped(t.s)) return p;
    const c = settledWrap(t);
    return c ? layeredSize(c.net).parameters : null;
  },
  build: (t) => {
    if (!reluShaped(t.s)) return settledWrap(t);
    const c = buildTwoLevelWrap(t);
    if (c && layeredSize(c.net).parameters !== planTwoLevelWrap(t))
      throw new Error(
        `two-level-wrap: the network (${layeredSize(c.net).parameters}) differs from its plan (${planTwoLevelWrap(t)})`,
      );
    return c;
  },
};
