/**
 * Two-level tables through gadgets, d = 1 (docs/construction.md, "Two-level tables through gadgets",
 * d = 1). Hypotheses: those of d = 2, sequential accumulation, and an identity window W = [R0, R1]
 * (σ_F(p) = p for every code p in W) of at least F codes. Positions p = x − min split into B = N/F blocks
 * q (the rows) and offsets c (the columns). Blocks are grouped by ⌊|W|/F⌋; group j carries x into W by
 * one neuron σ_F(±one ⊗ x ⊕ b_j) (x − start or end − x, +ε at x = min where −one ⊗ min saturates) and
 * identity neurons, then rem_j = σ_F(carry − F·(interior block steps passed) ⊕ gate copies) is R0 + c
 * (or R0 + F − 1 − c) inside the group and 0 outside (the gate copies saturate the sum to min and, when
 * σ_F(min) ≠ 0, climb back to 0); REM = σ_F(Σ_j rem_j) is the offset in W for every x. With one gate
 * copy (Lemma "one-copy remainders": outside its group rem_j is one constant κ for every carry value,
 * tanh's −one) REM = σ_F(Σ_j (rem_j ⊕ C_j) ⊕ κ) with edgeless constants C_j = −κ. One-hot
 * indicators of REM's F values and per-block gates then feed the rows of `row-kinds.ts` as for d = 2.
 * REM is checked from its definition on every x (one pass over 𝕀, signals known in closed form).
 */
import { neuron, type Setting, unary } from '../engine/setting.js';
import type { Compilation } from './compilation.js';
import { NetBuilder } from './net-builder.js';
import { stepsFor, windowsFor } from './one-hot-windows.js';
import { bestRowNeurons, constantOneBias, type Kind, type RowNeuron } from './row-kinds.js';
import type { SatStep, SaturatingSteps } from './saturating-steps.js';
import { findWindow } from './window-neuron.js';

/** The widest run of codes [R0, R1] with σ_F(p) = p, or null. */
export function identityWindow(s: Setting): [number, number] | null {
  let best: [number, number] | null = null;
  let start = Number.NaN;
  for (let p = s.min; p <= s.max + 1; p++) {
    const id = p <= s.max && s.sigma[p - s.min] === p;
    if (id && Number.isNaN(start)) start = p;
    if (!id && !Number.isNaN(start)) {
      if (!best || p - 1 - start > best[1] - best[0]) best = [start, p - 1];
      start = Number.NaN;
    }
  }
  return best;
}

/** Threshold steps on the input x, each available at any layer from its length on (delays at one/0). */
class StepBank {
  private readonly nodes = new Map<number, number[]>();
  private readonly steps = new Map<number, SatStep>();
  constructor(
    private readonly nb: NetBuilder,
    private readonly ss: SaturatingSteps,
    private readonly delay: readonly [number, number],
  ) {}
  length(t: number): number | null {
    let st = this.steps.get(t);
    if (!st) {
      const found = this.ss.step(t);
      if (!found) return null;
      this.steps.set(t, (st = found));
    }
    return st.chain.length;
  }
  /** one·[x ≥ t] at `layer` (≥ its length). */
  at(t: number, layer: number): number {
    const st = this.steps.get(t)!;
    let ids = this.nodes.get(t);
    if (!ids) {
      ids = [];
      let id = 0;
      st.chain.forEach(([w, b], k) => {
        id = this.nb.add(k + 1, b, [[id, w]]);
        ids!.push(id);
      });
      this.nodes.set(t, ids);
    }
    while (ids.length < layer) {
      const prev = ids[ids.length - 1];
      ids.push(this.nb.add(ids.length + 1, this.delay[1], [[prev, this.delay[0]]]));
    }
    return ids[layer - 1];
  }
}

/**
 * A carry of x into a window by other neurons than σ_F(±one ⊗ x ⊕ b) (`two-level-affine.ts`): first-layer
 * neurons σ_F(w ⊗ x ⊕ b), optionally summed by one layer-2 neuron σ_F(Σ_i w ⊗ z_i ⊕ b), giving
 * R0 + (x − xs) (inc) or R0 + (xe − x) on the group [xs, xe] (checked on every x by the builder).
 */
export interface CarryRecipe {
  readonly inc: boolean;
  readonly first: ReadonlyArray<readonly [number, number]>;
  readonly combine: readonly [number, number] | null;
}

/**
 * An affine window (`two-level-affine.ts`): σ_F(a ⊗ h ⊕ β) = h for every code h of [R0, R1] (the
 * identity window is a = one, β = 0), and a carry per group of x values, or null.
 */
export interface AffineCarry {
  readonly window: readonly [number, number];
  readonly stage: readonly [number, number];
  group(xs: number, xe: number): CarryRecipe | null;
}

interface Group {
  readonly blocks: readonly [number, number];
  readonly inc: boolean;
  readonly b: number;
  /** Correction at x = min (decreasing carry), 0 if none. */
  readonly corner: number;
  /** The carry's neurons when it comes from an AffineCarry. */
  readonly recipe?: CarryRecipe;
}

/** The d = 1 two-level network for block size F, or null. */
export function buildOneGadgets(
  s: Setting,
  table: Int32Array,
  F: number,
  kinds: readonly Kind[],
  ss: SaturatingSteps,
  affine?: AffineCarry,
): Compilation | null {
  const N = s.size;
  const B = N / F;
  const win = affine ? affine.window : identityWindow(s);
  // B whole: N = |𝕀| is 2^n except on symmetric formats (SQ: 2^n − 1 values), where blocks do not tile 𝕀
  if (!win || s.accumulation !== 'sequential' || !Number.isInteger(B) || B < 2 || F < 2 || F > s.max)
    return null;
  const [R0, R1] = win;
  const gb = Math.min(B, Math.floor((R1 - R0 + 1) / F));
  if (gb < 1) return null;
  const one = s.one;
  // the stage σ_F(a ⊗ h ⊕ β) = h on W that carries, subtracts and sums (identity: a = one, β = 0);
  // A = a / one is an integer, so a ⊗ h = A·h and a step one·[x ≥ t] read with weight A·F subtracts F
  const [sa, sb] = affine ? affine.stage : [one, 0];
  const A = sa / one;
  if (!Number.isInteger(A)) return null;
  // gate pattern of rem_j: to min (σ_F(min) = 0), or to min and back to 0 (σ_F(0) = 0)
  let remPattern =
    s.sigma[0] === 0 ? [s.min, s.min] : s.sigma[-s.min] === 0 ? [s.min, s.min, s.max, 1] : null;
  if (!remPattern) return null;
  // the carries are σ_F outputs, in [sLo, sHi]
  let sLo = s.max;
  let sHi = s.min;
  for (const v of s.sigma) {
    if (v < sLo) sLo = v;
    if (v > sHi) sHi = v;
  }
  // affine, σ_F monotone with σ_F(min) = 0: one gate copy when it kills the largest outside sum. The
  // pre-activation is monotone in every term (⊗ by a fixed weight and saturating ⊕ are monotone), the
  // carry is read with a > 0 and the steps with −A·F < 0, so its largest value outside is at carry sHi and
  // no step; σ_F there 0 makes every outside output 0 (σ_F ≥ σ_F(min) = 0).
  if (affine && s.monotone && s.sigma[0] === 0 && neuron(s, [sa, s.min], [sHi, one], sb) === 0)
    remPattern = [s.min];
  const groups: Group[] = [];
  for (let q0 = 0; q0 < B; q0 += gb) {
    const q1 = Math.min(B, q0 + gb);
    const xs = s.min + q0 * F;
    const xe = s.min + q1 * F - 1;
    if (affine) {
      const recipe = affine.group(xs, xe);
      if (!recipe) return null;
      groups.push({ blocks: [q0, q1], inc: recipe.inc, b: 0, corner: 0, recipe });
      continue;
    }
    if (R0 - xs >= s.min && R0 - xs <= s.max) {
      groups.push({ blocks: [q0, q1], inc: true, b: R0 - xs, corner: 0 });
      continue;
    }
    const b = R0 + xe;
    if (b < s.min || b > s.max) return null;
    // −one ⊗ x = −x for x > min; at min it saturates: the carry there falls short by `corner`
    const corner = xs === s.min ? R0 + (xe - xs) - s.add(s.mul(-one, s.min), b) : 0;
    if (corner < 0 || corner > s.max) return null;
    groups.push({ blocks: [q0, q1], inc: false, b, corner });
  }
  const K = groups.length;
  // rows: block q, column index = the REM value − R0
  const rows: RowNeuron[][] = [];
  for (let q = 0; q < B; q++) {
    const inc = groups[Math.floor(q / gb)].inc;
    const E = new Int32Array(F);
    for (let c = 0; c < F; c++) E[inc ? c : F - 1 - c] = table[q * F + c];
    const rn = bestRowNeurons(s, kinds, E);
    if (!rn) return null;
    rows.push(rn);
  }
  const delay = findWindow(s, [[0], [one]], [0, one]);
  const notStep = findWindow(s, [[0], [one]], [one, 0]);
  if (!delay || !notStep) return null;
  const nb = new NetBuilder(1, [0, 0]);
  const bank = new StepBank(nb, ss, [delay.ws[0], delay.b]);
  const coarse: number[] = [];
  for (let q = 1; q < B; q++) coarse.push(s.min + q * F);
  const needCorner = groups.some((g) => g.corner !== 0);
  let Ds = 0;
  for (const t of needCorner ? [...coarse, s.min + 1] : coarse) {
    const len = bank.length(t);
    if (len === null) return null;
    Ds = Math.max(Ds, len);
  }
  const Lu = Ds + 1;
  const Lrem = Ds + 2;
  const LREM = K > 1 ? Ds + 3 : Ds + 2;
  // the signals read by rem_j at layer Lu: one·[x ≥ t] or one·[x < t]
  const upAt = (t: number) => bank.at(t, Lu);
  const lowCache = new Map<number, number>();
  const lowAt = (t: number) => {
    let id = lowCache.get(t);
    if (id === undefined)
      lowCache.set(t, (id = nb.add(Lu, notStep.b, [[bank.at(t, Lu - 1), notStep.ws[0]]])));
    return id;
  };
  /** A gate one·[x ∉ [lo, hi]] at `layer` from the steps at lo and hi + 1 (layer − 1). */
  const gateNode = (lo: number, hi: number, layer: number): number | null => {
    const src: number[] = [];
    const states: number[][] = [[], [], []];
    const hasLo = lo > s.min;
    const hasHi = hi < s.max;
    if (hasLo) {
      src.push(lo);
      states[0].push(0);
      states[1].push(one);
      states[2].push(one);
    }
    if (hasHi) {
      src.push(hi + 1);
      states[0].push(0);
      states[1].push(0);
      states[2].push(one);
    }
    const st = states.filter((_, k) => (k === 0 ? hasLo : k === 2 ? hasHi : true));
    const targets = [0, 1, 2]
      .filter((k) => (k === 0 ? hasLo : k === 2 ? hasHi : true))
      .map((k) => (k === 1 ? 0 : one));
    const w = findWindow(s, st, targets);
    if (!w) return null;
    return nb.add(
      layer,
      w.b,
      src.map((t, k) => [bank.at(t, layer - 1), w.ws[k]] as [number, number]),
    );
  };
  // rem_j from its definition: the carry, the steps and the gates are known in closed form
  const carryOf = (g: Group, x: number) => {
    let h: number;
    let l = 2;
    if (g.recipe) {
      const z = g.recipe.first.map(([w, b]) => unary(s, w, x, b));
      const cb = g.recipe.combine;
      h = cb
        ? neuron(
            s,
            z.map(() => cb[0]),
            z,
            cb[1],
          )
        : z[0];
      if (cb) l = 3;
    } else h = unary(s, g.inc ? one : -one, x, g.b);
    for (; l < Lrem; l++) h = unary(s, sa, h, sb);
    return h;
  };
  const groupIndex = new Int32Array(B);
  groups.forEach((g, j) => {
    for (let q = g.blocks[0]; q < g.blocks[1]; q++) groupIndex[q] = j;
  });
  const remOf = (g: Group, x: number, pattern: readonly number[], outside: boolean, partial?: number) => {
    const xs = s.min + g.blocks[0] * F;
    const xe = s.min + g.blocks[1] * F - 1;
    const ws: number[] = [sa];
    const hs: number[] = [partial ?? carryOf(g, x)];
    if (g.corner !== 0) {
      ws.push(g.corner);
      hs.push(x < s.min + 1 ? one : 0);
    }
    for (let k = g.blocks[0] + 1; k < g.blocks[1]; k++) {
      ws.push(-A * F);
      hs.push(g.inc === x >= s.min + k * F ? one : 0);
    }
    for (const gw of pattern) {
      ws.push(gw);
      hs.push(outside || x < xs || x > xe ? one : 0);
    }
    return neuron(s, ws, hs, sb);
  };
  // One gate copy (Lemma "one-copy rem"): outside its group rem_j = σ_F(P ⊕ γ ⊗ one) may be one constant
  // κ for every partial sum P it meets (tanh: P ∈ [−one, one], P + min saturates σ_F to −one). Then
  // REM = σ_F(Σ_j (rem_j ⊕ C_j) ⊕ κ) with constant neurons C_j = σ_F(β) = −κ (no edges): every other
  // group's pair adds κ − κ = 0, the own pair R0 + c − κ, and the bias brings it back to R0 + c. Checked on
  // every x with every group's rem from its closed form (below), so no hypothesis on P is assumed.
  let one1: { gw: number; kappa: number; beta: number | null } | null = null;
  if (K > 1 && !affine) {
    // the values a carry can take: σ_F's image (the carry ends in a σ_F stage)
    const image = sHi - sLo + 1;
    const cost = 2 * K * image * (gb + 2) + s.size * K;
    for (const gw of cost <= 1 << 27 ? [s.min, s.max] : []) {
      const g0 = groups[0];
      const kappa = remOf(g0, s.min + g0.blocks[1] * F, [gw], true, sLo);
      let beta: number | null = null;
      if (kappa !== 0) {
        const at = s.sigma.indexOf(-kappa);
        if (at < 0) continue;
        beta = s.min + at;
      }
      // (i) outside its group rem_j = κ for every carry value and both outside step patterns (below:
      // x = xs − 1, above: x = xe + 1; every outside x reads the same steps as one of them)
      let ok = true;
      for (const g of groups) {
        const xs = s.min + g.blocks[0] * F;
        const xe = s.min + g.blocks[1] * F - 1;
        for (const x of [xs - 1, xe + 1]) {
          if (x < s.min || x > s.max) continue;
          for (let h = sLo; h <= sHi && ok; h++) if (remOf(g, x, [gw], false, h) !== kappa) ok = false;
        }
        if (!ok) break;
      }
      // (ii) REM on every x: the other groups' pairs κ, −κ, the own pair rem_j(x), −κ, then the bias κ
      const mk = s.mul(one, kappa);
      const mc = beta === null ? 0 : s.mul(one, -kappa);
      for (let x = s.min; x <= s.max && ok; x++) {
        const p = x - s.min;
        const q = Math.floor(p / F);
        const c = p % F;
        const own = groupIndex[q];
        const g = groups[own];
        const r = s.mul(one, remOf(g, x, [gw], false));
        let acc = s.bias === 'first' ? kappa : 0;
        for (let j = 0; j < K; j++) {
          acc = s.add(acc, j === own ? r : mk);
          if (beta !== null) acc = s.add(acc, mc);
        }
        if (s.bias !== 'first') acc = s.add(acc, kappa);
        if (s.sigma[acc - s.min] !== R0 + (g.inc ? c : F - 1 - c)) ok = false;
      }
      if (ok) {
        one1 = { gw, kappa, beta };
        break;
      }
    }
  }
  // carries, rem_j, REM
  const remIds: number[] = [];
  const constIds: number[] = [];
  for (const g of groups) {
    const xs = s.min + g.blocks[0] * F;
    const xe = s.min + g.blocks[1] * F - 1;
    let carry: number;
    let l = 2;
    if (g.recipe) {
      const z = g.recipe.first.map(([w, b]) => nb.add(1, b, [[0, w]]));
      const cb = g.recipe.combine;
      carry = cb
        ? nb.add(
            2,
            cb[1],
            z.map((id) => [id, cb[0]] as [number, number]),
          )
        : z[0];
      if (cb) l = 3;
    } else carry = nb.add(1, g.b, [[0, g.inc ? one : -one]]);
    for (; l < Lrem; l++) carry = nb.add(l, sb, [[carry, sa]]);
    const edges: Array<[number, number]> = [[carry, sa]];
    if (g.corner !== 0) edges.push([lowAt(s.min + 1), g.corner]);
    for (let q = g.blocks[0] + 1; q < g.blocks[1]; q++) {
      const t = s.min + q * F;
      edges.push([g.inc ? upAt(t) : lowAt(t), -A * F]);
    }
    if (K > 1) {
      for (const gw of one1 ? [one1.gw] : remPattern) {
        const h = gateNode(xs, xe, Lu);
        if (h === null) return null;
        edges.push([h, gw]);
      }
    }
    remIds.push(nb.add(Lrem, sb, edges));
    if (one1 && one1.beta !== null) constIds.push(nb.add(Lrem, one1.beta, []));
  }
  const remEdges: Array<[number, number]> = [];
  remIds.forEach((id, j) => {
    remEdges.push([id, sa]);
    if (constIds.length > 0) remEdges.push([constIds[j], one]);
  });
  const REM = K > 1 ? nb.add(LREM, one1 ? one1.kappa : sb, remEdges) : remIds[0];
  if (K > 1 && !one1) {
    // outside its group rem_j is 0 whatever its carry and steps (the pattern saturates any partial sum)
    for (const g of groups)
      for (const h of affine ? [sLo, sHi] : [s.min, 0, s.max])
        if (remOf(g, g.inc ? s.max : s.min, remPattern, true, h) !== 0) return null;
  }
  if (!one1) {
    for (let x = s.min; x <= s.max; x++) {
      const p = x - s.min;
      const q = Math.floor(p / F);
      const c = p % F;
      const g = groups[groupIndex[q]];
      const own = remOf(g, x, K > 1 ? remPattern : [], false);
      const total = K > 1 ? neuron(s, [sa], [own], sb) : own;
      if (total !== R0 + (g.inc ? c : F - 1 - c)) return null;
    }
  }

  // fine indicators on REM
  // fine steps with raw levels (one stage shorter) when the windows can read them, else normalised
  const fineThresholds = Array.from({ length: F - 1 }, (_, i) => R0 + 1 + i);
  let fine = stepsFor(ss, fineThresholds, [R0, R0 + F - 1], true);
  let wins = fine ? windowsFor(s, fine.steps, F, false) : null;
  if (!wins) {
    fine = stepsFor(ss, fineThresholds, [R0, R0 + F - 1]);
    wins = fine ? windowsFor(s, fine.steps, F, false) : null;
  }
  if (!fine || !wins) return null;
  const fineIds = fine.steps.map((st) => {
    let id = REM;
    st.chain.forEach(([w, b], k) => {
      id = nb.add(LREM + k + 1, b, [[id, w]]);
    });
    return id;
  });
  const Lind = LREM + fine.depth + 1;
  const I = wins.ind.map((w) =>
    nb.add(
      Lind,
      w.b,
      w.src.map((i, k) => [fineIds[i], w.ws[k]] as [number, number]),
    ),
  );
  // block gates at Lind: from the coarse steps padded to Lind − 1, or (cheaper when the padding is long)
  // from steps on BLK = σ_F(Σ_q 1 ⊗ U_q ⊕ R0) = R0 + q, in W, carried by identity stages
  const blkThresholds = Array.from({ length: B - 1 }, (_, i) => R0 + 1 + i);
  const blkFits = B <= R1 - R0 + 1;
  let blk = blkFits ? stepsFor(ss, blkThresholds, [R0, R0 + B - 1], true) : null;
  let blkWins = blk ? windowsFor(s, blk.steps, B, true) : null;
  if (!blkWins && blkFits) {
    blk = stepsFor(ss, blkThresholds, [R0, R0 + B - 1]);
    blkWins = blk ? windowsFor(s, blk.steps, B, true) : null;
  }
  const Lb0 = blk ? Lind - 1 - blk.depth : -1;
  const padCost = 2 * (B - 1) * (Lind - 1 - Ds);
  const blkCost = blk ? B + 2 * (Lb0 - Ds - 1) + 2 * (B - 1) * blk.depth : Number.POSITIVE_INFINITY;
  let blockGate: (q: number) => number | null = (q) => gateNode(s.min + q * F, s.min + (q + 1) * F - 1, Lind);
  if (blk && blkWins && Lb0 >= Ds + 1 && blkCost < padCost) {
    {
      // BLK from its definition: the steps are exact, the sum R0 + q stays in W
      for (let q = 0; q < B; q++) {
        const hs = coarse.map((t) => (s.min + q * F >= t ? one : 0));
        if (
          neuron(
            s,
            hs.map(() => A),
            hs,
            A * R0 + sb,
          ) !==
          R0 + q
        )
          return null;
      }
      let B0 = nb.add(
        Ds + 1,
        A * R0 + sb,
        coarse.map((t) => [bank.at(t, Ds), A] as [number, number]),
      );
      for (let l = Ds + 2; l <= Lb0; l++) B0 = nb.add(l, sb, [[B0, sa]]);
      const blkIds = blk.steps.map((st) => {
        let id = B0;
        st.chain.forEach(([w, b], k) => {
          id = nb.add(Lb0 + k + 1, b, [[id, w]]);
        });
        return id;
      });
      blockGate = (q) => {
        const w = blkWins.gate[q];
        return nb.add(
          Lind,
          w.b,
          w.src.map((i, k) => [blkIds[i], w.ws[k]] as [number, number]),
        );
      };
    }
  }
  const out: Array<[number, number]> = [];
  let neurons = 0;
  let zId = -1;
  const constantZ = () => {
    if (zId < 0) zId = nb.add(Lind, constantOneBias(s) as number, []);
    return zId;
  };
  for (let q = 0; q < B; q++) {
    const rn = rows[q];
    if (rn.length === 0) continue;
    let copies = 0;
    for (const n of rn) copies = Math.max(copies, n.pattern.length);
    const G: number[] = [];
    for (let j = 0; j < copies; j++) {
      const gid = blockGate(q);
      if (gid === null) return null;
      G.push(gid);
    }
    for (const n of rn) {
      const edges: Array<[number, number]> = n.entries.map(([c, w]) => [I[c], w]);
      // offset kinds read the constant Z = one first (row-kinds.ts)
      if (n.kind.z !== undefined) edges.unshift([constantZ(), n.kind.z]);
      n.pattern.forEach((g, j) => {
        edges.push([G[j], g]);
      });
      out.push([nb.add(Lind + 1, n.kind.b, edges), n.kind.omega]);
      neurons++;
    }
  }
  if (out.length === 0) return null;
  nb.add(Lind + 2, 0, out);
  return {
    net: nb.build(),
    beta: 0,
    boxes: neurons,
    method: affine ? 'two-level-affine' : 'two-level-gadgets',
  };
}
