import { createHash } from 'node:crypto';
import { compare, type Rational, ratio, toDecimalString } from '../core/rational.js';
import { check, FxnnError, quote } from '../errors.js';
import { type Format, parseFormat } from '../format.js';
import { codeToDecimal, exactCode, parseValue } from '../value.js';
import type { Activation } from './activation.js';
import { DomainError } from './decimal-interval.js';

/** Largest LUT format: one row per value. */
export const MAX_LUT_BITS = 20;

/**
 * A user activation given as a lookup table over every value of one format (the hardware LUT case):
 * y values are exact (decimals or fractions), σ_F rounds them like any other activation value.
 */
export function lutActivation(format: Format | string, ys: readonly Rational[]): Activation {
  const f = parseFormat(format);
  check(
    f.bits <= MAX_LUT_BITS,
    () => `lut: ${f.spec} has ${f.bits} bits; lookup tables are supported up to ${MAX_LUT_BITS} bits`,
    'lut',
  );
  check(
    BigInt(ys.length) === f.size,
    () => `lut: expected ${f.size} values (one per value of ${f.spec}), got ${ys.length}`,
    'lut',
  );
  const min = f.minCode;
  const y = Object.freeze([...ys]);
  const texts = y.map(toDecimalString);
  const digest = createHash('sha256')
    .update(`${f.spec}\n${texts.join('\n')}`)
    .digest('hex')
    .slice(0, 16);
  let monotone = true;
  let lower = y[0];
  let upper = y[0];
  let zero: Rational | null = null;
  for (let i = 0; i < y.length; i++) {
    if (i > 0 && compare(y[i], y[i - 1]) < 0) monotone = false;
    if (compare(y[i], lower) < 0) lower = y[i];
    if (compare(y[i], upper) > 0) upper = y[i];
    if (y[i].num === 0n) zero = ratio(min + BigInt(i), 1n << BigInt(f.fracBits));
  }
  const lookup = (x: Rational): Rational => {
    const scaled = x.num << BigInt(f.fracBits);
    if (scaled % x.den !== 0n) throw new DomainError(`${toDecimalString(x)} is not a value of ${f.spec}`);
    const code = scaled / x.den;
    if (code < f.minCode || code > f.maxCode)
      throw new DomainError(`${toDecimalString(x)} is outside ${f.spec}`);
    return y[Number(code - min)];
  };
  const act: Activation = {
    name: 'lut',
    key: `lut(${f.spec};sha256=${digest})`,
    params: Object.freeze({ format: f.spec, sha256: digest }),
    monotone,
    json: Object.freeze({ name: 'lut', format: f.spec, y: texts.join(',') }),
    formula: `lookup table over ${f.spec}`,
    range: Object.freeze({
      lower: { value: lower, exact: true, attained: true },
      upper: { value: upper, exact: true, attained: true },
      text: `[${toDecimalString(lower)}, ${toDecimalString(upper)}]`,
    }),
    zero,
    zeroBelow: null,
    domain: f,
    kernel: {
      exact: lookup,
      enclose: (x, ia) => ({ head: lookup(x), tail: ia.point(0), tinySign: 0 }),
    },
  };
  return Object.freeze(act);
}

/**
 * Parses a LUT from CSV text `x,y` with one row for every value of the format (any order; blank lines,
 * `#` comments and an `x,y` header are skipped). A missing, duplicate or off-grid row is an error
 * naming the row (`source` names the file in messages).
 */
export function lutFromCsv(format: Format | string, csv: string, source = 'lut'): Activation {
  const f = parseFormat(format);
  check(
    f.bits <= MAX_LUT_BITS,
    () => `lut: ${f.spec} has ${f.bits} bits; lookup tables are supported up to ${MAX_LUT_BITS} bits`,
    'lut',
  );
  const size = Number(f.size);
  const ys: Array<Rational | undefined> = new Array(size);
  const rowOf: number[] = new Array(size);
  const lines = csv.split(/\r?\n/);
  let seenData = false;
  lines.forEach((raw, i) => {
    const row = i + 1;
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split(',').map((s) => s.trim());
    if (
      !seenData &&
      fields.length === 2 &&
      fields[0].toLowerCase() === 'x' &&
      fields[1].toLowerCase() === 'y'
    ) {
      return;
    }
    seenData = true;
    check(
      fields.length === 2,
      () =>
        `${source} row ${row}: expected "x,y", got ${fields.length} field${fields.length === 1 ? '' : 's'}`,
      'lut',
    );
    let code: bigint;
    try {
      code = exactCode(fields[0], f, 'x');
    } catch (e) {
      if (e instanceof FxnnError) throw new FxnnError(`${source} row ${row}: ${e.message}`, 'lut');
      throw e;
    }
    let y: Rational;
    try {
      y = parseValue(fields[1], 'y');
    } catch (e) {
      if (e instanceof FxnnError) throw new FxnnError(`${source} row ${row}: ${e.message}`, 'lut');
      throw e;
    }
    const idx = Number(code - f.minCode);
    check(
      ys[idx] === undefined,
      () => `${source} row ${row}: duplicate x = ${quote(fields[0])} (already given in row ${rowOf[idx]})`,
      'lut',
    );
    ys[idx] = y;
    rowOf[idx] = row;
  });
  for (let i = 0; i < size; i++) {
    if (ys[i] === undefined) {
      throw new FxnnError(
        `${source}: no row for x = ${codeToDecimal(f.minCode + BigInt(i), f)} (a LUT over ${f.spec} needs one row for each of its ${size} values)`,
        'lut',
      );
    }
  }
  return lutActivation(f, ys as Rational[]);
}

/** The LUT form of network JSON: `{ name: 'lut', format: 'Q3.4', y: 'y0,y1,…' }` (y in increasing x). */
export function lutFromJson(fields: Record<string, unknown>): Activation {
  check(
    typeof fields.format === 'string' && typeof fields.y === 'string' && Object.keys(fields).length === 2,
    () =>
      'activation lut: expected { name: "lut", format: "<format>", y: "<y values in increasing x, comma-separated>" }',
    'lut',
  );
  const values = (fields.y as string).split(',');
  const ys = values.map((v, i) => {
    try {
      return parseValue(v.trim(), 'y');
    } catch (e) {
      if (e instanceof FxnnError) throw new FxnnError(`activation lut: value ${i + 1}: ${e.message}`, 'lut');
      throw e;
    }
  });
  return lutActivation(fields.format as string, ys);
}
