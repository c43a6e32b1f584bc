/**
 * Window neurons (docs/construction.md, "Two-level tables through gadgets", Indicators and gates): one
 * neuron σ_F(w1 ⊗ Y1 ⊕ w2 ⊗ Y2 ⊕ b) over one or two two-level steps (known levels) whose joint values
 * take only a few states (below, inside, above the window) and that must output given codes on each
 * state, e.g. one·[x = v] (an indicator) or one·[x ≠ v] (a gate). Found by search, each candidate
 * evaluated on every state with the setting's own neuron semantics: the window is then exact on every
 * input, since its inputs take no other joint values.
 */
import { candidateWeights } from '../engine/chain-solver.js';
import { neuron, preActivation, type Setting } from '../engine/setting.js';

export interface WindowNeuron {
  readonly ws: readonly number[];
  readonly b: number;
}

const memo = new WeakMap<Setting, Map<string, WindowNeuron | null>>();

/** Per setting: σ_F's preimages, value → every code p with σ_F(p) = value (one pass over 𝕀, built once). */
const preimages = new WeakMap<Setting, Map<number, number[]>>();

/** Codes p with σ_F(p) = y: up to 16, spread over the preimage. */
function preimage(s: Setting, y: number): number[] {
  let index = preimages.get(s);
  if (!index) {
    index = new Map();
    for (let p = s.min; p <= s.max; p++) {
      const v = s.sigma[p - s.min];
      if (Number.isNaN(v)) continue; // an overflow under `error`: no target's preimage
      const list = index.get(v);
      if (list) list.push(p);
      else index.set(v, [p]);
    }
    preimages.set(s, index);
  }
  const all = index.get(y) ?? [];
  if (all.length <= 16) return all;
  const out = new Set<number>();
  for (let k = 0; k < 16; k++) out.add(all[Math.floor((k * (all.length - 1)) / 15)]);
  return [...out];
}

/**
 * Weights and bias such that the neuron over inputs `states[k]` (each a vector of input levels) outputs
 * `targets[k]` for every k, or null. Memoised per setting.
 */
export function findWindow(
  s: Setting,
  states: ReadonlyArray<readonly number[]>,
  targets: readonly number[],
): WindowNeuron | null {
  let m = memo.get(s);
  if (!m) memo.set(s, (m = new Map()));
  const key = `${states.map((h) => h.join(',')).join(';')}>${targets.join(',')}`;
  const hit = m.get(key);
  if (hit !== undefined) return hit;
  const arity = states[0].length;
  const ws = candidateWeights(s);
  const pre = new Map<number, number[]>();
  const pres = (y: number) => {
    let p = pre.get(y);
    if (!p) pre.set(y, (p = preimage(s, y)));
    return p;
  };
  let found: WindowNeuron | null = null;
  const tryWeights = (w: number[]): boolean => {
    // biases that put some state exactly on a preimage of its target (bias 0 partial sums as anchor)
    for (let k = 0; k < states.length && !found; k++) {
      const partial = preActivation(s, w, states[k], 0);
      for (const p of pres(targets[k])) {
        const b = p - partial;
        if (b < s.min || b > s.max) continue;
        let ok = true;
        for (let j = 0; j < states.length && ok; j++) ok = neuron(s, w, states[j], b) === targets[j];
        if (ok) {
          found = { ws: w, b };
          return true;
        }
      }
    }
    return false;
  };
  if (arity === 1) {
    for (const w1 of ws) if (tryWeights([w1])) break;
  } else {
    outer: for (const w1 of ws) for (const w2 of ws) if (tryWeights([w1, w2])) break outer;
  }
  m.set(key, found);
  return found;
}
