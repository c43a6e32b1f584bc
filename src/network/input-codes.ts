/**
 * Input values as users write them (CSV cells, decimals) to codes of a type, exactly: a value must be
 * a value of the type, or with `round` is rounded into it by the type's policy. A number fast path
 * decides every case it can prove (docs/networks.md "eval --inputs"): the text's digits m and
 * exponent give t = x·2^f exactly as m·2^f/10^e, whose integrality is a divisibility test on safe
 * integers; the double t_d = Number(text)·2^f is the correctly rounded t, so when t_d is neither an
 * integer nor a half-integer, ⌊t⌋ = ⌊t_d⌋ and t compares with ⌊t⌋ + ½ as t_d does (rounding to
 * nearest cannot cross a double). Everything else takes the BigInt path (value.ts).
 */
import { roundRational, roundScaled } from '../core/ops.js';
import { FxnnError } from '../errors.js';
import type { FixedType } from '../fixed-type.js';
import { BINARY32, doubleToRational, roundToBinary } from '../hls/binary-float.js';
import { exactCode, parseValue } from '../value.js';

/**
 * How input values reach the input type: `false` they must be values of it; `true` the exact decimal
 * is rounded into it by the type's policy; `'float32'` the decimal is first rounded to the nearest
 * float32 (ties to even, exactly), then that float is rounded into the type by the type's policy, as
 * hls4ml's C test bench does (`std::stof`, then `input_t(float)`; docs/networks.md "eval --inputs").
 */
export type InputRounding = boolean | 'float32';

const POW5 = Array.from({ length: 23 }, (_, i) => 5 ** i);

/** The code of `text` in type `t` (exact, or rounded by the type's policy when `round`); `what` names it in errors. */
export function textToCode(text: string, t: FixedType, round: InputRounding, what: string): number {
  if (round === 'float32') return float32TextToCode(text, t, what);
  const fast = fastCode(text, t, round);
  if (fast !== null) return fast;
  return Number(slowCode(text, t, round, what));
}

function slowCode(text: string, t: FixedType, round: boolean, what: string): bigint {
  if (!round) return exactCode(text.trim(), t.format, what);
  const v = parseValue(text.trim(), what);
  try {
    return roundRational(v.num, v.den, t.format, t.policy).code;
  } catch (e) {
    if (e instanceof FxnnError) throw new FxnnError(`${what}: ${e.message}`, 'inputs');
    throw e;
  }
}

function inRange(c: number, t: FixedType): boolean {
  return c >= Number(t.format.minCode) && c <= Number(t.format.maxCode);
}

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

function fastCode(text: string, t: FixedType, round: boolean): number | null {
  const f = t.format.fracBits;
  if (f < 0 || f > 60 || t.format.bits > 50) return null;
  // digits M (at most 15 significant), decimals after the point, exponent: x = ±M·10^-e
  let i = 0;
  const n = text.length;
  let negative = false;
  let c = text.charCodeAt(0);
  if (c === 45 || c === 43) {
    negative = c === 45;
    i = 1;
  }
  let M = 0;
  let significant = 0;
  let decimals = 0;
  let digits = 0;
  let point = false;
  for (; i < n; i++) {
    c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      digits++;
      if (point) decimals++;
      if (M !== 0 || c !== 48) {
        if (++significant > 15) return null;
      }
      M = M * 10 + (c - 48);
    } else if (c === 46 && !point) point = true;
    else break;
  }
  if (digits === 0) return null;
  let exp = 0;
  if (i < n) {
    if (c !== 101 && c !== 69) return null;
    i++;
    let expNeg = false;
    c = text.charCodeAt(i);
    if (c === 45 || c === 43) {
      expNeg = c === 45;
      i++;
    }
    const begin = i;
    for (; i < n; i++) {
      c = text.charCodeAt(i);
      if (c < 48 || c > 57 || exp > 1000) return null;
      exp = exp * 10 + (c - 48);
    }
    if (i === begin) return null;
    if (expNeg) exp = -exp;
  }
  const e = decimals - exp;
  if (e > 22 || e < -22) return null;
  // the correctly rounded double of x (M and 10^|e| are exact doubles; one IEEE operation), scaled by 2^f
  const magnitude = e >= 0 ? M / POW10[e] : M * POW10[-e];
  const td = (negative ? -magnitude : magnitude) * 2 ** f;
  if (!Number.isFinite(td) || Math.abs(td) >= 2 ** 51) return null;
  // is t = M·2^f/10^e an integer? 10^e | M·2^f ⟺ 5^e | M and 2^(e−f) | M
  const integral = (shift: number) =>
    e <= 0 || (M % POW5[e] === 0 && (e - shift <= 0 || M % 2 ** (e - shift) === 0));
  if (integral(f)) {
    // t is an integer below 2^51, hence a double: t_d = t exactly
    return inRange(td, t) ? td + 0 : null;
  }
  if (!round) return null; // not a value of the type: the BigInt path words the error
  if (Number.isInteger(td) || Number.isInteger(2 * td)) return null;
  const fl = Math.floor(td);
  let k: number;
  switch (t.policy.rounding) {
    case 'floor':
      k = fl;
      break;
    case 'ceil':
      k = fl + 1;
      break;
    case 'toward-zero':
      k = negative ? fl + 1 : fl;
      break;
    default:
      // t is not a half-integer (t_d is not, and rounding to nearest cannot cross one)
      k = td - fl > 0.5 ? fl + 1 : fl;
  }
  return inRange(k, t) ? k : null;
}

/** Plain decimal literals that JS parses correctly rounded (ECMA-262: up to 20 significant digits). */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,4})?$/;

const F32 = new Float32Array(1);
const I32 = new Int32Array(F32.buffer);

/** The float32 next to the float32 `f` in the direction `up` (f finite). */
function nextFloat32(f: number, up: boolean): number {
  if (f === 0) return up ? 2 ** -149 : -(2 ** -149);
  F32[0] = f;
  I32[0] += f > 0 === up ? 1 : -1;
  return F32[0];
}

/**
 * `round = 'float32'`: x → float32(x) (correctly rounded) → the type by its policy. Fast path: the
 * double x_d = Number(text) is x correctly rounded; every float32 midpoint is a double and rounding to
 * the nearest double is monotone, so x and x_d lie on the same side of every midpoint unless x_d is
 * one: then fround(x_d) = float32(x). A midpoint x_d (double rounding could err) takes the exact path.
 */
export function float32TextToCode(text: string, t: FixedType, what: string): number {
  const s = text.trim();
  if (t.format.bits <= 24) {
    // a value of a type of at most 24 bits is a float32: no step changes it
    const exact = fastCode(s, t, false);
    if (exact !== null) return exact;
  }
  if (
    DECIMAL.test(s) &&
    s
      .replace(/[eE].*$/, '')
      .replace(/[^0-9]/g, '')
      .replace(/^0+/, '').length <= 20
  ) {
    const xd = Number(s);
    const f = Math.fround(xd);
    if (Number.isFinite(f)) {
      const other = nextFloat32(f, xd > f);
      if (f === xd || (f + other) / 2 !== xd) return roundedDouble(f, t, what);
    }
  }
  const v = parseValue(s, what);
  const r = roundToBinary(v, BINARY32);
  if (typeof r === 'number') {
    throw new FxnnError(`${what}: ${s} is beyond float32's range (it rounds to ${r})`, 'inputs');
  }
  return roundedRational(r.num, r.den, t, what);
}

/** A double's exact value rounded into the type by its policy. */
function roundedDouble(v: number, t: FixedType, what: string): number {
  const f = t.format.fracBits;
  const td = v * 2 ** f;
  if (Number.isInteger(td) && Math.abs(td) < 2 ** 52 && inRange(td, t)) return td + 0;
  const x = doubleToRational(v);
  try {
    return Number(roundScaled(x.num, x.den, f, t.format, t.policy).code);
  } catch (e) {
    if (e instanceof FxnnError) throw new FxnnError(`${what}: ${e.message}`, 'inputs');
    throw e;
  }
}

function roundedRational(num: bigint, den: bigint, t: FixedType, what: string): number {
  try {
    return Number(roundRational(num, den, t.format, t.policy).code);
  } catch (e) {
    if (e instanceof FxnnError) throw new FxnnError(`${what}: ${e.message}`, 'inputs');
    throw e;
  }
}
