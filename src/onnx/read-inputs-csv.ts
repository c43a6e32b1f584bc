/**
 * Input rows for `compare` and `profile`: a CSV file with one row per input and d columns, an optional
 * header `x1,…,xd` (any header is skipped if its first field is not a number), values as decimals.
 * Each value is kept exactly (a rational) and as the nearest double (for the float model).
 */
import type { Rational } from '../core/rational.js';
import { FxnnError } from '../errors.js';
import { readInputFile } from '../read-input-file.js';
import { parseValue } from '../value.js';

export interface InputRows {
  readonly exact: Rational[][];
  readonly float: number[][];
  /** The file line of each row (1-based), for messages. */
  readonly lines: number[];
}

export function parseInputsCsv(text: string, width: number, what: string): InputRows {
  const exact: Rational[][] = [];
  const float: number[][] = [];
  const lines: number[] = [];
  const all = text.split(/\r?\n/);
  all.forEach((raw, k) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split(',').map((f) => f.trim());
    if (exact.length === 0 && lines.length === 0 && !/^[+-]?(\d|\.\d)/.test(fields[0])) {
      lines.push(-1); // header
      return;
    }
    if (fields.length !== width) {
      throw new FxnnError(
        `${what} line ${k + 1}: ${fields.length} column${fields.length === 1 ? '' : 's'}, the network has ${width} input${width === 1 ? '' : 's'}`,
        'inputs',
      );
    }
    const row = fields.map((f, i) => parseValue(f, `${what} line ${k + 1} x${i + 1}`));
    exact.push(row);
    float.push(fields.map(Number));
    lines.push(k + 1);
  });
  const rows = lines.filter((l) => l > 0);
  if (rows.length === 0) throw new FxnnError(`${what}: no input rows`, 'inputs');
  return { exact, float, lines: rows };
}

export function readInputsCsv(path: string, width: number): InputRows {
  return parseInputsCsv(readInputFile(path, '--inputs', 'utf8'), width, path);
}
