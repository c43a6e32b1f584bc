/**
 * Default digits and absorbed edges (docs/construction.md, "Two-level tables from clean ramps", "Default
 * digits and absorbed edges"). `defaultDigits` (below) states and proves the default digits; this header
 * the absorbed edges.
 *
 * Statement. Let n be a row neuron (edges: Z = one with weight z if any, then its entries (c, e_c) on
 * the column indicators, then its gate pattern on copies of its row gate; bias b), and for one of its
 * entries (c*, e*) let n′ drop that edge, read e_c − e* on the other entries, carry the bias b + e* and a
 * pattern p′ (p, or p with its first or last weight lowered by e*). If n′ outputs exactly what n
 * outputs at every input x of the table's domain (the indicators and gates computed from their
 * definitions at x), the network with n′ in place of n computes the same function.
 * Proof. Every other neuron is unchanged, and n′ equals n on every input, so every later neuron sees the
 * same values on every input. ∎ Why it can pass: inside the row at column c the accumulator holds
 * z + (e_c − e*) and then, gates 0, b + e* is added: z + e_c + b as before when no partial sum saturates;
 * at c* it holds z + b + e*, the old value; outside, the gate saturates the sum at max and the lowered
 * gate weight cancels the shifted bias. It saves one edge per neuron where it passes (checked, not
 * assumed; the network is verified on every input afterwards as always).
 */
import { neuron, type Setting } from '../engine/setting.js';
import type { RowNeuron } from './row-kinds.js';

/**
 * The inputs of a row neuron at one x: `ind(c)` the indicator of column c (0 or one), `gate` its row's
 * gate (0 inside the row, one outside).
 */
export interface RowInput {
  readonly ind: (c: number) => number;
  readonly gate: number;
}

const inRange = (s: Setting, v: number) => v >= s.min && v <= s.max;

function evalAll(
  s: Setting,
  z: number | undefined,
  entries: ReadonlyArray<readonly [number, number]>,
  pattern: readonly number[],
  b: number,
  xs: readonly RowInput[],
  want: Int32Array | null,
): Int32Array | null {
  const out = new Int32Array(xs.length);
  const ws: number[] = [];
  if (z !== undefined) ws.push(z);
  for (const [, e] of entries) ws.push(e);
  for (const p of pattern) ws.push(p);
  const hs = new Array<number>(ws.length);
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    let m = 0;
    if (z !== undefined) hs[m++] = s.one;
    for (const [c] of entries) hs[m++] = x.ind(c);
    for (let p = 0; p < pattern.length; p++) hs[m++] = x.gate;
    const h = neuron(s, ws, hs, b);
    if (want && h !== want[i]) return null;
    out[i] = h;
  }
  return out;
}

/** n with one entry edge absorbed into its bias (same output on every input of `xs`), or n itself. */
export function absorbEdge(s: Setting, n: RowNeuron, xs: readonly RowInput[]): RowNeuron {
  if (s.accumulation !== 'sequential' || n.entries.length === 0) return n;
  const z = n.kind.z;
  const orig = evalAll(s, z, n.entries, n.pattern, n.kind.b, xs, null) as Int32Array;
  for (let i = 0; i < n.entries.length; i++) {
    const eStar = n.entries[i][1];
    const b = n.kind.b + eStar;
    if (!inRange(s, b)) continue;
    const entries: Array<[number, number]> = [];
    let ok = true;
    for (let m = 0; m < n.entries.length && ok; m++) {
      if (m === i) continue;
      const w = n.entries[m][1] - eStar;
      if (!inRange(s, w) || w === 0) ok = false;
      else entries.push([n.entries[m][0], w]);
    }
    if (!ok) continue;
    const patterns: number[][] = [n.pattern];
    const L = n.pattern.length;
    if (L > 0) patterns.push(n.pattern.map((p, m) => (m === L - 1 ? p - eStar : p)));
    if (L > 1) patterns.push(n.pattern.map((p, m) => (m === 0 ? p - eStar : p)));
    for (const pattern of patterns) {
      if (!pattern.every((p) => inRange(s, p))) continue;
      if (evalAll(s, z, entries, pattern, b, xs, orig)) return { kind: { ...n.kind, b }, entries, pattern };
    }
  }
  return n;
}

/**
 * Default digits (docs: "Default digits and absorbed edges").
 * Statement. For a row g with neurons `rn` (digit rows), its columns `groupCols` (the column of every x
 * of the group) and entries `E`: pick a neuron A and one of its entry weights e*, δ the digit A makes at
 * e*; A′ carries the bias b + e* and e_c − e* on the columns it keeps (−e* where A had no edge: back at
 * its no-entry state), so where it has no edge it adds δ. Each column c takes (1) its old digits or (2)
 * δ from A′ and T_c − δ as one digit of another neuron (none where T_c = δ). If every changed neuron,
 * evaluated at every input x (`xs`, indicators and gate from their definitions), adds inside the group
 * exactly its term (its digit on x's column by its edge, δ for A′ without one, else 0) and outside
 * ω ⊗ h = 0, the network computes the table.
 * Proof. Outside the group the row adds nothing (checked). Inside, at column c: under (1) the old digit
 * terms, summed exactly by the Digit rows statement; under (2) exactly two nonzero terms δ and T_c − δ,
 * codes whose sum T_c is a code, so the output's partial sums are 0, a code, T_c in either order: no
 * rounding or saturation. Other rows are unchanged. ∎
 * Returns the row with the fewest entry edges found (a neuron left without edges is dropped, A′ kept),
 * or `rn`.
 */
export function defaultDigits(
  s: Setting,
  rn: readonly RowNeuron[],
  groupCols: readonly number[],
  E: ArrayLike<number>,
  xs: readonly RowInput[],
  colOf: (x: number) => number,
  inside: (x: number) => boolean,
): RowNeuron[] {
  if (s.accumulation !== 'sequential') return [...rn];
  const term = (n: RowNeuron, w: number | null, b: number, pattern: readonly number[], gate: number) => {
    const ws: number[] = [];
    const hs: number[] = [];
    if (n.kind.z !== undefined) {
      ws.push(n.kind.z);
      hs.push(s.one);
    }
    if (w !== null) {
      ws.push(w);
      hs.push(s.one);
    }
    for (const p of pattern) {
      ws.push(p);
      hs.push(gate);
    }
    return s.mul(n.kind.omega, neuron(s, ws, hs, b));
  };
  // the digit neuron n (its kind, bias and pattern as in the row) adds with an edge of weight w, inside
  const digitOf = (n: RowNeuron, w: number) => term(n, w, n.kind.b, [], 0);
  const edgeAt = rn.map((n) => new Map(n.entries));
  const oldEdges = rn.reduce((a, n) => a + n.entries.length, 0);
  let best: { edges: number; out: RowNeuron[]; a: number } | null = null;
  for (let a = 0; a < rn.length; a++) {
    const A = rn[a];
    const tried = new Set<number>();
    for (const [, eStar] of A.entries) {
      if (tried.has(eStar)) continue;
      tried.add(eStar);
      const b = A.kind.b + eStar;
      if (!inRange(s, b)) continue;
      const delta = digitOf(A, eStar);
      // per column: old digits (A′ edge unless its weight is e*) or δ plus one digit of another neuron
      const entries: Array<Array<[number, number]>> = rn.map(() => []);
      let edges = 0;
      let ok = true;
      for (const c of groupCols) {
        const T = E[c] ?? 0;
        const wa = edgeAt[a].get(c);
        const oldHere: Array<[number, number]> = [];
        rn.forEach((_n, i) => {
          const w = edgeAt[i].get(c);
          if (w !== undefined && i !== a) oldHere.push([i, w]);
        });
        const shifted = (wa ?? 0) - eStar;
        const opt1 = shifted === 0 ? oldHere.length : oldHere.length + 1;
        let opt2: [number, number] | null | undefined; // undefined: impossible; null: no edge needed
        const R = T - delta;
        if (R === 0) opt2 = null;
        else if (inRange(s, R)) {
          for (let i = 0; i < rn.length && opt2 === undefined; i++) {
            if (i === a) continue;
            const w = rn[i].kind.inv[R - s.min];
            if (!Number.isNaN(w)) opt2 = [i, w];
          }
        }
        const cost2 = opt2 === undefined ? Number.POSITIVE_INFINITY : opt2 === null ? 0 : 1;
        const opt1ok = shifted === 0 || inRange(s, shifted);
        if (!opt1ok && cost2 === Number.POSITIVE_INFINITY) {
          ok = false;
          break;
        }
        if (opt1ok && opt1 <= cost2) {
          edges += opt1;
          if (shifted !== 0) entries[a].push([c, shifted]);
          for (const [i, w] of oldHere) entries[i].push([c, w]);
        } else {
          edges += cost2;
          if (opt2) entries[opt2[0]].push([c, opt2[1]]);
        }
      }
      if (!ok || edges >= oldEdges || (best && edges >= best.edges)) continue;
      // check every changed neuron on every input: its term inside its row, killed outside
      const out: RowNeuron[] = [];
      for (let i = 0; i < rn.length && ok; i++) {
        const n = rn[i];
        const isA = i === a;
        const nb = isA ? b : n.kind.b;
        const want = (k: number): number => {
          // the term n must add at input k inside its row: by its edge on x's column, δ for A′ without one
          const c = colOf(k);
          const e = entries[i].find(([d]) => d === c);
          if (isA) return e ? term(A, e[1] + eStar, A.kind.b, [], 0) : delta;
          return e ? digitOf(n, e[1]) : 0;
        };
        const L = n.pattern.length;
        const pats: number[][] = [n.pattern];
        if (isA && L > 0) pats.push(n.pattern.map((p, m) => (m === L - 1 ? p - eStar : p)));
        if (isA && L > 1) pats.push(n.pattern.map((p, m) => (m === 0 ? p - eStar : p)));
        let found: number[] | null = null;
        for (const pattern of pats) {
          if (!pattern.every((p) => inRange(s, p))) continue;
          const cand: RowNeuron = { kind: { ...n.kind, b: nb }, entries: entries[i], pattern };
          let good = true;
          for (let k = 0; k < xs.length && good; k++) {
            const h = s.mul(n.kind.omega, evalOne(s, cand, xs[k]));
            if (h !== (inside(k) ? want(k) : 0)) good = false;
          }
          if (good) {
            found = pattern;
            break;
          }
        }
        if (!found) ok = false;
        else out.push({ kind: { ...n.kind, b: nb }, entries: entries[i], pattern: found });
      }
      if (ok) best = { edges, out, a };
    }
  }
  // A′ stays even without edges (it adds δ); a neuron left without edges adds nothing anywhere
  const keep = best;
  return keep ? keep.out.filter((n, i) => n.entries.length > 0 || i === keep.a) : [...rn];
}

/** One row neuron's σ_F output at one input (Z, entries, gate copies in order, then the bias). */
function evalOne(s: Setting, n: RowNeuron, x: RowInput): number {
  const ws: number[] = [];
  const hs: number[] = [];
  if (n.kind.z !== undefined) {
    ws.push(n.kind.z);
    hs.push(s.one);
  }
  for (const [c, e] of n.entries) {
    ws.push(e);
    hs.push(x.ind(c));
  }
  for (const p of n.pattern) {
    ws.push(p);
    hs.push(x.gate);
  }
  return neuron(s, ws, hs, n.kind.b);
}
