/**
 * The random cells of `bench/combos.bench.ts --random N --seed S` (issue 12 item 1; docs/theory.md §10.6,
 * "Random cells of the full product"): draws cells of `fxnn check` uniformly from the FULL product
 *
 *   activation (14 built-ins) × (format spelling, overflow) × rounding (8) × weights (all, binary)
 *     × accumulation (sequential, exact) × bias order (last, first)
 *
 * where the format spellings are every spelling `check` decides with 3 to 16 total bits:
 * - `Qm.n` and `SQm.n` with m + n + 1 = W bits, m, n ≥ 0 (W splits per width W);
 * - `UQm.n` with m + n = W, m, n ≥ 0 (W + 1 splits);
 * - `ap_fixed<W,I>` with 1 ≤ I ≤ W (W splits; I ≤ 0 or I > W, which HLS allows, are refused by `check`
 *   with one line: the engine takes m, n ≥ 0) and `ap_ufixed<W,I>` with 0 ≤ I ≤ W (W + 1 splits);
 * - `ap_int<W>` and `ap_uint<W>` (= ap_fixed<W,W>, ap_ufixed<W,W>);
 * and the overflow is one of those the spelling takes in `check` (saturate, wrap, error; the CLI refuses wrap
 * on SQ, which has no wrap-around encoding, so SQ spellings pair with saturate and error only). Each
 * (spelling, overflow) pair is equally likely, so the draw is uniform over the valid cells of the product
 * (1,794 pairs × 14 × 8 × 8 = 1,607,424 cells). Rounding and overflow are always passed as flags (they
 * override an ap_fixed spelling's own AP_TRN/AP_WRAP), so the alias spellings name the same configuration
 * as their Qm.n twin: they test the front end, the verdict must agree. Binary weights on a format without
 * ±1 are drawn too (`not-applicable`, an answer of the product like any other).
 *
 * The draw i uses exactly 6 numbers of mulberry32(seed) (src/prng.ts), so the first N cells of a seed are
 * a prefix of the first N + k: a run can be extended (`--random 400` after `--random 100`) and resumed.
 */
import { BUILTIN_NAMES } from '../src/activations/builtin-activations.js';
import { ROUNDING_MODES } from '../src/core/rounding.js';
import { mulberry32 } from '../src/prng.js';

/** One format spelling: what `--format` gets, its kind and total width. */
export interface Spelling {
  readonly format: string;
  readonly kind: 'Q' | 'SQ' | 'UQ' | 'ap_fixed' | 'ap_ufixed' | 'ap_int' | 'ap_uint';
  readonly bits: number;
}

/** Every spelling of 3 to 16 bits `check` decides (see the file header), in a fixed order. */
export function spellings(minBits = 3, maxBits = 16): Spelling[] {
  const out: Spelling[] = [];
  for (let w = minBits; w <= maxBits; w++) {
    for (let m = 0; m <= w - 1; m++) out.push({ format: `Q${m}.${w - 1 - m}`, kind: 'Q', bits: w });
    for (let m = 0; m <= w - 1; m++) out.push({ format: `SQ${m}.${w - 1 - m}`, kind: 'SQ', bits: w });
    for (let m = 0; m <= w; m++) out.push({ format: `UQ${m}.${w - m}`, kind: 'UQ', bits: w });
    for (let i = 1; i <= w; i++) out.push({ format: `ap_fixed<${w},${i}>`, kind: 'ap_fixed', bits: w });
    for (let i = 0; i <= w; i++) out.push({ format: `ap_ufixed<${w},${i}>`, kind: 'ap_ufixed', bits: w });
    out.push({ format: `ap_int<${w}>`, kind: 'ap_int', bits: w });
    out.push({ format: `ap_uint<${w}>`, kind: 'ap_uint', bits: w });
  }
  return out;
}

/** The overflow modes `check` takes for a spelling: no wrap on SQ (the CLI refuses it with one line). */
export function overflowsOf(s: Spelling): string[] {
  return s.kind === 'SQ' ? ['saturate', 'error'] : ['saturate', 'wrap', 'error'];
}

/** One drawn cell. */
export interface RandomCell {
  readonly draw: number;
  readonly seed: number;
  readonly kind: Spelling['kind'];
  readonly bits: number;
  readonly activation: string;
  readonly format: string;
  readonly rounding: string;
  readonly overflow: string;
  readonly weights: string;
  readonly accumulation: string;
  readonly bias: string;
}

/** The first `n` cells drawn with `seed` (uniform over the valid product; a prefix of any longer draw). */
export function randomCells(n: number, seed: number): RandomCell[] {
  const pairs: Array<[Spelling, string]> = [];
  for (const s of spellings()) for (const o of overflowsOf(s)) pairs.push([s, o]);
  const next = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  const cells: RandomCell[] = [];
  for (let draw = 0; draw < n; draw++) {
    const [s, overflow] = pick(pairs);
    cells.push({
      draw,
      seed,
      kind: s.kind,
      bits: s.bits,
      activation: pick(BUILTIN_NAMES),
      format: s.format,
      rounding: pick(ROUNDING_MODES),
      overflow,
      weights: pick(['all', 'binary']),
      accumulation: pick(['sequential', 'exact']),
      bias: pick(['last', 'first']),
    });
  }
  return cells;
}

/** The command line that runs a cell (for the summary's list and the docs). */
export function cellCommand(c: {
  activation: string;
  format: string;
  rounding: string;
  overflow: string;
  weights: string;
  accumulation: string;
  bias: string;
}): string {
  return `node bin/fxnn.js check --activation ${c.activation} --format "${c.format}" --rounding ${c.rounding} --overflow ${c.overflow} --weights ${c.weights} --accumulation ${c.accumulation} --bias ${c.bias}`;
}
