/**
 * A sufficient condition for DIST in O(|𝕀|) (docs/theory.md §9.6, "DIST by the rows of w = 1"). With the
 * weight w = 1 (code 2ⁿ, when it is a value) the neuron x ↦ σ_F(1⊗x ⊕ b) has the pre-activation ovf(x + b)
 * under either accumulation and bias order (1⊗x = x exactly; the exact sum b·2ⁿ + 2ⁿ·x rounds to x + b
 * exactly), so its bias row is the window R_x(b) = E(x + b), b ∈ 𝕀, of E(t) = σ_F(ovf(t)). Under saturate
 * or wrap, with σ_F valid on every code, every such neuron is valid on every input; if the |𝕀| windows
 * R_x are pairwise different, every pair x ≠ y is separated by some (1, b): DIST holds. `checkDist` then
 * returns what its first refinement pass (weight 1, tried first) gives: every class a singleton.
 * Windows are told apart by two polynomial hashes: different hashes are different windows (a hash is a
 * function of the window), so the answer never depends on luck; equal hashes only send the caller to the
 * full check.
 */
import type { Setting } from './setting.js';

const P1 = 67108859; // primes below 2^26: h·B + c stays below 2^53
const P2 = 67108837;
const B1 = 65599;
const B2 = 40503;

/** True when the bias rows of the weight 1 are pairwise different (then DIST holds); false: unknown. */
export function distinctUnitRows(s: Setting): boolean {
  const { min, max, size: n } = s;
  if (s.policy.overflow !== 'saturate' && s.policy.overflow !== 'wrap') return false;
  if (!(s.one <= max) || !s.weights.includes(s.one)) return false;
  for (let i = 0; i < n; i++) if (!(s.sigma[i] >= min)) return false;
  const wrap = s.policy.overflow === 'wrap';
  // E(t) for t = 2·min … 2·max, as σ_F code − min + 1
  const len = 2 * n - 1;
  const e = new Int32Array(len);
  for (let i = 0; i < len; i++) {
    const t = 2 * min + i;
    const c = wrap ? min + ((((t - min) % n) + n) % n) : Math.max(min, Math.min(max, t));
    e[i] = s.sigma[c - min] - min + 1;
  }
  // B^(n−1) mod P, to drop the first symbol of a window
  let top1 = 1;
  let top2 = 1;
  for (let i = 1; i < n; i++) {
    top1 = (top1 * B1) % P1;
    top2 = (top2 * B2) % P2;
  }
  let h1 = 0;
  let h2 = 0;
  for (let i = 0; i < n; i++) {
    h1 = (h1 * B1 + e[i]) % P1;
    h2 = (h2 * B2 + e[i]) % P2;
  }
  // the window of x starts at index x + min − 2·min = x − min
  const seen = new Set<number>();
  for (let x = 0; ; x++) {
    seen.add(h1 * P2 + h2);
    if (seen.size !== x + 1) return false;
    if (x === n - 1) return true;
    h1 = (((h1 - ((e[x] * top1) % P1) + P1) % P1) * B1 + e[x + n]) % P1;
    h2 = (((h2 - ((e[x] * top2) % P2) + P2) % P2) * B2 + e[x + n]) % P2;
  }
}
