/**
 * NumPy .npy files (format versions 1–3: magic, version, header length, a Python dict literal with
 * `descr`, `fortran_order`, `shape`; then the raw array, C order): the header is read here, the
 * values one at a time as doubles (float16 is not read). See numpy's `numpy.lib.format`.
 */

import { readSync } from 'node:fs';
import { roundScaled } from '../core/ops.js';
import { check, FxnnError } from '../errors.js';
import type { FixedType } from '../fixed-type.js';
import { doubleToRational } from '../hls/binary-float.js';
import type { InputRounding } from '../network/input-codes.js';
import { exactCode } from '../value.js';

export interface NpyHeader {
  readonly shape: readonly number[];
  readonly itemSize: number;
  readonly dataOffset: number;
  /** The value at byte `offset` of `buf` as a double (exact for every supported dtype). */
  readonly read: (buf: Buffer, offset: number) => number;
}

const READERS: Record<string, [number, (le: boolean) => (b: Buffer, o: number) => number]> = {
  f4: [4, (le) => (le ? (b, o) => b.readFloatLE(o) : (b, o) => b.readFloatBE(o))],
  f8: [8, (le) => (le ? (b, o) => b.readDoubleLE(o) : (b, o) => b.readDoubleBE(o))],
  i1: [1, () => (b, o) => b.readInt8(o)],
  u1: [1, () => (b, o) => b.readUInt8(o)],
  i2: [2, (le) => (le ? (b, o) => b.readInt16LE(o) : (b, o) => b.readInt16BE(o))],
  u2: [2, (le) => (le ? (b, o) => b.readUInt16LE(o) : (b, o) => b.readUInt16BE(o))],
  i4: [4, (le) => (le ? (b, o) => b.readInt32LE(o) : (b, o) => b.readInt32BE(o))],
  u4: [4, (le) => (le ? (b, o) => b.readUInt32LE(o) : (b, o) => b.readUInt32BE(o))],
  i8: [8, (le) => (le ? (b, o) => Number(b.readBigInt64LE(o)) : (b, o) => Number(b.readBigInt64BE(o)))],
  u8: [8, (le) => (le ? (b, o) => Number(b.readBigUInt64LE(o)) : (b, o) => Number(b.readBigUInt64BE(o)))],
};

/** Reads and checks the header of an open .npy file. */
export function readNpyHeader(fd: number, file: string): NpyHeader {
  const bad = (why: string) =>
    new FxnnError(`--inputs ${file}: not a .npy array this fxnn reads (${why})`, 'inputs');
  const pre = Buffer.alloc(12);
  const n = readSync(fd, pre, 0, 12, 0);
  if (n < 10 || pre.readUInt8(0) !== 0x93 || pre.toString('latin1', 1, 6) !== 'NUMPY')
    throw bad('no \\x93NUMPY magic');
  const major = pre.readUInt8(6);
  const lenBytes = major === 1 ? 2 : 4;
  if (major < 1 || major > 3) throw bad(`format version ${major}`);
  const headerLen = lenBytes === 2 ? pre.readUInt16LE(8) : pre.readUInt32LE(8);
  if (headerLen > 1 << 20) throw bad('header too long');
  const start = 8 + lenBytes;
  const hb = Buffer.alloc(headerLen);
  if (readSync(fd, hb, 0, headerLen, start) !== headerLen) throw bad('truncated header');
  const text = hb.toString(major === 3 ? 'utf8' : 'latin1');
  const descr = /'descr'\s*:\s*'([<>|=])([a-z])(\d+)'/.exec(text);
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text);
  const shape = /'shape'\s*:\s*\(([^)]*)\)/.exec(text);
  if (!descr || !fortran || !shape) throw bad('header without descr, fortran_order and shape');
  const key = `${descr[2]}${descr[3]}`;
  const reader = READERS[key];
  if (!reader) throw bad(`dtype ${descr[1]}${key}; expected float32, float64 or an integer type`);
  const dims = shape[1]
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => Number(s.replace(/L$/, '')));
  if (dims.length < 1 || dims.length > 2 || dims.some((x) => !Number.isSafeInteger(x) || x < 0)) {
    throw bad(`shape (${shape[1]}); expected (n, d) or (n,)`);
  }
  if (fortran[1] === 'True' && dims.length === 2 && dims[1] > 1) throw bad('Fortran order');
  const little = descr[1] !== '>';
  return { shape: dims, itemSize: reader[0], dataOffset: start + headerLen, read: reader[1](little) };
}

/**
 * The code of the exact value of a double in type `t`: it must be a value of the type, or with
 * `round` is rounded by the type's policy (t = v·2^f is exact in doubles; integers decide directly).
 */
export function doubleToCode(v: number, t: FixedType, round: InputRounding, what: string): number {
  check(Number.isFinite(v), () => `${what}: ${v} is not a finite number`, 'inputs');
  if (round === 'float32') {
    // the double to the nearest float32 (one correct rounding: fround), then into the type
    const f = Math.fround(v);
    check(Number.isFinite(f), () => `${what}: ${v} is beyond float32's range`, 'inputs');
    return doubleToCode(f, t, true, what);
  }
  const f = t.format.fracBits;
  const td = v * 2 ** f;
  if (
    Number.isInteger(td) &&
    Math.abs(td) < 2 ** 52 &&
    td >= Number(t.format.minCode) &&
    td <= Number(t.format.maxCode)
  ) {
    return td + 0;
  }
  const x = doubleToRational(v);
  if (!round) return Number(exactCode(x, t.format, what));
  try {
    return Number(roundScaled(x.num, x.den, f, t.format, t.policy).code);
  } catch (e) {
    if (e instanceof FxnnError) throw new FxnnError(`${what}: ${e.message}`, 'inputs');
    throw e;
  }
}
