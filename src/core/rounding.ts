/**
 * Rounding to the integer grid: the one place where fxnn quantizes (THEORY §2). Kernel code; modes are
 * validated by the front end (`policy.ts`).
 */
export const ROUNDING_MODES = [
  'nearest-even',
  'nearest-away',
  'nearest-up',
  'nearest-down',
  'nearest-zero',
  'floor',
  'ceil',
  'toward-zero',
] as const;
export type Rounding = (typeof ROUNDING_MODES)[number];

export function isNearest(mode: Rounding): boolean {
  return mode.startsWith('nearest-');
}

/**
 * Chooses between `fl = floor(p/q)` and `fl + 1` given the sign of the exact value and how the
 * remainder compares with half the divisor (`half`: -1 below, 0 tie, 1 above). Shared by the BigInt
 * and the number kernels so both follow one table.
 */
function roundUp(mode: Rounding, negative: boolean, half: number, odd: boolean): boolean {
  switch (mode) {
    case 'floor':
      return false;
    case 'ceil':
      return true;
    case 'toward-zero':
      return negative;
    default:
      if (half !== 0) return half > 0;
      switch (mode) {
        case 'nearest-even':
          return odd;
        case 'nearest-away':
          return !negative;
        case 'nearest-up':
          return true;
        case 'nearest-down':
          return false;
        default: // nearest-zero
          return negative;
      }
  }
}

/** Rounds the exact quotient p/q (q > 0) to an integer. `exact` is true when q divides p. */
export function roundQuotient(p: bigint, q: bigint, mode: Rounding): { value: bigint; exact: boolean } {
  let fl = p / q;
  let r = p - fl * q;
  if (r < 0n) {
    fl -= 1n;
    r += q;
  }
  if (r === 0n) return { value: fl, exact: true };
  const twice = 2n * r;
  const half = twice < q ? -1 : twice > q ? 1 : 0;
  const up = roundUp(mode, p < 0n, half, (fl & 1n) === 1n);
  return { value: up ? fl + 1n : fl, exact: false };
}

/**
 * The number kernel of `roundQuotient` for safe integers: |p| ≤ 2^53 and 0 < q ≤ 2^53 with |p/q|·q
 * representable. The float quotient only proposes `fl`; the exact integer remainder corrects it.
 */
export function roundQuotientNumber(p: number, q: number, mode: Rounding): number {
  let fl = Math.floor(p / q);
  let r = p - fl * q;
  if (r < 0) {
    fl -= 1;
    r += q;
  } else if (r >= q) {
    fl += 1;
    r -= q;
  }
  if (r === 0) return fl + 0; // + 0 turns −0 (from p = −0) into 0
  const twice = 2 * r;
  const half = twice < q ? -1 : twice > q ? 1 : 0;
  return roundUp(mode, p < 0, half, fl % 2 !== 0) ? fl + 1 : fl;
}

/**
 * A specialised kernel rounding p·2^-shift to an integer for safe integers p (the hot path of ⊗):
 * scaling by a power of two is exact in doubles, so `Math.floor` is exact here. Results are never −0
 * (`Math.ceil(-0.5)` and `0 * -3` are −0; `+ 0` makes them 0).
 */
export function shiftRounder(mode: Rounding, shift: number): (p: number) => number {
  if (shift === 0) return (p) => p + 0;
  const scale = 2 ** -shift;
  const unit = 2 ** shift;
  const halfUnit = unit / 2;
  switch (mode) {
    case 'floor':
      return (p) => Math.floor(p * scale) + 0;
    case 'ceil':
      return (p) => Math.ceil(p * scale) + 0;
    case 'toward-zero':
      return (p) => Math.trunc(p * scale) + 0;
    case 'nearest-up':
      return (p) => Math.floor((p + halfUnit) * scale);
    case 'nearest-down':
      return (p) => Math.ceil((p - halfUnit) * scale) + 0;
    default:
      return (p) => {
        const fl = Math.floor(p * scale) + 0;
        const r = p - fl * unit;
        if (r !== halfUnit) return r > halfUnit ? fl + 1 : fl;
        return roundUp(mode, p < 0, 0, fl % 2 !== 0) ? fl + 1 : fl;
      };
  }
}
