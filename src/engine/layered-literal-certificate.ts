/**
 * Boolean gadget certificates with two-layer literals (docs/theory.md §8.12, "Two-layer literals"): the
 * certificates of Proposition BG whose detectors are AND trees of literals of depth 2, on formats of up to
 * 32 values.
 *
 * Statement: Proposition BG (paired or start emitters) unchanged. Its detectors are any networks of the
 * configuration checked on every input (D_z(z) = a, D_z(x) = ι elsewhere, all of one depth); BG's own search
 * builds them from literals σ_F(w·x + b) of depth 1, which on some formats take two values {ι, a} too rarely
 * to separate every pair of inputs (softplus on SQ0.4 under ceil: no depth-1 literal separates −15 from −14).
 * Here a literal is a chain of two unary neurons h ↦ σ_F(w₂ ⊗ σ_F(w₁ ⊗ x ⊕ b₁) ⊕ b₂) (sequential; under exact
 * accumulation each neuron rounds b·2^F + w·h once) whose values on all of 𝕀 lie in {ι, a}; the
 * second layer can read a many-valued first layer in two levels, and negate it. D_z is an AND tree (copies of
 * BG's A, padded with BG's depth-1 delay P) of literals true at z that together exclude every x ≠ z. Every
 * certificate returned has passed `verifyBooleanGadgetCertificate`, which re-runs every gadget on every point
 * of its domain and checks the emitters for every y; the proof is Proposition BG's.
 */
import {
  andTree,
  type BooleanGadgetCertificate,
  delays,
  pairedCount,
  smallGadget,
  startCount,
  verifyBooleanGadgetCertificate,
} from './boolean-gadget-certificate.js';
import type { Budget } from './budget.js';
import { type Gadget, stack } from './gadget.js';
import { preActivation, type Setting, sigmaOf } from './setting.js';

/** The largest format searched (literal sets are bit masks of |𝕀| bits; depth-2 chains grow as |L₁|·|W|·|B|). */
export const LAYERED_LITERAL_MAX_VALUES = 32;

/** Sequential (start emitters) or exact (paired emitters) accumulation, 17 to 32 values (BG's own search: ≤ 16). */
export function layeredLiteralApplies(s: Setting): boolean {
  return s.size <= LAYERED_LITERAL_MAX_VALUES;
}

const bits = (m: bigint) => {
  let c = 0;
  for (let x = m; x > 0n; x &= x - 1n) c++;
  return c;
};

/**
 * Every two-valued function of depth 2 on 𝕀, grouped by its two values: layer 1 every unary neuron valid on 𝕀
 * (deduplicated by its values), layer 2 every unary neuron on it. Keyed `lo,hi`; each entry maps the bit mask
 * of the points where the value is hi (bit x − min) to one chain computing it.
 */
function twoValued(
  s: Setting,
  budget: Budget | undefined,
  first: ReadonlyArray<{ v: number[]; w: number; b: number }>,
): Map<string, Map<bigint, Gadget>> {
  const out = new Map<string, Map<bigint, Gadget>>();
  const W = [...new Set(s.weights)];
  const vals = new Array<number>(s.size);
  for (const h of first) {
    budget?.spend(W.length * s.size * s.size, 'two-layer literals');
    for (const w of W)
      for (let b = s.min; b <= s.max; b++) {
        let lo = Number.NaN;
        let hi = Number.NaN;
        let ok = true;
        for (let i = 0; i < s.size && ok; i++) {
          const v = sigmaOf(s, preActivation(s, [w], [h.v[i]], b));
          vals[i] = v;
          if (!(v >= s.min && v <= s.max)) ok = false;
          else if (Number.isNaN(lo)) lo = hi = v;
          else if (v < lo) {
            // a second value below the first; a third value ends the function's chances
            ok = hi === lo;
            lo = v;
          } else if (v > hi) {
            ok = hi === lo;
            hi = v;
          } else if (v !== lo && v !== hi) ok = false;
        }
        if (!ok || lo === hi) continue;
        let mask = 0n;
        for (let i = 0; i < s.size; i++) if (vals[i] === hi) mask |= 1n << BigInt(i);
        const k = `${lo},${hi}`;
        let m = out.get(k);
        if (!m) out.set(k, (m = new Map()));
        if (!m.has(mask))
          m.set(mask, {
            inputs: 1,
            layers: [[{ bias: h.b, edges: [[0, h.w]] }], [{ bias: b, edges: [[0, w]] }]],
          });
      }
  }
  return out;
}

/** Searches a boolean gadget certificate with two-layer literals; every certificate returned is verified. */
export function findLayeredLiteralCertificate(
  s: Setting,
  budget?: Budget,
): { certificate: BooleanGadgetCertificate | null; tried: string[] } {
  if (!layeredLiteralApplies(s))
    return { certificate: null, tried: [`more than ${LAYERED_LITERAL_MAX_VALUES} values`] };
  const sequential = s.accumulation === 'sequential';
  const W = [...new Set(s.weights)];
  const values = [...new Set(Array.from(s.sigma).filter((v) => v >= s.min && v <= s.max))];
  // layer 1: unary neurons σ_F(w ⊗ x ⊕ b) valid on all of 𝕀, deduplicated
  const first: Array<{ v: number[]; w: number; b: number }> = [];
  const seen = new Set<string>();
  for (const w of W)
    for (let b = s.min; b <= s.max; b++) {
      const v: number[] = [];
      for (let x = s.min; x <= s.max; x++) v.push(sigmaOf(s, preActivation(s, [w], [x], b)));
      if (!v.every((t) => t >= s.min && t <= s.max) || seen.has(v.join(','))) continue;
      seen.add(v.join(','));
      first.push({ v, w, b });
    }
  const all = (1n << BigInt(s.size)) - 1n;
  const groups = twoValued(s, budget, first);
  const tried: string[] = [];
  for (const a of values)
    for (const idle of values) {
      if (a === idle) continue;
      const tag = `a=${a}, ι=${idle}`;
      // the literals of {ι, a} as masks of a (one chain each); every pair of points separated by one of them
      // (else no detector of this kind exists; cheap, so first)
      const lits = new Map<bigint, Gadget>();
      for (const [mask, g] of groups.get(`${Math.min(a, idle)},${Math.max(a, idle)}`) ?? [])
        lits.set(a > idle ? mask : all & ~mask, g);
      let classes: number[][] = [Array.from({ length: s.size }, (_, i) => i)];
      for (const mask of lits.keys()) {
        const next: number[][] = [];
        for (const cl of classes) {
          const on = cl.filter((i) => (mask >> BigInt(i)) & 1n);
          const off = cl.filter((i) => !((mask >> BigInt(i)) & 1n));
          if (on.length > 0) next.push(on);
          if (off.length > 0) next.push(off);
        }
        classes = next;
        if (classes.length === s.size) break;
      }
      if (classes.length < s.size) {
        tried.push(
          `${tag}: the two-layer literals with values in {ι, a} do not separate every pair of values`,
        );
        continue;
      }
      // the cheap gadgets first: P of depth 1, A, and the emitters' C or prefix
      const P = smallGadget(s, 1, [[idle], [a]], [idle, a], budget);
      if (P?.layers.length !== 1) {
        tried.push(`${tag}: no delay of depth 1`);
        continue;
      }
      const pts = [
        [idle, idle],
        [idle, a],
        [a, idle],
        [a, a],
      ];
      const A = smallGadget(s, 2, pts, [idle, idle, idle, a], budget);
      if (!A) {
        tried.push(`${tag}: no AND gadget of depth ≤ 2`);
        continue;
      }
      const candidates: Array<Omit<BooleanGadgetCertificate, 'detectors' | 'and' | 'delay'>> = [];
      if (sequential) {
        // one ω per term t = ω ⊗ a (ω kills ι); the prefix: count copies of a constant K (weight 0 if W has it)
        // read with one weight; the accumulator after the prefix does not depend on β with the bias last
        const units = new Map<number, number>();
        for (const w of W) {
          const t = s.mul(w, a);
          if (s.mul(w, idle) === 0 && t >= s.min && t <= s.max && t !== 0 && !units.has(t)) units.set(t, w);
        }
        const prefixes = new Map<number, { value: number; weight: number; count: number }>();
        if (units.size > 0 && W.includes(0))
          for (const value of values)
            for (const weight of W) {
              const term = s.mul(weight, value);
              let acc = 0;
              for (let count = 0; count <= s.size && acc >= s.min; count++) {
                if (!prefixes.has(acc)) prefixes.set(acc, { value, weight, count });
                acc = s.add(acc, term);
              }
            }
        budget?.spend(units.size * prefixes.size * s.size * 2 * s.size, 'two-layer literal emitters');
        const reaches = (start: number, t: number, beta: number) => {
          // bias last: the outputs start ⊕ k·t ⊕ β; bias first: β, the prefix, then the terms
          const seen = new Set<number>();
          let acc = start;
          for (let k = 0; k <= 2 * s.size + 2 && acc >= s.min; k++) {
            seen.add(s.bias === 'first' ? acc : s.add(acc, beta));
            acc = s.add(acc, t);
          }
          let ok = true;
          for (let y = s.min; y <= s.max && ok; y++) ok = seen.has(y);
          return ok;
        };
        search: for (const [t, unit] of units)
          for (let beta = s.min; beta <= s.max; beta++)
            for (const [start0, p] of prefixes) {
              let start = start0;
              if (s.bias === 'first') {
                // the prefix from β
                start = beta;
                for (let j = 0; j < p.count && start >= s.min; j++)
                  start = s.add(start, s.mul(p.weight, p.value));
                if (!(start >= s.min)) continue;
              }
              if (!reaches(start, t, beta)) continue;
              const K: Gadget = {
                inputs: 1,
                layers: [[{ bias: s.sigma.indexOf(p.value) + s.min, edges: [[0, 0]] }]],
              };
              const probe: BooleanGadgetCertificate = {
                kind: 'start',
                a,
                idle,
                detectors: [],
                and: A,
                delay: P,
                constant: null,
                unit,
                beta,
                prefix: { gadget: K, value: p.value, weight: p.weight, count: p.count },
              };
              let ok = true;
              for (let y = s.min; y <= s.max && ok; y++) ok = startCount(s, probe, y) !== null;
              if (ok) {
                candidates.push(probe);
                break search;
              }
            }
      } else {
        const C = smallGadget(s, 1, [[idle], [a]], [idle, idle], budget);
        if (C?.layers.length === 1)
          for (const unit of W) {
            if (unit === 0 || !W.includes(-unit) || candidates.length > 0) continue;
            for (let beta = s.min; beta <= s.max && candidates.length === 0; beta++) {
              const probe: BooleanGadgetCertificate = {
                kind: 'paired',
                a,
                idle,
                detectors: [],
                and: A,
                delay: P,
                constant: C,
                unit,
                beta,
              };
              let ok = true;
              for (let y = s.min; y <= s.max && ok; y++) ok = pairedCount(s, probe, y) !== null;
              if (ok) candidates.push(probe);
            }
          }
      }
      if (candidates.length === 0) {
        tried.push(
          `${tag}: no ${sequential ? 'prefix and killing weight' : 'constant C, ±ω and β'} reach every y`,
        );
        continue;
      }
      // detectors: AND trees of two-layer literals true at z, chosen greedily until every x ≠ z is excluded
      const detectors: Gadget[] = [];
      let failure: string | null = null;
      for (let z = 0; z < s.size && !failure; z++) {
        const bz = 1n << BigInt(z);
        const parts: Gadget[] = [];
        let uncovered = all & ~bz;
        while (uncovered !== 0n && !failure) {
          let best: { g: Gadget; excludes: bigint; count: number } | null = null;
          for (const [mask, g] of lits) {
            if ((mask & bz) === 0n) continue;
            const excludes = ~mask & uncovered;
            const count = bits(excludes);
            if (count > 0 && (!best || count > best.count)) best = { g, excludes, count };
          }
          if (!best) failure = `${tag}: no two-layer literal separates ${s.min + z} from every other value`;
          else {
            parts.push(best.g);
            uncovered &= ~best.excludes;
          }
        }
        if (!failure && parts.length === 0) failure = `${tag}: no two-layer literal is true at ${s.min + z}`;
        if (!failure) detectors.push(andTree(parts, A, P));
      }
      if (failure) {
        tried.push(failure);
        continue;
      }
      const depth = Math.max(...detectors.map((g) => g.layers.length));
      const padded = detectors.map((g) => stack(g, delays(P, depth - g.layers.length)));
      let last = '';
      for (const base of candidates) {
        const cert: BooleanGadgetCertificate = { ...base, detectors: padded, and: A, delay: P };
        const why = verifyBooleanGadgetCertificate(s, cert);
        if (!why) return { certificate: cert, tried };
        last = why;
      }
      tried.push(`${tag}: ${last}`);
    }
  return { certificate: null, tried };
}
