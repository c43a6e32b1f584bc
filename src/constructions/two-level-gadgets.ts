/**
 * Two-level tables through gadgets (docs/construction.md, "Two-level tables through gadgets"): the
 * two-level table of `two-level.ts` for any σ_F with σ_F(b0) = 0 for some bias b0 (gelu, silu, elu,
 * mish, tanh, identity, leaky-relu, softplus and sigmoid where σ_F has a zero), overflow saturate, all
 * weights, 1 a value, d = 2. Each coordinate gets saturating steps (`saturating-steps.ts`, exact
 * two-level signals for every threshold), and from them window neurons (`window-neuron.ts`): one-hot
 * column indicators I_c = one·[x2 = c] and row gates G_r = one·[x1 ≠ r], exact on every value. Per row
 * r, a few "kind" neurons R = σ_F(Σ_c w_c ⊗ I_c ⊕ Σ_j γ_j ⊗ G_r^(j) ⊕ b), read by the output with a
 * weight ω: a kind (ω, b) carries the entries T it can make, T = ω ⊗ σ_F(w ⊗ one ⊕ b) for some w, and
 * ω ⊗ σ_F(b) = 0 (a column it does not carry adds nothing). Outside its row the gate copies (weights
 * γ = min, min, then max, ε) saturate the sum to min (and climb back to 0): each neuron's outside
 * pre-activations are computed for every column it carries and checked to be killed by ω. Inside its
 * row a neuron sees exactly its entry's term (zero terms change nothing, docs/theory.md §8 Lemma A), so
 * the output adds exactly T, or nothing for a zero entry.
 */
import { layeredSize } from '../engine/layered-net.js';
import type { Setting } from '../engine/setting.js';
import type { Compilation, Construction, Target } from './compilation.js';
import { NetBuilder } from './net-builder.js';
import { stepsFor, windowsFor } from './one-hot-windows.js';
import { reluShaped } from './relu-shaped.js';
import { bestRowNeurons, constantOneBias, kindsOf, type RowNeuron } from './row-kinds.js';
import { SaturatingSteps } from './saturating-steps.js';
import { buildOneGadgets } from './two-level-gadgets-one.js';

/** The setting hypotheses (docs/construction.md, "Two-level tables through gadgets"). */
export function gadgetTwoLevelApplies(s: Setting): boolean {
  return (
    s.weightSet === 'all' &&
    s.policy.overflow === 'saturate' &&
    s.one <= s.max &&
    s.sigma.includes(0) &&
    !reluShaped(s)
  );
}

/** A built network and its size, cached per table (plan and build share it). */
const built = new WeakMap<Int32Array, { d: number; s: Setting; c: Compilation | null }>();

function buildOrCached(t: Target): Compilation | null {
  const hit = built.get(t.table);
  if (hit && hit.d === t.d && hit.s === t.s) return hit.c;
  let c: Compilation | null = null;
  if (gadgetTwoLevelApplies(t.s)) {
    if (t.d === 2) c = buildTwo(t.s, t.table);
    else if (t.d === 1) c = buildOne(t.s, t.table);
  }
  built.set(t.table, { d: t.d, s: t.s, c });
  return c;
}

/** d = 1: the smallest network over block sizes F = 2^j around √N (docs: "d = 1"). */
function buildOne(s: Setting, table: Int32Array): Compilation | null {
  const bits = Math.round(Math.log2(s.size));
  const h = bits >> 1;
  const kinds = kindsOf(s);
  const ss = new SaturatingSteps(s);
  let best: Compilation | null = null;
  // small formats: the best of five block sizes; large ones: √N first, its neighbours only if it fails
  const small = s.size <= 4096;
  for (const j of small ? [h - 2, h - 1, h, h + 1, h + 2] : [h, h - 1, h + 1, h - 2]) {
    if (j < 1 || j >= bits) continue;
    const c = buildOneGadgets(s, table, 2 ** j, kinds, ss);
    if (c && (!best || layeredSize(c.net).parameters < layeredSize(best.net).parameters)) best = c;
    if (best && !small) break;
  }
  return best;
}

/** The two-level network for d = 2 (rows x1, columns x2). */
function buildTwo(s: Setting, table: Int32Array): Compilation | null {
  const N = s.size;
  const kinds = kindsOf(s);
  // the row neurons first: they decide how many gate copies each row needs
  const rows: RowNeuron[][] = [];
  for (let r = 0; r < N; r++) {
    const rn = bestRowNeurons(s, kinds, table.subarray(r * N, (r + 1) * N));
    if (!rn) return null;
    rows.push(rn);
  }
  const thresholds = Array.from({ length: N - 1 }, (_, i) => s.min + 1 + i);
  let st: ReturnType<typeof stepsFor> = null;
  let win: ReturnType<typeof windowsFor> = null;
  // the default search (8 stages, beam 4), then a deeper, wider one where it finds no chain (softplus and
  // sigmoid on Q2.3: slopes ≤ 1 on codes and gains ≤ 3.9 need long chains; 16 stages, beam 64)
  for (const ss of [new SaturatingSteps(s), new SaturatingSteps(s, 16, 64)]) {
    // raw step levels (one stage shorter) when the windows can read them, else normalised to one, 0
    st = stepsFor(ss, thresholds, undefined, true);
    win = st ? windowsFor(s, st.steps, N, true) : null;
    if (!win) {
      st = stepsFor(ss, thresholds);
      win = st ? windowsFor(s, st.steps, N, true) : null;
    }
    if (st && win) break;
  }
  if (!st || !win) return null;
  const D = st.depth;
  const nb = new NetBuilder(2, [0, 0]);
  // steps of both coordinates, layers 1..D
  const stepIds: number[][] = [[], []];
  for (const coord of [0, 1]) {
    for (const step of st.steps) {
      let id = coord;
      step.chain.forEach(([w, b], k) => {
        id = nb.add(k + 1, b, [[id, w]]);
      });
      stepIds[coord].push(id);
    }
  }
  const windowNode = (coord: number, w: { src: number[]; ws: readonly number[]; b: number }) =>
    nb.add(
      D + 1,
      w.b,
      w.src.map((i, k) => [stepIds[coord][i], w.ws[k]] as [number, number]),
    );
  const I = win.ind.map((w) => windowNode(1, w));
  const out: Array<[number, number]> = [];
  let neurons = 0;
  let zId = -1;
  const constantZ = () => {
    if (zId < 0) zId = nb.add(D + 1, constantOneBias(s) as number, []);
    return zId;
  };
  for (let r = 0; r < N; r++) {
    const rn = rows[r];
    if (rn.length === 0) continue;
    let copies = 0;
    for (const n of rn) copies = Math.max(copies, n.pattern.length);
    const G = Array.from({ length: copies }, () => windowNode(0, win.gate[r]));
    for (const n of rn) {
      const edges: Array<[number, number]> = n.entries.map(([c, w]) => [I[c], w]);
      // offset kinds read the constant Z = one first (row-kinds.ts)
      if (n.kind.z !== undefined) edges.unshift([constantZ(), n.kind.z]);
      n.pattern.forEach((g, j) => {
        edges.push([G[j], g]);
      });
      out.push([nb.add(D + 2, n.kind.b, edges), n.kind.omega]);
      neurons++;
    }
  }
  if (out.length === 0) return null;
  nb.add(D + 3, 0, out);
  return { net: nb.build(), beta: 0, boxes: neurons, method: 'two-level-gadgets' };
}

/** The parameters of the network (built once and cached), or null when the construction does not apply. */
export function planTwoLevelGadgets(t: Target): number | null {
  if (!gadgetTwoLevelApplies(t.s) || t.d > 2) return null;
  const c = buildOrCached(t);
  return c ? layeredSize(c.net).parameters : null;
}

export const twoLevelGadgets: Construction = {
  name: 'two-level-gadgets',
  summary:
    'any σ_F with a zero: saturating steps, one-hot columns and row gates, per row a few kind neurons (d = 1, 2)',
  plan: planTwoLevelGadgets,
  build: buildOrCached,
};
