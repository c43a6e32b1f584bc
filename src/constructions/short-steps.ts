/**
 * Short saturating steps (docs/construction.md, "Two-level tables through gadgets", Short steps): an
 * exact search for the saturating steps of `saturating-steps.ts` with at most two stages after the
 * first, over every centre. The beam search there keeps the few states whose sides are narrowest
 * relative to their gap, and so misses chains whose last stage collapses a wide side by saturation
 * (softplus on Q3.4: `σ_F(max ⊗ h ⊕ min)` sends every h ≥ one to σ_F(−ε), since `max ⊗ h` saturates at
 * max). Here the last stage is found exactly for every state.
 *
 * **Lemma (collapsing stages).** Under sequential accumulation with saturating overflow the
 * pre-activation of `σ_F(g ⊗ h ⊕ b)` is `clamp(g ⊗ h + b)` (bias first or last alike: two terms). Let
 * the side be the value interval [h0, h1] with u0 ≤ u1 the products g ⊗ h0, g ⊗ h1 (sorted), and let
 * `[r0, r1]` be a run of codes on which σ_F is constant (r0 = −∞ when the run holds min, r1 = +∞ when
 * it holds max). Then every h of the side gives that run's value if `r0 − u0 ≤ b ≤ r1 − u1`: g ⊗ h lies
 * between u0 and u1 (⊗ is monotone in h), so `g ⊗ h + b` lies in [r0, r1] and its clamp too (the clamp
 * moves a value beyond min or max onto min or max, which lie in the end runs). So the biases that
 * collapse both sides of a state onto given runs form one interval, and the outputs depend only on the
 * pair of runs: one bias per pair of runs is enough. Every candidate is re-checked through the
 * interval images of `SaturatingSteps` (`image`), so a candidate this model misproposes is dropped,
 * never used.
 *
 * The search: depth 1 (the first stage's state collapses in one stage) and depth 2 (the first state's
 * children under the gains ±max, min, ±2^k·one and every bias, about 9·|𝕀| of them, each checked
 * for one collapsing stage of any candidate gain), memoised
 * per setting and state; a chain is accepted on the same condition as in `saturating-steps.ts` (two
 * distinct single values that one window neuron turns into one and 0).
 */
import type { Step } from '../engine/chain-solver.js';
import { candidateWeights } from '../engine/chain-solver.js';
import type { Setting } from '../engine/setting.js';
import { findWindow } from './window-neuron.js';

type Interval = readonly [number, number];

/** A finished short continuation: its stages and the two levels (a side, b side). */
export interface ShortPath {
  readonly path: Step[];
  readonly la: number;
  readonly lb: number;
}

/** The runs of codes on which σ_F is constant and its value there, in order, the end runs extended to ±∞. */
function runsOf(s: Setting): Array<readonly [number, number, number]> {
  const runs: Array<[number, number, number]> = [];
  let start = s.min;
  for (let p = s.min + 1; p <= s.max + 1; p++) {
    if (p > s.max || s.sigma[p - s.min] !== s.sigma[start - s.min] || Number.isNaN(s.sigma[p - s.min])) {
      if (!Number.isNaN(s.sigma[start - s.min])) runs.push([start, p - 1, s.sigma[start - s.min]]);
      start = p;
    }
  }
  if (runs.length > 0) {
    if (runs[0][0] === s.min) runs[0][0] = Number.NEGATIVE_INFINITY;
    const last = runs[runs.length - 1];
    if (last[1] === s.max) last[1] = Number.POSITIVE_INFINITY;
  }
  return runs;
}

/** The exact short search of one setting (sequential accumulation, saturating overflow). */
export class ShortSteps {
  private readonly gains: number[];
  private readonly runs: Array<readonly [number, number, number]>;
  private readonly finishMemo = new Map<number, ShortPath | null>();
  private readonly solveMemo = new Map<number, ShortPath | null>();
  private readonly doneMemo: Uint8Array;
  /** g ⊗ h for every candidate gain (row) and code h. */
  private readonly products: Int32Array;
  /**
   * The gains of the middle stage: ±max, min and ±2^k·one (k ≥ 0; softplus on Q3.4 takes −max, hard-swish
   * 4·one); every candidate gain costs about 3 times as much.
   */
  private readonly middle: number[];
  /** The index in `runs` of the run holding each code. */
  private readonly runId: Int32Array;
  private readonly byWidth = new Map<number, Array<readonly [number, number, number]>>();

  constructor(
    private readonly s: Setting,
    /** The interval image of a value interval under one stage (σ_F's range over its pre-activations). */
    private readonly image: (v: Interval, g: number, b: number) => Interval,
  ) {
    this.gains = candidateWeights(s);
    this.runs = runsOf(s);
    const powers: number[] = [];
    for (let p = s.one; p <= s.max; p *= 2) powers.push(p, -p);
    this.middle = [s.max, -s.max, s.min, ...powers].filter(
      (g, i, all) => g >= s.min && g <= s.max && g !== 0 && all.indexOf(g) === i,
    );
    this.doneMemo = new Uint8Array(s.size * s.size);
    this.runId = new Int32Array(s.size).fill(-1);
    this.runs.forEach(([r0, r1], k) => {
      for (let p = Math.max(s.min, r0); p <= Math.min(s.max, r1); p++) this.runId[p - s.min] = k;
    });
    this.products = new Int32Array(this.gains.length * s.size);
    this.gains.forEach((g, gi) => {
      for (let h = s.min; h <= s.max; h++) this.products[gi * s.size + h - s.min] = s.mul(g, h);
    });
  }

  /** Whether the search applies to this setting (biases: all of 𝕀, up to 1024 values). */
  static applies(s: Setting): boolean {
    return s.accumulation === 'sequential' && s.policy.overflow === 'saturate' && s.size <= 1024;
  }

  /** A number naming the state (a, b) (below 2^40 for |𝕀| ≤ 1024). */
  private key(a: Interval, b: Interval): number {
    const { min, size } = this.s;
    return (((a[0] - min) * size + a[1] - min) * size + b[0] - min) * size + b[1] - min;
  }

  /** Two single values that one window neuron turns into one (a) and 0 (b). */
  private done(a: number, b: number): boolean {
    if (a === b) return false;
    const key = (a - this.s.min) * this.s.size + (b - this.s.min);
    let hit = this.doneMemo[key];
    if (hit === 0) {
      const ok = (a === this.s.one && b === 0) || findWindow(this.s, [[b], [a]], [0, this.s.one]) !== null;
      this.doneMemo[key] = hit = ok ? 1 : 2;
    }
    return hit === 1;
  }

  /** g ⊗ h0 and g ⊗ h1 sorted, for the gain of index gi. */
  private span(v: Interval, gi: number): [number, number] {
    const row = gi * this.s.size - this.s.min;
    const p = this.products[row + v[0]];
    const q = this.products[row + v[1]];
    return p <= q ? [p, q] : [q, p];
  }

  /** The runs at least `w` codes wide (r1 − r0 ≥ w), in the order of their codes. */
  private runsOfWidth(w: number): Array<readonly [number, number, number]> {
    let hit = this.byWidth.get(w);
    if (!hit) {
      hit = this.runs.filter(([r0, r1]) => r1 - r0 >= w);
      this.byWidth.set(w, hit);
    }
    return hit;
  }

  /** One stage sending both sides to single values that a window reads, or null. Memoised. */
  finish(a: Interval, b: Interval): ShortPath | null {
    const s = this.s;
    const key = this.key(a, b);
    const hit = this.finishMemo.get(key);
    if (hit !== undefined) return hit;
    let found: ShortPath | null = null;
    const clampId = (p: number) => this.runId[Math.min(s.max, Math.max(s.min, p)) - s.min];
    outer: for (let gi = 0; gi < this.gains.length; gi++) {
      const g = this.gains[gi];
      const sa = this.span(a, gi);
      const sb = this.span(b, gi);
      // the wider side outside (fewer runs fit it), the other side's runs only within its bias window
      const aOut = sa[1] - sa[0] >= sb[1] - sb[0];
      const [o0, o1] = aOut ? sa : sb;
      const [i0, i1] = aOut ? sb : sa;
      for (const [r0, r1, yo] of this.runsOfWidth(o1 - o0)) {
        const lo = Math.max(s.min, r0 - o0);
        const hi = Math.min(s.max, r1 - o1);
        if (lo > hi) continue;
        const last = clampId(i1 + hi);
        for (let k = clampId(i0 + lo); k <= last; k++) {
          const [q0, q1, yi] = this.runs[k];
          if (q1 - q0 < i1 - i0) continue;
          const blo = Math.max(lo, q0 - i0);
          if (blo > Math.min(hi, q1 - i1)) continue;
          const ya = aOut ? yo : yi;
          const yb = aOut ? yi : yo;
          if (!this.done(ya, yb)) continue;
          // the outputs predicted by the runs, re-checked through the exact images
          const na = this.image(a, g, blo);
          const nb = this.image(b, g, blo);
          if (na[0] !== na[1] || nb[0] !== nb[1] || !this.done(na[0], nb[0])) continue;
          found = { path: [[g, blo]], la: na[0], lb: nb[0] };
          break outer;
        }
      }
    }
    this.finishMemo.set(key, found);
    return found;
  }

  /** The shortest continuation of at most two stages from the state (a, b), or null. Memoised. */
  solve(a: Interval, b: Interval): ShortPath | null {
    const key = this.key(a, b);
    const hit = this.solveMemo.get(key);
    if (hit !== undefined) return hit;
    const s = this.s;
    let found = this.finish(a, b);
    if (!found) {
      const seen = new Set<number>();
      outer: for (const g of this.middle) {
        for (let bias = s.min; bias <= s.max; bias++) {
          const na = this.image(a, g, bias);
          const nb = this.image(b, g, bias);
          if (!(na[1] < nb[0] || nb[1] < na[0])) continue;
          const k = this.key(na, nb);
          if (seen.has(k)) continue;
          seen.add(k);
          const f = this.finish(na, nb);
          if (f) {
            found = { path: [[g, bias], ...f.path], la: f.la, lb: f.lb };
            break outer;
          }
        }
      }
    }
    this.solveMemo.set(key, found);
    return found;
  }
}
