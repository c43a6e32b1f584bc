/**
 * Absorbed edges (docs/construction.md, "Two-level tables from clean ramps", "Absorbed edges").
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
