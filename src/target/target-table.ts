import { check, FxnnError, quote } from '../errors.js';
import type { Format } from '../format.js';
import type { Policy } from '../policy.js';
import { codeToDecimal, exactCode } from '../value.js';
import type { TargetFunction } from './target-function.js';

/** A target given as a table: the code of f at every input of 𝕀^d, in lexicographic order of codes. */
export interface TargetTable {
  readonly inputs: number;
  readonly format: Format;
  /** f's code at row index i of 𝕀^d (x1 varies slowest). */
  readonly codes: Int32Array;
}

/** Tables are held in memory: at most this many rows. */
export const MAX_TABLE_ROWS = 2 ** 26;

/**
 * Reads a CSV table of f : 𝕀^d → 𝕀 with header `x1,…,xd,y` (or `y1`) and one row per input, in any
 * order. Every value must be a value of the format. Errors name the line: off-grid values, wrong
 * numbers of fields, duplicated inputs, and missing inputs (the first one is named).
 */
export function parseTargetTable(
  text: string,
  format: Format,
  inputs: number,
  name = 'table',
  /** The format of the y column (default `format`; a version 2 network's output type). */
  yFormat: Format = format,
): TargetTable {
  check(
    format.bits <= 24,
    () => `${name}: tables need a format of at most 24 bits, not ${format.spec}`,
    'table',
  );
  check(
    yFormat.bits <= 32,
    () => `${name}: tables need an output format of at most 32 bits, not ${yFormat.spec}`,
    'table',
  );
  const total = format.size ** BigInt(inputs);
  check(
    total <= BigInt(MAX_TABLE_ROWS),
    () =>
      `${name}: ${format.spec}^${inputs} has ${total} inputs, more than a table may hold (${MAX_TABLE_ROWS})`,
    'table',
  );
  const size = Number(format.size);
  const min = Number(format.minCode);
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  check(lines.length > 0, () => `${name}: the table is empty`, 'table');
  const header = lines[0].split(',').map((h) => h.trim());
  const want = Array.from({ length: inputs }, (_, i) => `x${i + 1}`);
  const okHeader =
    header.length === inputs + 1 &&
    want.every((h, i) => header[i] === h) &&
    (header[inputs] === 'y' || header[inputs] === 'y1');
  check(
    okHeader,
    () => `${name} line 1: the header must be ${[...want, 'y'].join(',')}, got ${quote(lines[0])}`,
    'table',
  );
  const codes = new Int32Array(Number(total));
  const line = new Int32Array(Number(total)); // 1-based line of each input's row, 0 = not seen
  const cache = new Map<string, number>();
  const yCache = yFormat === format ? cache : new Map<string, number>();
  const parse = (field: string, what: string, lineNo: number, f = format, memo = cache): number => {
    const key = field.trim();
    let code = memo.get(key);
    if (code === undefined) {
      try {
        code = Number(exactCode(key, f, what));
      } catch (e) {
        if (e instanceof FxnnError) throw new FxnnError(`${name} line ${lineNo}: ${e.message}`, 'table');
        throw e;
      }
      memo.set(key, code);
    }
    return code;
  };
  for (let i = 1; i < lines.length; i++) {
    const lineNo = i + 1;
    if (lines[i].trim() === '') throw new FxnnError(`${name} line ${lineNo}: empty line`, 'table');
    const fields = lines[i].split(',');
    if (fields.length !== inputs + 1) {
      throw new FxnnError(
        `${name} line ${lineNo}: expected ${inputs + 1} fields (${[...want, 'y'].join(',')}), got ${fields.length}`,
        'table',
      );
    }
    let index = 0;
    for (let j = 0; j < inputs; j++) index = index * size + (parse(fields[j], `x${j + 1}`, lineNo) - min);
    const y = parse(fields[inputs], 'y', lineNo, yFormat, yCache);
    if (line[index] !== 0) {
      throw new FxnnError(
        `${name} line ${lineNo}: input (${fields
          .slice(0, inputs)
          .map((f) => f.trim())
          .join(', ')}) is already given on line ${line[index]}`,
        'table',
      );
    }
    line[index] = lineNo;
    codes[index] = y;
  }
  const missing = line.indexOf(0);
  if (missing >= 0) {
    let count = 0;
    for (const l of line) if (l === 0) count++;
    const x: string[] = [];
    let rest = missing;
    for (let j = inputs - 1; j >= 0; j--) {
      x[j] = codeToDecimal(BigInt((rest % size) + min), format);
      rest = Math.floor(rest / size);
    }
    throw new FxnnError(
      `${name}: no row for input (${x.join(', ')}); ${count} of ${total} inputs are missing`,
      'table',
    );
  }
  return { inputs, format, codes };
}

/** A table as a target function. */
export function tableTarget(table: TargetTable, policy: Policy, description = 'table'): TargetFunction {
  const { format, inputs, codes } = table;
  const size = format.size;
  return {
    inputs,
    format,
    policy,
    description,
    codeAt(x: readonly bigint[]): bigint {
      check(x.length === inputs, () => `table: expected ${inputs} inputs, got ${x.length}`, 'input');
      let index = 0n;
      for (const c of x) {
        check(
          c >= format.minCode && c <= format.maxCode,
          () => `table: code ${c} is outside ${format.spec}`,
          'input',
        );
        index = index * size + (c - format.minCode);
      }
      return BigInt(codes[Number(index)]);
    },
  };
}
