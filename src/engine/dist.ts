import { type BiasRows, biasRows } from './bias-rows.js';
import { distinctUnitRows } from './distinct-unit-rows.js';
import type { Setting } from './setting.js';

/** How much work a DIST check did. */
export interface DistStats {
  /** Refinement passes (each splits the partition of 𝕀 by one weight and every valid bias at once). */
  readonly passes: number;
  /** Weights examined while looking for a weight that separates a pair. */
  readonly weightsTried: number;
  /** Classes of the final partition (|𝕀| when DIST holds; when it fails, of the partition at the stop). */
  readonly classes: number;
  readonly millis: number;
}

/** A unary first-layer neuron x ↦ σ_F(w⊗x ⊕ b), codes. */
export interface UnaryNeuron {
  readonly w: number;
  readonly b: number;
}

export interface DistResult {
  /** DIST (THEORY §5.1): every pair x ≠ y is separated by some valid unary neuron. */
  readonly holds: boolean;
  /**
   * The first undistinguished pair [x, y] (codes, x < y) in lexicographic order of (x, y): the least x
   * that some other value cannot be told apart from, and the least such y. Null when DIST holds.
   */
  readonly witness: readonly [number, number] | null;
  readonly stats: DistStats;
}

/**
 * Weights in the order they are tried: ±1 first (one pass with w = 1 and every bias separates all of 𝕀
 * for most σ), then by decreasing magnitude.
 */
export function weightOrder(s: Setting): number[] {
  const first = [s.one, -s.one].filter((w) => s.weights.includes(w));
  const rest = s.weights.filter((w) => !first.includes(w) && w !== 0);
  rest.sort((a, b) => Math.abs(b) - Math.abs(a) || b - a);
  return [...first, ...rest];
}

/** The weight w (and a bias b) of a valid unary neuron separating x and y, or null when none does. */
export function separatingNeuron(s: Setting, x: number, y: number, rows = biasRows(s)): UnaryNeuron | null {
  for (const w of weightOrder(s)) {
    const b = separatingBias(rows, w, x, y);
    if (b !== null) return { w, b };
  }
  return null;
}

/** A bias b of a neuron (w, b) valid on every input with σ_F(w⊗x ⊕ b) ≠ σ_F(w⊗y ⊕ b), or null. */
export function separatingBias(rows: BiasRows, w: number, x: number, y: number): number | null {
  const p = rows.offset(w, x);
  const q = rows.offset(w, y);
  if (p === q || Number.isNaN(p) || Number.isNaN(q)) return null;
  for (const [lo, hi] of rows.validBiases(w)) {
    if (rows.same(p, q, lo, hi)) continue;
    const min = rows.setting.min;
    for (let b = lo; b <= hi; b++) if (rows.symbols[p + b - min] !== rows.symbols[q + b - min]) return b;
  }
  return null;
}

/**
 * Decides DIST (THEORY §5.1) on a setting by partition refinement (docs/theory.md, "Deciding DIST").
 * Start with 𝕀 as one class. Repeatedly take the class with the least smallest member x that has
 * another member, and y its second smallest member; find a weight w such that some valid bias
 * separates x and y; then split every class by the whole bias row of w (all biases at once, in
 * O(|𝕀|) with the ranks of `biasRows`). If no weight separates x and y, then (x, y) is the
 * lexicographically first undistinguished pair: every smaller x' sits in a singleton class already,
 * and no value between x and y shares x's class. When every class is a singleton, DIST holds.
 *
 * Under overflow `error` a neuron counts only if it is valid on every input (a network with a neuron
 * that overflows on some input computes no function). Time O(|𝕀| log |𝕀|) plus O(|𝕀|) per pass and
 * O(|W|) per pair examined; Q7.8 with GELU: one pass.
 */
export function checkDist(s: Setting): DistResult {
  const start = performance.now();
  // the rows of weight 1 pairwise different: what the first pass (weight 1 first) finds, in O(|𝕀|)
  if (distinctUnitRows(s))
    return {
      holds: true,
      witness: null,
      stats: { passes: 1, weightsTried: 1, classes: s.size, millis: performance.now() - start },
    };
  const rows = biasRows(s);
  const { min, size: N } = s;
  const order = weightOrder(s);
  // the partition: cls[i] is the least index of i's class (so ids are unique without renumbering); only the
  // members of classes with at least two members (`active`, increasing) can still be split, so every pass
  // works on them alone: a singleton class stays one (the passes of sigmoid on UQ4.11 under error, 858 of
  // them, each over all 32,768 values, took 27 s; docs/theory.md §3.4)
  const cls = new Int32Array(N);
  let active = new Int32Array(N >= 2 ? N : 0);
  for (let i = 0; i < active.length; i++) active[i] = i;
  let singles = 0;
  const size = new Int32Array(N);
  const dead = new Uint8Array(N);
  let passes = 0;
  let weightsTried = 0;
  const classesNow = () => {
    let k = 0;
    for (let j = 0; j < active.length; j++) if (cls[active[j]] === active[j]) k++;
    return singles + k;
  };
  const done = (witness: readonly [number, number] | null): DistResult => ({
    holds: witness === null,
    witness,
    stats: { passes, weightsTried, classes: classesNow(), millis: performance.now() - start },
  });
  for (;;) {
    if (active.length === 0) return done(null);
    // x: the least value in a class with another member; y: the next member of its class
    const xi = active[0];
    let j = 1;
    while (cls[active[j]] !== xi) j++;
    const yi = active[j];
    const x = xi + min;
    const y = yi + min;
    let found: number | null = null;
    for (const w of order) {
      if (dead[w - min] === 1) continue;
      weightsTried++;
      // a weight without a valid bias separates no pair: skipped in every later pass (exact: validity does
      // not depend on the pair; under error the weights above 1 overflow at max on unsigned formats)
      if (rows.validBiases(w).length === 0) {
        dead[w - min] = 1;
        continue;
      }
      if (separatingBias(rows, w, x, y) !== null) {
        found = w;
        break;
      }
    }
    if (found === null) return done([x, y]);
    passes++;
    splitActive(rows, found, cls, active);
    for (let k = 0; k < active.length; k++) size[cls[active[k]]] = 0;
    for (let k = 0; k < active.length; k++) size[cls[active[k]]]++;
    let n = 0;
    for (let k = 0; k < active.length; k++) if (size[cls[active[k]]] >= 2) n++;
    const next = new Int32Array(n);
    n = 0;
    for (let k = 0; k < active.length; k++) {
      const i = active[k];
      if (size[cls[i]] >= 2) next[n++] = i;
    }
    singles += active.length - n;
    active = next;
  }
}

/**
 * Splits the classes of the members listed in `active` (increasing) by the bias rows of w on every valid
 * bias at once; each new class is named by its least member, so the other classes keep their names.
 */
function splitActive(rows: BiasRows, w: number, cls: Int32Array, active: Int32Array): void {
  const { min } = rows.setting;
  const offsets = new Float64Array(active.length);
  for (let k = 0; k < active.length; k++) offsets[k] = rows.offset(w, active[k] + min);
  for (const [lo, hi] of rows.validBiases(w)) {
    // (old class, row on lo … hi) → the least member of the new class
    const next = new Map<number, Map<number, number>>();
    for (let k = 0; k < active.length; k++) {
      const i = active[k];
      const r = rows.rowId(offsets[k], lo, hi);
      let byRow = next.get(cls[i]);
      if (byRow === undefined) next.set(cls[i], (byRow = new Map()));
      let c = byRow.get(r);
      if (c === undefined) byRow.set(r, (c = i));
      cls[i] = c;
    }
  }
}

/**
 * Splits every class of a partition of 𝕀 (`cls[i]` = class of code min + i) by the bias rows of w on
 * every valid bias at once; renumbers the classes 0 … k−1 and returns k.
 */
export function splitByWeight(rows: BiasRows, w: number, cls: Int32Array): number {
  const { min, size: N } = rows.setting;
  const offsets = new Float64Array(N);
  for (let i = 0; i < N; i++) offsets[i] = rows.offset(w, i + min);
  let classes = new Set(cls).size;
  for (const [lo, hi] of rows.validBiases(w)) {
    const ids = new Map<number, number>();
    const next = new Map<number, number>();
    for (let i = 0; i < N; i++) {
      const r = rows.rowId(offsets[i], lo, hi);
      let id = ids.get(r);
      if (id === undefined) ids.set(r, (id = ids.size));
      const key = cls[i] * N + id;
      let c = next.get(key);
      if (c === undefined) next.set(key, (c = next.size));
      cls[i] = c;
    }
    classes = next.size;
  }
  return classes;
}

/** Splits every class of a partition of 𝕀 by the values of a function on 𝕀 (`values[i]` at code min + i). */
export function splitByValues(values: ArrayLike<number>, cls: Int32Array): number {
  const N = cls.length;
  const next = new Map<number, number>();
  for (let i = 0; i < N; i++) {
    const key = cls[i] * 2 ** 21 + (values[i] + 2 ** 20);
    let c = next.get(key);
    if (c === undefined) next.set(key, (c = next.size));
    cls[i] = c;
  }
  return next.size;
}
