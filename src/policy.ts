import type { Rounding } from './core/rounding.js';
import { ROUNDING_MODES } from './core/rounding.js';
import { check, quote } from './errors.js';
import type { Format } from './format.js';

/**
 * Overflow modes (docs/model.md "Overflow"): `saturate` clamps, `wrap` keeps the low bits, `error`
 * throws; and HLS's others: `saturate-zero` (AP_SAT_ZERO: an overflow gives 0), `saturate-symmetric`
 * (AP_SAT_SYM: clamps to ±max, so the most negative code is never produced), `wrap-sign-magnitude`
 * (AP_WRAP_SM). `wrap` and `wrap-sign-magnitude` take the policy's `saturationBits` (ap_fixed's N).
 */
export const OVERFLOW_MODES = ['saturate', 'wrap', 'error'] as const;
/** The overflow modes HLS adds to fxnn's three (AP_SAT_ZERO, AP_SAT_SYM, AP_WRAP_SM). */
export const HLS_OVERFLOW_MODES = ['saturate-zero', 'saturate-symmetric', 'wrap-sign-magnitude'] as const;
/** Every overflow mode: fxnn's three (the expressivity engine's) and HLS's three. */
export const ALL_OVERFLOW_MODES = [...OVERFLOW_MODES, ...HLS_OVERFLOW_MODES] as const;
export type Overflow = (typeof ALL_OVERFLOW_MODES)[number];
export type { Rounding } from './core/rounding.js';
export { ROUNDING_MODES } from './core/rounding.js';

/** The ap_fixed quantization modes and the fxnn rounding each one is (ap_fixed_base.h quantization_adjust). */
export const AP_QUANTIZATION: Readonly<Record<string, Rounding>> = Object.freeze({
  AP_RND: 'nearest-up',
  AP_RND_ZERO: 'nearest-zero',
  AP_RND_MIN_INF: 'nearest-down',
  AP_RND_INF: 'nearest-away',
  AP_RND_CONV: 'nearest-even',
  AP_TRN: 'floor',
  AP_TRN_ZERO: 'toward-zero',
});

/** The ap_fixed overflow modes and the fxnn overflow each one is (ap_fixed_base.h overflow_adjust). */
export const AP_OVERFLOW: Readonly<Record<string, Overflow>> = Object.freeze({
  AP_SAT: 'saturate',
  AP_SAT_ZERO: 'saturate-zero',
  AP_SAT_SYM: 'saturate-symmetric',
  AP_WRAP: 'wrap',
  AP_WRAP_SM: 'wrap-sign-magnitude',
});

/** How results are brought onto a format: first `rounding` to the grid, then `overflow` into the range. */
export interface Policy {
  readonly rounding: Rounding;
  readonly overflow: Overflow;
  /** ap_fixed's N: the saturation bits of `wrap` and `wrap-sign-magnitude` (absent = 0). */
  readonly saturationBits?: number;
}

export const DEFAULT_POLICY: Policy = Object.freeze({ rounding: 'nearest-even', overflow: 'saturate' });
/** ap_fixed's defaults: AP_TRN, AP_WRAP, N = 0. */
export const AP_DEFAULT_POLICY: Policy = Object.freeze({ rounding: 'floor', overflow: 'wrap' });

export function parseRounding(text: string): Rounding {
  const ap = AP_QUANTIZATION[text.trim().toUpperCase()];
  if (ap !== undefined) return ap;
  check(
    (ROUNDING_MODES as readonly string[]).includes(text),
    () =>
      `unknown rounding ${quote(text)}: expected one of ${ROUNDING_MODES.join(', ')} or ${Object.keys(AP_QUANTIZATION).join(', ')}`,
    'rounding',
  );
  return text as Rounding;
}

export function parseOverflow(text: string): Overflow {
  const ap = AP_OVERFLOW[text.trim().toUpperCase()];
  if (ap !== undefined) return ap;
  check(
    (ALL_OVERFLOW_MODES as readonly string[]).includes(text),
    () =>
      `unknown overflow ${quote(text)}: expected one of ${ALL_OVERFLOW_MODES.join(', ')} or ${Object.keys(AP_OVERFLOW).join(', ')}`,
    'overflow',
  );
  return text as Overflow;
}

/** Options of `makePolicy`: mode names (fxnn or AP), the saturation bits, and the defaults to use. */
export interface PolicyOptions {
  readonly rounding?: string;
  readonly overflow?: string;
  readonly saturationBits?: number;
  /** The policy for omitted modes (default `DEFAULT_POLICY`; an ap_fixed spelling uses `AP_DEFAULT_POLICY`). */
  readonly defaults?: Policy;
}

/**
 * Validates a policy for a format: `wrap` is not defined for symmetric SQ formats, neither is
 * `wrap-sign-magnitude` for unsigned ones (ap_ufixed rejects AP_WRAP_SM); saturation bits go with
 * the wrap modes and are at most the format's width.
 */
export function makePolicy(format: Format, options: PolicyOptions = {}): Policy {
  const defaults = options.defaults ?? DEFAULT_POLICY;
  const rounding = parseRounding(options.rounding ?? defaults.rounding);
  const overflow = parseOverflow(options.overflow ?? defaults.overflow);
  const saturationBits = options.saturationBits ?? 0;
  check(
    !((overflow === 'wrap' || overflow === 'wrap-sign-magnitude') && format.kind === 'SQ'),
    () =>
      `overflow "${overflow}" is not defined for the symmetric format ${format.spec}; use saturate or error`,
    'overflow',
  );
  check(
    !(overflow === 'wrap-sign-magnitude' && format.kind === 'UQ'),
    () => `overflow "wrap-sign-magnitude" (AP_WRAP_SM) is not defined for the unsigned format ${format.spec}`,
    'overflow',
  );
  check(
    Number.isInteger(saturationBits) && saturationBits >= 0 && saturationBits <= format.bits,
    () =>
      `saturation bits: expected a whole number 0 … ${format.bits} for ${format.spec}, got ${saturationBits}`,
    'overflow',
  );
  check(
    saturationBits === 0 || overflow === 'wrap' || overflow === 'wrap-sign-magnitude',
    () =>
      `saturation bits (N = ${saturationBits}) go with overflow wrap or wrap-sign-magnitude, not ${overflow}`,
    'overflow',
  );
  return Object.freeze(
    saturationBits === 0 ? { rounding, overflow } : { rounding, overflow, saturationBits },
  );
}

/** The text of a policy for messages and JSON: `floor, wrap` or `floor, wrap (N = 2)`. */
export function policyText(policy: Policy): string {
  const n = policy.saturationBits ?? 0;
  return `${policy.rounding}, ${policy.overflow}${n === 0 ? '' : ` (N = ${n})`}`;
}
