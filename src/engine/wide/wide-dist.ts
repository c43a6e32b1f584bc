/**
 * DIST above 16 bits by proof (docs/theory.md §9.5, "DIST shortcuts"), never by enumerating pairs:
 *
 * - _wrap_ (Lemma W): with 1 ∈ W and σ_F quasi-convex (its proven shape: monotone or a valley) and not
 *   constant, every pair is separated by a neuron σ_F(x ⊕ b): x ↦ x ⊕ b is a rotation of 𝕀, and a
 *   quasi-convex function on the codes that is periodic on the cycle is constant.
 * - _saturate_ (Lemma S): with ±1 ∈ W and a record split s ∈ [0, max] (σ_F(s) greater than every σ_F
 *   value on [min, s − 1]), every pair except (min, min + ε) of a two's-complement format is separated
 *   by w = ±1; (min, min + ε) by w = 1 when a record split s' ∈ [min + 1, 0] exists, else by an explicit
 *   neuron found among a few candidates and evaluated at both points. Symmetric formats need no more.
 * - _error_: not covered (a neuron x ⊕ b with b ≠ 0 raises on some input).
 *
 * - _binary weights, saturate_ (Lemma B): (min, min + ε) is separated iff σ_F is not constant on [min, 0]
 *   (w = 1), or, under exact accumulation, not constant on [−ε, max] (w = −1): the only proof of a
 *   failure here (W = {−1, 1} has 2·|𝕀| neurons, all covered by the argument).
 *
 * `holds: null` means undetermined, with the reason; with all weights a pair is never reported
 * inseparable (that would need all 2^(2·bits) neurons).
 */

import { codeToDecimal } from '../../value.js';
import { wideBiases, wideWeights } from './wide-chain.js';
import { tieMergedPair } from './wide-feature-pair.js';
import type { WideSigma } from './wide-sigma.js';
import { towardZeroMergedPair } from './wide-toward-zero.js';

export interface WideDist {
  /** true: proved; false: proved to fail at `witness` (Lemmas B, BE); null: not decided. */
  readonly holds: boolean | null;
  /** The pair no neuron separates when `holds` is false (default (min, min + ε)). */
  readonly witness?: readonly [bigint, bigint];
  /** How DIST was proved, or why it was not. */
  readonly reason: string;
}

/** Codes scanned from 0 for a record split (each one range query). */
const SCAN = 4096n;

/** σ_F(s) > every σ_F value on [min, s − 1] (s > min). */
export function isRecord(r: WideSigma, s: bigint): boolean {
  const left = r.range(r.setting.min, s - 1n);
  const v = r.setting.sigma(s);
  return left !== null && v !== null && v > left[1];
}

/** The least record split in [from, from + SCAN] ∩ [min + 1, max], then landmarks above `from`. */
export function recordSplitUp(r: WideSigma, from: bigint, to: bigint): bigint | null {
  const s = r.setting;
  const lo = from < s.min + 1n ? s.min + 1n : from;
  const hi = to > s.max ? s.max : to;
  for (let c = lo; c <= hi && c <= lo + SCAN; c++) if (isRecord(r, c)) return c;
  for (const c of r.landmarks()) if (c >= lo && c <= hi && isRecord(r, c)) return c;
  return null;
}

/** The greatest record split in [from − SCAN, from] ∩ [lo, max], then landmarks below `from`. */
export function recordSplitDown(r: WideSigma, from: bigint, lo: bigint): bigint | null {
  const s = r.setting;
  const bottom = lo < s.min + 1n ? s.min + 1n : lo;
  for (let c = from; c >= bottom && c >= from - SCAN; c--) if (isRecord(r, c)) return c;
  const marks = [...r.landmarks()].reverse();
  for (const c of marks) if (c <= from && c >= bottom && isRecord(r, c)) return c;
  return null;
}

export function wideDist(r: WideSigma): WideDist {
  const s = r.setting;
  const f = s.format;
  const hasOne = s.one <= s.max;
  const hasMinusOne = -s.one >= s.min;
  const mode = s.policy.overflow;
  if (mode === 'error') {
    if (s.binary && (f.kind === 'Q' || f.kind === 'SQ')) return binaryUnderError(r);
    const tz = towardZeroMergedPair(r);
    if (tz && typeof tz !== 'string')
      return {
        holds: false,
        witness: tz,
        reason: `under overflow error with toward-zero rounding and sequential accumulation on a ${f.kind === 'SQ' ? 'symmetric' : "two's-complement"} format the valid first-layer neurons are σ_F(x)${f.kind === 'SQ' ? ', σ_F(−x)' : ''} and those with a weight |w| < 1 (any other weight or a bias with w = 1 overflows at min or max), and every product w⊗x with |w| < 1 is equal at codes ${tz[0]} and ${tz[1]} (one of them a multiple of 2ⁿ: rounding toward 0 undoes the step of size |w|·ε; Lemma TZ, docs/theory.md §9.5), where σ_F takes one value${f.kind === 'SQ' ? ', as on their negations' : ''} (evaluated)`,
      };
    return {
      holds: null,
      reason:
        'under overflow error a first-layer neuron x ⊕ b with b ≠ 0 raises on some input; no DIST shortcut above 16 bits covers error with all weights (a certificate still proves universality, docs/theory.md §9.5)',
    };
  }
  if (mode === 'wrap') {
    if (!hasOne) return { holds: null, reason: `1 is not a value of ${f.spec} (Lemma W needs w = 1)` };
    const all = r.range(s.min, s.max);
    if (all === null || all[0] === all[1])
      return { holds: null, reason: 'σ_F is constant on 𝕀 (Lemma W needs a non-constant σ_F)' };
    return {
      holds: true,
      reason:
        'DIST holds by Lemma W (wrap): x ↦ x ⊕ b is a rotation of 𝕀 and a non-constant quasi-convex σ_F is not periodic on it, so for every x ≠ y some σ_F(x ⊕ b) ≠ σ_F(y ⊕ b) (docs/theory.md §9.5)',
    };
  }
  // saturate
  if (!hasOne || !hasMinusOne)
    return { holds: null, reason: `Lemma S needs the weights ±1, which are not both values of ${f.spec}` };
  const split = recordSplitUp(r, 0n, s.max);
  if (split === null)
    return { holds: null, reason: 'no record split s ≥ 0 of σ_F was found (Lemma S needs one)' };
  const base = `DIST holds by Lemma S (saturate; record split at code ${split}): w = ±1 separates every pair`;
  if (f.kind === 'SQ') return { holds: true, reason: `${base} (docs/theory.md §9.5)` };
  const low = recordSplitDown(r, 0n, s.min + 1n);
  if (low !== null)
    return {
      holds: true,
      reason: `${base} but (min, min + ε), which w = 1 with the record split at code ${low} ≤ 0 separates (docs/theory.md §9.5)`,
    };
  if (s.binary) {
    // Lemma B: with W = {−1, 1} the pair (min, min + ε) is decided by two range queries
    const one = (a: bigint, b: bigint) => {
      const g = r.range(a, b);
      return g !== null && g[0] === g[1];
    };
    if (!one(s.min, 0n))
      return {
        holds: true,
        reason: `${base} but (min, min + ε), which w = 1 separates because σ_F is not constant on [min, 0] (Lemma B, docs/theory.md §9.5)`,
      };
    if (s.exact && !one(-1n, s.max))
      return {
        holds: true,
        reason: `${base} but (min, min + ε), which w = −1 separates under exact accumulation because σ_F is not constant on [−ε, max] (Lemma B, docs/theory.md §9.5)`,
      };
    return {
      holds: false,
      reason: `no neuron σ_F(w⊗x ⊕ b) with w = ±1 separates min and min + ε: w = 1 puts them at codes c − 1 and c with c ≤ 0 (or both at min), where σ_F is constant on [min, 0], and w = −1 ${s.exact ? 'at codes c and c − 1 with c ≥ 0 (or both at max), where σ_F is constant on [−ε, max]' : 'saturates both to max'} (Lemma B, docs/theory.md §9.5)`,
    };
  }
  const sep = separateBottomPair(r);
  if (sep)
    return {
      holds: true,
      reason: `${base} but (min, min + ε), which the neuron w = ${codeToDecimal(sep[0], f)}, b = ${codeToDecimal(sep[1], f)} separates (evaluated at both; docs/theory.md §9.5)`,
    };
  return {
    holds: null,
    reason: `${base} but (min, min + ε), which no candidate neuron separates; whether any of the 2^${2 * f.bits} neurons does is not decided above 16 bits (docs/theory.md §9.5)`,
  };
}

/**
 * Lemma BE (binary weights, overflow `error`, a Qm.n): the valid unary neurons are exactly x ↦ σ_F(x)
 * (w = 1, b = 0) and, under exact accumulation only, x ↦ σ_F(−1 − x) (w = −1, b = −1). _Proof._ w = 1:
 * 1⊗x = x, and x + b is in range for every x only for b = 0 (b > 0 overflows at max, b < 0 at min), in
 * every accumulation and bias order. w = −1, sequential: (−1)⊗min = −min = max + ε overflows. w = −1,
 * exact: b − x is in range for all x iff b − min ≤ max and b − max ≥ min, i.e. b = max + min = −1. So
 * (min, min + ε) is separated iff σ_F(min) ≠ σ_F(min + ε), or (exact) σ_F(max) ≠ σ_F(max − ε) (with
 * −1 − min = max); a neuron is valid only if σ_F is valid on every pre-activation it meets (`wideSigma`
 * has checked σ_F valid on all of 𝕀 under error). When neither differs, DIST fails at (min, min + ε).
 * On an SQm.n (min = −max) the same argument gives x ↦ σ_F(x) and x ↦ σ_F(−x) (w = −1, b = 0: −x is a value
 * for every x, in every accumulation; b ≠ 0 overflows at an end), so there the mirror is −x.
 */
/** Codes scanned on each side of a landmark for a pair (x, x + ε) that no valid neuron separates. */
const PAIR_SCAN = 32n;

/**
 * Lemma BE, every pair: the valid unary neurons are x ↦ σ_F(x) and (exact) x ↦ σ_F(−1 − x), so a pair
 * (x, x + ε) on which both are constant is inseparable. Searched next to σ_F's landmarks and their mirrors
 * −1 − c (where plateaus of both functions meet); each candidate is decided by evaluating both neurons.
 */
function mergedAdjacentPair(r: WideSigma): [bigint, bigint] | null {
  const s = r.setting;
  const u = mirrorOf(r);
  const same = (x: bigint) => s.sigma(x) === s.sigma(x + 1n) && (!u || s.sigma(u(x)) === s.sigma(u(x + 1n)));
  const centres = new Set<bigint>();
  for (const c of r.landmarks()) {
    centres.add(c);
    if (u) centres.add(u(c));
  }
  for (const c of centres)
    for (let x = c - PAIR_SCAN; x <= c + PAIR_SCAN; x++)
      if (x >= s.min && x + 1n <= s.max && same(x)) return [x, x + 1n];
  return null;
}

/**
 * The second valid neuron's pre-activation x ↦ b₋ − x (Lemma BE): −1 − x on a Q format under exact
 * accumulation, −x on an SQ format (−x is a value for every x, so w = −1, b = 0 is valid in every
 * accumulation and bias order, and any other bias overflows at an end); null on Q under sequential
 * accumulation ((−1)⊗min overflows).
 */
function mirrorOf(r: WideSigma): ((x: bigint) => bigint) | null {
  const s = r.setting;
  if (s.format.kind === 'SQ') return (x) => -x;
  return s.exact ? (x) => -1n - x : null;
}

function binaryUnderError(r: WideSigma): WideDist {
  const s = r.setting;
  const u = mirrorOf(r);
  const differ = (a: bigint, b: bigint) => s.sigma(a) !== s.sigma(b);
  const bottomApart = differ(s.min, s.min + 1n) || (u !== null && differ(u(s.min), u(s.min + 1n)));
  const sq = s.format.kind === 'SQ';
  const second = sq ? ' and x ↦ σ_F(−x)' : s.exact ? ' and x ↦ σ_F(−1 − x)' : '';
  const why = sq
    ? 'any other bias overflows at min or max; on SQ, −x is a value for every x'
    : `any other bias overflows at min or max${s.exact ? '' : ', and (−1)⊗min = max + ε overflows'}`;
  if (bottomApart) {
    // Lemma OP's evaluated pairs next to the ties of hard-swish (SQ, nearest-even/-away/-zero)
    const tie = sq ? tieMergedPair(s) : null;
    const pair = mergedAdjacentPair(r) ?? (Array.isArray(tie) ? tie : null);
    const neurons = `x ↦ σ_F(x)${second}`;
    if (pair) {
      const [x, y] = pair;
      const f = s.format;
      return {
        holds: false,
        witness: pair,
        reason: `under overflow error with weights ±1 the only valid unary neurons are ${neurons} (${why}; Lemma BE, docs/theory.md §9.5), and ${u ? 'both are' : 'it is'} constant on (${codeToDecimal(x, f)}, ${codeToDecimal(y, f)}) (evaluated)`,
      };
    }
    return {
      holds: null,
      reason: `binary weights under overflow error: the valid unary neurons are ${neurons} (Lemma BE), which separate (min, min + ε); no pair (x, x + ε) next to σ_F's landmarks is merged by all of them, and whether they separate every pair is not decided above 16 bits`,
    };
  }
  return {
    holds: false,
    reason: `under overflow error with weights ±1 the only valid unary neurons are x ↦ σ_F(x)${second} (${why}), and σ_F(min) = σ_F(min + ε)${u ? `, σ_F(${sq ? '−min' : 'max'}) = σ_F(${sq ? '−min − ε' : 'max − ε'})` : ''} (Lemma BE, docs/theory.md §9.5)`,
  };
}

/** A neuron (w, b) with σ_F(w⊗min ⊕ b) ≠ σ_F(w⊗(min + ε) ⊕ b), both valid, among a few candidates. */
export function separateBottomPair(r: WideSigma): [bigint, bigint] | null {
  const s = r.setting;
  const x = s.min;
  const y = s.min + 1n;
  for (const w of wideWeights(s)) {
    const u0 = s.exact ? w * x : s.pre([w], [x], 0n);
    const u1 = s.exact ? w * y : s.pre([w], [y], 0n);
    if (u0 === null || u1 === null || u0 === u1) continue;
    for (const b of wideBiases(r, [u0, u1])) {
      const a = s.neuron([w], [x], b);
      const c = s.neuron([w], [y], b);
      if (a !== null && c !== null && a !== c) return [w, b];
    }
  }
  return null;
}
