import { check, FxnnError, quote } from './errors.js';

/** How codes map to values (THEORY §1). */
export type Encoding = 'twos-complement' | 'symmetric' | 'unsigned';
export type FormatKind = 'Q' | 'SQ' | 'UQ';

/**
 * A fixed-point format: the values k·2^-fracBits for integer codes k in [minCode, maxCode]. Immutable
 * and interned: `parseFormat` returns the same object for the same format, so `===` compares formats.
 */
export interface Format {
  /** Canonical spec, e.g. `Q3.4`. */
  readonly spec: string;
  readonly kind: FormatKind;
  readonly encoding: Encoding;
  /** Integer bits, excluding the sign bit. */
  readonly intBits: number;
  readonly fracBits: number;
  /** Total bits of storage. */
  readonly bits: number;
  readonly minCode: bigint;
  readonly maxCode: bigint;
  /** Number of values, maxCode − minCode + 1. */
  readonly size: bigint;
  /** True when 1 is a value of the format (intBits ≥ 1). */
  readonly hasOne: boolean;
  /** True when codes fit the safe-integer fast path (bits ≤ 26: products stay below 2^53). */
  readonly small: boolean;
}

export const MAX_BITS = 64;
export const FAST_PATH_BITS = 26;

const interned = new Map<string, Format>();

/** The format with the given encoding and bit counts (validated, interned). */
export function makeFormat(kind: FormatKind, intBits: number, fracBits: number): Format {
  check(
    Number.isInteger(intBits) && intBits >= 0,
    () => `format: integer bits must be a whole number ≥ 0, got ${intBits}`,
    'format',
  );
  check(
    Number.isInteger(fracBits) && fracBits >= 0,
    () => `format: fractional bits must be a whole number ≥ 0, got ${fracBits}`,
    'format',
  );
  const spec = `${kind}${intBits}.${fracBits}`;
  const cached = interned.get(spec);
  if (cached) return cached;
  const bits = intBits + fracBits + (kind === 'UQ' ? 0 : 1);
  check(
    bits >= 1 && bits <= MAX_BITS,
    () => `format ${quote(spec)} has ${bits} total bits; fxnn supports 1 to ${MAX_BITS}`,
    'format',
  );
  const magnitude = 1n << BigInt(intBits + fracBits);
  const minCode = kind === 'Q' ? -magnitude : kind === 'SQ' ? -(magnitude - 1n) : 0n;
  const maxCode = magnitude - 1n;
  const format: Format = Object.freeze({
    spec,
    kind,
    encoding: kind === 'Q' ? 'twos-complement' : kind === 'SQ' ? 'symmetric' : 'unsigned',
    intBits,
    fracBits,
    bits,
    minCode,
    maxCode,
    size: maxCode - minCode + 1n,
    hasOne: intBits >= 1,
    small: bits <= FAST_PATH_BITS,
  } as const);
  interned.set(spec, format);
  return format;
}

const SPEC_Q = /^(SQ|UQ|Q)(\d+)\.(\d+)$/i;
const SPEC_AP = /^ap_(u?)fixed\s*<\s*(\d+)\s*,\s*(-?\d+)\s*>$/i;

/**
 * Parses `Qm.n`, `SQm.n`, `UQm.n`, `ap_fixed<W,I>` (= Q(I−1).(W−I)) and `ap_ufixed<W,I>` (= UQI.(W−I)).
 */
export function parseFormat(spec: string | Format): Format {
  if (typeof spec !== 'string') {
    check(
      typeof spec === 'object' && spec !== null && interned.get(spec.spec) === spec,
      () => `format: expected a spec string or a Format, got ${quote(spec)}`,
      'format',
    );
    return spec;
  }
  const text = spec.trim();
  const q = SPEC_Q.exec(text);
  if (q) {
    const kind = q[1].toUpperCase() as FormatKind;
    const bits = Number(q[2]) + Number(q[3]) + (kind === 'UQ' ? 0 : 1);
    checkBits(text, bits);
    return makeFormat(kind, Number(q[2]), Number(q[3]));
  }
  const ap = SPEC_AP.exec(text);
  if (ap) {
    const unsigned = ap[1] !== '';
    const width = Number(ap[2]);
    const intPart = Number(ap[3]);
    const name = `ap_${unsigned ? 'u' : ''}fixed<${width},${intPart}>`;
    check(
      intPart >= (unsigned ? 0 : 1),
      () =>
        `format ${quote(text)}: I must be ≥ ${unsigned ? 0 : 1} (${name} with fewer integer bits has no Qm.n equivalent)`,
      'format',
    );
    check(
      width >= intPart,
      () => `format ${quote(text)}: W must be ≥ I (negative fractional bits are not supported)`,
      'format',
    );
    checkBits(text, width);
    return unsigned
      ? makeFormat('UQ', intPart, width - intPart)
      : makeFormat('Q', intPart - 1, width - intPart);
  }
  throw new FxnnError(
    `unknown format ${quote(spec)}: expected Qm.n, SQm.n, UQm.n, ap_fixed<W,I> or ap_ufixed<W,I>`,
    'format',
  );
}

/** The total bits of a spec must be 1 to MAX_BITS; the message names the spec as the user wrote it. */
function checkBits(text: string, bits: number): void {
  check(
    bits >= 1 && bits <= MAX_BITS,
    () =>
      `format ${quote(text)} has ${Number.isSafeInteger(bits) ? bits : `more than ${Number.MAX_SAFE_INTEGER}`} total bits; fxnn supports 1 to ${MAX_BITS}`,
    'format',
  );
}

/** Every code of the format in increasing order (enumerate small formats only). */
export function* codesOf(format: Format): Generator<bigint> {
  for (let k = format.minCode; k <= format.maxCode; k++) yield k;
}
