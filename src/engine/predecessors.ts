/**
 * The breadth-first tree of the emitter search (docs/theory.md §9.2 emitters, §9.6 "Speed without changing
 * a result"): for every accumulator value a ∈ [−bound, bound] reached, the value it was reached from and
 * the index of the term added. A plain data structure, with the semantics of a Map from a to (from, term):
 * typed arrays indexed by a + bound when the range is small (sequential accumulation: the accumulator stays
 * in 𝕀), else an open-addressing hash table in typed arrays (exact accumulation: |a| up to |𝕀|·2^n·2), which
 * holds millions of values in a fraction of a Map's memory; with a bit per value of the range (up to
 * 2^28 bits, 32 MB) answering `has`, which the search asks about 30 times per value it holds.
 */

/** Ranges up to this many values use direct typed arrays. */
const DIRECT_VALUES = 2 ** 22;
/** Ranges up to this many values also keep one bit per value for `has`. */
const BITSET_VALUES = 2 ** 28;
/** Slots of a new hash table (a power of two; doubled at half load). */
const INITIAL_SLOTS = 2 ** 12;

export class Predecessors {
  private readonly fromArr: Int32Array | null;
  private readonly termArr: Int16Array | null;
  // the hash table: keys (NaN = empty slot), the value reached from, the term index
  private keys: Float64Array;
  private froms: Float64Array;
  private terms: Int16Array;
  private bits = 0;
  private count = 0;
  // bit a + bound: a is held (hash mode on ranges of at most BITSET_VALUES values)
  private readonly seen: Int32Array | null;

  /** Integers in [−bound, bound] (bound < 2^52). */
  constructor(private readonly bound: number) {
    const small = 2 * bound + 1 <= DIRECT_VALUES;
    this.fromArr = small ? new Int32Array(2 * bound + 1) : null;
    // term index + 2 (the root has term −1); 0 = not reached
    this.termArr = small ? new Int16Array(2 * bound + 1) : null;
    const slots = small ? 0 : INITIAL_SLOTS;
    this.keys = new Float64Array(slots).fill(Number.NaN);
    this.froms = new Float64Array(slots);
    this.terms = new Int16Array(slots);
    this.bits = small ? 0 : Math.log2(INITIAL_SLOTS);
    this.seen =
      !small && 2 * bound + 1 <= BITSET_VALUES ? new Int32Array(Math.ceil((2 * bound + 1) / 32)) : null;
  }

  /** Accumulator values held by the hash table (the memory the search grows; 0 with direct arrays). */
  get size(): number {
    return this.count;
  }

  has(a: number): boolean {
    if (this.termArr) return this.termArr[a + this.bound] !== 0;
    if (this.seen) {
      const i = a + this.bound;
      return (this.seen[i >>> 5] & (1 << (i & 31))) !== 0;
    }
    return this.slot(a) >= 0;
  }

  /** Records that `a` was reached from `from` by the term of index `term` (−1 for the root). */
  set(a: number, from: number, term: number): void {
    if (this.termArr && this.fromArr) {
      this.fromArr[a + this.bound] = from;
      this.termArr[a + this.bound] = term + 2;
      return;
    }
    let i = this.slot(a);
    if (i < 0) {
      if (2 * (this.count + 1) > this.keys.length) this.grow();
      i = this.free(a);
      this.keys[i] = a;
      this.count++;
      if (this.seen) {
        const j = a + this.bound;
        this.seen[j >>> 5] |= 1 << (j & 31);
      }
    }
    this.froms[i] = from;
    this.terms[i] = term;
  }

  /** The value `a` (reached) was reached from. */
  from(a: number): number {
    return this.fromArr ? this.fromArr[a + this.bound] : this.froms[this.slot(a)];
  }

  /** The index of the term that reached `a` (−1 for the root). */
  term(a: number): number {
    return this.termArr ? this.termArr[a + this.bound] - 2 : this.terms[this.slot(a)];
  }

  /** The first slot probed for `a`: Fibonacci hashing of its low and high 32 bits. */
  private home(a: number): number {
    const lo = a | 0;
    const hi = Math.floor(a / 4294967296) | 0;
    return Math.imul(lo ^ Math.imul(hi, 0x27d4eb2d), 0x9e3779b1) >>> (32 - this.bits);
  }

  /** The slot holding `a`, or −1. */
  private slot(a: number): number {
    const mask = this.keys.length - 1;
    for (let i = this.home(a); ; i = (i + 1) & mask) {
      const k = this.keys[i];
      if (k === a) return i;
      if (Number.isNaN(k)) return -1; // an empty slot ends the probe sequence
    }
  }

  /** The empty slot where `a` (absent) goes. */
  private free(a: number): number {
    const mask = this.keys.length - 1;
    let i = this.home(a);
    while (!Number.isNaN(this.keys[i])) i = (i + 1) & mask;
    return i;
  }

  private grow(): void {
    const { keys, froms, terms } = this;
    this.bits++;
    this.keys = new Float64Array(2 * keys.length).fill(Number.NaN);
    this.froms = new Float64Array(2 * keys.length);
    this.terms = new Int16Array(2 * keys.length);
    for (let j = 0; j < keys.length; j++) {
      const k = keys[j];
      if (Number.isNaN(k)) continue;
      const i = this.free(k);
      this.keys[i] = k;
      this.froms[i] = froms[j];
      this.terms[i] = terms[j];
    }
  }
}
