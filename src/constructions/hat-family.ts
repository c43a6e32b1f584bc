/**
 * One-hot indicators (or gates) of the values of a source on shared ramps (relu; proof: docs/construction.md,
 * "Two-level tables under wrap", Hats and Steps). Let a source z ≥ 0 take only the values
 * v_0 < v_1 < … < v_{m−1} (codes, ≤ max), and r_i = relu(one ⊗ z ⊕ (−v_i)) (i ≤ m − 2; (v_k − v_i)⁺ at v_k).
 * Hats (under wrap): with a_k = one²/(v_k − v_{k−1}) and c_k = one²/(v_{k+1} − v_k),
 * H_k = relu(a_k·r_{k−1} − (a_k + c_k)·r_k + c_k·r_{k+1}) (missing ramps left out; H_0 = relu(one − c_0·r_0
 * + c_0·r_1)) is one·[z = v_k] at every v_j: the sum is a tent in z, one at v_k and 0 at every other v_j.
 * When every product w·r is a multiple of one, the Lemma "wrap arithmetic" makes the pre-activation that
 * sum exactly, whatever the partial sums. Under saturation a long ramp times a_k saturates, so there
 * steps Y_i = relu(min ⊗ r_{i−1} ⊕ one) = one·[z < v_i] and windows Y_{k+1} − Y_k are used instead (the
 * two-level steps, with the spacing making min ⊗ r ≤ −one). A gate is one − indicator. Every output is
 * evaluated at all m positions with `neuron` before a recipe is accepted.
 */
import { neuron, type Setting, unary } from '../engine/setting.js';
import type { NetBuilder } from './net-builder.js';

/**
 * The ramps (biases) and, per target position, the output neuron's bias and edges [index, weight]: for
 * `hats` the edges read the ramps (depth 2), for `steps` the steps Y_i = relu(min ⊗ r_{i−1} ⊕ one)
 * = one·[z < v_i] of the ramps (depth 3; index i − 1 is Y_i).
 */
export interface HatRecipe {
  readonly kind: 'hats' | 'steps';
  readonly vals: readonly number[];
  readonly ramps: readonly number[];
  readonly hats: ReadonlyArray<{ bias: number; edges: ReadonlyArray<readonly [number, number]> }>;
  /** Parameters of the ramps, steps and outputs (the source and its delays not included). */
  readonly cost: number;
  /** Layers from the ramps to the outputs. */
  readonly depth: number;
}

/** True when the values are increasing codes in [0, max] (the positions both recipes read). */
function increasingCodes(s: Setting, vals: readonly number[]): boolean {
  for (let i = 0; i < vals.length; i++)
    if (!(vals[i] >= 0 && vals[i] <= s.max) || (i > 0 && vals[i] <= vals[i - 1])) return false;
  return true;
}

/**
 * The hats of the positions `targets` (indices into `vals`, increasing values ≥ 0) as indicators, or with
 * `gate` as gates one − indicator; null when a weight is not a code or a hat is wrong at some position.
 */
export function hatRecipe(
  s: Setting,
  vals: readonly number[],
  targets: readonly number[],
  gate: boolean,
): HatRecipe | null {
  const m = vals.length;
  if (m < 2) return null;
  if (!increasingCodes(s, vals)) return null;
  const one = s.one;
  const ramps = vals.slice(0, m - 1).map((v) => -v);
  // the ramp values at every position, from the setting's own neuron
  const R: number[][] = vals.map((v) => ramps.map((b) => unary(s, one, v, b)));
  const weight = (gap: number): number | null => {
    const w = (one * one) / gap;
    return Number.isInteger(w) && w >= 1 && w <= s.max ? w : null;
  };
  const hats: Array<{ bias: number; edges: Array<[number, number]> }> = [];
  let cost = 2 * ramps.length;
  for (const k of targets) {
    const terms = new Map<number, number>();
    let bias = 0;
    const addTerm = (i: number, w: number) => {
      if (i <= m - 2) terms.set(i, (terms.get(i) ?? 0) + w);
    };
    if (k === 0) {
      const c = weight(vals[1] - vals[0]);
      if (c === null) return null;
      bias = one;
      addTerm(0, -c);
      addTerm(1, c);
    } else {
      const a = weight(vals[k] - vals[k - 1]);
      if (a === null) return null;
      addTerm(k - 1, a);
      if (k + 1 < m) {
        const c = weight(vals[k + 1] - vals[k]);
        if (c === null) return null;
        addTerm(k, -(a + c));
        addTerm(k + 1, c);
      }
    }
    const hat = checkedHat(
      s,
      [...terms].filter(([, w]) => w !== 0),
      bias,
      gate,
      k,
      R,
    );
    if (!hat) return null;
    hats.push(hat);
    cost += hat.edges.length + 1;
  }
  return { kind: 'hats', vals, ramps, hats, cost, depth: 2 };
}

/**
 * Under saturation (docs/construction.md, "Two-level tables under wrap", Steps): the ramps as above,
 * steps Y_i = relu(min ⊗ r_{i−1} ⊕ one) = one·[z < v_i] (1 ≤ i < m: r_{i−1} is 0 below v_i and at least
 * v_i − v_{i−1} from v_i on), and per target I_k = Y_{k+1} − Y_k (Y_0 = 0, Y_m = one), or the gate
 * one − I_k: every product is ±one ⊗ {0, one}, exact, and every partial sum lies in [−one, 2·one].
 * Checked at every position with the setting's own neurons; null when a step or window fails.
 */
export function stepRecipe(
  s: Setting,
  vals: readonly number[],
  targets: readonly number[],
  gate: boolean,
): HatRecipe | null {
  const m = vals.length;
  if (m < 2 || 2 * s.one > s.max || -s.one < s.min) return null;
  if (!increasingCodes(s, vals)) return null;
  const one = s.one;
  const ramps = vals.slice(0, m - 1).map((v) => -v);
  // Y[j][i − 1] = Y_i at position j
  const Y: number[][] = vals.map((v) => ramps.map((b) => unary(s, s.min, unary(s, one, v, b), one)));
  for (let j = 0; j < m; j++) for (let i = 1; i < m; i++) if (Y[j][i - 1] !== (j < i ? one : 0)) return null;
  const hats: Array<{ bias: number; edges: Array<[number, number]> }> = [];
  let cost = 4 * ramps.length;
  for (const k of targets) {
    const edges: Array<[number, number]> = [];
    let bias = 0;
    if (k + 1 < m) edges.push([k, one]);
    else bias = one;
    if (k > 0) edges.push([k - 1, -one]);
    const hat = checkedHat(s, edges, bias, gate, k, Y);
    if (!hat) return null;
    hats.push(hat);
    cost += hat.edges.length + 1;
  }
  return { kind: 'steps', vals, ramps, hats, cost, depth: 3 };
}

/**
 * The window neuron of target k on the shared signals (`at[j]`: their values at position j): as given, or
 * as its gate one − I_k (weights negated, bias one − b); its weights in 𝕀 and its value checked at every
 * position with the setting's own neuron (one at k, 0 elsewhere, or the reverse for a gate). Null when
 * either fails.
 */
function checkedHat(
  s: Setting,
  edges: Array<[number, number]>,
  bias: number,
  gate: boolean,
  k: number,
  at: readonly (readonly number[])[],
): { bias: number; edges: Array<[number, number]> } | null {
  const es: Array<[number, number]> = gate ? edges.map(([i, w]) => [i, -w]) : edges;
  const b = gate ? s.one - bias : bias;
  for (const [, w] of es) if (w < s.min || w > s.max) return null;
  const ws = es.map((e) => e[1]);
  for (let j = 0; j < at.length; j++) {
    const want = (j === k) !== gate ? s.one : 0;
    if (
      neuron(
        s,
        ws,
        es.map(([i]) => at[j][i]),
        b,
      ) !== want
    )
      return null;
  }
  return { bias: b, edges: es };
}

/**
 * The ramps at `layer` on `source` (carried there by delays), the steps at layer + 1 for `steps`, and the
 * outputs at layer + depth − 1 (node ids, in target order).
 */
export function buildHats(
  nb: NetBuilder,
  source: number,
  layer: number,
  recipe: HatRecipe,
  s: Pick<Setting, 'one' | 'min'>,
): number[] {
  const src = nb.at(source, layer - 1);
  let r = recipe.ramps.map((b) => nb.add(layer, b, [[src, s.one]]));
  if (recipe.kind === 'steps') r = r.map((id) => nb.add(layer + 1, s.one, [[id, s.min]]));
  return recipe.hats.map((h) =>
    nb.add(
      layer + recipe.depth - 1,
      h.bias,
      h.edges.map(([i, w]) => [r[i], w] as [number, number]),
    ),
  );
}
