import type { Format } from '../format.js';
import type { Policy } from '../policy.js';
import { overflowWith } from './overflow.js';
import { roundQuotient } from './rounding.js';

/** A rounded result on codes: `exact` is true when the code's value equals the exact result. */
export interface CodeResult {
  readonly code: bigint;
  readonly overflowed: boolean;
  readonly exact: boolean;
}

export const OPS = ['add', 'sub', 'mul', 'div'] as const;
export type Op = (typeof OPS)[number];

/**
 * Rounds the exact value p/q·2^-fracBits (q > 0, in code units) into the format: rounding first,
 * then overflow. Every operation and activation ends here.
 */
export function roundCodeQuotient(p: bigint, q: bigint, format: Format, policy: Policy): CodeResult {
  const rounded = roundQuotient(p, q, policy.rounding);
  const { code, overflowed } = overflowWith(rounded.value, format, policy);
  return { code, overflowed, exact: rounded.exact && !overflowed };
}

/** a ⊕ b, a ⊖ b, a ⊗ b, a ⊘ b on codes of one format, computed exactly and rounded once. */
export function opCodes(op: Op, a: bigint, b: bigint, format: Format, policy: Policy): CodeResult {
  switch (op) {
    case 'add':
      return roundCodeQuotient(a + b, 1n, format, policy);
    case 'sub':
      return roundCodeQuotient(a - b, 1n, format, policy);
    case 'mul':
      return roundScaled(a * b, 1n, -format.fracBits, format, policy);
    default:
      // (a/2^n)/(b/2^n) = a/b, in code units a·2^n/b. The front end rejects b = 0.
      return roundScaled(b < 0n ? -a : a, b < 0n ? -b : b, format.fracBits, format, policy);
  }
}

export function addCodes(a: bigint, b: bigint, format: Format, policy: Policy): bigint {
  return opCodes('add', a, b, format, policy).code;
}
export function mulCodes(a: bigint, b: bigint, format: Format, policy: Policy): bigint {
  return opCodes('mul', a, b, format, policy).code;
}

/** Rounds p/q·2^e (q > 0, in code units) into the format: `roundCodeQuotient` for any sign of e. */
export function roundScaled(p: bigint, q: bigint, e: number, format: Format, policy: Policy): CodeResult {
  return e >= 0
    ? roundCodeQuotient(p << BigInt(e), q, format, policy)
    : roundCodeQuotient(p, q << BigInt(-e), format, policy);
}

/** rnd(num/den) for an exact rational value (den > 0): its code in the format. */
export function roundRational(num: bigint, den: bigint, format: Format, policy: Policy): CodeResult {
  return roundScaled(num, den, format.fracBits, format, policy);
}
