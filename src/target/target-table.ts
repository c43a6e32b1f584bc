import { closeSync, createReadStream, openSync } from 'node:fs';
import { createInterface } from 'node:readline';
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

/** `x1,…,xd,y` for d inputs. */
function headerText(inputs: number): string {
  return [...Array.from({ length: inputs }, (_, i) => `x${i + 1}`), 'y'].join(',');
}

/**
 * The number of inputs d a table's header line `x1,…,xd,y` (or `…,y1`) announces; an error naming the
 * header otherwise (`f.csv line 1: the header must be x1,…,xd,y with d ≥ 1 (e.g. x1,x2,y), got "a,b"`).
 */
export function tableInputsOf(headerLine: string, name = 'table'): number {
  const header = headerLine.split(',').map((h) => h.trim());
  const d = header.length - 1;
  const ok =
    d >= 1 &&
    header.slice(0, d).every((h, i) => h === `x${i + 1}`) &&
    (header[d] === 'y' || header[d] === 'y1');
  check(
    ok,
    () => `${name} line 1: the header must be x1,…,xd,y with d ≥ 1 (e.g. x1,x2,y), got ${quote(headerLine)}`,
    'table',
  );
  return d;
}

/**
 * Reads a CSV table of f : 𝕀^d → 𝕀 line by line (header `x1,…,xd,y` or `…,y1`, then one row per
 * input, in any order): only the codes are held, never the text. Every value must be a value of the
 * format. Errors name the line: off-grid values, wrong numbers of fields, duplicated inputs, and
 * missing inputs (the first one is named).
 */
export class TargetTableReader {
  private readonly size: number;
  private readonly min: number;
  private readonly total: number;
  private readonly codes: Int32Array;
  /** 1-based line of each input's row, 0 = not seen. */
  private readonly line: Int32Array;
  /** Parsed fields, for formats of at most 2^16 values (a field has at most that many spellings). */
  private readonly cache: Map<string, number> | null;
  /** Parsed y fields when the y column has its own format (a version 2 network's output type). */
  private readonly yCache: Map<string, number> | null;
  private lineNo = 0;
  private blankAt = 0;

  constructor(
    private readonly format: Format,
    private readonly inputs: number,
    private readonly name = 'table',
    /** The format of the y column (default `format`; a version 2 network's output type). */
    private readonly yFormat: Format = format,
  ) {
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
    this.size = Number(format.size);
    this.min = Number(format.minCode);
    this.total = Number(total);
    this.codes = new Int32Array(this.total);
    this.line = new Int32Array(this.total);
    this.cache = format.size <= 65536n ? new Map() : null;
    this.yCache = yFormat === format ? this.cache : yFormat.size <= 65536n ? new Map() : null;
  }

  private parse(field: string, what: string, lineNo: number, y = false): number {
    const key = field.trim();
    const memo = y ? this.yCache : this.cache;
    let code = memo?.get(key);
    if (code === undefined) {
      try {
        code = Number(exactCode(key, y ? this.yFormat : this.format, what));
      } catch (e) {
        if (e instanceof FxnnError) throw new FxnnError(`${this.name} line ${lineNo}: ${e.message}`, 'table');
        throw e;
      }
      memo?.set(key, code);
    }
    return code;
  }

  /** Takes the next line of the file (the header first). */
  add(text: string): void {
    const lineNo = ++this.lineNo;
    const { inputs, name } = this;
    if (lineNo === 1) {
      const header = text.split(',').map((h) => h.trim());
      const okHeader =
        header.length === inputs + 1 &&
        header.slice(0, inputs).every((h, i) => h === `x${i + 1}`) &&
        (header[inputs] === 'y' || header[inputs] === 'y1');
      check(
        okHeader,
        () => `${name} line 1: the header must be ${headerText(inputs)}, got ${quote(text)}`,
        'table',
      );
      return;
    }
    // blank lines are allowed only at the end of the file
    if (text.trim() === '') {
      if (this.blankAt === 0) this.blankAt = lineNo;
      return;
    }
    if (this.blankAt !== 0) throw new FxnnError(`${name} line ${this.blankAt}: empty line`, 'table');
    const fields = text.split(',');
    if (fields.length !== inputs + 1) {
      throw new FxnnError(
        `${name} line ${lineNo}: expected ${inputs + 1} fields (${headerText(inputs)}), got ${fields.length}`,
        'table',
      );
    }
    let index = 0;
    for (let j = 0; j < inputs; j++)
      index = index * this.size + (this.parse(fields[j], `x${j + 1}`, lineNo) - this.min);
    const y = this.parse(fields[inputs], 'y', lineNo, true);
    if (this.line[index] !== 0) {
      throw new FxnnError(
        `${name} line ${lineNo}: input (${fields
          .slice(0, inputs)
          .map((f) => f.trim())
          .join(', ')}) is already given on line ${this.line[index]}`,
        'table',
      );
    }
    this.line[index] = lineNo;
    this.codes[index] = y;
  }

  /** The table, once every line was added; an error naming the first missing input otherwise. */
  finish(): TargetTable {
    const { name, format, inputs, size, min } = this;
    check(this.lineNo > 0, () => `${name}: the table is empty`, 'table');
    const missing = this.line.indexOf(0);
    if (missing >= 0) {
      let count = 0;
      for (const l of this.line) if (l === 0) count++;
      const x: string[] = [];
      let rest = missing;
      for (let j = inputs - 1; j >= 0; j--) {
        x[j] = codeToDecimal(BigInt((rest % size) + min), format);
        rest = Math.floor(rest / size);
      }
      throw new FxnnError(
        `${name}: no row for input (${x.join(', ')}); ${count} of ${this.total} inputs are missing`,
        'table',
      );
    }
    return { inputs, format, codes: this.codes };
  }
}

/** Reads a CSV table from its text (see TargetTableReader). */
export function parseTargetTable(
  text: string,
  format: Format,
  inputs: number,
  name = 'table',
  yFormat: Format = format,
): TargetTable {
  const reader = new TargetTableReader(format, inputs, name, yFormat);
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  for (const line of lines) reader.add(line);
  return reader.finish();
}

/** Lines of a text file, read as a stream (a missing file is reported before anything is read). */
export async function* fileLines(path: string): AsyncGenerator<string> {
  closeSync(openSync(path, 'r'));
  const lines = createInterface({
    input: createReadStream(path, { encoding: 'utf8' }),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  try {
    yield* lines;
  } finally {
    lines.close();
  }
}

/** Reads a CSV table file as a stream: memory holds the codes, not the text. */
export async function readTargetTableFile(
  path: string,
  format: Format,
  inputs: number,
  yFormat: Format = format,
): Promise<TargetTable> {
  const reader = new TargetTableReader(format, inputs, path, yFormat);
  for await (const line of fileLines(path)) reader.add(line);
  return reader.finish();
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
