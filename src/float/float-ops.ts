/**
 * ⊕ ⊖ ⊗ ⊘ on a float format (docs/float.md §3): the exact result rounded once by
 * `roundRationalToFloat`, with IEEE 754's special values. NaN in → NaN; ∞ − ∞, 0·∞, 0/0, ∞/∞ → NaN;
 * an exact zero sum of opposite-signed operands (x − x, (+0) + (−0)) is +0, −0 under `floor`; equal-signed
 * zeros keep their sign; products and quotients take the xor of the signs, also for zeros. x/±0 (x ≠ 0)
 * is not an overflow: ±∞ (NaN in FN formats), ±max under `saturate`.
 */
import type { Op } from '../core/ops.js';
import { classify, decodeFinite, type FloatFormat } from './float-format.js';
import { type FloatPolicy, type FloatResult, roundRationalToFloat } from './float-rounding.js';

const NAN = (f: FloatFormat): FloatResult => ({ code: f.nanCode, overflowed: false, exact: false });

function infinity(negative: boolean, f: FloatFormat): FloatResult {
  return { code: (negative ? f.signBit : 0) + f.infCode, overflowed: false, exact: true };
}

/** a op b on codes of one format, computed exactly and rounded once. */
export function floatOp(op: Op, a: number, b: number, f: FloatFormat, policy: FloatPolicy): FloatResult {
  const ca = classify(a, f);
  const cb = classify(b, f);
  if (ca === 'nan' || cb === 'nan') return NAN(f);
  const na = a >= f.signBit;
  let nb = b >= f.signBit;
  if (op === 'sub') nb = !nb;
  const ia = ca === 'infinite';
  const ib = cb === 'infinite';
  const da = decodeFinite(a, f);
  const db = decodeFinite(b, f);
  switch (op) {
    case 'add':
    case 'sub': {
      if (ia && ib) return na === nb ? infinity(na, f) : NAN(f);
      if (ia) return infinity(na, f);
      if (ib) return infinity(nb, f);
      // exact sum at the smaller unit: ±Ma·2^(qa−q) ± Mb·2^(qb−q)
      const q = Math.min(da.q, db.q);
      const sa = BigInt(na ? -da.M : da.M) << BigInt(da.q - q);
      const sb = BigInt(nb ? -db.M : db.M) << BigInt(db.q - q);
      const sum = sa + sb;
      if (sum === 0n) {
        const negative = da.M === 0 && db.M === 0 && na === nb ? na : policy.rounding === 'floor';
        return { code: negative ? f.signBit : 0, overflowed: false, exact: true };
      }
      return roundScaled(sum, q, f, policy);
    }
    case 'mul': {
      const negative = na !== nb;
      if (ia || ib) return (ia ? db.M : da.M) === 0 && !(ia && ib) ? NAN(f) : infinity(negative, f);
      if (da.M === 0 || db.M === 0) return { code: negative ? f.signBit : 0, overflowed: false, exact: true };
      return roundScaled(BigInt(negative ? -da.M * db.M : da.M * db.M), da.q + db.q, f, policy);
    }
    default: {
      const negative = na !== nb;
      if (ia) return ib ? NAN(f) : infinity(negative, f);
      if (ib) return { code: negative ? f.signBit : 0, overflowed: false, exact: true };
      if (db.M === 0) {
        if (da.M === 0) return NAN(f);
        if (policy.overflow === 'saturate') {
          return { code: (negative ? f.signBit : 0) + f.maxCode, overflowed: false, exact: false };
        }
        return {
          code: (negative ? f.signBit : 0) + (f.fn ? f.nanCode : f.infCode),
          overflowed: false,
          exact: false,
        };
      }
      if (da.M === 0) return { code: negative ? f.signBit : 0, overflowed: false, exact: true };
      // (Ma·2^qa)/(Mb·2^qb) = Ma/Mb · 2^(qa−qb)
      const k = da.q - db.q;
      const p = BigInt(da.M) << BigInt(Math.max(k, 0));
      const d = BigInt(db.M) << BigInt(Math.max(-k, 0));
      return roundRationalToFloat(negative, p, d, f, policy);
    }
  }
}

/** Rounds the nonzero exact value s·2^k. */
function roundScaled(s: bigint, k: number, f: FloatFormat, policy: FloatPolicy): FloatResult {
  const negative = s < 0n;
  const mag = negative ? -s : s;
  return k >= 0
    ? roundRationalToFloat(negative, mag << BigInt(k), 1n, f, policy)
    : roundRationalToFloat(negative, mag, 1n << BigInt(-k), f, policy);
}
