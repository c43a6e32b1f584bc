import type { Rounding } from './core/rounding.js';
import { ROUNDING_MODES } from './core/rounding.js';
import { check, quote } from './errors.js';
import type { Format } from './format.js';

export const OVERFLOW_MODES = ['saturate', 'wrap', 'error'] as const;
export type Overflow = (typeof OVERFLOW_MODES)[number];
export type { Rounding } from './core/rounding.js';
export { ROUNDING_MODES } from './core/rounding.js';

/** How results are brought onto a format: first `rounding` to the grid, then `overflow` into the range. */
export interface Policy {
  readonly rounding: Rounding;
  readonly overflow: Overflow;
}

export const DEFAULT_POLICY: Policy = Object.freeze({ rounding: 'nearest-even', overflow: 'saturate' });

export function parseRounding(text: string): Rounding {
  check(
    (ROUNDING_MODES as readonly string[]).includes(text),
    () => `unknown rounding ${quote(text)}: expected one of ${ROUNDING_MODES.join(', ')}`,
    'rounding',
  );
  return text as Rounding;
}

export function parseOverflow(text: string): Overflow {
  check(
    (OVERFLOW_MODES as readonly string[]).includes(text),
    () => `unknown overflow ${quote(text)}: expected one of ${OVERFLOW_MODES.join(', ')}`,
    'overflow',
  );
  return text as Overflow;
}

/** Validates a policy for a format (`wrap` is not defined for symmetric SQ formats). */
export function makePolicy(format: Format, options: { rounding?: string; overflow?: string } = {}): Policy {
  const rounding = parseRounding(options.rounding ?? DEFAULT_POLICY.rounding);
  const overflow = parseOverflow(options.overflow ?? DEFAULT_POLICY.overflow);
  check(
    !(overflow === 'wrap' && format.kind === 'SQ'),
    () => `overflow "wrap" is not defined for the symmetric format ${format.spec}; use saturate or error`,
    'overflow',
  );
  return Object.freeze({ rounding, overflow });
}
