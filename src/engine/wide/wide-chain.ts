/**
 * Interval images of chains on wide formats (docs/theory.md §9.1 and §9.5): a step h ↦ σ_F(w⊗h ⊕ b)
 * maps every h of [lo, hi] into the σ_F range over the pre-activations between p(lo) and p(hi), because
 * the pre-activation is monotone in h. That holds under `saturate` (clamping is monotone); under `error`
 * and `wrap` only when no intermediate value leaves the range at lo and at hi (the exact intermediate
 * values are monotone in h, so then none does in between), which `stepImage` checks (strict evaluation).
 * `solveWideChain` searches chains whose images are single values (a beam search over pairs of intervals,
 * weights from a short list of gains, biases that put an interval's edge at a landmark of σ_F).
 */
import type { Budget } from '../budget.js';
import { compressPrefixes } from './wide-compress.js';
import type { WideSetting, WideStep } from './wide-setting.js';
import type { WideSigma, WideSpan } from './wide-sigma.js';

/** The image of [lo, hi] under one step, or null (invalid, or possibly wrapping). */
export function stepImage(r: WideSigma, st: WideStep, lo: bigint, hi: bigint): WideSpan | null {
  const s = r.setting;
  // a single code is its own interval: the step is evaluated there with the overflow mode (under `wrap` it
  // may wrap: docs/theory.md §9.5, "Lemma C+", ceil); under `error` an invalid value is still null
  const strict = s.policy.overflow !== 'saturate' && lo !== hi;
  const p = s.pre([st[0]], [lo], st[1], strict);
  const q = s.pre([st[0]], [hi], st[1], strict);
  if (p === null || q === null) return null;
  return p <= q ? r.range(p, q) : r.range(q, p);
}

/** The image of [lo, hi] under a chain (null when some step may be invalid or wrap). */
export function chainImage(
  r: WideSigma,
  steps: readonly WideStep[],
  lo: bigint,
  hi: bigint,
): WideSpan | null {
  let span: WideSpan = [lo, hi];
  for (const st of steps) {
    const next = stepImage(r, st, span[0], span[1]);
    if (!next) return null;
    span = next;
  }
  return span;
}

/** True when the chain maps every value of [lo, hi] to `target` (proved by interval images). */
export function chainProves(
  r: WideSigma,
  steps: readonly WideStep[],
  lo: bigint,
  hi: bigint,
  target: bigint,
): boolean {
  const img = chainImage(r, steps, lo, hi);
  return img !== null && img[0] === target && img[1] === target;
}

/** Gains tried by the searches: ±1 (binary weights: only these), ±(1 ± kε), ±2^k·ε, ±max, min. */
export function wideWeights(s: WideSetting): bigint[] {
  const out = new Set<bigint>();
  const add = (c: bigint) => {
    if (c >= s.min && c <= s.max && c !== 0n) out.add(c);
  };
  add(s.one);
  add(-s.one);
  if (s.binary) return [...out];
  // powers of two from ε·2^(n−4) (1/16) up: smaller gains only merge values
  for (let p = s.one >> 4n > 0n ? s.one >> 4n : 1n; p <= s.max; p *= 2n) {
    add(p);
    add(-p);
  }
  for (const d of [1n, 2n]) {
    add(s.one - d);
    add(-(s.one - d));
    add(s.one + d);
    add(-(s.one + d));
  }
  add(s.max);
  add(-s.max);
  add(s.min);
  return [...out];
}

/** Biases putting a pre-activation edge (products `us`) at a landmark or next to it. */
export function wideBiases(r: WideSigma, us: readonly bigint[]): bigint[] {
  const s = r.setting;
  const out = new Set<bigint>();
  for (const c of r.landmarks()) {
    for (const u of us) {
      const b = s.exact ? c - roundDiv(u, s.one) : c - u;
      for (const d of [-1n, 0n, 1n]) if (b + d >= s.min && b + d <= s.max) out.add(b + d);
    }
  }
  return [...out];
}

const roundDiv = (p: bigint, q: bigint) => {
  const f = p / q;
  return f * q > p ? f - 1n : f;
};

interface State {
  zl: bigint;
  zh: bigint;
  el: bigint;
  eh: bigint;
  path: WideStep[];
}

/** Ranking of a state: the two ranges' widths over the gap between them (smaller is better). */
const score = (c: State): [bigint, bigint] => {
  const gap = c.zh < c.el ? c.el - c.zh : c.zl - c.eh;
  return [c.zh - c.zl + (c.eh - c.el) + 1n, gap];
};
const byScore = (x: State, y: State) => {
  const [wx, gx] = score(x);
  const [wy, gy] = score(y);
  const l = wx * gy;
  const r = wy * gx;
  return l < r ? -1 : l > r ? 1 : 0;
};

/**
 * Steps aimed at finishing: the weight and biases that put the midpoints of both sides on codes where
 * σ_F takes the target values (preimages found by binary search on the monotone branches).
 */
function targetedSteps(r: WideSigma, st: State, tz: bigint, te: bigint): Map<bigint, bigint[]> {
  const s = r.setting;
  const out = new Map<bigint, bigint[]>();
  if (s.binary) return out;
  const zm = st.zl + (st.zh - st.zl) / 2n;
  const em = st.el + (st.eh - st.el) / 2n;
  if (zm === em) return out;
  for (const pz of r.preimage(tz))
    for (const pe of r.preimage(te)) {
      const w0 = ((pe - pz) * s.one) / (em - zm);
      for (const dw of [-1n, 0n, 1n]) {
        const w = w0 + dw;
        if (w < s.min || w > s.max || w === 0n) continue;
        const u = s.exact ? roundDiv(w * zm, s.one) : s.pre([w], [zm], 0n);
        if (u === null) continue;
        const list = out.get(w) ?? [];
        for (const db of [-1n, 0n, 1n]) {
          const b = pz - u + db;
          if (b >= s.min && b <= s.max) list.push(b);
        }
        out.set(w, list);
      }
    }
  return out;
}

export interface WideChainOptions {
  readonly maxDepth?: number;
  readonly minDepth?: number;
  readonly beam?: number;
  readonly budget?: Budget;
  /** Most (weight, bias) candidates evaluated before giving up (a deterministic cap; default 300,000). */
  readonly maxWork?: number;
  /** false: no compressing prefixes (`wide-compress.ts`) when the beam search fails. */
  readonly compress?: boolean;
  /**
   * true: a side that is a single code is evaluated with the overflow mode (it may wrap), as `stepImage`
   * does; only the other sides must keep every intermediate value in range. Off by default (the searches
   * that existed before it keep their order of candidates).
   */
  readonly singletons?: boolean;
}

/**
 * A chain sending every value of `zero` to `tz` and every value of `one` to `te`, proved by interval
 * images; null when none is found within the depth. The result is a proof by construction (each step's
 * image is the lemma's), and the callers re-check it with `chainProves`.
 */
export function solveWideChain(
  r: WideSigma,
  zero: WideSpan,
  one: WideSpan,
  tz: bigint,
  te: bigint,
  options: WideChainOptions = {},
): WideStep[] | null {
  const found = beamChain(r, zero, one, tz, te, options);
  if (found || options.compress === false || r.setting.binary) return found;
  // wide sides that no shift may move (docs/theory.md §9.5, compressing chains): shrink them first
  const wide = (a: WideSpan) => a[1] - a[0] > 64n;
  if (!wide(zero) && !wide(one)) return null;
  const maxDepth = options.maxDepth ?? 4;
  for (const pre of compressPrefixes(r, zero, one, 8, options.budget)) {
    const tail = beamChain(r, pre.zero, pre.one, tz, te, {
      ...options,
      minDepth: 0,
      maxDepth: Math.min(3, maxDepth),
      maxWork: 20_000,
    });
    if (tail && pre.steps.length + tail.length >= (options.minDepth ?? 1)) return [...pre.steps, ...tail];
  }
  return null;
}

function beamChain(
  r: WideSigma,
  zero: WideSpan,
  one: WideSpan,
  tz: bigint,
  te: bigint,
  options: WideChainOptions,
): WideStep[] | null {
  const s = r.setting;
  const maxDepth = options.maxDepth ?? 4;
  const minDepth = options.minDepth ?? 1;
  const beam = options.beam ?? 4;
  if (minDepth === 0 && zero[0] === tz && zero[1] === tz && one[0] === te && one[1] === te) return [];
  const weights = wideWeights(s);
  let frontier: State[] = [{ zl: zero[0], zh: zero[1], el: one[0], eh: one[1], path: [] }];
  const seen = new Set<string>([`${zero[0]},${zero[1]},${one[0]},${one[1]}`]);
  const strict = s.policy.overflow !== 'saturate';
  let work = options.maxWork ?? 300_000;
  for (let depth = 1; depth <= maxDepth; depth++) {
    const kept: State[] = [];
    for (const st of frontier) {
      const extra = targetedSteps(r, st, tz, te);
      // strictness per side: a single code may wrap (docs/theory.md §9.5, Lemma C+), an interval may not
      const zStrict = strict && !(options.singletons && st.zl === st.zh);
      const eStrict = strict && !(options.singletons && st.el === st.eh);
      for (const w of [...weights, ...extra.keys()]) {
        options.budget?.spend(1000, 'the wide chain search');
        const preZ = (h: bigint, b: bigint) => s.pre([w], [h], b, zStrict);
        const preE = (h: bigint, b: bigint) => s.pre([w], [h], b, eStrict);
        const us = s.exact
          ? [w * st.zl, w * st.zh, w * st.el, w * st.eh]
          : [
              s.pre([w], [st.zl], 0n, zStrict),
              s.pre([w], [st.zh], 0n, zStrict),
              s.pre([w], [st.el], 0n, eStrict),
              s.pre([w], [st.eh], 0n, eStrict),
            ];
        if (us.some((u) => u === null)) continue;
        const bs = extra.get(w) ?? wideBiases(r, us as bigint[]);
        work -= bs.length;
        if (work < 0) return null;
        for (const b of bs) {
          const a1 = preZ(st.zl, b);
          const a2 = preZ(st.zh, b);
          const c1 = preE(st.el, b);
          const c2 = preE(st.eh, b);
          if (a1 === null || a2 === null || c1 === null || c2 === null) continue;
          const [zlo, zhi] = a1 < a2 ? [a1, a2] : [a2, a1];
          const [elo, ehi] = c1 < c2 ? [c1, c2] : [c2, c1];
          if (!(zhi < elo || ehi < zlo)) continue;
          const zs = r.range(zlo, zhi);
          const es = r.range(elo, ehi);
          if (!zs || !es) continue;
          if (!(zs[1] < es[0] || es[1] < zs[0])) continue;
          if (depth >= minDepth && zs[0] === tz && zs[1] === tz && es[0] === te && es[1] === te)
            return [...st.path, [w, b]];
          if (depth === maxDepth) continue;
          const key = `${zs[0]},${zs[1]},${es[0]},${es[1]}`;
          if (seen.has(key)) continue;
          seen.add(key);
          kept.push({ zl: zs[0], zh: zs[1], el: es[0], eh: es[1], path: [...st.path, [w, b]] });
          if (kept.length > 4 * beam) {
            kept.sort(byScore);
            kept.length = beam;
          }
        }
      }
    }
    if (kept.length === 0) return null;
    kept.sort(byScore);
    frontier = kept.slice(0, beam);
  }
  return null;
}
