/**
 * Saturating steps (docs/construction.md, "Two-level tables through gadgets", Steps). For any σ_F under
 * saturating overflow, a threshold t on a signal x (codes, non-decreasing map from positions) becomes an
 * exact two-level signal Y_t(x) = la for x ≥ t, lb for x < t, by a chain of unary neurons
 * h ↦ σ_F(g ⊗ h ⊕ b): the first shifts t to a fixed centre c (g = ±1, so x ≥ t lands on one side of c
 * and x < t on the other), the rest depend on c only (solved once, memoised). Soundness: g ⊗ h ⊕ b is
 * monotone in h (monotone rounding, saturating ⊕), so the pre-activations of each side form an interval
 * whose ends are the images of its ends; σ_F maps an interval of pre-activations into [min σ_F, max σ_F]
 * over it (a range-min/max table). The two sides are tracked as intervals of values that stay disjoint,
 * and the chain ends when both are single values: every x on a side then gives that side's value,
 * whatever σ_F's shape (gelu's dip, tanh's plateaus, identity's saturation).
 */
import type { Step } from '../engine/chain-solver.js';
import { candidateWeights } from '../engine/chain-solver.js';
import type { Setting } from '../engine/setting.js';
import { ShortSteps } from './short-steps.js';
import { findWindow } from './window-neuron.js';

/** The centres the two-stage pass of the short search tries (softplus on Q3.4 needs its 15th). */
const SHORT_CENTRES = 32;

/** The exact short search of each setting, shared by every SaturatingSteps of that setting. */
const shortOf = new WeakMap<Setting, ShortSteps>();

/** A closed interval of codes [lo, hi]. */
type Interval = readonly [number, number];

/** Range minimum and maximum of σ_F over code intervals (sparse tables, O(N log N)). */
class SigmaRanges {
  private readonly mins: Int32Array[] = [];
  private readonly maxs: Int32Array[] = [];
  constructor(private readonly s: Setting) {
    const n = s.size;
    const base = Int32Array.from(s.sigma);
    this.mins.push(base);
    this.maxs.push(base);
    for (let k = 1; 1 << k <= n; k++) {
      const prevMin = this.mins[k - 1];
      const prevMax = this.maxs[k - 1];
      const len = n - (1 << k) + 1;
      const mn = new Int32Array(len);
      const mx = new Int32Array(len);
      const h = 1 << (k - 1);
      for (let i = 0; i < len; i++) {
        mn[i] = Math.min(prevMin[i], prevMin[i + h]);
        mx[i] = Math.max(prevMax[i], prevMax[i + h]);
      }
      this.mins.push(mn);
      this.maxs.push(mx);
    }
  }
  /** [min σ_F, max σ_F] over the codes lo..hi. */
  range(lo: number, hi: number): Interval {
    const i = lo - this.s.min;
    const j = hi - this.s.min;
    const k = 31 - Math.clz32(j - i + 1);
    const a = j - (1 << k) + 1;
    return [Math.min(this.mins[k][i], this.mins[k][a]), Math.max(this.maxs[k][i], this.maxs[k][a])];
  }
}

/** The pre-activation of the unary neuron σ_F(g ⊗ h ⊕ b), before σ_F. */
export function unaryPre(s: Setting, g: number, h: number, b: number): number {
  if (s.accumulation === 'exact') return s.roundWide(b * s.one + g * h);
  const t = s.mul(g, h);
  return s.bias === 'first' ? s.add(b, t) : s.add(t, b);
}

interface State {
  readonly a: Interval;
  readonly b: Interval;
  readonly path: Step[];
}

/** A step: its chain from x and its two levels (la for x ≥ t, lb for x < t). */
export interface SatStep {
  readonly chain: Step[];
  readonly la: number;
  readonly lb: number;
}

const disjoint = (p: Interval, q: Interval) => p[1] < q[0] || q[1] < p[0];
const gapOf = (p: Interval, q: Interval) => Math.max(q[0] - p[1], p[0] - q[1]);
const span = (p: Interval) => p[1] - p[0];

/**
 * Finds saturating steps for one setting (saturating overflow): `step(t)` for a threshold on x, `pad`
 * to lengthen a finished step by one stage. Everything derived from σ_F's table; memoised.
 */
export class SaturatingSteps {
  private readonly ranges: SigmaRanges;
  private readonly gains: number[];
  private readonly memo = new Map<string, { path: Step[]; la: number; lb: number } | null>();
  private readonly centres: Array<{ dir: 1 | -1; c: number }>;
  constructor(
    private readonly s: Setting,
    private readonly maxDepth = 8,
    private readonly beam = 4,
  ) {
    this.ranges = new SigmaRanges(s);
    this.gains = candidateWeights(s);
    // canonical centres, largest separation first: dir 1 (g = one) puts x ≥ t on [c, max] and x < t on
    // [min, c − 1]; dir −1 (g = −one) puts x ≥ t on [min, c] and x < t on [c + 1, max]
    const cs: Array<{ dir: 1 | -1; c: number; gap: number }> = [];
    for (let c = s.min + 1; c <= s.max; c++) {
      const hi = this.ranges.range(c, s.max);
      const lo = this.ranges.range(s.min, c - 1);
      if (disjoint(hi, lo)) {
        const g = gapOf(hi, lo) / (1 + span(hi) + span(lo));
        cs.push({ dir: 1, c, gap: g });
        cs.push({ dir: -1, c: c - 1, gap: g });
      }
    }
    cs.sort((p, q) => q.gap - p.gap || Math.abs(p.c) - Math.abs(q.c));
    this.centres = cs.map(({ dir, c }) => ({ dir, c }));
  }

  /** The image of a value interval under one stage: its pre-activation interval mapped through σ_F. */
  private image(v: Interval, g: number, b: number): Interval {
    const p = unaryPre(this.s, g, v[0], b);
    const q = unaryPre(this.s, g, v[1], b);
    return p <= q ? this.ranges.range(p, q) : this.ranges.range(q, p);
  }

  /** Biases worth trying for a stage: all of 𝕀 on small formats, a grid plus targeted ones above. */
  private biases(v: Interval, w: Interval, g: number): number[] {
    const s = this.s;
    if (s.size <= 1024) return Array.from({ length: s.size }, (_, i) => s.min + i);
    const out = new Set<number>();
    const stride = Math.max(1, Math.floor(s.size / 512));
    for (let b = s.min; b <= s.max; b += stride) out.add(b);
    for (const h of [v[0], v[1], w[0], w[1]]) {
      const gh = s.mul(g, h);
      for (const { c } of this.centres.slice(0, 16)) for (const d of [-1, 0, 1]) out.add(c + d - gh);
      for (const c of [s.min, s.max, 0]) out.add(c - gh);
    }
    return [...out].filter((b) => b >= s.min && b <= s.max);
  }

  /**
   * Stages sending the value intervals `a` and `b` (disjoint) to single distinct values: a beam search
   * over (gain, bias), states scored by (spans + 1) / gap. Null if none within maxDepth.
   */
  solve(a: Interval, b: Interval, minDepth = 0): { path: Step[]; la: number; lb: number } | null {
    const key = `${a[0]},${a[1]}|${b[0]},${b[1]}|${minDepth}`;
    const hit = this.memo.get(key);
    if (hit !== undefined) return hit;
    let result: { path: Step[]; la: number; lb: number } | null = null;
    // single values that one more neuron turns into exactly one (side a) and 0 (side b)
    const done = (st: State) =>
      st.a[0] === st.a[1] &&
      st.b[0] === st.b[1] &&
      st.path.length >= minDepth &&
      ((st.a[0] === this.s.one && st.b[0] === 0) ||
        findWindow(this.s, [[st.b[0]], [st.a[0]]], [0, this.s.one]) !== null);
    let states: State[] = [{ a, b, path: [] }];
    if (done(states[0])) result = { path: [], la: a[0], lb: b[0] };
    for (let depth = 1; depth <= this.maxDepth && !result; depth++) {
      const next = new Map<string, { st: State; score: number }>();
      for (const st of states) {
        for (const g of this.gains) {
          for (const bias of this.biases(st.a, st.b, g)) {
            const na = this.image(st.a, g, bias);
            const nb = this.image(st.b, g, bias);
            if (!disjoint(na, nb)) continue;
            const cand: State = { a: na, b: nb, path: [...st.path, [g, bias]] };
            if (done(cand)) {
              result = { path: cand.path, la: na[0], lb: nb[0] };
              break;
            }
            const score = (span(na) + span(nb) + 1) / gapOf(na, nb);
            const k = `${na[0]},${na[1]}|${nb[0]},${nb[1]}`;
            const prev = next.get(k);
            if (!prev || score < prev.score) next.set(k, { st: cand, score });
          }
          if (result) break;
        }
        if (result) break;
      }
      states = [...next.values()]
        .sort((p, q) => p.score - q.score)
        .slice(0, this.beam)
        .map((e) => e.st);
      if (states.length === 0) break;
    }
    this.memo.set(key, result);
    return result;
  }

  /**
   * The shortest step one·[x ≥ t] found (x over `domain`, all of 𝕀 by default; t in (lo, hi]), trying
   * at most `tries` centres, or null. The first stage σ_F(±one ⊗ x ⊕ b1) maps t to c and t − ε next to it.
   */
  step(t: number, domain?: readonly [number, number], raw = false, tries = 4): SatStep | null {
    const s = this.s;
    const [dLo, dHi] = domain ?? [s.min, s.max];
    if (t - 1 < dLo || t > dHi) return null;
    let best: SatStep | null = null;
    let tried = 0;
    // gains ±(one − ε) tell min from min + ε where ±one ⊗ x saturates
    const firsts = [s.one, -s.one, s.one - 1, 1 - s.one];
    for (const { dir, c } of this.centres) {
      if (tried >= tries && best) break;
      for (const g of firsts) {
        if (g < s.min || g > s.max || g === 0 || Math.sign(g) !== dir) continue;
        const b1 = c - s.mul(g, t);
        if (b1 < s.min || b1 > s.max) continue;
        // the first stage must put t at c and t − ε just across it (no saturation at the threshold)
        if (unaryPre(s, g, t, b1) !== c || unaryPre(s, g, t - 1, b1) !== c - dir) continue;
        tried++;
        // the two sides' pre-activations: [c, pre(dHi)] and [pre(dLo), c − 1] (dir −1: mirrored)
        // canonical sides, independent of t (one search per centre): |g| ≤ one, so x − t within the
        // domain moves the pre-activation by at most the domain's width w from c
        const w = dHi - dLo;
        const top = dir === 1 ? Math.min(s.max, c + w) : Math.max(s.min, c - w);
        const bottom = dir === 1 ? Math.max(s.min, c - w) : Math.min(s.max, c + w);
        const cont =
          dir === 1
            ? this.solve(this.ranges.range(c, top), this.ranges.range(bottom, c - 1))
            : this.solve(this.ranges.range(top, c), this.ranges.range(c + 1, bottom));
        if (!cont) continue;
        // the last stage turns the levels into exactly one (x ≥ t) and 0 (x < t)
        // `raw`: the levels as they come (window neurons read them); else a last stage makes them one, 0
        const ready = raw || (cont.la === s.one && cont.lb === 0);
        const norm = ready ? null : findWindow(s, [[cont.lb], [cont.la]], [0, s.one])!;
        const chain: Step[] = [[g, b1], ...cont.path, ...(norm ? [[norm.ws[0], norm.b] as Step] : [])];
        if (!best || chain.length < best.chain.length)
          best = { chain, la: ready ? cont.la : s.one, lb: ready ? cont.lb : 0 };
        break;
      }
      if (best && best.chain.length <= (raw ? 2 : 3)) break;
    }
    // the exact short search over every centre (short-steps.ts) where the beam found nothing shorter
    if (ShortSteps.applies(s) && (!best || best.chain.length > (raw ? 2 : 3))) {
      const short = this.shortStep(t, dLo, dHi, raw, best ? best.chain.length : Number.POSITIVE_INFINITY);
      if (short) best = short;
    }
    return best;
  }

  /** A step shorter than `bound` stages from the exact short search, or null (docs: Short steps). */
  private shortStep(t: number, dLo: number, dHi: number, raw: boolean, bound: number): SatStep | null {
    const s = this.s;
    let short = shortOf.get(s);
    if (!short) shortOf.set(s, (short = new ShortSteps(s, (v, g, b) => this.image(v, g, b))));
    const firsts = [s.one, -s.one, s.one - 1, 1 - s.one];
    const w = dHi - dLo;
    let best: SatStep | null = null;
    // two passes: one collapsing stage after the first (length 2) over every centre, then two (length 3)
    // over the first SHORT_CENTRES centres (each costs a sweep of about |gains|·|𝕀| states)
    for (const deep of [false, true]) {
      for (const { dir, c } of deep ? this.centres.slice(0, SHORT_CENTRES) : this.centres) {
        for (const g of firsts) {
          if (g < s.min || g > s.max || g === 0 || Math.sign(g) !== dir) continue;
          const b1 = c - s.mul(g, t);
          if (b1 < s.min || b1 > s.max) continue;
          if (unaryPre(s, g, t, b1) !== c || unaryPre(s, g, t - 1, b1) !== c - dir) continue;
          const top = dir === 1 ? Math.min(s.max, c + w) : Math.max(s.min, c - w);
          const bottom = dir === 1 ? Math.max(s.min, c - w) : Math.min(s.max, c + w);
          const a = dir === 1 ? this.ranges.range(c, top) : this.ranges.range(top, c);
          const b = dir === 1 ? this.ranges.range(bottom, c - 1) : this.ranges.range(c + 1, bottom);
          const cont = deep ? short.solve(a, b) : short.finish(a, b);
          if (!cont) break;
          const ready = raw || (cont.la === s.one && cont.lb === 0);
          const norm = ready ? null : findWindow(s, [[cont.lb], [cont.la]], [0, s.one])!;
          const chain: Step[] = [[g, b1], ...cont.path, ...(norm ? [[norm.ws[0], norm.b] as Step] : [])];
          if (chain.length < bound && (!best || chain.length < best.chain.length))
            best = { chain, la: ready ? cont.la : s.one, lb: ready ? cont.lb : 0 };
          break;
        }
        if (best && best.chain.length <= (deep ? 3 : 2) + (raw ? 0 : 1)) return best;
      }
      if (best) return best;
      if (bound <= (raw ? 3 : 4)) return null;
    }
    return best;
  }

  /** One more stage keeping a finished step at levels one (x ≥ t) and 0 (a delay), or null. */
  pad(st: SatStep): SatStep | null {
    const d = findWindow(this.s, [[st.lb], [st.la]], [0, this.s.one]);
    return d ? { chain: [...st.chain, [d.ws[0], d.b]], la: this.s.one, lb: 0 } : null;
  }
}
