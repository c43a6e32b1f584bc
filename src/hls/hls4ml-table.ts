/**
 * hls4ml's sigmoid and tanh lookup tables, emulated exactly (docs/networks.md "hls4ml's activation
 * tables", from hls4ml's nnet_utils/nnet_activation.h):
 *
 * - entry i of N (sigmoid): in = fl32(fl64(16·(i − N/2)/N)); e = fl32(exp(−in)) (expf, correctly
 *   rounded); s = fl32(1 + e); v = fl32(fl64(1/s)); entry = table_t(v).
 * - entry i of N (tanh): in = fl32(fl64(8·(i − N/2)/N)); v = fl64(tanh(in)) (the C library's double
 *   tanh, taken correctly rounded); entry = table_t(v).
 * - lookup (sigmoid): data_round = trunc(x·N/16) (ap_fixed's division truncates toward zero, so does
 *   its conversion to int); index = data_round + ⌊8N/16⌋ clamped to [0, N−1]; result = res_t(entry).
 *   tanh: trunc(x·N/8) + ⌊4N/8⌋.
 *
 * fl32/fl64 are IEEE round-to-nearest-even (binary-float.ts); exp and tanh are enclosed in rigorous
 * decimal intervals and widened until both ends round to the same float.
 */
import { intervalArithmetic } from '../activations/decimal-interval.js';
import { roundRational } from '../core/ops.js';
import type { Rational } from '../core/rational.js';
import { check } from '../errors.js';
import type { FixedType } from '../fixed-type.js';
import { parseValue } from '../value.js';
import { BINARY32, BINARY64, type BinaryFormat, roundToBinary } from './binary-float.js';

export const HLS_TABLE_KINDS = ['sigmoid', 'tanh'] as const;
export type HlsTableKind = (typeof HLS_TABLE_KINDS)[number];

/** hls4ml's default table size and table type. */
export const HLS_DEFAULT_TABLE_SIZE = 1024;
export const HLS_DEFAULT_TABLE_TYPE = 'ap_fixed<18,8>';
/** The largest table accepted (hls4ml's index arithmetic is 32-bit: 8·N must fit). */
export const HLS_MAX_TABLE_SIZE = 1 << 24;

function finite(v: Rational | number, what: string): Rational {
  if (typeof v === 'number') throw new Error(`hls4ml table: ${what} is not finite`);
  return v;
}

function fromDecimal(d: { toString(): string }): Rational {
  return parseValue(d.toString());
}

/** f(x) rounded to the binary format, from interval enclosures at growing precision. */
function roundedEnclosure(
  x: Rational,
  fmt: BinaryFormat,
  enclose: (ia: ReturnType<typeof intervalArithmetic>, x: Rational) => { lo: unknown; hi: unknown },
): Rational {
  for (const digits of [40, 80, 160, 320]) {
    const ia = intervalArithmetic(digits);
    const iv = enclose(ia, x) as { lo: { toString(): string }; hi: { toString(): string } };
    const lo = roundToBinary(fromDecimal(iv.lo), fmt);
    const hi = roundToBinary(fromDecimal(iv.hi), fmt);
    if (typeof lo === 'number' || typeof hi === 'number') {
      if (lo === hi) return finite(lo, 'a table entry');
      continue;
    }
    if (lo.num === hi.num && lo.den === hi.den) return lo;
  }
  throw new Error('hls4ml table: a table entry could not be rounded (exact float tie)');
}

function fl(x: Rational, fmt: BinaryFormat): Rational {
  return finite(roundToBinary(x, fmt), 'an intermediate');
}

/** The table input of entry i: fl32(fl64(span·(i − N/2)/N)), span 16 (sigmoid) or 8 (tanh). */
export function tableInput(kind: HlsTableKind, i: number, size: number): Rational {
  const span = kind === 'sigmoid' ? 16n : 8n;
  // span·(i − N/2)/N = span·(2i − N)/(2N), exact; the C code computes it in double (exact numerator)
  return fl(fl({ num: span * BigInt(2 * i - size), den: BigInt(2 * size) }, BINARY64), BINARY32);
}

/** The float value of entry i before the conversion to table_t. */
export function tableFloat(kind: HlsTableKind, i: number, size: number): Rational {
  const x = tableInput(kind, i, size);
  if (kind === 'tanh') {
    if (x.num === 0n) return x;
    return roundedEnclosure(x, BINARY64, (ia, v) => {
      const e = ia.exp(ia.scale2(ia.rational(v), 1));
      return ia.div(ia.sub(e, ia.point(1)), ia.add(e, ia.point(1)));
    });
  }
  const e = roundedEnclosure({ num: -x.num, den: x.den }, BINARY32, (ia, v) => ia.exp(ia.rational(v)));
  const s = fl({ num: e.num + e.den, den: e.den }, BINARY32);
  const inv = fl({ num: s.den, den: s.num }, BINARY64);
  return fl(inv, BINARY32);
}

const cache = new Map<string, readonly bigint[]>();

/** The N codes of table_t of hls4ml's table (cached per kind, size and type). */
export function hls4mlTable(kind: HlsTableKind, size: number, tableType: FixedType): readonly bigint[] {
  check(
    Number.isInteger(size) && size >= 1 && size <= HLS_MAX_TABLE_SIZE,
    () => `table size: expected a whole number 1 … ${HLS_MAX_TABLE_SIZE}, got ${size}`,
    'table',
  );
  const key = `${kind}|${size}|${tableType.name}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const out: bigint[] = [];
  for (let i = 0; i < size; i++) {
    const v = tableFloat(kind, i, size);
    out.push(roundRational(v.num, v.den, tableType.format, tableType.policy).code);
  }
  const frozen = Object.freeze(out);
  cache.set(key, frozen);
  return frozen;
}

/**
 * The table index of an input value code·2^-fracBits: trunc(x·N/span) + ⌊(span/2)·N/span⌋ clamped to
 * [0, N − 1] (span 16 for sigmoid, 8 for tanh), exactly as nnet_activation.h computes it.
 */
export function hls4mlIndex(kind: HlsTableKind, size: number, code: bigint, fracBits: number): number {
  const span = kind === 'sigmoid' ? 16n : 8n;
  const num = code * BigInt(size);
  const den = fracBits >= 0 ? span << BigInt(fracBits) : span;
  const scaled = fracBits >= 0 ? num : num << BigInt(-fracBits);
  const dataRound = scaled / den; // BigInt division truncates toward zero, as C's does
  const offset = (BigInt(size) * (span / 2n)) / span;
  const index = dataRound + offset;
  if (index < 0n) return 0;
  if (index > BigInt(size - 1)) return size - 1;
  return Number(index);
}
