/**
 * Int32 kernels of ⊗ ⊕ ⊖ for float formats of 9–16 bits (docs/float.md §4, "The fast path"): every
 * step is an int32 operation on codes, no double decides anything.
 *
 * Statement. Decode tables give each code's significand M (< 2^14) and unit exponent q (value
 * (−1)^s·M·2^q). A product is P·2^k with P = Ma·Mb < 2^28, k = qa + qb; a sum is S·2^k with
 * S = ±Mh·2^d ± Ml, k = ql, when the units differ by d ≤ m + 3 (|S| < 2^(2m+5) ≤ 2^31), else
 * S = ±(8·Mh ± 1), k = qh − 3 (the sign of the ±1 is the small operand's): the small operand is below
 * 2^(ql+m+1) ≤ 2^(qh−3), so the exact sum and the replaced one lie strictly between the same two
 * consecutive multiples of 2^(qh−2); the larger operand is normal (d > 0), the result lies in its binade
 * E_h or the one below (or is subnormal), and every rounding boundary there (half units included) is
 * such a multiple. An exact zero sum takes the slow path (its sign depends on the mode).
 * `round` rounds ±P·2^k (0 ≤ P < 2^31): E = k + bitlength(P) − 1, E' = max(E, emin), the shift
 * sh = E' − m − k; N = ⌊P / 2^sh⌋ plus the mode's increment, decided from the remainder `rem` and the
 * half unit by integer comparisons; then mag = (E' + bias − 1)·2^m + N is the code magnitude (the hidden
 * bit of N carries into the exponent field, N = 2^(m+1) moves to the next binade, subnormals have
 * E' + bias − 1 = 0), and since codes are ordered like values, the result overflows iff mag > maxCode.
 * NaN and ∞ operands follow IEEE 754 (NaN in → NaN, ∞·0 → NaN, ∞ − ∞ → NaN, else ±∞); zeros of ⊕ and
 * exact zero sums follow §3's signed-zero rules.
 */
import { classify, decodeFinite, type FloatFormat } from './float-format.js';
import { type FloatPolicy, overflowCode } from './float-rounding.js';

export interface FloatIntKernels {
  /** a ⊗ b, or −1 for an overflow under `error` (the caller raises it). */
  readonly mul: (a: number, b: number) => number;
  /** a ⊕ b, or −1 as for mul. */
  readonly add: (a: number, b: number) => number;
  /** a ⊖ b, or −1 as for mul. */
  readonly sub: (a: number, b: number) => number;
}

/** Bits of the decode word: M in bits 0–13, q + Q_OFFSET in bits 14–28; NaN is SPECIAL | 2^31 (negative), ∞ SPECIAL. */
const Q_OFFSET = 1 << 14;
const SPECIAL = 1 << 30;
const ZERO = 1 << 29;
const NAN_FLAG = 1 << 31;

/** The decode word of every code (NaN/∞ flagged SPECIAL, zeros ZERO with q = emin − emax). */
export function floatDecodeTable(f: FloatFormat): Int32Array {
  const dec = new Int32Array(2 ** f.bits);
  for (let c = 0; c < dec.length; c++) {
    const kind = classify(c, f);
    if (kind === 'nan' || kind === 'infinite') dec[c] = kind === 'nan' ? SPECIAL | NAN_FLAG : SPECIAL;
    else if (kind === 'zero') {
      // a zero factor: k = q0 + qb ≤ emin − m, so the product rounds to ±0 like any P = 0
      dec[c] = ZERO | ((f.emin - f.emax + Q_OFFSET) << 14);
    } else {
      const d = decodeFinite(c, f);
      dec[c] = d.M | ((d.q + Q_OFFSET) << 14);
    }
  }
  return dec;
}

/** The int32 kernels of one format (9–16 bits, m ≤ 13) and policy. */
export function floatIntKernels(f: FloatFormat, policy: FloatPolicy): FloatIntKernels {
  const dec = floatDecodeTable(f);
  const m = f.manBits;
  const emin = f.emin;
  const biasM1 = f.bias - 1;
  const maxCode = f.maxCode;
  const signBit = f.signBit;
  // shifting the sign bit to bit 31, then >> 31, gives 0 or −1
  const toTop = 32 - f.bits;
  const error = policy.overflow === 'error';
  const ovfPos = error ? -1 : overflowCode(false, f, policy);
  const ovfNeg = error ? -1 : overflowCode(true, f, policy);
  // increment iff rem + base + (N & odd) > ((half & halfMask) | fixed), the mode's rule per sign
  const r = policy.rounding;
  const nearest = r === 'nearest-even' || r === 'nearest-away';
  const base = r === 'nearest-away' ? 1 : 0;
  const odd = r === 'nearest-even' ? 1 : 0;
  const halfMask = nearest ? -1 : 0;
  const up = (negative: boolean) => (r === 'ceil' && !negative) || (r === 'floor' && negative);
  const NEVER = 0x7fffffff;
  const fixedPos = nearest || up(false) ? 0 : NEVER;
  const fixedNeg = nearest || up(true) ? 0 : NEVER;

  const ovfSel = ovfPos ^ ovfNeg;
  const fixedSel = fixedPos ^ fixedNeg;

  /**
   * ±P·2^k rounded (sign 0 or the sign bit, 0 ≤ P < 2^31). Branch-free where random operands make
   * branches unpredictable: the increment, the underflow clamp and the overflow select are integer
   * selects (x >> 31 is −1 or 0); only the rare exact case sh ≤ 0 (subnormal operands) branches.
   */
  const round = (sign: number, P: number, k: number): number => {
    const sneg = (sign << toTop) >> 31; // 0 or −1 (not −(…): −0 is no int32)
    const E = k + 31 - Math.clz32(P);
    const Eu = Math.max(E, emin);
    const sh = Eu - m - k;
    let N: number;
    if (sh > 0) {
      const rs = Math.min(sh, 30);
      N = P >> rs;
      const rem = P & ((1 << rs) - 1);
      const thr = ((1 << (rs - 1)) & halfMask) | (fixedPos ^ (fixedSel & sneg));
      // + 1 iff rem + base + (N & odd) > thr
      N -= (thr - (rem + base + (N & odd))) >> 31;
    } else N = P << -sh;
    const mag = ((Eu + biasM1) << m) + N;
    const ov = (maxCode - mag) >> 31;
    return (ov & (ovfPos ^ (ovfSel & sneg))) | (~ov & (sign | mag));
  };

  const nan = f.nanCode;
  const inf = f.infCode;
  const mul = (a: number, b: number): number => {
    const da = dec[a];
    const db = dec[b];
    if (((da | db) & SPECIAL) !== 0) {
      if (((da | db) & NAN_FLAG) !== 0 || ((da | db) & ZERO) !== 0) return nan;
      return ((a ^ b) & signBit) | inf;
    }
    return round(
      (a ^ b) & signBit,
      (da & 0x3fff) * (db & 0x3fff),
      ((da >> 14) & 0x7fff) + ((db >> 14) & 0x7fff) - 2 * Q_OFFSET,
    );
  };

  const D = m + 3;
  const floorZero = r === 'floor' ? signBit : 0;
  /** a ⊕ (b with its sign bit flipped by `flip`, 0 or the sign bit): one closure per flip, no wrapper call. */
  const makeSum =
    (flip: number) =>
    (a: number, b0: number): number => {
      const b = b0 ^ flip;
      const da = dec[a];
      const db = dec[b];
      if (((da | db) & (SPECIAL | ZERO)) !== 0) {
        if (((da | db) & SPECIAL) !== 0) {
          if (((da | db) & NAN_FLAG) !== 0) return nan;
          if ((da & db & SPECIAL) !== 0) return ((a ^ b) & signBit) === 0 ? a : nan;
          return (da & SPECIAL) !== 0 ? a : b;
        }
        if ((db & ZERO) === 0) return b;
        if ((da & ZERO) === 0) return a;
        // (±0) + (±0): −0 only when both are −0, or under floor for opposite signs
        return ((a ^ b) & signBit) === 0 ? a : floorZero;
      }
      const qa = (da >> 14) & 0x7fff;
      const qb = (db >> 14) & 0x7fff;
      // signed significands: −M when the sign bit is set
      const na = (a << toTop) >> 31;
      const nb = (b << toTop) >> 31;
      const Sa = ((da & 0x3fff) ^ na) - na;
      const Sb = ((db & 0x3fff) ^ nb) - nb;
      // h: the operand of the larger unit; far: units more than m + 3 apart, the small operand becomes ±1
      // at the unit 2^(qh−3)
      let S: number;
      let k: number;
      if (qa >= qb) {
        const d = qa - qb;
        if (d <= D) {
          S = (Sa << d) + Sb;
          k = qb;
        } else {
          S = Sa * 8 + ((Sb >> 31) | 1);
          k = qa - 3;
        }
      } else {
        const d = qb - qa;
        if (d <= D) {
          S = (Sb << d) + Sa;
          k = qa;
        } else {
          S = Sb * 8 + ((Sa >> 31) | 1);
          k = qb - 3;
        }
      }
      if (S === 0) return floorZero;
      const s = S >> 31;
      return round(s & signBit, (S ^ s) - s, k - Q_OFFSET);
    };
  const add = makeSum(0);
  const sub = makeSum(signBit);
  return { mul, add, sub };
}
