/**
 * mulberry32: a small seeded 32-bit generator (integer arithmetic with Math.imul, so every step is
 * exact). For reproducible random targets in tests, benchmarks and the explorer; not for cryptography.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random table over 𝕀^d: `points` codes drawn uniformly from [min, min + size). */
export function randomTable(points: number, min: number, size: number, seed: number): Int32Array {
  const next = mulberry32(seed);
  const t = new Int32Array(points);
  for (let i = 0; i < points; i++) t[i] = min + Math.floor(next() * size);
  return t;
}
