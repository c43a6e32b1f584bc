import type { Budget } from './budget.js';
import type { Step } from './chain-solver.js';
import { type SigmaRanges, solveIntervalChain } from './interval-chain.js';
import type { Setting } from './setting.js';

/** Which side of a split a rest chain sends to e: `upper` the pre-activations ≥ split, `lower` those ≤ split. */
export type RestKind = 'upper' | 'lower';

/**
 * The rest chains of threshold families (docs/theory.md §9.3): for a split s, the `upper` rest chain
 * sends every σ_F value of a pre-activation ≥ s to e and of one ≤ s − 1 to 0 (`lower`: ≤ s to e, ≥ s + 1
 * to 0), found by the interval-image solver (each chain proved by interval images, §9.1). A threshold
 * x ≥ t then needs only a first step putting t on a split. Returns the memoised lookup by (kind, index into
 * `splits`): null when there is none (or the split is an end of 𝕀). `splits` is read at lookup time, so
 * the caller may fill it after this call; `knownNone(kind, i)` is true when that chain was sought and
 * there is none (a cheap skip before setting up a first step).
 */
export function restChains(
  s: Setting,
  r: SigmaRanges,
  splits: readonly number[],
  e: number,
  deep: number,
  budget?: Budget,
): { rest(kind: RestKind, i: number): Step[] | null; knownNone(kind: RestKind, i: number): boolean } {
  const rests: Record<RestKind, Array<Step[] | null | undefined>> = { upper: [], lower: [] };
  const rest = (kind: RestKind, i: number): Step[] | null => {
    const known = rests[kind][i];
    if (known !== undefined) return known;
    const split = splits[i];
    let chain: Step[] | null = null;
    if (split > s.min && split < s.max) {
      const hiSpan = r.range(kind === 'upper' ? split : split + 1, s.max);
      const loSpan = r.range(s.min, kind === 'upper' ? split - 1 : split);
      if (hiSpan && loSpan) {
        const [oneSpan, zeroSpan] = kind === 'upper' ? [hiSpan, loSpan] : [loSpan, hiSpan];
        chain = solveIntervalChain(s, zeroSpan, oneSpan, 0, e, {
          minDepth: 0,
          maxDepth: deep,
          beam: 6,
          budget,
        });
      }
    }
    rests[kind][i] = chain;
    return chain;
  };
  return { rest, knownNone: (kind, i) => rests[kind][i] === null };
}

/**
 * True when the σ_F ranges of the pre-activations below `split` and from `split` on are disjoint: only
 * then can a rest chain pull the two sides apart (interval images only shrink, docs/theory.md §9.3).
 */
export function splitDisjoint(s: Setting, r: SigmaRanges, split: number): boolean {
  const lo = r.range(s.min, split - 1);
  const hi = r.range(split, s.max);
  return lo !== null && hi !== null && (lo[1] < hi[0] || hi[1] < lo[0]);
}
