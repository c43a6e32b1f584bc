/** Constant boxes of a table (docs/construction.md, "The compiler", item 1; THEORY §5.2 compression). */
/** A box of 𝕀^d (inclusive code intervals per coordinate) on which the target is constant. */
export interface Box {
  readonly lo: readonly number[];
  readonly hi: readonly number[];
  readonly value: number;
}

/**
 * Cuts a table over 𝕀^d (codes, lexicographic with x1 slowest) into boxes on which it is constant,
 * leaving out the points equal to `beta` (THEORY §5.2, compression by quantized cubes): runs along the
 * last coordinate, merged along the one before it when consecutive rows repeat a run exactly. With
 * `compress` false every point other than β is its own box.
 */
export function boxesOf(
  table: Int32Array,
  d: number,
  min: number,
  size: number,
  beta: number,
  compress: boolean,
): Box[] {
  const rows = table.length / size;
  const runsByRow: Box[][] = [];
  for (let r = 0; r < rows; r++) {
    const prefix: number[] = [];
    let rest = r;
    for (let i = d - 2; i >= 0; i--) {
      prefix.unshift(min + (rest % size));
      rest = Math.floor(rest / size);
    }
    const runs: Box[] = [];
    let j = 0;
    while (j < size) {
      const v = table[r * size + j];
      let k = j;
      while (compress && k + 1 < size && table[r * size + k + 1] === v) k++;
      if (v !== beta) runs.push({ lo: [...prefix, min + j], hi: [...prefix, min + k], value: v });
      j = k + 1;
    }
    runsByRow.push(runs);
  }
  if (!compress || d < 2) return runsByRow.flat();
  // merge a run with the identical run (same columns, value, other coordinates) of the previous row
  const out: Box[] = [];
  const open = new Map<string, { lo: number[]; hi: number[]; value: number }>();
  for (let r = 0; r < rows; r++) {
    const next = new Map<string, { lo: number[]; hi: number[]; value: number }>();
    for (const run of runsByRow[r]) {
      const outer = run.lo.slice(0, d - 2).join(',');
      const key = `${outer}|${run.lo[d - 1]},${run.hi[d - 1]},${run.value}`;
      const prev = open.get(key);
      if (prev && prev.hi[d - 2] === run.lo[d - 2] - 1) {
        prev.hi[d - 2] = run.lo[d - 2];
        next.set(key, prev);
        open.delete(key);
      } else next.set(key, { lo: [...run.lo], hi: [...run.hi], value: run.value });
    }
    for (const b of open.values()) out.push(b);
    open.clear();
    for (const [k, v] of next) open.set(k, v);
  }
  for (const b of open.values()) out.push(b);
  return out;
}
