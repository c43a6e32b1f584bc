/**
 * Row kinds (docs/construction.md, "Two-level tables through gadgets", Rows): a row neuron
 * R = σ_F(Σ_c w_c ⊗ I_c ⊕ Σ_j γ_j ⊗ G^(j) ⊕ b) over one-hot indicators at level one, read by the output
 * with weight ω. A kind (ω, b) with ω ⊗ σ_F(b) = 0 carries the entries T = ω ⊗ σ_F(w ⊗ one ⊕ b) it can
 * make; a row is covered greedily by kinds, and each neuron gets the cheapest gate pattern (gate copies
 * at level one, weights γ) whose outside pre-activations, computed for every column it carries, ω kills.
 * Offset kinds (ω, b, z) read a constant neuron Z = one with weight z before the entries: with z = max,
 * b = −max (σ_F(0) killed, tanh) one gate copy γ = max saturates any outside sum at max and the bias
 * takes it to exactly 0; with z = min, b = max (σ_F(−ε) killed, gelu-like) γ = min saturates at min and
 * the bias gives −ε. `bestRowNeurons` takes the cheaper cover of a row by classic or by offset kinds.
 */
import { contributesNothing } from '../engine/levels.js';
import { neuron, type Setting } from '../engine/setting.js';
import { pairCover } from './row-pairs.js';

/** Gate patterns, cheapest first: the weights of the gate copies read after the entries. */
function gatePatterns(s: Setting): number[][] {
  return [[s.min], [s.max], [s.min, 1], [s.min, s.min], [s.min, s.min, s.max, 1]];
}

/** A kind: output weight ω and bias b, with inv[T − min] = a weight w making T (or NaN). */
export interface Kind {
  readonly omega: number;
  readonly b: number;
  readonly inv: Float64Array;
  /** The weight of a first edge from the constant neuron Z = one (offset kinds), or undefined. */
  readonly z?: number;
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

/** A bias whose σ_F is exactly one (the constant neuron Z of offset kinds), or null. */
export function constantOneBias(s: Setting): number | null {
  for (let p = s.max; p >= s.min; p--) if (s.sigma[p - s.min] === s.one) return p;
  return null;
}

const offsetKindCache = new WeakMap<Setting, Kind[]>();

/**
 * Offset kinds (ω, b, z): the neuron reads Z = one with weight z first, then its entry; (z, b) is
 * (max, −max) or (min, max), and ω must kill the output without an entry. Empty when σ_F never is one.
 */
export function offsetKindsOf(s: Setting): Kind[] {
  const hit = offsetKindCache.get(s);
  if (hit) return hit;
  const kinds: Kind[] = [];
  if (constantOneBias(s) !== null && s.one <= s.max) {
    const values = new Float64Array(s.size);
    for (const [z, b] of [
      [s.max, -s.max],
      [s.min, s.max],
      [s.min + 1, s.max],
    ]) {
      if (b < s.min || b > s.max) continue;
      for (let w = s.min; w <= s.max; w++) values[w - s.min] = neuron(s, [z, w], [s.one, s.one], b);
      const rest = neuron(s, [z], [s.one], b);
      // the weights nearest 0 first: a large |w| adds to z and can spoil the saturation outside
      const ws: number[] = [0];
      for (let k = 1; k <= -s.min; k++) ws.push(...(k <= s.max ? [k, -k] : [-k]));
      for (const omega of omegaCandidates(s)) {
        if (!contributesNothing(s, omega, rest)) continue;
        const inv = new Float64Array(s.size).fill(Number.NaN);
        let any = false;
        for (const w of ws) {
          const v = values[w - s.min];
          if (!(v >= s.min)) continue;
          const t = s.accumulation === 'exact' ? s.roundWide(omega * v) : s.mul(omega, v);
          if (t === 0 || !(t >= s.min) || !Number.isNaN(inv[t - s.min])) continue;
          inv[t - s.min] = w;
          any = true;
        }
        if (any) kinds.push({ omega, b, inv, z });
      }
    }
  }
  offsetKindCache.set(s, kinds);
  return kinds;
}

/** Parameters of a row's neurons, with `gate` parameters per gate copy (the row's gate neurons). */
export function rowCost(rn: readonly RowNeuron[], gate: number): number {
  let p = 0;
  let copies = 0;
  for (const n of rn) {
    p += n.entries.length + 2 + n.pattern.length + (n.kind.z === undefined ? 0 : 1);
    copies = Math.max(copies, n.pattern.length);
  }
  return p + copies * gate;
}

/**
 * The cheaper of the covers of a row by classic kinds and by offset kinds (`offsetKindsOf`), by
 * `rowCost` with 3 parameters per gate copy; null when neither covers it.
 */
export function bestRowNeurons(
  s: Setting,
  kinds: readonly Kind[],
  entries: ArrayLike<number>,
): RowNeuron[] | null {
  let best = rowNeurons(s, kinds, entries);
  for (const family of offsetFamilies(s, entries.length)) {
    const alt = rowNeurons(s, family, entries, true);
    if (alt && (!best || rowCost(alt, 3) < rowCost(best, 3))) best = alt;
  }
  return best;
}

const familyCache = new WeakMap<Setting, Kind[][]>();

/**
 * The offset kinds grouped for the covers: each (z, b) alone, and (max, −max) with (min + ε, max) (both
 * halves of σ_F, one and two gate copies). Rows longer than 64 entries try the first group only (time).
 */
function offsetFamilies(s: Setting, rowLength: number): Kind[][] {
  let fams = familyCache.get(s);
  if (!fams) {
    const all = offsetKindsOf(s);
    const by = (z: number) => all.filter((k) => k.z === z);
    fams = [by(s.max), by(s.min), by(s.min + 1), [...by(s.max), ...by(s.min + 1)]].filter(
      (f) => f.length > 0,
    );
    familyCache.set(s, fams);
  }
  return rowLength > 64 ? fams.slice(0, 1) : fams;
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
export function patternFor(
  s: Setting,
  kind: Kind,
  es: ReadonlyArray<readonly [number, number]>,
): number[] | null {
  // an offset kind's first edge reads Z = one
  const zw = kind.z === undefined ? [] : [kind.z];
  const zh = kind.z === undefined ? [] : [s.one];
  for (const p of gatePatterns(s)) {
    const ones = p.map(() => s.one);
    const killed = (ws: number[], hs: number[]) =>
      contributesNothing(s, kind.omega, neuron(s, [...zw, ...ws, ...p], [...zh, ...hs, ...ones], kind.b));
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
  splitMin = false,
): RowNeuron[] | null {
  // the tasks (column, term): one per nonzero entry, or (splitMin) two halves for an entry min, carried
  // by two neurons whose output terms min/2, min/2 the output adds in order (both partial sums values)
  let cols: number[] = [];
  let vals: number[] = [];
  for (let c = 0; c < entries.length; c++) {
    if (entries[c] === 0) continue;
    if (splitMin && entries[c] === s.min && s.min % 2 === 0) {
      cols.push(c, c);
      vals.push(s.min / 2 - s.min, s.min / 2 - s.min);
    } else {
      cols.push(c);
      vals.push(entries[c] - s.min);
    }
  }
  const out: RowNeuron[] = [];
  const usedKinds = new Set<Kind>();
  /** Marks the tasks kind k carries (at most one per column: the halves of a split entry are adjacent). */
  const take = new Uint8Array(cols.length);
  const mark = (k: Kind): number => {
    let n = 0;
    let last = -1;
    const inv = k.inv;
    for (let i = 0; i < cols.length; i++) {
      take[i] = 0;
      if (cols[i] === last || Number.isNaN(inv[vals[i]])) continue;
      last = cols[i];
      take[i] = 1;
      n++;
    }
    return n;
  };
  while (cols.length > 0) {
    let best: Kind | null = null;
    let bestCount = 0;
    for (const k of kinds) {
      if (usedKinds.has(k)) continue;
      const n = mark(k);
      if (n > bestCount) {
        best = k;
        bestCount = n;
      }
    }
    // kinds that make few entries each (σ_F with a bounded image at 16 bits: tanh on Q7.8), or none:
    // every remaining entry as a high plus a low entry of two neurons (row-pairs.ts) when that is
    // cheaper than the greedy cover can be (formats above 9 bits, where ω comes from a spread)
    // (classic kinds only: offset covers, splitMin, keep one task per neuron and column)
    const greedyCost = cols.length + (NEURON_COST * cols.length) / Math.max(1, bestCount);
    if (!splitMin && (!best || (s.size > 512 && greedyCost > 2 * cols.length + 2 * NEURON_COST))) {
      const pc = pairCover(
        s,
        kinds,
        cols.map((c, i) => [c, vals[i] + s.min] as const),
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
    mark(best);
    const es: Array<[number, number]> = [];
    const restCols: number[] = [];
    const restVals: number[] = [];
    for (let i = 0; i < cols.length; i++) {
      if (take[i]) es.push([cols[i], best.inv[vals[i]]]);
      else {
        restCols.push(cols[i]);
        restVals.push(vals[i]);
      }
    }
    cols = restCols;
    vals = restVals;
    // outside the row: the active column's term (or none) then the gate copies at one
    const pattern = patternFor(s, best, es);
    if (!pattern) return null;
    out.push({ kind: best, entries: es, pattern });
  }
  return out;
}
