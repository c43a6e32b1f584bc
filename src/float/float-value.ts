/**
 * Values in and out of float formats (docs/float.md §1): exact decimals and fractions as for fixed-point
 * formats, plus `inf`, `-inf`, `nan` and the signed zero `-0`.
 */
import type { Rational } from '../core/rational.js';
import { check, FxnnError, quote } from '../errors.js';
import { parseValue, type ValueInput } from '../value.js';
import { classify, type FloatFormat } from './float-format.js';
import {
  FloatOverflowError,
  type FloatPolicy,
  type FloatResult,
  floatCodeText,
  roundRational,
} from './float-rounding.js';

/** A parsed input: a finite exact value with its sign (so −0 is kept), ±∞ or NaN. */
export type FloatInput =
  | { readonly kind: 'finite'; readonly negative: boolean; readonly value: Rational }
  | { readonly kind: 'inf'; readonly negative: boolean }
  | { readonly kind: 'nan' };

const INF = /^([+-]?)(inf|infinity)$/i;

/** Parses `-0.75`, `1/3`, `-0`, `inf`, `-inf`, `nan` (case-insensitive), JS numbers (also ±Infinity, NaN). */
export function parseFloatInput(input: ValueInput, what = 'value'): FloatInput {
  if (typeof input === 'number') {
    if (Number.isNaN(input)) return { kind: 'nan' };
    if (!Number.isFinite(input)) return { kind: 'inf', negative: input < 0 };
    return { kind: 'finite', negative: input < 0 || Object.is(input, -0), value: parseValue(input, what) };
  }
  if (typeof input === 'string') {
    const text = input.trim();
    const inf = INF.exec(text);
    if (inf) return { kind: 'inf', negative: inf[1] === '-' };
    if (/^[+-]?nan$/i.test(text)) return { kind: 'nan' };
    const value = parseValue(text, what);
    return { kind: 'finite', negative: value.num < 0n || (value.num === 0n && text.startsWith('-')), value };
  }
  const value = parseValue(input, what);
  return { kind: 'finite', negative: value.num < 0n, value };
}

/**
 * rnd(x) into a float format. Infinities: kept where the format has them, NaN in FN formats under
 * `infinity` (overflowed), ±max under `saturate` (overflowed, as ONNX Cast with saturate), an error
 * under `error` in FN formats. NaN stays NaN.
 */
export function roundFloatInput(x: FloatInput, f: FloatFormat, policy: FloatPolicy): FloatResult {
  if (x.kind === 'nan') return { code: f.nanCode, overflowed: false, exact: false };
  if (x.kind === 'inf') {
    const sign = x.negative ? f.signBit : 0;
    if (policy.overflow === 'saturate') return { code: sign + f.maxCode, overflowed: true, exact: false };
    if (!f.fn) return { code: sign + f.infCode, overflowed: false, exact: true };
    if (policy.overflow === 'error') {
      throw new FloatOverflowError(
        `overflow: ${x.negative ? '-' : ''}inf has no value in ${f.spec} (it has no infinities)`,
      );
    }
    return { code: sign + f.nanCode, overflowed: true, exact: false };
  }
  if (x.value.num === 0n) return { code: x.negative ? f.signBit : 0, overflowed: false, exact: true };
  return roundRational(x.value, f, policy);
}

function shown(input: ValueInput): string {
  return typeof input === 'string'
    ? quote(input)
    : typeof input === 'object'
      ? `${input.num}/${input.den}`
      : String(input);
}

/**
 * The code of an input that must be a value of the format (an operand, a weight): an error naming the
 * two nearest values otherwise. `finite` refuses ±∞ and NaN (network parameters, table points).
 */
export function exactFloatCode(input: ValueInput, f: FloatFormat, what = 'value', finite = false): number {
  const x = parseFloatInput(input, what);
  if (x.kind !== 'finite') {
    check(
      !finite,
      () => `${what}: ${shown(input)} is not finite (a finite value of ${f.spec} is required)`,
      what,
    );
    if (x.kind === 'nan') return f.nanCode;
    check(!f.fn, () => `${what}: ${shown(input)} is not a value of ${f.spec} (it has no infinities)`, what);
    return (x.negative ? f.signBit : 0) + f.infCode;
  }
  const exact = roundFloatInput(x, f, { rounding: 'nearest-even', overflow: 'infinity' });
  if (exact.exact) return exact.code;
  const down = roundRational(x.value, f, { rounding: 'floor', overflow: 'saturate' });
  const up = roundRational(x.value, f, { rounding: 'ceil', overflow: 'saturate' });
  const lo = floatCodeText(down.code, f);
  const hi = floatCodeText(up.code, f);
  if (down.overflowed || up.overflowed) {
    throw new FxnnError(
      `${what}: ${shown(input)} is outside ${f.spec} [${floatCodeText(f.signBit + f.maxCode, f)}, ${floatCodeText(f.maxCode, f)}]`,
      what,
    );
  }
  throw new FxnnError(
    `${what}: ${shown(input)} is not a value of ${f.spec} (nearest are ${lo} and ${hi})`,
    what,
  );
}

/** True when the code is neither ±∞ nor NaN. */
export function isFiniteCode(code: number, f: FloatFormat): boolean {
  const c = classify(code, f);
  return c !== 'nan' && c !== 'infinite';
}
