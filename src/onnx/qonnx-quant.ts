/**
 * QONNX quantizers (domain qonnx.custom_op.general, also finn.custom_op.general and onnx.brevitas) as
 * fixed-point types (docs/import.md "QONNX"). With a power-of-two scale 2^e and zero point 0:
 *
 * - `Quant(x) = clamp(round(x / 2^e), min, max) · 2^e`, min/max the `bitwidth`-bit integer range
 *   (signed, narrow), `round` the node's rounding_mode. Clamping then rounding equals rounding then
 *   saturating (min and max are integers and rounding is monotone), so Quant is exactly the type
 *   `ap_fixed<b, b+e, Q, AP_SAT>` (`ap_ufixed` unsigned; `AP_SAT_SYM` when narrow), as hls4ml maps it.
 * - `BipolarQuant(x) = (x ≥ 0 ? 1 : −1) · 2^e`.
 * - `Trunc` (v2: X, scale, zeropt, in_bitwidth, out_scale, out_bitwidth; v1: X, scale, zeropt,
 *   in_bitwidth, out_bitwidth with out_scale = scale · 2^(in−out)): `x` rounded half-even onto the
 *   input grid 2^pre, then onto the output grid 2^e by rounding_mode (default FLOOR) and clamped.
 */
import { fromDouble, type Rational, ratio } from '../core/rational.js';
import { type Rounding, roundQuotient } from '../core/rounding.js';
import { check, FxnnError } from '../errors.js';
import type { TypeSpec } from './mlp-chain.js';
import type { Tensor } from './onnx-tensor.js';

export interface QuantSpec {
  readonly kind: 'int' | 'bipolar' | 'trunc';
  /** The output grid: values are k · 2^exponent. */
  readonly exponent: number;
  /** The integer range of k (±1 for bipolar). */
  readonly min: bigint;
  readonly max: bigint;
  readonly rounding: Rounding;
  /** Trunc only: the input grid 2^preExponent that x is first rounded onto (half-even). */
  readonly preExponent?: number;
  /** The equivalent fixed-point type. */
  readonly type: TypeSpec;
}

/** QONNX rounding_mode → fxnn rounding and ap_fixed's name for it (null where AP has none). */
const ROUNDINGS: Record<string, [Rounding, string | null]> = {
  ROUND: ['nearest-even', 'AP_RND_CONV'],
  HALF_EVEN: ['nearest-even', 'AP_RND_CONV'],
  FLOOR: ['floor', 'AP_TRN'],
  CEIL: ['ceil', null],
  DOWN: ['toward-zero', 'AP_TRN_ZERO'],
  HALF_UP: ['nearest-away', 'AP_RND_INF'],
  HALF_DOWN: ['nearest-zero', 'AP_RND_ZERO'],
};

export function quantRounding(mode: string, what: string): [Rounding, string | null] {
  const r = ROUNDINGS[mode.toUpperCase()];
  if (!r) {
    throw new FxnnError(
      `${what}: rounding_mode "${mode}" has no fixed-point equivalent here (supported: ${Object.keys(ROUNDINGS).join(', ')})`,
      'rounding_mode',
    );
  }
  return r;
}

/** The exponent e of a power of two 2^e (a positive double), or null. */
export function powerOfTwoExponent(v: number): number | null {
  if (!(v > 0) || !Number.isFinite(v)) return null;
  const e = Math.round(Math.log2(v));
  return 2 ** e === v ? e : null;
}

/** The integer range of a `bits`-bit quantizer. */
export function intRange(bits: number, signed: boolean, narrow: boolean): [bigint, bigint] {
  const b = BigInt(bits);
  if (signed) return [-(1n << (b - 1n)) + (narrow ? 1n : 0n), (1n << (b - 1n)) - 1n];
  return [0n, (1n << b) - 1n - (narrow ? 1n : 0n)];
}

/** The ap_fixed type of a b-bit quantizer with scale 2^e. */
export function quantType(
  bits: number,
  exponent: number,
  signed: boolean,
  narrow: boolean,
  rounding: [Rounding, string | null],
): TypeSpec {
  const format = `ap_${signed ? '' : 'u'}fixed<${bits},${bits + exponent}>`;
  const overflow = narrow ? 'AP_SAT_SYM' : 'AP_SAT';
  if (rounding[1] === null) return { format, rounding: rounding[0], overflow };
  return `ap_${signed ? '' : 'u'}fixed<${bits},${bits + exponent},${rounding[1]},${overflow}>`;
}

function scalar(t: Tensor, what: string): number {
  check(t.values.length >= 1, () => `${what}: empty tensor`, what);
  const v = t.values[0];
  check(
    t.values.every((x) => x === v),
    () => `${what}: per-channel values are only supported on constant (weight) tensors`,
    what,
  );
  return v;
}

function exponentOf(v: number, what: string): number {
  const e = powerOfTwoExponent(v);
  if (e === null) {
    throw new FxnnError(
      `${what}: scale ${v} is not a power of two (only power-of-two scales map to fixed-point types)`,
      what,
    );
  }
  return e;
}

function bitwidth(t: Tensor, what: string): number {
  const b = scalar(t, what);
  check(
    Number.isInteger(b) && b >= 1 && b <= 64,
    () => `${what}: bitwidth ${b} is not a whole number 1 … 64`,
    what,
  );
  return b;
}

function zeroPoint(t: Tensor | undefined, what: string): void {
  if (!t) return;
  check(
    t.values.every((v) => v === 0),
    () =>
      `${what}: zero point ${t.values.find((v) => v !== 0)} is not 0 (only zero points 0 map to fixed-point types)`,
    what,
  );
}

export interface QuantAttributes {
  readonly signed: boolean;
  readonly narrow: boolean;
  readonly roundingMode: string;
}

/**
 * The quantizer of a node on the data path (scalar scale). `inputs` are the node's constant inputs
 * after X (undefined where absent); `what` names the node for errors.
 */
export function dataQuant(
  opType: string,
  inputs: ReadonlyArray<Tensor | undefined>,
  attrs: QuantAttributes,
  what: string,
): QuantSpec {
  const need = (k: number, name: string): Tensor => {
    const t = inputs[k];
    if (!t) throw new FxnnError(`${what}: input ${k + 1} (${name}) must be a constant`, what);
    return t;
  };
  if (opType === 'BipolarQuant') {
    const e = exponentOf(scalar(need(0, 'scale'), `${what} scale`), `${what} scale`);
    return {
      kind: 'bipolar',
      exponent: e,
      min: -1n,
      max: 1n,
      rounding: 'floor',
      type: `ap_fixed<2,${2 + e}>`,
    };
  }
  const e0 = exponentOf(scalar(need(0, 'scale'), `${what} scale`), `${what} scale`);
  zeroPoint(need(1, 'zeropt'), `${what} zeropt`);
  if (opType === 'Trunc') {
    const inBits = bitwidth(need(2, 'in_bitwidth'), `${what} in_bitwidth`);
    const v2 = inputs.length >= 5;
    const outBits = bitwidth(need(v2 ? 4 : 3, 'out_bitwidth'), `${what} out_bitwidth`);
    const e = v2
      ? exponentOf(scalar(need(3, 'out_scale'), `${what} out_scale`), `${what} out_scale`)
      : e0 + inBits - outBits;
    const rounding = quantRounding(attrs.roundingMode, what);
    const [min, max] = intRange(outBits, attrs.signed, attrs.narrow);
    return {
      kind: 'trunc',
      exponent: e,
      min,
      max,
      rounding: rounding[0],
      preExponent: e0,
      type: quantType(outBits, e, attrs.signed, attrs.narrow, rounding),
    };
  }
  const bits = bitwidth(need(2, 'bitwidth'), `${what} bitwidth`);
  check(
    attrs.signed || !attrs.narrow,
    () => `${what}: narrow unsigned quantizers (0 … 2^b − 2) have no fixed-point type`,
    what,
  );
  const rounding = quantRounding(attrs.roundingMode, what);
  const [min, max] = intRange(bits, attrs.signed, attrs.narrow);
  return {
    kind: 'int',
    exponent: e0,
    min,
    max,
    rounding: rounding[0],
    type: quantType(bits, e0, attrs.signed, attrs.narrow, rounding),
  };
}

/** q(x) exactly, for a rational x. */
export function applyQuantExact(x: Rational, q: QuantSpec): Rational {
  if (q.kind === 'bipolar') return scaled(x.num >= 0n ? 1n : -1n, q.exponent);
  let v = x;
  if (q.kind === 'trunc') v = scaled(roundAt(v, q.preExponent ?? 0, 'nearest-even'), q.preExponent ?? 0);
  let k = roundAt(v, q.exponent, q.rounding);
  if (k < q.min) k = q.min;
  if (k > q.max) k = q.max;
  return scaled(k, q.exponent);
}

/** q(x) for a double x (the float model): exact, since every step is exact on doubles of this size. */
export function applyQuantFloat(x: number, q: QuantSpec): number {
  const r = applyQuantExact(fromDouble(x), q);
  return Number(r.num) / Number(r.den);
}

/** round(x / 2^e) by the mode. */
function roundAt(x: Rational, e: number, mode: Rounding): bigint {
  const p = e >= 0 ? x.num : x.num << BigInt(-e);
  const q = e >= 0 ? x.den << BigInt(e) : x.den;
  return roundQuotient(p, q, mode).value;
}

function scaled(k: bigint, e: number): Rational {
  return e >= 0 ? { num: k << BigInt(e), den: 1n } : ratio(k, 1n << BigInt(-e));
}

/**
 * Quant / BipolarQuant of a constant (weights, biases): the exact quantized values and the type that
 * holds them all. Scales may be per channel (any shape broadcasting to the tensor's), each a power of
 * two; the type then has the finest grid and the widest range of the channels.
 */
export function quantizeConstant(
  opType: string,
  x: Tensor,
  inputs: ReadonlyArray<Tensor | undefined>,
  attrs: QuantAttributes,
  what: string,
): { values: Rational[]; type: TypeSpec } {
  const scale = inputs[0];
  if (!scale) throw new FxnnError(`${what}: the scale must be a constant`, what);
  const exps = scale.values.map((v) => exponentOf(v, `${what} scale`));
  const expAt = broadcastIndex(scale.dims, x.dims, `${what} scale`);
  if (opType === 'BipolarQuant') {
    const values = x.values.map((v, k) => scaled(v >= 0 ? 1n : -1n, exps[expAt(k)]));
    const lo = Math.min(...exps);
    const hi = Math.max(...exps);
    return { values, type: `ap_fixed<${2 + hi - lo},${2 + hi}>` };
  }
  check(
    opType === 'Quant' || opType === 'IntQuant',
    () => `${what}: ${opType} of a constant is not supported`,
    what,
  );
  zeroPoint(inputs[1], `${what} zeropt`);
  const bitsTensor = inputs[2];
  if (!bitsTensor) throw new FxnnError(`${what}: the bitwidth must be a constant`, what);
  const bits = bitwidth(bitsTensor, `${what} bitwidth`);
  const rounding = quantRounding(attrs.roundingMode, what);
  check(
    attrs.signed || !attrs.narrow,
    () => `${what}: narrow unsigned quantizers (0 … 2^b − 2) have no fixed-point type`,
    what,
  );
  const [min, max] = intRange(bits, attrs.signed, attrs.narrow);
  const values = x.values.map((v, k) =>
    applyQuantExact(fromDouble(v), {
      kind: 'int',
      exponent: exps[expAt(k)],
      min,
      max,
      rounding: rounding[0],
      type: '',
    }),
  );
  const lo = Math.min(...exps);
  const hi = Math.max(...exps);
  // grid 2^lo, range of the coarsest channel: b + (hi − lo) bits with b + hi integer bits
  return { values, type: quantType(bits + hi - lo, lo, attrs.signed, attrs.narrow, rounding) };
}

/** Maps a flat index of `dims` to the flat index of a tensor of `small` dims broadcast to it. */
export function broadcastIndex(
  small: readonly number[],
  dims: readonly number[],
  what: string,
): (k: number) => number {
  const count = small.reduce((a, b) => a * b, 1);
  if (count === 1) return () => 0;
  check(
    small.length <= dims.length &&
      small.every((d, i) => d === 1 || d === dims[dims.length - small.length + i]),
    () => `${what}: shape [${small.join(', ')}] does not broadcast to [${dims.join(', ')}]`,
    what,
  );
  const full = [...Array(dims.length - small.length).fill(1), ...small];
  return (k) => {
    let rest = k;
    let index = 0;
    let stride = 1;
    for (let a = dims.length - 1; a >= 0; a--) {
      const c = rest % dims[a];
      rest = (rest - c) / dims[a];
      if (full[a] !== 1) index += c * stride;
      stride *= full[a];
    }
    return index;
  };
}
