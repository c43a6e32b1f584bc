import { idleMask } from './levels.js';
import type { Setting } from './setting.js';
import { StateSet, setHash } from './state-set.js';

/** A chain step: the unary neuron h ↦ σ_F(w⊗h ⊕ b), as codes [w, b]. */
export type Step = readonly [number, number];

/**
 * Candidate weights for chain steps: with `binary` weights ±1; otherwise ±1, ±2^k·ε for every power of
 * two in range, ±max and min — the gains that matter for separating and saturating (THEORY §5.2).
 */
export function candidateWeights(s: Setting): number[] {
  if (s.weightSet === 'binary') return [...s.weights];
  const out = new Set<number>();
  const add = (c: number) => {
    if (c >= s.min && c <= s.max && c !== 0) out.add(c);
  };
  add(s.one);
  add(-s.one);
  for (const d of [1, 2]) {
    add(s.one - d);
    add(-(s.one - d));
    add(s.one + d);
    add(-(s.one + d));
  }
  add(s.max);
  add(-s.max);
  add(s.min);
  for (let p = 1; p <= s.max; p *= 2) {
    add(p);
    add(-p);
  }
  return [...out];
}

/** The step tables' mark for an invalid output (an overflow under `error`). */
export const STEP_INVALID = -32768;
const INVALID = STEP_INVALID;
const tables = new WeakMap<Setting, Map<number, Int16Array>>();

/**
 * The whole step map of one weight as a table: entry (b − min)·|𝕀| + (h − min) is σ_F(w⊗h ⊕ b)
 * (INVALID where it overflows under `error`). Built once per setting and weight for formats of at most
 * 512 values, where the searches spend their time.
 */
export function stepTable(s: Setting, w: number): Int16Array | null {
  const n = s.size;
  if (n > 512) return null;
  let byW = tables.get(s);
  if (!byW) tables.set(s, (byW = new Map()));
  let t = byW.get(w);
  if (!t) {
    t = new Int16Array(n * n);
    for (let h = s.min; h <= s.max; h++) {
      const p = s.accumulation === 'exact' ? w * h : s.mul(w, h);
      for (let b = s.min; b <= s.max; b++) {
        const v = apply(s, p, b);
        t[(b - s.min) * n + (h - s.min)] = v >= s.min ? v : INVALID;
      }
    }
    byW.set(w, t);
  }
  return t;
}

interface State {
  readonly zero: Int32Array;
  readonly one: Int32Array;
  readonly path: Step[];
}

const memo = new WeakMap<Setting, Map<string, Step[] | null>>();

function keyOf(a: Int32Array, b: Int32Array): string {
  return `${a.join(',')}|${b.join(',')}`;
}

export interface ChainOptions {
  /** Longest chain tried (default 4). */
  readonly maxDepth?: number;
  /** Shortest chain accepted (default 1: a gadget applies σ at least once). */
  readonly minDepth?: number;
  /** States kept per depth (default 12). */
  readonly beam?: number;
  /** Weights to try (default `candidateWeights`). */
  readonly weights?: readonly number[];
  /**
   * The idle set I: the `zero` side may end anywhere in it (default {targetZero}). Idle-set certificates
   * (docs/theory.md §8) send inactive values into I instead of onto one value.
   */
  readonly idle?: readonly number[];
}

/**
 * Finds a chain of unary neurons sending every value of `zero` to `targetZero` (or into the idle set
 * `options.idle`) and every value of `one` to `targetOne` (THEORY §5.2's two-level signals): a beam
 * search over chains, each step trying every candidate weight and every bias, keeping the states whose
 * value sets stay apart and are smallest. Returns the steps or null. Memoised per setting.
 */
export function solveChain(
  s: Setting,
  zero: readonly number[],
  one: readonly number[],
  targetZero: number,
  targetOne: number,
  options: ChainOptions = {},
): Step[] | null {
  const maxDepth = options.maxDepth ?? 4;
  const minDepth = options.minDepth ?? 1;
  const beam = options.beam ?? 12;
  const z0 = Int32Array.from(new Set(zero)).sort();
  const e0 = Int32Array.from(new Set(one)).sort();
  let cache = memo.get(s);
  if (!cache) memo.set(s, (cache = new Map()));
  const weights = options.weights ?? candidateWeights(s);
  const idle = options.idle ?? [targetZero];
  const idleKey = options.idle ? `[${[...idle].sort((a, b) => a - b).join(',')}]` : '';
  const key = `${targetZero}${idleKey},${targetOne},${minDepth},${maxDepth},${beam},${weights.length}:${keyOf(z0, e0)}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const inIdle = idleMask(s, idle);
  const result =
    s.monotone && s.policy.overflow !== 'wrap' && separated(z0, e0)
      ? searchIntervals(s, z0, e0, inIdle, targetOne, maxDepth, minDepth, beam, weights)
      : search(s, z0, e0, inIdle, targetOne, maxDepth, minDepth, beam, weights);
  cache.set(key, result);
  return result;
}

function search(
  s: Setting,
  z0: Int32Array,
  e0: Int32Array,
  inIdle: Uint8Array,
  te: number,
  maxDepth: number,
  minDepth: number,
  beam: number,
  weights: readonly number[],
): Step[] | null {
  for (const v of z0) if (e0.includes(v)) return null;
  const allIdle = (vs: ArrayLike<number>) => {
    for (let i = 0; i < vs.length; i++) if (inIdle[vs[i] - s.min] !== 1) return false;
    return vs.length > 0;
  };
  if (minDepth === 0 && e0.length === 1 && e0[0] === te && allIdle(z0)) return [];
  const n = s.size;
  const mark = new Int32Array(n);
  const markE = new Int32Array(n);
  let gen = 0;
  const prod = new Float64Array(n);
  let frontier: State[] = [{ zero: z0, one: e0, path: [] }];
  const seen = new StateSet();
  seen.add(z0, e0);
  const zs: number[] = [];
  const es: number[] = [];
  for (let depth = 1; depth <= maxDepth; depth++) {
    const children: State[] = [];
    for (const st of frontier) {
      for (const w of weights) {
        const table = stepTable(s, w);
        if (!table) {
          for (let h = s.min; h <= s.max; h++)
            prod[h - s.min] = s.accumulation === 'exact' ? w * h : s.mul(w, h);
        }
        const at = (h: number, b: number) =>
          table ? table[(b - s.min) * n + (h - s.min)] : apply(s, prod[h - s.min], b);
        for (let b = s.min; b <= s.max; b++) {
          gen++;
          zs.length = 0;
          es.length = 0;
          let ok = true;
          for (let i = 0; i < st.zero.length && ok; i++) {
            const v = at(st.zero[i], b);
            if (!(v >= s.min)) ok = false;
            else if (mark[v - s.min] !== gen) {
              mark[v - s.min] = gen;
              zs.push(v);
            }
          }
          for (let i = 0; i < st.one.length && ok; i++) {
            const v = at(st.one[i], b);
            if (!(v >= s.min) || mark[v - s.min] === gen) ok = false;
            else if (markE[v - s.min] !== gen) {
              markE[v - s.min] = gen;
              es.push(v);
            }
          }
          if (!ok) continue;
          if (depth >= minDepth && es.length === 1 && es[0] === te && allIdle(zs)) {
            return [...st.path, [w, b]];
          }
          if (depth === maxDepth) continue;
          // a state seen before (at any depth) is skipped: compared as sets through the marks of this b
          const h = setHash(zs, es);
          if (seen.hasMarked(h, zs.length, es.length, mark, markE, gen, s.min)) continue;
          const zArr = Int32Array.from(zs).sort();
          const eArr = Int32Array.from(es).sort();
          seen.addHashed(h, zArr, eArr);
          children.push({ zero: zArr, one: eArr, path: [...st.path, [w, b]] });
        }
      }
    }
    if (children.length === 0) return null;
    children.sort((a, b) => a.zero.length + a.one.length - (b.zero.length + b.one.length));
    frontier = children.slice(0, beam);
  }
  return null;
}

/** σ_F of the pre-activation from a product (or exact product for the wide accumulator) and a bias. */
function apply(s: Setting, t: number, b: number): number {
  if (s.accumulation === 'exact') return s.sigma[s.roundWide(b * s.one + t) - s.min];
  const a = s.bias === 'first' ? s.add(b, t) : s.add(t, b);
  return s.sigma[a - s.min];
}

/** True when one sorted set lies wholly below the other. */
function separated(a: Int32Array, b: Int32Array): boolean {
  return a[a.length - 1] < b[0] || b[b.length - 1] < a[0];
}

/**
 * `search` for a non-decreasing σ_F without wrap-around: every step h ↦ σ_F(w⊗h ⊕ b) is then monotone
 * in h (non-decreasing for w > 0, non-increasing for w < 0), so each side is tracked by the interval
 * spanned by its values. Sound: if both ends of a side reach one value, every value between does.
 */
function searchIntervals(
  s: Setting,
  z0: Int32Array,
  e0: Int32Array,
  inIdle: Uint8Array,
  te: number,
  maxDepth: number,
  minDepth: number,
  beam: number,
  weights: readonly number[],
): Step[] | null {
  type IState = { zl: number; zh: number; el: number; eh: number; path: Step[] };
  let frontier: IState[] = [{ zl: z0[0], zh: z0[z0.length - 1], el: e0[0], eh: e0[e0.length - 1], path: [] }];
  const n = s.size;
  const code = (zl: number, zh: number, el: number, eh: number) =>
    (((zl - s.min) * n + (zh - s.min)) * n + (el - s.min)) * n + (eh - s.min);
  const seen = new Set<number>([code(z0[0], z0[z0.length - 1], e0[0], e0[e0.length - 1])]);
  // bad[c − min + 1]: how many σ_F values ≤ c lie outside I. The zero side's actual values are σ_F values
  // in [zl, zh], so it has landed in I when no σ_F value of that interval is outside I.
  const image = new Uint8Array(n);
  for (const v of s.sigma) if (v >= s.min) image[v - s.min] = 1;
  const bad = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) bad[i + 1] = bad[i] + (image[i] === 1 && inIdle[i] !== 1 ? 1 : 0);
  const landed = (zl: number, zh: number) =>
    inIdle[zl - s.min] === 1 && inIdle[zh - s.min] === 1 && bad[zh - s.min + 1] === bad[zl - s.min];
  for (let depth = 1; depth <= maxDepth; depth++) {
    const children: IState[] = [];
    for (const st of frontier) {
      for (const w of weights) {
        const pre = (h: number) => (s.accumulation === 'exact' ? w * h : s.mul(w, h));
        const pzl = pre(st.zl);
        const pzh = pre(st.zh);
        const pel = pre(st.el);
        const peh = pre(st.eh);
        for (let b = s.min; b <= s.max; b++) {
          let zl = apply(s, pzl, b);
          let zh = apply(s, pzh, b);
          let el = apply(s, pel, b);
          let eh = apply(s, peh, b);
          if (!(zl >= s.min && zh >= s.min && el >= s.min && eh >= s.min)) continue;
          if (zl > zh) [zl, zh] = [zh, zl];
          if (el > eh) [el, eh] = [eh, el];
          if (!(zh < el || eh < zl)) continue;
          if (depth >= minDepth && el === te && eh === te && landed(zl, zh)) return [...st.path, [w, b]];
          if (depth === maxDepth) continue;
          const k = code(zl, zh, el, eh);
          if (seen.has(k)) continue;
          seen.add(k);
          children.push({ zl, zh, el, eh, path: [...st.path, [w, b]] });
        }
      }
    }
    if (children.length === 0) return null;
    const width = (c: IState) => c.zh - c.zl + (c.eh - c.el);
    children.sort((a, b) => width(a) - width(b));
    frontier = children.slice(0, beam);
  }
  return null;
}
