/**
 * The shape of σ_F read off its table (formats of at most 16 bits; docs/theory.md §9.5, "Shapes read off
 * the table"). Lemma 2's range queries need only that σ_F is non-increasing on the codes ≤ cL and
 * non-decreasing on the codes ≥ cR, with a few codes between: on a tabulated format that is a property of
 * the table, checked here at every code, so an activation without a proven shape on ℝ (gelu-tanh) can use
 * the analytic path's family certificates at 16 bits. Every σ_F value must be valid (under `error` an
 * invalid value would make the branches meaningless).
 */
import type { ActivationShape } from './activation-shape.js';

/** Most codes strictly between the two branches (wideSigma reads each of them). */
const MAX_INNER = 63;

/**
 * { kind: 'codes', cL, cR } with σ_F non-increasing on [min, cL] and non-decreasing on [cR, max]
 * (cR = min, cL = min − 1 when σ_F is non-decreasing), or a string saying why there is none. `sigma[i]` is
 * σ_F at code min + i (NaN: invalid).
 */
export function tabulatedShape(sigma: ArrayLike<number>, min: number): ActivationShape | string {
  const n = sigma.length;
  for (let i = 0; i < n; i++)
    if (Number.isNaN(sigma[i])) return `σ_F is invalid at code ${min + i}, so its table has no shape`;
  // the longest non-decreasing suffix [r, n − 1] and the longest non-increasing prefix [0, l]
  let r = n - 1;
  while (r > 0 && sigma[r - 1] <= sigma[r]) r--;
  let l = 0;
  while (l + 1 < n && sigma[l + 1] <= sigma[l]) l++;
  // both branches as wide as they go, but cL < cR (a plateau at the bottom belongs to both)
  if (l >= r) l = r - 1;
  if (r - l - 1 > MAX_INNER)
    return `σ_F is not one valley on its table: ${r - l - 1} codes lie between its non-increasing start and its non-decreasing end`;
  return { kind: 'codes', cL: BigInt(min + l), cR: BigInt(min + r) };
}

/** True when the shape holds on the table (used by the tests as an independent check). */
export function shapeHolds(sigma: ArrayLike<number>, min: number, cL: number, cR: number): boolean {
  for (let c = min + 1; c <= cL; c++) if (!(sigma[c - min] <= sigma[c - 1 - min])) return false;
  for (let c = cR + 1; c < min + sigma.length; c++) if (!(sigma[c - min] >= sigma[c - 1 - min])) return false;
  return true;
}
