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
 * The literals of depth 2 with values in {ι, a}, as bit masks (bit x − min: value a) with one chain each:
 * layer 1 every unary neuron valid on 𝕀 (deduplicated by its values), layer 2 every unary neuron on it.
 */
function literals(
  s: Setting,
  budget: Budget | undefined,
  a: number,
  idle: number,
  first: ReadonlyArray<{ v: number[]; w: number; b: number }>,
) {
  const out = new Map<bigint, Gadget>();
  const W = [...new Set(s.weights)];
  for (const h of first) {
    budget?.spend(W.length * s.size * s.size, 'two-layer literals');
    for (const w of W)
      for (let b = s.min; b <= s.max; b++) {
        let mask = 0n;
        let ok = true;
        for (let i = 0; i < s.size && ok; i++) {
          const v = sigmaOf(s, preActivation(s, [w], [h.v[i]], b));
          if (v === a) mask |= 1n << BigInt(i);
          else ok = v === idle;
        }
        if (ok && !out.has(mask))
          out.set(mask, {
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
  const tried: string[] = [];
  for (const a of values)
    for (const idle of values) {
      if (a === idle) continue;
      const tag = `a=${a}, ι=${idle}`;
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
        const omegas = W.filter(
          (w) => s.mul(w, idle) === 0 && !Number.isNaN(s.mul(w, a)) && s.mul(w, a) !== 0,
        );
        for (const value of values) {
          if (omegas.length === 0 || candidates.length > 0) break;
          const K = smallGadget(s, 1, [[idle], [a]], [value, value], budget);
          if (K?.layers.length !== 1) continue;
          for (const unit of omegas)
            for (const weight of W)
              for (let count = 0; count <= s.size && candidates.length === 0; count++)
                for (let beta = s.min; beta <= s.max && candidates.length === 0; beta++) {
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
                    prefix: { gadget: K, value, weight, count },
                  };
                  let ok = true;
                  for (let y = s.min; y <= s.max && ok; y++) ok = startCount(s, probe, y) !== null;
                  if (ok) candidates.push(probe);
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
      const lits = literals(s, budget, a, idle, first);
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
