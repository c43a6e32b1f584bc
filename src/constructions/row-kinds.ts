/**
 * Row kinds (docs/construction.md, "Two-level tables through gadgets", Rows): a row neuron
 * R = σ_F(Σ_c w_c ⊗ I_c ⊕ Σ_j γ_j ⊗ G^(j) ⊕ b) over one-hot indicators at level one, read by the output
 * with weight ω. A kind (ω, b) with ω ⊗ σ_F(b) = 0 carries the entries T = ω ⊗ σ_F(w ⊗ one ⊕ b) it can
 * make; a row is covered greedily by kinds, and each neuron gets the cheapest gate pattern (gate copies
 * at level one, weights γ) whose outside pre-activations, computed for every column it carries, ω kills.
 */
import { contributesNothing } from '../engine/levels.js';
import { neuron, type Setting } from '../engine/setting.js';
import { pairCover } from './row-pairs.js';

/** Gate patterns, cheapest first: the weights of the gate copies read after the entries. */
function gatePatterns(s: Setting): number[][] {
  return [[s.min], [s.min, s.min], [s.min, s.min, s.max, 1]];
}

/** A kind: output weight ω and bias b, with inv[T − min] = a weight w making T (or NaN). */
export interface Kind {
  readonly omega: number;
  readonly b: number;
  readonly inv: Float64Array;
}

const kindCache = new WeakMap<Setting, Kind[]>();

/** The candidate output weights: all weights on small formats, a spread of gains above. */
function omegaCandidates(s: Setting): number[] {
  if (s.size <= 512) {
    const out: number[] = [];
    for (let w = s.min; w <= s.max; w++) if (w !== 0) out.push(w);
    // the ±one first: they make the most entries on near-identity σ_F
    return out.sort((a, b) => Math.abs(Math.abs(a) - s.one) - Math.abs(Math.abs(b) - s.one));
  }
  const out = new Set<number>();
  for (const m of [1, 2, 3, 4, 6, 8, 12, 16]) {
    for (let p = s.one; p >= 1 && p <= s.max * 16; p *= 2) {
      const w = Math.round((p * m) / 4);
      for (const v of [w, -w]) if (v >= s.min && v <= s.max && v !== 0) out.add(v);
    }
  }
  out.add(s.min);
  out.add(s.max);
  return [...out].sort((a, b) => Math.abs(Math.abs(a) - s.one) - Math.abs(Math.abs(b) - s.one));
}

/** Every kind (ω, b) with ω ⊗ σ_F(b) = 0, and the entries it makes. */
export function kindsOf(s: Setting): Kind[] {
  const hit = kindCache.get(s);
  if (hit) return hit;
  const biases: number[] = [];
  if (s.sigma[-s.min] === 0) biases.push(0);
  // the largest zero of σ_F below 0 (a wider range of entries above it) and min
  for (let p = -1; p >= s.min; p--) {
    if (s.sigma[p - s.min] === 0) {
      if (!biases.includes(p)) biases.push(p);
      break;
    }
  }
  const kinds: Kind[] = [];
  const values = new Float64Array(s.size);
  // entries some kind makes (large formats try a spread of ω first, then targeted ones below)
  const covered = new Uint8Array(s.size);
  covered[-s.min] = 1;
  let left = s.size - 1;
  const tryKind = (omega: number, b: number, onlyNew: boolean): void => {
    if (!contributesNothing(s, omega, neuron(s, [], [], b))) return;
    const inv = new Float64Array(s.size).fill(Number.NaN);
    let any = false;
    let fresh = 0;
    for (let w = s.min; w <= s.max; w++) {
      const v = values[w - s.min];
      if (!(v >= s.min)) continue;
      const t = s.accumulation === 'exact' ? s.roundWide(omega * v) : s.mul(omega, v);
      if (t === 0 || !(t >= s.min) || !Number.isNaN(inv[t - s.min])) continue;
      inv[t - s.min] = w;
      any = true;
      if (!covered[t - s.min]) fresh++;
    }
    if (!any || (onlyNew && fresh === 0)) return;
    for (let t = 0; t < s.size; t++) if (!Number.isNaN(inv[t]) && !covered[t]) covered[t] = 1;
    left -= fresh;
    kinds.push({ omega, b, inv });
  };
  for (const b of biases) {
    for (let w = s.min; w <= s.max; w++) values[w - s.min] = neuron(s, [w], [s.one], b);
    for (const omega of omegaCandidates(s)) tryKind(omega, b, false);
    // entries no ω of the spread makes (softplus on Q7.8: σ_F ≤ max + b < max, so the odd codes
    // near ±max, which ±2·one cannot make): ω = ±(one + k), k = 1, 2, …, each kept only when it
    // makes an entry not yet made, until every entry is made; not where most entries are unmade (σ_F
    // with a bounded image: row-pairs.ts)
    for (let k = 1; left > 0 && left <= s.size / 16 && s.size > 512 && k <= s.one; k++)
      for (const omega of [s.one + k, -(s.one + k)])
        if (omega >= s.min && omega <= s.max) tryKind(omega, b, true);
  }
  kindCache.set(s, kinds);
  return kinds;
}

/** One row neuron: its kind, its entries (column index, weight) and its gate pattern. */
export interface RowNeuron {
  readonly kind: Kind;
  readonly entries: Array<[number, number]>;
  readonly pattern: number[];
}

/**
 * Parameters a row neuron costs besides its entry edges (bias, output edge, one or two gate edges): the
 * greedy cover with best count k needs at least left/k more neurons, two-digit entries two neurons and
 * up to two edges per entry.
 */
const NEURON_COST = 4;

/** The cheapest gate pattern whose outside pre-activations (no entry, or one of `es`) ω kills, or null. */
function patternFor(s: Setting, kind: Kind, es: ReadonlyArray<readonly [number, number]>): number[] | null {
  for (const p of gatePatterns(s)) {
    const ones = p.map(() => s.one);
    const killed = (ws: number[], hs: number[]) =>
      contributesNothing(s, kind.omega, neuron(s, [...ws, ...p], [...hs, ...ones], kind.b));
    let ok = killed([], []);
    for (let i = 0; i < es.length && ok; i++) ok = killed([es[i][1]], [s.one]);
    if (ok) return p;
  }
  return null;
}

/**
 * The row neurons of one row (entries[c] the table value at column c): a greedy cover of the nonzero
 * entries by kinds, each neuron with the cheapest gate pattern whose outside pre-activations ω kills.
 * Where kinds make few entries each, two-digit entries (row-pairs.ts). Null when some entry has no kind or no pattern works.
 */
export function rowNeurons(
  s: Setting,
  kinds: readonly Kind[],
  entries: ArrayLike<number>,
): RowNeuron[] | null {
  const left = new Set<number>();
  for (let c = 0; c < entries.length; c++) if (entries[c] !== 0) left.add(c);
  const out: RowNeuron[] = [];
  const usedKinds = new Set<Kind>();
  while (left.size > 0) {
    let best: Kind | null = null;
    let bestCount = 0;
    for (const k of kinds) {
      if (usedKinds.has(k)) continue;
      let n = 0;
      for (const c of left) if (!Number.isNaN(k.inv[entries[c] - s.min])) n++;
      if (n > bestCount) {
        best = k;
        bestCount = n;
      }
    }
    // kinds that make few entries each (σ_F with a bounded image at 16 bits: tanh on Q7.8), or none:
    // every remaining entry as a high plus a low entry of two neurons (row-pairs.ts) when that is
    // cheaper than the greedy cover can be (formats above 9 bits, where ω comes from a spread)
    const greedyCost = left.size + (NEURON_COST * left.size) / Math.max(1, bestCount);
    if (!best || (s.size > 512 && greedyCost > 2 * left.size + 2 * NEURON_COST)) {
      const pc = pairCover(
        s,
        kinds,
        [...left].map((c) => [c, entries[c]] as const),
      );
      if (pc) {
        for (const n of pc) {
          const pattern = patternFor(s, n.kind, n.entries);
          if (!pattern) return null;
          out.push({ kind: n.kind, entries: n.entries, pattern });
        }
        break;
      }
    }
    if (!best) return null;
    usedKinds.add(best);
    const es: Array<[number, number]> = [];
    for (const c of [...left]) {
      const w = best.inv[entries[c] - s.min];
      if (Number.isNaN(w)) continue;
      es.push([c, w]);
      left.delete(c);
    }
    const pattern = patternFor(s, best, es);
    if (!pattern) return null;
    out.push({ kind: best, entries: es, pattern });
  }
  return out;
}
