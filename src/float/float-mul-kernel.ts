/**
 * The ⊗ kernel of IEEE-style float formats of 9–16 bits (fp16, bf16, EeMm; not the FN formats) under the
 * overflow modes `infinity` and `saturate` (docs/float.md §4, "⊗ of IEEE-style formats"): int32 operations
 * only, no table of the size of the format, no branch that random operands make unpredictable.
 *
 * Statement. Let the code c have sign s, exponent field e and mantissa t. One word of a table indexed by
 * c >> m (the sign and the field: 2^(1+e) entries, in L1) plus 2t gives 2M in bits 0–14 and q + 2^14 in
 * bits 16–30, with M = 2^m·[e > 0] + t and q = max(e, 1) − bias − m, so that |c| = M·2^q; the row e = all
 * ones (∞ and NaN) is negative. For finite nonzero operands P = 4·Ma·Mb < 2^30 and kk = qa + qb + 2^15
 * come from the two words by one product and one sum. With E = k + 29 − clz(P) the exponent of the exact
 * product (k = qa + qb) and E' = max(E, emin), the shift that leaves m + 1 significant bits (fewer for a
 * subnormal result) is sh = E' − m − k + 2 (for P) and satisfies 2 ≤ sh ≤ m + bias + 1: sh ≥ 2 because
 * one normal factor gives Ma·Mb ≥ 2^m, two subnormal ones give E < emin. Rounding is one addition before
 * the shift, N = ⌊(P + add) / 2^sh⌋ with add = 2^(sh−1) − 1 + bit sh of P (nearest-even), 2^(sh−1)
 * (nearest-away), 2^sh − 1 when rounding away from zero (floor on a negative product, ceil on a positive
 * one), else 0; when sh would exceed 31 (only if m + bias + 1 > 31, e.g. bf16), it is clamped to 31
 * (nearest, toward zero) or 30 (directed): P < 2^30 lies below half a unit there, so the result is 0 or
 * the least subnormal, as it must. The code magnitude is mag = (E' + bias − 1)·2^m + N (the hidden bit of
 * N carries into the field, N = 2^(m+1) moves to the next binade, subnormals have E' + bias − 1 = 0);
 * codes are ordered like values, so the product overflows iff mag > maxCode, and the overflow code's
 * magnitude is maxCode (±max) or maxCode + 1 (±∞): the result is sign | min(mag, cap) with the cap of the
 * policy and sign. The clamps and the min are integer selects (x >> 31 is 0 or −1). A zero factor gives
 * ±0 (sign = xor) and NaN/∞ operands follow IEEE 754, on two rare, well-predicted branches.
 */
import type { FloatFormat } from './float-format.js';
import { type FloatPolicy, overflowCode } from './float-rounding.js';

/** Offset of q in the decode word (q ≥ emin − m ≥ −8203 for e ≤ 14, q ≤ bias − m < 2^13). */
const Q_OFF = 1 << 14;

/**
 * a ⊗ b on codes of an IEEE-style format of 9–16 bits under `infinity` or `saturate`, bit-exact with
 * `floatOp('mul', …)` (NaN results are f.nanCode); undefined for the FN formats and the overflow mode
 * `error` (float-int-kernels.ts serves those).
 */
export function floatMulKernel(
  f: FloatFormat,
  policy: FloatPolicy,
): ((a: number, b: number) => number) | undefined {
  if (f.fn || policy.overflow === 'error' || f.bits <= 8 || f.bits > 16) return undefined;
  const m = f.manBits;
  const rows = 2 ** (f.bits - m); // sign and exponent field
  const allOnes = 2 ** f.expBits - 1;
  const dec = new Int32Array(rows);
  for (let se = 0; se < rows; se++) {
    const e = se & allOnes;
    dec[se] =
      e === allOnes ? -(1 << 30) : (e === 0 ? 0 : 2 << m) | ((Math.max(e, 1) - f.bias - m + Q_OFF) << 16);
  }
  const frac = 2 ** m - 1;
  const signBit = f.signBit;
  const toTop = 32 - f.bits; // sign bit to bit 31
  const eminT = f.emin - 29 + 2 * Q_OFF; // E − 29 + 2·Q_OFF = kk − clz(P)
  const shC = 31 - m; // sh = Et − kk + 31 − m
  const fieldC = 29 - 2 * Q_OFF + f.bias - 1; // E' + bias − 1 = Et + fieldC
  const nan = f.nanCode;
  const inf = f.infCode;
  const magMask = signBit - 1;
  // ∞/NaN operands: NaN in → NaN, ∞ × 0 → NaN, else ±∞
  const special = (a: number, b: number): number => {
    const ma = a & magMask;
    const mb = b & magMask;
    if (ma > inf || mb > inf || ma === 0 || mb === 0) return nan;
    return ((a ^ b) & signBit) | inf;
  };
  const capPos = overflowCode(false, f, policy);
  const capNeg = overflowCode(true, f, policy) - signBit;
  const capSel = capPos ^ capNeg;
  const r = policy.rounding;
  // sh can exceed 31 (nearest, toward zero) or 30 (directed): clamp it (deep underflow)
  const big = m + f.bias + 1 > 31;
  const bigDirected = m + f.bias + 1 > 30;

  if (r === 'nearest-even' || r === 'nearest-away') {
    const cap = capPos; // ±∞ or ±max alike for both signs
    if (r === 'nearest-even') {
      return (a: number, b: number): number => {
        const da = dec[a >> m] + ((a & frac) << 1);
        const db = dec[b >> m] + ((b & frac) << 1);
        if ((da | db) < 0) return special(a, b);
        const P = (da & 0x7fff) * (db & 0x7fff);
        if (P === 0) return (a ^ b) & signBit;
        const kk = (da + db) >>> 16;
        const E0 = (kk - Math.clz32(P)) | 0;
        const u = (E0 - eminT) | 0;
        const Et = (E0 - (u & (u >> 31))) | 0;
        let sh = (Et - kk + shC) | 0;
        if (big) {
          const o = (31 - sh) | 0;
          sh = (sh + (o & (o >> 31))) | 0;
        }
        const N = (P + (1 << (sh - 1)) - 1 + ((P >> sh) & 1)) >> sh;
        const mag = (((Et + fieldC) << m) + N) | 0;
        const o = (cap - mag) | 0;
        return ((a ^ b) & signBit) | (mag + (o & (o >> 31)));
      };
    }
    return (a: number, b: number): number => {
      const da = dec[a >> m] + ((a & frac) << 1);
      const db = dec[b >> m] + ((b & frac) << 1);
      if ((da | db) < 0) return special(a, b);
      const P = (da & 0x7fff) * (db & 0x7fff);
      if (P === 0) return (a ^ b) & signBit;
      const kk = (da + db) >>> 16;
      const E0 = (kk - Math.clz32(P)) | 0;
      const u = (E0 - eminT) | 0;
      const Et = (E0 - (u & (u >> 31))) | 0;
      let sh = (Et - kk + shC) | 0;
      if (big) {
        const o = (31 - sh) | 0;
        sh = (sh + (o & (o >> 31))) | 0;
      }
      const N = (P + (1 << (sh - 1))) >> sh;
      const mag = (((Et + fieldC) << m) + N) | 0;
      const o = (cap - mag) | 0;
      return ((a ^ b) & signBit) | (mag + (o & (o >> 31)));
    };
  }
  // toward-zero, floor, ceil: add 2^sh − 1 iff rounding away from zero for this sign (up = 0 or −1)
  const upPos = r === 'ceil' ? -1 : 0;
  const upSel = r === 'toward-zero' ? 0 : -1; // floor: up = sneg, ceil: up = ~sneg
  return (a: number, b: number): number => {
    const da = dec[a >> m] + ((a & frac) << 1);
    const db = dec[b >> m] + ((b & frac) << 1);
    if ((da | db) < 0) return special(a, b);
    const P = (da & 0x7fff) * (db & 0x7fff);
    const sign = (a ^ b) & signBit;
    if (P === 0) return sign;
    const sneg = (sign << toTop) >> 31;
    const kk = (da + db) >>> 16;
    const E0 = (kk - Math.clz32(P)) | 0;
    const u = (E0 - eminT) | 0;
    const Et = (E0 - (u & (u >> 31))) | 0;
    let sh = (Et - kk + shC) | 0;
    if (bigDirected) {
      const o = (30 - sh) | 0;
      sh = (sh + (o & (o >> 31))) | 0;
    }
    const N = (P + (((1 << sh) - 1) & (upPos ^ (upSel & sneg)))) >> sh;
    const mag = (((Et + fieldC) << m) + N) | 0;
    const o = ((capPos ^ (capSel & sneg)) - mag) | 0;
    return sign | (mag + (o & (o >> 31)));
  };
}
