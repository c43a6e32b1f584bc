/**
 * Contraction rest chains (docs/theory.md §9.7, "Contraction rest chains"): a chain of unary neurons
 * h ↦ σ_F(w⊗h ⊕ b) mapping one span of values `off` to ι and another, disjoint one `on` to a, found
 * greedily one step at a time. Where σ_F has slope below 1 and no wide plateau (softplus on Q0.15: slope
 * 0.27–0.63, plateaus of at most four codes) and the overflow cannot saturate (`error`), no short chain
 * collapses a side of a split (the beam search of §9.3 stops at depth 3), but every step with |w| ≤ 1
 * placed low on σ_F shrinks both spans by σ_F's slope while a bias putting the gap between them on a step
 * of σ_F (σ_F(p − 1) < σ_F(p)) keeps them apart; after a few steps both are single values, and the last
 * step puts them on ι and a.
 *
 * Statement (nothing new to prove): each step is chosen from its exact interval images (docs/theory.md
 * §9.1: the pre-activation is monotone in h and valid at both ends of a span, so on all of it), the images
 * of the two spans stay disjoint, and the chain is returned only when the images of `off` and `on` are
 * {ι} and {a}. So the chain maps every value of `off` to ι and of `on` to a, every neuron valid. The
 * certificates that use it prove every threshold again with its head on all of 𝕀 (`idleThresholdProved`).
 */
import type { Budget } from './budget.js';
import type { Step } from './chain-solver.js';
import type { SigmaRanges, Span } from './interval-chain.js';

/** Most steps of a contraction chain. */
export const MAX_CONTRACTION_STEPS = 24;

/**
 * The weights a contraction step tries: ±1 and ±(1 − ε) (exact or near-identity on codes), ±½ (a halving,
 * when the spans are too wide to fit in σ_F's valid codes at slope 1), each when it is a weight of W.
 */
export function contractionWeights(r: SigmaRanges): number[] {
  const s = r.setting;
  const one = s.one;
  const out: number[] = [];
  for (const w of [one, -one, one - 1, -(one - 1), one / 2, -one / 2])
    if (Number.isInteger(w) && w !== 0 && s.weights.includes(w) && !out.includes(w)) out.push(w);
  return out;
}

/**
 * One greedy step: over the weights of `contractionWeights` and every bias b ∈ 𝕀, the step whose images of
 * the two spans are disjoint and, first, equal to ({ι}, {a}), else the narrowest (sum of the two widths,
 * then the smaller bias); null when no step keeps them apart. O(|W₀|·|𝕀|) range queries.
 */
function contractionStep(
  r: SigmaRanges,
  off: Span,
  on: Span,
  idle: number,
  a: number,
  weights: readonly number[],
): { step: Step; off: Span; on: Span } | null {
  const s = r.setting;
  let best: { step: Step; off: Span; on: Span; score: number } | null = null;
  for (const w of weights) {
    const ends = [s.mul(w, off[0]), s.mul(w, off[1]), s.mul(w, on[0]), s.mul(w, on[1])];
    if (!ends.every((v) => v >= s.min)) continue;
    const [o0, o1] = ends[0] <= ends[1] ? [ends[0], ends[1]] : [ends[1], ends[0]];
    const [n0, n1] = ends[2] <= ends[3] ? [ends[2], ends[3]] : [ends[3], ends[2]];
    const lo = Math.min(o0, n0);
    const hi = Math.max(o1, n1);
    // every bias keeping both sums in range: one integer addition each (any order), monotone in b
    for (let b = Math.max(s.min, s.min - lo); b <= Math.min(s.max, s.max - hi); b++) {
      const p0 = s.add(o0, b);
      const p1 = s.add(o1, b);
      const q0 = s.add(n0, b);
      const q1 = s.add(n1, b);
      if (!(p0 >= s.min && p1 >= s.min && q0 >= s.min && q1 >= s.min)) continue;
      if (!r.valid(p0, p1) || !r.valid(q0, q1)) continue;
      const f0 = r.least(p0, p1);
      const f1 = r.greatest(p0, p1);
      const g0 = r.least(q0, q1);
      const g1 = r.greatest(q0, q1);
      if (!(f1 < g0 || g1 < f0)) continue;
      const done = f0 === idle && f1 === idle && g0 === a && g1 === a;
      const score = done ? -1 : f1 - f0 + (g1 - g0);
      if (!best || score < best.score) {
        best = { step: [w, b], off: [f0, f1], on: [g0, g1], score };
        if (done) return best;
      }
    }
  }
  return best;
}

/**
 * A contraction chain sending every value of `off` to ι and of `on` to a (disjoint spans of values), or
 * null: greedy steps (`contractionStep`) until the images are ({ι}, {a}), at most `maxSteps`. Each step is
 * charged |W₀|·|𝕀| to the budget.
 */
export function contractionChain(
  r: SigmaRanges,
  off: Span,
  on: Span,
  idle: number,
  a: number,
  budget?: Budget,
  maxSteps = MAX_CONTRACTION_STEPS,
): Step[] | null {
  const weights = contractionWeights(r);
  const steps: Step[] = [];
  let x = off;
  let y = on;
  for (let k = 0; k < maxSteps; k++) {
    budget?.spend(weights.length * r.setting.size, 'the contraction chain search');
    const next = contractionStep(r, x, y, idle, a, weights);
    if (!next) return null;
    steps.push(next.step);
    x = next.off;
    y = next.on;
    if (x[0] === idle && x[1] === idle && y[0] === a && y[1] === a) return steps;
    // no progress in width: the greedy step would cycle
    if (k > 2 && x[1] - x[0] + (y[1] - y[0]) > 0 && steps.length >= maxSteps) return null;
  }
  return null;
}
