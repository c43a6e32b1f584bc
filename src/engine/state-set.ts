/**
 * Seen states of the chain solver's beam search (docs/theory.md §9.6, "Speed without changing a result"):
 * a state is a pair of code sets (the values the zero side and the one side hold after the chain so far).
 * A set of them keyed by an order-independent hash, exact because equal hashes are compared element by
 * element: it answers as a set of the joined strings did, without building a string per candidate state.
 */

/** An order-independent mix of one code (a 32-bit integer hash). */
function mix(v: number): number {
  let x = Math.imul(v ^ 0x9e3779b9, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** A hash of a pair of code sets (each given without repeats, in any order): sums of mixes, < 2^53. */
export function setHash(zero: ArrayLike<number>, one: ArrayLike<number>): number {
  let hz = zero.length;
  let he = one.length * 0x27d4eb2d;
  for (let i = 0; i < zero.length; i++) hz = (hz + mix(zero[i])) >>> 0;
  for (let i = 0; i < one.length; i++) he = (he + mix(one[i] ^ 0x5bd1e995)) >>> 0;
  return hz * 2 ** 20 + (he & 0xfffff);
}

/**
 * The states a beam search has seen: pairs of sorted code sets, bucketed by `setHash`; equal hashes are
 * compared element by element, so membership is exact (the same answers as a set of joined strings,
 * without building a string per state).
 */
export class StateSet {
  private readonly buckets = new Map<number, Array<readonly [Int32Array, Int32Array]>>();

  add(zero: Int32Array, one: Int32Array): void {
    this.addHashed(setHash(zero, one), zero, one);
  }

  addHashed(h: number, zero: Int32Array, one: Int32Array): void {
    const bucket = this.buckets.get(h);
    if (bucket) bucket.push([zero, one]);
    else this.buckets.set(h, [[zero, one]]);
  }

  /**
   * Whether the pair of sets marked with `gen` in `markZero` and `markOne` (indices code − min; sizes
   * `zeroSize`, `oneSize`, hash `h`) is in the set: equal sizes and every stored code marked.
   */
  hasMarked(
    h: number,
    zeroSize: number,
    oneSize: number,
    markZero: Int32Array,
    markOne: Int32Array,
    gen: number,
    min: number,
  ): boolean {
    const bucket = this.buckets.get(h);
    if (!bucket) return false;
    for (const [z, e] of bucket) {
      if (z.length !== zeroSize || e.length !== oneSize) continue;
      let same = true;
      for (let i = 0; i < z.length && same; i++) same = markZero[z[i] - min] === gen;
      for (let i = 0; i < e.length && same; i++) same = markOne[e[i] - min] === gen;
      if (same) return true;
    }
    return false;
  }
}
