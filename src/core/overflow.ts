import { FxnnError } from '../errors.js';
import type { Format } from '../format.js';
import type { Overflow } from '../policy.js';
import { dyadicToDecimal } from './rational.js';

/**
 * Raised under overflow mode `error` when a result leaves the format's range. `beyond` says the
 * code is only a bound (the value is at least max + ε, or at most min − ε, and was not computed).
 */
export class OverflowError extends FxnnError {
  constructor(code: bigint, format: Format, beyond?: 'above' | 'below') {
    const what =
      beyond === undefined
        ? dyadicToDecimal(code, format.fracBits)
        : `a value ${beyond === 'above' ? '≥' : '≤'} ${dyadicToDecimal(code, format.fracBits)}`;
    super(
      `overflow: ${what} is outside ${format.spec} ` +
        `[${dyadicToDecimal(format.minCode, format.fracBits)}, ${dyadicToDecimal(format.maxCode, format.fracBits)}]`,
      'overflow',
    );
    this.name = 'OverflowError';
  }
}

/** `wrap` keeps low bits of a two's complement or unsigned code; SQ has no such encoding. */
function wrapOnSymmetric(format: Format): FxnnError {
  return new FxnnError(
    `overflow "wrap" is not defined for the symmetric format ${format.spec}; use saturate or error`,
    'overflow',
  );
}

/**
 * Brings an integer code into the format's range (THEORY §2): `saturate` clamps to [min, max] (±max
 * for SQ), `wrap` keeps the low `bits` bits (two's complement for Q, modulo 2^bits for UQ), `error`
 * throws. The single overflow step of every operation and activation.
 */
export function applyOverflow(
  code: bigint,
  format: Format,
  mode: Overflow,
): { code: bigint; overflowed: boolean } {
  if (code >= format.minCode && code <= format.maxCode) return { code, overflowed: false };
  switch (mode) {
    case 'saturate':
      return { code: code < format.minCode ? format.minCode : format.maxCode, overflowed: true };
    case 'wrap': {
      if (format.kind === 'SQ') throw wrapOnSymmetric(format);
      const modulus = 1n << BigInt(format.bits);
      let low = (code - format.minCode) % modulus;
      if (low < 0n) low += modulus;
      return { code: low + format.minCode, overflowed: true };
    }
    default:
      throw new OverflowError(code, format);
  }
}

/** The number kernel of `applyOverflow` for small formats; returns the code (overflow is not reported). */
export function overflowClamp(format: Format, mode: Overflow): (code: number) => number {
  const min = Number(format.minCode);
  const max = Number(format.maxCode);
  switch (mode) {
    case 'saturate':
      return (c) => Math.min(Math.max(c, min), max);
    case 'wrap': {
      if (format.kind === 'SQ') throw wrapOnSymmetric(format);
      const modulus = 2 ** format.bits;
      return (c) => {
        if (c >= min && c <= max) return c;
        let low = (c - min) % modulus;
        if (low < 0) low += modulus;
        return low + min;
      };
    }
    default:
      return (c) => {
        if (c < min || c > max) throw new OverflowError(BigInt(c), format);
        return c;
      };
  }
}
