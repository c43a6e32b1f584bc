/**
 * Two-level tables from clean ramps, d = 1 (docs/construction.md, "Two-level tables from clean ramps").
 * Hypotheses: those of two-level-gadgets (σ_F has a zero, not relu-shaped, overflow saturate, all
 * weights, one ≤ max), d = 1, sequential accumulation.
 *
 * A ramp profile P(u) = σ_F(g2 ⊗ σ_F(one ⊗ u) ⊕ b2) (g2 > 0) is non-decreasing in u (monotone stages),
 * equal to lo = P(min) below some u0 and to hi = P(max) above some u1, and is chosen strictly increasing
 * on [u0, u1 + 1] (F = u1 − u0 + 2 codes). Block q is x ∈ [s_q, s_q + F), s_q = min + q·F, and its ramp
 * r_q = σ_F(g2 ⊗ σ_F(one ⊗ x ⊕ (u0 − s_q)) ⊕ b2) (two neurons, 4 parameters; one ⊗ x = x exactly and
 * x + u0 − s_q is clamped monotonically, so r_q = lo below the block and hi beyond it).
 * The column signal is S = σ_F(Σ_q (−1)^q w ⊗ r_q ⊕ b): inside block q every other ramp is on a plateau,
 * so S depends on the offset only (one form for even q, one for odd q).
 *
 * Theorem. If (i) S is injective on every block and (ii) r_q(x) ≥ P(u0) ⟺ x ≥ s_q for every q ≥ 1 and x
 * — both checked by evaluating every r_q and S on every x with the setting's own neuron semantics —
 * then the network below computes the table on every input: one-hot indicators I_v = one·[S = v] for
 * the values v of S (saturating steps on S and window neurons), block gates G_q = one·[x ∉ block q]
 * from saturating steps on r_q at the threshold P(u0) (exact by (ii) and the saturating-steps lemma:
 * r_q lies in [lo, hi]) and window neurons, then per block the row neurons of `row-kinds.ts` over the
 * indicators of the values S takes in that block (by (i) each x of the block has its own indicator),
 * and the output. The proof of the d = 2 Theorem ("Two-level tables through gadgets") applies with
 * blocks for rows and I_v(S) for columns: at input x in block q exactly one indicator of the block's
 * values is one, every gate of another block is one, G_q is 0.
 */
import { layeredSize } from '../engine/layered-net.js';
import { neuron, type Setting, unary } from '../engine/setting.js';
import type { Compilation, Construction, Target } from './compilation.js';
import { NetBuilder } from './net-builder.js';
import { stepsFor, windowsFor } from './one-hot-windows.js';
import { bestRowNeurons, constantOneBias, kindsOf, type RowNeuron } from './row-kinds.js';
import { type SatStep, SaturatingSteps } from './saturating-steps.js';
import { gadgetTwoLevelApplies } from './two-level-gadgets.js';

/** A ramp profile and the column sum found for it. */
export interface RampPlan {
  readonly g2: number;
  readonly b2: number;
  readonly u0: number;
  readonly F: number;
  readonly B: number;
  readonly w: number;
  readonly b: number;
  /** r[q][x − min]: the ramps on every input. */
  readonly r: Int32Array[];
  /** S on every input. */
  readonly S: Int32Array;
}

/** u0 − s_q, the first-stage bias of ramp q (a value, else the plan is rejected). */
const rampBias = (s: Setting, u0: number, F: number, q: number) => u0 - (s.min + q * F);

/** Candidate profiles (g2, b2) with their strictly increasing transition, widest first. */
function profiles(s: Setting): Array<{ g2: number; b2: number; u0: number; F: number }> {
  const inner = new Int32Array(s.size);
  for (let u = s.min; u <= s.max; u++) inner[u - s.min] = unary(s, s.one, u, 0);
  const out: Array<{ g2: number; b2: number; u0: number; F: number }> = [];
  const P = new Int32Array(s.size);
  for (let g2 = 1; g2 <= s.max; g2++) {
    for (let b2 = s.min; b2 <= s.max; b2++) {
      for (let i = 0; i < s.size; i++) P[i] = unary(s, g2, inner[i], b2);
      const lo = P[0];
      const hi = P[s.size - 1];
      let a = 0;
      while (a < s.size && P[a] === lo) a++;
      let e = s.size - 1;
      while (e >= 0 && P[e] === hi) e--;
      if (a > e || e + 1 >= s.size) continue;
      let inc = true;
      for (let i = a; i <= e && inc; i++) if (P[i + 1] <= P[i]) inc = false;
      if (inc) out.push({ g2, b2, u0: s.min + a, F: e - a + 2 });
    }
  }
  out.sort((p, q) => q.F - p.F);
  return out;
}

const planCache = new WeakMap<Setting, RampPlan | null>();

/** The widest ramp plan whose checks (i) and (ii) pass, or null (memoised per setting). */
export function rampPlan(s: Setting): RampPlan | null {
  if (planCache.has(s)) return planCache.get(s) ?? null;
  let found: RampPlan | null = null;
  // formats above 10 bits: the profile search is quadratic in |𝕀| (not tried)
  const cands = s.size <= 1024 ? profiles(s) : [];
  for (const c of cands) {
    const { g2, b2, u0, F } = c;
    const B = Math.ceil(s.size / F);
    if (B < 2 || rampBias(s, u0, F, 0) > s.max || rampBias(s, u0, F, B - 1) < s.min) continue;
    const r: Int32Array[] = [];
    for (let q = 0; q < B; q++) {
      const row = new Int32Array(s.size);
      const b1 = rampBias(s, u0, F, q);
      for (let x = s.min; x <= s.max; x++) row[x - s.min] = unary(s, g2, unary(s, s.one, x, b1), b2);
      r.push(row);
    }
    // (ii) the block starts from the ramps
    const t = unary(s, g2, unary(s, s.one, u0, 0), b2);
    let ok = true;
    for (let q = 1; q < B && ok; q++)
      for (let x = s.min; x <= s.max && ok; x++) if (r[q][x - s.min] >= t !== x >= s.min + q * F) ok = false;
    if (!ok) continue;
    // (i) S injective on every block, for some weight w ≤ 2·one and bias |b| ≤ 2·one (smallest w first;
    // a search bound for time, every candidate is checked in full)
    const hs = new Array<number>(B);
    const S = new Int32Array(s.size);
    for (let w = 1; w <= Math.min(s.max, 2 * s.one) && !found; w++) {
      const ws = Array.from({ length: B }, (_, q) => (q % 2 === 0 ? w : -w));
      for (let b = Math.max(s.min, -2 * s.one); b <= Math.min(s.max, 2 * s.one) && !found; b++) {
        let good = true;
        for (let q = 0; q < B && good; q++) {
          const seen = new Set<number>();
          for (let x = s.min + q * F; x < Math.min(s.max + 1, s.min + (q + 1) * F) && good; x++) {
            for (let k = 0; k < B; k++) hs[k] = r[k][x - s.min];
            const v = neuron(s, ws, hs, b);
            if (seen.has(v)) good = false;
            seen.add(v);
            S[x - s.min] = v;
          }
        }
        if (good) found = { g2, b2, u0, F, B, w, b, r, S };
      }
    }
    if (found) break;
  }
  planCache.set(s, found);
  return found;
}

/** Pads a family of steps to `depth` stages, or null. */
function padTo(ss: SaturatingSteps, steps: SatStep[], depth: number): SatStep[] | null {
  const out: SatStep[] = [];
  for (let st of steps) {
    while (st.chain.length < depth) {
      const p = ss.pad(st);
      if (!p) return null;
      st = p;
    }
    out.push(st);
  }
  return out;
}

/** The d = 1 network from clean ramps, or null where a check fails. */
export function buildRamps(s: Setting, table: Int32Array): Compilation | null {
  if (!gadgetTwoLevelApplies(s) || s.accumulation !== 'sequential') return null;
  const plan = rampPlan(s);
  if (!plan) return null;
  const { g2, b2, u0, F, B, w, b, S } = plan;
  const ss = new SaturatingSteps(s);
  // the values of S: the columns
  const values = [...new Set(S)].sort((p, q) => p - q);
  const col = new Map(values.map((v, i) => [v, i]));
  const V = values.length;
  // rows first (they fail fast when some entry has no kind)
  const kinds = kindsOf(s);
  const rows: RowNeuron[][] = [];
  for (let q = 0; q < B; q++) {
    const E = new Int32Array(V);
    for (let x = s.min + q * F; x < Math.min(s.max + 1, s.min + (q + 1) * F); x++)
      E[col.get(S[x - s.min]) as number] = table[x - s.min];
    const rn = bestRowNeurons(s, kinds, E);
    if (!rn) return null;
    rows.push(rn);
  }
  // column steps on S (domain its values), block steps on r_q (domain [lo, hi], threshold P(u0))
  const P = (u: number) => unary(s, g2, unary(s, s.one, u, 0), b2);
  const lo = P(s.min);
  const hi = P(s.max);
  const t = P(u0);
  let colSteps: ReturnType<typeof stepsFor> = null;
  let colWins: ReturnType<typeof windowsFor> = null;
  let blkSteps: ReturnType<typeof stepsFor> = null;
  let blkWins: ReturnType<typeof windowsFor> = null;
  for (const raw of [true, false]) {
    if (!colWins) {
      colSteps = stepsFor(ss, values.slice(1), [values[0], values[V - 1]], raw);
      colWins = colSteps ? windowsFor(s, colSteps.steps, V, false) : null;
    }
    if (!blkWins) {
      const one = stepsFor(ss, [t], [lo, hi], raw);
      // the same chain for every block start (it reads r_q)
      blkSteps = one ? { steps: Array.from({ length: B - 1 }, () => one.steps[0]), depth: one.depth } : null;
      blkWins = blkSteps ? windowsFor(s, blkSteps.steps, B, true) : null;
    }
  }
  if (!colSteps || !colWins || !blkSteps || !blkWins) return null;
  // S at layer 3, column steps 4..3 + Dc; ramps at 2, block steps 3..2 + Db; windows at L
  const L = Math.max(3 + colSteps.depth, 2 + blkSteps.depth) + 1;
  const cs = padTo(ss, colSteps.steps, L - 4);
  const bs = padTo(ss, blkSteps.steps, L - 3);
  if (!cs || !bs) return null;
  // the padded families must still be read by the same windows: re-derive the windows for them
  const cw = windowsFor(s, cs, V, false);
  const bw = windowsFor(s, bs, B, true);
  if (!cw || !bw) return null;

  const nb = new NetBuilder(1, [0, 0]);
  const ramps: number[] = [];
  for (let q = 0; q < B; q++) {
    const h = nb.add(1, rampBias(s, u0, F, q), [[0, s.one]]);
    ramps.push(nb.add(2, b2, [[h, g2]]));
  }
  const Sid = nb.add(
    3,
    b,
    ramps.map((id, q) => [id, q % 2 === 0 ? w : -w] as [number, number]),
  );
  const chainFrom = (src: number, st: SatStep, first: number) => {
    let id = src;
    st.chain.forEach(([cw2, cb], k) => {
      id = nb.add(first + k, cb, [[id, cw2]]);
    });
    return id;
  };
  const colIds = cs.map((st) => chainFrom(Sid, st, 4));
  const blkIds = bs.map((st, i) => chainFrom(ramps[i + 1], st, 3));
  const I = cw.ind.map((wn) =>
    nb.add(
      L,
      wn.b,
      wn.src.map((i, k) => [colIds[i], wn.ws[k]] as [number, number]),
    ),
  );
  const gate = (q: number) => {
    const wn = bw.gate[q];
    return nb.add(
      L,
      wn.b,
      wn.src.map((i, k) => [blkIds[i], wn.ws[k]] as [number, number]),
    );
  };
  const out: Array<[number, number]> = [];
  let zId = -1;
  const constantZ = () => {
    if (zId < 0) zId = nb.add(L, constantOneBias(s) as number, []);
    return zId;
  };
  let neurons = 0;
  for (let q = 0; q < B; q++) {
    const rn = rows[q];
    if (rn.length === 0) continue;
    let copies = 0;
    for (const n of rn) copies = Math.max(copies, n.pattern.length);
    const G = Array.from({ length: copies }, () => gate(q));
    for (const n of rn) {
      const edges: Array<[number, number]> = n.entries.map(([c, wt]) => [I[c], wt]);
      if (n.kind.z !== undefined) edges.unshift([constantZ(), n.kind.z]);
      n.pattern.forEach((g, j) => {
        edges.push([G[j], g]);
      });
      out.push([nb.add(L + 1, n.kind.b, edges), n.kind.omega]);
      neurons++;
    }
  }
  if (out.length === 0) return null;
  nb.add(L + 2, 0, out);
  return { net: nb.build(), beta: 0, boxes: neurons, method: 'two-level-ramps' };
}

const built = new WeakMap<Int32Array, { s: Setting; c: Compilation | null }>();

function buildOrCached(t: Target): Compilation | null {
  if (t.d !== 1) return null;
  const hit = built.get(t.table);
  if (hit && hit.s === t.s) return hit.c;
  const c = buildRamps(t.s, t.table);
  built.set(t.table, { s: t.s, c });
  return c;
}

export const twoLevelRamps: Construction = {
  name: 'two-level-ramps',
  summary:
    'd = 1: clean two-neuron ramps per block, their alternating sum as the column signal, rows of kinds',
  plan: (t) => {
    if (t.d !== 1 || !gadgetTwoLevelApplies(t.s) || t.s.accumulation !== 'sequential') return null;
    const c = buildOrCached(t);
    return c ? layeredSize(c.net).parameters : null;
  },
  build: buildOrCached,
};
