/**
 * Exact rationals over BigInt: `num/den` in lowest terms with `den > 0`. Kernel code: inputs are
 * trusted (no zero denominators reach here except through `ratio`, which checks).
 */
export interface Rational {
  readonly num: bigint;
  readonly den: bigint;
}

export function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** The rational p/q in lowest terms; q must be non-zero. */
export function ratio(p: bigint, q: bigint): Rational {
  if (q === 0n) throw new RangeError('ratio: zero denominator');
  if (q < 0n) {
    p = -p;
    q = -q;
  }
  const g = gcd(p, q);
  return g === 1n || g === 0n ? { num: p, den: q } : { num: p / g, den: q / g };
}

export const ZERO: Rational = { num: 0n, den: 1n };
export const ONE: Rational = { num: 1n, den: 1n };

export function fromBigInt(n: bigint): Rational {
  return { num: n, den: 1n };
}

/** k·2^-n as a rational. */
export function dyadic(k: bigint, n: number): Rational {
  if (n < 0) return { num: k << BigInt(-n), den: 1n };
  return ratio(k, 1n << BigInt(n));
}

export function add(a: Rational, b: Rational): Rational {
  return ratio(a.num * b.den + b.num * a.den, a.den * b.den);
}
export function sub(a: Rational, b: Rational): Rational {
  return ratio(a.num * b.den - b.num * a.den, a.den * b.den);
}
export function mul(a: Rational, b: Rational): Rational {
  return ratio(a.num * b.num, a.den * b.den);
}
export function div(a: Rational, b: Rational): Rational {
  return ratio(a.num * b.den, a.den * b.num);
}
export function neg(a: Rational): Rational {
  return { num: -a.num, den: a.den };
}
export function compare(a: Rational, b: Rational): -1 | 0 | 1 {
  const d = a.num * b.den - b.num * a.den;
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}
export function isZero(a: Rational): boolean {
  return a.num === 0n;
}

/** Exact decimal of a rational whose denominator has only the prime factors 2 and 5; otherwise "p/q". */
export function toDecimalString(a: Rational): string {
  let d = a.den;
  let twos = 0;
  let fives = 0;
  while (d % 2n === 0n) {
    d /= 2n;
    twos++;
  }
  while (d % 5n === 0n) {
    d /= 5n;
    fives++;
  }
  if (d !== 1n) return `${a.num}/${a.den}`;
  const digits = Math.max(twos, fives);
  const scaled = (a.num * 10n ** BigInt(digits)) / a.den; // exact
  return scaledToDecimal(scaled, digits);
}

/** `scaled·10^-digits` as a decimal string without trailing zeros. */
export function scaledToDecimal(scaled: bigint, digits: number): string {
  const negative = scaled < 0n;
  const abs = (negative ? -scaled : scaled).toString().padStart(digits + 1, '0');
  const intPart = abs.slice(0, abs.length - digits);
  const frac = abs.slice(abs.length - digits).replace(/0+$/, '');
  const body = frac.length > 0 ? `${intPart}.${frac}` : intPart;
  return negative && body !== '0' ? `-${body}` : body;
}

/** Exact decimal of k·2^-n (always finite: 2^-n = 5^n·10^-n). */
export function dyadicToDecimal(k: bigint, n: number): string {
  if (n < 0) return (k << BigInt(-n)).toString();
  return scaledToDecimal(k * 5n ** BigInt(n), n);
}

/** The exact rational value of a finite double (every double is dyadic). */
export function fromDouble(x: number): Rational {
  if (!Number.isFinite(x)) throw new RangeError(`fromDouble: ${x} is not finite`);
  if (Number.isInteger(x)) return { num: BigInt(x), den: 1n };
  let e = 0;
  let m = x;
  while (!Number.isInteger(m)) {
    m *= 2; // exact for doubles until m is an integer (at most 1074 steps)
    e++;
  }
  return ratio(BigInt(m), 1n << BigInt(e));
}

/** Nearest double (for display and plotting only; never used to decide anything). */
export function toNumber(a: Rational): number {
  const n = Number(a.num);
  const d = Number(a.den);
  if (Number.isFinite(n) && Number.isFinite(d)) return n / d;
  const shift = BigInt(Math.max(a.num.toString(2).length, a.den.toString(2).length) - 1000);
  return Number(a.num >> (shift > 0n ? shift : 0n)) / Number(a.den >> (shift > 0n ? shift : 0n));
}
