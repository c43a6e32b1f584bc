import type { Setting } from '../engine/setting.js';

/** σ_F is relu on codes: 0 for pre-activations ≤ 0, the pre-activation itself above 0. */
export function reluShaped(s: Setting): boolean {
  for (let p = s.min; p <= s.max; p++) if (s.sigma[p - s.min] !== Math.max(0, p)) return false;
  return true;
}
