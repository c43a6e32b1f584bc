/**
 * Exact-rational enclosures of the smooth built-ins at small arguments (docs/activations.md "Small
 * arguments"). Statement: for 0 < h = |x| ≤ 2^-12,
 *   sigmoid(x)   ∈ 1/2 + x/4 − x³/48 ± h⁵/16          (σ − 1/2 is odd; Cauchy on the disc of radius 2, |σ| ≤ 1/sin 2 < 1.1)
 *   tanh(x)      ∈ x − x³/3 ± 2h⁵                     (tanh odd; Cauchy on the disc of radius 1, |tanh| ≤ 1.72)
 *   silu(x)      ∈ x/2 + x²/4 − x⁴/48 ± h⁶/16         (x·sigmoid)
 *   gelu(x)      ∈ x/2 + c·x²(1 − x²/6) ± h⁶/40, c = 1/√(2π) (Φ − 1/2 alternating with decreasing terms)
 *   gelu-tanh(x) ∈ x/2 + x(y/2 − y³/6) ± 2h⁶, y = s(x + 0.044715x³), s = √(2/π)
 *                                                      (sigmoid at 2y, |y| ≤ h; increasing in s)
 *   mish(x)      ∈ 3x/5 + 8x²/25 ± h³                  (g = tanh∘softplus: g(0) = 3/5, g'(0) = 8/25,
 *                                                      |g''| < 1 for |x| ≤ 2^-12, Lagrange)
 *   softplus(x)  ∈ ln 2 + x/2 + x²/8 ± h⁴/4            (softplus⁗ = σ‴, |σ‴| ≤ 3.25, Lagrange)
 *   elu(x < 0)   ∈ α(x + x²/2 + x³/6) ± |α|h⁴/24      (eˣ alternating with decreasing terms)
 * with the irrational constants c, s, ln 2 replaced by 22-digit rational bounds on the side that widens the
 * enclosure. The ends are exact rationals, so rounding both ends (rounding is monotone) decides σ_F(x)
 * whenever they round alike: no double and no decimal evaluation, at any exponent range.
 */
import type { Rational } from '../core/rational.js';

/** Arguments up to 2^-12 in magnitude. */
export const SMALL_ARGUMENT = 2 ** -12;

export interface RationalEnclosure {
  readonly lo: Rational;
  readonly hi: Rational;
}

const r = (num: bigint, den = 1n): Rational => ({ num, den });
const E22 = 10n ** 22n;
/** 1/√(2π), √(2/π), ln 2: lower and upper 22-digit bounds. */
const INV_SQRT_2PI = [r(3989422804014326779399n, E22), r(3989422804014326779400n, E22)] as const;
const SQRT_2_OVER_PI = [r(7978845608028653558798n, E22), r(7978845608028653558799n, E22)] as const;
const LN2 = [r(6931471805599453094172n, E22), r(6931471805599453094173n, E22)] as const;

// unnormalized exact arithmetic (no gcd: every denominator here is a product of small ones)
const add = (a: Rational, b: Rational): Rational =>
  a.den === b.den ? r(a.num + b.num, a.den) : r(a.num * b.den + b.num * a.den, a.den * b.den);
const sub = (a: Rational, b: Rational): Rational => add(a, r(-b.num, b.den));
const mul = (a: Rational, b: Rational): Rational => r(a.num * b.num, a.den * b.den);
const scale = (a: Rational, p: bigint, q: bigint): Rational => r(a.num * p, a.den * q);
const pow = (a: Rational, n: number): Rational => r(a.num ** BigInt(n), a.den ** BigInt(n));
const abs = (a: Rational): Rational => (a.num < 0n ? r(-a.num, a.den) : a);
const around = (p: Rational, e: Rational): RationalEnclosure => ({ lo: sub(p, e), hi: add(p, e) });

/** True for 0 < |x| ≤ 2^-12. */
function isSmall(x: Rational): boolean {
  if (x.num === 0n) return false;
  const n = x.num < 0n ? -x.num : x.num;
  return n * 4096n <= x.den;
}

const HALF = r(1n, 2n);

/** The enclosure of a built-in (by name) at a small x, or null (x not small, or no enclosure). */
export function smallArgumentEnclosure(
  name: string,
  x: Rational,
  alpha: Rational | null = null,
): RationalEnclosure | null {
  if (!isSmall(x)) return null;
  const h = abs(x);
  const x2 = mul(x, x);
  switch (name) {
    case 'sigmoid':
      return around(add(add(HALF, scale(x, 1n, 4n)), scale(pow(x, 3), -1n, 48n)), scale(pow(h, 5), 1n, 16n));
    case 'tanh':
      return around(sub(x, scale(pow(x, 3), 1n, 3n)), scale(pow(h, 5), 2n, 1n));
    case 'silu':
      return around(
        add(add(scale(x, 1n, 2n), scale(x2, 1n, 4n)), scale(mul(x2, x2), -1n, 48n)),
        scale(pow(h, 6), 1n, 16n),
      );
    case 'gelu': {
      // x²(1 − x²/6) > 0: the bounds of c give the ends
      const q = mul(x2, sub(r(1n), scale(x2, 1n, 6n)));
      const e = scale(pow(h, 6), 1n, 40n);
      return {
        lo: sub(add(scale(x, 1n, 2n), mul(q, INV_SQRT_2PI[0])), e),
        hi: add(add(scale(x, 1n, 2n), mul(q, INV_SQRT_2PI[1])), e),
      };
    }
    case 'gelu-tanh': {
      const inner = add(x, scale(pow(x, 3), 44715n, 1000000n));
      const at = (s: Rational): Rational => {
        const y = mul(s, inner);
        return add(scale(x, 1n, 2n), mul(x, sub(scale(y, 1n, 2n), scale(pow(y, 3), 1n, 6n))));
      };
      const e = scale(pow(h, 6), 2n, 1n);
      return { lo: sub(at(SQRT_2_OVER_PI[0]), e), hi: add(at(SQRT_2_OVER_PI[1]), e) };
    }
    case 'mish':
      return around(add(scale(x, 3n, 5n), scale(x2, 8n, 25n)), pow(h, 3));
    case 'softplus': {
      const p = add(scale(x, 1n, 2n), scale(x2, 1n, 8n));
      const e = scale(pow(h, 4), 1n, 4n);
      return { lo: sub(add(LN2[0], p), e), hi: add(add(LN2[1], p), e) };
    }
    case 'elu': {
      if (x.num > 0n || alpha === null) return null;
      const p = mul(alpha, add(add(x, scale(x2, 1n, 2n)), scale(pow(x, 3), 1n, 6n)));
      return around(p, mul(abs(alpha), scale(pow(h, 4), 1n, 24n)));
    }
    default:
      return null;
  }
}
