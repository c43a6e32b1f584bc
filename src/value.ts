import { dyadicToDecimal, fromDouble, type Rational, ratio } from './core/rational.js';
import { check, FxnnError, quote } from './errors.js';
import type { Format } from './format.js';

/** What users may write for an exact value: a decimal or `p/q` string, a bigint, a finite number, a Rational. */
export type ValueInput = string | number | bigint | Rational;

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const FRACTION = /^([+-]?\d+)\s*\/\s*([+-]?\d+)$/;
const MAX_EXPONENT = 100_000;

/**
 * Parses an exact value: decimal strings of any length (`-0.1`, `1e-3`, `-2.5E+2`), integers,
 * rationals `p/q`, finite JS numbers (their exact binary value), bigints. `what` names the parameter
 * in error messages.
 */
export function parseValue(input: ValueInput, what = 'value'): Rational {
  if (typeof input === 'bigint') return { num: input, den: 1n };
  if (typeof input === 'number') {
    check(Number.isFinite(input), () => `${what}: ${input} is not a finite number`, what);
    return fromDouble(input);
  }
  if (typeof input === 'object' && input !== null && typeof input.num === 'bigint') {
    check(typeof input.den === 'bigint', () => `${what}: a rational needs a bigint denominator`, what);
    check(input.den !== 0n, () => `${what}: zero denominator`, what);
    return ratio(input.num, input.den);
  }
  check(typeof input === 'string', () => `${what}: expected a number or a string, got ${typeof input}`, what);
  const text = (input as string).trim();
  const frac = FRACTION.exec(text);
  if (frac) {
    const q = BigInt(frac[2]);
    check(q !== 0n, () => `${what}: ${quote(input)} has a zero denominator`, what);
    return ratio(BigInt(frac[1]), q);
  }
  const m = DECIMAL.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) {
    throw new FxnnError(
      `${what}: ${quote(input)} is not a number (expected a decimal like -0.75 or 1e-3, or a fraction p/q)`,
      what,
    );
  }
  const digits = `${m[2]}${m[3] ?? ''}`;
  // Only the written exponent is bounded (10^exponent is built in memory); digits may be any number.
  const written = Number(m[4] ?? '0');
  check(
    Math.abs(written) <= MAX_EXPONENT,
    () => `${what}: ${quote(input)} has an exponent beyond ±${MAX_EXPONENT}`,
    what,
  );
  const exponent = written - (m[3] ?? '').length;
  let num = BigInt(digits === '' ? '0' : digits);
  if (m[1] === '-') num = -num;
  return exponent >= 0
    ? { num: num * 10n ** BigInt(exponent), den: 1n }
    : ratio(num, 10n ** BigInt(-exponent));
}

/** The exact value of a code as a decimal string. */
export function codeToDecimal(code: bigint, format: Format): string {
  return dyadicToDecimal(code, format.fracBits);
}

/**
 * The code of an exact value that must be a value of the format; otherwise an error naming the two
 * nearest values, e.g. `weight: "0.3" is not a value of Q3.4 (nearest are 0.25 and 0.3125)`.
 */
export function exactCode(input: ValueInput, format: Format, what = 'value'): bigint {
  const parsed = parseValue(input, what);
  // x·2^n with n < 0 divides: fold 2^-n into the denominator.
  const x = format.fracBits >= 0 ? parsed : { num: parsed.num, den: parsed.den << BigInt(-format.fracBits) };
  const scaled = format.fracBits >= 0 ? x.num << BigInt(format.fracBits) : x.num;
  const shown =
    typeof input === 'string'
      ? quote(input)
      : typeof input === 'object'
        ? `${input.num}/${input.den}`
        : String(input);
  if (scaled % x.den === 0n) {
    const code = scaled / x.den;
    if (code >= format.minCode && code <= format.maxCode) return code;
    throw new FxnnError(
      `${what}: ${shown} is outside ${format.spec} [${codeToDecimal(format.minCode, format)}, ${codeToDecimal(format.maxCode, format)}]`,
      what,
    );
  }
  let below = scaled / x.den;
  if (scaled < 0n && below * x.den !== scaled) below -= 1n;
  const lo = below < format.minCode ? format.minCode : below > format.maxCode ? format.maxCode : below;
  const hi =
    below + 1n > format.maxCode ? format.maxCode : below + 1n < format.minCode ? format.minCode : below + 1n;
  const nearest =
    lo === hi
      ? `nearest is ${codeToDecimal(lo, format)}`
      : `nearest are ${codeToDecimal(lo, format)} and ${codeToDecimal(hi, format)}`;
  throw new FxnnError(`${what}: ${shown} is not a value of ${format.spec} (${nearest})`, what);
}
