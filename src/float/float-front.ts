/**
 * The validated front end of float formats (docs/float.md): `roundFloat`, `operateFloat`,
 * `floatFormatFacts`. Results carry the code (bit pattern) and the value as an exact decimal, `-0`,
 * `inf`, `-inf` or `nan`.
 */
import type { Op } from '../core/ops.js';
import { parseOp } from '../fixed.js';
import type { ValueInput } from '../value.js';
import { type FloatFormat, parseFloatFormat } from './float-format.js';
import { floatOp } from './float-ops.js';
import { type FloatPolicy, type FloatResult, floatCodeText, makeFloatPolicy } from './float-rounding.js';
import { exactFloatCode, parseFloatInput, roundFloatInput } from './float-value.js';

export interface FloatValueResult extends FloatResult {
  readonly value: string;
}

function withValue(r: FloatResult, f: FloatFormat): FloatValueResult {
  return { ...r, value: floatCodeText(r.code, f) };
}

/** rnd(x) into a float format. */
export function roundFloat(
  spec: string | FloatFormat,
  x: ValueInput,
  options: { rounding?: string; overflow?: string } = {},
): FloatValueResult {
  const f = parseFloatFormat(spec);
  return withValue(roundFloatInput(parseFloatInput(x), f, makeFloatPolicy(options)), f);
}

/** a ⊕ b, a ⊖ b, a ⊗ b, a ⊘ b for values of a float format (also ±∞ where it has them, and NaN). */
export function operateFloat(
  spec: string | FloatFormat,
  op: string,
  a: ValueInput,
  b: ValueInput,
  options: { rounding?: string; overflow?: string } = {},
): FloatValueResult {
  const f = parseFloatFormat(spec);
  return operateFloatWith(f, makeFloatPolicy(options), parseOp(op), a, b);
}

export function operateFloatWith(
  f: FloatFormat,
  policy: FloatPolicy,
  op: Op,
  a: ValueInput,
  b: ValueInput,
): FloatValueResult {
  const ca = exactFloatCode(a, f, 'a');
  const cb = exactFloatCode(b, f, 'b');
  return withValue(floatOp(op, ca, cb, f, policy), f);
}

export interface FloatFormatFacts {
  spec: string;
  encoding: string;
  bits: number;
  expBits: number;
  manBits: number;
  bias: number;
  infinities: boolean;
  nan: string;
  minSubnormal: string;
  minNormal: string;
  max: string;
  /** Finite codes, +0 and −0 counted apart; `finiteValues` counts them once. */
  finiteCodes: number;
  finiteValues: number;
  hasOne: boolean;
}

export function floatFormatFacts(spec: string | FloatFormat): FloatFormatFacts {
  const f = parseFloatFormat(spec);
  return {
    spec: f.spec,
    encoding: f.fn ? 'float, FN (no infinities)' : 'float, IEEE 754-style',
    bits: f.bits,
    expBits: f.expBits,
    manBits: f.manBits,
    bias: f.bias,
    infinities: !f.fn,
    nan: f.fn
      ? `S.${'1'.repeat(f.expBits)}.${'1'.repeat(f.manBits)} only`
      : `exponent all ones, mantissa ≠ 0 (${2 ** f.manBits - 1} per sign)`,
    minSubnormal: floatCodeText(1, f),
    minNormal: floatCodeText(2 ** f.manBits, f),
    max: floatCodeText(f.maxCode, f),
    finiteCodes: f.finiteCodes,
    finiteValues: f.finiteCodes - 1,
    hasOne: f.hasOne,
  };
}
