/**
 * Digit rows (docs/construction.md, "Two-level tables from clean ramps", Digit rows). Statement: under
 * sequential accumulation, let D be a set of kinds (each neuron of one kind, one per kind) covering a
 * row whose every entry T is made by one kind of D (ω ⊗ σ_F(…) = T) or is T1 + T2 with T1 made by one
 * kind and T2 by another. Then the row neurons of D compute the row: inside the row at column c exactly
 * the one or two neurons carrying c see a nonzero term, every other neuron outputs a value its ω kills
 * (its kind's condition with no entry, and outside the row its gate pattern's, both checked by
 * `row-kinds.ts`), so the output's accumulator adds the carried terms in edge order: the partial sum after
 * the first is T1 (a value) and after the second T1 + T2 = T (a value), so no addition rounds or
 * saturates. This serves σ_F with a bounded image on 8 bits (tanh: one kind makes at most 2·one + 1
 * entries, so the greedy cover of `row-kinds.ts` pays about one neuron per two or three entries): the
 * digits of one family (one gate pattern, one row gate) cost four parameters a neuron and about 1.8
 * edges an entry (tanh on Q3.4: [1, 16] with ω = −one, {8, 16, …, 127} with ω = −max and their
 * negatives with ω = max). The set is chosen per row by local search (add or drop a kind while the
 * row's cost falls; it starts from the empty set and from the family's 8 cheapest pairs, every pair
 * scored from bitsets), every entry's digits by `cover` below; the statement holds for any D.
 */
import { contributesNothing } from '../engine/levels.js';
import { neuron, type Setting } from '../engine/setting.js';
import { type Kind, offsetKindsOf, patternFor, type RowNeuron, rowCost } from './row-kinds.js';

/** The entries a kind makes, sorted (T ≠ 0). */
function madeOf(s: Setting, k: Kind): number[] {
  const out: number[] = [];
  for (let t = 0; t < s.size; t++) if (!Number.isNaN(k.inv[t])) out.push(s.min + t);
  return out;
}

interface Candidate {
  readonly kind: Kind;
  readonly made: readonly number[];
  readonly pattern: number[];
}

const shortlistCache = new WeakMap<Setting, Candidate[][]>();

/**
 * Whether ω kills the neuron's output outside its row with this gate pattern (gate copies at one, read
 * after the Z edge and the entry), for no entry and for each of `es`: the condition the gating needs.
 */
function killedOutside(
  s: Setting,
  kind: Kind,
  pattern: readonly number[],
  es: ReadonlyArray<readonly [number, number]>,
): boolean {
  const zw = kind.z === undefined ? [] : [kind.z];
  const zh = kind.z === undefined ? [] : [s.one];
  const ones = pattern.map(() => s.one);
  const killed = (ws: number[], hs: number[]) =>
    contributesNothing(s, kind.omega, neuron(s, [...zw, ...ws, ...pattern], [...zh, ...hs, ...ones], kind.b));
  if (!killed([], [])) return false;
  for (const [, w] of es) if (!killed([w], [s.one])) return false;
  return true;
}

/**
 * Two-signed offset kinds: Z read with z = max − c first, bias −z, gate pattern [max, −c], where c is
 * the least code with σ_F(c) = σ_F(max). Inside the row the pre-activation is z + w − z = w for every
 * w ∈ [min, c] (z + w ≤ max: no saturation), so σ_F takes both signs, and with no entry it is
 * σ_F(0) = 0. Outside, z + w ≥ 0 for w ≥ −z, the first gate copy saturates the sum at max, the second
 * takes it to max − c, and the bias to 0. Each kind is kept when ω kills σ_F(0) (rest) — the outside
 * condition is checked per row with its entries (`killedOutside`).
 */
function twoSignedKinds(s: Setting): Array<{ kind: Kind; pattern: number[] }> {
  const top = s.sigma[s.size - 1] as number;
  let c = 0;
  while (c < s.max && s.sigma[c - s.min] !== top) c++;
  const z = s.max - c;
  if (c <= 0 || z <= 0 || -c < s.min) return [];
  const pattern = [s.max, -c];
  const out: Array<{ kind: Kind; pattern: number[] }> = [];
  const values = new Float64Array(s.size);
  for (let w = s.min; w <= s.max; w++) values[w - s.min] = neuron(s, [z, w], [s.one, s.one], -z);
  // the weights nearest 0 first (they keep z + w ≥ 0, which the outside saturation needs)
  const ws: number[] = [0];
  for (let k = 1; k <= -s.min; k++) ws.push(...(k <= s.max ? [k, -k] : [-k]));
  for (let omega = s.min; omega <= s.max; omega++) {
    if (omega === 0 || !contributesNothing(s, omega, neuron(s, [z], [s.one], -z))) continue;
    const inv = new Float64Array(s.size).fill(Number.NaN);
    for (const w of ws) {
      const t = s.mul(omega, values[w - s.min]);
      if (t === 0 || !Number.isNaN(inv[t - s.min])) continue;
      inv[t - s.min] = w;
    }
    const kind: Kind = { omega, b: -z, inv, z };
    if (killedOutside(s, kind, pattern, [])) out.push({ kind, pattern });
  }
  return out;
}

/**
 * The candidate kinds by family: offset kinds grouped by their Z weight, each with its gate pattern
 * for the no-entry case (checked again with the row's entries when a row is built), those making at
 * least one/2 entries (the others never pay for their four parameters); the two-signed kinds join the
 * family with Z weight max (both read the first gate copy with weight max).
 */
function shortlists(s: Setting): Candidate[][] {
  const hit = shortlistCache.get(s);
  if (hit) return hit;
  const byZ = new Map<number, Candidate[]>();
  const push = (key: number, kind: Kind, pattern: number[]) => {
    const made = madeOf(s, kind);
    if (made.length < s.one / 2) return;
    if (!byZ.has(key)) byZ.set(key, []);
    (byZ.get(key) as Candidate[]).push({ kind, made, pattern });
  };
  for (const kind of offsetKindsOf(s)) {
    const pattern = patternFor(s, kind, []);
    if (pattern) push(kind.z as number, kind, pattern);
  }
  for (const { kind, pattern } of twoSignedKinds(s)) if (pattern[0] === s.max) push(s.max, kind, pattern);
  const out = [...byZ.values()];
  shortlistCache.set(s, out);
  return out;
}

/** The digits of one entry T over the kinds D: one [kind index, T], or two summing to T; null if none. */
function digitsOf(s: Setting, D: readonly Candidate[], T: number): Array<[number, number]> | null {
  for (let i = 0; i < D.length; i++) if (!Number.isNaN(D[i].kind.inv[T - s.min])) return [[i, T]];
  for (let i = 0; i < D.length; i++) {
    for (const t1 of D[i].made) {
      const t2 = T - t1;
      if (t2 < s.min || t2 > s.max) continue;
      for (let m = 0; m < D.length; m++)
        if (m !== i && !Number.isNaN(D[m].kind.inv[t2 - s.min]))
          return [
            [i, t1],
            [m, t2],
          ];
    }
  }
  return null;
}

/** The cheapest pairs of a family each row's local search starts from. */
const PAIR_STARTS = 8;

/** Per family: each kind's made entries as a bitset over 𝕀, and per pair the entries made as T1 + T2. */
const pairCache = new WeakMap<Candidate[], { single: Uint8Array[]; sums: Uint8Array[] }>();

/**
 * The pair of kinds (indices into fam) of least row cost making every entry with one or two digits
 * (a digit from each), or null: every pair scored from bitsets of the values each kind makes.
 */
function bestPairs(
  s: Setting,
  fam: Candidate[],
  Ts: readonly number[],
  top: number,
): Array<[number, number]> {
  const n = fam.length;
  if (n < 2 || n > 600) return [];
  let pc = pairCache.get(fam);
  if (!pc) {
    const single = fam.map((c) => {
      const b = new Uint8Array(s.size);
      for (const t of c.made) b[t - s.min] = 1;
      return b;
    });
    const sums: Uint8Array[] = [];
    for (let i = 0; i < n; i++)
      for (let m = i + 1; m < n; m++) {
        const b = new Uint8Array(s.size);
        for (const t1 of fam[i].made)
          for (const t2 of fam[m].made) {
            const t = t1 + t2;
            if (t >= s.min && t <= s.max) b[t - s.min] = 1;
          }
        sums.push(b);
      }
    pairCache.set(fam, (pc = { single, sums }));
  }
  // the `top` cheapest pairs, cheapest first
  const best: Array<{ p: [number, number]; cost: number }> = [];
  let idx = 0;
  for (let i = 0; i < n; i++)
    for (let m = i + 1; m < n; m++, idx++) {
      const a = pc.single[i];
      const b = pc.single[m];
      const sm = pc.sums[idx];
      let edges = 0;
      for (const T of Ts) {
        const t = T - s.min;
        if (a[t] || b[t]) edges++;
        else if (sm[t]) edges += 2;
        else {
          edges = Number.POSITIVE_INFINITY;
          break;
        }
      }
      if (edges === Number.POSITIVE_INFINITY) continue;
      const cost = costOf([fam[i], fam[m]], edges);
      if (best.length < top || cost < best[best.length - 1].cost) {
        best.push({ p: [i, m], cost });
        best.sort((x, y) => x.cost - y.cost);
        if (best.length > top) best.pop();
      }
    }
  return best.map((e) => e.p);
}

/** Per entry its digits over the kinds D, the edges they take, and how many entries have none. */
function cover(
  s: Setting,
  D: readonly Candidate[],
  Ts: readonly number[],
): { edges: number; missing: number; digits: Array<Array<[number, number]> | null> } {
  let edges = 0;
  let missing = 0;
  const digits = Ts.map((T) => {
    const d = digitsOf(s, D, T);
    if (d) edges += d.length;
    else missing++;
    return d;
  });
  return { edges, missing, digits };
}

/** The row's cost with kinds D: edges, 4 per used neuron (Z, bias, output, first gate edge) and the gates. */
function costOf(D: readonly Candidate[], edges: number): number {
  let p = edges;
  let copies = 0;
  for (const c of D) {
    p += 3 + c.pattern.length;
    copies = Math.max(copies, c.pattern.length);
  }
  return p + 3 * copies;
}

/**
 * The digit rows of one row (entries[c] the table value at column c), the cheapest found over the
 * families by local search, or null. Each neuron's gate pattern is re-checked with its entries.
 */
export function digitRowNeurons(s: Setting, entries: ArrayLike<number>): RowNeuron[] | null {
  if (s.accumulation !== 'sequential') return null;
  const cols: number[] = [];
  const Ts: number[] = [];
  for (let c = 0; c < entries.length; c++) {
    if (entries[c] === 0) continue;
    cols.push(c);
    Ts.push(entries[c]);
  }
  if (cols.length === 0) return [];
  let best: { D: Candidate[]; cost: number } | null = null;
  for (const fam of shortlists(s)) {
    // the cost of D, with the entries it leaves without digits first (each counted as a whole row)
    const score = (ds: Candidate[]) => {
      const cv = cover(s, ds, Ts);
      return cv.missing * 1e6 + costOf(ds, cv.edges);
    };
    // start from the best pair of the family (every pair scored through bitsets), else empty; then greedy
    // growth: the kind that lowers the score most, until none does (at most 8 kinds)
    const starts: Candidate[][] = bestPairs(s, fam, Ts, PAIR_STARTS).map(([a, b]) => [fam[a], fam[b]]);
    if (starts.length === 0) starts.push([]);
    for (const start of starts) {
      let D: Candidate[] = start;
      let cur = D.length > 0 ? score(D) : Number.POSITIVE_INFINITY;
      while (D.length < 8) {
        let pick: Candidate | null = null;
        let pickScore = cur;
        for (const c of fam) {
          if (D.includes(c)) continue;
          const v = score([...D, c]);
          if (v < pickScore) {
            pick = c;
            pickScore = v;
          }
        }
        if (!pick) break;
        D = [...D, pick];
        cur = pickScore;
      }
      // drop a kind, or swap one for another of the family, while that lowers the score
      for (let improved = true, rounds = 0; improved && rounds < 16; rounds++) {
        improved = false;
        for (let i = 0; i < D.length && !improved; i++) {
          const E = D.filter((_, m) => m !== i);
          const v = score(E);
          if (v < cur) {
            D = E;
            cur = v;
            improved = true;
          }
        }
        for (let i = 0; i < D.length && !improved; i++) {
          for (const c of fam) {
            if (D.includes(c)) continue;
            const E = D.map((d, m) => (m === i ? c : d));
            const v = score(E);
            if (v < cur) {
              D = E;
              cur = v;
              improved = true;
              break;
            }
          }
        }
      }
      if (cur < 1e6 && (!best || cur < best.cost)) best = { D, cost: cur };
    }
  }
  if (!best) return null;
  const { D } = best;
  const cv = cover(s, D, Ts);
  if (cv.missing > 0) return null;
  const per: Array<Array<[number, number]>> = D.map(() => []);
  cv.digits.forEach((ds, e) => {
    for (const [i, t] of ds ?? []) per[i].push([cols[e], D[i].kind.inv[t - s.min]]);
  });
  const out: RowNeuron[] = [];
  for (let i = 0; i < D.length; i++) {
    if (per[i].length === 0) continue;
    const kind = D[i].kind;
    // the family's pattern, or (offset kinds) the cheapest of row-kinds.ts that kills these entries
    const pattern = killedOutside(s, kind, D[i].pattern, per[i]) ? D[i].pattern : patternFor(s, kind, per[i]);
    if (!pattern) return null;
    out.push({ kind, entries: per[i], pattern });
  }
  return out;
}

/** Cost of a row's neurons as `rowCost` counts it (3 parameters per gate copy). */
export const digitRowCost = (rn: readonly RowNeuron[]) => rowCost(rn, 3);
