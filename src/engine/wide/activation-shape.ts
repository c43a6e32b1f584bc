/**
 * The proven shape of each built-in activation (docs/theory.md §9.5, "Shapes"): `monotone` (σ is
 * non-decreasing on ℝ) or `valley` (σ is non-increasing on (−∞, lo] and non-decreasing on [hi, ∞), with
 * lo ≤ hi rationals bracketing the one critical point). Rounding and saturation are non-decreasing, so
 * σ_F keeps the shape on codes: non-increasing on codes ≤ ⌊lo·2^n⌋, non-decreasing on codes ≥ ⌈hi·2^n⌉.
 * Activations whose shape is not proved here (gelu-tanh, user LUT and expression activations) get null:
 * the analytic path refuses them.
 */
import type { Activation } from '../../activations/activation.js';
import { type Rational, ratio } from '../../core/rational.js';

export type ActivationShape =
  | { readonly kind: 'monotone' }
  | { readonly kind: 'valley'; readonly lo: Rational; readonly hi: Rational }
  /**
   * Read off a table of σ_F (formats of at most 16 bits, `tabulated-shape.ts`): σ_F non-increasing on codes
   * ≤ cL and non-decreasing on codes ≥ cR, checked at every code.
   */
  | { readonly kind: 'codes'; readonly cL: bigint; readonly cR: bigint };

/** A decimal string as an exact rational. */
function dec(text: string): Rational {
  const neg = text.startsWith('-');
  const [ip, fp = ''] = (neg ? text.slice(1) : text).split('.');
  const num = BigInt(ip + fp) * (neg ? -1n : 1n);
  return ratio(num, 10n ** BigInt(fp.length));
}

/**
 * Critical-point brackets of the valley-shaped built-ins (each derivative changes sign exactly once,
 * from negative to positive, inside the bracket; docs/theory.md §9.5, proved there and checked at the
 * bracket ends with 50-digit arithmetic in test/wide-shape.test.ts).
 */
export const VALLEY_BRACKETS: Readonly<Record<string, readonly [string, string]>> = {
  silu: ['-1.278464542762', '-1.278464542760'],
  gelu: ['-0.751791524694', '-0.751791524693'],
  mish: ['-1.192431214516', '-1.192431214515'],
  'hard-swish': ['-1.5', '-1.5'],
};

const MONOTONE = new Set(['identity', 'relu', 'sigmoid', 'tanh', 'softplus', 'hard-sigmoid', 'step']);

/** The shape of an activation, or null when none is proved. */
export function activationShape(act: Activation): ActivationShape | null {
  if (MONOTONE.has(act.name)) return { kind: 'monotone' };
  const bracket = VALLEY_BRACKETS[act.name];
  if (bracket) return { kind: 'valley', lo: dec(bracket[0]), hi: dec(bracket[1]) };
  if (act.name === 'leaky-relu' || act.name === 'elu') {
    // x ≥ 0: x; x < 0: αx (leaky) or α(e^x − 1) (elu): non-decreasing for α ≥ 0, a valley at 0 for α < 0
    return act.monotone ? { kind: 'monotone' } : { kind: 'valley', lo: ratio(0n, 1n), hi: ratio(0n, 1n) };
  }
  return null;
}
