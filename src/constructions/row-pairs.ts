/**
 * Two-digit row entries (docs/construction.md, "Two-level tables through gadgets", Two-digit entries).
 * Statement: under sequential accumulation, a row entry T may be carried by two neurons of its row of
 * distinct kinds, a "high" one making T1 (ω1 ⊗ σ_F(w1 ⊗ one ⊕ b1) = T1) and a "low" one making T2, with
 * T1 + T2 = T (either may be absent when the other makes T alone). Inside the row at column c exactly
 * these two neurons see a nonzero term (their entry's, zero terms change nothing) and every other
 * neuron of the network outputs a value its ω kills, so the output's accumulator adds T1 and T2 in edge
 * order: the partial sum after the first is T1 or T2, a value, and after the second T1 + T2 = T, a value,
 * so neither addition rounds or saturates. This serves σ_F with a bounded image (tanh on Q7.8:
 * σ_F ∈ [−one, one], so one kind makes at most 2·one + 1 entries and a random row needs about one neuron
 * per entry): the low kind is the one whose entries contain the widest run of codes around 0 (ω = one:
 * [−one, one] for tanh), the high kind one whose entries have gaps no wider than that run (ω = max:
 * about every 128th code on Q7.8), so every T is a high entry plus a low one. Exact accumulation sums
 * the wide products before one rounding, which need not equal T1 + T2: not used there.
 * Where σ_F ≥ 0 (sigmoid, hard-sigmoid) a kind makes entries of one sign only (the sign of ω), so no
 * single high kind covers [min, max]: then the high digit comes from one of two kinds, a negative one
 * (entries ≤ 0) and a positive one, whose entries together have the gaps above (two-level-affine.ts);
 * the proof is unchanged: an entry is still carried by at most one high and one low neuron of its row.
 */
import type { Setting } from '../engine/setting.js';
import type { Kind } from './row-kinds.js';

/** The digits of one setting: the low kind and its run, the high kinds with their sorted entries. */
interface Digits {
  readonly lo: Kind;
  /** T2 ∈ [a, b] \ {0} is made by lo for every such T2. */
  readonly a: number;
  readonly b: number;
  /** High digits: one kind, or two (σ_F ≥ 0: a negative and a positive one); made sorted, by[i] its kind. */
  readonly his: ReadonlyArray<{ kinds: readonly Kind[]; made: Int32Array; by: Int32Array }>;
}

/** Whether the sorted high entries T1 (with 0) cover [min, max] by windows [T1 + a, T1 + b]. */
function covers(s: Setting, made: readonly number[], a: number, b: number): boolean {
  const all = [...made, 0].sort((p, q) => p - q);
  let ok = all[0] + a <= s.min && all[all.length - 1] + b >= s.max;
  for (let i = 1; i < all.length && ok; i++) if (all[i] - all[i - 1] > b - a + 1) ok = false;
  return ok;
}

const cache = new WeakMap<readonly Kind[], Digits | null>();

function digitsOf(s: Setting, kinds: readonly Kind[]): Digits | null {
  if (cache.has(kinds)) return cache.get(kinds)!;
  let best: Digits | null = null;
  if (s.accumulation === 'sequential') {
    let lo: Kind | null = null;
    let a = 0;
    let b = 0;
    for (const k of kinds) {
      let hi = 0;
      while (hi < s.max && !Number.isNaN(k.inv[hi + 1 - s.min])) hi++;
      let low = 0;
      while (low > s.min && !Number.isNaN(k.inv[low - 1 - s.min])) low--;
      if (hi - low > b - a) [lo, a, b] = [k, low, hi];
    }
    if (lo && b - a >= 2) {
      const his: Array<{ kinds: readonly Kind[]; made: Int32Array; by: Int32Array }> = [];
      const madeOf = (k: Kind) => {
        const made: number[] = [];
        for (let t = 0; t < s.size; t++) if (!Number.isNaN(k.inv[t])) made.push(s.min + t);
        return made;
      };
      for (const k of kinds) {
        if (k === lo) continue;
        const made = madeOf(k);
        // every code T in [min, max] is T1 + T2 with T1 made (or 0) and T2 ∈ [a, b]: the windows
        // [T1 + a, T1 + b] over the sorted T1 cover [min, max]
        if (covers(s, made, a, b))
          his.push({ kinds: [k], made: Int32Array.from(made), by: new Int32Array(made.length) });
      }
      // no single kind: a negative and a positive one (the first pair, in the kinds' order, that covers)
      if (his.length === 0) {
        const side = (sign: number) =>
          kinds
            .filter((k) => k !== lo)
            .map((k) => ({ k, made: madeOf(k) }))
            .filter(
              ({ made }) =>
                made.length > 0 &&
                (sign < 0
                  ? made[made.length - 1] <= 0 && made[0] + a <= s.min
                  : made[0] >= 0 && made[made.length - 1] + b >= s.max),
            );
        const negs = side(-1);
        const poss = negs.length > 0 ? side(1) : [];
        for (const n of negs) {
          const p = poss.find((q) => covers(s, [...n.made, ...q.made], a, b));
          if (!p) continue;
          const both = [...n.made.map((T) => [T, 0]), ...p.made.map((T) => [T, 1])].sort(
            (u, v) => u[0] - v[0],
          );
          his.push({
            kinds: [n.k, p.k],
            made: Int32Array.from(both.map((e) => e[0])),
            by: Int32Array.from(both.map((e) => e[1])),
          });
          break;
        }
      }
      if (his.length > 0) best = { lo, a, b, his };
    }
  }
  cache.set(kinds, best);
  return best;
}

/** The index in made of a high entry T1 with T − T1 ∈ [a, b] (T1 = T first), or null. */
function highFor(made: Int32Array, T: number, a: number, b: number): number | null {
  // the first made entry ≥ T − b
  let l = 0;
  let h = made.length;
  while (l < h) {
    const m = (l + h) >> 1;
    if (made[m] < T - b) l = m + 1;
    else h = m;
  }
  let pick: number | null = null;
  for (let i = l; i < made.length && made[i] <= T - a; i++) {
    if (made[i] === T) return i;
    if (pick === null || Math.abs(T - made[i]) < Math.abs(T - made[pick])) pick = i;
  }
  return pick;
}

/**
 * The two-digit cover of the entries (column, T) by one high and one low neuron of the row: per
 * neuron its kind and (column, weight) edges, or null when the setting has no digits or some T has none.
 */
export function pairCover(
  s: Setting,
  kinds: readonly Kind[],
  entries: ReadonlyArray<readonly [number, number]>,
): Array<{ kind: Kind; entries: Array<[number, number]> }> | null {
  const dg = digitsOf(s, kinds);
  if (!dg) return null;
  let best: Array<{ kind: Kind; entries: Array<[number, number]> }> | null = null;
  let bestEdges = Number.POSITIVE_INFINITY;
  for (const { kinds: hk, made, by } of dg.his) {
    const hiE: Array<Array<[number, number]>> = hk.map(() => []);
    const loE: Array<[number, number]> = [];
    let ok = true;
    for (const [c, T] of entries) {
      if (T >= dg.a && T <= dg.b) {
        loE.push([c, dg.lo.inv[T - s.min]]);
        continue;
      }
      const i1 = highFor(made, T, dg.a, dg.b);
      if (i1 === null) {
        ok = false;
        break;
      }
      const t1 = made[i1];
      hiE[by[i1]].push([c, hk[by[i1]].inv[t1 - s.min]]);
      if (T !== t1) loE.push([c, dg.lo.inv[T - t1 - s.min]]);
    }
    const edges = hiE.reduce((n, e) => n + e.length, 0) + loE.length;
    if (ok && edges < bestEdges) {
      bestEdges = edges;
      best = [...hk.map((kind, j) => ({ kind, entries: hiE[j] })), { kind: dg.lo, entries: loE }].filter(
        (n) => n.entries.length > 0,
      );
    }
  }
  return best;
}
