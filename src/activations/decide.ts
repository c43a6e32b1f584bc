import { Decimal } from 'decimal.js';
import type { Rounding } from '../core/rounding.js';

/**
 * Rounding a value known only to lie in a bracket: the value is `k + p` with k an integer and p in
 * [lo, hi] (an end open when the value cannot equal it). Rounding is monotone, so when the whole
 * bracket lies inside one cell of the rounding, every point of it, in particular the exact value,
 * rounds to the same integer; that integer is returned. The cells are exact: floor's cell of m is
 * [m, m + 1), ceil's (m − 1, m], toward-zero's [m, m + 1) for m ≥ 0 and (m − 1, m] for m ≤ 0; a
 * nearest mode's cell of j is (j − ½, j + ½) (a tie is a boundary, whatever the tie rule). Otherwise
 * the bracket is too wide and the answer is "undecided" (NaN / null).
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
    // inside (f, f + 1): every directed mode decides
    const aboveF = lo > f || loOpen;
    const belowF1 = hi < f + 1 || (hiOpen && hi <= f + 1);
    const below = k + f;
    if (mode === 'floor') return belowF1 ? below : Number.NaN; // [f, f + 1)
    if (mode === 'ceil') {
      // (f, f + 1] rounds up to f + 1; a closed lo = f with hi = f is the integer f itself
      if (aboveF && hi <= f + 1) return below + 1;
      return lo === hi && !loOpen && !hiOpen ? below : Number.NaN;
    }
    if (below >= 0) return belowF1 ? below : Number.NaN;
    if (below + 1 <= 0) {
      if (aboveF && hi <= f + 1) return below + 1;
      return lo === hi && !loOpen && !hiOpen ? below : Number.NaN;
    }
    return Number.NaN;
  }
  const j = Math.floor(lo + 0.5);
  if (!(lo > j - 0.5 || (loOpen && lo >= j - 0.5)) || !(hi < j + 0.5 || (hiOpen && hi <= j + 0.5))) {
    return Number.NaN;
  }
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
  if (!lo.isFinite() || !hi.isFinite() || lo.gt(hi)) return null;
  if (mode === 'floor' || mode === 'ceil' || mode === 'toward-zero') {
    const f = lo.floor();
    const f1 = f.plus(1);
    const aboveF = lo.gt(f) || loOpen;
    const belowF1 = hi.lt(f1) || (hiOpen && hi.lte(f1));
    const point = lo.eq(hi) && !loOpen && !hiOpen;
    const below = k + BigInt(f.toFixed(0));
    if (mode === 'floor') return belowF1 ? below : null;
    if (mode === 'ceil') return aboveF && hi.lte(f1) ? below + 1n : point ? below : null;
    if (below >= 0n) return belowF1 ? below : null;
    if (below + 1n <= 0n) return aboveF && hi.lte(f1) ? below + 1n : point ? below : null;
    return null;
  }
  const j = lo.plus(HALF).floor();
  const jlo = j.minus(HALF);
  const jhi = j.plus(HALF);
  if (!(lo.gt(jlo) || (loOpen && lo.gte(jlo))) || !(hi.lt(jhi) || (hiOpen && hi.lte(jhi)))) return null;
  return k + BigInt(j.toFixed(0));
}
