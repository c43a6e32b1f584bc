/**
 * The fast path of ⊕ ⊖ ⊗ ⊘ on float formats of at most 16 bits (docs/float.md §4): integer arithmetic
 * on safe-integer numbers, the same results as `floatOp` (the tests compare them on every pair of
 * 8-bit codes and on random 16-bit pairs). Significands have at most 14 bits, so
 * - ⊗: P = Ma·Mb < 2^28 is exact, value P·2^(qa+qb);
 * - ⊕/⊖: aligned at the smaller unit when the units differ by at most 36 bits (|S| < 2^51); beyond that
 *   the smaller operand lies strictly inside one rounding cell next to the larger one (which is normal,
 *   its cells are at least 2^36 units of 2^(qh−38) wide, the small one is below 2^15 units), so it is
 *   replaced by ±1 unit of 2^(qh−38): the same side of every boundary, the same rounding;
 * - ⊘: Q = ⌊Ma·2^(2m+4)/Mb⌋ ≥ 2^(m+2) with the exact integer remainder r; 2Q + [r ≠ 0] at half the
 *   unit lies in the same open cell as the quotient (cells are at least 2 half-units wide here).
 * One `roundInteger` then rounds P·2^k with gradual underflow and the overflow policy. Formats of at
 * most 8 bits read each operation from a 2^16-entry table built by the same kernel; wider formats
 * compute ⊗ ⊕ ⊖ with the int32 kernels of float-int-kernels.ts (⊘ with the kernel here), ⊗ of the
 * IEEE-style ones under `infinity`/`saturate` with float-mul-kernel.ts.
 */
import { check } from '../errors.js';
import { classify, decodeFinite, type FloatFormat } from './float-format.js';
import { floatIntKernels } from './float-int-kernels.js';
import { floatMulKernel } from './float-mul-kernel.js';
import { floatOp } from './float-ops.js';
import { type FloatPolicy, overflowCode } from './float-rounding.js';

export interface FloatFastOps {
  readonly add: (a: number, b: number) => number;
  readonly sub: (a: number, b: number) => number;
  readonly mul: (a: number, b: number) => number;
  readonly div: (a: number, b: number) => number;
  /** Rounds ±P·2^k (P a safe integer ≥ 0) into the format; −1 for an overflow under `error`. */
  readonly roundInteger: (negative: boolean, P: number, k: number) => number;
}

/** Bit length of a safe integer P ≥ 1. */
function bitLength(P: number): number {
  return P < 4294967296 ? 32 - Math.clz32(P) : 64 - Math.clz32(Math.floor(P / 4294967296));
}

const cache = new Map<string, FloatFastOps>();

/** POW2[i + 128] = 2^i for −128 ≤ i ≤ 128 (a lookup: `2 ** x` with a variable x is a slow library call). */
const POW2 = Float64Array.from({ length: 257 }, (_, i) => 2 ** (i - 128));

/** Number kernels for one float format (≤ 16 bits) and policy. Under overflow `error` they throw. */
export function floatFastOps(f: FloatFormat, policy: FloatPolicy): FloatFastOps {
  const key = `${f.spec}|${policy.rounding}|${policy.overflow}`;
  const hit = cache.get(key);
  if (hit) return hit;
  check(
    f.bits <= 16,
    () => `floatFastOps: ${f.spec} has ${f.bits} bits; the fast path takes at most 16`,
    'format',
  );
  const size = 2 ** f.bits;
  const sig = new Int32Array(size);
  const qexp = new Int32Array(size);
  const special = new Uint8Array(size); // 1: ±∞, 2: NaN
  for (let c = 0; c < size; c++) {
    const kind = classify(c, f);
    if (kind === 'nan' || kind === 'infinite') special[c] = kind === 'nan' ? 2 : 1;
    else {
      const d = decodeFinite(c, f);
      sig[c] = d.M;
      qexp[c] = d.q;
    }
  }
  const m = f.manBits;
  const emin = f.emin;
  const emax = f.emax;
  const bias = f.bias;
  const maxSig = f.maxSignificand;
  const signBit = f.signBit;
  const two_m = 2 ** m;
  const two_m1 = 2 ** (m + 1);
  const mode = policy.rounding;
  const error = policy.overflow === 'error';
  const ovfPos = overflowCode(false, f, policy);
  const ovfNeg = overflowCode(true, f, policy);
  const floorZeroSign = mode === 'floor' ? signBit : 0;

  const roundInteger = (negative: boolean, P: number, k: number): number => {
    const sign = negative ? signBit : 0;
    if (P === 0) return sign;
    const E = k + bitLength(P) - 1;
    let Eu = Math.max(E, emin);
    const sh = Eu - m - k;
    let N: number;
    if (sh <= 0) N = P * POW2[128 - sh];
    else if (sh > 60) {
      // P < 2^53 ≤ half a unit: below half
      N = mode === 'floor' ? (negative ? 1 : 0) : mode === 'ceil' ? (negative ? 0 : 1) : 0;
    } else {
      const unit = POW2[128 + sh];
      N = Math.floor(P / unit);
      const r = P - N * unit;
      if (r !== 0) {
        const half = unit / 2;
        switch (mode) {
          case 'nearest-even':
            if (r > half || (r === half && N % 2 === 1)) N++;
            break;
          case 'nearest-away':
            if (r >= half) N++;
            break;
          case 'floor':
            if (negative) N++;
            break;
          case 'ceil':
            if (!negative) N++;
            break;
          default:
            break;
        }
      }
    }
    if (Eu > emax || (Eu === emax && N > maxSig)) {
      if (error) return -1;
      return negative ? ovfNeg : ovfPos;
    }
    if (N === 0) return sign;
    if (N === two_m1) {
      N = two_m;
      Eu++;
    }
    if (N < two_m) return sign + N;
    return sign + (Eu + bias) * two_m + (N - two_m);
  };

  const slow = (op: 'add' | 'sub' | 'mul' | 'div', a: number, b: number): number =>
    floatOp(op, a, b, f, policy).code;
  const checked = (op: 'add' | 'sub' | 'mul' | 'div', a: number, b: number, c: number): number =>
    c === -1 ? slow(op, a, b) : c;

  const addSigned = (a: number, b: number, bNeg: boolean, op: 'add' | 'sub', b0: number): number => {
    if ((special[a] | special[b]) !== 0) return slow(op, a, b0);
    const aNeg = a >= signBit;
    const Ma = sig[a];
    const Mb = sig[b];
    if (Mb === 0) {
      if (Ma !== 0) return a;
      return aNeg === bNeg ? (aNeg ? signBit : 0) : floorZeroSign;
    }
    if (Ma === 0) return bNeg ? b | signBit : b & (signBit - 1);
    let qh = qexp[a];
    let ql = qexp[b];
    let Mh = aNeg ? -Ma : Ma;
    let Ml = bNeg ? -Mb : Mb;
    if (qh < ql) {
      const t = qh;
      qh = ql;
      ql = t;
      const u = Mh;
      Mh = Ml;
      Ml = u;
    }
    const d = qh - ql;
    let S: number;
    let k: number;
    if (d <= 36) {
      S = Mh * POW2[128 + d] + Ml;
      k = ql;
    } else {
      S = Mh * 274877906944 + (Ml < 0 ? -1 : 1); // 2^38
      k = qh - 38;
    }
    if (S === 0) return floorZeroSign;
    const c = S < 0 ? roundInteger(true, -S, k) : roundInteger(false, S, k);
    return checked(op, a, b0, c);
  };

  const nan = f.nanCode;
  const inf = f.infCode;
  const mulKernel = (a: number, b: number): number => {
    const negative = a >= signBit !== b >= signBit;
    if ((special[a] | special[b]) !== 0) {
      // IEEE 754: NaN in → NaN; ∞ × 0 → NaN; ∞ × x → ±∞
      if (special[a] === 2 || special[b] === 2) return nan;
      if ((special[a] === 0 && sig[a] === 0) || (special[b] === 0 && sig[b] === 0)) return nan;
      return (negative ? signBit : 0) + inf;
    }
    const c = roundInteger(negative, sig[a] * sig[b], qexp[a] + qexp[b]);
    return checked('mul', a, b, c);
  };

  const sDiv = 2 * m + 4;
  const scaleDiv = 2 ** sDiv;
  const divKernel = (a: number, b: number): number => {
    if ((special[a] | special[b]) !== 0) return slow('div', a, b);
    const Ma = sig[a];
    const Mb = sig[b];
    if (Mb === 0) return slow('div', a, b);
    const negative = a >= signBit !== b >= signBit;
    if (Ma === 0) return negative ? signBit : 0;
    const num = Ma * scaleDiv;
    let Q = Math.floor(num / Mb);
    let r = num - Q * Mb;
    if (r < 0) {
      Q--;
      r += Mb;
    } else if (r >= Mb) {
      Q++;
      r -= Mb;
    }
    const c = roundInteger(negative, 2 * Q + (r > 0 ? 1 : 0), qexp[a] - qexp[b] - sDiv - 1);
    return checked('div', a, b, c);
  };

  const addKernel = (a: number, b: number) => addSigned(a, b, b >= signBit, 'add', b);
  const subKernel = (a: number, b: number) => addSigned(a, b ^ signBit, b < signBit, 'sub', b);
  let ops: FloatFastOps;
  if (f.bits <= 8 && !error) {
    const table = (kernel: (a: number, b: number) => number) => {
      const t = new Uint8Array(65536);
      for (let x = 0; x < size; x++) for (let y = 0; y < size; y++) t[(x << 8) | y] = kernel(x, y);
      return (a: number, b: number): number => t[(a << 8) | b];
    };
    ops = {
      add: table(addKernel),
      sub: table(subKernel),
      mul: table(mulKernel),
      div: table(divKernel),
      roundInteger,
    };
  } else {
    // the int32 kernels (float-int-kernels.ts) decide ⊗ ⊕ ⊖; under `error` their −1 (an overflow)
    // goes to the kernels above, which throw through floatOp
    const ik = floatIntKernels(f, policy);
    // ⊗ of IEEE-style formats under `infinity`/`saturate`: float-mul-kernel.ts
    if (!error)
      ops = {
        add: ik.add,
        sub: ik.sub,
        mul: floatMulKernel(f, policy) ?? ik.mul,
        div: divKernel,
        roundInteger,
      };
    else {
      const { add, sub, mul } = ik;
      const or = (c: number, slowPath: () => number): number => (c >= 0 ? c : slowPath());
      ops = {
        add: (a, b) => or(add(a, b), () => addKernel(a, b)),
        sub: (a, b) => or(sub(a, b), () => subKernel(a, b)),
        mul: (a, b) => or(mul(a, b), () => mulKernel(a, b)),
        div: divKernel,
        roundInteger,
      };
    }
  }
  cache.set(key, Object.freeze(ops));
  return ops;
}

/** The 2^16-entry ⊗ table of an 8-bit format (index a·256 + b), built by the fast kernel. */
export function floatMulTable(f: FloatFormat, policy: FloatPolicy): Uint8Array {
  check(f.bits <= 8, () => `floatMulTable: ${f.spec} has ${f.bits} bits (at most 8)`, 'format');
  const mul = floatFastOps(f, policy).mul;
  const t = new Uint8Array(65536);
  for (let a = 0; a < 2 ** f.bits; a++) for (let b = 0; b < 2 ** f.bits; b++) t[(a << 8) | b] = mul(a, b);
  return t;
}
