/**
 * Threshold chains of one depth class (docs/theory.md §11.5). A chain certificate pads every threshold chain
 * to one depth with copies of its delay P (§9.2): a chain of length L pads to the pair depth D when
 * D − L is a multiple of |P| (and an end chain to D plus the AND's depth). When σ_F has no one-step delay
 * (relu on `Q0.15` with floor rounding: w⊗ε ≤ 0 for every weight w < 1, so no neuron keeps ε and 0; the
 * shortest delay has two steps) and the families found chains of lengths 2 and 3, half of them cannot be
 * padded. Here such a chain [head, ...rest] keeps its head and gets another rest of a length that pads:
 * a chain solved on the head's two images (§9.1) with exactly that many steps; failing that (the end
 * chains, which pad to the detectors' depth), a whole chain of a fitting length solved on its two sides. Nothing new is trusted:
 * each replaced chain is proved on its two intervals by interval images here, and `verifyChainCertificate`
 * proves every chain (and its padding) again.
 */
import type { Budget } from './budget.js';
import type { Step } from './chain-solver.js';
import {
  headChainProves,
  type SigmaRanges,
  type Span,
  solveIntervalChain,
  stepImage,
} from './interval-chain.js';
import type { Setting } from './setting.js';
import { pads, type ThresholdTables } from './threshold-tables.js';

/** Deepest rest chain solved for a replacement. */
const MAX_REST = 4;
/** Deepest whole chain solved when no rest fits. */
const MAX_DIRECT = 6;

/**
 * The tables with every chain that does not pad (with a `delay`-step delay and an AND of `andDepth` layers)
 * given a rest that does, or a reason naming the first chain that cannot be mended.
 */
export function padThresholdTables(
  s: Setting,
  r: SigmaRanges,
  e: number,
  tables: ThresholdTables,
  delay: number,
  andDepth: number,
  budget?: Budget,
): ThresholdTables | string {
  let pair = 0;
  for (const table of [tables.ge, tables.le]) for (const c of table) if (c) pair = Math.max(pair, c.length);
  const detector = pair + andDepth;
  const isEnd = (dir: 'ge' | 'le', t: number) =>
    (dir === 'le' && t === s.min) || (dir === 'ge' && t === s.max);
  const fits = (dir: 'ge' | 'le', t: number, length: number) =>
    pads(length, delay, isEnd(dir, t) ? detector : pair);
  const proves = (dir: 'ge' | 'le', t: number, head: Step, rest: readonly Step[]) =>
    dir === 'ge'
      ? headChainProves(r, head, rest, t, s.max, e) && headChainProves(r, head, rest, s.min, t - 1, 0)
      : headChainProves(r, head, rest, s.min, t, e) && headChainProves(r, head, rest, t + 1, s.max, 0);
  // rests that replaced a rest before, by the replaced rest (one family shares one rest)
  const mended = new Map<string, Step[][]>();
  const out: ThresholdTables = { ge: [...tables.ge], le: [...tables.le] };
  let solves = 0;
  for (const dir of ['ge', 'le'] as const) {
    const table = dir === 'ge' ? out.ge : out.le;
    for (let i = 0; i < table.length; i++) {
      const chain = table[i];
      const t = s.min + i;
      if (!chain || fits(dir, t, chain.length)) continue;
      if (i % 1024 === 0) budget?.spend(1024, 'the threshold padding');
      const [head, ...rest] = chain;
      const inside: Span = dir === 'ge' ? [t, s.max] : [s.min, t];
      const outside: Span = dir === 'ge' ? [s.min, t - 1] : [t + 1, s.max];
      const target = isEnd(dir, t) ? detector : pair;
      const key = JSON.stringify(rest);
      const known = mended.get(key) ?? [];
      let found = known.find((alt) => fits(dir, t, alt.length + 1) && proves(dir, t, head, alt));
      if (!found) {
        if (++solves > 64)
          return `threshold chains cannot be padded to depth ${pair} (more than 64 rests to solve)`;
        const one = stepImage(r, head[0], head[1], inside[0], inside[1]);
        const zero = stepImage(r, head[0], head[1], outside[0], outside[1]);
        for (let k = target - 1; !found && k >= 0 && one && zero; k -= delay) {
          // no longer than the pair depth: a longer end chain would raise it (the depth is the longest chain)
          if (k > MAX_REST || k === rest.length || k + 1 > pair) continue;
          const alt = solveIntervalChain(s, zero, one, 0, e, { minDepth: k, maxDepth: k, beam: 8, budget });
          if (alt && alt.length === k && proves(dir, t, head, alt)) found = alt;
        }
        if (found) {
          known.push(found);
          mended.set(key, known);
        } else {
          // no rest of a fitting length after this head: a whole chain of a fitting length (the ends)
          let whole: Step[] | null = null;
          for (let k = target; !whole && k >= 1; k -= delay) {
            if (k > MAX_DIRECT || k === chain.length || k > pair) continue;
            const alt = solveIntervalChain(s, outside, inside, 0, e, {
              minDepth: k,
              maxDepth: k,
              beam: 8,
              budget,
            });
            if (alt && alt.length === k && proves(dir, t, alt[0], alt.slice(1))) whole = alt;
          }
          if (!whole) return `threshold chain for x ${dir === 'ge' ? '≥' : '≤'} code ${t} cannot be padded`;
          table[i] = whole;
          continue;
        }
      }
      table[i] = [head, ...found];
    }
  }
  return out;
}
