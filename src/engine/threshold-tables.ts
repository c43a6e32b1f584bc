/**
 * Threshold tables for chain certificates (docs/theory.md §9.2–§9.3, §9.7, §11.2): one chain per
 * threshold x ≥ t and x ≤ t, found in the order that fails fastest (the thresholds next to the ends first,
 * then every t), and the padding of a chain to a common depth with copies of a delay chain.
 */
import type { Budget } from './budget.js';
import type { Step } from './chain-solver.js';
import type { Span } from './interval-chain.js';
import type { Setting } from './setting.js';

/** The chains of x ≥ t (`ge`) and x ≤ t (`le`), indexed by t − min. */
export interface ThresholdTables {
  readonly ge: (Step[] | null)[];
  readonly le: (Step[] | null)[];
}

/** Most thresholds one table search serves by a direct search (the rest must come from families). */
export const MAX_DIRECT = 64;

/** The four end thresholds, searched first (the hardest: x ≤ min, x ≥ min + ε, x ≥ max, x ≤ max − ε). */
function endThresholds(s: Setting): Array<['ge' | 'le', number]> {
  return [
    ['le', s.min],
    ['ge', s.min + 1],
    ['ge', s.max],
    ['le', s.max - 1],
  ];
}

/**
 * Fills both tables for every threshold (x ≥ min and x ≤ max are not thresholds): `family(dir, t)` (a
 * family's chain, cheap) or else `direct(dir, t)` (a direct interval search, costly), at most MAX_DIRECT
 * of them. Thresholds go in the order that fails fastest: the four next to the ends first (a direct
 * search there right away), then every t by families, and only when at most MAX_DIRECT thresholds are
 * left without a family chain, their direct searches in that order (docs/theory.md §9.6: the tables are
 * the ones a direct search right after each family miss gives; a failure is found without running the
 * direct searches when more than MAX_DIRECT would be needed). The error names `what` (charged to the
 * budget) and starts with `prefix`.
 */
export function fillThresholdTablesByFamilies(
  s: Setting,
  family: (dir: 'ge' | 'le', t: number) => Step[] | null,
  direct: (dir: 'ge' | 'le', t: number) => Step[] | null,
  budget: Budget | undefined,
  what = 'the threshold search',
  prefix = '',
): ThresholdTables | string {
  const ge: (Step[] | null)[] = new Array(s.size).fill(null);
  const le: (Step[] | null)[] = new Array(s.size).fill(null);
  const ends = endThresholds(s);
  const missing = (dir: 'ge' | 'le', t: number) =>
    `${prefix}no threshold chain for x ${dir === 'ge' ? '≥' : '≤'} code ${t}`;
  const tooMany = `${prefix}more than ${MAX_DIRECT} thresholds need a direct search`;
  let directs = 0;
  for (const [dir, t] of ends) {
    const table = dir === 'ge' ? ge : le;
    if (table[t - s.min]) continue;
    let steps = family(dir, t);
    if (!steps) {
      directs++;
      steps = direct(dir, t);
    }
    if (!steps) return missing(dir, t);
    table[t - s.min] = steps;
  }
  // every other threshold by families; those without one wait for their direct search
  const later: Array<['ge' | 'le', number]> = [];
  let visited = 0;
  for (let t = s.min; t <= s.max; t++)
    for (const dir of ['ge', 'le'] as const) {
      if (dir === 'ge' ? t === s.min : t === s.max) continue;
      if (++visited % 1024 === 0) budget?.spend(1024 * 64, what);
      const table = dir === 'ge' ? ge : le;
      if (table[t - s.min]) continue;
      const steps = family(dir, t);
      if (steps) table[t - s.min] = steps;
      else if (directs + later.push([dir, t]) > MAX_DIRECT) return tooMany;
    }
  for (const [dir, t] of later) {
    const steps = direct(dir, t);
    if (!steps) return missing(dir, t);
    (dir === 'ge' ? ge : le)[t - s.min] = steps;
  }
  return { ge, le };
}

/**
 * Fills both tables with `find(dir, t)` for every threshold (x ≥ min and x ≤ max are not thresholds);
 * `tooManyDirect()` tells a failure that ran out of direct searches from one that found no chain. The
 * error names `what` (charged to the budget) and starts with `prefix`.
 */
export function fillThresholdTables(
  s: Setting,
  find: (dir: 'ge' | 'le', t: number) => Step[] | null,
  tooManyDirect: () => boolean,
  budget: Budget | undefined,
  what = 'the threshold search',
  prefix = '',
): ThresholdTables | string {
  const ge: (Step[] | null)[] = new Array(s.size).fill(null);
  const le: (Step[] | null)[] = new Array(s.size).fill(null);
  const order = endThresholds(s);
  for (let t = s.min; t <= s.max; t++) {
    if (t > s.min) order.push(['ge', t]);
    if (t < s.max) order.push(['le', t]);
  }
  let visited = 0;
  for (const [dir, t] of order) {
    if (++visited % 1024 === 0) budget?.spend(1024 * 64, what);
    const table = dir === 'ge' ? ge : le;
    if (table[t - s.min]) continue;
    const steps = find(dir, t);
    if (!steps && tooManyDirect()) return `${prefix}more than 64 thresholds need a direct search`;
    if (!steps) return `${prefix}no threshold chain for x ${dir === 'ge' ? '≥' : '≤'} code ${t}`;
    table[t - s.min] = steps;
  }
  return { ge, le };
}

/** Whether a chain of `length` steps pads with copies of a `delay`-step delay to exactly `depth`. */
export function pads(length: number, delay: number, depth: number): boolean {
  return length === depth || (length < depth && delay > 0 && (depth - length) % delay === 0);
}

/**
 * The least common depth d ∈ [longest, longest + 2·delay] every chain can be padded to (`fits(d)`: each
 * chain's length reaches d by whole copies of the delay), or −1 when none does.
 */
export function commonDepth(longest: number, delay: number, fits: (depth: number) => boolean): number {
  for (let d = longest; d <= longest + 2 * delay; d++) if (fits(d)) return d;
  return -1;
}

/** `steps` followed by copies of `delay` up to `depth` steps, or null when the lengths do not fit. */
export function pad(steps: readonly Step[], delay: readonly Step[], depth: number): Step[] | null {
  if (!pads(steps.length, delay.length, depth)) return null;
  const out = [...steps];
  while (out.length < depth) out.push(...delay);
  return out;
}

/** [inside, outside] of a threshold on 𝕀: x ≥ t (ge) or x ≤ t (le). */
export function thresholdSides(s: Setting, dir: 'ge' | 'le', t: number): [Span, Span] {
  return dir === 'ge'
    ? [
        [t, s.max],
        [s.min, t - 1],
      ]
    : [
        [s.min, t],
        [t + 1, s.max],
      ];
}
