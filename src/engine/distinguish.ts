import { candidateWeights } from './chain-solver.js';
import { type Setting, unary } from './setting.js';

/**
 * DIST (THEORY §5.1) by partition refinement: start with 𝕀 as one class and split every class by the
 * first-layer neuron x ↦ σ_F(w⊗x ⊕ b), for every w ∈ W (the gains ±1, powers of two and max first,
 * then the rest) and every bias b; stop as soon as all classes are singletons. Pairs left together
 * after every (w, b) are exactly the undistinguished pairs; the witness is the lexicographically first
 * (smallest x, then smallest y). An overflow under `error` counts as a distinct outcome.
 */
export function distinguish(s: Setting): { holds: boolean; witness: [number, number] | null } {
  const n = s.size;
  const cls = new Int32Array(n); // class id per value index
  let classes = 1;
  const first = candidateWeights(s);
  const rest = s.weights.filter((w) => !first.includes(w));
  const key = new Map<number, number>();
  for (const w of [...first, ...rest]) {
    for (let b = s.min; b <= s.max && classes < n; b++) {
      // split each class by the neuron's value: new id per (old class, value)
      key.clear();
      let next = 0;
      const fresh = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const v = unary(s, w, s.min + i, b);
        const k = cls[i] * (n + 1) + (Number.isNaN(v) ? n : v - s.min);
        let id = key.get(k);
        if (id === undefined) key.set(k, (id = next++));
        fresh[i] = id;
      }
      if (next > classes) {
        cls.set(fresh);
        classes = next;
      }
    }
    if (classes === n) return { holds: true, witness: null };
  }
  // the lexicographically first undistinguished pair: the smallest x with a partner, then its smallest partner
  const size = new Map<number, number>();
  for (let i = 0; i < n; i++) size.set(cls[i], (size.get(cls[i]) ?? 0) + 1);
  for (let i = 0; i < n; i++) {
    if ((size.get(cls[i]) ?? 0) < 2) continue;
    for (let j = i + 1; j < n; j++)
      if (cls[j] === cls[i]) return { holds: false, witness: [s.min + i, s.min + j] };
  }
  return { holds: true, witness: null };
}
