/**
 * Range queries of σ_F over intervals of codes without a table (docs/theory.md §9.5, "Range queries"):
 * from the activation's proven shape (`activation-shape.ts`), the least and greatest σ_F value over
 * codes lo … hi are read at the interval's ends, plus, for a valley, at the codes bracketing the
 * critical point (a handful). Also the landmarks of σ_F (plateau edges by binary search on the monotone
 * branches) that the chain searches put interval edges at.
 */
import type { ActivationShape } from './activation-shape.js';
import type { WideSetting } from './wide-setting.js';

export type WideSpan = readonly [bigint, bigint];

export interface WideSigma {
  readonly setting: WideSetting;
  readonly shape: ActivationShape;
  /** Codes ≤ cL: σ_F non-increasing; codes ≥ cR: non-decreasing (monotone: cL = min − 1, cR = min). */
  readonly cL: bigint;
  readonly cR: bigint;
  /** [least, greatest] σ_F over codes a … b (a ≤ b), or null when some σ_F value there is invalid. */
  range(a: bigint, b: bigint): WideSpan | null;
  /** Codes where σ_F changes behaviour: plateau edges, the critical bracket, 0, ±2^k. */
  landmarks(): readonly bigint[];
  /** Codes c with σ_F(c) = v: the ends of the preimage interval on each monotone branch (a few codes). */
  preimage(v: bigint): readonly bigint[];
  /**
   * The codes where σ_F takes the value v, as intervals: one per monotone branch (found by binary search on
   * the branch, which the shape makes monotone) and the inner codes of a valley's bracket, one by one.
   */
  preimageSpans(v: bigint): readonly WideSpan[];
}

const floorDiv = (p: bigint, q: bigint) => {
  const f = p / q;
  return f * q > p ? f - 1n : f;
};

/**
 * The range oracle of a wide setting, or a string saying why the shape does not carry over to σ_F
 * (under `wrap` or `error` σ's rounded value must stay in range at the codes the lemma reads: the
 * ends and the critical bracket; otherwise σ_F may wrap or be invalid and its shape is not proved).
 */
export function wideSigma(s: WideSetting, shape: ActivationShape): WideSigma | string {
  const { min, max } = s;
  const scale = 1n << BigInt(s.format.fracBits);
  let cL = min - 1n;
  let cR = min;
  if (shape.kind === 'valley') {
    cL = floorDiv(shape.lo.num * scale, shape.lo.den);
    cR = -floorDiv(-shape.hi.num * scale, shape.hi.den);
    // a bracket outside 𝕀 leaves one monotone branch
    if (cL < min - 1n) cL = min - 1n;
    if (cL > max) cL = max;
    if (cR > max + 1n) cR = max + 1n;
    if (cR < min) cR = min;
    if (cR - cL > 64n) return `the critical bracket of ${s.config.activation.key} spans ${cR - cL} codes`;
  } else if (shape.kind === 'codes') {
    cL = shape.cL;
    cR = shape.cR;
    if (cL < min - 1n || cR > max + 1n || cR <= cL || cR - cL > 64n)
      return `the tabulated shape of ${s.config.activation.key} (codes ${cL}, ${cR}) is not one valley`;
  }
  const inner: bigint[] = [];
  for (let c = cL + 1n; c < cR; c++) if (c >= min && c <= max) inner.push(c);
  // σ_F must be valid (and, under wrap, not wrapped) where the lemma reads it; under saturate the clamp
  // is non-decreasing and keeps the shape
  if (s.policy.overflow !== 'saturate') {
    for (const c of [min, max, ...inner, ...(cL >= min ? [cL] : []), ...(cR <= max ? [cR] : [])]) {
      if (s.sigma(c) === null) return `σ_F overflows at code ${c}`;
    }
    if (s.policy.overflow === 'wrap' && !noWrap(s, [min, max, cL, cR, ...inner]))
      return 'σ(x) leaves the range at the ends of 𝕀, so σ_F wraps around and its shape is not proved';
  }
  const sigma = (c: bigint) => s.sigma(c);
  const range = (a: bigint, b: bigint): WideSpan | null => {
    const vals: bigint[] = [];
    const push = (c: bigint) => {
      const v = sigma(c);
      if (v === null) return false;
      vals.push(v);
      return true;
    };
    if (!push(a) || !push(b)) return null;
    if (a <= cL && !push(b < cL ? b : cL)) return null;
    if (b >= cR && !push(a > cR ? a : cR)) return null;
    for (const c of inner) if (c >= a && c <= b && !push(c)) return null;
    let lo = vals[0];
    let hi = vals[0];
    for (const v of vals) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    return [lo, hi];
  };
  let marks: bigint[] | null = null;
  const landmarks = () => {
    if (marks) return marks;
    const out = new Set<bigint>();
    const add = (c: bigint, spread = 1n) => {
      for (let d = -spread; d <= spread; d++) if (c + d >= min && c + d <= max) out.add(c + d);
    };
    add(0n, 2n);
    for (let p = s.one >> 8n > 0n ? s.one >> 8n : 1n; p <= max; p *= 2n) {
      add(p, 0n);
      add(-p, 0n);
    }
    add(min);
    add(max);
    for (const c of inner) add(c);
    if (cL >= min) add(cL);
    if (cR <= max) add(cR);
    // plateau edges on each monotone branch: the last code with σ_F equal to its value at the branch's
    // start, the first with σ_F equal to its value at the branch's end (binary search, shape-monotone)
    const up: Array<[bigint, bigint]> = cR <= max ? [[cR, max]] : [];
    const down: Array<[bigint, bigint]> = cL >= min ? [[min, cL]] : [];
    for (const [a, b] of [...up, ...down]) {
      const va = sigma(a);
      const vb = sigma(b);
      if (va === null || vb === null) continue;
      add(lastEqual(sigma, a, b, va));
      add(firstEqual(sigma, a, b, vb));
      // where σ_F leaves its extreme next to the bracket (the flat bottom of a valley)
    }
    marks = [...out].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    return marks;
  };
  const branches: Array<[bigint, bigint, 1 | -1]> = [];
  if (cL >= min) branches.push([min, cL, -1]);
  if (cR <= max) branches.push([cR, max, 1]);
  const spanMemo = new Map<bigint, WideSpan[]>();
  const preimageSpans = (v: bigint): WideSpan[] => {
    const hit = spanMemo.get(v);
    if (hit) return hit;
    const out: WideSpan[] = [];
    for (const [a, b, dir] of branches) {
      // first code of the branch whose value has passed v (in the branch's direction)
      const past = (c: bigint, strict: boolean) => {
        const x = sigma(c);
        if (x === null) return dir > 0 ? c >= b : c <= a;
        return dir > 0 ? (strict ? x > v : x >= v) : strict ? x < v : x <= v;
      };
      const first = (strict: boolean) => {
        let lo = a;
        let hi = b + 1n;
        while (lo < hi) {
          const mid = lo + (hi - lo) / 2n;
          if (past(mid, strict)) hi = mid;
          else lo = mid + 1n;
        }
        return lo;
      };
      const lo = first(false);
      const hi = first(true) - 1n;
      if (lo <= hi && lo <= b && sigma(lo) === v) out.push([lo, hi]);
    }
    for (const c of inner) if (sigma(c) === v) out.push([c, c]);
    spanMemo.set(v, out);
    return out;
  };
  const pre = new Map<bigint, bigint[]>();
  const preimage = (v: bigint): bigint[] => {
    const hit = pre.get(v);
    if (hit) return hit;
    const out: bigint[] = [];
    for (const [lo, hi] of preimageSpans(v)) {
      if (lo === hi) out.push(lo);
      else out.push(lo, hi, lo + (hi - lo) / 2n);
    }
    pre.set(v, out);
    return out;
  };
  return { setting: s, shape, cL, cR, range, landmarks, preimage, preimageSpans };
}

/** Last code c in [a, b] with σ_F(c) = v, for σ_F monotone on [a, b] with σ_F(a) = v. */
function lastEqual(sigma: (c: bigint) => bigint | null, a: bigint, b: bigint, v: bigint): bigint {
  let lo = a;
  let hi = b;
  while (lo < hi) {
    const mid = lo + (hi - lo + 1n) / 2n;
    if (sigma(mid) === v) lo = mid;
    else hi = mid - 1n;
  }
  return lo;
}

/** First code c in [a, b] with σ_F(c) = v, for σ_F monotone on [a, b] with σ_F(b) = v. */
function firstEqual(sigma: (c: bigint) => bigint | null, a: bigint, b: bigint, v: bigint): bigint {
  let lo = a;
  let hi = b;
  while (lo < hi) {
    const mid = lo + (hi - lo) / 2n;
    if (sigma(mid) === v) hi = mid;
    else lo = mid + 1n;
  }
  return lo;
}

/** True when σ's rounded value at each code is in range before the overflow mode (no wrap). */
function noWrap(s: WideSetting, codes: readonly bigint[]): boolean {
  for (const c of codes) {
    if (c < s.min || c > s.max) continue;
    if (s.unwrapped(c) === null) return false;
  }
  return true;
}
