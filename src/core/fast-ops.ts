import { check } from '../errors.js';
import { FAST_PATH_BITS, type Format } from '../format.js';
import type { Policy } from '../policy.js';
import { overflowClamp } from './overflow.js';
import { roundQuotientNumber, shiftRounder } from './rounding.js';

/** Number kernels of ⊕, ⊖, ⊗, ⊘ for one small format and policy (codes are safe integers). */
export interface FastOps {
  readonly add: (a: number, b: number) => number;
  readonly sub: (a: number, b: number) => number;
  readonly mul: (a: number, b: number) => number;
  readonly div: (a: number, b: number) => number;
  /** Rounds a code-unit value p·2^-fracBits (a product of two codes) to a code, then overflow. */
  readonly roundProduct: (p: number) => number;
  /** Overflow only, for exact sums of codes. */
  readonly clamp: (c: number) => number;
}

/** Builds the fast path for a format of at most 26 bits (`format.small`; wider formats are an error). */
export function fastOps(format: Format, policy: Policy): FastOps {
  check(
    format.small,
    () => `fastOps: ${format.spec} has ${format.bits} bits; the number path takes at most ${FAST_PATH_BITS}`,
    'format',
  );
  const clamp = overflowClamp(format, policy.overflow, policy.saturationBits ?? 0);
  const shift = shiftRounder(policy.rounding, format.fracBits);
  const scale = 2 ** format.fracBits;
  const rounding = policy.rounding;
  const roundProduct = (p: number) => clamp(shift(p));
  return {
    add: (a, b) => clamp(a + b),
    sub: (a, b) => clamp(a - b),
    mul: (a, b) => clamp(shift(a * b)),
    div: (a, b) =>
      clamp(
        b < 0 ? roundQuotientNumber(-a * scale, -b, rounding) : roundQuotientNumber(a * scale, b, rounding),
      ),
    roundProduct,
    clamp,
  };
}
