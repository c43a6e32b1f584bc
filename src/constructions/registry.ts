/**
 * The registry of constructions (docs/construction.md, "The compiler", Layout): every construction of
 * this folder, cheap plans (lower bounds on parameters), and `compileTable`, which builds the smallest.
 */
import type { Certificate } from '../engine/certificate.js';
import { gadgetParameters } from '../engine/gadget.js';
import { layeredSize } from '../engine/layered-net.js';
import type { Setting } from '../engine/setting.js';
import { FxnnError } from '../errors.js';
import { compileBoxes } from './boxes.js';
import { boxesOf } from './boxes-of.js';
import type { Compilation, Construction, Target } from './compilation.js';
import { compileRows } from './rows.js';
import { compileSteps } from './steps.js';
import { thresholdNeurons } from './threshold-neurons.js';
import { twoLevel } from './two-level.js';
import { twoLevelAffine } from './two-level-affine.js';
import { twoLevelBits } from './two-level-bits.js';
import { twoLevelGadgets } from './two-level-gadgets.js';
import { twoLevelIndex } from './two-level-index.js';
import { twoLevelPeriodic } from './two-level-periodic.js';
import { twoLevelRamps } from './two-level-ramps.js';
import { twoLevelWrap } from './two-level-wrap.js';
import { wrapThresholds } from './wrap-thresholds.js';

/** The most occurrences of one value in table[from .. from + n) (stride `step`). */
function maxCount(table: Int32Array, from: number, n: number, step: number): number {
  const counts = new Map<number, number>();
  let best = 0;
  for (let k = 0; k < n; k++) {
    const v = table[from + k * step];
    const c = (counts.get(v) ?? 0) + 1;
    counts.set(v, c);
    if (c > best) best = c;
  }
  return best;
}

/**
 * A lower bound for the row classes (`transpose`: columns): every entry ≠ β of a row group is one edge of
 * a class neuron, and each group has at most (its most frequent value) entries equal to β.
 */
function rowsPlan({ table, d, s }: Target, transpose: boolean): number | null {
  if (d < 2 || (transpose && d !== 2)) return null;
  const N = s.size;
  const rows = table.length / N;
  const seen = new Set<string>();
  let p = 1;
  for (let r = 0; r < rows; r++) {
    const from = transpose ? r : r * N;
    const step = transpose ? N : 1;
    let key = '';
    for (let b = 0; b < N; b++) key += `${table[from + b * step]},`;
    if (seen.has(key)) continue;
    seen.add(key);
    p += N - maxCount(table, from, N, step);
  }
  return p;
}

/**
 * A lower bound for the boxes: every box of a value ≠ β has an output edge, a box bounded in k ≥ 2
 * coordinates its own AND tree (at least one AND gadget), one bounded in one coordinate its own detector. β is not known yet: the value with the most
 * boxes is left out.
 */
function boxesPlan(t: Target): number {
  const { table, d, s } = t;
  const boxes = boxesOf(table, d, s.min, s.size, s.min - 1, true);
  // the AND gadget's size only when some box needs a tree (the certificate is found lazily)
  let and = 0;
  const per = new Map<number, number>();
  let total = 0;
  for (const b of boxes) {
    let k = 0;
    for (let i = 0; i < d; i++) if (b.lo[i] !== s.min || b.hi[i] !== s.max) k++;
    if (k >= 2 && and === 0) and = gadgetParameters(t.cert.and);
    // a box bounded in one coordinate has its own detector (no other box has that interval alone): a
    // neuron with an edge and a bias
    const cost = 1 + (k >= 2 ? and : k === 1 ? 2 : 0);
    per.set(b.value, (per.get(b.value) ?? 0) + cost);
    total += cost;
  }
  let most = 0;
  for (const c of per.values()) if (c > most) most = c;
  return 1 + total - most;
}

/** A lower bound for the steps and ramps (d = 1): a neuron (edge, bias) and an output edge per jump. */
function stepsPlan({ table, d, s }: Target): number | null {
  if (d !== 1 || s.accumulation === 'exact') return null;
  let jumps = 0;
  for (let i = 1; i < table.length; i++) if (table[i] !== table[i - 1]) jumps++;
  return 1 + 3 * jumps;
}

/** Every construction, in the order that breaks ties between networks of equal size. */
export const CONSTRUCTIONS: readonly Construction[] = [
  {
    name: 'boxes',
    summary: 'composition lemma with compression: one AND tree per constant box (any d, any certificate)',
    plan: boxesPlan,
    build: ({ s, cert, table, d }) => compileBoxes(s, cert, table, d, true),
  },
  {
    name: 'rows',
    summary: 'row classes: one neuron per (row, value) over shared column detectors (d ≥ 2)',
    plan: (t) => rowsPlan(t, false),
    build: ({ s, cert, table, d }) => compileRows(s, cert, table, d),
  },
  {
    name: 'columns',
    summary: 'row classes on the transposed table (d = 2)',
    plan: (t) => rowsPlan(t, true),
    build: ({ s, cert, table, d }) => compileRows(s, cert, table, d, true),
  },
  {
    name: 'steps',
    summary: 'telescoping threshold signals, or ramps for relu (d = 1, sequential accumulation)',
    plan: stepsPlan,
    build: ({ s, cert, table, d }) => compileSteps(s, cert, table, d),
  },
  twoLevel,
  twoLevelIndex,
  twoLevelGadgets,
  thresholdNeurons,
  twoLevelRamps,
  twoLevelWrap,
  wrapThresholds,
  twoLevelAffine,
  twoLevelPeriodic,
  twoLevelBits,
];

/**
 * The constructions that assemble the certificate's gadgets point by point (boxes, rows, columns,
 * steps): their threshold chains are checked on all of 𝕀 and the steps' increments searched over every
 * accumulator value, so their work grows like |𝕀| · |𝕀|^d.
 */
const CERTIFICATE_CONSTRUCTIONS: ReadonlySet<string> = new Set(['boxes', 'rows', 'columns', 'steps']);

/**
 * The largest |𝕀| · |𝕀|^d the certificate constructions take on (a 13-bit format at d = 1, `Q3.4` at
 * d = 2); beyond it they would run for many minutes or out of memory (sigmoid on `Q7.8` at d = 1: more
 * than 7 minutes, then a 4 GB heap), so the compiler refuses up front instead.
 */
export const CERTIFICATE_CONSTRUCTION_WORK = 2 ** 26;

/**
 * boxes alone has a lower bound (an 11-bit format at d = 1): on `Q5.6` (2^24) it ran out of a 4 GB heap
 * for sigmoid (`sin(3*x1)`, 30 s to 1.5 GB), where steps builds in 29 s of CPU and 209 MB.
 */
export const BOXES_WORK = 2 ** 22;

/** The construction names, for `construct --construction`. */
export const CONSTRUCTION_NAMES: readonly string[] = CONSTRUCTIONS.map((c) => c.name);

/**
 * The smallest network among the constructions that apply (ties: the earlier in CONSTRUCTIONS), or the
 * one named by `only`. Constructions are built in the order of their plans (lower bounds); one whose
 * plan cannot beat the best so far is skipped. With `compress` false: the boxes without compression.
 */
export function compileTable(
  s: Setting,
  cert: Certificate | (() => Certificate),
  table: Int32Array,
  d: number,
  compress: boolean,
  only?: string,
): Compilation {
  const certOf = typeof cert === 'function' ? cert : () => cert;
  if (!compress) return compileBoxes(s, certOf(), table, d, false);
  // the certificate is asked for only by the constructions that use it (two-level does not)
  const target: Target = {
    s,
    table,
    d,
    get cert() {
      return certOf();
    },
  };
  const tooLarge = s.size * table.length > CERTIFICATE_CONSTRUCTION_WORK;
  const boxesTooLarge = s.size * table.length > BOXES_WORK;
  const refusal = () =>
    `two-level needs σ_F = relu on codes, two-level-gadgets a zero of σ_F and at d = 1 an identity ` +
    `window σ_F(p) = p, two-level-affine an affine window σ_F(A·p ⊕ β) = p and d = 1, thresholds a step σ_F and d = 1 (all four overflow saturate and all weights), ` +
    `two-level-wrap σ_F = relu, d = 1 and overflow wrap (or saturate where two-level fails), ` +
    `thresholds-wrap a step σ_F, d = 1 and overflow wrap, ` +
    `two-level-periodic σ_F or σ_F^r (r ≤ 4) constant on a run [min, E] of at least |𝕀|/16 codes, d = 1 and overflow wrap, ` +
    `two-level-bits σ_F = identity, d ≤ 2, overflow wrap and floor or ceiling rounding, ` +
    `and boxes, rows, columns and steps ` +
    `assemble the certificate's gadgets point by point, with work |𝕀|·|𝕀|^d = ${s.size}·${table.length} ` +
    `above their bound ${CERTIFICATE_CONSTRUCTION_WORK} (a 13-bit format at d = 1; docs/construction.md, ` +
    `"Constructions at 16 bits")`;
  if (only !== undefined && tooLarge && CERTIFICATE_CONSTRUCTIONS.has(only))
    throw new FxnnError(`--construction ${only}: ${refusal()}`, 'construction');
  if (only === 'boxes' && boxesTooLarge)
    throw new FxnnError(
      `--construction boxes: work |𝕀|·|𝕀|^d = ${s.size}·${table.length} above its bound ${BOXES_WORK} ` +
        `(an 11-bit format at d = 1; docs/construction.md, "Constructions at 16 bits")`,
      'construction',
    );
  const chosen = (only === undefined ? CONSTRUCTIONS : CONSTRUCTIONS.filter((c) => c.name === only)).filter(
    (c) => (!tooLarge || !CERTIFICATE_CONSTRUCTIONS.has(c.name)) && !(boxesTooLarge && c.name === 'boxes'),
  );
  if (only !== undefined && !CONSTRUCTION_NAMES.includes(only))
    throw new RangeError(`no construction named ${only}`);
  // a construction that needs the certificate fails with the search's error when there is none; it is
  // skipped, and the error reported only when no other construction applies (two-level-wrap needs none)
  let skipped: FxnnError | null = null;
  const attempt = <T>(f: () => T): T | null => {
    try {
      return f();
    } catch (e) {
      if (!(e instanceof FxnnError)) throw e;
      skipped ??= e;
      return null;
    }
  };
  const plans: Array<{ index: number; plan: number }> = [];
  for (const c of chosen) {
    const plan = attempt(() => c.plan(target));
    if (plan !== null) plans.push({ index: CONSTRUCTIONS.indexOf(c), plan });
  }
  plans.sort((a, b) => a.plan - b.plan || a.index - b.index);
  let best: { c: Compilation; size: number; index: number } | null = null;
  for (const { index, plan } of plans) {
    if (best && (plan > best.size || (plan === best.size && index > best.index))) continue;
    const c = attempt(() => CONSTRUCTIONS[index].build(target));
    if (!c) continue;
    const size = layeredSize(c.net).parameters;
    if (!best || size < best.size || (size === best.size && index < best.index))
      best = { c: { ...c, plan }, size, index };
  }
  if (!best) {
    if (skipped) throw skipped;
    if (only !== undefined) {
      const summary = CONSTRUCTIONS.find((c) => c.name === only)?.summary ?? '';
      throw new FxnnError(
        `--construction ${only}: the construction does not apply here (d = ${d}; it is: ${summary})`,
        'construction',
      );
    }
    if (tooLarge) throw new FxnnError(`no construction applies within bounds: ${refusal()}`, 'format');
    if (boxesTooLarge)
      throw new FxnnError(
        `no construction applies within bounds: the others do not build this table, and boxes' work ` +
          `|𝕀|·|𝕀|^d = ${s.size}·${table.length} is above its bound ${BOXES_WORK} (an 11-bit format at d = 1; ` +
          `docs/construction.md, "Constructions at 16 bits")`,
        'format',
      );
    return compileBoxes(s, certOf(), table, d, true);
  }
  return best.c;
}
