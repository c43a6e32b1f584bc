import { Decimal } from 'decimal.js';
import type { Rounding } from '../core/rounding.js';

/**
 * Rounding a value known only to lie in a bracket: the value is `k + p` with k an integer and p in
 * [lo, hi] (either end possibly open). Rounding is monotone, so when the whole bracket lies strictly
 * inside one cell of the rounding — between two consecutive integers for the directed modes, between
 * two consecutive half-integers for the nearest modes — every point of it, in particular the exact
 * value, rounds to the same integer; that integer is returned. Otherwise the bracket is too wide (or
 * the value may sit exactly on a boundary, a case decided exactly elsewhere) and the answer is
 * "undecided" (NaN / null). Ties never need a rule here: a tie is a boundary.
 */
export function decideNumber(
  k: number,
  lo: number,
  hi: number,
  loOpen: boolean,
  hiOpen: boolean,
  mode: Rounding,
): number {
  if (!(lo <= hi)) return Number.NaN;
  if (mode === 'floor' || mode === 'ceil' || mode === 'toward-zero') {
    const f = Math.floor(lo);
    if (!(loOpen ? lo >= f : lo > f) || !(hiOpen ? hi <= f + 1 : hi < f + 1)) return Number.NaN;
    // value in (k+f, k+f+1)
    const below = k + f;
    if (mode === 'floor') return below;
    if (mode === 'ceil') return below + 1;
    return below >= 0 ? below : below + 1;
  }
  const j = Math.floor(lo + 0.5);
  if (!(loOpen ? lo >= j - 0.5 : lo > j - 0.5) || !(hiOpen ? hi <= j + 0.5 : hi < j + 0.5)) return Number.NaN;
  return k + j;
}

const HALF = new Decimal(0.5);

/** `decideNumber` on decimals with an exact integer offset k: the rounded integer, or null. */
export function decideDecimal(
  k: bigint,
  lo: Decimal,
  hi: Decimal,
  loOpen: boolean,
  hiOpen: boolean,
  mode: Rounding,
): bigint | null {
  if (lo.gt(hi)) return null;
  if (mode === 'floor' || mode === 'ceil' || mode === 'toward-zero') {
    const f = lo.floor();
    const f1 = f.plus(1);
    if (!(loOpen ? lo.gte(f) : lo.gt(f)) || !(hiOpen ? hi.lte(f1) : hi.lt(f1))) return null;
    const below = k + BigInt(f.toFixed(0));
    if (mode === 'floor') return below;
    if (mode === 'ceil') return below + 1n;
    return below >= 0n ? below : below + 1n;
  }
  const j = lo.plus(HALF).floor();
  const jlo = j.minus(HALF);
  const jhi = j.plus(HALF);
  if (!(loOpen ? lo.gte(jlo) : lo.gt(jlo)) || !(hiOpen ? hi.lte(jhi) : hi.lt(jhi))) return null;
  return k + BigInt(j.toFixed(0));
}
