import { BUILTIN_ACTIVATIONS } from '../activations/activation.js';
import { type FormatKind, makeFormat } from '../format.js';
import { makeConfiguration } from './configuration.js';
import { decide, type Verdict } from './verdict.js';

export interface MapCell extends Verdict {
  readonly activation: string;
  readonly format: string;
  readonly weights: string;
}

/** Which formats and semantics a map covers (default: Q formats, sequential accumulation). */
export interface MapOptions {
  /** Q (two's complement, default), SQ (symmetric) or UQ (unsigned) formats. */
  readonly encoding?: FormatKind;
  readonly accumulation?: 'sequential' | 'exact';
}

/** Every format Qm.n (or SQm.n, UQm.n) with 3 to maxBits total bits, smallest first. */
export function mapFormats(maxBits: number, encoding: FormatKind = 'Q'): string[] {
  const out: string[] = [];
  const sign = encoding === 'UQ' ? 0 : 1;
  for (let bits = 3; bits <= maxBits; bits++)
    for (let m = 0; m <= bits - sign; m++) out.push(makeFormat(encoding, m, bits - sign - m).spec);
  return out;
}

/** The verdict of one map cell (the map's semantics otherwise default). */
export function mapCell(
  activation: string,
  format: string,
  weights: 'all' | 'binary',
  accumulation: 'sequential' | 'exact' = 'sequential',
): MapCell {
  const v = decide(makeConfiguration({ format, activation, weights, accumulation }));
  return { activation, format, weights, ...v };
}

/** The verdict of every built-in activation × format (default semantics), THEORY §6. */
export function expressivityMap(
  maxBits: number,
  weights: 'all' | 'binary',
  onCell?: (done: number, total: number, cell: MapCell) => void,
  options: MapOptions = {},
): MapCell[] {
  const formats = mapFormats(maxBits, options.encoding);
  const total = formats.length * BUILTIN_ACTIVATIONS.length;
  const cells: MapCell[] = [];
  for (const activation of BUILTIN_ACTIVATIONS) {
    for (const format of formats) {
      const cell = mapCell(activation, format, weights, options.accumulation);
      cells.push(cell);
      onCell?.(cells.length, total, cell);
    }
  }
  return cells;
}

/** The map as a Markdown table: ✓ with the size of one detector, ✗ with the witness, ?, n/a. */
export function mapMarkdown(cells: readonly MapCell[]): string {
  const formats = [...new Set(cells.map((c) => c.format))];
  const acts = [...new Set(cells.map((c) => c.activation))];
  const mark = (c: MapCell) =>
    c.verdict === 'universal'
      ? `✓ ${c.certificate?.detector.parameters}${c.analytic?.holds ? ' ᴸ' : ''}`
      : c.verdict === 'not-universal'
        ? c.dist?.witness && !c.dist.holds
          ? `✗ (${c.dist.witness.join(', ')})`
          : c.reason.startsWith('output-range')
            ? '✗ range'
            : c.reason.startsWith('last-term')
              ? '✗ last term'
              : c.reason.startsWith('affine')
                ? '✗ affine'
                : '✗ fixpoint'
        : c.verdict === 'undetermined'
          ? '?'
          : 'n/a';
  const rows = [`| format | ${acts.join(' | ')} |`, `|---|${acts.map(() => '---').join('|')}|`];
  for (const f of formats) {
    rows.push(
      `| ${f} | ${acts.map((a) => mark(cells.find((c) => c.format === f && c.activation === a)!)).join(' | ')} |`,
    );
  }
  const count = (v: string) => cells.filter((c) => c.verdict === v).length;
  rows.push(
    '',
    `✓ universal (a verified certificate; the number is the parameters of its largest detector; ᴸ: the analytic linear-unit condition holds too, docs/theory.md §5) · ✗ not universal (DIST witness pair; "range": the output-range obstruction, docs/theory.md §6; "last term": §8.7; "affine": §10.4; "fixpoint": §4) · ? undetermined · n/a not applicable. ` +
      `${count('universal')} ✓, ${count('not-universal')} ✗, ${count('undetermined')} ?, ${count('not-applicable')} n/a.`,
  );
  return rows.join('\n');
}

export function mapCsv(cells: readonly MapCell[]): string {
  const q = (s: string) => `"${s.replaceAll('"', '""')}"`;
  const lines = [
    'activation,format,weights,verdict,dist_holds,witness_x,witness_y,detector_parameters,analytic,reason',
  ];
  for (const c of cells) {
    lines.push(
      [
        c.activation,
        c.format,
        c.weights,
        c.verdict,
        c.dist ? String(c.dist.holds) : '',
        c.dist?.witness?.[0] ?? '',
        c.dist?.witness?.[1] ?? '',
        c.certificate?.detector.parameters ?? '',
        c.analytic ? String(c.analytic.holds) : '',
        q(c.reason),
      ].join(','),
    );
  }
  return lines.join('\n');
}
