import { type CodeResult, OPS, type Op, opCodes, roundRational } from './core/ops.js';
import { dyadicToDecimal } from './core/rational.js';
import { check, quote } from './errors.js';
import { parseFixedType } from './fixed-type.js';
import { type Format, parseFormat } from './format.js';
import type { Policy } from './policy.js';
import { codeToDecimal, exactCode, parseValue, type ValueInput } from './value.js';

/** A rounded result with its exact decimal value. */
export interface FixedResult extends CodeResult {
  readonly value: string;
}

export interface PolicyOptions {
  rounding?: string;
  overflow?: string;
}

/** The format and policy of a spelling with CLI overrides (an ap_fixed spelling carries AP_TRN, AP_WRAP). */
function typeOf(spec: string | Format, options: PolicyOptions): { format: Format; policy: Policy } {
  return parseFixedType(spec, options);
}

function withValue(result: CodeResult, format: Format): FixedResult {
  return { ...result, value: codeToDecimal(result.code, format) };
}

/** rnd(x): rounds any exact value into the format (rounding, then overflow). */
export function roundValue(spec: string | Format, x: ValueInput, options: PolicyOptions = {}): FixedResult {
  const { format, policy } = typeOf(spec, options);
  const v = parseValue(x);
  return withValue(roundRational(v.num, v.den, format, policy), format);
}

export function parseOp(text: string): Op {
  check(
    (OPS as readonly string[]).includes(text),
    () => `unknown operation ${quote(text)}: expected one of ${OPS.join(', ')}`,
    'op',
  );
  return text as Op;
}

/** a ⊕ b, a ⊖ b, a ⊗ b or a ⊘ b for values a, b of the format; division by zero is an error. */
export function operate(
  spec: string | Format,
  op: string,
  a: ValueInput,
  b: ValueInput,
  options: PolicyOptions = {},
): FixedResult {
  const { format, policy } = typeOf(spec, options);
  return operateWith(format, policy, parseOp(op), a, b);
}

/** `operate` with a validated format, policy and operation (batch use). */
export function operateWith(
  format: Format,
  policy: Policy,
  op: Op,
  a: ValueInput,
  b: ValueInput,
): FixedResult {
  const ca = exactCode(a, format, 'a');
  const cb = exactCode(b, format, 'b');
  check(!(op === 'div' && cb === 0n), () => `division by zero: b is 0`, 'b');
  return withValue(opCodes(op, ca, cb, format, policy), format);
}

/** The facts of a format, values as exact decimals. */
export interface FormatFacts {
  spec: string;
  encoding: string;
  bits: number;
  intBits: number;
  fracBits: number;
  step: string;
  min: string;
  max: string;
  minCode: string;
  maxCode: string;
  count: string;
  hasOne: boolean;
}

export function formatFacts(spec: string | Format): FormatFacts {
  const f = parseFormat(spec);
  return {
    spec: f.spec,
    encoding: f.encoding,
    bits: f.bits,
    intBits: f.intBits,
    fracBits: f.fracBits,
    step: dyadicToDecimal(1n, f.fracBits),
    min: codeToDecimal(f.minCode, f),
    max: codeToDecimal(f.maxCode, f),
    minCode: f.minCode.toString(),
    maxCode: f.maxCode.toString(),
    count: f.size.toString(),
    hasOne: f.hasOne,
  };
}
