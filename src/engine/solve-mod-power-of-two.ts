/**
 * Linear systems modulo M = 2^k whose matrix is invertible modulo 2 (used by the span certificates of
 * docs/theory.md §10.8 and §10.10 to write out their networks). Such a matrix has an odd determinant, a
 * unit of ℤ/2^k, so Gaussian elimination with odd pivots (units) solves the system; the inverse of an odd
 * pivot comes from Newton's iteration x ← x·(2 − a·x), which doubles the number of correct low bits (seven
 * steps give 128 bits, enough for every M < 2^64).
 *
 * Pure BigInt kernel. O(n³) for n unknowns: for tests and materialised networks on small formats.
 */

/**
 * Solves A·k ≡ y (mod M) for the augmented rows [A | y] (n rows of n + 1 entries, each in [0, M)); the
 * rows are modified. Throws when A is not invertible modulo 2 (`what` names the caller).
 */
export function solveModPowerOfTwo(rows: bigint[][], M: bigint, what: string): bigint[] {
  const n = rows.length;
  const mod = (x: bigint) => ((x % M) + M) % M;
  const inv = (a: bigint) => {
    let x = 1n;
    for (let i = 0; i < 7; i++) x = mod(x * mod(2n - a * x));
    return x;
  };
  for (let col = 0; col < n; col++) {
    const piv = rows.findIndex((row, r) => r >= col && (row[col] & 1n) === 1n);
    if (piv < 0) throw new Error(`${what}: the matrix is not invertible modulo 2`);
    [rows[col], rows[piv]] = [rows[piv], rows[col]];
    const iv = inv(rows[col][col]);
    rows[col] = rows[col].map((x) => mod(x * iv));
    for (let r = 0; r < n; r++) {
      if (r === col || rows[r][col] === 0n) continue;
      const f = rows[r][col];
      rows[r] = rows[r].map((x, j) => mod(x - f * rows[col][j]));
    }
  }
  return rows.map((row) => row[n]);
}
