import { check } from '../errors.js';
import type { Format } from '../format.js';

/** |𝕀|^d, the number of inputs of a d-input network over the format. */
export function inputCount(format: Format, d: number): bigint {
  return format.size ** BigInt(d);
}

/**
 * Writes rows `start … start+rows−1` of 𝕀^d, in lexicographic order of codes (x1 varies slowest,
 * row 0 is all minimum codes), into `out` as rows×d codes. Formats of at most 31 bits; `start + rows`
 * must not exceed |𝕀|^d (a safe integer).
 */
export function fillInputs(format: Format, d: number, start: number, rows: number, out: Int32Array): void {
  const size = Number(format.size);
  const min = Number(format.minCode);
  const digits = new Array<number>(d);
  let rest = start;
  for (let j = d - 1; j >= 0; j--) {
    digits[j] = rest % size;
    rest = Math.floor(rest / size);
  }
  for (let r = 0; r < rows; r++) {
    const base = r * d;
    for (let j = 0; j < d; j++) out[base + j] = digits[j] + min;
    for (let j = d - 1; j >= 0; j--) {
      if (++digits[j] < size) break;
      digits[j] = 0;
    }
  }
}

/** The input at a row index of the lexicographic order, as codes. */
export function inputAt(format: Format, d: number, index: bigint): bigint[] {
  check(
    index >= 0n && index < inputCount(format, d),
    () => `input index ${index} is outside 0 … ${inputCount(format, d) - 1n}`,
    'index',
  );
  const out = new Array<bigint>(d);
  let rest = index;
  for (let j = d - 1; j >= 0; j--) {
    out[j] = (rest % format.size) + format.minCode;
    rest /= format.size;
  }
  return out;
}

/** The row index of an input (codes) in the lexicographic order; the inverse of `inputAt`. */
export function indexOfInput(format: Format, codes: readonly bigint[]): bigint {
  let index = 0n;
  for (const c of codes) index = index * format.size + (c - format.minCode);
  return index;
}

/** Every input of 𝕀^d as codes, in lexicographic order (x1 slowest). */
export function* allInputs(format: Format, d: number): Generator<bigint[]> {
  const x = new Array<bigint>(d).fill(format.minCode);
  const total = inputCount(format, d);
  for (let i = 0n; i < total; i++) {
    yield [...x];
    for (let j = d - 1; j >= 0; j--) {
      if (x[j] < format.maxCode) {
        x[j]++;
        break;
      }
      x[j] = format.minCode;
    }
  }
}

/** Calls `f` on every input of 𝕀^d (codes, a fresh array each time) with its row index, in lexicographic order. */
export function forEachInput(format: Format, d: number, f: (x: bigint[], index: number) => void): void {
  let index = 0;
  for (const x of allInputs(format, d)) f(x, index++);
}
