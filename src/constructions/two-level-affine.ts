/**
 * Two-level tables through an affine window, d = 1 (docs/construction.md, "Two-level tables through an
 * affine window"). For σ_F without an identity window (sigmoid, hard-sigmoid: slopes ¼ and ⅙ on codes).
 * Hypotheses: those of two-level-gadgets (all weights, overflow saturate, 1 a value), sequential
 * accumulation, σ_F non-decreasing with σ_F(min) = 0, and an _affine window_: an integer A ≥ 2 (a = A·one a
 * weight) and a bias β with σ_F(a ⊗ h ⊕ β) = h for every code h of W = [R0, R1].
 *
 * **Theorem.** Let every group [xs, xe] of L = gb·F consecutive inputs have a _carry_: K first-layer
 * neurons z_i = σ_F(±k·one ⊗ x ⊕ b_i), b_i = b_0 + i·k, and (unless K = 1 and z_0 is already R0 + offset)
 * a layer-2 neuron r = σ_F(Σ_i (A/m)·one ⊗ z_i ⊕ β'), with r = R0 + (x − xs) (or R0 + (xe − x)) on the
 * group. Then the d = 1 network of two-level-gadgets-one.ts with every identity stage σ_F(one ⊗ h)
 * replaced by σ_F(a ⊗ h ⊕ β), remainders rem_j = σ_F(a ⊗ carry ⊕ (−A·F) ⊗ steps ⊕ gates ⊕ β) and
 * REM = σ_F(Σ_j a ⊗ rem_j ⊕ β) computes f on every input.
 * _Proof._ ⊗ by a = A·one is exact multiplication by A on codes h ∈ [0, one] (A·one ≤ max); a step read
 * with weight −A·F adds exactly −A·F. Inside group j the carry is R0 + o (o the offset within the group),
 * each passed step removes A·F from A·(R0 + o) + β, so the pre-activation is A·(R0 + c) + β with R0 + c ∈
 * W (c the offset within the block; no partial sum leaves [min, max] as every term is checked below), and
 * σ_F gives R0 + c by the window. Outside, rem_j = 0: its pre-activation is monotone in every term, so at
 * most its value at the largest carry and no step, which one gate copy min ⊗ one sends to a zero of σ_F
 * (checked; Lemma "one gate copy"), or else two copies saturate any partial sum to min, kept there by β ≤ 0.
 * REM adds A·0 = 0 for every other group and A·(R0 + c) + β for its own: R0 + c. The indicators, gates
 * and rows are those of two-level-gadgets (unchanged proofs). ∎
 * **Lemma (carries by telescoping).** With T(y) = Σ_{i<K} σ_F(y + i·k), T(y + k) − T(y) = σ_F(y + K·k) −
 * σ_F(y). So if σ_F(y0 + c·k + K·k) − σ_F(y0 + c·k) = m for c = 0 … L − 2 (every window of K·k codes on
 * the run holds exactly m of σ_F's transitions), then T(y0 + c·k) = T(y0) + m·c, and with m | A, β' =
 * A·R0 + β − (A/m)·T(y0), r = σ_F(A·(R0 + c) + β) = R0 + c. The pre-activations ±k·x + b_i are y0 + c·k +
 * i·k (exact while k·|x| ≤ max), the same on every group: one run serves all groups of a gain k. ∎
 * Sigmoid on Q7.8: A = 4, β = −512, W = [99, 157]; carries k = 4, K = 1 for |x| < 32, K·k = 4
 * (transitions spaced exactly 4 near σ's centre) beyond. Hard-sigmoid: A = 6, W = [0, one]; under
 * nearest-even its transitions alternate 5 and 7 codes apart, so K·k = 12 with m = 2. Every carry is
 * re-checked on its group with the setting's own neuron, and the builder checks REM on every x.
 */
import { layeredSize } from '../engine/layered-net.js';
import { neuron, type Setting, unary } from '../engine/setting.js';
import type { Compilation, Construction, Target } from './compilation.js';
import { reluShaped } from './relu-shaped.js';
import { kindsOf } from './row-kinds.js';
import { SaturatingSteps } from './saturating-steps.js';
import {
  type AffineCarry,
  buildOneGadgets,
  type CarryRecipe,
  identityWindow,
} from './two-level-gadgets-one.js';

export interface AffineStage {
  readonly A: number;
  readonly beta: number;
  readonly window: readonly [number, number];
}

const stages = new WeakMap<Setting, AffineStage | null>();

/** The widest affine window: A ≥ 2, β ≤ 0 with σ_F(A·one ⊗ h ⊕ β) = h on [R0, R1], or null (memoised). */
export function affineStage(s: Setting): AffineStage | null {
  if (!stages.has(s)) stages.set(s, searchStage(s));
  return stages.get(s)!;
}

function searchStage(s: Setting): AffineStage | null {
  if (!s.monotone) return null;
  // the preimage [lo, hi] of every value h in [0, one]
  const lo = new Map<number, number>();
  const hi = new Map<number, number>();
  for (let p = s.min; p <= s.max; p++) {
    const v = s.sigma[p - s.min];
    if (!lo.has(v)) lo.set(v, p);
    hi.set(v, p);
  }
  let best: AffineStage | null = null;
  for (let A = 2; A * s.one <= s.max && A <= 16; A++) {
    // β ∈ ∩_{h ∈ W} [lo(h) − A·h, hi(h) − A·h]: for each start the longest W with a nonempty intersection
    for (let R0 = 0; R0 <= s.one; R0++) {
      let bl = Number.NEGATIVE_INFINITY;
      let bh = Number.POSITIVE_INFINITY;
      let R1 = R0 - 1;
      for (let h = R0; h <= s.one && lo.has(h); h++) {
        const nl = Math.max(bl, lo.get(h)! - A * h);
        const nh = Math.min(bh, hi.get(h)! - A * h);
        if (nl > nh) break;
        bl = nl;
        bh = nh;
        R1 = h;
      }
      if (R1 < R0 || (best && R1 - R0 <= best.window[1] - best.window[0])) continue;
      // prefer β ≤ 0 (the gate copies then keep the sum at min) and the stage checked by the setting's neuron
      const beta = Math.min(bh, 0);
      if (beta < bl || beta < s.min) continue;
      let ok = true;
      for (let h = R0; h <= R1 && ok; h++) ok = unary(s, A * s.one, h, beta) === h;
      if (ok) best = { A, beta, window: [R0, R1] };
    }
  }
  return best;
}

interface Run {
  readonly k: number;
  readonly K: number;
  readonly m: number;
  /** Start pre-activations y0 with a run of L − 1 increments m, ascending. */
  readonly starts: number[];
}

/** Runs of the telescoping lemma for every gain k and count K (K·k ≤ 4·A), for groups of L inputs. */
function runsFor(s: Setting, A: number, L: number): Run[] {
  const sig = (p: number) => s.sigma[p - s.min];
  const runs: Run[] = [];
  for (let k = 1; k * s.one <= s.max && k <= 4 * A; k++) {
    for (let K = 1; K * k <= 4 * A && K <= 16; K++) {
      const span = K * k;
      // run[y]: increments equal to D(y) along y, y + k, … (computed from the top down)
      const n = s.max - span - s.min + 1;
      if (n <= 0) continue;
      const len = new Int32Array(n);
      const byM = new Map<number, number[]>();
      for (let i = n - 1; i >= 0; i--) {
        const y = s.min + i;
        const D = sig(y + span) - sig(y);
        len[i] = i + k < n && sig(y + k + span) - sig(y + k) === D ? len[i + k] + 1 : 1;
        if (D >= 1 && A % D === 0 && len[i] >= L - 1) {
          let l = byM.get(D);
          if (!l) byM.set(D, (l = []));
          l.push(y);
        }
      }
      for (const [m, starts] of byM) runs.push({ k, K, m, starts: starts.reverse() });
    }
  }
  // fewest parameters first: K first-layer neurons (edge, bias) and the sum (K edges, bias) when K > 1
  const cost = (r: Run) => 2 * r.K + (r.K > 1 || r.m !== 1 ? r.K + 1 : 0);
  return runs.sort((a, b) => cost(a) - cost(b) || b.k - a.k);
}

/** The affine carries of a setting for groups of L inputs, or null (no affine window of L codes). */
export function affineCarry(s: Setting, L: number): AffineCarry | null {
  const st = affineStage(s);
  if (!st || st.window[1] - st.window[0] + 1 < L) return null;
  const { A, beta } = st;
  const [R0] = st.window;
  const runs = runsFor(s, A, L);
  const one = s.one;
  const sig = (p: number) => s.sigma[p - s.min];
  const inRange = (v: number) => v >= s.min && v <= s.max;
  const group = (xs: number, xe: number): CarryRecipe | null => {
    for (const r of runs) {
      const { k, K, m } = r;
      for (const inc of [true, false]) {
        // the products ±k·x must be exact on the group
        if (!inRange(inc ? k * xs : -k * xs) || !inRange(inc ? k * xe : -k * xe)) continue;
        const shift = inc ? -k * xs : k * xe;
        // y0 with every bias b_i = y0 + shift + i·k a value
        const yLo = s.min - shift;
        const yHi = s.max - shift - (K - 1) * k;
        let tries = 0;
        for (const y0 of r.starts) {
          if (y0 < yLo) continue;
          if (y0 > yHi || tries++ > 16) break;
          const first: Array<[number, number]> = [];
          for (let i = 0; i < K; i++) first.push([inc ? k * one : -k * one, y0 + shift + i * k]);
          let combine: [number, number] | null = null;
          if (K > 1 || m !== 1 || sig(y0) !== R0) {
            let T = 0;
            for (let i = 0; i < K; i++) T += sig(y0 + i * k);
            const w = (A / m) * one;
            const b = A * R0 + beta - (A / m) * T;
            if (!inRange(w) || !inRange(b)) continue;
            combine = [w, b];
          }
          // the carry on every x of the group, by the setting's own neurons
          let ok = true;
          for (let x = xs; x <= xe && ok; x++) {
            const z = first.map(([w, b]) => unary(s, w, x, b));
            const h = combine
              ? neuron(
                  s,
                  z.map(() => combine![0]),
                  z,
                  combine[1],
                )
              : z[0];
            ok = h === R0 + (inc ? x - xs : xe - x);
          }
          if (ok) return { inc, first, combine };
        }
      }
    }
    return null;
  };
  return { window: st.window, stage: [A * one, beta], group };
}

/** The setting hypotheses (docs/construction.md, "Two-level tables through an affine window"). */
export function affineTwoLevelApplies(s: Setting): boolean {
  if (
    s.weightSet !== 'all' ||
    s.policy.overflow !== 'saturate' ||
    s.accumulation !== 'sequential' ||
    s.one > s.max ||
    !s.monotone ||
    s.sigma[0] !== 0 ||
    reluShaped(s)
  )
    return false;
  // only where the identity window (two-level-gadgets) is shorter than the affine one
  const id = identityWindow(s);
  const st = affineStage(s);
  return st !== null && (!id || id[1] - id[0] < st.window[1] - st.window[0]);
}

const built = new WeakMap<Int32Array, { s: Setting; c: Compilation | null }>();

/** d = 1: the smallest network over block sizes F = 2^j ≤ |W| (16 bits: the largest first). */
function buildAffine(t: Target): Compilation | null {
  const hit = built.get(t.table);
  if (hit && hit.s === t.s) return hit.c;
  let best: Compilation | null = null;
  const s = t.s;
  if (t.d === 1 && affineTwoLevelApplies(s)) {
    const st = affineStage(s)!;
    const width = st.window[1] - st.window[0] + 1;
    const bits = Math.round(Math.log2(s.size));
    const small = s.size <= 4096;
    const top = Math.min(Math.floor(Math.log2(width)), bits >> 1, bits - 1);
    const kinds = kindsOf(s);
    const ss = new SaturatingSteps(s);
    for (let j = top; j >= 1; j--) {
      const F = 2 ** j;
      const B = s.size / F;
      const carry = affineCarry(s, Math.min(B, Math.floor(width / F)) * F);
      const c = carry ? buildOneGadgets(s, t.table, F, kinds, ss, carry) : null;
      if (c && (!best || layeredSize(c.net).parameters < layeredSize(best.net).parameters)) best = c;
      if (best && !small) break;
    }
  }
  built.set(t.table, { s, c: best });
  return best;
}

export const twoLevelAffine: Construction = {
  name: 'two-level-affine',
  summary:
    'σ_F without an identity window (sigmoid, hard-sigmoid): two-level-gadgets carried through an affine window σ_F(A·x ⊕ β) = x (d = 1)',
  plan: (t) => {
    if (t.d !== 1 || !affineTwoLevelApplies(t.s)) return null;
    const c = buildAffine(t);
    return c ? layeredSize(c.net).parameters : null;
  },
  build: buildAffine,
};
